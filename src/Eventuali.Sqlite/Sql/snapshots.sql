-- Snapshot and time-travel statements. Each section starts with "-- name: <key>"; ?N bound by index.

-- name: snapshot_upsert
INSERT INTO snapshots (stream, version, position, aggregate_type, schema_version, codec, checksum, data, created)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
ON CONFLICT (stream, version) DO UPDATE SET
  position = excluded.position, aggregate_type = excluded.aggregate_type, schema_version = excluded.schema_version,
  codec = excluded.codec, checksum = excluded.checksum, data = excluded.data, created = excluded.created;

-- name: snapshot_latest
SELECT version, position, aggregate_type, schema_version, codec, checksum, created, data
FROM snapshots WHERE stream = ?1 AND version <= ?2 ORDER BY version DESC LIMIT 1;

-- A page of a listing, newest first, below version ?2.
-- name: snapshot_list
SELECT version, position, aggregate_type, schema_version, codec, checksum, created, length(data)
FROM snapshots WHERE stream = ?1 AND version < ?2 ORDER BY version DESC LIMIT ?3;

-- name: snapshot_prune
DELETE FROM snapshots
WHERE stream = ?1 AND version NOT IN (SELECT version FROM snapshots WHERE stream = ?1 ORDER BY version DESC LIMIT ?2);

-- name: version_at_time
SELECT coalesce(max(version), 0) FROM events
WHERE stream_id = (SELECT id FROM streams WHERE name = ?1) AND timestamp <= ?2;

-- name: version_at_position
SELECT coalesce(max(version), 0) FROM events
WHERE stream_id = (SELECT id FROM streams WHERE name = ?1) AND position <= ?2;
