// Channel metrics over a deterministic event log of 1,000,000 events spread over ten days: the
// time for the weekly metrics (target: under 1 s) and the throughput. Figures, not pass/fail.
import { CHANNELS, ISSUE_TYPES, type Channel, type IssueType } from '../src/shared/domain';
import { computeChannelMetrics, type CaseSummary, type MetricEvent, type MetricsOptions } from '../src/shared/metrics';
import { mulberry32, type BenchRow as Row } from './common';


const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;


const CHANNEL_WEIGHTS: Array<[Channel, number]> = [
  ['email', 34],
  ['chat', 24],
  ['phone', 15],
  ['messenger', 5],
  ['instagram', 4],
  ['x', 2],
  ['sms', 9],
  ['in_app', 5],
  ['portal', 2],
];
const CODES: Record<IssueType, string[]> = {
  technical: ['reset', 'patch', 'explained'],
  billing: ['refund', 'credit', 'explained'],
  account: ['unlocked', 'updated'],
  shipping: ['reshipped', 'refund', 'tracking'],
  feedback: ['noted'],
  other: ['explained', 'no_action'],
};

export interface GeneratedLog {
  events: MetricEvent[];
  cases: CaseSummary[];
  start: number;
  end: number;
}

export function generateLog(targetEvents: number, seed = 7): GeneratedLog {
  const rnd = mulberry32(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)]!;
  const totalWeight = CHANNEL_WEIGHTS.reduce((s, [, w]) => s + w, 0);
  const channel = (): Channel => {
    let r = rnd() * totalWeight;
    for (const [c, w] of CHANNEL_WEIGHTS) if ((r -= w) < 0) return c;
    return 'email';
  };
  const start = Date.UTC(2026, 10, 16); // a Monday
  const end = start + 10 * DAY;
  const customers = Math.max(100, Math.round(targetEvents / 50));
  const agents = 60;
  const events: MetricEvent[] = [];
  const cases: CaseSummary[] = [];
  const deflected = Object.freeze({ deflected: true });
  const notDeflected = Object.freeze({ deflected: false });
  const durations = Array.from({ length: 64 }, (_, i) => Object.freeze({ durationMs: (1 + i) * 30_000 }));

  let caseId = 0;
  while (events.length < targetEvents) {
    const customerId = 1 + Math.floor(rnd() * customers);
    // One in twelve contacts is a portal view, most of them flagged as deflecting a question.
    if (rnd() < 0.08) {
      const at = start + Math.floor(rnd() * (end - start));
      events.push({ caseId: null, customerId, channel: 'portal', direction: 'in', kind: 'portal_view', authorType: 'customer', authorId: null, occurredAt: at, metadata: rnd() < 0.6 ? deflected : notDeflected });
      continue;
    }
    const id = ++caseId;
    const issueType = pick(ISSUE_TYPES);
    const createdAt = start + Math.floor(rnd() * (end - start - DAY));
    const agentId = 1 + Math.floor(rnd() * agents);
    let ch = channel();
    const touched = new Set<Channel>([ch]);
    let at = createdAt;
    let firstResponseAt: number | null = null;
    const n = 2 + Math.floor(rnd() * 9); // 2..10 events, about 6 on average
    for (let i = 0; i < n && events.length < targetEvents; i++) {
      if (i > 1 && rnd() < 0.06) {
        ch = channel();
        if (ch === 'portal') ch = 'email';
        touched.add(ch);
      }
      const fromAgent = i % 2 === 1;
      const kind = ch === 'phone' ? (rnd() < 0.1 ? 'voicemail' : 'call') : 'message';
      if (fromAgent && firstResponseAt === null) firstResponseAt = at;
      events.push({
        caseId: id,
        customerId,
        channel: ch,
        direction: fromAgent ? 'out' : 'in',
        kind,
        authorType: fromAgent ? 'agent' : 'customer',
        authorId: fromAgent ? (rnd() < 0.9 ? agentId : 1 + Math.floor(rnd() * agents)) : null,
        occurredAt: at,
        metadata: kind === 'call' ? pick(durations) : null,
      });
      if (rnd() < 0.05) events.push({ caseId: id, customerId, channel: ch, direction: 'internal', kind: 'note', authorType: 'agent', authorId: agentId, occurredAt: at + MIN, metadata: null });
      at += ch === 'email' ? Math.floor(rnd() * 8 * HOUR) : Math.floor(rnd() * 10 * MIN);
    }
    const resolved = rnd() < 0.75;
    const resolvedAt = resolved ? at + Math.floor(rnd() * HOUR) : null;
    // Each channel leans towards its own resolution, so the consistency check has something to find.
    const codes = CODES[issueType];
    const code = resolved ? codes[(CHANNELS.indexOf(ch) + (rnd() < 0.6 ? 0 : Math.floor(rnd() * codes.length))) % codes.length]! : null;
    cases.push({
      id,
      customerId,
      issueType,
      status: resolved ? (rnd() < 0.5 ? 'resolved' : 'closed') : rnd() < 0.7 ? 'open' : 'pending',
      createdAt,
      resolvedAt,
      firstResponseAt,
      csatScore: resolved && rnd() < 0.35 ? 1 + Math.floor(rnd() * 5) : null,
      escalated: rnd() < 0.08,
      resolutionCode: code,
      channels: [...touched],
    });
  }
  return { events, cases, start, end };
}

