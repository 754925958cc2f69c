-- Notifications are written only by notify() (server/domain/notifications/notifications.ts), which applies the
-- recipient's mutes and publishes the event; the follows trigger wrote them behind it and skipped mutes.
DROP TRIGGER IF EXISTS follows_notify ON follows;
DROP FUNCTION IF EXISTS notify_follow();
