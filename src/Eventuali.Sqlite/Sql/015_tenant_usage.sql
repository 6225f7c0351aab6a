-- Eventuali SQLite schema, version 15: a tenant's metered usage, one row per UTC day (days since 1970-01-01), kept in
-- the tenant's own file and updated in the append's transaction, so it never drifts from the stored events. Only
-- stores opened as a tenant (?tenancy=file) write it; reads are counted in memory and added with later writes.
CREATE TABLE tenant_usage (
  day INTEGER PRIMARY KEY,
  events INTEGER NOT NULL DEFAULT 0,
  bytes INTEGER NOT NULL DEFAULT 0,
  streams INTEGER NOT NULL DEFAULT 0,
  reads INTEGER NOT NULL DEFAULT 0
);
