// Every SQL statement of the softphone: the screen pop's reads (who holds a number, the last
// message per channel, the live chat with this agent), provisional caller profiles and their
// merge into the real customer. Each read is one indexed query; callers group writes in transactions.
import type { Statement } from 'better-sqlite3';
import type { Channel } from '../../shared/domain';
import type { Db } from '../store/database';
import { HUB_SEND_CHANNELS } from '../store/hubLocalStore';
import { lazyStatements } from '../store/statements';

export interface LastMessageRow {
  eventId: number;
  caseId: number | null;
  channel: Channel;
  subject: string | null;
  body: string;
  at: number;
}

const CHAT_LIKE = HUB_SEND_CHANNELS.map((c) => `'${c}'`).join(', ');

export class VoiceStore {
  private readonly s: Record<string, Statement>;

  constructor(readonly db: Db) {
    this.s = lazyStatements(db, {
      // identities(kind, platform, value) is UNIQUE: one index seek (see the screen-pop test's query plan).
      customerByPhone: `SELECT i.customer_id AS id FROM identities i WHERE i.kind = 'phone' AND i.platform = '' AND i.value = ?`,
      mergedInto: `SELECT merged_into FROM customers WHERE id = ?`,
      // SQLite returns the other columns of the row holding max(): the newest customer message per channel.
      lastMessages: `SELECT e.id AS eventId, e.case_id AS caseId, e.channel, e.subject, substr(e.body, 1, 4000) AS body, max(e.occurred_at) AS at
        FROM events e WHERE e.customer_id = ? AND e.direction = 'in' AND e.kind = 'message' AND e.channel <> 'phone' GROUP BY e.channel`,
      activeChat: `SELECT c.id AS caseId, c.channel FROM cases c JOIN hub_conversations hc ON hc.case_id = c.id AND hc.assigned = 1
        WHERE c.customer_id = ? AND c.status IN ('open', 'pending') AND c.channel IN (${CHAT_LIKE}) ORDER BY c.updated_at DESC LIMIT 1`,
      caseOfHubConversation: `SELECT c.customer_id AS customerId FROM hub_conversations hc JOIN cases c ON c.id = hc.case_id WHERE hc.hub = ? AND hc.conversation_id = ?`,
      isProvisional: `SELECT 1 FROM voice_provisional_callers WHERE customer_id = ?`,
      addProvisional: `INSERT INTO voice_provisional_callers (customer_id, e164, call_sid, created_at) VALUES (?, ?, ?, ?)`,
      dropProvisional: `DELETE FROM voice_provisional_callers WHERE customer_id = ?`,
      customerExists: `SELECT merged_into FROM customers WHERE id = ?`,
      moveIdentities: `UPDATE OR IGNORE identities SET customer_id = @into WHERE customer_id = @from`,
      dropLeftIdentities: `DELETE FROM identities WHERE customer_id = @from`,
      moveCases: `UPDATE cases SET customer_id = @into WHERE customer_id = @from`,
      moveEvents: `UPDATE events SET customer_id = @into WHERE customer_id = @from`,
      moveNotes: `UPDATE customer_notes SET customer_id = @into WHERE customer_id = @from`,
      markMerged: `UPDATE customers SET merged_into = @into WHERE id = @from`,
    });
  }

  /** The live customer holding this E.164 number (merges followed), or null. */
  customerByPhone(e164: string): number | null {
    const row = this.s.customerByPhone!.get(e164) as { id: number } | undefined;
    return row ? this.follow(row.id) : null;
  }

  /** The local customer of a hub conversation (the case the desktop keeps for it), or null. */
  customerOfHubConversation(hub: string, conversationId: number): number | null {
    const row = this.s.caseOfHubConversation!.get(hub, conversationId) as { customerId: number } | undefined;
    return row ? this.follow(row.customerId) : null;
  }

  lastMessages(customerId: number): LastMessageRow[] {
    return this.s.lastMessages!.all(customerId) as LastMessageRow[];
  }

  activeChat(customerId: number): { caseId: number; channel: Channel } | null {
    return (this.s.activeChat!.get(customerId) as { caseId: number; channel: Channel } | undefined) ?? null;
  }

  isProvisional(customerId: number): boolean {
    return this.s.isProvisional!.get(customerId) !== undefined;
  }

  addProvisional(customerId: number, e164: string, callSid: string, at: number): void {
    this.s.addProvisional!.run(customerId, e164, callSid, at);
  }

  /** Moves everything of `from` to `into` and marks `from` merged (in the caller's transaction). */
  merge(from: number, into: number): { identities: number; cases: number; events: number } {
    const p = { from, into };
    const identities = this.s.moveIdentities!.run(p).changes;
    this.s.dropLeftIdentities!.run(p);
    const cases = this.s.moveCases!.run(p).changes;
    const events = this.s.moveEvents!.run(p).changes;
    this.s.moveNotes!.run(p);
    this.s.markMerged!.run(p);
    this.s.dropProvisional!.run(from);
    return { identities, cases, events };
  }

  /** Null: no such customer; else whether it was merged away already. */
  customerState(id: number): 'live' | 'merged' | null {
    const row = this.s.customerExists!.get(id) as { merged_into: number | null } | undefined;
    return row ? (row.merged_into === null ? 'live' : 'merged') : null;
  }

  private follow(id: number): number {
    const seen = new Set<number>([id]);
    let current = id;
    for (;;) {
      const next = (this.s.mergedInto!.get(current) as { merged_into: number | null } | undefined)?.merged_into ?? null;
      if (next === null || seen.has(next)) return current;
      seen.add(next);
      current = next;
    }
  }
}
