-- Cross-tenant analytics, run as the analytics reader's own role. Each section starts with "-- name: <key>".
-- __SCHEMA__ is the read tenant's schema; the role holds SELECT on its events and tenant_usage only.

-- Who the reader is: it must not be the provisioning role, a superuser or a role that bypasses row security.
-- name: whoami
SELECT current_user::text, r.rolsuper, r.rolbypassrls FROM pg_roles r WHERE r.rolname = current_user;

-- Streams that hold events now (a stream whose events were all removed is not counted).
-- name: stream_count
SELECT count(DISTINCT stream_id) FROM __SCHEMA__.events;

-- name: events_by_type
SELECT event_type, count(*) FROM __SCHEMA__.events GROUP BY event_type ORDER BY event_type;
