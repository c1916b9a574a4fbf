// The privacy SQL: the audit log, and the GDPR erase. The erase follows the schema's own foreign
// keys from the customer row down (cases, events, outbox, mail rows, drafts, hub rows, whatever a
// later migration hangs off them), so a new table with a foreign key is erased without a change here.
import type { Db } from '../store/database';
import type { PrivacyAuditRow } from '../../shared/contractPrivacy';

export interface NewAuditRow {
  at: number;
  agentId: number | null;
  agentName: string;
  action: PrivacyAuditRow['action'];
  eventId: number | null;
  customerId: number | null;
  detail: string;
}

interface ForeignKey {
  child: string;
  from: string;
  to: string;
}

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

export interface EraseOutcome {
  /** Rows removed per table. */
  removed: Record<string, number>;
  /** Attachment files no remaining row names any more (delete after the commit). */
  orphanFiles: string[];
}

export class PrivacyStore {
  constructor(private readonly db: Db) {}

  audit(row: NewAuditRow): number {
    return Number(
      this.db
        .prepare(`INSERT INTO privacy_audit (at, agent_id, agent_name, action, event_id, customer_id, detail) VALUES (@at, @agentId, @agentName, @action, @eventId, @customerId, @detail)`)
        .run(row).lastInsertRowid,
    );
  }

  auditRows(limit: number): PrivacyAuditRow[] {
    return this.db
      .prepare(
        `SELECT id, at, agent_id AS agentId, agent_name AS agentName, action, event_id AS eventId, customer_id AS customerId, detail
         FROM privacy_audit ORDER BY at DESC, id DESC LIMIT ?`,
      )
      .all(limit) as PrivacyAuditRow[];
  }

  /** Every foreign key of the schema, by the table it points at. */
  private foreignKeys(): Map<string, ForeignKey[]> {
    const tables = this.db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`).pluck().all() as string[];
    const byParent = new Map<string, ForeignKey[]>();
    for (const child of tables) {
      const keys = this.db.prepare(`SELECT "table" AS parent, "from" AS col, "to" AS ref FROM pragma_foreign_key_list(?)`).all(child) as Array<{ parent: string; col: string; ref: string | null }>;
      for (const k of keys) {
        const to = k.ref ?? this.primaryKeyOf(k.parent);
        const list = byParent.get(k.parent) ?? [];
        list.push({ child, from: k.col, to });
        byParent.set(k.parent, list);
      }
    }
    return byParent;
  }

  private primaryKeyOf(table: string): string {
    const pk = this.db.prepare(`SELECT name FROM pragma_table_info(?) WHERE pk = 1`).pluck().get(table) as string | undefined;
    return pk ?? 'rowid';
  }

  private tableExists(name: string): boolean {
    return this.db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(name) !== undefined;
  }

  /**
   * Removes the customer and everything hanging off them, children before parents, in the caller's
   * transaction. Also what points at them without a foreign key: offers of their hub conversations,
   * their addresses in the remote-content and auto-reply lists. The search indexes follow by trigger.
   */
  eraseCustomerRows(customerId: number): EraseOutcome {
    const removed: Record<string, number> = {};
    const byParent = this.foreignKeys();
    const inJson = `IN (SELECT value FROM json_each(?))`;

    const emails = this.db.prepare(`SELECT value FROM identities WHERE customer_id = ? AND kind = 'email'`).pluck().all(customerId) as string[];
    const files = this.tableExists('mail_attachments')
      ? (this.db
          .prepare(
            `SELECT DISTINCT a.path FROM mail_attachments a JOIN mail_messages m ON m.id = a.mail_message_id JOIN events e ON e.id = m.event_id
             WHERE e.customer_id = ? AND a.path IS NOT NULL`,
          )
          .pluck()
          .all(customerId) as string[])
      : [];
    // Files the agents sent the customer (content-addressed like mail attachments).
    if (this.tableExists('outgoing_attachments')) {
      files.push(
        ...(this.db
          .prepare(`SELECT DISTINCT a.path FROM outgoing_attachments a JOIN events e ON e.id = a.event_id WHERE e.customer_id = ?`)
          .pluck()
          .all(customerId) as string[]),
      );
    }
    const count = (table: string, n: number) => {
      if (n > 0) removed[table] = (removed[table] ?? 0) + n;
    };

    if (this.tableExists('hub_offers') && this.tableExists('hub_conversations')) {
      count(
        'hub_offers',
        this.db
          .prepare(
            `DELETE FROM hub_offers WHERE EXISTS (SELECT 1 FROM hub_conversations hc JOIN cases c ON c.id = hc.case_id
               WHERE c.customer_id = ? AND hc.hub = hub_offers.hub AND hc.conversation_id = hub_offers.conversation_id)`,
          )
          .run(customerId).changes,
      );
    }
    for (const table of ['remote_content_senders', 'auto_reply_senders']) {
      if (emails.length && this.tableExists(table)) count(table, this.db.prepare(`DELETE FROM ${table} WHERE address ${inJson}`).run(JSON.stringify(emails)).changes);
    }

    const erase = (table: string, column: string, values: unknown[], depth: number) => {
      const keys = values.filter((v) => v !== null && v !== undefined);
      if (keys.length === 0) return;
      if (depth > 12) throw new Error(`The erase went deeper than 12 tables at ${table}; refusing to continue.`);
      const json = JSON.stringify(keys);
      for (const fk of byParent.get(table) ?? []) {
        const refs = this.db.prepare(`SELECT DISTINCT ${quote(fk.to)} FROM ${quote(table)} WHERE ${quote(column)} ${inJson}`).pluck().all(json);
        erase(fk.child, fk.from, refs, depth + 1);
      }
      count(table, this.db.prepare(`DELETE FROM ${quote(table)} WHERE ${quote(column)} ${inJson}`).run(json).changes);
    };
    erase('customers', 'id', [customerId], 0);

    // FTS5 keeps deleted terms in old segments until they merge: merging now leaves none of the text in the index.
    for (const fts of ['events_fts', 'notes_fts']) {
      if (this.tableExists(fts)) this.db.prepare(`INSERT INTO ${fts}(${fts}) VALUES ('optimize')`).run();
    }
    const stillUsed = this.tableExists('mail_attachments') ? this.db.prepare(`SELECT 1 FROM mail_attachments WHERE path = ? LIMIT 1`) : null;
    const stillSent = this.tableExists('outgoing_attachments') ? this.db.prepare(`SELECT 1 FROM outgoing_attachments WHERE path = ? LIMIT 1`) : null;
    const orphanFiles = [...new Set(files)].filter((f) => !stillUsed?.get(f) && !stillSent?.get(f));
    return { removed, orphanFiles };
  }
}
