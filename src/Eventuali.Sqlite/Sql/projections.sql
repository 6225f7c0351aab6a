-- Statements of the projection tables, one per "-- name:" section. Timestamps are Unix microseconds.

-- name: acquire
-- Creates the row, or takes it over: a stopped or faulted projection runs again.
INSERT INTO projection_state (name, position, state, owner, updated_at) VALUES (?1, 0, 'running', ?2, ?3)
ON CONFLICT (name) DO UPDATE SET
  owner = excluded.owner,
  state = CASE WHEN state IN ('stopped', 'faulted') THEN 'running' ELSE state END,
  error = CASE WHEN state = 'faulted' THEN NULL ELSE error END,
  updated_at = excluded.updated_at;

-- name: release
UPDATE projection_state SET owner = NULL WHERE name = ?1 AND owner = ?2;

-- name: load
SELECT p.name, p.position, p.state, p.error, p.owner, p.rebuild_target, p.requested_from, p.request_seq,
       (SELECT count(*) FROM projection_dead_letters d WHERE d.projection = p.name), p.updated_at,
       (SELECT count(*) FROM projection_dead_letters d WHERE d.projection = p.name AND d.retry_requested <> 0)
  FROM projection_state p WHERE p.name = ?1;

-- name: list
SELECT p.name, p.position, p.state, p.error, p.owner, p.rebuild_target, p.requested_from, p.request_seq,
       (SELECT count(*) FROM projection_dead_letters d WHERE d.projection = p.name), p.updated_at,
       (SELECT count(*) FROM projection_dead_letters d WHERE d.projection = p.name AND d.retry_requested <> 0)
  FROM projection_state p ORDER BY p.name;

-- name: request_rebuild
UPDATE projection_state
   SET position = ?2, state = 'rebuilding', requested_from = ?2, request_seq = request_seq + 1, error = NULL, updated_at = ?3
 WHERE name = ?1;

-- name: progress
-- ?7: the request sequence being honoured (NULL: none); a newer request stays pending.
UPDATE projection_state
   SET position = ?2, state = ?3, error = ?4, rebuild_target = ?5, owner = ?6, updated_at = ?8,
       requested_from = CASE WHEN ?7 IS NOT NULL AND request_seq = ?7 THEN NULL ELSE requested_from END
 WHERE name = ?1;

-- name: doc_get
SELECT data FROM projection_documents WHERE projection = ?1 AND key = ?2;

-- name: doc_put
INSERT INTO projection_documents (projection, key, data) VALUES (?1, ?2, ?3)
ON CONFLICT (projection, key) DO UPDATE SET data = excluded.data;

-- name: doc_delete
DELETE FROM projection_documents WHERE projection = ?1 AND key = ?2;

-- name: doc_clear
DELETE FROM projection_documents WHERE projection = ?1;

-- name: doc_page
SELECT key, data FROM projection_documents WHERE projection = ?1 AND key > ?2 ORDER BY key LIMIT ?3;

-- name: park
INSERT INTO projection_dead_letters (projection, position, stream_id, stream_version, event_id, event_type, error, attempts, parked_at)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
ON CONFLICT (projection, position) DO UPDATE SET
  stream_id = excluded.stream_id, stream_version = excluded.stream_version, event_id = excluded.event_id,
  event_type = excluded.event_type, error = excluded.error, attempts = excluded.attempts, parked_at = excluded.parked_at,
  retry_requested = 0;

-- name: dead_letter_rebuild
-- A rebuild from ?2 applies the events above it again: their dead letters go (a failure parks them anew).
DELETE FROM projection_dead_letters WHERE projection = ?1 AND position > ?2;

-- name: dead_letter_retry
-- ?2: one dead letter's id, or NULL for all of the projection's.
UPDATE projection_dead_letters SET retry_requested = 1 WHERE projection = ?1 AND (?2 IS NULL OR id = ?2);

-- name: dead_letter_delete
-- ?2: one dead letter's id, or NULL for all of the projection's.
DELETE FROM projection_dead_letters WHERE projection = ?1 AND (?2 IS NULL OR id = ?2);

-- name: dead_letters
SELECT projection, position, stream_id, stream_version, event_id, event_type, error, attempts, parked_at, id, retry_requested
  FROM projection_dead_letters WHERE projection = ?1 ORDER BY position, id;

