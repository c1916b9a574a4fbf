import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CHANNELS, PRIORITIES } from '../../src/shared/domain';
import { computeSlaClocks, DEFAULT_CALENDARS, DEFAULT_SLA_POLICY, firstResponseDue, type CaseEvent, type TimeResult } from '../../src/shared/time';

const MIN = 60_000;

const value = <T>(r: TimeResult<T>): T => {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value;
};

const channel = fc.constantFrom(...CHANNELS);
const priority = fc.constantFrom(...PRIORITIES);
/** 2026, across both DST changes. */
const instant = fc.integer({ min: Date.parse('2026-01-01T00:00:00Z'), max: Date.parse('2026-12-31T00:00:00Z') });

describe('SLA deadlines under the default policy and calendars', () => {
  it('never move earlier when the message arrives later', () => {
    fc.assert(
      fc.property(channel, priority, instant, instant, (ch, p, a, b) => {
        const [early, late] = a <= b ? [a, b] : [b, a];
        const dueEarly = value(firstResponseDue(DEFAULT_SLA_POLICY, DEFAULT_CALENDARS, ch, p, early));
        const dueLate = value(firstResponseDue(DEFAULT_SLA_POLICY, DEFAULT_CALENDARS, ch, p, late));
        expect(dueLate).toBeGreaterThanOrEqual(dueEarly!);
      }),
    );
  });

  it('the clock of a fresh message is due when the ingest deadline says', () => {
    fc.assert(
      fc.property(channel, priority, instant, (ch, p, receivedAt) => {
        const clocks = value(computeSlaClocks(DEFAULT_SLA_POLICY, DEFAULT_CALENDARS, { channel: ch, priority: p, events: [{ at: receivedAt, type: 'customer_message' }] }, receivedAt));
        expect(clocks.firstResponse.dueAt).toBe(value(firstResponseDue(DEFAULT_SLA_POLICY, DEFAULT_CALENDARS, ch, p, receivedAt)));
      }),
    );
  });

  it('a pending pause or an outage never brings a deadline nearer', () => {
    fc.assert(
      fc.property(
        channel,
        priority,
        instant,
        fc.integer({ min: 0, max: 48 * 60 }),
        fc.integer({ min: 0, max: 48 * 60 }),
        fc.boolean(),
        (ch, p, receivedAt, pauseAfter, pauseFor, outage) => {
          const from = receivedAt + pauseAfter * MIN;
          const to = from + pauseFor * MIN;
          const interruption: CaseEvent[] = outage
            ? [
                { at: from, type: 'outage_start', channel: ch },
                { at: to, type: 'outage_end', channel: ch },
              ]
            : [
                { at: from, type: 'status', status: 'pending' },
                { at: to, type: 'status', status: 'open' },
              ];
          const base: CaseEvent[] = [{ at: receivedAt, type: 'customer_message' }];
          const now = to + 1;
          const plain = value(computeSlaClocks(DEFAULT_SLA_POLICY, DEFAULT_CALENDARS, { channel: ch, priority: p, events: base }, now));
          const paused = value(computeSlaClocks(DEFAULT_SLA_POLICY, DEFAULT_CALENDARS, { channel: ch, priority: p, events: [...base, ...interruption] }, now));
          for (const kind of ['firstResponse', 'resolution'] as const) {
            expect(paused[kind].dueAt!).toBeGreaterThanOrEqual(plain[kind].dueAt!);
            expect(paused[kind].elapsedBusinessMs).toBeLessThanOrEqual(plain[kind].elapsedBusinessMs);
          }
        },
      ),
    );
  });
});
