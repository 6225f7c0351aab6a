-- Eventuali schema migration 17: a metered append's usage record becomes a function. As one prepared statement it
-- was planned again on every call (its generic plan, which assumes ten appends, never looked cheaper than a plan for
-- the actual one), about a quarter of a millisecond per append transaction; inside the function its plan is made
-- once per connection. The conflict target names the constraint, so this text is right in shared tables too (where
-- the key holds tenant_id).
CREATE OR REPLACE FUNCTION __SCHEMA__.tenant_usage_record(
  p_day integer, p_ids uuid[], p_counts integer[], p_bytes bigint[], p_reads bigint, p_slot smallint)
RETURNS void
LANGUAGE plpgsql
SET plan_cache_mode = force_generic_plan
AS $fn$
BEGIN
  -- An append counts when its first event is stored at a position of this transaction (a replayed or refused append
  -- is not), with the events and payload bytes the client sent, and 1 stream when its first event is version 1.
  INSERT INTO __SCHEMA__.tenant_usage AS u (day, slot, events, bytes, streams, reads)
  SELECT p_day, p_slot, coalesce(sum(a.cnt), 0), coalesce(sum(a.bytes), 0), count(e.version) FILTER (WHERE e.version = 1), p_reads
    FROM unnest(p_ids, p_counts, p_bytes) AS a(id, cnt, bytes)
    JOIN __SCHEMA__.events e ON e.event_id = a.id
   WHERE (e.position >> 20) = pg_current_xact_id_if_assigned()::text::bigint + (SELECT m.position_offset FROM __SCHEMA__.meta m)
  HAVING count(*) > 0 OR p_reads > 0
  ON CONFLICT ON CONSTRAINT tenant_usage_pkey DO UPDATE SET
    events = u.events + excluded.events,
    bytes = u.bytes + excluded.bytes,
    streams = u.streams + excluded.streams,
    reads = u.reads + excluded.reads;
END
$fn$;
