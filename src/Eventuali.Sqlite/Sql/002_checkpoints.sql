-- Eventuali SQLite schema, version 2: named subscription checkpoints, in the same file as the events
-- so a consumer that writes its read model here can save both in one place.
-- position: a global-log position, or a stream version for a subscription to one stream.
-- updated_at: microseconds since the Unix epoch (UTC), from the store's TimeProvider.
CREATE TABLE checkpoints (
  name TEXT PRIMARY KEY,
  position INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) WITHOUT ROWID;
