// Where archive-on-resolve stands for given stored mails: still waiting for the server, moved, gone,
// or left in place because the server refused. Read-only; the moves themselves are MailStore's.
import type { Db } from './database';

export type ArchiveOutcome = 'waiting' | 'moved' | 'gone' | 'refused';

interface PlaceRow {
  id: number;
  folder: string;
  vanished_at: number | null;
  pending_move_to: string | null;
}

/**
 * The outcome of a MOVE of each mail to `destination`. A mail still in `from` with no move pending
 * was refused: the IMAP session drops a move the server answered with NO (see imapSync.pushMove).
 */
export function archiveOutcomes(db: Db, mailMessageIds: readonly number[], from: string, destination: string): Map<number, ArchiveOutcome> {
  const read = db.prepare(`SELECT id, folder, vanished_at, pending_move_to FROM mail_messages WHERE id = ?`);
  const out = new Map<number, ArchiveOutcome>();
  for (const id of mailMessageIds) {
    const row = read.get(id) as PlaceRow | undefined;
    if (!row || row.vanished_at !== null) out.set(id, 'gone');
    else if (row.pending_move_to !== null) out.set(id, 'waiting');
    else if (row.folder === destination) out.set(id, 'moved');
    else if (row.folder === from) out.set(id, 'refused');
    else out.set(id, 'gone');
  }
  return out;
}
