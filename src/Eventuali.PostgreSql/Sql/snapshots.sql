-- Snapshot and time-travel statements, one per "-- name:" section. __SCHEMA__ is the quoted schema name.

-- name: snapshot_upsert
INSERT INTO __SCHEMA__.snapshots (stream, version, position, aggregate_type, schema_version, codec, checksum, data, created)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
ON CONFLICT (stream, version) DO UPDATE SET
  position = excluded.position, aggregate_type = excluded.aggregate_type, schema_version = excluded.schema_version,
  codec = excluded.codec, checksum = excluded.checksum, data = excluded.data, created = excluded.created

-- name: snapshot_latest
SELECT version, position, aggregate_type, schema_version, codec, checksum, created, data
  FROM __SCHEMA__.snapshots WHERE stream = $1 AND version <= $2 ORDER BY version DESC LIMIT 1

-- A page of a listing, newest first, below version $2.
-- name: snapshot_list
SELECT version, position, aggregate_type, schema_version, codec, checksum, created, octet_length(data)
  FROM __SCHEMA__.snapshots WHERE stream = $1 AND version < $2 ORDER BY version DESC LIMIT $3

-- name: snapshot_prune
WITH gone AS (
  DELETE FROM __SCHEMA__.snapshots
   WHERE stream = $1
     AND version NOT IN (SELECT k.version FROM __SCHEMA__.snapshots k WHERE k.stream = $1 ORDER BY k.version DESC LIMIT $2)
  RETURNING 1)
SELECT count(*)::integer FROM gone

-- name: version_at_time
SELECT coalesce(max(e.version), 0) FROM __SCHEMA__.events e
 WHERE e.stream_id = (SELECT s.id FROM __SCHEMA__.streams s WHERE s.name = $1) AND e."timestamp" <= $2

-- name: version_at_position
SELECT coalesce(max(e.version), 0) FROM __SCHEMA__.events e
 WHERE e.stream_id = (SELECT s.id FROM __SCHEMA__.streams s WHERE s.name = $1) AND e.position <= $2
