-- Store statistics (eventuali stats). Each section starts with "-- name: <key>".
-- Counted by the database with GROUP BY; nothing is read into the client event by event.

-- name: stats_totals
SELECT count(DISTINCT stream_id), count(*) FROM events;

-- name: stats_types
SELECT event_type, count(*) FROM events GROUP BY event_type;

-- Category: the stream id before its first '-' ('' when there is none), as StreamCategories.Of.
-- name: stats_categories
SELECT CASE WHEN instr(s.name, '-') > 1 THEN substr(s.name, 1, instr(s.name, '-') - 1) ELSE '' END AS category,
       count(*), sum(e.n)
FROM (SELECT stream_id, count(*) AS n FROM events GROUP BY stream_id) e
JOIN streams s ON s.id = e.stream_id
GROUP BY category;

-- name: stats_size
SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size();

-- name: begin
BEGIN;

-- name: end
COMMIT;
