-- The access audit log (see docs/audit-log.md): one row per audited operation, append-only and hash-chained:
-- hash = SHA-256(previous_hash || canonical encoding of the entry); previous_hash of position 1 is 32 zero bytes.
-- action: 1 append, 2 read, 3 erase, 4 admin. outcome: 1 succeeded, 2 failed (error_type is the exception's type
-- name, never its message). No payload, header or metadata value is ever stored here.
CREATE TABLE IF NOT EXISTS __SCHEMA__.audit_log (
  position bigint PRIMARY KEY,
  recorded_at timestamptz NOT NULL,
  actor text NOT NULL,
  action smallint NOT NULL,
  operation text NOT NULL,
  stream_id text,
  outcome smallint NOT NULL,
  error_type text,
  event_count bigint NOT NULL,
  previous_hash bytea NOT NULL,
  hash bytea NOT NULL
);

-- The store only ever inserts; anything else is refused (the chain still catches whoever disables this first).
CREATE OR REPLACE FUNCTION __SCHEMA__.audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the audit log is append-only';
END
$$;

DROP TRIGGER IF EXISTS audit_log_append_only ON __SCHEMA__.audit_log;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON __SCHEMA__.audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION __SCHEMA__.audit_log_append_only();
