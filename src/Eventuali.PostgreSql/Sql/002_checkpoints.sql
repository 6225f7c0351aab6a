-- Eventuali schema migration 2: named subscription checkpoints, in the same database as the events.
-- position: a global-log position, or a stream version for a subscription to one stream.
CREATE TABLE IF NOT EXISTS __SCHEMA__.checkpoints (
  name text COLLATE "C" PRIMARY KEY,
  position bigint NOT NULL,
  updated_at timestamptz NOT NULL
);
