// The channel configuration between desktops and a real hub over real sockets, each desktop on its own
// SQLite file: an agent's desktop applies the version the hub pushes and keeps it (schema 20) through
// a restart with the hub gone; only an admin's desktop may read or save it; a stale save is refused.
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createChannelConfigService } from '../../src/main/channelConfig/channelConfigService';
import { createHubService, type HubService } from '../../src/main/hub/hubService';
import { openDatabase, type Db } from '../../src/main/store/database';
import { MIGRATIONS } from '../../src/main/store/migrations';
import { OutboxStore } from '../../src/main/store/outboxStore';
import { Repository } from '../../src/main/store/repository';
import type { ChannelMatrixVersion } from '../../src/shared/channelConfig';
import type { Agent } from '../../src/shared/domain';
import { agentSession, startHub } from '../helpers/hub';
import { tempDir } from '../helpers/tempDir';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function waitFor<T>(what: string, probe: () => T): Promise<NonNullable<T>> {
  const until = Date.now() + 15_000;
  for (;;) {
    const v = probe();
    if (v !== null && v !== undefined && v !== false) return v as NonNullable<T>;
    if (Date.now() > until) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function desk(url: string, token: string, role: Agent['role'], file: string) {
  const db: Db = openDatabase(file, { migrations: MIGRATIONS });
  const repo = new Repository(db);
  const agentId = repo.insertAgent({ name: role, email: `${role}-${Math.random()}@desk.example`, role, tier: 1, seniority: 'mid', skills: {}, channels: {}, languages: ['en'], capacity: {}, presence: 'available', createdAt: Date.now() });
  const pushed: ChannelMatrixVersion[] = [];
  let apply: (v: ChannelMatrixVersion) => void = () => undefined;
  const hub: HubService = createHubService({
    db,
    repo,
    outbox: new OutboxStore(db),
    localAgentId: agentId,
    connection: { url, token, hubKey: 'team', embedded: false },
    emit: () => undefined,
    onChannelConfig: (v) => apply(v),
    client: { backoff: { initialMs: 100, maxMs: 500 } },
  });
  const config = createChannelConfigService({ db, hub: () => hub, role: () => role, emit: (_, { current }) => pushed.push(current), now: Date.now, log: () => undefined });
  apply = config.apply;
  const close = async () => {
    await hub.close();
    db.close();
  };
  return { db, hub, config, pushed, close };
}

const keptVersion = (db: Db) => (db.prepare("SELECT version FROM channel_config_applied WHERE hub_key = 'team'").get() as { version: number } | undefined)?.version ?? null;

describe('the channel configuration on desktops', () => {
  it('an admin desktop saves, an agent desktop applies and keeps it offline; agents and stale saves are refused', async () => {
    const dir = tempDir('omni-deskcc-');
    cleanups.push(() => dir.remove());
    const h = await startHub({ modules: [] });
    let hubOpen = true;
    cleanups.push(() => (hubOpen ? h.close() : undefined));
    const root = await agentSession(h, { username: 'root', displayName: 'Rita Root', role: 'admin' });
    const ada = await agentSession(h, { username: 'ada' });
    const admin = desk(h.url, root.token, 'admin', path.join(dir.dir, 'admin.sqlite'));
    let agent = desk(h.url, ada.token, 'agent', path.join(dir.dir, 'agent.sqlite'));
    cleanups.push(() => admin.close());
    cleanups.push(() => agent.close());

    // Both apply version 1 on sign-in; it mirrors the hub's config file, so the dashboard keeps its own costs.
    await waitFor('version 1 on the agent desktop', () => keptVersion(agent.db) === 1);
    expect(agent.config.applied()).toBeNull();

    // The agent's desktop may not read it; the admin's may.
    await expect(agent.config.handlers.channelConfig({})).rejects.toMatchObject({ code: 'rpc/forbidden' });
    const view = await admin.config.handlers.channelConfig({});
    expect(view.current.version).toBe(1);

    const matrix = structuredClone(view.current.matrix);
    // Version 1 keeps the desktop's own email auto-reply: on, "within {responseTime}".
    expect(view.current.matrix.channels.email.autoReply).toMatchObject({ enabled: true, text: "We've received your request. Expect a response within {responseTime}." });
    matrix.channels.chat.costPerContact = 7.25;
    matrix.channels.email.autoReply.text = 'Thanks! We answer within {responseTime}.';
    const saved = await admin.config.handlers.saveChannelConfig({ expectedVersion: 1, matrix });
    expect(saved.current).toMatchObject({ version: 2, savedBy: 'Rita Root' });
    expect(saved.current.changes).toEqual([
      `Email auto-reply text: "We've received your request. Expect a response within {responseTime}." → "Thanks! We answer within {responseTime}."`,
      `Chat cost per contact: ${view.current.matrix.channels.chat.costPerContact} → 7.25`,
    ]);

    // The agent's desktop gets it pushed, keeps it and tells its workspace.
    await waitFor('version 2 on the agent desktop', () => keptVersion(agent.db) === 2);
    expect(agent.pushed.map((v) => v.version)).toContain(2);
    expect(agent.config.applied()?.channels.chat.costPerContact).toBe(7.25);

    // A save on top of version 1 is refused with the hub's sentence.
    await expect(admin.config.handlers.saveChannelConfig({ expectedVersion: 1, matrix })).rejects.toMatchObject({ code: 'config/stale', message: expect.stringContaining('Version 2 was saved by Rita Root') });
    // An invalid one too, and nothing is stored.
    const bad = structuredClone(matrix);
    bad.channels.phone.backupChannel = 'phone';
    await expect(admin.config.handlers.saveChannelConfig({ expectedVersion: 2, matrix: bad })).rejects.toMatchObject({ code: 'config/invalid', message: expect.stringContaining('Phone cannot be its own backup channel') });
    expect((await admin.config.handlers.channelConfig({})).current.version).toBe(2);

    // The hub goes away and the agent's desktop restarts: the applied version is still there.
    await h.close();
    hubOpen = false;
    await agent.close();
    agent = desk(h.url, ada.token, 'agent', path.join(dir.dir, 'agent.sqlite'));
    expect(agent.config.applied()?.channels.chat.costPerContact).toBe(7.25);
  });
});
