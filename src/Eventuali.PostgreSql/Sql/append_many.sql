-- Several appends of one group commit in one call, each keeping its own checks and outcome: one row per
-- append, in input order, with the columns and statuses of append() (append.sql).
-- Events come flattened in append order; p_counts says how many belong to each append, so the k-th event
-- of the call is numbered k in the transaction (position ((transaction id + offset) << 20) + k).
--
-- Fast path, one lookup and one INSERT for the whole batch: taken when every stream appears once, is live,
-- has none of its appends' first event ids stored, and meets its expected version. It runs in one
-- subtransaction; a unique violation (a racing writer, a reused event id), a payload jsonb rejects or a
-- stream deleted since the lookup rolls it back. Otherwise, and after such a rollback, each append runs
-- through append() in turn, which decides it exactly as a call of its own would.
CREATE OR REPLACE FUNCTION __SCHEMA__.append_many(
  p_streams text[], p_expected bigint[], p_counts integer[], p_timestamps timestamptz[],
  p_ids uuid[], p_types text[], p_data bytea[], p_content_types text[],
  p_correlation_ids text[], p_causation_ids text[], p_actor_ids text[], p_headers jsonb[],
  p_notify text)
RETURNS TABLE (status integer, stream_version bigint, last_position bigint,
  existing_id uuid, existing_stream text, existing_version bigint, message text)
LANGUAGE plpgsql AS $fn$
DECLARE
  v_n integer := cardinality(p_streams);
  v_total integer := cardinality(p_ids);
  v_first integer[];
  v_sid bigint[];
  v_actual bigint[];
  v_epoch bigint[];
  v_append integer[];
  v_offset bigint;
  v_fast boolean;
  v_base bigint;
  v_rows integer;
  v_last bigint;
  v_lo integer;
  v_hi integer;
  r record;
