// Routing figures: 500 agents against 10,000 queued conversations taken in the unified queue order,
// each accepted offer raising the agent's load and conversations ending as the run goes on.
// Deterministic (seeded PRNG). Figures, not pass/fail: the target is printed beside them.
import { CHANNELS, ISSUE_TYPES, type Channel, type IssueType, type Priority, type Tier } from '../src/shared/domain';
import { sortQueue } from '../src/shared/queueOrder';
import { prepareAgents, route, type RoutingAgent, type RoutingConversation, type Seniority } from '../src/shared/routing';
import { mulberry32, type BenchRow as Row } from './common';



function weighted<T>(rand: () => number, table: ReadonlyArray<readonly [T, number]>): T {
  const total = table.reduce((s, [, w]) => s + w, 0);
  let r = rand() * total;
  for (const [v, w] of table) if ((r -= w) < 0) return v;
  return table[table.length - 1]![0];
}

const CAPACITY: Record<Channel, number> = { email: 8, chat: 3, phone: 1, messenger: 4, instagram: 4, x: 4, sms: 4, in_app: 3, portal: 6 };

function generateAgents(rand: () => number, n: number): RoutingAgent[] {
  const agents: RoutingAgent[] = [];
  for (let id = 1; id <= n; id++) {
    const channels: RoutingAgent['channels'] = {};
    for (const c of CHANNELS) {
      const works = c === 'email' || c === 'chat' ? rand() < 0.75 : rand() < 0.35;
      if (works) channels[c] = { proficiency: 1 + Math.floor(rand() * 5), capacity: CAPACITY[c] };
    }
    const skills: RoutingAgent['skills'] = {};
    for (const t of ISSUE_TYPES) if (rand() < 0.5) skills[t] = 1 + Math.floor(rand() * 5);
    const languages = ['en'];
    for (const [lang, p] of [['de', 0.2], ['fr', 0.12], ['es', 0.12]] as const) if (rand() < p) languages.push(lang);
    agents.push({
      id,
      presence: weighted(rand, [['available', 80], ['busy', 5], ['away', 5], ['offline', 5], ['on_call', 3], ['wrap_up', 2]] as const),
      seniority: weighted<Seniority>(rand, [['junior', 30], ['mid', 50], ['senior', 20]]),
      languages,
      skills,
      channels,
      load: {},
    });
  }
  return agents;
}

type Queued = RoutingConversation & { caseId: number; slaDueAt: number | null; waitingSince: number };

