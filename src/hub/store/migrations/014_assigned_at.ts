// Hub schema 14: when each conversation became its current agent's (accept, transfer, reassign,
// take, reopen), for the supervisor console's "with this agent since". Conversations assigned before
// this schema take their last status change as the best value known.
export const migration014 = {
  version: 14,
  name: 'conversation assigned at',
  sql: /* sql */ `
ALTER TABLE conversations ADD COLUMN assigned_at INTEGER;
UPDATE conversations SET assigned_at = updated_at WHERE status = 'assigned';
`,
};
