// Schema 3: email. The support mailboxes (secrets stay in the secret store, only their key is
// here), the sync position per folder, one row per fetched message bound to its timeline event.
export const migration003 = {
  version: 3,
  name: 'email',
  sql: /* sql */ `
CREATE TABLE mail_accounts (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  -- The shared support address customers write to (support@company.example).
  address TEXT NOT NULL UNIQUE,
  imap_host TEXT NOT NULL,
  imap_port INTEGER NOT NULL CHECK (imap_port BETWEEN 1 AND 65535),
  imap_tls TEXT NOT NULL DEFAULT 'tls' CHECK (imap_tls IN ('tls', 'starttls', 'none')),
  smtp_host TEXT,
  smtp_port INTEGER CHECK (smtp_port BETWEEN 1 AND 65535),
  smtp_tls TEXT NOT NULL DEFAULT 'tls' CHECK (smtp_tls IN ('tls', 'starttls', 'none')),
  username TEXT NOT NULL,
  auth TEXT NOT NULL DEFAULT 'password' CHECK (auth IN ('password', 'xoauth2')),
  -- A key into the secret store (OS keychain / safeStorage); never the password or token itself.
  secret_ref TEXT,
  sync_days INTEGER NOT NULL DEFAULT 90 CHECK (sync_days > 0),
  archive_on_resolve INTEGER NOT NULL DEFAULT 1 CHECK (archive_on_resolve IN (0, 1)),
  archive_folder TEXT NOT NULL DEFAULT 'Archive',
  sent_folder TEXT NOT NULL DEFAULT 'Sent',
  status TEXT NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'syncing', 'idle', 'error')),
  -- The sentence the accounts screen shows: "The password was not accepted.", "…refused the connection."
  status_detail TEXT,
  progress_done INTEGER NOT NULL DEFAULT 0,
  progress_total INTEGER NOT NULL DEFAULT 0,
  last_connected_at INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

CREATE TABLE mail_folders (
  account_id INTEGER NOT NULL REFERENCES mail_accounts(id) ON DELETE CASCADE,
  path TEXT NOT NULL,
  uid_validity INTEGER,
  -- 64-bit unsigned on the wire: kept as decimal text, SQLite integers are signed.
  highest_modseq TEXT,
  uid_next INTEGER,
  -- Set once the initial sync of the folder completed; until then every session resumes it.
  last_synced_at INTEGER,
  PRIMARY KEY (account_id, path)
) WITHOUT ROWID;

CREATE TABLE mail_messages (
  id INTEGER PRIMARY KEY,
  account_id INTEGER NOT NULL REFERENCES mail_accounts(id) ON DELETE CASCADE,
  folder TEXT NOT NULL,
  uid_validity INTEGER NOT NULL,
  uid INTEGER NOT NULL,
  message_id TEXT,
  -- A digest of the identifying headers: the same mail delivered or listed twice is one row.
  header_hash TEXT NOT NULL,
  event_id INTEGER REFERENCES events(id),
  in_reply_to TEXT,
  references_json TEXT NOT NULL DEFAULT '[]',
  flags_json TEXT NOT NULL DEFAULT '[]',
  modseq TEXT,
  -- The raw HTML part; the renderer sanitizes it before showing it. NULL for plain-text mail.
  html TEXT,
  size INTEGER,
  -- The sender's normalized address: remote-content consent is given per sender.
  from_address TEXT,
  -- Set when the message was not turned into a timeline message (too large, unparseable, …).
  quarantined_reason TEXT,
  received_at INTEGER NOT NULL,
  -- Set when the server no longer lists the message at its UID (expunged, moved elsewhere).
  vanished_at INTEGER,
  -- Changes the desktop made that the server has not confirmed yet (offline, or not yet pushed):
  -- {"add": ["\\Seen"], "remove": []} and the folder a MOVE should take the message to.
  pending_flags_json TEXT,
  pending_move_to TEXT,
  created_at INTEGER NOT NULL,
  UNIQUE (account_id, folder, uid_validity, uid),
  UNIQUE (account_id, header_hash)
);
CREATE INDEX mail_messages_message_id ON mail_messages(message_id);
CREATE INDEX mail_messages_event ON mail_messages(event_id);
CREATE INDEX mail_messages_pending ON mail_messages(account_id) WHERE pending_flags_json IS NOT NULL OR pending_move_to IS NOT NULL;
CREATE INDEX mail_messages_quarantined ON mail_messages(account_id, received_at) WHERE quarantined_reason IS NOT NULL;

CREATE TABLE mail_attachments (
  id INTEGER PRIMARY KEY,
  mail_message_id INTEGER NOT NULL REFERENCES mail_messages(id) ON DELETE CASCADE,
  filename TEXT,
  content_type TEXT NOT NULL,
  size INTEGER NOT NULL,
  content_id TEXT,
  inline INTEGER NOT NULL DEFAULT 0 CHECK (inline IN (0, 1)),
  sha256 TEXT,
  -- Where the content was written, when it was kept.
  path TEXT
);
CREATE INDEX mail_attachments_message ON mail_attachments(mail_message_id);

-- Senders whose mail may load remote images (an agent chose "always show for this sender").
CREATE TABLE remote_content_senders (
  address TEXT PRIMARY KEY,
  allowed_at INTEGER NOT NULL
) WITHOUT ROWID;

-- The Message-ID an outgoing mail is sent with, so the reply threads back to its case.
ALTER TABLE outbox ADD COLUMN message_id TEXT;
`,
};
