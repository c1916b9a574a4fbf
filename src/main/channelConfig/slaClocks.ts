// The desktop's SLA clocks follow the channel configuration: every deadline (ingest, the queue, the
// conversation header) is counted with the matrix last applied from the current hub, or the built-in
// policy and calendars when none was ever received. When that basis changes (a new version, another
// hub), the stored deadlines of the waiting cases are counted again in one transaction, once.
import type { ChannelMatrix } from '../../shared/channelConfig';
import type { Channel, Priority } from '../../shared/domain';
import { responseDue, slaSettings, type SlaSettings } from '../../shared/slaSettings';
import type { Db } from '../store/database';
import type { Repository } from '../store/repository';

/** The settings row naming what the stored deadlines were counted with (null: the built-ins). */
const BASIS_KEY = 'sla.basis';

interface Basis {
  hubKey: string;
  version: number;
}

export interface SlaClocksOptions {
  db: Db;
  repo: Pick<Repository, 'getSetting' | 'setSetting' | 'transaction'>;
  /** The matrix last applied from the current hub (any version; before it is known, from `hubBefore`), or null. */
  kept: (hubBefore: string | null) => { hubKey: string; version: number; matrix: ChannelMatrix } | null;
  /** The queue's deadlines moved. */
  onRecounted: (cases: number) => void;
  log: (line: string) => void;
}

interface WaitingRow {
  id: number;
  channel: Channel;
  priority: Priority;
  waitingSince: number;
  answered: number;
}

export function createSlaClocks(o: SlaClocksOptions) {
  const waiting = o.db.prepare(`SELECT id, channel, priority, waiting_since AS waitingSince, first_response_at IS NOT NULL AS answered
    FROM cases WHERE status NOT IN ('resolved', 'closed') AND waiting_since IS NOT NULL AND sla_due_at IS NOT NULL`);
  const setDue = o.db.prepare('UPDATE cases SET sla_due_at = ? WHERE id = ?');

  const stored = (): Basis | null => o.repo.getSetting<Basis | null>(BASIS_KEY) ?? null;
  // Until the hub is known (at start, offline) the one the stored deadlines were counted with.
  const current = () => o.kept(stored()?.hubKey ?? null);

  /** What every SLA computation uses now (one compiled set per matrix version). */
  const settings = (): SlaSettings => slaSettings(current()?.matrix ?? null);

  /** Counts the waiting cases' deadlines again if the basis changed since they were stored; false: it had not. */
  function recount(): boolean {
    const k = current();
    const now: Basis | null = k ? { hubKey: k.hubKey, version: k.version } : null;
    const before = stored();
    if (before?.hubKey === now?.hubKey && before?.version === now?.version) return false;
    const s = slaSettings(k?.matrix ?? null);
    const moved = o.repo.transaction(() => {
      let n = 0;
      for (const c of waiting.all() as WaitingRow[]) {
        const due = responseDue(s, c.channel, c.priority, c.answered ? 'nextResponse' : 'firstResponse', c.waitingSince);
        if (due === null) continue;
        n += setDue.run(due, c.id).changes;
      }
      o.repo.setSetting(BASIS_KEY, now);
      return n;
    });
    o.log(`SLA clocks: ${moved} waiting case deadlines counted again with ${now ? `channel configuration version ${now.version} of hub ${now.hubKey}` : 'the built-in policy'}`);
    o.onRecounted(moved);
    return true;
  }

  return { settings, recount };
}
