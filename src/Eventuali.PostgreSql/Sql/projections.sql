-- Statements of the projection tables, one per "-- name:" section. __SCHEMA__ is the quoted schema name.

-- name: acquire
INSERT INTO __SCHEMA__.projection_state (name, position, state, owner, updated_at) VALUES ($1, 0, 'running', $2, $3)
ON CONFLICT (name) DO UPDATE SET
  owner = excluded.owner,
  state = CASE WHEN projection_state.state IN ('stopped', 'faulted') THEN 'running' ELSE projection_state.state END,
  error = CASE WHEN projection_state.state = 'faulted' THEN NULL ELSE projection_state.error END,
  updated_at = excluded.updated_at

-- name: release
UPDATE __SCHEMA__.projection_state SET owner = NULL WHERE name = $1 AND owner = $2

-- name: load
SELECT p.name, p.position, p.state, p.error, p.owner, p.rebuild_target, p.requested_from, p.request_seq,
       (SELECT count(*) FROM __SCHEMA__.projection_dead_letters d WHERE d.projection = p.name), p.updated_at,
       (SELECT count(*) FROM __SCHEMA__.projection_dead_letters d WHERE d.projection = p.name AND d.retry_requested)
  FROM __SCHEMA__.projection_state p WHERE p.name = $1

-- name: list
SELECT p.name, p.position, p.state, p.error, p.owner, p.rebuild_target, p.requested_from, p.request_seq,
       (SELECT count(*) FROM __SCHEMA__.projection_dead_letters d WHERE d.projection = p.name), p.updated_at,
       (SELECT count(*) FROM __SCHEMA__.projection_dead_letters d WHERE d.projection = p.name AND d.retry_requested)
  FROM __SCHEMA__.projection_state p ORDER BY p.name

-- name: request_rebuild
UPDATE __SCHEMA__.projection_state
   SET position = $2, state = 'rebuilding', requested_from = $2, request_seq = request_seq + 1, error = NULL, updated_at = $3
 WHERE name = $1

-- name: progress
-- $7: the request sequence being honoured (NULL: none); a newer request stays pending.
UPDATE __SCHEMA__.projection_state
   SET position = $2, state = $3, error = $4, rebuild_target = $5, owner = $6, updated_at = $8,
       requested_from = CASE WHEN $7::bigint IS NOT NULL AND request_seq = $7::bigint THEN NULL ELSE requested_from END
 WHERE name = $1

-- name: doc_get
SELECT data::text FROM __SCHEMA__.projection_documents WHERE projection = $1 AND key = $2

-- name: doc_put
INSERT INTO __SCHEMA__.projection_documents (projection, key, data) VALUES ($1, $2, $3)
ON CONFLICT (projection, key) DO UPDATE SET data = excluded.data

-- name: doc_delete
DELETE FROM __SCHEMA__.projection_documents WHERE projection = $1 AND key = $2

-- name: doc_clear
DELETE FROM __SCHEMA__.projection_documents WHERE projection = $1

-- name: doc_page
SELECT key, data::text FROM __SCHEMA__.projection_documents WHERE projection = $1 AND key > $2 ORDER BY key LIMIT $3

-- name: park
INSERT INTO __SCHEMA__.projection_dead_letters (projection, position, stream_id, stream_version, event_id, event_type, error, attempts, parked_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
ON CONFLICT (projection, position) DO UPDATE SET
  stream_id = excluded.stream_id, stream_version = excluded.stream_version, event_id = excluded.event_id,
  event_type = excluded.event_type, error = excluded.error, attempts = excluded.attempts, parked_at = excluded.parked_at,
  retry_requested = false

-- name: dead_letter_rebuild
-- A rebuild from $2 applies the events above it again: their dead letters go (a failure parks them anew).
DELETE FROM __SCHEMA__.projection_dead_letters WHERE projection = $1 AND position > $2

-- name: dead_letter_retry
-- $2: one dead letter's id, or NULL for all of the projection's.
UPDATE __SCHEMA__.projection_dead_letters SET retry_requested = true WHERE projection = $1 AND ($2::bigint IS NULL OR id = $2)

-- name: dead_letter_delete
-- $2: one dead letter's id, or NULL for all of the projection's.
DELETE FROM __SCHEMA__.projection_dead_letters WHERE projection = $1 AND ($2::bigint IS NULL OR id = $2)

-- name: dead_letters
SELECT projection, position, stream_id, stream_version, event_id, event_type, error, attempts, parked_at, id, retry_requested
  FROM __SCHEMA__.projection_dead_letters WHERE projection = $1 ORDER BY position, id

-- name: inline_progress
-- An inline projection's position, in the append's transaction; the row appears on first use.
INSERT INTO __SCHEMA__.projection_state (name, position, state, owner, updated_at) VALUES ($1, $2, 'running', 'inline', $3)
ON CONFLICT (name) DO UPDATE SET position = GREATEST(projection_state.position, excluded.position), updated_at = excluded.updated_at

-- name: inline_register
INSERT INTO __SCHEMA__.projection_state (name, position, state, owner, updated_at) VALUES ($1, $2, 'running', 'inline', $3)
ON CONFLICT (name) DO NOTHING

-- name: doc_subject_add
-- The document $2 of projection $1 was written while applying an event about subject $3.
INSERT INTO __SCHEMA__.projection_document_subjects (subject, projection, key) VALUES ($3, $1, $2) ON CONFLICT DO NOTHING

-- name: doc_subjects_delete
DELETE FROM __SCHEMA__.projection_document_subjects WHERE projection = $1 AND key = $2

-- name: doc_subjects_clear
DELETE FROM __SCHEMA__.projection_document_subjects WHERE projection = $1

-- name: subject_documents
-- Every document written for subject $1 (GDPR export).
SELECT d.projection, d.key, d.data::text FROM __SCHEMA__.projection_documents d
  JOIN __SCHEMA__.projection_document_subjects s ON s.projection = d.projection AND s.key = d.key
 WHERE s.subject = $1
 ORDER BY d.projection, d.key

-- name: erase_subject_documents
-- Every document written for subject $1, then every subject record of those documents.
DELETE FROM __SCHEMA__.projection_documents d
 USING __SCHEMA__.projection_document_subjects s
 WHERE s.subject = $1 AND s.projection = d.projection AND s.key = d.key

-- name: erase_subject_document_records
DELETE FROM __SCHEMA__.projection_document_subjects r
 USING __SCHEMA__.projection_document_subjects s
 WHERE s.subject = $1 AND s.projection = r.projection AND s.key = r.key

-- name: redact_dead_letters
-- $2: the redaction marker. Position and ids stay, so a retry still finds the event.
UPDATE __SCHEMA__.projection_dead_letters SET error = $2 WHERE stream_id = $1 AND error <> $2

-- name: redact_projection_errors
-- $1: how a stopped projection's error names the failing event's stream; $2: the redaction marker.
UPDATE __SCHEMA__.projection_state SET error = $2 WHERE error IS NOT NULL AND strpos(error, $1) > 0

-- name: erasure_vacuum
-- Frees the dead rows left by an erasure, so the old text does not linger until autovacuum.
VACUUM __SCHEMA__.projection_documents, __SCHEMA__.projection_document_subjects, __SCHEMA__.projection_dead_letters, __SCHEMA__.projection_state
