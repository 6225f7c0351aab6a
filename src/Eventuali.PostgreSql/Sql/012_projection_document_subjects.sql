-- Eventuali schema migration 12: which read-model documents were written while applying events about which data
-- subject (written in the projection's own transaction), so erasing a subject deletes those documents.
CREATE TABLE IF NOT EXISTS __SCHEMA__.projection_document_subjects (
  subject text COLLATE "C" NOT NULL,
  projection text COLLATE "C" NOT NULL,
  key text COLLATE "C" NOT NULL,
  PRIMARY KEY (subject, projection, key)
);

CREATE INDEX IF NOT EXISTS projection_document_subjects_by_document ON __SCHEMA__.projection_document_subjects (projection, key);
