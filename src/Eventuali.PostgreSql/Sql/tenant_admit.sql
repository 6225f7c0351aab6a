-- A tenant's quota check, the first statement of a metered append transaction whose tenant has quotas: it locks
-- today's usage row of slot 0 (every quota-checked transaction of the tenant waits here for the one before it to
-- commit, and then sees its usage, whichever slot it was written to), then sums every slot and refuses the whole
-- call when its appends, assumed all to succeed, would go past a limit. A NULL limit is none. Raised as EV002 with the quota, limit, current usage and requested amount in the message, nothing written.
CREATE OR REPLACE FUNCTION __SCHEMA__.tenant_admit(
  p_day integer, p_streams text[], p_events bigint, p_bytes bigint,
  p_max_events_per_day bigint, p_max_streams bigint, p_max_bytes bigint)
RETURNS void
LANGUAGE plpgsql AS $fn$
DECLARE
  v_today bigint;
  v_streams bigint;
  v_bytes bigint;
  v_new bigint;
BEGIN
  INSERT INTO __SCHEMA__.tenant_usage AS u (day) VALUES (p_day)
  ON CONFLICT (day, slot) DO UPDATE SET events = u.events;
  SELECT coalesce(sum(CASE WHEN t.day = p_day THEN t.events END), 0), coalesce(sum(t.streams), 0), coalesce(sum(t.bytes), 0)
    INTO v_today, v_streams, v_bytes
    FROM __SCHEMA__.tenant_usage t;
  SELECT count(DISTINCT n.name) INTO v_new
    FROM unnest(p_streams) AS n(name)
   WHERE NOT EXISTS (SELECT 1 FROM __SCHEMA__.streams s WHERE s.name = n.name);
  IF p_max_events_per_day IS NOT NULL AND p_events > 0 AND v_today + p_events > p_max_events_per_day THEN
    RAISE EXCEPTION USING ERRCODE = 'EV002', MESSAGE = format('eventuali-quota events-per-day %s %s %s', p_max_events_per_day, v_today, p_events);
  END IF;
  IF p_max_streams IS NOT NULL AND v_new > 0 AND v_streams + v_new > p_max_streams THEN
    RAISE EXCEPTION USING ERRCODE = 'EV002', MESSAGE = format('eventuali-quota streams %s %s %s', p_max_streams, v_streams, v_new);
  END IF;
  IF p_max_bytes IS NOT NULL AND p_bytes > 0 AND v_bytes + p_bytes > p_max_bytes THEN
    RAISE EXCEPTION USING ERRCODE = 'EV002', MESSAGE = format('eventuali-quota bytes %s %s %s', p_max_bytes, v_bytes, p_bytes);
  END IF;
END
$fn$;