BEGIN
  IF v_total > 1048575 OR cardinality(p_expected) <> v_n OR cardinality(p_counts) <> v_n
     OR cardinality(p_timestamps) <> v_n OR (SELECT sum(c) FROM unnest(p_counts) AS c) <> v_total THEN
    RAISE EXCEPTION 'eventuali: append_many arguments do not match (% appends, % events)', v_n, v_total;
  END IF;

  -- Each append's stream id, current version (as append() computes it) and epoch, where its events start,
  -- and whether all of it can take the fast path. Reading meta holds ACCESS SHARE on it until commit.
  SELECT bool_and(l.state = 0 AND NOT l.seen
                  AND (l.expected = -1
                       OR (l.expected = -2 AND l.actual IS NOT NULL)
                       OR (l.expected = 0 AND l.actual IS NULL)
                       OR (l.expected > 0 AND coalesce(l.actual, 0) = l.expected)))
           AND count(DISTINCT l.name) = v_n,
         array_agg(l.first ORDER BY l.i), array_agg(l.id ORDER BY l.i),
         array_agg(l.actual ORDER BY l.i), array_agg(l.epoch ORDER BY l.i),
         (SELECT m.position_offset FROM __SCHEMA__.meta m)
    INTO v_fast, v_first, v_sid, v_actual, v_epoch, v_offset
    FROM (SELECT a.i, a.name, a.expected, a.first, s.id, coalesce(s.state, 0) AS state, coalesce(s.epoch, 0) AS epoch,
                 greatest((SELECT max(e.version) FROM __SCHEMA__.events e WHERE e.stream_id = s.id),
                          nullif(s.truncated_before - 1, 0)) AS actual,
                 EXISTS (SELECT 1 FROM __SCHEMA__.events f WHERE f.event_id = p_ids[a.first]) AS seen
            FROM (SELECT t.*, (sum(t.cnt) OVER (ORDER BY t.i) - t.cnt + 1)::integer AS first
                    FROM unnest(p_streams, p_expected, p_counts) WITH ORDINALITY AS t(name, expected, cnt, i)) a
            LEFT JOIN __SCHEMA__.streams s ON s.name = a.name) l;

  IF v_fast THEN
    BEGIN
      IF array_position(v_sid, NULL) IS NOT NULL THEN
        -- New streams, created in name order (the batch is sorted by name), then their ids and epochs.
        INSERT INTO __SCHEMA__.streams (name)
        SELECT a.name FROM unnest(p_streams, v_sid) AS a(name, id) WHERE a.id IS NULL ORDER BY a.name
            ON CONFLICT (name) DO NOTHING;
        SELECT array_agg(coalesce(a.id, s.id) ORDER BY a.i),
               array_agg(CASE WHEN a.id IS NULL THEN s.epoch ELSE a.epoch END ORDER BY a.i)
          INTO v_sid, v_epoch
          FROM unnest(p_streams, v_sid, v_epoch) WITH ORDINALITY AS a(name, id, epoch, i)
          LEFT JOIN __SCHEMA__.streams s ON a.id IS NULL AND s.name = a.name;
      END IF;

      SELECT array_agg(c.i ORDER BY c.i) INTO v_append
        FROM unnest(p_counts) WITH ORDINALITY AS c(cnt, i), generate_series(1, c.cnt);
      v_base := ((pg_current_xact_id()::text::bigint + v_offset) << 20);
      INSERT INTO __SCHEMA__.events (position, stream_id, version, event_id, event_type, content_type, data_json, data_bytes,
                                     correlation_id, causation_id, actor_id, headers, "timestamp")
      SELECT v_base + u.n, v_sid[u.a], coalesce(v_actual[u.a], 0) + u.n - v_first[u.a] + 1, u.id, u.typ, u.ct,
             CASE WHEN u.ct = 'application/json' THEN convert_from(u.data, 'UTF8')::jsonb END,
             CASE WHEN u.ct <> 'application/json' THEN u.data END,
             u.corr, u.caus, u.actor, u.hdr, p_timestamps[u.a]
        FROM unnest(p_ids, p_types, p_data, p_content_types, p_correlation_ids, p_causation_ids, p_actor_ids, p_headers, v_append)
             WITH ORDINALITY AS u(id, typ, data, ct, corr, caus, actor, hdr, a, n)
       -- Only streams still live and not deleted since the lookup (see append.sql); else the batch decides again.
       WHERE u.a IN (SELECT t.i FROM unnest(v_sid, v_epoch) WITH ORDINALITY AS t(id, epoch, i)
                       JOIN __SCHEMA__.streams g ON g.id = t.id AND g.state = 0 AND g.epoch = t.epoch);
      GET DIAGNOSTICS v_rows = ROW_COUNT;
      IF v_rows <> v_total THEN
        RAISE EXCEPTION USING ERRCODE = 'EV001', MESSAGE = 'eventuali: a stream changed under a batched append';
      END IF;
    EXCEPTION
      WHEN unique_violation OR data_exception OR SQLSTATE 'EV001' THEN
        v_fast := false;
    END;
  END IF;

  IF v_fast THEN
    RETURN QUERY
      SELECT 0, coalesce(a.actual, 0) + a.cnt, v_base + a.first + a.cnt - 1, NULL::uuid, NULL::text, NULL::bigint, NULL::text
        FROM unnest(v_actual, v_first, p_counts) WITH ORDINALITY AS a(actual, first, cnt, i)
       ORDER BY a.i;
    v_last := v_base + v_total;
  ELSE
    FOR i IN 1 .. v_n LOOP
      v_lo := v_first[i];
      v_hi := v_lo + p_counts[i] - 1;
      SELECT * INTO r FROM __SCHEMA__.append(
        p_streams[i], p_expected[i], v_lo,
        p_ids[v_lo : v_hi], p_types[v_lo : v_hi], p_data[v_lo : v_hi], p_content_types[v_lo : v_hi],
        p_correlation_ids[v_lo : v_hi], p_causation_ids[v_lo : v_hi], p_actor_ids[v_lo : v_hi], p_headers[v_lo : v_hi],
        p_timestamps[i], NULL);
      IF r.status = 0 THEN
        v_last := greatest(v_last, r.last_position);
      END IF;
      status := r.status; stream_version := r.stream_version; last_position := r.last_position;
      existing_id := r.existing_id; existing_stream := r.existing_stream; existing_version := r.existing_version;
      message := r.message;
      RETURN NEXT;
    END LOOP;
  END IF;

  IF p_notify IS NOT NULL THEN
    PERFORM pg_notify(p_notify, coalesce(v_last::text, ''));
  END IF;
END
$fn$;
