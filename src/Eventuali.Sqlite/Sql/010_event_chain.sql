-- The tamper-evident log (see docs/security.md). One entry per sealed event, keyed by its global position:
-- chain_hash = SHA-256(previous chain_hash || canonical encoding of the event as stored); 32 zero bytes before the first.
-- removed = 1: a lifecycle operation (hard delete, tombstone, truncate) removed the event; the entry stays so the
-- chain still links. Entries are only appended, in position order, by the sealer.
CREATE TABLE event_chain (
  position INTEGER PRIMARY KEY,
  chain_hash BLOB NOT NULL,
  removed INTEGER NOT NULL DEFAULT 0
);

-- Signed checkpoints: the chain hash at a position, signed (ECDSA P-256, P1363) with the key named by key_id.
-- created_at: microseconds since the Unix epoch (UTC).
CREATE TABLE chain_checkpoints (
  position INTEGER PRIMARY KEY,
  chain_hash BLOB NOT NULL,
  created_at INTEGER NOT NULL,
  key_id TEXT NOT NULL,
  signature BLOB NOT NULL
);
