-- One append, in one call: idempotency check, expected-version check, insert of all events.
-- Returns a status instead of raising, so several appends can share one transaction (group commit).
--   status 0 ok, 1 idempotent replay, 2 version conflict (stream_version = actual, null: no stream),
--   3 duplicate event id (existing_*), 4 payload rejected (message),
--   5 stream deleted (stream_version = its state: 1 soft-deleted, 2 tombstoned); checked before idempotency.
-- Positions: ((transaction id + offset) << 20) + n, n = p_first_n.. within the transaction.
CREATE OR REPLACE FUNCTION __SCHEMA__.append(
  p_stream text, p_expected bigint, p_first_n integer,
  p_ids uuid[], p_types text[], p_data bytea[], p_content_types text[],
  p_correlation_ids text[], p_causation_ids text[], p_actor_ids text[], p_headers jsonb[],
  p_timestamp timestamptz, p_notify text,
  OUT status integer, OUT stream_version bigint, OUT last_position bigint,
  OUT existing_id uuid, OUT existing_stream text, OUT existing_version bigint, OUT message text)
LANGUAGE plpgsql AS $fn$
DECLARE
  v_count integer := cardinality(p_ids);
  v_stream_id bigint;
  v_found_stream bigint;
  v_offset bigint;
  v_actual bigint;
  v_first bigint;
  v_rows integer;
  v_mismatch bigint;
  v_base bigint;
  v_attempt integer := 0;
  v_constraint text;
  v_state smallint;
  v_epoch bigint;
