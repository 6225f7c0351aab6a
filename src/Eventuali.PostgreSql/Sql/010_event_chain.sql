-- The tamper-evident log (see docs/security.md). One entry per sealed event, keyed by its global position:
-- chain_hash = SHA-256(previous chain_hash || canonical encoding of the event as stored); 32 zero bytes before the first.
-- removed: a lifecycle operation (hard delete, tombstone, truncate) removed the event; the entry stays so the chain
-- still links. Entries are only appended, in position order, by the sealer (never by the append path).
CREATE TABLE IF NOT EXISTS __SCHEMA__.event_chain (
  position bigint PRIMARY KEY,
  chain_hash bytea NOT NULL,
  removed boolean NOT NULL DEFAULT false
);

-- Signed checkpoints: the chain hash at a position, signed (ECDSA P-256, P1363) with the key named by key_id.
CREATE TABLE IF NOT EXISTS __SCHEMA__.chain_checkpoints (
  position bigint PRIMARY KEY,
  chain_hash bytea NOT NULL,
  created_at timestamptz NOT NULL,
  key_id text NOT NULL,
  signature bytea NOT NULL
);
