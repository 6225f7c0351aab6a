-- Eventuali schema migration 13: the message ids each inbox has handled, recorded in the transaction of the
-- handler's writes so a redelivered message is a no-op.
CREATE TABLE IF NOT EXISTS __SCHEMA__.inbox (
  inbox text COLLATE "C" NOT NULL,
  message_id text COLLATE "C" NOT NULL,
  handled_at timestamptz NOT NULL,
  PRIMARY KEY (inbox, message_id)
);
