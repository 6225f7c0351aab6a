-- Shared tables with row-level security (?tenancy=rls), in the base schema (__SCHEMA__). Each section starts with
-- "-- name: <key>". Run by the owner role, except use_tenant, role_check and verify, which the application role runs.
-- Identifiers come from the catalog or the validated schema name; every value is a parameter.

-- The tenant of the current transaction: set_config(..., true) ends with the transaction, so a pooled connection (or
-- PgBouncer in transaction mode) never carries it to the next user. A procedure, so that a CALL leading a batch adds no
-- result set; PL/pgSQL, whose statement plan is kept per connection (a SQL-language body is planned on every call,
-- which cost as much as the call's own work on every statement of a tenant's store).
-- name: use_tenant_create
CREATE OR REPLACE PROCEDURE __SCHEMA__.use_tenant(p_tenant text) LANGUAGE plpgsql AS $$
BEGIN
  PERFORM set_config('eventuali.tenant', p_tenant, true);
END
$$;

-- name: use_tenant
CALL __SCHEMA__.use_tenant($1);

-- A key as shared tables keep it ($1: a constraint's or an index's definition, with or without tenant_id): a key led
-- by a global id (a stream's numeric id, an event id) takes tenant_id last, so that each step down the index compares
-- a number or a uuid first; it is still in the key, so the key is unique per tenant. Every other key is led by it, so
-- that one tenant's rows are one range of the index. A definition already in that form comes back unchanged.
-- name: key_create
CREATE OR REPLACE FUNCTION __SCHEMA__.eventuali_rls_key(p_def text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN d ~ ' \((stream_id|event_id)[,)]' THEN regexp_replace(d, ' \(([^)]*)\)', ' (\1, tenant_id)')
              ELSE regexp_replace(d, ' \(', ' (tenant_id, ') END
    FROM (SELECT regexp_replace(regexp_replace(p_def, '\(tenant_id, ', '('), ', tenant_id\)', ')') AS d) AS bare;
$$;

-- The conversion: idempotent (a column or key already in form is left alone; policies and grants are re-made), so a
-- crash part-way and a later migration that adds a table are both finished by running it again. The function is
-- dropped at once: nothing the application role may execute can alter tables.
-- name: convert_create
CREATE OR REPLACE FUNCTION __SCHEMA__.eventuali_rls_convert(p_schema text, p_app text) RETURNS void LANGUAGE plpgsql AS $fn$
DECLARE
  t record;
  k record;
  v_key text;
  -- The transaction's tenant; NULL when unset or empty (a custom setting reads '' on a session after the transaction
  -- that set it ended): then no row matches and no row can be written.
  v_tenant constant text := format('nullif(current_setting(%L, true), %L)', 'eventuali.tenant', '');
BEGIN
  EXECUTE format('GRANT USAGE ON SCHEMA %I TO %I', p_schema, p_app);
  FOR t IN SELECT c.oid, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = p_schema AND c.relkind IN ('r', 'p') ORDER BY c.relname LOOP
    EXECUTE format('ALTER TABLE %I.%I ENABLE ROW LEVEL SECURITY', p_schema, t.relname);
    EXECUTE format('ALTER TABLE %I.%I FORCE ROW LEVEL SECURITY', p_schema, t.relname);
    EXECUTE format('DROP POLICY IF EXISTS eventuali_tenant ON %I.%I', p_schema, t.relname);
    EXECUTE format('DROP POLICY IF EXISTS eventuali_owner ON %I.%I', p_schema, t.relname);
    EXECUTE format('DROP POLICY IF EXISTS eventuali_read ON %I.%I', p_schema, t.relname);
    EXECUTE format('REVOKE ALL ON %I.%I FROM %I', p_schema, t.relname, p_app);
    IF t.relname IN ('meta', 'migrations', 'tenant_registry') THEN
      -- Schema metadata (and the registry's version), no tenant's data: every role reads it (the append reads the position
      -- offset), the owner writes.
      EXECUTE format('CREATE POLICY eventuali_read ON %I.%I FOR SELECT USING (true)', p_schema, t.relname);
      EXECUTE format('CREATE POLICY eventuali_owner ON %I.%I TO %I USING (true) WITH CHECK (true)', p_schema, t.relname, current_user);
      EXECUTE format('GRANT SELECT ON %I.%I TO %I', p_schema, t.relname, p_app);
      CONTINUE;
    END IF;

    IF t.relname IN ('tenants', 'tenant_config', 'tenant_audit') THEN
      -- The registry: the owner administers every tenant; the application reads its own tenant's row only.
      v_key := CASE t.relname WHEN 'tenant_audit' THEN 'tenant' ELSE 'id' END;
      EXECUTE format('CREATE POLICY eventuali_owner ON %I.%I TO %I USING (true) WITH CHECK (true)', p_schema, t.relname, current_user);
      EXECUTE format('CREATE POLICY eventuali_tenant ON %I.%I FOR SELECT USING (%I = %s)', p_schema, t.relname, v_key, v_tenant);
      IF t.relname <> 'tenant_audit' THEN
        EXECUTE format('GRANT SELECT ON %I.%I TO %I', p_schema, t.relname, p_app);
      END IF;
      CONTINUE;
    END IF;

    IF NOT EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = t.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped) THEN
      -- Rows from before the conversion get the empty tenant, which no tenant id can be: kept, and seen by nobody.
      -- Bytewise order: every key compares tenant_id, and a collation's comparison costs a tenth of an append.
      EXECUTE format('ALTER TABLE %I.%I ADD COLUMN tenant_id text COLLATE "C" NOT NULL DEFAULT %L', p_schema, t.relname, '');
    ELSIF EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = t.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped
                     AND a.attcollation <> 'pg_catalog."C"'::regcollation) THEN
      -- Converted by an earlier release, which compared tenant_id by the database's collation.
      EXECUTE format('ALTER TABLE %I.%I ALTER COLUMN tenant_id TYPE text COLLATE "C"', p_schema, t.relname);
    END IF;

    -- Every key as shared tables keep it: a new table's keys get tenant_id, an earlier release's tenant-led keys of a
    -- global id are rebuilt, keys already in form are left alone.
    FOR k IN SELECT con.conname, pg_get_constraintdef(con.oid) AS def FROM pg_constraint con
              WHERE con.conrelid = t.oid AND con.contype IN ('p', 'u') ORDER BY con.contype LOOP
      IF __SCHEMA__.eventuali_rls_key(k.def) <> k.def THEN
        EXECUTE format('ALTER TABLE %I.%I DROP CONSTRAINT %I', p_schema, t.relname, k.conname);
        EXECUTE format('ALTER TABLE %I.%I ADD CONSTRAINT %I %s', p_schema, t.relname, k.conname, __SCHEMA__.eventuali_rls_key(k.def));
      END IF;
    END LOOP;
    FOR k IN SELECT ic.relname, pg_get_indexdef(ix.indexrelid) AS def FROM pg_index ix JOIN pg_class ic ON ic.oid = ix.indexrelid
              WHERE ix.indrelid = t.oid AND NOT EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conindid = ix.indexrelid) LOOP
      IF __SCHEMA__.eventuali_rls_key(k.def) <> k.def THEN
        EXECUTE format('DROP INDEX %I.%I', p_schema, k.relname);
        EXECUTE __SCHEMA__.eventuali_rls_key(k.def);
      END IF;
    END LOOP;

    -- Unset (or empty, as a setting reads on a session where one ended), the default is NULL: a row written
    -- without a tenant is refused by NOT NULL, never given one.
    EXECUTE format('ALTER TABLE %I.%I ALTER COLUMN tenant_id SET DEFAULT %s', p_schema, t.relname, v_tenant);
    EXECUTE format('CREATE POLICY eventuali_tenant ON %I.%I USING (tenant_id = %s) WITH CHECK (tenant_id = %s)', p_schema, t.relname, v_tenant, v_tenant);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I.%I TO %I', p_schema, t.relname, p_app);
  END LOOP;

  FOR t IN SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = p_schema AND c.relkind = 'v' LOOP
    EXECUTE format('ALTER VIEW %I.%I SET (security_invoker = true)', p_schema, t.relname);
  END LOOP;
  EXECUTE format('GRANT USAGE ON ALL SEQUENCES IN SCHEMA %I TO %I', p_schema, p_app);
  -- Every routine runs as its caller (none is SECURITY DEFINER); this function is dropped in the same transaction.
  EXECUTE format('GRANT EXECUTE ON ALL ROUTINES IN SCHEMA %I TO %I', p_schema, p_app);
