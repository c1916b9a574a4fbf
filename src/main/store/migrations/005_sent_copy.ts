// Schema 5: who keeps the copy of a sent reply in the Sent folder. 'append': Omni Desk appends it
// after the send; 'server': the provider files sent mail itself (Gmail, Microsoft 365), and an
// append of ours would make a second copy.
export const migration005 = {
  version: 5,
  name: 'sent copy per account',
  sql: /* sql */ `
ALTER TABLE mail_accounts ADD COLUMN sent_copy TEXT NOT NULL DEFAULT 'append' CHECK (sent_copy IN ('append', 'server'));
`,
};
