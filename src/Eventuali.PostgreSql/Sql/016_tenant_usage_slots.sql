-- Eventuali schema migration 16: a tenant's usage of a day may span several rows, one per slot, so that the concurrent
-- group-commit lanes of a tenant's store each add to a row of their own instead of queueing on one row lock until the
-- other lane's commit. Reports and quota checks sum the rows. Existing rows become slot 0. In shared tables the key
-- already leads with tenant_id (the row-level-security conversion), which it keeps.
ALTER TABLE __SCHEMA__.tenant_usage ADD COLUMN IF NOT EXISTS slot smallint NOT NULL DEFAULT 0;
DO $$
DECLARE
  v_name text;
  v_def text;
BEGIN
  SELECT c.conname, pg_get_constraintdef(c.oid) INTO v_name, v_def
    FROM pg_constraint c WHERE c.conrelid = '__SCHEMA__.tenant_usage'::regclass AND c.contype = 'p';
  IF v_def NOT LIKE '%slot%' THEN
    EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', '__SCHEMA__.tenant_usage', v_name);
    EXECUTE format('ALTER TABLE %s ADD CONSTRAINT %I %s', '__SCHEMA__.tenant_usage', v_name, regexp_replace(v_def, '\)$', ', slot)'));
  END IF;
END
$$;
