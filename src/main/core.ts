// The composition root: builds the service graph once (store, repository, demo seeding, the
// contract's handlers, the event bus). Electron and the headless mode only choose the transport.
import os from 'node:os';
import { caseInsights } from '../shared/caseInsights';
import { sortQueue } from '../shared/queueOrder';
import { checkEvent, createDispatcher, type Dispatch, type Handlers } from '../shared/rpc';
import type { EventName, EventPayload } from '../shared/contract';
import type { Agent } from '../shared/domain';
import { dataFileOf, type Config } from './config';
import { openDatabase, type Db } from './store/database';
import { Repository } from './store/repository';
import { seedDemoCenter } from './demo/seed';

export const APP_NAME = 'Omni Desk';
export const APP_VERSION = '0.1.0';

export type EventListener = (name: EventName, payload: unknown) => void;

export interface Core {
  readonly config: Config;
  readonly dataFile: string;
  readonly repo: Repository;
  readonly dispatch: Dispatch;
  /** Subscribes a transport to every event; returns the unsubscribe. */
  subscribe(listener: EventListener): () => void;
  emit<K extends EventName>(name: K, payload: EventPayload<K>): void;
  close(): void;
}

export interface CoreOptions {
  mode: 'electron' | 'headless';
  now?: () => number;
  log?: (line: string) => void;
  /** better-sqlite3 built for this runtime, when it is not the one in node_modules (Electron). */
  sqliteBinding?: string;
}

const SESSION_AGENT_KEY = 'session.agentId';

/** The desktop's own user: the one remembered, else the demo center's admin, else a new local agent. */
function resolveLocalAgent(repo: Repository, config: Config, now: number): Agent {
  const remembered = repo.getSetting<number>(SESSION_AGENT_KEY);
  if (remembered) return repo.agentById(remembered);
  let id = repo.firstAgentWithRole('admin');
  if (id === null) {
    const name = config.agent.name ?? (os.userInfo().username || 'Agent');
    id = repo.insertAgent({
      name,
      email: config.agent.email ?? `${name.toLowerCase().replace(/[^a-z0-9]+/g, '.')}@localhost`,
      role: 'admin',
      tier: 3,
      seniority: 'senior',
      skills: {},
      channels: {},
      languages: ['en'],
      capacity: {},
      presence: 'available',
      createdAt: now,
    });
  }
  repo.setSetting(SESSION_AGENT_KEY, id);
  return repo.agentById(id);
}

export function createCore(config: Config, options: CoreOptions): Core {
  const now = options.now ?? Date.now;
  const log = options.log ?? ((line: string) => console.log(line));
  const dataFile = dataFileOf(config);
  const db: Db = openDatabase(dataFile, options.sqliteBinding ? { nativeBinding: options.sqliteBinding } : {});
  const repo = new Repository(db);

  if (config.demo.seedOnFirstRun && repo.getSetting('demo.seededAt') === undefined && repo.counts().customers === 0) {
    const started = Date.now();
    log(`Seeding the demo center into ${dataFile} (first run; --no-demo turns this off)…`);
    const stats = seedDemoCenter(repo, { seed: config.demo.seed, now: now(), customers: config.demo.customers, conversations: config.demo.conversations, events: config.demo.events });
    repo.setSetting('demo.seededAt', now());
    log(`Demo center ready: ${stats.customers} customers, ${stats.cases} conversations, ${stats.events} events in ${Date.now() - started} ms.`);
  }
  const agent = resolveLocalAgent(repo, config, now());

  const listeners = new Set<EventListener>();
  const emit = <K extends EventName>(name: K, payload: EventPayload<K>) => {
    const checked = checkEvent(name, payload);
    for (const listener of listeners) listener(name, checked);
  };

  const handlers: Handlers = {
    appInfo: () => ({ name: APP_NAME, version: APP_VERSION, mode: options.mode, dataFile, agent }),
    queueSnapshot: ({ view, channel }) => {
      const at = now();
      let items = repo.activeQueue();
      if (view === 'mine') items = items.filter((i) => i.assignedAgentId === agent.id);
      if (view === 'unassigned') items = items.filter((i) => i.assignedAgentId === null);
      if (channel) items = items.filter((i) => i.channel === channel);
      return { items: sortQueue(items, at), total: items.length, at };
    },
    customerTimeline: ({ customerId, before, limit }) => repo.timelineForCustomer(customerId, before, limit),
    customerProfile: ({ customerId }) => repo.customerProfile(customerId, now()),
    caseInsights: ({ caseId }) => caseInsights(repo.caseFacts(caseId), now()),
    search: ({ query, limit }) => repo.search(query, limit),
    sendReply: ({ caseId, channel, body, idempotencyKey }) => {
      const event = repo.appendOutgoingMessage({ caseId, channel, body, agent, idempotencyKey, now: now() });
      emit('timelineAppended', { event });
      emit('queueChanged', { at: now() });
      return event;
    },
  };

  return {
    config,
    dataFile,
    repo,
    dispatch: createDispatcher(handlers),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    emit,
    close() {
      listeners.clear();
      db.close();
    },
  };
}
