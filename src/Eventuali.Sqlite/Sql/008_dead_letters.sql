-- Dead letters: one per projection and event (parking the same event again replaces it, so a rebuild or a
-- retry never adds a copy), and retry_requested, set by an operator for the running daemon to retry it.
-- Copies parked before this migration collapse to the newest.
DELETE FROM projection_dead_letters
 WHERE EXISTS (SELECT 1 FROM projection_dead_letters n
                WHERE n.projection = projection_dead_letters.projection
                  AND n.position = projection_dead_letters.position
                  AND n.id > projection_dead_letters.id);

DROP INDEX IF EXISTS projection_dead_letters_by_projection;

CREATE UNIQUE INDEX projection_dead_letters_by_event ON projection_dead_letters (projection, position);

ALTER TABLE projection_dead_letters ADD COLUMN retry_requested INTEGER NOT NULL DEFAULT 0;
