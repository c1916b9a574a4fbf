// Schema 2: full-text search over event subjects and bodies (messages and internal notes) and
// over customer notes, kept in step by triggers. Existing rows are indexed by the rebuild.
export const migration002 = {
  version: 2,
  name: 'full-text search',
  sql: /* sql */ `
CREATE VIRTUAL TABLE events_fts USING fts5(
  subject, body,
  content = 'events', content_rowid = 'id',
  tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER events_fts_ai AFTER INSERT ON events BEGIN
  INSERT INTO events_fts(rowid, subject, body) VALUES (new.id, new.subject, new.body);
END;
CREATE TRIGGER events_fts_ad AFTER DELETE ON events BEGIN
  INSERT INTO events_fts(events_fts, rowid, subject, body) VALUES ('delete', old.id, old.subject, old.body);
END;
CREATE TRIGGER events_fts_au AFTER UPDATE OF subject, body ON events BEGIN
  INSERT INTO events_fts(events_fts, rowid, subject, body) VALUES ('delete', old.id, old.subject, old.body);
  INSERT INTO events_fts(rowid, subject, body) VALUES (new.id, new.subject, new.body);
END;
INSERT INTO events_fts(events_fts) VALUES ('rebuild');

CREATE VIRTUAL TABLE notes_fts USING fts5(
  body,
  content = 'customer_notes', content_rowid = 'id',
  tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER notes_fts_ai AFTER INSERT ON customer_notes BEGIN
  INSERT INTO notes_fts(rowid, body) VALUES (new.id, new.body);
END;
CREATE TRIGGER notes_fts_ad AFTER DELETE ON customer_notes BEGIN
  INSERT INTO notes_fts(notes_fts, rowid, body) VALUES ('delete', old.id, old.body);
END;
CREATE TRIGGER notes_fts_au AFTER UPDATE OF body ON customer_notes BEGIN
  INSERT INTO notes_fts(notes_fts, rowid, body) VALUES ('delete', old.id, old.body);
  INSERT INTO notes_fts(rowid, body) VALUES (new.id, new.body);
END;
INSERT INTO notes_fts(notes_fts) VALUES ('rebuild');
`,
};
