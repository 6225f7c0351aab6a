-- Eventuali SQLite schema, version 3: projections. One row per projection (position, state, owner,
-- rebuild request), the built-in read model (key to JSON document) and parked (dead-letter) events.
CREATE TABLE IF NOT EXISTS projection_state (
  name TEXT PRIMARY KEY,
  position INTEGER NOT NULL DEFAULT 0,
  state TEXT NOT NULL,
  error TEXT,
  owner TEXT,
  -- The head recorded when a rebuild began; events up to it are replays.
  rebuild_target INTEGER,
  -- A rebuild asked for and not yet honoured by the daemon; request_seq tells requests apart.
  requested_from INTEGER,
  request_seq INTEGER NOT NULL DEFAULT 0,
  updated_at INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS projection_documents (
  projection TEXT NOT NULL,
  key TEXT NOT NULL,
  data TEXT NOT NULL,
  PRIMARY KEY (projection, key)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS projection_dead_letters (
  id INTEGER PRIMARY KEY,
  projection TEXT NOT NULL,
  position INTEGER NOT NULL,
  stream_id TEXT NOT NULL,
  stream_version INTEGER NOT NULL,
  event_id BLOB NOT NULL,
  event_type TEXT NOT NULL,
  error TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  parked_at INTEGER NOT NULL
);

CREATE INDEX IF NOT EXISTS projection_dead_letters_by_projection ON projection_dead_letters (projection, position);
