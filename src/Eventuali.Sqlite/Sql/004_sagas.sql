-- Eventuali SQLite schema migration 4: saga state and scheduled saga timeouts.
-- version: optimistic concurrency of each instance. last_position: the last event the instance handled.
-- outbox: appends decided but not yet confirmed written (JSON), NULL when none. Times are Unix microseconds.
-- IF NOT EXISTS: re-running it over a file that has the tables (a rewound schema_version) changes nothing.
CREATE TABLE IF NOT EXISTS saga_states (
  saga_name TEXT NOT NULL,
  saga_id TEXT NOT NULL,
  version INTEGER NOT NULL,
  state TEXT NOT NULL,
  last_position INTEGER NOT NULL,
  completed INTEGER NOT NULL,
  outbox TEXT,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (saga_name, saga_id)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS saga_timeouts (
  saga_name TEXT NOT NULL,
  saga_id TEXT NOT NULL,
  timeout_key TEXT NOT NULL,
  timeout_id BLOB NOT NULL,
  due_at INTEGER NOT NULL,
  data TEXT,
  PRIMARY KEY (saga_name, saga_id, timeout_key)
) WITHOUT ROWID;

-- The runner asks for the earliest due timeouts of one saga.
CREATE INDEX IF NOT EXISTS saga_timeouts_due ON saga_timeouts (saga_name, due_at);
