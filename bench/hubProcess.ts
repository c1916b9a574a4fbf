// The hub under benchmark, in a process of its own (bench/hub.ts starts it with `node --import tsx`),
// so the hub's memory and CPU are measured apart from the thousands of client sockets the benchmark
// holds. It starts a real hub (createHub, every product module) on 127.0.0.1:0 in the data directory
// it is given, creates the agents, and talks to its parent over the IPC channel only:
//   → {type:'ready', url, agents:[{id, username, token}], password, setupMs}
//   ← {type:'stats', reset?}  → {type:'stats', …HubProcessStats}
//   ← {type:'profile', file?} → {type:'profiled'} (a CPU profile of the hub from now on; with `file`,
//                               the running one is stopped and written there first)
//   ← {type:'close'}          → {type:'closed'}, then exits
// It exits on its own when the parent goes away (the IPC channel closes), so it never outlives a run.
import fs from 'node:fs';
import { Session } from 'node:inspector/promises';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { createHub, type Hub } from '../src/hub/server';
import { Accounts } from '../src/hub/core/accounts';
import { hashPasswordSync } from '../src/hub/core/passwords';
import { HubStore } from '../src/hub/store/hubStore';
import type { HubLog } from '../src/hub/services';

export interface HubProcessOptions {
  dataDir: string;
  agents: number;
  /** Concurrent chats each agent takes (the agent's configured chat capacity). */
  chatCapacity: number;
  /** The widget's per-visitor rate limit (messages per minute). */
  messagesPerMinute: number;
}

export interface HubProcessStats {
  agentSockets: number;
  routingDecisions: number;
  rss: number;
  /** The kernel's high-water mark of this process's resident memory, and the highest sample taken. */
  peakRss: number;
  heapUsed: number;
  /** CPU time since the process started (µs). */
  cpuUser: number;
  cpuSystem: number;
  /** Time the event loop spent idle and busy since start (ms); busy includes waiting in fsync. */
  loopIdle: number;
  loopActive: number;
  /** Event-loop delay since the last reset (ms). */
  loopDelay: { p50: number; p99: number; max: number };
  warnings: number;
  errors: number;
}

export type HubProcessReady = {
  type: 'ready';
  url: string;
  agents: Array<{ id: number; username: string; token: string }>;
  /** The one password all benchmark agents share (hashed once; the login path is checked with it). */
  password: string;
  setupMs: number;
};

export type HubProcessMessage =
  | HubProcessReady
  | ({ type: 'stats' } & HubProcessStats)
  | { type: 'profiled' }
  | { type: 'closed' }
  | { type: 'failed'; message: string };
export type HubProcessCommand =
  | { type: 'stats'; reset?: boolean }
  /** Writes the CPU profile running since the last `profile` to `file` (if any), then starts a new one unless `last`. */
  | { type: 'profile'; file?: string; last?: boolean }
  | { type: 'close' };

function send(message: HubProcessMessage): void {
  process.send?.(message);
}

async function main(): Promise<void> {
  if (!process.send) throw new Error('bench/hubProcess.ts is started by bench/hub.ts with an IPC channel; it does not run on its own.');
  const i = process.argv.indexOf('--options');
  const options = JSON.parse(process.argv[i + 1] ?? '{}') as HubProcessOptions;

  let warnings = 0;
  let errors = 0;
  const log: HubLog = {
    info: () => {},
    warn: (m) => {
      if (++warnings <= 10) console.warn(`hub warning: ${m}`);
    },
    error: (m, e) => {
      if (++errors <= 10) console.error(`hub error: ${m}`, e ?? '');
    },
  };

  let peakSample = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakSample = Math.max(peakSample, process.memoryUsage().rss)), 100);
  sampler.unref();
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();

  const started = performance.now();
  const hub: Hub = await createHub(
    {
      host: '127.0.0.1',
      port: 0,
      dataDir: options.dataDir,
      widget: { messagesPerMinute: options.messagesPerMinute },
    },
    { log },
  );

  // The agents, as `hub:admin create-agent` would make them, but with one password hashed once:
  // 1,000 scrypt hashes (about 50 ms each) would take most of the benchmark's time budget. Sessions
  // are issued by the hub's own Accounts.issue, which is what /auth/login does after checking the
  // password; the benchmark signs the first agent in over HTTP to show the password works.
  const store = new HubStore(hub.context.db);
  const accounts = new Accounts(store, Date.now, hub.context.config.sessionTtlMs);
  const password = 'bench-agent-password';
  const passwordHash = hashPasswordSync(password);
  const agents: HubProcessReady['agents'] = [];
  store.tx(() => {
    for (let n = 1; n <= options.agents; n++) {
      const username = `bench-agent-${n}`;
      const record = store.createAgent(
        {
          username,
          displayName: `Agent ${n}`,
          role: 'agent',
          passwordHash,
          seniority: 'mid',
          languages: ['en'],
          channels: { chat: { proficiency: 3, capacity: options.chatCapacity } },
        },
        Date.now(),
      );
      agents.push({ id: record.id, username, token: accounts.issue(record).token });
    }
  });

  let profiler: Session | null = null;
  const profile = async (file: string | undefined, last: boolean) => {
    if (!profiler) {
      profiler = new Session();
      profiler.connect();
      await profiler.post('Profiler.enable');
    } else if (file) {
      const { profile: taken } = await profiler.post('Profiler.stop');
      fs.writeFileSync(file, JSON.stringify(taken));
    }
    if (!last) await profiler.post('Profiler.start');
  };

  process.on('message', (raw: HubProcessCommand) => {
    if (raw.type === 'profile') {
      profile(raw.file, raw.last ?? false).then(
        () => send({ type: 'profiled' }),
        (e: unknown) => {
          console.error('hub process: profiling failed', e);
          send({ type: 'profiled' });
        },
      );
    } else if (raw.type === 'stats') {
      const stats = hub.stats();
      const usage = process.resourceUsage();
      const memory = process.memoryUsage();
      const cpu = process.cpuUsage();
      const elu = performance.eventLoopUtilization();
      send({
        type: 'stats',
        agentSockets: stats.agentSockets,
        routingDecisions: stats.routingDecisions,
        rss: memory.rss,
        // maxRSS is in KiB on Linux and macOS.
        peakRss: Math.max(peakSample, memory.rss, usage.maxRSS * 1024),
        heapUsed: memory.heapUsed,
        cpuUser: cpu.user,
        cpuSystem: cpu.system,
        loopIdle: elu.idle,
        loopActive: elu.active,
        loopDelay: { p50: loop.percentile(50) / 1e6, p99: loop.percentile(99) / 1e6, max: loop.max / 1e6 },
        warnings,
        errors,
      });
      if (raw.reset) loop.reset();
    } else if (raw.type === 'close') {
      const force = setTimeout(() => process.exit(0), 10_000);
      void hub.close().finally(() => {
        clearTimeout(force);
        send({ type: 'closed' });
        // Exit after the message is flushed (a --cpu-prof profile is written on exit).
        setImmediate(() => process.exit(0));
      });
    }
  });
  // The parent went away: leave at once rather than hold the port and the sockets.
  process.on('disconnect', () => process.exit(0));

  send({ type: 'ready', url: hub.url, agents, password, setupMs: performance.now() - started });
}

main().catch((e: unknown) => {
  send({ type: 'failed', message: e instanceof Error ? (e.stack ?? e.message) : String(e) });
  process.exitCode = 1;
  setImmediate(() => process.exit(1));
});
