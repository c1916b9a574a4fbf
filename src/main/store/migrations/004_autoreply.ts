// Schema 4: the auto-responder's memory. When each sender last got an automatic answer, so a
// sender gets at most one per hour (loop protection against another robot answering ours).
export const migration004 = {
  version: 4,
  name: 'auto-reply senders',
  sql: /* sql */ `
CREATE TABLE auto_reply_senders (
  -- The normalized (lower-case) sender address.
  address TEXT PRIMARY KEY,
  last_sent_at INTEGER NOT NULL
) WITHOUT ROWID;

-- The worker's claim: the oldest due rows first, per case in creation order.
CREATE INDEX outbox_case ON outbox(case_id, id);
`,
};
