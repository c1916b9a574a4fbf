import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CHANNELS, type QueueItem } from '../../src/shared/domain';
import { BREACHING_SOON_MS, channelView, countViews, emptyViewSentence, filterView, isBreachingSoon, isQueueViewId, QUEUE_VIEW_IDS, shownViews, tagsInUse, tagView, viewCount, viewLabel, viewTag } from '../../src/shared/queueViews';
import { sortQueue } from '../../src/shared/queueOrder';

const now = Date.UTC(2026, 0, 15, 15, 0);
const MIN = 60_000;
type Row = Pick<QueueItem, 'caseId' | 'assignedAgentId' | 'slaDueAt' | 'channel' | 'priority' | 'waitingSince'>;
const row = (caseId: number, o: Partial<Row> = {}): Row => ({ caseId, assignedAgentId: null, slaDueAt: null, channel: 'email', priority: 'normal', waitingSince: now - MIN, ...o });
const ctx = { agentId: 7, now };

describe('the breaching-soon view', () => {
  it('holds a clock due in exactly 30 minutes, not one due a millisecond later', () => {
    expect(isBreachingSoon({ slaDueAt: now + BREACHING_SOON_MS }, now)).toBe(true);
    expect(isBreachingSoon({ slaDueAt: now + BREACHING_SOON_MS + 1 }, now)).toBe(false);
  });

  it('holds clocks already breached, however long ago, and never a case without a running clock', () => {
    expect(isBreachingSoon({ slaDueAt: now }, now)).toBe(true);
    expect(isBreachingSoon({ slaDueAt: now - 3 * 86_400_000 }, now)).toBe(true);
    expect(isBreachingSoon({ slaDueAt: null }, now)).toBe(false);
  });

  it('lets a case in as the clock moves, without a new snapshot', () => {
    const items = [row(1, { slaDueAt: now + 45 * MIN })];
    expect(filterView(items, 'breaching', ctx)).toEqual([]);
    expect(filterView(items, 'breaching', { ...ctx, now: now + 15 * MIN })).toEqual(items);
  });
});

describe('the queue views', () => {
  const items = sortQueue(
    [
      row(1, { assignedAgentId: 7, channel: 'chat', slaDueAt: now + 10 * MIN }),
      row(2, { channel: 'sms', priority: 'urgent' }),
      row(3, { assignedAgentId: 9, channel: 'email', slaDueAt: now - MIN }),
      row(4, { assignedAgentId: 7, channel: 'chat', priority: 'low', slaDueAt: now + 2 * 3_600_000 }),
    ],
    now,
  );

  it('filter mine, unassigned, breaching soon and each channel, keeping the unified priority order', () => {
    expect(filterView(items, 'all', ctx).map((i) => i.caseId)).toEqual([2, 3, 1, 4]);
    expect(filterView(items, 'mine', ctx).map((i) => i.caseId)).toEqual([1, 4]);
    expect(filterView(items, 'unassigned', ctx).map((i) => i.caseId)).toEqual([2]);
    expect(filterView(items, 'breaching', ctx).map((i) => i.caseId)).toEqual([3, 1]);
    expect(filterView(items, channelView('chat'), ctx).map((i) => i.caseId)).toEqual([1, 4]);
    expect(filterView(items, channelView('phone'), ctx)).toEqual([]);
  });

  it('show Mine empty before the agent is known', () => {
    expect(filterView(items, 'mine', { agentId: null, now })).toEqual([]);
    expect(countViews(items, { agentId: null, now }).mine).toBe(0);
  });

  it('count every view in one pass, in agreement with the filters', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            assignedAgentId: fc.option(fc.integer({ min: 1, max: 3 }), { nil: null }),
            slaDueAt: fc.option(fc.integer({ min: now - 3_600_000, max: now + 3_600_000 }), { nil: null }),
            channel: fc.constantFrom(...CHANNELS),
          }),
          { maxLength: 40 },
        ),
        (rows) => {
          const c = { agentId: 2, now };
          const counts = countViews(rows, c);
          for (const view of QUEUE_VIEW_IDS) expect(counts[view]).toBe(filterView(rows, view, c).length);
        },
      ),
    );
  });

  it('list the base views always and a channel only while it has conversations or is the current view', () => {
    const counts = countViews(items, ctx);
    expect(shownViews(counts, 'all')).toEqual(['all', 'mine', 'unassigned', 'breaching', 'channel:email', 'channel:chat', 'channel:sms']);
    expect(shownViews(counts, 'channel:phone')).toContain('channel:phone');
  });

  it('name each view and say what an empty one means', () => {
    expect(viewLabel('breaching')).toBe('Breaching soon');
    expect(viewLabel(channelView('in_app'))).toBe('In-app');
    expect(emptyViewSentence(channelView('sms'))).toBe('No SMS conversation is waiting.');
  });
});

describe('the views by tag', () => {
  const tagged = (caseId: number, tags: string[], o: Partial<Row> = {}) => ({ ...row(caseId, o), tags });
  const items = sortQueue([tagged(1, ['refund', 'vip']), tagged(2, ['refund'], { priority: 'urgent' }), tagged(3, []), tagged(4, ['outage'], { assignedAgentId: 7 })], now);

  it('hold the open cases carrying the tag, in the unified priority order', () => {
    expect(filterView(items, tagView('refund'), ctx).map((i) => i.caseId)).toEqual([2, 1]);
    expect(filterView(items, tagView('outage'), ctx).map((i) => i.caseId)).toEqual([4]);
    expect(filterView(items, tagView('unknown'), ctx)).toEqual([]);
    // Items without tags (an older snapshot) are in no tag view.
    expect(filterView([row(9)], tagView('refund'), ctx)).toEqual([]);
  });

  it('are counted with the other views, a case with a tag twice counted once', () => {
    const counts = countViews([...items, tagged(5, ['refund', 'refund'])], ctx);
    expect(viewCount(counts, tagView('refund'))).toBe(3);
    expect(viewCount(counts, tagView('vip'))).toBe(1);
    expect(viewCount(counts, tagView('nothing'))).toBe(0);
    expect(counts.all).toBe(5);
    expect(tagsInUse(counts)).toEqual(['outage', 'refund', 'vip']);
  });

  it('are listed after the channels, by name, while a case carries the tag or while the view is current', () => {
    const counts = countViews(items, ctx);
    const shown = shownViews(counts, 'all');
    expect(shown.slice(-3)).toEqual(['tag:outage', 'tag:refund', 'tag:vip']);
    expect(shown.indexOf('channel:email')).toBeLessThan(shown.indexOf('tag:outage'));
    // The last case lost its tag while the agent looks at the view: the view stays, empty.
    expect(shownViews(countViews([], ctx), tagView('refund'))).toContain('tag:refund');
    expect(shownViews(countViews([], ctx), 'all')).not.toContain('tag:refund');
  });

  it('are named after the tag and say what an empty one means', () => {
    expect(viewLabel(tagView('refund'))).toBe('Tag: refund');
    expect(viewTag(tagView('late delivery'))).toBe('late delivery');
    expect(viewTag('mine')).toBeNull();
    expect(isQueueViewId('tag:refund')).toBe(true);
    expect(isQueueViewId('tag:')).toBe(false);
    expect(emptyViewSentence(tagView('refund'))).toBe('No open conversation is tagged “refund”.');
  });
});
