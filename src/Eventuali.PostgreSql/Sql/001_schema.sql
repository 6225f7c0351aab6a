-- Eventuali schema migration 1: the event log. __SCHEMA__ is replaced by the validated, quoted schema name.
-- Runs inside one transaction holding an advisory lock, so several nodes may start at once.
CREATE SCHEMA IF NOT EXISTS __SCHEMA__;

-- One row: the schema version and the position offset (raised after a restore into a cluster
-- whose transaction ids are lower, so new positions stay above the restored ones).
CREATE TABLE IF NOT EXISTS __SCHEMA__.meta (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  schema_version integer NOT NULL,
  position_offset bigint NOT NULL DEFAULT 0
);

-- Stream names live once; events refer to them by a bigint, which keeps the events indexes small.
-- COLLATE "C": ordinal comparison, so the unique index also serves stream-id prefix (category) ranges.
CREATE TABLE IF NOT EXISTS __SCHEMA__.streams (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name text COLLATE "C" NOT NULL,
  CONSTRAINT streams_name_key UNIQUE (name)
);

CREATE TABLE IF NOT EXISTS __SCHEMA__.events (
  position bigint PRIMARY KEY,
  -- No foreign key: the append function creates the stream row first, and an RI check per event costs.
  stream_id bigint NOT NULL,
  version bigint NOT NULL CHECK (version > 0),
  event_id uuid NOT NULL,
  event_type text NOT NULL,
  content_type text NOT NULL,
  data_json jsonb,
  data_bytes bytea,
  correlation_id text,
  causation_id text,
  actor_id text,
  headers jsonb,
  "timestamp" timestamptz NOT NULL,
  CONSTRAINT events_one_payload CHECK ((data_json IS NULL) <> (data_bytes IS NULL)),
  CONSTRAINT events_stream_version_key UNIQUE (stream_id, version),
  CONSTRAINT events_event_id_key UNIQUE (event_id)
);

-- Reads filtered by event type, in position order (type-filtered subscriptions and projections).
-- It costs about a quarter of an append's server work; it stays because a type filter over a long log
-- must not become a scan.
CREATE INDEX IF NOT EXISTS events_type_position ON __SCHEMA__.events (event_type, position);
