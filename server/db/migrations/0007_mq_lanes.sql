-- Fedify's queue (federation/mq.ts).
-- lane: an outgoing delivery's inbox host, so one slow or unreachable server holds only a few of a listener's slots.
-- seq/holds_key: Fedify retries a failed delivery (or holds one for an open circuit) by enqueueing the same message
-- again; that copy keeps the original's place in its ordering key (seq) and holds the key while it waits, so a later
-- activity about the same object cannot overtake it. New messages have seq NULL: their id is their place.
ALTER TABLE fedify_mq ADD COLUMN lane text, ADD COLUMN seq bigint, ADD COLUMN holds_key boolean NOT NULL DEFAULT false;
UPDATE fedify_mq SET lane = substring(message->>'inbox' from '^[a-z][a-z0-9+.-]*://([^/?#]+)') WHERE message->>'type' = 'outbox';
