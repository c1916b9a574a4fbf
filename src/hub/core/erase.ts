// The GDPR erase on the hub: the customers (contacts) of the given conversations, with every
// conversation of theirs and everything keyed by them: messages, offers, CSAT, the module tables
// (any table with a conversation_id, visitor_id or sender column, so a later module is covered
// without a change here) and the agent events that carried their text. Runs inside the caller's
// transaction; the caller rewrites the file afterwards (VACUUM) so nothing lingers in free pages.
import type { Db } from '../../platform/sqlite';

export interface EraseScope {
  conversationIds: number[];
  contactIds: number[];
  /** The contacts' channel addresses (phone numbers, visitor ids, page-scoped ids, emails). */
  addresses: string[];
}

export interface EraseCounts {
  conversations: number;
  messages: number;
  contacts: number;
  /** Rows removed per table. */
  removed: Record<string, number>;
}

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;
const IN_JSON = 'IN (SELECT value FROM json_each(?))';
/** Where a conversation id sits in a stored agent event (see HubEvent). */
const EVENT_CONVERSATION_PATHS = ['$.conversationId', '$.conversation.id', '$.bundle.conversation.id', '$.message.conversationId'];

/** Every conversation of the contacts behind `conversationIds` (a customer is all of their conversations). */
export function eraseScope(db: Db, conversationIds: readonly number[]): EraseScope {
  const contactIds = db
    .prepare(`SELECT DISTINCT contact_id FROM conversations WHERE id ${IN_JSON}`)
    .pluck()
    .all(JSON.stringify(conversationIds)) as number[];
  const contacts = JSON.stringify(contactIds);
  const all = db.prepare(`SELECT id FROM conversations WHERE contact_id ${IN_JSON} ORDER BY id`).pluck().all(contacts) as number[];
  const rows = db.prepare(`SELECT address, email, phone FROM contacts WHERE id ${IN_JSON}`).all(contacts) as Array<{ address: string; email: string | null; phone: string | null }>;
  const addresses = [...new Set(rows.flatMap((r) => [r.address, r.email, r.phone]).filter((a): a is string => !!a))];
  return { conversationIds: all, contactIds, addresses };
}

function columnsOf(db: Db, table: string): string[] {
  return db.prepare(`SELECT name FROM pragma_table_info(?)`).pluck().all(table) as string[];
}

/** Tables that point at another table of `tables` come before it (children first). */
function childrenFirst(db: Db, tables: string[]): string[] {
  const parents = new Map(tables.map((t) => [t, (db.prepare(`SELECT "table" FROM pragma_foreign_key_list(?)`).pluck().all(t) as string[]).filter((p) => p !== t)]));
  const out: string[] = [];
  const visit = (t: string, seen: Set<string>) => {
    if (out.includes(t) || seen.has(t)) return;
    seen.add(t);
    for (const [child, ps] of parents) if (ps.includes(t)) visit(child, seen);
    out.push(t);
  };
  for (const t of tables) visit(t, new Set());
  return out;
}

/** Deletes the scope's rows; call inside a transaction. */
export function eraseRows(db: Db, scope: EraseScope): EraseCounts {
  const removed: Record<string, number> = {};
  const count = (table: string, n: number) => {
    if (n > 0) removed[table] = (removed[table] ?? 0) + n;
  };
  const ids = JSON.stringify(scope.conversationIds);
  const tables = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`).pluck().all() as string[]).filter(
    (t) => !t.includes('_fts') && t !== 'conversations' && t !== 'contacts',
  );
  const withColumn = (column: string) => tables.filter((t) => columnsOf(db, t).includes(column));

  // Visitors (widget, portal): their ids from the widget rows and the contacts' addresses.
  const visitors = new Set(scope.addresses);
  if (tables.includes('widget_conversations')) {
    for (const v of db.prepare(`SELECT visitor_id FROM widget_conversations WHERE conversation_id ${IN_JSON}`).pluck().all(ids) as string[]) visitors.add(v);
  }
  const visitorJson = JSON.stringify([...visitors]);
  const senders = JSON.stringify(scope.addresses);

  const events = db.prepare(
    `DELETE FROM agent_events WHERE ${EVENT_CONVERSATION_PATHS.map((p) => `json_extract(payload, '${p}') ${IN_JSON}`).join(' OR ')}`,
  );
  count('agent_events', events.run(...EVENT_CONVERSATION_PATHS.map(() => ids)).changes);

  for (const table of childrenFirst(db, [...new Set([...withColumn('conversation_id'), ...withColumn('visitor_id'), ...withColumn('sender')])])) {
    const cols = columnsOf(db, table);
    if (cols.includes('conversation_id')) count(table, db.prepare(`DELETE FROM ${quote(table)} WHERE conversation_id ${IN_JSON}`).run(ids).changes);
    if (cols.includes('visitor_id')) count(table, db.prepare(`DELETE FROM ${quote(table)} WHERE visitor_id ${IN_JSON}`).run(visitorJson).changes);
    // Filtered traffic and rate buckets name the sender; an SMS opt-out (keyed by `address`) stays, so a STOP is still honoured.
    if (cols.includes('sender')) count(table, db.prepare(`DELETE FROM ${quote(table)} WHERE sender ${IN_JSON}`).run(senders).changes);
  }
  const conversations = db.prepare(`DELETE FROM conversations WHERE id ${IN_JSON}`).run(ids).changes;
  const contacts = db.prepare(`DELETE FROM contacts WHERE id ${IN_JSON}`).run(JSON.stringify(scope.contactIds)).changes;
  count('conversations', conversations);
  count('contacts', contacts);
  return { conversations, messages: removed.messages ?? 0, contacts, removed };
}

/**
 * Rewrites the file from the live rows (old versions of rows linger in free pages otherwise) and
 * empties the write-ahead log. Must run outside any transaction.
 */
export function compact(db: Db): void {
  db.exec('VACUUM');
  db.pragma('wal_checkpoint(TRUNCATE)');
}
