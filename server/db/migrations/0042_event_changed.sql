-- An event's time or place changed (issue #12): those going, waiting or invited hear it (0041's helper).
SELECT ruche_add_notification_types(ARRAY['ruche.event_changed']);
