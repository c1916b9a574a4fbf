// Schema 14: files on outgoing replies. A draft keeps the files staged for it (their bytes are in
// the content-addressed attachment store, only the list is here), and each sent reply lists its
// files, so the timeline shows them, /attachments/<sha256> serves them and the outbox sends them.
export const migration014 = {
  version: 14,
  name: 'outgoing_attachments',
  sql: /* sql */ `
ALTER TABLE composer_drafts ADD COLUMN attachments TEXT NOT NULL DEFAULT '[]';

CREATE TABLE outgoing_attachments (
  id INTEGER PRIMARY KEY,
  event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
  sha256 TEXT NOT NULL,
  filename TEXT NOT NULL,
  -- As read from the bytes when the reply was stored.
  content_type TEXT NOT NULL,
  size INTEGER NOT NULL,
  -- The file in the attachment store.
  path TEXT NOT NULL
);
CREATE INDEX outgoing_attachments_event ON outgoing_attachments(event_id);
CREATE INDEX outgoing_attachments_sha ON outgoing_attachments(sha256);
`,
};
