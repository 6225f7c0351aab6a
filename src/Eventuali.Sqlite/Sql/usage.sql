-- Tenant usage metering (table tenant_usage, migration 015). Each section starts with "-- name: <key>".
-- day: UTC days since 1970-01-01.

-- Inside the append transaction, before anything is written: what the quotas are checked against.
-- name: usage_totals
SELECT coalesce(sum(CASE WHEN day = $day THEN events END), 0), coalesce(sum(streams), 0), coalesce(sum(bytes), 0)
FROM tenant_usage;

-- name: usage_add
INSERT INTO tenant_usage (day, events, bytes, streams, reads) VALUES ($day, $events, $bytes, $streams, $reads)
ON CONFLICT (day) DO UPDATE SET
  events = events + excluded.events,
  bytes = bytes + excluded.bytes,
  streams = streams + excluded.streams,
  reads = reads + excluded.reads;

-- The report: a range of days (inclusive); an open end is the widest day.
-- name: usage_report
SELECT coalesce(sum(events), 0), coalesce(sum(bytes), 0), coalesce(sum(streams), 0), coalesce(sum(reads), 0)
FROM tenant_usage WHERE day BETWEEN $from AND $to;
