// The supervisor console's live feed: 200 agents signed in on real sockets, each holding 5 chats they
// accepted (the snapshot lists them under the agent), 2,000 conversations waiting in the queues, one
// supervisor socket. Each round an agent changes presence; the figure is the time from the request
// leaving the agent's socket to the supervisorUpdate frame showing it at the supervisor (the hub
// coalesces changes for 250 ms, so that is the floor), and the frame's size; then the round trip of
// a supervisorSnapshot request (the snapshot built and sent without the coalescing wait).
// `OMNI_BENCH_ONLY=console npm run bench`, or `npx tsx bench/supervisorConsole.ts [--agents N --held N --queued N --rounds N]`.
import { SUPERVISOR_COALESCE_MS } from '../src/hub/core/gateway';
import type { Channel } from '../src/shared/domain';
import { MAX_HELD_LISTED, MAX_HELD_PER_AGENT, type SupervisorSnapshot } from '../src/shared/hub/agentProtocol';
import { agentSession, startHub, TestAgent } from '../tests/helpers/hub';
import type { BenchRow as Row } from './common';

const CHANNELS: Channel[] = ['chat', 'sms', 'email', 'messenger', 'in_app'];

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export async function bench(o: { agents: number; held?: number; queued: number; rounds: number }): Promise<Row[]> {
  const held = o.held ?? 5;
  const h = await startHub({ modules: [], config: { firstResponseSlaSeconds: { chat: 60 } } });
  const sockets: TestAgent[] = [];
  try {
    const agents: Array<{ id: number; socket: TestAgent }> = [];
    for (let i = 0; i < o.agents; i++) {
      const s = await agentSession(h, { username: `agent${i}` });
      const socket = await TestAgent.connect(h.url, s.token);
      sockets.push(socket);
      // Room for `held` chats and nothing else: the chats below go to the agents, none stays waiting.
      await socket.call({ type: 'setPresence', presence: held > 0 ? 'available' : 'away', capacity: Object.fromEntries(CHANNELS.map((c) => [c, c === 'chat' ? held : 0])) });
      agents.push({ id: s.id, socket });
    }
    if (held > 0) {
      for (let i = 0; i < o.agents * held; i++) {
        h.hub.context.conversations.ingestInbound({ channel: 'chat', providerId: `held-${i}`, threadKey: `held-${i}`, contact: { address: `held-${i}`, displayName: `Held customer ${i}` }, text: 'Still there?', receivedAt: Date.now() - i * 100 });
      }
      // Every agent accepts what it is offered until it holds `held`.
      await Promise.all(
        agents.map(async ({ socket }) => {
          const accepted = new Set<number>();
          while (accepted.size < held) {
            const offer = await socket.waitForEvent('offer', (e) => !accepted.has(e.offerId), 60_000);
            accepted.add(offer.offerId);
            await socket.call({ type: 'acceptOffer', offerId: offer.offerId });
          }
        }),
      );
      for (const { socket } of agents) await socket.call({ type: 'setPresence', presence: 'away' });
    }
    for (let i = 0; i < o.queued; i++) {
      const channel = CHANNELS[i % CHANNELS.length]!;
      h.hub.context.conversations.ingestInbound({ channel, providerId: `q-${i}`, threadKey: `q-${i}`, contact: { address: `c${i}@x.test` }, text: 'Waiting', receivedAt: Date.now() - i * 1000 });
    }
    const sam = await agentSession(h, { username: 'sam', role: 'supervisor' });
    const supervisor = await TestAgent.connect(h.url, sam.token);
    sockets.push(supervisor);
    const frames = () => supervisor.frames.flatMap((f) => ('t' in f && f.t === 'supervisorUpdate' ? [f.snapshot] : [])) as SupervisorSnapshot[];
    await supervisor.until(() => frames().some((s) => s.queues.reduce((n, q) => n + q.waiting, 0) === o.queued), 30_000, 'the queued conversations');
    const listed = frames().at(-1)!.assigned.reduce((n, a) => n + a.conversations.length, 0);
    if (listed !== Math.min(o.agents * Math.min(held, MAX_HELD_PER_AGENT), MAX_HELD_LISTED)) throw new Error(`The snapshot lists ${listed} held conversations`);

    const latencies: number[] = [];
    let bytes = 0;
    for (let r = 0; r < o.rounds; r++) {
      const a = agents[r % agents.length]!;
      const presence = r % 2 === 0 ? 'busy' : 'away';
      const seen = frames().length;
      const t0 = performance.now();
      void a.socket.call({ type: 'setPresence', presence });
      await supervisor.until(() => frames().slice(seen).some((s) => s.agents.some((x) => x.agentId === a.id && x.presence === presence)), 10_000, 'the change');
      latencies.push(performance.now() - t0);
      bytes = JSON.stringify(frames().at(-1)).length;
      await new Promise((res) => setTimeout(res, 20));
    }
    latencies.sort((x, y) => x - y);
    const trips: number[] = [];
    for (let r = 0; r < o.rounds; r++) {
      const t0 = performance.now();
      await supervisor.call({ type: 'supervisorSnapshot' });
      trips.push(performance.now() - t0);
    }
    trips.sort((x, y) => x - y);
    const scene = `${o.agents} agents holding ${(o.agents * held).toLocaleString('en-US')}, ${o.queued.toLocaleString('en-US')} queued`;
    return [
      {
        figure: `live console update: ${scene}, presence change to supervisor frame (${o.rounds} rounds)`,
        value: `p50 ${pct(latencies, 50).toFixed(1)} ms, p95 ${pct(latencies, 95).toFixed(1)} ms (coalescing window ${SUPERVISOR_COALESCE_MS} ms); frame ${Math.round(bytes / 1024)} KiB`,
      },
      {
        figure: `live console snapshot on request: ${scene} (${o.rounds} rounds)`,
        value: `p50 ${pct(trips, 50).toFixed(1)} ms, p95 ${pct(trips, 95).toFixed(1)} ms`,
      },
    ];
  } finally {
    for (const s of sockets) await s.close();
    await h.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const arg = (name: string, d: number) => {
    const i = process.argv.indexOf(`--${name}`);
    return i >= 0 ? Number(process.argv[i + 1]) : d;
  };
  const rows = await bench({ agents: arg('agents', 200), held: arg('held', 5), queued: arg('queued', 2000), rounds: arg('rounds', 40) });
  for (const r of rows) console.log(`${r.figure}: ${r.value}`);
}
