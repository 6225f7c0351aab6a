-- Inbox statements. Each section starts with "-- name: <key>"; parameters bind by index.

-- name: inbox_record
-- ?1 inbox, ?2 message id, ?3 time handled. Changes one row when the id is new, none when it was recorded.
INSERT INTO inbox (inbox, message_id, handled_at) VALUES (?1, ?2, ?3)
ON CONFLICT (inbox, message_id) DO NOTHING;

-- name: inbox_count
SELECT count(*) FROM inbox WHERE inbox = ?1;

-- name: inbox_expire
-- ?1 inbox, ?2 time (unix microseconds): ids handled before it are deleted.
DELETE FROM inbox WHERE inbox = ?1 AND handled_at < ?2;
