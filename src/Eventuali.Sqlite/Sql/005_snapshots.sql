-- Eventuali SQLite schema migration 5: aggregate snapshots, next to the events they summarise.
-- stream is the stream name (not a key into streams) so snapshots outlive nothing by accident:
-- a load checks (version, position) against the events and ignores a snapshot whose event is gone.
-- codec: 0 none, 1 LZ4, 2 Zstandard. checksum: XxHash64 of data as stored. created: Unix microseconds.
CREATE TABLE snapshots (
  stream TEXT NOT NULL,
  version INTEGER NOT NULL,
  position INTEGER NOT NULL,
  aggregate_type TEXT NOT NULL,
  schema_version INTEGER NOT NULL,
  codec INTEGER NOT NULL,
  checksum INTEGER NOT NULL,
  data BLOB NOT NULL,
  created INTEGER NOT NULL,
  PRIMARY KEY (stream, version)
) WITHOUT ROWID;
