-- Statements of the schema migration runner, one per "-- name:" section.

-- name: schema_state
-- The open fast path in one statement: the schema version with every recorded checksum. Fails with
-- "no such table" on a store without meta or history, which the caller then classifies slowly.
SELECT m.value, h.version, h.checksum
  FROM eventuali_meta m LEFT JOIN eventuali_migrations h ON 1 = 1
 WHERE m.key = 'schema_version'
 ORDER BY h.version;

-- name: tables
SELECT count(*), coalesce(sum(name = 'eventuali_meta'), 0), coalesce(sum(name = 'eventuali_migrations'), 0)
  FROM sqlite_master WHERE type = 'table';

-- name: history_read
SELECT version, name, checksum, applied_at, execution_ms FROM eventuali_migrations ORDER BY version;

-- name: history_create
-- The migration history: one row per applied migration, written in the migration's own transaction.
CREATE TABLE IF NOT EXISTS eventuali_migrations (
  version INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  checksum TEXT NOT NULL,
  applied_at TEXT NOT NULL,
  execution_ms INTEGER NOT NULL
);

-- name: history_insert
INSERT INTO eventuali_migrations (version, name, checksum, applied_at, execution_ms) VALUES (?1, ?2, ?3, ?4, ?5);