function median(samples: number[]): number {
  const s = [...samples].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

const ms = (n: number) => `${n.toFixed(n < 10 ? 2 : 1)} ms`;
const count = (n: number) => Math.round(n).toLocaleString('en-US');

export async function bench(options: { events?: number; runs?: number } = {}): Promise<Row[]> {
  const target = options.events ?? 1_000_000;
  const runs = options.runs ?? 5;
  const rows: Row[] = [];

  const t0 = performance.now();
  const log = generateLog(target);
  const generation = performance.now() - t0;
  rows.push({ figure: 'metrics input', value: `${count(log.events.length)} events, ${count(log.cases.length)} cases over 10 days (generated in ${ms(generation)})` });

  const week: MetricsOptions = {
    range: { from: log.start + DAY, to: log.start + 8 * DAY },
    costs: { email: { perContact: 2.1 }, chat: { perContact: 1.4 }, phone: { fixed: 500, perCallMinute: 0.013 }, sms: { perEvent: 0.0079 } },
  };
  // Wall time is what a supervisor waits; CPU time (all of the process's threads, GC included)
  // is steadier on a shared machine. The first call also pays for the JIT.
  const time = (opts: MetricsOptions) => {
    const t0 = performance.now();
    let result = computeChannelMetrics(log.events, log.cases, opts);
    const cold = performance.now() - t0;
    const wall: number[] = [];
    const cpu: number[] = [];
    for (let i = 0; i < runs; i++) {
      const c = process.cpuUsage();
      const t = performance.now();
      result = computeChannelMetrics(log.events, log.cases, opts);
      wall.push(performance.now() - t);
      const used = process.cpuUsage(c);
      cpu.push((used.user + used.system) / 1000);
    }
    return { cold, ms: median(wall), worst: Math.max(...wall), cpu: median(cpu), result };
  };

  const weekly = time(week);
  rows.push({ figure: `weekly metrics over ${count(log.events.length)} events (median of ${runs})`, value: `${ms(weekly.ms)} (worst ${ms(weekly.worst)}; CPU ${ms(weekly.cpu)})`, target: '< 1 s' });
  rows.push({ figure: 'weekly metrics, first call (cold JIT)', value: ms(weekly.cold), target: '< 1 s' });
  rows.push({ figure: 'weekly metrics throughput', value: `${count(log.events.length / (weekly.ms / 1000))} events/s` });
  rows.push({
    figure: 'weekly metrics: what they covered',
    value: `${count(weekly.result.totals.contacts)} contacts, ${count(weekly.result.totals.cases)} cases, ${count(weekly.result.byAgent.length)} agent×channel rows, ${weekly.result.consistency.inconsistent.length} inconsistent issue types`,
  });

  const full = time({ ...week, range: { from: log.start, to: log.end } });
  rows.push({ figure: 'all 10 days', value: `${ms(full.ms)} (${count(log.events.length / (full.ms / 1000))} events/s; CPU ${ms(full.cpu)})` });
  return rows;
}
