-- Store statistics (eventuali stats). Each section starts with "-- name: <key>"; __SCHEMA__ is the quoted schema.
-- Counted by the server with GROUP BY; nothing is read into the client event by event.

-- name: stats_totals
SELECT count(DISTINCT stream_id), count(*) FROM __SCHEMA__.events;

-- name: stats_types
SELECT event_type, count(*) FROM __SCHEMA__.events GROUP BY event_type;

-- Category: the stream id before its first '-' ('' when there is none), as StreamCategories.Of.
-- name: stats_categories
SELECT CASE WHEN strpos(s.name, '-') > 1 THEN left(s.name, strpos(s.name, '-') - 1) ELSE '' END AS category,
       count(*), sum(e.n)::bigint
FROM (SELECT stream_id, count(*) AS n FROM __SCHEMA__.events GROUP BY stream_id) e
JOIN __SCHEMA__.streams s ON s.id = e.stream_id
GROUP BY 1;

-- Tables of the schema with their indexes and TOAST ($1: the schema name as stored, unquoted).
-- name: stats_size
SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0)::bigint
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = $1 AND c.relkind IN ('r', 'm', 'p');
