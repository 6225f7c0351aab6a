-- Dead letters: one per projection and event (parking the same event again replaces it, so a rebuild or a
-- retry never adds a copy), and retry_requested, set by an operator for the running daemon to retry it.
-- Copies parked before this migration collapse to the newest.
DELETE FROM __SCHEMA__.projection_dead_letters d
 USING __SCHEMA__.projection_dead_letters n
 WHERE n.projection = d.projection AND n.position = d.position AND n.id > d.id;

DROP INDEX IF EXISTS __SCHEMA__.projection_dead_letters_by_projection;

CREATE UNIQUE INDEX projection_dead_letters_by_event ON __SCHEMA__.projection_dead_letters (projection, position);

ALTER TABLE __SCHEMA__.projection_dead_letters ADD COLUMN retry_requested boolean NOT NULL DEFAULT false;
