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
-- The registry's own version: the migrate_N sections below it has run (a registry made before it is version 1).
CREATE TABLE IF NOT EXISTS __SCHEMA__.tenant_registry (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  version   integer NOT NULL
);
INSERT INTO __SCHEMA__.tenant_registry (version) VALUES (1) ON CONFLICT (singleton) DO NOTHING;

-- name: registry_version
SELECT version FROM __SCHEMA__.tenant_registry;

-- name: set_registry_version
UPDATE __SCHEMA__.tenant_registry SET version = $1;

-- Version 2: the cross-tenant analytics opt-in, the role granted SELECT for it, and the metrics tier.
-- IF NOT EXISTS: a crash after the change but before the version was written is finished by running it again.
-- name: migrate_2
ALTER TABLE __SCHEMA__.tenant_config
  ADD COLUMN IF NOT EXISTS analytics boolean NOT NULL DEFAULT false,
  ADD COLUMN IF NOT EXISTS analytics_role text,
  ADD COLUMN IF NOT EXISTS tier text;

-- Version 3: the tenant's retention (max events per stream, max age in seconds), snapshot interval and encryption.
-- name: migrate_3
ALTER TABLE __SCHEMA__.tenant_config
  ADD COLUMN IF NOT EXISTS retention_max_count integer,
  ADD COLUMN IF NOT EXISTS retention_max_age_seconds bigint,
  ADD COLUMN IF NOT EXISTS snapshot_every integer,
  ADD COLUMN IF NOT EXISTS encryption text;

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
SELECT max_events_per_day, max_streams, max_bytes, durability, analytics, tier, analytics_role,
       retention_max_count, retention_max_age_seconds, snapshot_every, encryption
  FROM __SCHEMA__.tenant_config WHERE id = $1;

-- analytics_role is kept as it was: only the grant and revoke below change it.
-- name: set_config
INSERT INTO __SCHEMA__.tenant_config (id, max_events_per_day, max_streams, max_bytes, durability, analytics, tier,
                                      retention_max_count, retention_max_age_seconds, snapshot_every, encryption)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
ON CONFLICT (id) DO UPDATE SET
  max_events_per_day = excluded.max_events_per_day,
  max_streams = excluded.max_streams,
  max_bytes = excluded.max_bytes,
  durability = excluded.durability,
  analytics = excluded.analytics,
  tier = excluded.tier,
  retention_max_count = excluded.retention_max_count,
  retention_max_age_seconds = excluded.retention_max_age_seconds,
  snapshot_every = excluded.snapshot_every,
  encryption = excluded.encryption;

-- The role that now holds SELECT on the tenant's schema for cross-tenant analytics (NULL: none).
-- name: set_analytics_role
UPDATE __SCHEMA__.tenant_config SET analytics_role = $2 WHERE id = $1;

-- Whether a role exists ($1: its name); granting to a missing one is refused with a clear message.
-- name: role_exists
SELECT EXISTS (SELECT FROM pg_roles WHERE rolname = $1);

-- What the analytics reader may read of an opted-in tenant: its schema, its events and its usage; nothing else.
-- __ROLE__ is the quoted analytics role, checked against the role rules before it gets here.
-- name: grant_analytics
GRANT USAGE ON SCHEMA __TENANT_SCHEMA__ TO __ROLE__;
GRANT SELECT ON __TENANT_SCHEMA__.events, __TENANT_SCHEMA__.tenant_usage TO __ROLE__;

-- name: revoke_analytics
REVOKE SELECT ON __TENANT_SCHEMA__.events, __TENANT_SCHEMA__.tenant_usage FROM __ROLE__;
REVOKE USAGE ON SCHEMA __TENANT_SCHEMA__ FROM __ROLE__;

-- name: audit
INSERT INTO __SCHEMA__.tenant_audit (at, tenant, action) VALUES ($1, $2, $3);

-- name: read_audit
SELECT at, tenant, action FROM __SCHEMA__.tenant_audit ORDER BY seq;