function generateQueue(rand: () => number, n: number, agents: number, now: number): Queued[] {
  const items: Queued[] = [];
  for (let id = 1; id <= n; id++) {
    const channel = weighted<Channel>(rand, [['email', 35], ['chat', 30], ['phone', 10], ['sms', 6], ['messenger', 5], ['instagram', 4], ['x', 3], ['in_app', 4], ['portal', 3]]);
    const waitingSince = now - Math.floor(rand() * 48 * 3_600_000);
    items.push({
      id,
      caseId: id,
      channel,
      issueType: weighted<IssueType>(rand, [['technical', 30], ['billing', 20], ['account', 15], ['shipping', 15], ['feedback', 10], ['other', 10]]),
      priority: weighted<Priority>(rand, [['low', 20], ['normal', 55], ['high', 20], ['urgent', 5]]),
      language: weighted<string | null>(rand, [['en', 70], [null, 10], ['de', 10], ['fr', 5], ['es', 5]]),
      tier: weighted<Tier>(rand, [['standard', 70], ['premium', 20], ['enterprise', 10]]),
      vip: rand() < 0.03,
      preferredChannel: rand() < 0.3 ? CHANNELS[Math.floor(rand() * CHANNELS.length)]! : null,
      lastAgentId: rand() < 0.3 ? 1 + Math.floor(rand() * agents) : null,
      lastContactAt: now - Math.floor(rand() * 30 * 86_400_000),
      messageLength: Math.floor(rand() * 2000),
      backAndForth: Math.floor(rand() * 10),
      waitingSince,
      slaDueAt: rand() < 0.8 ? waitingSince + Math.floor(rand() * 24 * 3_600_000) : null,
    });
  }
  return items;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const us = (ms: number) => `${(ms * 1000).toFixed(1)} µs`;
const int = (n: number) => Math.round(n).toLocaleString('en-US');

interface Run {
  samples: number[];
  offered: number;
  overflowed: number;
  rerouted: number;
  queued: number;
}

/** Routes the queue in order; an accepted offer adds load, and every 4th decision one conversation ends. */
function routeQueue(agents: readonly RoutingAgent[], queue: readonly Queued[], now: number, outages: readonly Channel[]): Run {
  const pool = prepareAgents(agents);
  const depth: Partial<Record<Channel, number>> = {};
  for (const q of queue) depth[q.channel] = (depth[q.channel] ?? 0) + 1;
  const context = { queueDepth: depth, outages };
  const active: Array<[number, Channel]> = [];
  let ended = 0;
  const run: Run = { samples: new Array<number>(queue.length), offered: 0, overflowed: 0, rerouted: 0, queued: 0 };
  for (let i = 0; i < queue.length; i++) {
    const conversation = queue[i]!;
    depth[conversation.channel]! -= 1; // the others still waiting
    const t = process.hrtime.bigint();
    const d = route(conversation, pool, context, now);
    run.samples[i] = Number(process.hrtime.bigint() - t) / 1e6;
    if (d.outcome === 'offer') {
      run.offered++;
      if (d.reasons.some((r) => r.startsWith('overflow:'))) run.overflowed++;
      if (d.reasons.some((r) => r.startsWith('outage:'))) run.rerouted++;
      pool.adjustLoad(d.offers[0]!.agentId, d.channel, 1);
      active.push([d.offers[0]!.agentId, d.channel]);
    } else {
      run.queued++;
      depth[conversation.channel]! += 1;
    }
    if (i % 4 === 3 && ended < active.length) {
      const [agentId, channel] = active[ended++]!;
      pool.adjustLoad(agentId, channel, -1);
    }
  }
  return run;
}

export async function bench(): Promise<Row[]> {
  const now = Date.UTC(2026, 10, 25, 12);
  const rand = mulberry32(20260115);
  const agents = generateAgents(rand, 500);
  const queue = sortQueue(generateQueue(rand, 10_000, agents.length, now), now);
  const outages: Channel[] = ['instagram'];

  const tp = process.hrtime.bigint();
  prepareAgents(agents);
  const prepareMs = Number(process.hrtime.bigint() - tp) / 1e6;

  routeQueue(agents, queue.slice(0, 2000), now, outages); // warm the JIT
  const started = process.hrtime.bigint();
  const run = routeQueue(agents, queue, now, outages);
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  const routeMs = run.samples.reduce((s, x) => s + x, 0);
  const sorted = [...run.samples].sort((a, b) => a - b);

  // The same decisions when the caller passes a plain agent array (prepared on every call).
  const plain: number[] = [];
  for (let i = 0; i < 200; i++) {
    const t = process.hrtime.bigint();
    route(queue[i]!, agents, { outages }, now);
    plain.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  plain.sort((a, b) => a - b);

  return [
    { figure: 'routing: center', value: `${int(agents.length)} agents, ${int(queue.length)} queued conversations, outage: instagram` },
    { figure: 'routing: prepareAgents (500 agents)', value: `${prepareMs.toFixed(2)} ms` },
    { figure: 'routing: decisions per second', value: `${int(queue.length / (routeMs / 1000))} /s (${int(queue.length / (wallMs / 1000))} /s with load bookkeeping)` },
    { figure: 'routing: one decision, prepared agents', value: `p50 ${us(percentile(sorted, 50))}, p95 ${us(percentile(sorted, 95))}, max ${us(sorted[sorted.length - 1]!)}`, target: '< 1 ms' },
    { figure: 'routing: one decision, plain agent array', value: `p50 ${us(percentile(plain, 50))}, p95 ${us(percentile(plain, 95))}` },
    { figure: 'routing: outcomes', value: `${int(run.offered)} offered (${int(run.overflowed)} overflowed, ${int(run.rerouted)} rerouted), ${int(run.queued)} queued` },
  ];
}
