-- Eventuali SQLite schema, version 13: the message ids each inbox has handled, recorded in the transaction of
-- the handler's writes so a redelivered message is a no-op. handled_at: microseconds since the Unix epoch (UTC).
CREATE TABLE inbox (
  inbox TEXT NOT NULL,
  message_id TEXT NOT NULL,
  handled_at INTEGER NOT NULL,
  PRIMARY KEY (inbox, message_id)
) WITHOUT ROWID;
