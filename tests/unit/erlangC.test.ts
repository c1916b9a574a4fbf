import { describe, expect, it } from 'vitest';
import { agentsFor, averageSpeedOfAnswer, erlangB, erlangC, serviceLevel } from '../../src/shared/metrics/erlangC';

describe('Erlang C against published values', () => {
  it('matches the standard table for 10 Erlangs (P(wait) with 11 to 15 agents)', () => {
    // The textbook table: A = 10 → 0.6821, 0.4494, 0.2853, 0.1741, 0.1020.
    expect(erlangC(10, 11)).toBeCloseTo(0.6821, 4);
    expect(erlangC(10, 12)).toBeCloseTo(0.4494, 4);
    expect(erlangC(10, 13)).toBeCloseTo(0.2853, 4);
    expect(erlangC(10, 14)).toBeCloseTo(0.1741, 4);
    expect(erlangC(10, 15)).toBeCloseTo(0.102, 4);
  });

  it('the classic worked example: 100 calls in 30 min, 180 s handle time, 80 % in 20 s needs 14 agents', () => {
    const s = agentsFor(200, 180, { answerWithinSeconds: 20, targetShare: 0.8 });
    expect(s.traffic).toBeCloseTo(10, 12);
    expect(s.agents).toBe(14);
    expect(s.serviceLevel).toBeCloseTo(0.8884, 4);
    expect(s.asaSeconds).toBeCloseTo(7.84, 2);
    // 13 agents miss the target (79.6 %).
    expect(serviceLevel(10, 13, 180, 20)).toBeCloseTo(0.7956, 4);
    expect(s.occupancy).toBeCloseTo(10 / 14, 12);
  });

  it('has exact small cases: Erlang B(1, 1) = 1/2, C(2, 3) = 4/9, C(A, 1) = A', () => {
    expect(erlangB(1, 1)).toBe(0.5);
    expect(erlangC(2, 3)).toBeCloseTo(4 / 9, 14);
    expect(erlangC(0.3, 1)).toBeCloseTo(0.3, 14);
  });

  it('stays finite and in [0, 1] for very large centers, where factorials would overflow', () => {
    const c = erlangC(1000, 1050);
    expect(Number.isFinite(c)).toBe(true);
    expect(c).toBeGreaterThan(0);
    expect(c).toBeLessThan(0.1);
    expect(agentsFor(20_000, 300, { answerWithinSeconds: 20, targetShare: 0.9 }).agents).toBeGreaterThan(1667);
  });

  it('says a queue without enough agents never gets answered in time, and no traffic needs no one', () => {
    expect(erlangC(5, 5)).toBe(1);
    expect(serviceLevel(5, 4, 180, 20)).toBe(0);
    expect(averageSpeedOfAnswer(5, 5, 180)).toBe(Number.POSITIVE_INFINITY);
    expect(agentsFor(0, 180, { answerWithinSeconds: 20, targetShare: 0.8 })).toMatchObject({ agents: 0, serviceLevel: 1 });
    expect(() => agentsFor(10, 0, { answerWithinSeconds: 20, targetShare: 0.8 })).toThrow(RangeError);
  });
});
