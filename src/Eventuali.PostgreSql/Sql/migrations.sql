-- Statements of the schema migration runner, one per "-- name:" section. __SCHEMA__ is the quoted schema name.

-- name: schema_state
-- The open fast path in one statement: the schema version with every recorded checksum. Fails with
-- undefined_table on a schema without meta or history, which the caller then classifies slowly.
SELECT m.schema_version, h.version, h.checksum
  FROM __SCHEMA__.meta m LEFT JOIN __SCHEMA__.migrations h ON true
 ORDER BY h.version

-- name: tables
-- A query on the catalog tables, not to_regclass: locking pg_class makes this backend process the catalog
-- changes other nodes committed while it waited for the advisory lock (a cached "no such table" would be stale).
SELECT coalesce(bool_or(c.relname = 'meta'), false), coalesce(bool_or(c.relname = 'migrations'), false)
  FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = $1 AND c.relname IN ('meta', 'migrations') AND c.relkind IN ('r', 'p')

-- name: history_read
SELECT version, name, checksum, applied_at, execution_ms FROM __SCHEMA__.migrations ORDER BY version

-- name: history_create
-- The migration history: one row per applied migration, written in the migration's own transaction.
CREATE TABLE IF NOT EXISTS __SCHEMA__.migrations (
  version integer PRIMARY KEY,
  name text NOT NULL,
  checksum text NOT NULL,
  applied_at timestamptz NOT NULL,
  execution_ms bigint NOT NULL
)

-- name: history_insert
INSERT INTO __SCHEMA__.migrations (version, name, checksum, applied_at, execution_ms) VALUES ($1, $2, $3, $4, $5)

-- name: meta_version
SELECT schema_version FROM __SCHEMA__.meta
