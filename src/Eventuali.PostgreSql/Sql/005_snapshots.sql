-- Eventuali schema migration 5: aggregate snapshots, next to the events they summarise.
-- stream is the stream name: a load checks (version, position) against the events and ignores a
-- snapshot whose event is gone, so no key ties snapshots to stream rows.
-- codec: 0 none, 1 LZ4, 2 Zstandard. checksum: XxHash64 of data as stored.
CREATE TABLE IF NOT EXISTS __SCHEMA__.snapshots (
  stream text COLLATE "C" NOT NULL,
  version bigint NOT NULL CHECK (version > 0),
  position bigint NOT NULL,
  aggregate_type text NOT NULL,
  schema_version integer NOT NULL,
  codec smallint NOT NULL,
  checksum bigint NOT NULL,
  data bytea NOT NULL,
  created timestamptz NOT NULL,
  CONSTRAINT snapshots_pkey PRIMARY KEY (stream, version)
);

-- Snapshot data is usually compressed already; keep TOAST from compressing it again.
ALTER TABLE __SCHEMA__.snapshots ALTER COLUMN data SET STORAGE EXTERNAL;
