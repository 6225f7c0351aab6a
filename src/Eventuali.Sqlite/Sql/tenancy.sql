-- The tenant registry of a file-per-tenant directory (DIR/tenants.db). Each section starts with "-- name: <key>".
-- Tenant ids arrive validated and lower-cased (TenantId); they are still passed as parameters.

-- name: schema
CREATE TABLE IF NOT EXISTS tenants (
    id             TEXT PRIMARY KEY,
    created_at     TEXT NOT NULL,
    suspended      INTEGER NOT NULL DEFAULT 0,
    deletion_token TEXT
) STRICT;
-- A tenant's own settings (TenantConfiguration); NULL keeps the factory's default. Added after the first registries,
-- hence its own table (CREATE IF NOT EXISTS upgrades an older registry in place).
CREATE TABLE IF NOT EXISTS tenant_config (
    id                 TEXT PRIMARY KEY,
    max_events_per_day INTEGER,
    max_streams        INTEGER,
    max_bytes          INTEGER,
    durability         TEXT
) STRICT;
CREATE TABLE IF NOT EXISTS tenant_audit (
    seq    INTEGER PRIMARY KEY,
    at     TEXT NOT NULL,
    tenant TEXT NOT NULL,
    action TEXT NOT NULL
) STRICT;

-- Registry migrations, numbered by PRAGMA user_version (0: the tables above as first shipped). Each runs once, in
-- a write transaction that re-reads the version first, so two processes opening an old registry upgrade it once.
-- name: user_version
PRAGMA user_version;

-- 1: a tenant may opt in to cross-tenant analytics (off by default) and names the tier its metrics are grouped by.
-- name: migrate_1
ALTER TABLE tenant_config ADD COLUMN analytics INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tenant_config ADD COLUMN tier TEXT;
PRAGMA user_version = 1;

-- 2: the tenant's retention (max events per stream, max age in seconds), snapshot interval and encryption (on, off).
-- name: migrate_2
ALTER TABLE tenant_config ADD COLUMN retention_max_count INTEGER;
ALTER TABLE tenant_config ADD COLUMN retention_max_age_seconds INTEGER;
ALTER TABLE tenant_config ADD COLUMN snapshot_every INTEGER;
ALTER TABLE tenant_config ADD COLUMN encryption TEXT;
PRAGMA user_version = 2;

-- name: insert
INSERT INTO tenants (id, created_at) VALUES ($id, $at) ON CONFLICT (id) DO NOTHING;

-- name: get
SELECT id, created_at, suspended, deletion_token FROM tenants WHERE id = $id;

-- name: list
SELECT id, created_at, suspended, deletion_token FROM tenants ORDER BY id;

-- Resuming clears a requested deletion: the undo of the first step.
-- name: set_suspended
UPDATE tenants SET suspended = $suspended, deletion_token = CASE WHEN $suspended = 1 THEN deletion_token END WHERE id = $id;

-- name: request_deletion
UPDATE tenants SET suspended = 1, deletion_token = coalesce(deletion_token, $token) WHERE id = $id;

-- name: delete
DELETE FROM tenant_config WHERE id = $id;
DELETE FROM tenants WHERE id = $id;

-- name: get_config
SELECT max_events_per_day, max_streams, max_bytes, durability, analytics, tier,
       retention_max_count, retention_max_age_seconds, snapshot_every, encryption
  FROM tenant_config WHERE id = $id;

-- name: set_config
INSERT INTO tenant_config (id, max_events_per_day, max_streams, max_bytes, durability, analytics, tier,
                           retention_max_count, retention_max_age_seconds, snapshot_every, encryption)
VALUES ($id, $max_events_per_day, $max_streams, $max_bytes, $durability, $analytics, $tier,
        $retention_max_count, $retention_max_age_seconds, $snapshot_every, $encryption)
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

-- name: audit
INSERT INTO tenant_audit (at, tenant, action) VALUES ($at, $tenant, $action);

-- name: read_audit
SELECT at, tenant, action FROM tenant_audit ORDER BY seq;
