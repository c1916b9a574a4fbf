// Hub figures on loopback: a real hub (createHub, every product module, SQLite in WAL with
// synchronous=FULL in a temporary directory) in a child process of its own (bench/hubProcess.ts),
// 1,000 agent sockets and 5,000 widget visitor sockets held by this process.
//   1. Agents connect (/agent: hello with a session token → replay → caughtUp) and go available.
//   2. Visitors connect (/widget: hello → welcome), each sends a first message; the routing
//      authority offers each new conversation to an agent, who accepts it at once.
//   3. Steady load: every pair exchanges messages at a fixed total rate, open loop (sends go out on
//      schedule whether or not earlier ones arrived), for `seconds`. Latency is measured in this
//      process (one clock): just before the agent's `send` request → the visitor's `msg` frame, and
//      just before the visitor's `msg` → the agent's `message` event.
// Figures, not pass/fail: the target is printed beside them. Options: --agents, --visitors, --seconds,
// --rate (messages per second each way); OMNI_BENCH_HUB_PROFILE=<dir> writes CPU profiles of the hub
// process, one per phase (hub-agents, hub-ramp, hub-steady .cpuprofile; open them in a browser's developer tools).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import type { BenchRow as Row } from './common';
import type { HubProcessCommand, HubProcessMessage, HubProcessOptions, HubProcessReady, HubProcessStats } from './hubProcess';

export interface HubBenchOptions {
  agents?: number;
  visitors?: number;
  /** Length of the steady-load phase. */
  seconds?: number;
  /** Messages per second in each direction during the steady phase (all pairs together); by default every pair exchanges one message each way every 10 s. */
  rate?: number;
  /** Write CPU profiles of the hub process, one per phase (hub-<phase>.cpuprofile), into this directory. */
  profileDir?: string;
  /** Progress lines; console.log by default. */
  log?: (line: string) => void;
}

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** Sockets, connection attempts in flight while ramping (the listen backlog is 511). */
const CONNECT_WINDOW = 100;
const VISITOR_WINDOW = 200;
/** How long after the last steady-phase send the benchmark waits for the last deliveries. */
const DRAIN_MS = 20_000;

const int = (n: number) => Math.round(n).toLocaleString('en-US');
const ms = (n: number) => `${n.toFixed(n < 10 ? 2 : 1)} ms`;
const mib = (bytes: number) => `${int(bytes / 1048576)} MiB`;

function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function spread(samples: number[]): string {
  if (samples.length === 0) return 'no samples';
  const s = Float64Array.from(samples).sort();
  return `p50 ${ms(percentile(s, 50))}, p99 ${ms(percentile(s, 99))}, max ${ms(s[s.length - 1]!)} (n = ${int(s.length)})`;
}

/** How much of the wall time between two samples the hub's event loop was busy (running, or blocked in fsync). */
function busy(before: HubProcessStats, after: HubProcessStats): string {
  const active = after.loopActive - before.loopActive;
  const idle = after.loopIdle - before.loopIdle;
  return `${int((100 * active) / Math.max(1e-9, active + idle))}%`;
}

