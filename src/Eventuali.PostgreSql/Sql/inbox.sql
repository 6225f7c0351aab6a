-- Inbox statements, one per "-- name:" section. __SCHEMA__ is the quoted schema name.

-- name: inbox_record
-- $1 inbox, $2 message id, $3 time handled. Inserts one row when the id is new, none when it was recorded.
INSERT INTO __SCHEMA__.inbox (inbox, message_id, handled_at) VALUES ($1, $2, $3)
ON CONFLICT (inbox, message_id) DO NOTHING

-- name: inbox_count
-- $1 inbox.
SELECT count(*) FROM __SCHEMA__.inbox i WHERE i.inbox = $1

-- name: inbox_expire
-- $1 inbox, $2 time: ids handled before it are deleted.
DELETE FROM __SCHEMA__.inbox WHERE inbox = $1 AND handled_at < $2
