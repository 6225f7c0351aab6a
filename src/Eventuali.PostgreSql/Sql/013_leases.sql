-- Eventuali schema migration 13: one lease table for every singleton worker (async projections, partitions, relays).
-- epoch grows each time the lease changes hands; every commit of the holder checks it (the fence), so a holder that
-- lost the lease (killed, paused, cut off) cannot commit after another took over. Times are the server's clock, so
-- the nodes' clocks do not matter. holder_pid is the backend of the holder's keep-alive connection: when that
-- backend is gone the holder is dead and the lease is free before it expires.
CREATE TABLE IF NOT EXISTS __SCHEMA__.leases (
  name text COLLATE "C" PRIMARY KEY,
  owner text,
  epoch bigint NOT NULL,
  expires_at timestamptz NOT NULL,
  holder_pid integer,
  acquired_at timestamptz NOT NULL,
  renewed_at timestamptz NOT NULL
);
