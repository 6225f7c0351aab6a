-- Checkpoint statements, one per "-- name:" section. __SCHEMA__ is the quoted schema name.

-- name: checkpoint_load
-- $1 name.
SELECT c.position FROM __SCHEMA__.checkpoints c WHERE c.name = $1

-- name: checkpoint_save
-- $1 name, $2 position, $3 time of the save.
INSERT INTO __SCHEMA__.checkpoints (name, position, updated_at) VALUES ($1, $2, $3)
ON CONFLICT (name) DO UPDATE SET position = excluded.position, updated_at = excluded.updated_at