function withTimeout<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Timed out after ${(timeoutMs / 1000).toFixed(0)} s waiting for ${what}.`)), timeoutMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function until(check: () => boolean, timeoutMs: number, what: () => string, progress?: () => void): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  let lastProgress = performance.now();
  while (!check()) {
    if (performance.now() > deadline) throw new Error(`Timed out after ${(timeoutMs / 1000).toFixed(0)} s waiting for ${what()}.`);
    if (progress && performance.now() - lastProgress > 5000) {
      lastProgress = performance.now();
      progress();
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Runs fn(0..count-1) with at most `window` calls in flight. */
async function windowed(count: number, window: number, fn: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) await fn(next++);
  };
  await Promise.all(Array.from({ length: Math.min(window, count) }, worker));
}

// The environment: both ends of every socket are on this machine.

function openFileLimit(): number | null {
  try {
    // Node raises its soft limit to the hard one at start; a child shell inherits what this process has.
    const out = execFileSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8' }).trim();
    return out === 'unlimited' ? Infinity : Number(out);
  } catch {
    return null;
  }
}

function ephemeralPorts(): number | null {
  try {
    const [lo, hi] = fs.readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    return hi! - lo! + 1;
  } catch {
    return null;
  }
}

function filesystemOf(dir: string): string {
  try {
    let best = { mount: '', type: 'unknown' };
    for (const line of fs.readFileSync('/proc/mounts', 'utf8').split('\n')) {
      const [, mount, type] = line.split(' ');
      if (mount && type && (dir === mount || dir.startsWith(mount.endsWith('/') ? mount : `${mount}/`)) && mount.length >= best.mount.length) best = { mount, type };
    }
    return best.type;
  } catch {
    return 'unknown';
  }
}

// The hub process.

class HubProcess {
  private readonly waiters: Array<{ type: HubProcessMessage['type']; resolve: (m: HubProcessMessage) => void; reject: (e: Error) => void }> = [];
  private exitInfo: string | null = null;
  readonly exited: Promise<void>;

  private constructor(private readonly child: ChildProcess) {
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.exitInfo = `the hub process exited (${signal ? `signal ${signal}` : `code ${code}`})`;
        for (const w of this.waiters.splice(0)) w.reject(new Error(`${this.exitInfo} while the benchmark waited for "${w.type}".`));
        resolve();
      });
    });
    child.on('message', (m: HubProcessMessage) => {
      if (m.type === 'failed') {
        for (const w of this.waiters.splice(0)) w.reject(new Error(`The hub process failed to start: ${m.message}`));
        return;
      }
      const at = this.waiters.findIndex((w) => w.type === m.type);
      if (at >= 0) this.waiters.splice(at, 1)[0]!.resolve(m);
    });
  }

  static start(options: HubProcessOptions): HubProcess {
    const args = ['--import', 'tsx', path.join(ROOT, 'bench', 'hubProcess.ts'), '--options', JSON.stringify(options)];
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    return new HubProcess(child);
  }

  wait<T extends HubProcessMessage['type']>(type: T, timeoutMs: number): Promise<Extract<HubProcessMessage, { type: T }>> {
    if (this.exitInfo) return Promise.reject(new Error(`${this.exitInfo} before "${type}".`));
    const p = new Promise<HubProcessMessage>((resolve, reject) => this.waiters.push({ type, resolve, reject }));
    return withTimeout(p, timeoutMs, `the hub process to answer "${type}"`) as Promise<Extract<HubProcessMessage, { type: T }>>;
  }

  private command(c: HubProcessCommand): void {
    if (!this.exitInfo && this.child.connected) this.child.send(c);
  }

  async stats(reset = false): Promise<HubProcessStats> {
    const answer = this.wait('stats', 30_000);
    this.command({ type: 'stats', reset });
    return answer;
  }

  /** Starts a CPU profile of the hub; with `file`, the previous one is written there first. */
  async profile(file?: string, last = false): Promise<void> {
    const answer = this.wait('profiled', 60_000);
    this.command(file ? { type: 'profile', file, last } : { type: 'profile', last });
    await answer;
  }

  /** Closes the hub cleanly, killing it if it does not stop in time. */
  async stop(): Promise<void> {
    if (this.exitInfo) return;
    this.command({ type: 'close' });
    const stopped = await Promise.race([this.exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 20_000).unref())]);
    if (!stopped) {
      this.child.kill('SIGKILL');
      await this.exited;
    }
  }
}

// The clients.

interface Frame {
  t: string;
  [key: string]: unknown;
}

interface Agent {
  id: number;
  ws: WebSocket;
  nextId: number;
  pending: Map<number, (f: Frame) => void>;
}

interface Visitor {
  index: number;
  ws: WebSocket;
  conversationId: number | null;
  firstSentAt: number;
}

interface Pair {
  visitor: Visitor;
  agent: Agent;
  conversationId: number;
}

function openSocket(url: string, onFrame: (f: Frame) => void, timeoutMs: number): Promise<WebSocket> {
  const ws = new WebSocket(url, { perMessageDeflate: false });
  ws.on('message', (data) => onFrame(JSON.parse(data.toString()) as Frame));
  return withTimeout(
    new Promise<WebSocket>((resolve, reject) => {
      ws.once('open', () => resolve(ws));
      ws.once('error', (e) => reject(new Error(`A WebSocket to ${url} failed: ${e.message}`)));
    }),
    timeoutMs,
    `a WebSocket to ${url} to open`,
  ).catch((e: unknown) => {
    ws.terminate();
    throw e;
  });
}

function request(agent: Agent, req: Record<string, unknown>, onAnswer: (f: Frame) => void): void {
  const id = agent.nextId++;
  agent.pending.set(id, onAnswer);
  agent.ws.send(JSON.stringify({ t: 'req', id, req }));
}

function requestAsync(agent: Agent, req: Record<string, unknown>, timeoutMs: number): Promise<Frame> {
  return withTimeout(new Promise<Frame>((resolve) => request(agent, req, resolve)), timeoutMs, `the answer to ${String(req.type)}`);
}

export async function bench(options: HubBenchOptions = {}): Promise<Row[]> {
  const agentCount = options.agents ?? 1000;
  const visitorCount = options.visitors ?? 5000;
  const seconds = options.seconds ?? 10;
  const rate = options.rate ?? visitorCount / 10;
  const log = options.log ?? ((line: string) => console.log(`  ${line}`));
  const profileDir = options.profileDir ?? process.env.OMNI_BENCH_HUB_PROFILE;
  const chatCapacity = Math.min(50, Math.max(3, Math.ceil((2 * visitorCount) / agentCount)));
  const perVisitorPerMinute = (rate / visitorCount) * 60;
  // The product's default (20 a minute) unless the chosen rate needs more headroom.
  const messagesPerMinute = Math.max(20, Math.ceil(perVisitorPerMinute * 3) + 2);

  const needFiles = agentCount + visitorCount + 256;
  const limit = openFileLimit();
  const ports = ephemeralPorts();
  const setupRow: Row = {
    figure: 'hub: setup',
    value: `${int(agentCount)} agents, ${int(visitorCount)} visitors (one chat each), then ${seconds} s of ${int(rate)} messages/s each way (every pair every ${((visitorCount / rate)).toFixed(0)} s); hub in its own process`,
  };
  if (limit !== null && limit < needFiles) {
    const message =
      `skipped: the open-file limit is ${int(limit)}, and each of the two processes (the hub and this one) needs about ${int(needFiles)} ` +
      `(one descriptor per socket end). Raise it (ulimit -n ${needFiles * 2}; the hard limit is ulimit -Hn) or pass --agents/--visitors.`;
    log(message);
    return [setupRow, { figure: 'hub: open files', value: message }];
  }
  if (ports !== null && ports < agentCount + visitorCount + 1000) {
    const message = `skipped: only ${int(ports)} ephemeral ports (net.ipv4.ip_local_port_range) for ${int(agentCount + visitorCount)} loopback connections.`;
    log(message);
    return [setupRow, { figure: 'hub: ports', value: message }];
  }

  const loadAtStart = os.loadavg()[0]!;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'omni-hub-bench-'));
  const began = performance.now();
  let hub: HubProcess | null = null;
  const agents: Agent[] = [];
  const visitors: Visitor[] = [];
  let benchPeakRss = process.memoryUsage().rss;
  const rssSampler = setInterval(() => (benchPeakRss = Math.max(benchPeakRss, process.memoryUsage().rss)), 200);
  const benchLoop = monitorEventLoopDelay({ resolution: 5 });
  benchLoop.enable();

  try {
    log(`starting the hub process (data in ${tmp}, ${filesystemOf(tmp)}) …`);
    hub = HubProcess.start({ dataDir: tmp, agents: agentCount, chatCapacity, messagesPerMinute });
    const ready: HubProcessReady = await hub.wait('ready', 120_000);
    const wsBase = ready.url.replace(/^http/, 'ws');

    // The login path works with the agents' password (one scrypt check), and its token is used.
    const login = await fetch(`${ready.url}/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: ready.agents[0]!.username, password: ready.password }),
    });
    if (!login.ok) throw new Error(`Signing in as ${ready.agents[0]!.username} failed: HTTP ${login.status} ${await login.text()}`);
    ready.agents[0]!.token = ((await login.json()) as { token: string }).token;

    // Everything the clients see, in one place.
    const requestErrors = new Map<string, number>();
    const visitorErrors = new Map<string, number>();
    const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
    const visitorByConversation = new Map<number, Visitor>();
    const offerAt = new Map<number, number>();
    const assignedTo = new Map<number, { agent: Agent; at: number }>();
    let offers = 0;
    const deliveryStatus = new Map<string, number>();

    // Steady-phase bookkeeping (sized when the phase starts).
    let toVisitorSentAt = new Float64Array(0);
    let toAgentSentAt = new Float64Array(0);
    const toVisitor: number[] = [];
    const toAgent: number[] = [];
    const sendAcked: number[] = [];
    let lastArrival = 0;
    let toVisitorDuplicates = 0;
    let toAgentDuplicates = 0;

    const onAgentFrame = (agent: Agent, f: Frame) => {
      const now = performance.now();
      if (f.t === 'res') {
        const answer = agent.pending.get(f.id as number);
        agent.pending.delete(f.id as number);
        if (f.ok === false) bump(requestErrors, (f.error as { code: string }).code);
        answer?.(f);
        return;
      }
      if (f.t === 'denied') {
        bump(requestErrors, `denied: ${(f.error as { code: string }).code}`);
        return;
      }
      if (f.t !== 'evt') return;
      const event = f.event as { type: string; [k: string]: unknown };
      switch (event.type) {
        case 'offer': {
          offers++;
          const conversationId = (event.conversation as { id: number }).id;
          offerAt.set(conversationId, now);
          request(agent, { type: 'acceptOffer', offerId: event.offerId }, (res) => {
            if (res.ok === true) assignedTo.set(conversationId, { agent, at: performance.now() });
          });
          return;
        }
        case 'message': {
          const message = event.message as { direction: string; text: string };
          if (message.direction !== 'in' || !message.text.startsWith('v ')) return;
          const seq = Number(message.text.slice(2));
          const sentAt = toAgentSentAt[seq];
          if (sentAt === undefined || sentAt < 0) toAgentDuplicates++;
          else {
            toAgent.push(now - sentAt);
            lastArrival = now;
            toAgentSentAt[seq] = -1;
          }
          return;
        }
        case 'delivery':
          bump(deliveryStatus, event.status as string);
          return;
      }
    };

    const onVisitorFrame = (visitor: Visitor, f: Frame) => {
      const now = performance.now();
      if (f.t === 'msg') {
        const message = f.message as { from: string; text: string };
        if (message.from !== 'agent' || !message.text.startsWith('a ')) return;
        const seq = Number(message.text.slice(2));
        const sentAt = toVisitorSentAt[seq];
        if (sentAt === undefined || sentAt < 0) toVisitorDuplicates++;
        else {
          toVisitor.push(now - sentAt);
          lastArrival = now;
          toVisitorSentAt[seq] = -1;
        }
      } else if (f.t === 'error') {
        bump(visitorErrors, (f.error as { code: string }).code);
      }
    };

    // 1. Agents: hello → caughtUp → available.
    log(`connecting ${int(agentCount)} agents …`);
    const helloMs: number[] = [];
    const statsBeforeAgents = await hub.stats();
    if (profileDir) {
      fs.mkdirSync(profileDir, { recursive: true });
      await hub.profile();
    }
    const agentsStarted = performance.now();
    await windowed(agentCount, CONNECT_WINDOW, async (i) => {
      const a = ready.agents[i]!;
      let caughtUp!: () => void;
      let denied!: (e: Error) => void;
      const welcomed = new Promise<void>((resolve, reject) => ((caughtUp = resolve), (denied = reject)));
      const agent: Agent = { id: a.id, ws: null as unknown as WebSocket, nextId: 1, pending: new Map() };
      agent.ws = await openSocket(
        `${wsBase}/agent`,
        (f) => {
          if (f.t === 'caughtUp') caughtUp();
          else if (f.t === 'denied') denied(new Error(`The hub denied agent ${a.username}: ${JSON.stringify(f.error)}`));
          onAgentFrame(agent, f);
        },
        30_000,
      );
      agents.push(agent);
      const t = performance.now();
      agent.ws.send(JSON.stringify({ t: 'hello', token: a.token, resumeAfter: 0, protocol: 1 }));
      await withTimeout(welcomed, 30_000, `agent ${a.username} to be caught up`);
      helloMs.push(performance.now() - t);
      const res = await requestAsync(agent, { type: 'setPresence', presence: 'available', capacity: { chat: chatCapacity } }, 30_000);
      if (res.ok !== true) throw new Error(`Agent ${a.username} could not go available: ${JSON.stringify(res.error)}`);
    });
    const agentsSeconds = (performance.now() - agentsStarted) / 1000;
    const statsAfterAgents = await hub.stats();
    if (statsAfterAgents.agentSockets !== agentCount) throw new Error(`The hub counts ${statsAfterAgents.agentSockets} agent sockets, expected ${agentCount}.`);
    log(`${int(agentCount)} agents available in ${agentsSeconds.toFixed(1)} s`);

    // 2. Visitors: hello → welcome → first message → ack; routing offers it, the agent accepts.
    log(`connecting ${int(visitorCount)} visitors, each starting a chat …`);
    const ackMs: number[] = [];
    if (profileDir) await hub.profile(path.join(profileDir, 'hub-agents.cpuprofile'));
    const statsBeforeRamp = await hub.stats(true);
    const rampStarted = performance.now();
    await windowed(visitorCount, VISITOR_WINDOW, async (index) => {
      const visitor: Visitor = { index, ws: null as unknown as WebSocket, conversationId: null, firstSentAt: 0 };
      let welcomed!: () => void;
      let acked!: () => void;
      const welcome = new Promise<void>((r) => (welcomed = r));
      const ack = new Promise<void>((r) => (acked = r));
      visitor.ws = await openSocket(
        `${wsBase}/widget?org=demo`,
        (f) => {
          if (f.t === 'welcome') welcomed();
          else if (f.t === 'ack' && visitor.conversationId === null) {
            visitor.conversationId = f.conversationId as number;
            visitorByConversation.set(visitor.conversationId, visitor);
            ackMs.push(performance.now() - visitor.firstSentAt);
            acked();
          }
          onVisitorFrame(visitor, f);
        },
        30_000,
      );
      visitors.push(visitor);
      visitor.ws.send(JSON.stringify({ t: 'hello', protocol: 1, visitorId: `bench-visitor-${index}` }));
      await withTimeout(welcome, 30_000, `visitor ${index} to be welcomed`);
      visitor.firstSentAt = performance.now();
      visitor.ws.send(JSON.stringify({ t: 'msg', clientId: `first-msg-${index}`, text: `Hello, I am visitor ${index} and need help with my order.` }));
      await withTimeout(ack, 30_000, `visitor ${index}'s first message to be stored`);
    });
    const storedSeconds = (performance.now() - rampStarted) / 1000;
    log(`${int(visitorCount)} chats started in ${storedSeconds.toFixed(1)} s; waiting for every one to be offered and accepted …`);
    await until(
      () => assignedTo.size >= visitorCount,
      Math.max(60_000, visitorCount * 20),
      () => `every conversation to be assigned (${int(offers)} offers, ${int(assignedTo.size)} of ${int(visitorCount)} assigned; errors ${JSON.stringify([...requestErrors])})`,
      () => log(`… ${int(offers)} offers, ${int(assignedTo.size)} assigned`),
    );
    const lastAssigned = Math.max(...[...assignedTo.values()].map((a) => a.at));
    const lastOffer = Math.max(...offerAt.values());
    const rampSeconds = (lastOffer - rampStarted) / 1000;
    const statsAfterRamp = await hub.stats(true);
    const rampStatsSeconds = (performance.now() - rampStarted) / 1000;
    const decisions = statsAfterRamp.routingDecisions - statsBeforeRamp.routingDecisions;
    const rampCpu = (statsAfterRamp.cpuUser + statsAfterRamp.cpuSystem - statsBeforeRamp.cpuUser - statsBeforeRamp.cpuSystem) / 1e6;
    const toOffer: number[] = [];
    const toAssigned: number[] = [];
    const pairs: Pair[] = [];
    for (const [conversationId, visitor] of visitorByConversation) {
      const assigned = assignedTo.get(conversationId);
      const offered = offerAt.get(conversationId);
      if (offered !== undefined) toOffer.push(offered - visitor.firstSentAt);
      if (!assigned) continue;
      toAssigned.push(assigned.at - visitor.firstSentAt);
      pairs.push({ visitor, agent: assigned.agent, conversationId });
    }
    const perAgent = new Map<number, number>();
    for (const p of pairs) perAgent.set(p.agent.id, (perAgent.get(p.agent.id) ?? 0) + 1);
    const loads = [...perAgent.values()];
    log(`${int(pairs.length)} conversations assigned in ${((lastAssigned - rampStarted) / 1000).toFixed(1)} s (${int(decisions)} routing decisions)`);

    // 3. Steady load, open loop: event k goes out at k / (2 * rate) s; even k the visitor writes, odd k the agent answers.
    const perDirection = Math.round(rate * seconds);
    toVisitorSentAt = new Float64Array(perDirection).fill(-2);
    toAgentSentAt = new Float64Array(perDirection).fill(-2);
    const sendLag: number[] = [];
    log(`steady load: ${int(pairs.length)} pairs, ${int(rate)} messages/s each way for ${seconds} s …`);
    await new Promise((r) => setTimeout(r, 500)); // let the accept traffic settle
    if (profileDir) await hub.profile(path.join(profileDir, 'hub-ramp.cpuprofile'));
    const statsBeforeSteady = await hub.stats(true);
    benchLoop.reset();
    const benchCpuBefore = process.cpuUsage();
    const stepMs = 1000 / (2 * rate);
    const steadyStarted = performance.now() + 20;
    let k = 0;
    await new Promise<void>((resolve) => {
      const tick = () => {
        const now = performance.now();
        while (k < 2 * perDirection && steadyStarted + k * stepMs <= now) {
          const seq = k >> 1;
          const pair = pairs[seq % pairs.length]!;
          const sentAt = performance.now();
          sendLag.push(sentAt - (steadyStarted + k * stepMs));
          if ((k & 1) === 0) {
            toAgentSentAt[seq] = sentAt;
            pair.visitor.ws.send(JSON.stringify({ t: 'msg', clientId: `bench-msg-${seq}`, text: `v ${seq}` }));
          } else {
            toVisitorSentAt[seq] = sentAt;
            request(
              pair.agent,
              { type: 'send', idempotencyKey: `bench-key-${seq}`, conversationId: pair.conversationId, text: `a ${seq}` },
              (res) => {
                if (res.ok === true) sendAcked.push(performance.now() - sentAt);
              },
            );
          }
          k++;
        }
        if (k >= 2 * perDirection) resolve();
        else setTimeout(tick, 1);
      };
      setTimeout(tick, 20);
    });
    const sendingSeconds = (performance.now() - steadyStarted) / 1000;
    await until(
      () => toVisitor.length >= perDirection && toAgent.length >= perDirection,
      DRAIN_MS,
      () => `the last messages (${int(toVisitor.length)} of ${int(perDirection)} to visitors, ${int(toAgent.length)} of ${int(perDirection)} to agents arrived)`,
    ).catch((e: unknown) => log(`${(e as Error).message} The rest count as late.`));
    // What arrived by now; later arrivals (while the hub answers below) are not counted.
    const toVisitorFinal = toVisitor.slice();
    const toAgentFinal = toAgent.slice();
    const sendAckedFinal = sendAcked.slice();
    const delivered = toVisitorFinal.length + toAgentFinal.length;
    const late = 2 * perDirection - delivered;
    const deliveringSeconds = Math.max(0.001, (lastArrival - steadyStarted) / 1000);
    const statsAfterSteady = await hub.stats();
    const steadySeconds = (performance.now() - steadyStarted) / 1000;
    if (profileDir) await hub.profile(path.join(profileDir, 'hub-steady.cpuprofile'), true);
    const benchCpu = process.cpuUsage(benchCpuBefore);
    const steadyCpu = (statsAfterSteady.cpuUser + statsAfterSteady.cpuSystem - statsBeforeSteady.cpuUser - statsBeforeSteady.cpuSystem) / 1e6;
    const lagSorted = Float64Array.from(sendLag).sort();

    const rows: Row[] = [
      setupRow,
      {
        figure: 'hub: environment',
        value: `${os.cpus().length} cores shared by the hub and its clients (load average ${loadAtStart.toFixed(1)} before the run, ${os.loadavg()[0]!.toFixed(1)} after); data on ${filesystemOf(tmp)} (SQLite WAL, synchronous=FULL); open-file limit ${limit === null ? 'unknown' : int(limit)} per process`,
      },
      {
        figure: 'hub: agents connected (hello → caughtUp → available)',
        value: `${int(agentCount)} in ${agentsSeconds.toFixed(1)} s (hub event loop busy ${busy(statsBeforeAgents, statsAfterAgents)}); hello → caughtUp ${spread(helloMs)}`,
      },
      { figure: 'hub: visitors connected and first message stored', value: `${int(visitorCount)} in ${storedSeconds.toFixed(1)} s (${int(visitorCount / storedSeconds)} /s); message → ack ${spread(ackMs)}` },
      {
        figure: 'hub: routing decisions per second (visitor ramp)',
        value:
          `${int(decisions / rampSeconds)} /s (${int(decisions)} decisions, ${int(offers)} offers in ${rampSeconds.toFixed(1)} s, as fast as the hub took in new chats; ` +
          `hub event loop busy ${busy(statsBeforeRamp, statsAfterRamp)}, CPU ${int((100 * rampCpu) / rampStatsSeconds)}% of a core, ${((1000 * rampCpu) / visitorCount).toFixed(2)} ms CPU per new chat)`,
      },
      { figure: 'hub: first message → offer at the agent', value: spread(toOffer) },
      {
        figure: 'hub: first message → accepted',
        value: `${spread(toAssigned)}; conversations per agent ${Math.min(...loads)}–${Math.max(...loads)} (capacity ${chatCapacity})`,
      },
      { figure: 'hub: delivery agent → visitor (send → msg frame)', value: spread(toVisitorFinal), target: 'p99 < 50 ms' },
      { figure: 'hub: delivery visitor → agent (msg → message event)', value: spread(toAgentFinal), target: 'p99 < 50 ms' },
      { figure: 'hub: agent send acknowledged (send → res)', value: spread(sendAckedFinal) },
      {
        figure: 'hub: deliveries per second (steady load)',
        value:
          `${int(delivered / deliveringSeconds)} /s delivered (${int(delivered)} of ${int(2 * perDirection)} in ${deliveringSeconds.toFixed(1)} s; sent at ${int((2 * perDirection) / sendingSeconds)} /s for ${sendingSeconds.toFixed(1)} s); ` +
          `not arrived ${DRAIN_MS / 1000} s after the last send: ${int(late)}; duplicates ${toVisitorDuplicates + toAgentDuplicates}`,
      },
      {
        figure: 'hub: hub process during steady load',
        value:
          `event loop busy ${busy(statsBeforeSteady, statsAfterSteady)} (CPU ${int((100 * steadyCpu) / steadySeconds)}% of a core, the rest is fsync and waiting for a core; ` +
          `${((1000 * steadyCpu) / Math.max(1, delivered)).toFixed(2)} ms CPU per delivery); event-loop delay p99 ${ms(statsAfterSteady.loopDelay.p99)}, max ${ms(statsAfterSteady.loopDelay.max)}`,
      },
      {
        figure: 'hub: bench process during steady load (the clients)',
        value:
          `CPU ${int((100 * (benchCpu.user + benchCpu.system)) / 1e6 / steadySeconds)}% of a core; event-loop delay p99 ${ms(benchLoop.percentile(99) / 1e6)}; ` +
          `send lag behind schedule p99 ${ms(percentile(lagSorted, 99))}`,
      },
      { figure: 'hub: peak RSS (hub process)', value: `${mib(statsAfterSteady.peakRss)} (idle with the agents created: ${mib(statsBeforeAgents.rss)}; heap now ${mib(statsAfterSteady.heapUsed)})` },
      { figure: 'hub: peak RSS (bench process, the client sockets)', value: mib(Math.max(benchPeakRss, process.memoryUsage().rss)) },
    ];
    const problems = [
      ...[...requestErrors].map(([code, n]) => `agent requests ${code} × ${n}`),
      ...[...visitorErrors].map(([code, n]) => `visitor frames ${code} × ${n}`),
      ...(statsAfterSteady.warnings ? [`hub warnings × ${statsAfterSteady.warnings}`] : []),
      ...(statsAfterSteady.errors ? [`hub errors × ${statsAfterSteady.errors}`] : []),
    ];
    rows.push({
      figure: 'hub: errors and delivery receipts',
      value: `${problems.length ? problems.join('; ') : 'no errors'}; receipts to agents: ${[...deliveryStatus].map(([s, n]) => `${s} ${int(n)}`).join(', ') || 'none'}`,
    });
    rows.push({ figure: 'hub: benchmark wall time', value: `${((performance.now() - began) / 1000).toFixed(1)} s` });
    return rows;
  } finally {
    clearInterval(rssSampler);
    benchLoop.disable();
    // The hub closes its side first (agents and visitors get 1001); anything left is cut.
    await hub?.stop().catch((e: unknown) => log(`stopping the hub process: ${(e as Error).message}`));
    for (const a of agents) a.ws.terminate();
    for (const v of visitors) v.ws.terminate();
    fs.rmSync(tmp, { recursive: true, force: true });
    if (profileDir) log(`CPU profiles of the hub process are in ${profileDir}`);
  }
}