-- name: inline_progress
-- An inline projection's position, in the append's transaction; the row appears on first use.
INSERT INTO projection_state (name, position, state, owner, updated_at) VALUES (?1, ?2, 'running', 'inline', ?3)
ON CONFLICT (name) DO UPDATE SET position = max(position, excluded.position), updated_at = excluded.updated_at;

-- name: inline_register
INSERT INTO projection_state (name, position, state, owner, updated_at) VALUES (?1, ?2, 'running', 'inline', ?3)
ON CONFLICT (name) DO NOTHING;

-- name: event_timestamp
SELECT timestamp FROM events WHERE position = ?1;

-- name: doc_subject_add
-- The document ?2 of projection ?1 was written while applying an event about subject ?3.
INSERT INTO projection_document_subjects (subject, projection, key) VALUES (?3, ?1, ?2) ON CONFLICT DO NOTHING;

-- name: doc_subjects_delete
DELETE FROM projection_document_subjects WHERE projection = ?1 AND key = ?2;

-- name: doc_subjects_clear
DELETE FROM projection_document_subjects WHERE projection = ?1;

-- name: subject_documents
-- Every document written for subject ?1 (GDPR export).
SELECT d.projection, d.key, d.data FROM projection_documents d
  JOIN projection_document_subjects s ON s.projection = d.projection AND s.key = d.key
 WHERE s.subject = ?1
 ORDER BY d.projection, d.key;

-- name: erase_subject_documents
-- Every document written for subject ?1, then every subject record of those documents.
DELETE FROM projection_documents
 WHERE EXISTS (SELECT 1 FROM projection_document_subjects s
                WHERE s.subject = ?1 AND s.projection = projection_documents.projection AND s.key = projection_documents.key);

-- name: erase_subject_document_records
DELETE FROM projection_document_subjects
 WHERE EXISTS (SELECT 1 FROM projection_document_subjects s
                WHERE s.subject = ?1 AND s.projection = projection_document_subjects.projection AND s.key = projection_document_subjects.key);

-- name: redact_dead_letters
-- ?2: the redaction marker. Position and ids stay, so a retry still finds the event.
UPDATE projection_dead_letters SET error = ?2 WHERE stream_id = ?1 AND error <> ?2;

-- name: redact_projection_errors
-- ?1: how a stopped projection's error names the failing event's stream; ?2: the redaction marker.
UPDATE projection_state SET error = ?2 WHERE error IS NOT NULL AND instr(error, ?1) > 0;

-- name: lease_acquire
-- Takes the lease when it is new, released or expired (?3: now, ?4: duration, microseconds); returns the new epoch,
-- or no row when a holder keeps it.
INSERT INTO leases (name, owner, epoch, expires_at, acquired_at, renewed_at) VALUES (?1, ?2, 1, ?3 + ?4, ?3, ?3)
ON CONFLICT (name) DO UPDATE SET
  owner = excluded.owner, epoch = leases.epoch + 1, expires_at = excluded.expires_at,
  acquired_at = excluded.acquired_at, renewed_at = excluded.renewed_at
WHERE leases.owner IS NULL OR leases.expires_at <= ?3
RETURNING epoch;

-- name: lease_renew
-- Extends the lease while the epoch is still ours (also after it expired, when nobody took it meanwhile).
UPDATE leases SET expires_at = ?3 + ?4, renewed_at = ?3 WHERE name = ?1 AND epoch = ?2 RETURNING epoch;

-- name: lease_release
UPDATE leases SET owner = NULL, expires_at = ?3 WHERE name = ?1 AND epoch = ?2;

-- name: lease_fence
-- In the holder's write transaction (BEGIN IMMEDIATE: no takeover can commit meanwhile), before its commit.
SELECT epoch, owner FROM leases WHERE name = ?1;

-- name: member_beat
-- Membership of a group (a partitioned projection's daemons): the row group@node, alive until ?3 + ?4 (microseconds).
INSERT INTO leases (name, owner, epoch, expires_at, acquired_at, renewed_at) VALUES (?1 || '@' || ?2, ?2, 0, ?3 + ?4, ?3, ?3)
ON CONFLICT (name) DO UPDATE SET expires_at = excluded.expires_at, renewed_at = excluded.renewed_at;

-- name: members
SELECT owner FROM leases WHERE substr(name, 1, length(?1) + 1) = ?1 || '@' AND expires_at > ?2 ORDER BY owner;

-- name: member_leave
DELETE FROM leases WHERE name = ?1 || '@' || ?2;
