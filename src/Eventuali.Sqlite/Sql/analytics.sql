-- Cross-tenant analytics: counts read from one tenant's file (read-only). Each section starts with "-- name: <key>".

-- Streams that hold events now (a stream whose events were all removed is not counted).
-- name: stream_count
SELECT count(DISTINCT stream_id) FROM events;

-- name: events_by_type
SELECT event_type, count(*) FROM events GROUP BY event_type ORDER BY event_type;
