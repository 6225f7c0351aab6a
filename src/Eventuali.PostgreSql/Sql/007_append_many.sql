-- Eventuali schema migration 7 (PostgreSQL only): group commit in one function call.
-- No table changes. The new function append_many lives in Sql/append_many.sql and, like append(), is
-- (re-)created by the migration run that brings a store to the latest version; this version exists so
-- that a store at version 6 is upgraded to one whose append functions include it.
SELECT 1;
