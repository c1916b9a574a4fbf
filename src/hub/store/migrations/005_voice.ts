// Hub schema 5: the voice module's call records. One row per Twilio call (the caller's leg, an
// agent's outbound call); status callbacks update it in place, so a replayed callback changes
// nothing. A voicemail's recording and transcription are kept on its call's row.
export const migration005 = {
  version: 5,
  name: 'voice',
  sql: /* sql */ `
CREATE TABLE voice_calls (
  call_sid         TEXT PRIMARY KEY,
  conversation_id  INTEGER,
  direction        TEXT NOT NULL CHECK (direction IN ('in', 'out')),
  from_number      TEXT NOT NULL,
  to_number        TEXT NOT NULL,
  status           TEXT NOT NULL,
  -- the agent the call rings or rang last, and the one who answered
  agent_id         INTEGER,
  answered_by      INTEGER,
  issue_type       TEXT,
  duration_sec     INTEGER,
  recording_url    TEXT,
  recording_sid    TEXT,
  outcome          TEXT,
  voicemail        INTEGER NOT NULL DEFAULT 0,
  transcription    TEXT,
  -- the other leg: the agent's softphone leg of an inbound call, the customer's leg of an outbound one
  other_leg_sid    TEXT,
  -- a warm transfer's or a hold's conference
  conference       TEXT,
  created_at       INTEGER NOT NULL,
  updated_at       INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX voice_calls_by_conversation ON voice_calls (conversation_id, created_at);
CREATE INDEX voice_calls_by_other_leg ON voice_calls (other_leg_sid) WHERE other_leg_sid IS NOT NULL;
`,
};
