-- The tamper-evident log's statements. Each section starts with "-- name: <key>"; ?N parameters bound by index.

-- name: chain_last
SELECT position, chain_hash, removed FROM event_chain ORDER BY position DESC LIMIT 1;

-- name: chain_page
SELECT position, chain_hash, removed FROM event_chain WHERE position >= ?1 ORDER BY position LIMIT ?2;

-- name: chain_insert
INSERT INTO event_chain (position, chain_hash, removed) VALUES (?1, ?2, ?3);

-- Entries just stored whose event a lifecycle operation removed after the sealer read it.
-- name: chain_mark_vanished
UPDATE event_chain SET removed = 1
WHERE position BETWEEN ?1 AND ?2 AND removed = 0
  AND NOT EXISTS (SELECT 1 FROM events e WHERE e.position = event_chain.position)
  AND NOT EXISTS (SELECT 1 FROM archived_events a WHERE a.position = event_chain.position);

-- A hard delete or tombstone of stream row ?1: run before its events (live and archived) are deleted.
-- name: chain_mark_stream
UPDATE event_chain SET removed = 1
WHERE position IN (SELECT position FROM events WHERE stream_id = ?1 UNION ALL SELECT position FROM archived_events WHERE stream_id = ?1);

-- A truncation of stream row ?1 below version ?2: run before the events are deleted.
-- name: chain_mark_cut
UPDATE event_chain SET removed = 1
WHERE position IN (SELECT position FROM events WHERE stream_id = ?1 AND version < ?2);

-- Archived events in position order (the read_stream column order).
-- name: archived_log
SELECT position, stream_id, version, event_id, event_type, content_type, data,
       correlation_id, causation_id, actor_id, headers, timestamp
FROM archived_events WHERE position >= ?1 ORDER BY position LIMIT ?2;

-- name: chain_checkpoint_save
INSERT INTO chain_checkpoints (position, chain_hash, created_at, key_id, signature) VALUES (?1, ?2, ?3, ?4, ?5)
ON CONFLICT (position) DO UPDATE SET chain_hash = excluded.chain_hash, created_at = excluded.created_at,
  key_id = excluded.key_id, signature = excluded.signature;

-- name: chain_checkpoints
SELECT position, chain_hash, created_at, key_id, signature FROM chain_checkpoints ORDER BY position;

-- The read made for verification (IEventChainRowReader), one page of positions [?1, ?2) per read transaction:
-- the live events and the archived ones, each in position order (the read_stream column order), merged in code
-- (a UNION ALL merge copies every column of every row once more) ...
-- name: chain_rows_live
SELECT position, stream_id, version, event_id, event_type, content_type, data,
       correlation_id, causation_id, actor_id, headers, timestamp
FROM events WHERE position >= ?1 AND position < ?2 ORDER BY position;

-- name: chain_rows_archived
SELECT position, stream_id, version, event_id, event_type, content_type, data,
       correlation_id, causation_id, actor_id, headers, timestamp
FROM archived_events WHERE position >= ?1 AND position < ?2 ORDER BY position;

-- ... and the chain entries of the same page, joined with the events in code.
-- name: chain_rows_entries
SELECT position, chain_hash, removed FROM event_chain WHERE position >= ?1 AND position < ?2 ORDER BY position;

-- The highest position holding an event or an entry: where the read made for verification ends.
-- name: chain_rows_end
SELECT max(coalesce((SELECT max(position) FROM events), 0), coalesce((SELECT max(position) FROM archived_events), 0),
           coalesce((SELECT max(position) FROM event_chain), 0));
