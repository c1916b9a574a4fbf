// The desktop's SLA clocks on a real core (its own SQLite file) with its real built-in hub: until a
// channel configuration arrives the built-in policy counts; the version the hub pushes after sign-in
// and each version the admin saves move the waiting case's queue deadline and its header clock at once
// (one queueChanged), hours and holidays included; a team hub's version counts while signed in there;
// after a restart the kept version still counts.
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/main/config';
import { createCore, type Core } from '../../src/main/core';
import { createHubSwitcher } from '../../src/main/hub/hubSwitcher';
import { EncryptedFileSecretStore } from '../../src/main/secrets';
import type { ChannelMatrix } from '../../src/shared/channelConfig';
import type { EventName, RequestName, RequestOutput } from '../../src/shared/contract';
import { agentSession, startHub } from '../helpers/hub';
import { tempDir } from '../helpers/tempDir';
import { waitFor } from '../helpers/wait';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const DAY = 86_400_000;
const PASSWORD = 'correct-horse-battery-staple-7';

async function value<K extends RequestName>(core: Core, method: K, input: unknown): Promise<RequestOutput<K>> {
  const result = await core.dispatch(method, input, { transport: 'direct' });
  if (!result.ok) throw new Error(`${method} failed: ${result.error.code}: ${result.error.message}`);
  return result.value as RequestOutput<K>;
}

function startDesk(dir: string) {
  const config = loadConfig({ argv: ['--data-dir', dir, '--no-demo', '--no-auto-reply', '--hub-port', '0'], env: {} });
  const secrets = new EncryptedFileSecretStore({ file: path.join(dir, 'secrets.enc') });
  const switcher = createHubSwitcher(config.hub, { dataDir: config.dataDir, secrets });
  const core = createCore(config, { mode: 'headless', log: () => {}, secrets, mail: false, hub: switcher });
  const events: EventName[] = [];
  core.subscribe((name) => events.push(name));
  return { core, events };
}

describe('the desktop SLA clocks and the channel configuration', () => {
  it('the queue deadline and the header clock follow each version the hub pushes, hours and holidays included', async () => {
    const tmp = tempDir('omni-sla-');
    cleanups.push(() => tmp.remove());
    const dir = path.join(tmp.dir, 'data');
    let desk = startDesk(dir);
    let open = true;
    cleanups.push(() => (open ? desk.core.close() : undefined));

    // A chat customer has waited 10 s; stored as ingest did before any configuration: the built-in 2 minutes.
    const since = Date.now() - 10_000;
    const { repo } = desk.core;
    const customerId = repo.insertCustomer({ name: 'Pat Lee', company: null, title: null, tier: 'standard', vip: false, healthScore: 80, language: 'en', timezone: null, preferredChannel: 'chat', createdAt: since, identities: [] });
    const caseId = repo.insertCase({ customerId, subject: 'Where is my parcel?', status: 'open', priority: 'normal', issueType: 'shipping', channel: 'chat', originChannel: 'chat', assignedAgentId: null, createdAt: since, updatedAt: since, waitingSince: since, firstResponseAt: null, slaDueAt: since + 120_000, resolvedAt: null, resolutionCode: null, csatScore: null });
    repo.insertEvent({ caseId, customerId, channel: 'chat', direction: 'in', kind: 'message', authorType: 'customer', authorId: null, authorName: 'Pat Lee', subject: null, body: 'Where is my parcel?', occurredAt: since });

    const queueDue = async () => (await value(desk.core, 'queueSnapshot', { view: 'all' })).items.find((i) => i.caseId === caseId)?.slaDueAt;
    const headerDue = async () => (await value(desk.core, 'caseInsights', { caseId })).sla.find((c) => c.kind === 'firstResponse')?.dueAt;

    // The built-in hub signs in and pushes version 1 (its configuration file: chat 60 s): both follow.
    await desk.core.hub.ready();
    await waitFor('version 1 counted', async () => (await queueDue()) === since + 60_000);
    expect(await headerDue()).toBe(since + 60_000);

    // The local admin saves a shorter chat SLA: the queue and the header move at once, with one queueChanged.
    const view = await value(desk.core, 'channelConfig', {});
    const matrix: ChannelMatrix = structuredClone(view.current.matrix);
    matrix.channels.chat.firstResponseSlaSeconds = 30;
    desk.events.length = 0;
    await value(desk.core, 'saveChannelConfig', { expectedVersion: view.current.version, matrix });
    expect(await queueDue()).toBe(since + 30_000);
    expect(await headerDue()).toBe(since + 30_000);
    expect(desk.events).toContain('queueChanged');
    expect(desk.events).toContain('channelConfigChanged');

    // Chat closed today (a holiday on the UTC date the customer wrote): the clock starts at tomorrow's midnight.
    const today = new Date(since).toISOString().slice(0, 10);
    const midnight = Date.parse(`${today}T00:00:00Z`) + DAY;
    const holiday: ChannelMatrix = structuredClone(matrix);
    holiday.channels.chat.hours = { timeZone: 'UTC', weekly: '24/7', holidays: [{ date: today, name: 'Inventory day' }] };
    await value(desk.core, 'saveChannelConfig', { expectedVersion: view.current.version + 1, matrix: holiday });
    expect(await queueDue()).toBe(midnight + 30_000);
    expect(await headerDue()).toBe(midnight + 30_000);
    const clock = (await value(desk.core, 'caseInsights', { caseId })).sla.find((c) => c.kind === 'firstResponse');
    expect(clock?.state).toBe('running');

    // Signed in to a team hub whose chat SLA is 20 s, its version counts; back on the built-in hub (whose
    // version was kept, so nothing new arrives) the kept one counts again and the header is told to re-read.
    const team = await startHub({ config: { embedded: false, firstResponseSlaSeconds: { chat: 20 } } });
    cleanups.push(() => team.close());
    await agentSession(team, { username: 'sam', password: PASSWORD });
    await value(desk.core, 'signInToHub', { url: team.url, username: 'sam', password: PASSWORD });
    await waitFor("the team hub's version counted", async () => (await queueDue()) === since + 20_000);
    expect(await headerDue()).toBe(since + 20_000);
    desk.events.length = 0;
    await value(desk.core, 'useBuiltInHub', {});
    await waitFor("the built-in hub's kept version counted again", async () => (await queueDue()) === midnight + 30_000);
    expect(await headerDue()).toBe(midnight + 30_000);
    expect(desk.events).toContain('channelConfigChanged');

    // A restart with the kept version: nothing is counted again, the header still uses it.
    await desk.core.close();
    open = false;
    desk = startDesk(dir);
    open = true;
    expect(await headerDue()).toBe(midnight + 30_000);
    expect(await queueDue()).toBe(midnight + 30_000);
    await desk.core.hub.ready();
    await waitFor('the hub online again', () => desk.core.hub.status().state === 'online');
    expect(await queueDue()).toBe(midnight + 30_000);
  });
});
