-- Eventuali schema migration 4: saga state and scheduled saga timeouts. __SCHEMA__ is the quoted schema name.
-- version: optimistic concurrency of each instance. last_position: the last event the instance handled.
-- outbox: appends decided but not yet confirmed written (runner-private JSON), NULL when none.
CREATE TABLE IF NOT EXISTS __SCHEMA__.saga_states (
  saga_name text COLLATE "C" NOT NULL,
  saga_id text COLLATE "C" NOT NULL,
  version bigint NOT NULL CHECK (version > 0),
  state text NOT NULL,
  last_position bigint NOT NULL,
  completed boolean NOT NULL,
  outbox text,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (saga_name, saga_id)
);

CREATE TABLE IF NOT EXISTS __SCHEMA__.saga_timeouts (
  saga_name text COLLATE "C" NOT NULL,
  saga_id text COLLATE "C" NOT NULL,
  timeout_key text COLLATE "C" NOT NULL,
  timeout_id uuid NOT NULL,
  due_at timestamptz NOT NULL,
  data text,
  PRIMARY KEY (saga_name, saga_id, timeout_key)
);

-- The runner asks for the earliest due timeouts of one saga.
CREATE INDEX IF NOT EXISTS saga_timeouts_due ON __SCHEMA__.saga_timeouts (saga_name, due_at);
