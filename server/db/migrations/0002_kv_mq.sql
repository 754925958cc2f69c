-- Fedify's key–value store and message queue (federation/kv.ts, federation/mq.ts). @fedify/postgres exists only
-- for Fedify 1.8 (no list, no cas, no ordering keys, a TTL bug), so we keep our own tables in our migrations.

-- Keys are JSON arrays serialised by JSON.stringify. COLLATE "C" makes comparison bytewise, so a key prefix
-- becomes a plain range on the primary key index (list by prefix) instead of a LIKE that needs escaping.
CREATE TABLE fedify_kv (
  key        text COLLATE "C" PRIMARY KEY,
  value      jsonb NOT NULL,
  expires_at timestamptz              -- NULL: never expires
);
CREATE INDEX fedify_kv_expires_at_idx ON fedify_kv (expires_at) WHERE expires_at IS NOT NULL;

-- One table is one logical queue: Fedify's inbox/outbox/fanout share it and dispatch on the message's type.
CREATE TABLE fedify_mq (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,  -- enqueue order within an ordering key
  message      jsonb NOT NULL,
  ordering_key text,
  deliver_at   timestamptz NOT NULL DEFAULT now(),
  created_at   timestamptz NOT NULL DEFAULT now(),
  locked_until timestamptz,              -- set while a listener holds the message; expiry means it crashed
  attempts     integer NOT NULL DEFAULT 0 -- claims so far; > 0 means started and unfinished
);
-- The claim scans ready messages in delivery order.
CREATE INDEX fedify_mq_deliver_idx ON fedify_mq (deliver_at, id);
-- The claim's per-key check ("is an earlier or started message of this key still here?").
CREATE INDEX fedify_mq_ordering_idx ON fedify_mq (ordering_key, id) WHERE ordering_key IS NOT NULL;
