-- Event notifications (issue #12 points 2–4): an invitation, a request to take part (restricted mode), a place
-- given (accepted, or promoted from the waiting list), an answer to one's event, a cancellation, and a reminder
-- an hour before each occurrence one attends.

-- Adding notification types, from now on one call (0034 wrote the same steps inline): the CHECK's list read back,
-- extended, and written again as an IN list, the shape PostgreSQL shows for the original.
CREATE FUNCTION ruche_add_notification_types(extra text[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE def text; types text[];
BEGIN
  SELECT pg_get_constraintdef(c.oid) INTO def FROM pg_constraint c
    WHERE c.conrelid = 'notifications'::regclass AND c.contype = 'c' AND pg_get_constraintdef(c.oid) LIKE '%type%';
  SELECT array_agg(m[1]) INTO types FROM regexp_matches(coalesce(def, ''), '''([a-z_.]+)''', 'g') AS m;
  EXECUTE (SELECT format('ALTER TABLE notifications DROP CONSTRAINT %I', conname) FROM pg_constraint
    WHERE conrelid = 'notifications'::regclass AND contype = 'c' AND pg_get_constraintdef(oid) LIKE '%type%');
  EXECUTE format('ALTER TABLE notifications ADD CONSTRAINT notifications_type_check CHECK (type IN (%s))',
    (SELECT string_agg(quote_literal(t), ', ') FROM unnest(types || extra) AS t));
END $$;

SELECT ruche_add_notification_types(ARRAY['ruche.event_invitation', 'ruche.event_request', 'ruche.event_participation',
  'ruche.event_place', 'ruche.event_cancelled', 'ruche.event_reminder']);

-- The occurrences whose reminder went out (the job looks an hour ahead every few minutes; this makes it once).
CREATE TABLE event_reminders (
  post_id          bigint NOT NULL REFERENCES events (post_id) ON DELETE CASCADE,
  occurrence_start timestamptz NOT NULL,
  sent_at          timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (post_id, occurrence_start)
);
