-- The tenant registry of ?tenancy=schema, in the base schema (__SCHEMA__). Each section starts with "-- name: <key>".
-- Tenant ids arrive validated and lower-cased (TenantId); they are still passed as parameters. __TENANT_SCHEMA__ is
-- the tenant's schema, a quoted identifier derived from the validated id only (identifiers cannot be parameters).

-- Serialises registry set-up across processes (CREATE ... IF NOT EXISTS races on the catalogs otherwise).
-- name: setup_lock
SELECT pg_advisory_xact_lock(hashtextextended('eventuali-tenancy:' || $1, 0));

-- name: setup
CREATE SCHEMA IF NOT EXISTS __SCHEMA__;
CREATE TABLE IF NOT EXISTS __SCHEMA__.tenants (
  id             text PRIMARY KEY,
  created_at     timestamptz NOT NULL,
  suspended      boolean NOT NULL DEFAULT false,
  deletion_token text
);
-- A tenant's own settings (TenantConfiguration); NULL keeps the factory's default.
CREATE TABLE IF NOT EXISTS __SCHEMA__.tenant_config (
  id                 text PRIMARY KEY,
  max_events_per_day bigint,
  max_streams        bigint,
  max_bytes          bigint,
  durability         text
);
CREATE TABLE IF NOT EXISTS __SCHEMA__.tenant_audit (
  seq    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at     timestamptz NOT NULL,
  tenant text NOT NULL,
  action text NOT NULL
);

-- Whether the registry exists ($1: the quoted base schema and .tenants).
-- name: exists
SELECT to_regclass($1) IS NOT NULL;

-- name: insert
INSERT INTO __SCHEMA__.tenants (id, created_at) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING;

-- name: get
SELECT id, created_at, suspended, deletion_token FROM __SCHEMA__.tenants WHERE id = $1;

-- The row locked: a read-then-write (request deletion, purge) must not race another process doing the same.
-- name: get_for_update
SELECT id, created_at, suspended, deletion_token FROM __SCHEMA__.tenants WHERE id = $1 FOR UPDATE;

-- name: list
SELECT id, created_at, suspended, deletion_token FROM __SCHEMA__.tenants ORDER BY id;

-- Resuming clears a requested deletion: the undo of the first step.
-- name: set_suspended
UPDATE __SCHEMA__.tenants SET suspended = $2, deletion_token = CASE WHEN $2 THEN deletion_token END WHERE id = $1;

-- name: request_deletion
UPDATE __SCHEMA__.tenants SET suspended = true, deletion_token = coalesce(deletion_token, $2) WHERE id = $1;

-- The tenant's schema goes in the same transaction as its row: a crash leaves both or neither.
-- name: drop_tenant_schema
DROP SCHEMA IF EXISTS __TENANT_SCHEMA__ CASCADE;

-- name: delete_config
DELETE FROM __SCHEMA__.tenant_config WHERE id = $1;

-- name: delete
DELETE FROM __SCHEMA__.tenants WHERE id = $1;

-- name: get_config
SELECT max_events_per_day, max_streams, max_bytes, durability FROM __SCHEMA__.tenant_config WHERE id = $1;

-- name: set_config
INSERT INTO __SCHEMA__.tenant_config (id, max_events_per_day, max_streams, max_bytes, durability)
VALUES ($1, $2, $3, $4, $5)
ON CONFLICT (id) DO UPDATE SET
  max_events_per_day = excluded.max_events_per_day,
  max_streams = excluded.max_streams,
  max_bytes = excluded.max_bytes,
  durability = excluded.durability;

-- name: audit
INSERT INTO __SCHEMA__.tenant_audit (at, tenant, action) VALUES ($1, $2, $3);

-- name: read_audit
SELECT at, tenant, action FROM __SCHEMA__.tenant_audit ORDER BY seq;