BEGIN
  IF p_first_n < 1 OR p_first_n + v_count - 1 > 1048575 THEN
    RAISE EXCEPTION 'eventuali: events % to % exceed 1048575 per transaction', p_first_n, p_first_n + v_count - 1;
  END IF;
  LOOP
    v_attempt := v_attempt + 1;
    BEGIN
      -- One statement: where the first id is stored (idempotency comes first), the stream's id and current
      -- version (NULL when it does not exist) and the position offset (reading meta holds ACCESS SHARE on it
      -- until commit, which an offset raise waits for).
      SELECT f.stream_id, f.version, s.id,
             greatest((SELECT max(e.version) FROM __SCHEMA__.events e WHERE e.stream_id = s.id), nullif(s.truncated_before - 1, 0)),
             (SELECT m.position_offset FROM __SCHEMA__.meta m), s.state, s.epoch
        INTO v_found_stream, v_first, v_stream_id, v_actual, v_offset, v_state, v_epoch
        FROM (VALUES (1)) AS one (x)
        LEFT JOIN __SCHEMA__.events f ON f.event_id = p_ids[1]
        LEFT JOIN __SCHEMA__.streams s ON s.name = p_stream;
      IF v_state <> 0 THEN
        status := 5;
        stream_version := v_state;
        EXIT;
      END IF;
      IF v_found_stream IS NOT NULL THEN
        IF v_found_stream = v_stream_id THEN
          existing_stream := p_stream;
        ELSE
          SELECT s.name INTO existing_stream FROM __SCHEMA__.streams s WHERE s.id = v_found_stream;
        END IF;
        existing_id := p_ids[1];
        existing_version := v_first;
        status := 3;
        IF existing_stream <> p_stream OR (p_expected >= 0 AND v_first <> p_expected + 1) THEN
          EXIT;
        END IF;
        SELECT count(*)::integer, min(e.version) FILTER (WHERE e.event_id <> p_ids[(e.version - v_first + 1)::integer]), max(e.position)
          INTO v_rows, v_mismatch, last_position
          FROM __SCHEMA__.events e
         WHERE e.stream_id = v_found_stream AND e.version >= v_first AND e.version < v_first + v_count;
        IF v_rows < v_count THEN
          last_position := NULL;
          EXIT;
        END IF;
        IF v_mismatch IS NOT NULL THEN
          existing_id := p_ids[(v_mismatch - v_first + 1)::integer];
          existing_version := v_mismatch;
          last_position := NULL;
          EXIT;
        END IF;
        status := 1;
        stream_version := v_first + v_count - 1;
        existing_id := NULL; existing_stream := NULL; existing_version := NULL;
        EXIT;
      END IF;

      IF NOT (p_expected = -1
              OR (p_expected = -2 AND v_actual IS NOT NULL)
              OR (p_expected = 0 AND v_actual IS NULL)
              OR (p_expected > 0 AND coalesce(v_actual, 0) = p_expected)) THEN
        status := 2;
        stream_version := v_actual;
        EXIT;
      END IF;

      -- A retry after a unique violation on an event id: say where the id is stored.
      IF v_attempt > 1 THEN
        SELECT e.event_id, s.name, e.version INTO existing_id, existing_stream, existing_version
          FROM __SCHEMA__.events e JOIN __SCHEMA__.streams s ON s.id = e.stream_id
         WHERE e.event_id = ANY (p_ids)
         ORDER BY array_position(p_ids, e.event_id) LIMIT 1;
        IF FOUND THEN
          status := 3;
          EXIT;
        END IF;
      END IF;

      IF v_stream_id IS NULL THEN
        v_epoch := 0;
        INSERT INTO __SCHEMA__.streams (name) VALUES (p_stream) ON CONFLICT (name) DO NOTHING RETURNING id INTO v_stream_id;
        IF v_stream_id IS NULL THEN
          SELECT id, epoch INTO v_stream_id, v_epoch FROM __SCHEMA__.streams WHERE name = p_stream;
        END IF;
      END IF;

      v_base := ((pg_current_xact_id()::text::bigint + v_offset) << 20) + p_first_n - 1;
      INSERT INTO __SCHEMA__.events (position, stream_id, version, event_id, event_type, content_type, data_json, data_bytes,
                                     correlation_id, causation_id, actor_id, headers, "timestamp")
      SELECT v_base + u.n, v_stream_id, coalesce(v_actual, 0) + u.n, u.id, u.typ, u.ct,
             CASE WHEN u.ct = 'application/json' THEN convert_from(u.data, 'UTF8')::jsonb END,
             CASE WHEN u.ct <> 'application/json' THEN u.data END,
             u.corr, u.caus, u.actor, u.hdr, p_timestamp
        FROM unnest(p_ids, p_types, p_data, p_content_types, p_correlation_ids, p_causation_ids, p_actor_ids, p_headers)
             WITH ORDINALITY AS u(id, typ, data, ct, corr, caus, actor, hdr, n)
       -- Still live and not deleted since the lookup (a delete takes a SHARE lock on events, so this statement's
       -- snapshot, taken after its insert lock, sees any delete that committed meanwhile); else decide again.
       WHERE EXISTS (SELECT 1 FROM __SCHEMA__.streams g WHERE g.id = v_stream_id AND g.state = 0 AND g.epoch = v_epoch);
      GET DIAGNOSTICS v_rows = ROW_COUNT;
      IF v_rows = 0 THEN
        IF v_attempt >= 100 THEN
          RAISE EXCEPTION 'eventuali: stream % kept changing under an append', p_stream;
        END IF;
        CONTINUE;
      END IF;
      status := 0;
      stream_version := coalesce(v_actual, 0) + v_count;
      last_position := v_base + v_count;
      EXIT;
    EXCEPTION
      WHEN unique_violation THEN
        -- A racing writer committed the same version or event id first: decide again on what it wrote.
        GET STACKED DIAGNOSTICS v_constraint = CONSTRAINT_NAME;
        IF v_constraint NOT IN ('events_stream_version_key', 'events_event_id_key') OR v_attempt >= 100 THEN
          RAISE;
        END IF;
      WHEN data_exception THEN
        status := 4;
        message := SQLERRM;
        EXIT;
    END;
  END LOOP;
  IF p_notify IS NOT NULL THEN
    PERFORM pg_notify(p_notify, CASE WHEN status = 0 THEN last_position::text ELSE '' END);
  END IF;
END
$fn$;
