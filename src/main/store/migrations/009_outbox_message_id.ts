// Schema 9: threading looks up our own outgoing Message-IDs (a customer's reply names them in
// In-Reply-To / References); without an index every reference of every incoming reply scanned the outbox.
export const migration009 = {
  version: 9,
  name: 'outbox message-id index',
  sql: /* sql */ `
CREATE INDEX outbox_message_id ON outbox(message_id) WHERE message_id IS NOT NULL;
`,
};
