-- Eventuali SQLite schema, version 1. Runs inside one transaction with the meta rows,
-- so a store is either fully created or not at all.
CREATE TABLE eventuali_meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE streams (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE
);

-- position: AUTOINCREMENT rowid, never reused; with one writer at a time (BEGIN IMMEDIATE)
-- rowid order is commit order. The stream version is derived from this table only.
-- data has no declared type: JSON is stored as TEXT (json_extract works), other payloads as BLOB.
-- content_type is NULL for application/json.
CREATE TABLE events (
  position INTEGER PRIMARY KEY AUTOINCREMENT,
  stream_id INTEGER NOT NULL REFERENCES streams (id),
  version INTEGER NOT NULL,
  event_id BLOB NOT NULL UNIQUE,
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
