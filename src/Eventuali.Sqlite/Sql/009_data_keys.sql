-- Eventuali SQLite schema, version 9: envelope encryption. Wrapped data keys only (never a key in the clear),
-- the subjects erased, which streams hold data about which subject, and the store's stable id, which is bound
-- into every wrapped key and ciphertext so neither can be moved to another store.
-- created_at / erased_at: microseconds since the Unix epoch (UTC), from the store's TimeProvider.
-- uses: encryptions reserved under the key version so far, across every process.
CREATE TABLE store_identity (
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;

INSERT INTO store_identity (name, value) VALUES ('store_id', lower(hex(randomblob(16))));

CREATE TABLE data_keys (
  subject TEXT NOT NULL,
  version INTEGER NOT NULL,
  kek_id TEXT NOT NULL,
  wrapped BLOB NOT NULL,
  created_at INTEGER NOT NULL,
  uses INTEGER NOT NULL,
  PRIMARY KEY (subject, version)
) WITHOUT ROWID;

CREATE TABLE erased_subjects (
  subject TEXT PRIMARY KEY,
  erased_at INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE subject_streams (
  subject TEXT NOT NULL,
  stream_id TEXT NOT NULL,
  PRIMARY KEY (subject, stream_id)
) WITHOUT ROWID;

CREATE INDEX subject_streams_by_stream ON subject_streams (stream_id, subject);
