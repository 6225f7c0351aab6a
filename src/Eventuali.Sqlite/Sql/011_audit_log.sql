-- The access audit log (see docs/audit-log.md): one row per audited operation, append-only and hash-chained:
-- hash = SHA-256(previous_hash || canonical encoding of the entry); previous_hash of position 1 is 32 zero bytes.
-- recorded_at: microseconds since the Unix epoch (UTC). action: 1 append, 2 read, 3 erase, 4 admin.
-- outcome: 1 succeeded, 2 failed (error_type is the exception's type name, never its message).
-- No payload, header or metadata value is ever stored here.
CREATE TABLE audit_log (
  position INTEGER PRIMARY KEY,
  recorded_at INTEGER NOT NULL,
  actor TEXT NOT NULL,
  action INTEGER NOT NULL,
  operation TEXT NOT NULL,
  stream_id TEXT,
  outcome INTEGER NOT NULL,
  error_type TEXT,
  event_count INTEGER NOT NULL,
  previous_hash BLOB NOT NULL,
  hash BLOB NOT NULL
);

-- The store only ever inserts; anything else is refused (the chain still catches whoever drops these first).
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