END
$fn$;

-- name: convert_run
SELECT __SCHEMA__.eventuali_rls_convert($1, $2);

-- Serialises set-up across processes (DDL on shared tables).
-- name: convert_lock
SELECT pg_advisory_xact_lock(hashtextextended('eventuali-rls:' || $1, 0));

-- name: convert_drop
DROP FUNCTION __SCHEMA__.eventuali_rls_convert(text, text);

-- name: key_drop
DROP FUNCTION __SCHEMA__.eventuali_rls_key(text);

-- Whether the conversion is complete: every table of the schema forces row-level security.
-- name: converted
SELECT coalesce(bool_and(c.relforcerowsecurity), false)
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = $1 AND c.relkind IN ('r', 'p');

-- The application role's standing ($1: the schema): refused when it is a superuser, bypasses RLS, is or may become
-- the owner of the schema, or owns one of its tables.
-- name: role_check
SELECT r.rolsuper, r.rolbypassrls,
       coalesce((SELECT pg_has_role(current_user, ns.nspowner, 'MEMBER') FROM pg_namespace ns WHERE ns.nspname = $1), false),
       EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = $1 AND pg_has_role(current_user, c.relowner, 'MEMBER')),
       to_regnamespace($1) IS NOT NULL
  FROM pg_roles r WHERE r.rolname = current_user;

