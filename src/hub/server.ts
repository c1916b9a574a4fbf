// The hub: one HTTP server (sign-in, health, then each channel module's routes) and its WebSocket
// upgrades (/agent for desktops, the rest offered to modules), over the core services and one
// SQLite file. Loopback unless configured otherwise; TLS is the reverse proxy's job.
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { HubAgent } from '../shared/hub/agentProtocol';
import { HubConfig, type HubConfigInput } from './config';
import { Accounts, LoginInput, type LoginResult, type NewAgentInput } from './core/accounts';
import { ConversationService } from './core/conversations';
import { DeliveryWorker } from './core/delivery';
import { HubError } from './core/errors';
import { EventLog } from './core/events';
import { AgentGateway } from './core/gateway';
import { ChannelHealth } from './core/channelHealth';
import { PresenceBook } from './core/presence';
import { RoutingAuthority } from './core/routing';
import { ChannelMatrixBook, matrixSourcesOf } from './core/channelMatrix';
import { bearerToken, readJson, sendError, sendJson } from './http';
import { HUB_MODULES } from './modules';
import type { HubContext, HubLog, HubModule, HubModuleFactory } from './services';
import { openHubDatabase } from './store/database';
import { HubStore } from './store/hubStore';
import { mintVoiceToken } from './voice/token';
import { say } from '../shared/serverErrors';

export const HUB_DATA_FILE = 'hub.sqlite';

export interface HubOptions {
  /** The hub's clock (tests move it). */
  now?: () => number;
  log?: HubLog;
  /** The channel modules to mount; the product's set by default. */
  modules?: readonly HubModuleFactory[];
  /** better-sqlite3 built for this runtime (the desktop's Electron ABI), when not the one in node_modules. */
  sqliteBinding?: string;
  /**
   * The changes of one turn of the event loop share one commit (one disk flush), and every answer
   * waits for it (the default). False: one commit per change, answered right after it.
   */
  groupCommit?: boolean;
}

export interface Hub {
  url: string;
  port: number;
  context: HubContext;
  /** Embedded hubs only: a session for the desktop's own user, an admin, without a password. */
  issueLocalAdminToken(): LoginResult;
  createAgent(input: NewAgentInput): HubAgent;
  /** Counters for the benchmark and health checks (commits: SQLite commits of the core's changes). */
  stats(): { agentSockets: number; routingDecisions: number; commits: number };
  close(): Promise<void>;
}

export const consoleLog: HubLog = {
  info: (m) => console.log(m),
  warn: (m) => console.warn(m),
  error: (m, e) => console.error(m, e ?? ''),
};

export function parseHubConfig(input: HubConfigInput): HubConfig {
  const parsed = HubConfig.safeParse(input);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new HubError('config/invalid', `The hub configuration is not valid: ${detail}.`);
  }
  return parsed.data;
}

function listen(server: http.Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (e: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      if (e.code === 'EADDRINUSE') reject(new HubError('config/invalid', `Port ${port} on ${host} is already in use. Choose another port (OMNI_HUB_PORT).`));
      else if (e.code === 'EACCES') reject(new HubError('config/invalid', `Not allowed to listen on ${host}:${port}. Choose a port above 1024 (OMNI_HUB_PORT).`));
      else if (e.code === 'EADDRNOTAVAIL' || e.code === 'ENOTFOUND') reject(new HubError('config/invalid', `${host} is not an address of this machine (OMNI_HUB_HOST).`));
      else reject(e);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen({ host, port });
  });
}

