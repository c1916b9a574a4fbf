// The unified queue order across channels: priority first, then the SLA time remaining, then the
// time the customer has waited. Pure; the caller passes "now".
import type { Priority, QueueItem } from './domain';

const PRIORITY_RANK: Record<Priority, number> = { urgent: 0, high: 1, normal: 2, low: 3 };

export type Orderable = Pick<QueueItem, 'priority' | 'slaDueAt' | 'waitingSince' | 'caseId'>;

/** Negative when a should be worked before b. Ties end on the case id so the order is total. */
export function compareQueueItems(a: Orderable, b: Orderable, now: number): number {
  const byPriority = PRIORITY_RANK[a.priority] - PRIORITY_RANK[b.priority];
  if (byPriority !== 0) return byPriority;
  // A running clock beats none; among running clocks the least time left comes first
  // (an already breached one has negative time left).
  const remainingA = a.slaDueAt === null ? Number.POSITIVE_INFINITY : a.slaDueAt - now;
  const remainingB = b.slaDueAt === null ? Number.POSITIVE_INFINITY : b.slaDueAt - now;
  if (remainingA !== remainingB) return remainingA < remainingB ? -1 : 1;
  if (a.waitingSince !== b.waitingSince) return a.waitingSince - b.waitingSince;
  return a.caseId - b.caseId;
}

export function sortQueue<T extends Orderable>(items: readonly T[], now: number): T[] {
  return [...items].sort((a, b) => compareQueueItems(a, b, now));
}

export type SlaState = 'none' | 'ok' | 'warning' | 'breached';

/** Badge state of an SLA clock: warning once less than `warnFraction` of the target is left. */
export function slaState(slaDueAt: number | null, startedAt: number, now: number, warnFraction = 0.25): SlaState {
  if (slaDueAt === null) return 'none';
  if (now >= slaDueAt) return 'breached';
  const total = Math.max(1, slaDueAt - startedAt);
  return (slaDueAt - now) / total <= warnFraction ? 'warning' : 'ok';
}
