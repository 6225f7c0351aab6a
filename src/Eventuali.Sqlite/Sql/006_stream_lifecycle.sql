-- Stream lifecycle: a state flag and a truncation point on the streams row (read with the stream
-- already), and archive storage with the events table's columns.
-- state: 0 live, 1 soft-deleted, 2 tombstoned. truncated_before: events below it were truncated or
-- archived; the stream version is max(last event's version, truncated_before - 1).
ALTER TABLE streams ADD COLUMN state INTEGER NOT NULL DEFAULT 0;
ALTER TABLE streams ADD COLUMN truncated_before INTEGER NOT NULL DEFAULT 1;

-- Archived events keep their original position, version and id; they are not in the global log.
CREATE TABLE archived_events (
  position INTEGER PRIMARY KEY,
  stream_id INTEGER NOT NULL REFERENCES streams (id),
  version INTEGER NOT NULL,
  event_id BLOB NOT NULL,
  event_type TEXT NOT NULL,
  content_type TEXT,
  data NOT NULL,
  correlation_id TEXT,
  causation_id TEXT,
  actor_id TEXT,
  headers TEXT,
  timestamp INTEGER NOT NULL,
  UNIQUE (stream_id, version)
);