export async function createHub(input: HubConfigInput, options: HubOptions = {}): Promise<Hub> {
  const config = parseHubConfig(input);
  const now = options.now ?? Date.now;
  const log = options.log ?? consoleLog;
  const db = openHubDatabase(path.join(config.dataDir, HUB_DATA_FILE), options.sqliteBinding ? { nativeBinding: options.sqliteBinding } : {});

  const store = new HubStore(db);
  const events = new EventLog(store, now, log, { groupCommit: options.groupCommit ?? true });
  const accounts = new Accounts(store, now, config.sessionTtlMs);
  const presence = new PresenceBook(store, now, config.presenceGraceMs, (fn) => events.tx(fn));
  events.onRollback(() => presence.forgetSaved());
  const delivery = new DeliveryWorker(store, events, now, log, config.delivery, (conversationId, messageId, status, detail) =>
    conversations.notifyDelivery(conversationId, messageId, status, detail),
  );
  const conversations: ConversationService = new ConversationService(store, events, presence, delivery, now, log);
  const channelMatrix = new ChannelMatrixBook(db, matrixSourcesOf(config), now, (fn) => events.tx(fn));
  const health = new ChannelHealth();
  delivery.health = health;
  const routing = new RoutingAuthority({
    store,
    events,
    presence,
    routing: config.routing,
    channelMatrix: () => channelMatrix.current().matrix,
    outages: () => health.outages().map((o) => o.channel),
    offerTimeoutMs: config.offerTimeoutMs,
    now,
    log,
    bundle: (id) => conversations.bundle(id),
  });
  conversations.routing = routing;
  conversations.handoffRules = () => channelMatrix.current().matrix.handoff;
  const voiceToken = (agent: { id: number }) => mintVoiceToken(config, agent.id);
  const gateway = new AgentGateway({ store, events, accounts, presence, conversations, routing, voiceToken, now, log, slaSeconds: config.firstResponseSlaSeconds, channelMatrix, health, backup: config.routing.backup });
  health.onChange(() => gateway.teamChanged());
  conversations.live = {
    customerTyping: (conv, typing) => {
      if (conv.assignedAgentId !== null) gateway.sendLive(conv.assignedAgentId, { t: 'customerTyping', conversationId: conv.id, typing });
    },
  };

  store.pruneSessions(now());
  store.pruneEvents(now() - config.eventRetentionMs);
  routing.start();
  if (config.embedded) accounts.ensureLocalAdmin(config.localAdminName);

  presence.onChange((agentId, before) => {
    // Supervisors and admins follow the team: each gets the agent's new state (stored, so a
    // supervisor offline now sees it on replay). With none, nothing is read or written.
    const supervisors = store.supervisorIds();
    if (supervisors.length > 0) {
      const state = presence.state(agentId);
      events.tx(() => {
        for (const id of supervisors) events.append(id, { type: 'agentState', state });
      });
    }
    const current = presence.presence(agentId);
    if (current !== 'available') routing.withdrawOffersOf(agentId);
    if (current === 'available' || before.presence === 'available') routing.routeSoon();
  });

  let port = config.port;
  const host = config.host;
  const publicUrl = () => (config.publicUrl ?? `http://${host.includes(':') ? `[${host}]` : host}:${port}`).replace(/\/+$/, '');
  const context: HubContext = { config, db, conversations, now, log, publicUrl, agentForToken: (t) => accounts.agentForToken(t), channelMatrix: () => channelMatrix.current().matrix };

  const modules: HubModule[] = [];
  try {
    for (const factory of options.modules ?? HUB_MODULES) modules.push(factory(context));
    gateway.moduleRequest = (agent, req) => {
      for (const m of modules) {
        const answer = m.agentRequest?.(agent, req) ?? null;
        if (answer !== null) return answer;
      }
      return null;
    };
  } catch (e) {
    for (const m of modules.reverse()) await m.close?.();
    routing.close();
    events.flush();
    db.close();
    throw e;
  }

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://hub.invalid');
    try {
      if (url.pathname === '/healthz') {
        sendJson(res, 200, { ok: true, embedded: config.embedded, serverTime: now() });
        return;
      }
      if (url.pathname === '/auth/login') {
        if (req.method !== 'POST') throw new HubError('http/method-not-allowed', 'Sign in with POST and a JSON body {username, password}.');
        const body = LoginInput.safeParse(await readJson(req, config.maxBodyBytes));
        if (!body.success) throw new HubError('http/invalid-body', 'Sign in with a JSON body {"username": "…", "password": "…"}.');
        sendJson(res, 200, await accounts.login(body.data.username, body.data.password));
        return;
      }
      if (url.pathname === '/auth/logout') {
        if (req.method !== 'POST') throw new HubError('http/method-not-allowed', 'Sign out with POST.');
        const token = bearerToken(req);
        if (token) accounts.logout(token);
        sendJson(res, 200, { ok: true });
        return;
      }
      for (const m of modules) {
        if (m.handleHttp && (await m.handleHttp(req, res, url))) return;
      }
      sendJson(res, 404, { code: 'http/not-found', message: `Nothing is served at ${url.pathname}.` });
    } catch (e) {
      if (!(e instanceof HubError)) log.error(`${req.method} ${url.pathname} failed`, e);
      sendError(res, e);
    }
  };

  /**
   * Nothing reaches an HTTP client (a provider's webhook, the portal, a sign-in) before what is
   * open is committed: a response's first bytes commit the open group first. If that commit
   * fails, the write throws, and the handler's error path answers 500 instead.
   */
  const commitBeforeResponse = (res: http.ServerResponse) => {
    const gate = <F extends (...args: never[]) => unknown>(original: F): F =>
      function (this: http.ServerResponse, ...args: Parameters<F>) {
        if (events.uncommitted && !events.flush()) throw new HubError('internal', say('hubSaveFailed'));
        return original.apply(this, args);
      } as F;
    res.writeHead = gate(res.writeHead);
    res.write = gate(res.write);
    res.end = gate(res.end);
    res.flushHeaders = gate(res.flushHeaders);
  };

  const server = http.createServer((req, res) => {
    commitBeforeResponse(res);
    void handle(req, res);
  });
  server.on('upgrade', (req, socket, head) => {
    socket.on('error', () => socket.destroy());
    try {
      const url = new URL(req.url ?? '/', 'http://hub.invalid');
      if (url.pathname === '/agent') {
        gateway.handleUpgrade(req, socket, head);
        return;
      }
      for (const m of modules) if (m.handleUpgrade?.(req, socket, head, url)) return;
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    } catch (e) {
      log.error('A WebSocket upgrade failed', e);
      socket.destroy();
    }
  });
  server.on('clientError', (_e, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    else socket.destroy();
  });

  try {
    await listen(server, host, config.port);
  } catch (e) {
    for (const m of [...modules].reverse()) await m.close?.();
    routing.close();
    events.flush();
    db.close();
    throw e;
  }
  port = (server.address() as AddressInfo).port;
  // Deliveries left pending by the last run resume now.
  delivery.kick();
  routing.routeSoon();

  /** The Hub's own methods return only what is committed. */
  const committed = <T>(value: T): T => {
    if (!events.flush()) throw new HubError('internal', say('hubSaveFailed'));
    return value;
  };

  let closing: Promise<void> | null = null;
  return {
    get url() {
      return publicUrl();
    },
    port,
    context,
    issueLocalAdminToken() {
      if (!config.embedded) throw new HubError('auth/not-embedded', say('hubNoLocalAdmin'));
      return committed(accounts.issue(accounts.ensureLocalAdmin(config.localAdminName)));
    },
    createAgent: (agent) => committed(accounts.createAgent(agent)),
    stats: () => ({ agentSockets: gateway.connectedCount(), routingDecisions: routing.decisions, commits: events.commits }),
    close() {
      closing ??= (async () => {
        events.flush();
        routing.close();
        presence.close();
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        // Sockets closing now do not start presence grace timers (the book is closed).
        await gateway.close();
        await delivery.close();
        // Modules close their own upgraded sockets (widget visitors) first: an open upgraded
        // socket would keep the HTTP server from stopping.
        for (const m of [...modules].reverse()) {
          try {
            await m.close?.();
          } catch (e) {
            log.error(`Closing the ${m.name} module failed`, e);
          }
        }
        server.closeAllConnections();
        await stopped;
        // What the last deliveries and sockets wrote.
        events.flush();
        db.close();
      })();
      return closing;
    },
  };
}
