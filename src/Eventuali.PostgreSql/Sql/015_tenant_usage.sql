-- Eventuali schema migration 15: a tenant's metered usage, one row per UTC day (days since 1970-01-01). The same
-- table as SQLite's; the PostgreSQL tenancy modes fill it in the append transaction once they are built.
CREATE TABLE IF NOT EXISTS __SCHEMA__.tenant_usage (
  day integer PRIMARY KEY,
  events bigint NOT NULL DEFAULT 0,
  bytes bigint NOT NULL DEFAULT 0,
  streams bigint NOT NULL DEFAULT 0,
  reads bigint NOT NULL DEFAULT 0
);
