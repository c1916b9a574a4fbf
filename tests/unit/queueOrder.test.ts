import { describe, expect, it } from 'vitest';
import { slaState, sortQueue, type Orderable } from '../../src/shared/queueOrder';

const now = Date.UTC(2026, 0, 15, 15, 0);
const item = (caseId: number, o: Partial<Orderable> = {}): Orderable => ({ caseId, priority: 'normal', slaDueAt: null, waitingSince: now - 60_000, ...o });

describe('the unified queue order', () => {
  it('puts urgent before high before normal before low, whatever the channel clocks say', () => {
    const sorted = sortQueue([item(1, { priority: 'low', slaDueAt: now - 1 }), item(2, { priority: 'urgent' }), item(3, { priority: 'high' }), item(4)], now);
    expect(sorted.map((i) => i.caseId)).toEqual([2, 3, 4, 1]);
  });

  it('within a priority, the clock with the least time left (breached first) comes first, then clocks over none', () => {
    const sorted = sortQueue([item(1), item(2, { slaDueAt: now + 3_600_000 }), item(3, { slaDueAt: now - 5_000 }), item(4, { slaDueAt: now + 60_000 })], now);
    expect(sorted.map((i) => i.caseId)).toEqual([3, 4, 2, 1]);
  });

  it('with equal clocks, the customer who waited longest comes first, and ties end on the case id', () => {
    const sorted = sortQueue([item(7, { waitingSince: now - 10 }), item(5, { waitingSince: now - 99 }), item(6, { waitingSince: now - 10 })], now);
    expect(sorted.map((i) => i.caseId)).toEqual([5, 6, 7]);
  });
});

describe('the SLA badge', () => {
  it('is ok, then warning in the last quarter, then breached at the deadline', () => {
    const start = now;
    const due = now + 100_000;
    expect(slaState(null, start, now)).toBe('none');
    expect(slaState(due, start, now + 10_000)).toBe('ok');
    expect(slaState(due, start, now + 80_000)).toBe('warning');
    expect(slaState(due, start, due)).toBe('breached');
  });
});
