-- Eventuali schema migration 9: envelope encryption. Wrapped data keys only (never a key in the clear), the
-- subjects erased, which streams hold data about which subject, and the store's stable id, which is bound into
-- every wrapped key and ciphertext so neither can be moved to another store.
-- uses: encryptions reserved under the key version so far, across every process.
CREATE TABLE IF NOT EXISTS __SCHEMA__.store_identity (
  name text COLLATE "C" PRIMARY KEY,
  value text NOT NULL
);

INSERT INTO __SCHEMA__.store_identity (name, value)
VALUES ('store_id', md5(random()::text || clock_timestamp()::text || pg_backend_pid()::text))
ON CONFLICT (name) DO NOTHING;

CREATE TABLE IF NOT EXISTS __SCHEMA__.data_keys (
  subject text COLLATE "C" NOT NULL,
  version integer NOT NULL CHECK (version > 0),
  kek_id text NOT NULL,
  wrapped bytea NOT NULL,
  created timestamptz NOT NULL,
  uses bigint NOT NULL,
  CONSTRAINT data_keys_pkey PRIMARY KEY (subject, version)
);

CREATE TABLE IF NOT EXISTS __SCHEMA__.erased_subjects (
  subject text COLLATE "C" PRIMARY KEY,
  erased_at timestamptz NOT NULL
);

CREATE TABLE IF NOT EXISTS __SCHEMA__.subject_streams (
  subject text COLLATE "C" NOT NULL,
  stream_id text COLLATE "C" NOT NULL,
  CONSTRAINT subject_streams_pkey PRIMARY KEY (subject, stream_id)
);

CREATE INDEX IF NOT EXISTS subject_streams_by_stream ON __SCHEMA__.subject_streams (stream_id, subject);