-- Before a transaction that ran code other than the store's commits: the tenant and the role are still the ones the
-- store set ($1: the tenant).
-- name: verify
SELECT coalesce(current_setting('eventuali.tenant', true) = $1, false) AND current_user = session_user;

-- A tenant's own row of store_identity (its store id, bound into its wrapped keys), made when the tenant is created.
-- Written single-tenant like every statement: SqlText adds tenant_id to the conflict target.
-- name: provision
INSERT INTO __SCHEMA__.store_identity (name, value)
VALUES ('store_id', md5(random()::text || clock_timestamp()::text || pg_backend_pid()::text))
ON CONFLICT (name) DO NOTHING;

-- The tables that hold tenants' rows (purge deletes the tenant's rows from each; the audit log's append-only trigger
-- is disabled for that, inside the purge's transaction, so no other transaction ever sees it off).
-- name: tenant_tables
SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped
 WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') ORDER BY c.relname;

-- __TABLE__: a quoted table name from tenant_tables.
-- name: purge_rows
DELETE FROM __SCHEMA__.__TABLE__ WHERE tenant_id = $1;

-- name: audit_log_trigger_off
ALTER TABLE __SCHEMA__.audit_log DISABLE TRIGGER audit_log_append_only;

-- name: audit_log_trigger_on
ALTER TABLE __SCHEMA__.audit_log ENABLE TRIGGER audit_log_append_only;

-- A tenant's storage in shared tables: the size of its rows ($1: the schema, unused here, so that the statement takes
-- the same parameter as the schema-size statement it stands in for). Row-level security keeps it to the tenant's rows;
-- the shared tables' total size would tell every tenant how much the whole deployment stores.
-- name: tenant_size
SELECT ((SELECT coalesce(sum(pg_column_size(e.*)), 0) FROM __SCHEMA__.events e)
      + (SELECT coalesce(sum(pg_column_size(a.*)), 0) FROM __SCHEMA__.archived_events a)
      + (SELECT coalesce(sum(pg_column_size(s.*)), 0) FROM __SCHEMA__.snapshots s)
      + (SELECT coalesce(sum(pg_column_size(d.*)), 0) FROM __SCHEMA__.projection_documents d)
      + (SELECT coalesce(sum(pg_column_size(n.*)), 0) FROM __SCHEMA__.streams n)
      + (SELECT coalesce(sum(pg_column_size(i.*)), 0) FROM __SCHEMA__.store_identity i))::bigint
 WHERE $1::text IS NOT NULL;
