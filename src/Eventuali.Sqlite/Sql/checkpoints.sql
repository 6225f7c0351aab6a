-- Checkpoint statements. Each section starts with "-- name: <key>"; parameters bind by index.

-- name: checkpoint_load
SELECT position FROM checkpoints WHERE name = ?1;

-- name: checkpoint_save
INSERT INTO checkpoints (name, position, updated_at) VALUES (?1, ?2, ?3)
ON CONFLICT (name) DO UPDATE SET position = excluded.position, updated_at = excluded.updated_at;
