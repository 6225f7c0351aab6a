-- Eventuali SQLite schema, version 12: which read-model documents were written while applying events about which
-- data subject (written in the projection's own transaction), so erasing a subject deletes those documents.
CREATE TABLE projection_document_subjects (
  subject TEXT NOT NULL,
  projection TEXT NOT NULL,
  key TEXT NOT NULL,
  PRIMARY KEY (subject, projection, key)
) WITHOUT ROWID;

CREATE INDEX projection_document_subjects_by_document ON projection_document_subjects (projection, key);
