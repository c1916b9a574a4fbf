import { describe, expect, it } from 'vitest';
import { backAndForthOf, caseInsights, slaHistoryOf, type CaseFacts } from '../../src/shared/caseInsights';

const at = (d: number, h: number, m = 0) => Date.UTC(2026, 0, d, h, m);
const ev = (direction: 'in' | 'out' | 'internal', channel: 'email' | 'chat', occurredAt: number, kind: 'message' | 'note' = 'message', bodyLength = 120) => ({
  direction,
  kind,
  channel,
  occurredAt,
  bodyLength,
});

// Jane Smith's case: an email on Saturday Jan 10, 2026, two replies, a follow-up, then an urgent chat on Jan 15.
const jane: CaseFacts = {
  id: 1506,
  channel: 'chat',
  priority: 'urgent',
  status: 'open',
  issueType: 'technical',
  resolvedAt: null,
  preferredChannel: 'email',
  events: [
    ev('in', 'email', at(10, 14, 12), 'message', 900),
    ev('out', 'email', at(10, 16, 40)),
    ev('out', 'email', at(11, 15, 5)),
    ev('in', 'email', at(13, 13, 20)),
    ev('in', 'chat', at(15, 15, 2)),
    ev('internal', 'chat', at(15, 15, 2) + 30_000, 'note'),
    ev('in', 'chat', at(15, 15, 3)),
  ],
};

describe('case insights from the engines', () => {
  it('reads customer messages and agent replies, not internal notes, as the SLA history', () => {
    const history = slaHistoryOf(jane);
    expect(history.filter((e) => e.type === 'customer_message')).toHaveLength(4);
    expect(history.filter((e) => e.type === 'agent_reply')).toHaveLength(2);
    expect(backAndForthOf(jane)).toBe(2);
  });

  it('shows the first response met and the next response breached a minute after the urgent chat went unanswered', () => {
    const insights = caseInsights(jane, at(15, 16, 0));
    const byKind = Object.fromEntries(insights.sla.map((c) => [c.kind, c]));
    expect(byKind.firstResponse).toMatchObject({ state: 'met' });
    // The next-response clock started at Jane's first unanswered message (Jan 13) on the case's urgent priority.
    expect(byKind.nextResponse!.state).toBe('breached');
    expect(byKind.nextResponse!.startedAt).toBe(at(13, 13, 20));
    expect(byKind.resolution!.state).toBe('breached');
  });

  it('offers an urgent chat customer a phone call', () => {
    expect(caseInsights(jane, at(15, 15, 10)).suggestion).toMatchObject({ channel: 'phone', prompt: expect.stringContaining('phone call') });
  });

  it('pauses the clocks of a case waiting on the customer, and suggests nothing once resolved', () => {
    const pending = caseInsights({ ...jane, status: 'pending', events: [...jane.events, ev('out', 'chat', at(15, 15, 20))] }, at(15, 18));
    // Resolution was already overdue (four business hours from Jan 10); it stays breached, but stops counting.
    expect(pending.sla.find((c) => c.kind === 'resolution')).toMatchObject({ state: 'breached', pausedBy: 'pending' });
    const fresh = caseInsights({ ...jane, status: 'pending', events: [ev('in', 'chat', at(15, 15, 2)), ev('out', 'chat', at(15, 15, 3))] }, at(15, 18));
    expect(fresh.sla.find((c) => c.kind === 'resolution')).toMatchObject({ state: 'paused', pausedBy: 'pending', dueAt: null });
    const resolved = caseInsights({ ...jane, status: 'resolved', resolvedAt: at(15, 17), events: [...jane.events, ev('out', 'chat', at(15, 16, 30))] }, at(16, 9));
    expect(resolved.suggestion).toBeNull();
    expect(resolved.sla.find((c) => c.kind === 'resolution')!.state).toMatch(/met|breached/);
    expect(resolved.sla.every((c) => c.state !== 'running')).toBe(true);
  });

  it('needs no clock reads: the same facts and now give the same answer', () => {
    expect(caseInsights(jane, at(15, 16))).toEqual(caseInsights(jane, at(15, 16)));
  });
});
