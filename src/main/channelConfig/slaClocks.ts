// The desktop's SLA clocks follow the channel configuration: every deadline (ingest, the queue, the
// conversation header) is counted with the matrix last applied from the current hub, or the built-in
// policy and calendars when none was ever received. When that basis changes (a new version, another
// hub), the stored deadlines of the waiting cases are counted again in one transaction, once.
import type { ChannelMatrix } from '../../shared/channelConfig';
import type { Channel, Priority } from '../../shared/domain';
import { responseDue, slaSettings, type SlaSettings } from '../../shared/slaSettings';
import type { Db } from '../store/database';
import type { Repository } from '../store/repository';

/** The settings row naming what the stored deadlines were counted with ("built-in" or "<hub>#<version>"). */
const BASIS_KEY = 'sla.basis';
const BUILT_IN = 'built-in';

export interface SlaClocksOptions {
  db: Db;
  repo: Pick<Repository, 'getSetting' | 'setSetting' | 'transaction'>;
  /** The matrix last applied from the current hub (any version), or null. */
  kept: () => { hubKey: string; version: number; matrix: ChannelMatrix } | null;
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

  /** What every SLA computation uses now (one compiled set per matrix version). */
  const settings = (): SlaSettings => slaSettings(o.kept()?.matrix ?? null);

  const basis = (): string => {
    const k = o.kept();
    return k ? `${k.hubKey}#${k.version}` : BUILT_IN;
  };

  /** Counts the waiting cases' deadlines again if the basis changed since they were stored; returns how many moved. */
  function recount(): number {
    const now = basis();
    if ((o.repo.getSetting<string>(BASIS_KEY) ?? BUILT_IN) === now) return 0;
    const s = settings();
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
    o.log(`SLA clocks: ${moved} waiting case deadlines counted again with ${now === BUILT_IN ? 'the built-in policy' : `channel configuration ${now}`}`);
    o.onRecounted(moved);
    return moved;
  }

  return { settings, recount };
}
