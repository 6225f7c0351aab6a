-- Eventuali schema migration 6: stream lifecycle. __SCHEMA__ is the validated, quoted schema name.
-- On the streams row (which reads and appends look up anyway):
--   state: 0 live, 1 soft-deleted, 2 tombstoned;
--   truncated_before: events below it were truncated or archived; the version is
--     greatest(last event's version, truncated_before - 1);
--   epoch: raised by every delete, so an append that looked the stream up before a delete
--     committed inserts nothing and decides again (see append.sql).
ALTER TABLE __SCHEMA__.streams
  ADD COLUMN IF NOT EXISTS state smallint NOT NULL DEFAULT 0,
  ADD COLUMN IF NOT EXISTS truncated_before bigint NOT NULL DEFAULT 1,
  ADD COLUMN IF NOT EXISTS epoch bigint NOT NULL DEFAULT 0;

-- Archived events keep their original position, version and id; they are not in the global log.
CREATE TABLE IF NOT EXISTS __SCHEMA__.archived_events (
  position bigint PRIMARY KEY,
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
  CONSTRAINT archived_events_one_payload CHECK ((data_json IS NULL) <> (data_bytes IS NULL)),
  CONSTRAINT archived_events_stream_version_key UNIQUE (stream_id, version)
);
