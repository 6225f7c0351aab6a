-- Eventuali schema migration 3: projections. One row per projection (position, state, owner, rebuild
-- request), the built-in read model (key to JSON document) and parked (dead-letter) events.
CREATE TABLE IF NOT EXISTS __SCHEMA__.projection_state (
  name text COLLATE "C" PRIMARY KEY,
  position bigint NOT NULL DEFAULT 0,
  state text NOT NULL,
  error text,
  owner text,
  -- The head recorded when a rebuild began; events up to it are replays.
  rebuild_target bigint,
  -- A rebuild asked for and not yet honoured by the daemon; request_seq tells requests apart.
  requested_from bigint,
  request_seq bigint NOT NULL DEFAULT 0,
  updated_at timestamptz NOT NULL
);

CREATE TABLE IF NOT EXISTS __SCHEMA__.projection_documents (
  projection text COLLATE "C" NOT NULL,
  key text COLLATE "C" NOT NULL,
  data jsonb NOT NULL,
  PRIMARY KEY (projection, key)
);

CREATE TABLE IF NOT EXISTS __SCHEMA__.projection_dead_letters (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  projection text COLLATE "C" NOT NULL,
  position bigint NOT NULL,
  stream_id text NOT NULL,
  stream_version bigint NOT NULL,
  event_id uuid NOT NULL,
  event_type text NOT NULL,
  error text NOT NULL,
  attempts integer NOT NULL,
  parked_at timestamptz NOT NULL
);

CREATE INDEX IF NOT EXISTS projection_dead_letters_by_projection ON __SCHEMA__.projection_dead_letters (projection, position);
