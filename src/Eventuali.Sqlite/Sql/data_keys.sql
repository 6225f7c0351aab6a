-- Data-key statements. Each section starts with "-- name: <key>"; parameters bind by index.

-- name: store_id
SELECT value FROM store_identity WHERE name = 'store_id';

-- name: keys_of_subject
SELECT subject, version, kek_id, wrapped, created_at, uses FROM data_keys WHERE subject = ?1 ORDER BY version;

-- name: key_add
-- Nothing is inserted for an erased subject or an existing version.
INSERT INTO data_keys (subject, version, kek_id, wrapped, created_at, uses)
SELECT ?1, ?2, ?3, ?4, ?5, ?6
 WHERE NOT EXISTS (SELECT 1 FROM erased_subjects WHERE subject = ?1)
ON CONFLICT (subject, version) DO NOTHING;

-- name: key_reserve
UPDATE data_keys SET uses = uses + ?3 WHERE subject = ?1 AND version = ?2 RETURNING uses;

-- name: key_rewrap
UPDATE data_keys SET kek_id = ?4, wrapped = ?5 WHERE subject = ?1 AND version = ?2 AND kek_id = ?3;

-- name: keys_page
-- Keyset paging over (subject, version).
SELECT subject, version, kek_id, wrapped, created_at, uses FROM data_keys
 WHERE subject > ?1 OR (subject = ?1 AND version > ?2)
 ORDER BY subject, version LIMIT ?3;

-- name: subject_erase_keys
DELETE FROM data_keys WHERE subject = ?1;

-- name: subject_erase_record
INSERT INTO erased_subjects (subject, erased_at) VALUES (?1, ?2) ON CONFLICT (subject) DO NOTHING;

-- name: erasure_of
SELECT erased_at FROM erased_subjects WHERE subject = ?1;

-- name: erased_page
SELECT subject, erased_at FROM erased_subjects WHERE subject > ?1 ORDER BY subject LIMIT ?2;

-- name: subject_stream_add
INSERT INTO subject_streams (subject, stream_id) VALUES (?1, ?2) ON CONFLICT DO NOTHING;

-- name: streams_of_subject
SELECT stream_id FROM subject_streams WHERE subject = ?1 ORDER BY stream_id;

-- name: subjects_of_stream
SELECT subject FROM subject_streams WHERE stream_id = ?1 ORDER BY subject;
