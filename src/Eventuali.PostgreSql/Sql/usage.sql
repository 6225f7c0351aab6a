-- Tenant usage metering (table tenant_usage, migrations 015 and 016). Each section starts with "-- name: <key>".
-- day: UTC days since 1970-01-01. slot: a day's usage is summed over its slots; each group-commit lane of a store
-- writes a slot of its own (quota-checked transactions all write slot 0, which tenant_admit locks anyway).

-- The quota check (function tenant_admit, tenant_admit.sql), first in a metered append transaction with quotas.
-- name: usage_admit
SELECT __SCHEMA__.tenant_admit($1, $2, $3, $4, $5, $6, $7);

-- Last in a metered append transaction: adds what this transaction stored (function tenant_usage_record, migration
-- 17). Reads counted since the last write ride along. Nothing stored and no reads: no row is touched. $6: the slot.
-- name: usage_record
SELECT __SCHEMA__.tenant_usage_record($1, $2, $3, $4, $5, $6);

-- Reads alone (when the store closes with reads not yet written), in slot 0.
-- name: usage_reads
INSERT INTO __SCHEMA__.tenant_usage AS u (day, reads) VALUES ($1, $2)
ON CONFLICT (day, slot) DO UPDATE SET reads = u.reads + excluded.reads;

-- The report: a range of days (inclusive); an open end is the widest day.
-- name: usage_report
SELECT coalesce(sum(events), 0)::bigint, coalesce(sum(bytes), 0)::bigint, coalesce(sum(streams), 0)::bigint, coalesce(sum(reads), 0)::bigint
  FROM __SCHEMA__.tenant_usage WHERE day BETWEEN $1 AND $2;

-- Storage now: every table of the tenant's schema with its indexes and TOAST.
-- name: usage_storage
SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0)::bigint
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = $1 AND c.relkind IN ('r', 'm');
