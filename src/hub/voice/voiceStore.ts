// Every SQL statement of the voice module: one row per call, updated in place by the call flow and
// Twilio's callbacks. No clock (callers pass `now`) and no I/O beyond the SQLite file.
import type { Db } from '../../platform/sqlite';
import type { CallStatus } from '../../shared/hub/agentProtocol';

export interface CallRecord {
  callSid: string;
  /** Null while the caller is still in the menu (the conversation is made when the call is routed). */
  conversationId: number | null;
  direction: 'in' | 'out';
  from: string;
  to: string;
  status: CallStatus;
  agentId: number | null;
  answeredBy: number | null;
  issueType: string | null;
  durationSec: number | null;
  recordingUrl: string | null;
  recordingSid: string | null;
  outcome: string | null;
  voicemail: boolean;
  transcription: string | null;
  /** The agent's leg of an inbound call, the customer's leg of an outbound one. */
  otherLegSid: string | null;
  conference: string | null;
  createdAt: number;
  updatedAt: number;
}

interface CallRow {
  call_sid: string;
  conversation_id: number | null;
  direction: 'in' | 'out';
  from_number: string;
  to_number: string;
  status: CallStatus;
  agent_id: number | null;
  answered_by: number | null;
  issue_type: string | null;
  duration_sec: number | null;
  recording_url: string | null;
  recording_sid: string | null;
  outcome: string | null;
  voicemail: number;
  transcription: string | null;
  other_leg_sid: string | null;
  conference: string | null;
  created_at: number;
  updated_at: number;
}

const toCall = (r: CallRow): CallRecord => ({
  callSid: r.call_sid,
  conversationId: r.conversation_id,
  direction: r.direction,
  from: r.from_number,
  to: r.to_number,
  status: r.status,
  agentId: r.agent_id,
  answeredBy: r.answered_by,
  issueType: r.issue_type,
  durationSec: r.duration_sec,
  recordingUrl: r.recording_url,
  recordingSid: r.recording_sid,
  outcome: r.outcome,
  voicemail: r.voicemail === 1,
  transcription: r.transcription,
  otherLegSid: r.other_leg_sid,
  conference: r.conference,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const COLUMNS: Record<keyof Omit<CallRecord, 'callSid' | 'createdAt' | 'updatedAt'>, string> = {
  conversationId: 'conversation_id',
  direction: 'direction',
  from: 'from_number',
  to: 'to_number',
  status: 'status',
  agentId: 'agent_id',
  answeredBy: 'answered_by',
  issueType: 'issue_type',
  durationSec: 'duration_sec',
  recordingUrl: 'recording_url',
  recordingSid: 'recording_sid',
  outcome: 'outcome',
  voicemail: 'voicemail',
  transcription: 'transcription',
  otherLegSid: 'other_leg_sid',
  conference: 'conference',
};

export type CallChange = Partial<Omit<CallRecord, 'callSid' | 'createdAt' | 'updatedAt'>>;

export class VoiceStore {
  constructor(private readonly db: Db) {}

  call(callSid: string): CallRecord | null {
    const r = this.db.prepare('SELECT * FROM voice_calls WHERE call_sid = ?').get(callSid) as CallRow | undefined;
    return r ? toCall(r) : null;
  }

  /** The call a leg belongs to: its own row, or the row whose other leg it is. */
  callOfLeg(sid: string): CallRecord | null {
    const r = this.db.prepare('SELECT * FROM voice_calls WHERE call_sid = ? OR other_leg_sid = ? ORDER BY call_sid = ? DESC LIMIT 1').get(sid, sid, sid) as CallRow | undefined;
    return r ? toCall(r) : null;
  }

  /** Stores the call once; a second insert of the same SID (a retried webhook) keeps the first row. */
  insert(c: Pick<CallRecord, 'callSid' | 'conversationId' | 'direction' | 'from' | 'to' | 'status'> & CallChange, now: number): CallRecord {
    this.db
      .prepare(
        `INSERT INTO voice_calls (call_sid, conversation_id, direction, from_number, to_number, status, agent_id, issue_type, created_at, updated_at)
         VALUES (@callSid, @conversationId, @direction, @from, @to, @status, @agentId, @issueType, @now, @now) ON CONFLICT (call_sid) DO NOTHING`,
      )
      .run({ callSid: c.callSid, conversationId: c.conversationId, direction: c.direction, from: c.from, to: c.to, status: c.status, agentId: c.agentId ?? null, issueType: c.issueType ?? null, now });
    return this.call(c.callSid)!;
  }

  update(callSid: string, change: CallChange, now: number): CallRecord | null {
    const entries = Object.entries(change).filter(([, v]) => v !== undefined) as [keyof typeof COLUMNS, unknown][];
    if (entries.length > 0) {
      const sets = entries.map(([k]) => `${COLUMNS[k]} = @${k}`).join(', ');
      const values = Object.fromEntries(entries.map(([k, v]) => [k, typeof v === 'boolean' ? (v ? 1 : 0) : v]));
      this.db.prepare(`UPDATE voice_calls SET ${sets}, updated_at = @now WHERE call_sid = @callSid`).run({ ...values, now, callSid });
    }
    return this.call(callSid);
  }
}
