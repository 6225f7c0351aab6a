-- Data-key statements, one per "-- name:" section. __SCHEMA__ is the quoted schema name.

-- name: store_id
SELECT value FROM __SCHEMA__.store_identity WHERE name = 'store_id'

-- name: keys_of_subject
-- $1 subject.
SELECT subject, version, kek_id, wrapped, created, uses FROM __SCHEMA__.data_keys WHERE subject = $1 ORDER BY version

-- name: key_add
-- $1 subject, $2 version, $3 KEK id, $4 wrapped key, $5 created, $6 uses. Nothing for an erased subject or an existing version.
INSERT INTO __SCHEMA__.data_keys (subject, version, kek_id, wrapped, created, uses)
SELECT $1, $2, $3, $4, $5, $6
 WHERE NOT EXISTS (SELECT 1 FROM __SCHEMA__.erased_subjects WHERE subject = $1)
ON CONFLICT (subject, version) DO NOTHING
RETURNING 1

-- name: key_reserve
-- $1 subject, $2 version, $3 uses to add.
UPDATE __SCHEMA__.data_keys SET uses = uses + $3 WHERE subject = $1 AND version = $2 RETURNING uses

-- name: key_rewrap
-- $1 subject, $2 version, $3 expected KEK id, $4 new KEK id, $5 new wrapped key.
UPDATE __SCHEMA__.data_keys SET kek_id = $4, wrapped = $5 WHERE subject = $1 AND version = $2 AND kek_id = $3 RETURNING 1

-- name: keys_page
-- $1 after subject, $2 after version, $3 limit.
SELECT subject, version, kek_id, wrapped, created, uses FROM __SCHEMA__.data_keys
 WHERE (subject, version) > ($1, $2)
 ORDER BY subject, version LIMIT $3

-- name: subject_erase
-- $1 subject, $2 time. One statement, so the keys go and the erasure is recorded together.
WITH destroyed AS (DELETE FROM __SCHEMA__.data_keys WHERE subject = $1 RETURNING 1),
     recorded AS (INSERT INTO __SCHEMA__.erased_subjects (subject, erased_at) VALUES ($1, $2) ON CONFLICT (subject) DO NOTHING)
SELECT count(*) FROM destroyed

-- name: erasure_of
-- $1 subject.
SELECT erased_at FROM __SCHEMA__.erased_subjects WHERE subject = $1

-- name: erased_page
-- $1 after subject, $2 limit.
SELECT subject, erased_at FROM __SCHEMA__.erased_subjects WHERE subject > $1 ORDER BY subject LIMIT $2

-- name: subject_stream_add
-- $1 subject, $2 stream.
INSERT INTO __SCHEMA__.subject_streams (subject, stream_id) VALUES ($1, $2) ON CONFLICT DO NOTHING

-- name: subject_streams_add_many
-- The (subject, stream) pairs of one group commit, run in its transaction after the append call; $1 subjects,
-- $2 streams, $3 the first event id of the append naming the pair. Only pairs whose append stored its events (or
-- had stored them: an idempotent retry) are kept, so an append refused by its checks records nothing. Sorted, so
-- batches committing at once insert in one order and cannot deadlock on each other.
INSERT INTO __SCHEMA__.subject_streams (subject, stream_id)
SELECT DISTINCT p.subject, p.stream_id
  FROM unnest($1::text[], $2::text[], $3::uuid[]) AS p(subject, stream_id, event_id)
 WHERE EXISTS (SELECT 1 FROM __SCHEMA__.events e JOIN __SCHEMA__.streams s ON s.id = e.stream_id
                WHERE e.event_id = p.event_id AND s.name = p.stream_id)
 ORDER BY 1, 2
ON CONFLICT DO NOTHING

-- name: streams_of_subject
-- $1 subject.
SELECT stream_id FROM __SCHEMA__.subject_streams WHERE subject = $1 ORDER BY stream_id

-- name: subjects_of_stream
-- $1 stream.
SELECT subject FROM __SCHEMA__.subject_streams WHERE stream_id = $1 ORDER BY subject

-- name: keys_vacuum
-- Frees the dead rows of destroyed keys, so their bytes do not linger until autovacuum.
VACUUM __SCHEMA__.data_keys
