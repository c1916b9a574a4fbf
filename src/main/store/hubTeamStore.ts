// The SQL of working with the team through the hub: mention notifications and the requests that
// wait for the hub (notes to share, reopens, erases). No I/O beyond the SQLite file.
import type { Db } from './database';

export type PendingKind = 'note' | 'reopen' | 'erase';

export interface PendingRequest {
  id: number;
  hub: string;
  kind: PendingKind;
  caseId: number | null;
  eventId: number | null;
  payload: Record<string, unknown>;
  attempts: number;
}

export interface NotificationRow {
  id: number;
  kind: 'mention';
  caseId: number;
  customerId: number;
  subject: string;
  by: string;
  createdAt: number;
  read: boolean;
}

const MAX_LISTED = 50;

export class HubTeamStore {
  constructor(readonly db: Db) {}

  addNotification(n: { hub: string; caseId: number; hubMessageId: number; by: string; at: number }): number | null {
    const info = this.db
      .prepare(`INSERT OR IGNORE INTO hub_notifications (hub, kind, case_id, hub_message_id, by_name, created_at) VALUES (?, 'mention', ?, ?, ?, ?)`)
      .run(n.hub, n.caseId, n.hubMessageId, n.by, n.at);
    return info.changes === 1 ? Number(info.lastInsertRowid) : null;
  }

  notifications(): NotificationRow[] {
    const rows = this.db
      .prepare(
        `SELECT n.id, n.kind, n.case_id AS caseId, c.customer_id AS customerId, c.subject, n.by_name AS "by", n.created_at AS createdAt, n.read_at IS NOT NULL AS read
         FROM hub_notifications n JOIN cases c ON c.id = n.case_id ORDER BY n.created_at DESC, n.id DESC LIMIT ?`,
      )
      .all(MAX_LISTED) as Array<Omit<NotificationRow, 'read'> & { read: number }>;
    return rows.map((r) => ({ ...r, read: r.read === 1 }));
  }

  unread(): number {
    return this.db.prepare(`SELECT COUNT(*) FROM hub_notifications WHERE read_at IS NULL`).pluck().get() as number;
  }

  markRead(ids: readonly number[], at: number): number {
    return this.db.prepare(`UPDATE hub_notifications SET read_at = ? WHERE read_at IS NULL AND id IN (SELECT value FROM json_each(?))`).run(at, JSON.stringify(ids)).changes;
  }

  enqueue(r: { hub: string; kind: PendingKind; caseId: number | null; eventId: number | null; payload: Record<string, unknown>; at: number }): number {
    return Number(
      this.db
        .prepare(`INSERT INTO hub_pending (hub, kind, case_id, event_id, payload, created_at) VALUES (?, ?, ?, ?, ?, ?)`)
        .run(r.hub, r.kind, r.caseId, r.eventId, JSON.stringify(r.payload), r.at).lastInsertRowid,
    );
  }

  pending(hub: string): PendingRequest[] {
    const rows = this.db
      .prepare(`SELECT id, hub, kind, case_id AS caseId, event_id AS eventId, payload, attempts FROM hub_pending WHERE hub = ? ORDER BY id`)
      .all(hub) as Array<Omit<PendingRequest, 'payload'> & { payload: string }>;
    return rows.map((r) => ({ ...r, payload: JSON.parse(r.payload) as Record<string, unknown> }));
  }

  done(id: number): void {
    this.db.prepare(`DELETE FROM hub_pending WHERE id = ?`).run(id);
  }

  failedAttempt(id: number, error: string): void {
    this.db.prepare(`UPDATE hub_pending SET attempts = attempts + 1, last_error = ? WHERE id = ?`).run(error, id);
  }

  /** The local event a note with this hub idempotency key is (to map the hub's copy onto it). */
  noteEventByHubKey(key: string): number | null {
    return (this.db.prepare(`SELECT id FROM events WHERE external_id = ? AND kind = 'note'`).pluck().get(key) as number | undefined) ?? null;
  }
}
