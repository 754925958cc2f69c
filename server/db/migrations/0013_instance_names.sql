-- What each remote instance calls itself in its own NodeInfo (metadata.nodeName, else software.name), fetched by the
-- instance-info job when a sibling is added and at each full directory pull (issue #8 points 10 and 31). Remote
-- people's instance names are read from here, never from what a profile claims (profiles.instance_name is unused).
CREATE TABLE instance_names (
  host       text PRIMARY KEY,          -- as in accounts.domain: host[:port]
  origin     text NOT NULL,
  name       text NOT NULL,
  fetched_at timestamptz NOT NULL DEFAULT now()
);
