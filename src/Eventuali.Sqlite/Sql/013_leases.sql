-- Eventuali SQLite schema, version 13: one lease table for every singleton worker (async projections, partitions,
-- relays). epoch grows each time the lease changes hands; every commit of the holder checks it (the fence), so a
-- holder that lost the lease (paused past its expiry) cannot commit after another took over. Times are Unix
-- microseconds of the nodes' clock (one machine shares the file).
CREATE TABLE IF NOT EXISTS leases (
  name TEXT PRIMARY KEY,
  owner TEXT,
  epoch INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  acquired_at INTEGER NOT NULL,
  renewed_at INTEGER NOT NULL
) WITHOUT ROWID;
