// What the tray and the notifications learn from a real core (a SQLite file in a temp folder):
// the queue count after each change, and an alert only for a customer's message on one of the
// agent's own conversations.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../src/main/config';
import { createCore, type Core } from '../../src/main/core';
import { noticePreview, watchQueue, type QueueWatch } from '../../src/main/desktop/queueWatch';
import { MASKED_KEY } from '../../src/shared/privacy/maskRecords';
import { say } from '../../src/shared/serverErrors';
import { saidMetadata } from '../../src/shared/storedSentence';
import type { Alert } from '../../src/main/desktop/notificationRules';
import type { Channel, TimelineEvent } from '../../src/shared/domain';

let dir: string;
let core: Core;
let agentId: number;
let customerId: number;

function addCase(assigned: boolean, channel: Channel = 'chat'): number {
  return core.repo.insertCase({
    customerId, subject: 'Where is my parcel?', status: 'open', priority: 'normal', issueType: 'shipping', channel, originChannel: channel,
    assignedAgentId: assigned ? agentId : null, createdAt: 1, updatedAt: 1, waitingSince: 1, firstResponseAt: null, slaDueAt: null, resolvedAt: null, resolutionCode: null, csatScore: null,
  });
}

function message(caseId: number, over: { direction?: 'in' | 'out'; authorType?: 'customer' | 'agent'; body?: string } = {}) {
  const id = core.repo.insertEvent({
    caseId, customerId, channel: 'chat', direction: over.direction ?? 'in', kind: 'message', authorType: over.authorType ?? 'customer',
    authorId: null, authorName: 'Pat Lee', subject: null, body: over.body ?? 'Any news?', occurredAt: 5,
  });
  core.emit('timelineAppended', { event: core.repo.eventById(id) });
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'omni-queuewatch-'));
  const config = loadConfig({ argv: ['--data-dir', dir, '--no-demo'], env: {} });
  core = createCore(config, { mode: 'headless', log: () => {} });
  const info = await core.dispatch('appInfo', {}, { transport: 'direct' });
  if (!info.ok) throw new Error(info.error.message);
  agentId = (info.value as { agent: { id: number } }).agent.id;
  customerId = core.repo.insertCustomer({ name: 'Pat Lee', company: null, title: null, tier: 'standard', vip: false, healthScore: 80, language: 'en', timezone: null, preferredChannel: 'chat', createdAt: 1, identities: [] });
});

afterAll(async () => {
  await core?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('following the queue for the tray and notifications', () => {
  let watch: QueueWatch;
  const counts: number[] = [];
  const alerts: Alert[] = [];

  it('counts the queue at start and again after it changes', async () => {
    addCase(false);
    watch = watchQueue({ core, onCount: (n) => counts.push(n), onAlert: (a) => alerts.push(a), settleMs: 20, log: () => {} });
    await vi.waitFor(() => expect(counts.at(-1)).toBe(1), { timeout: 10_000 });
    addCase(true);
    addCase(true, 'sms');
    core.emit('queueChanged', { at: 10 });
    await vi.waitFor(() => expect(counts.at(-1)).toBe(3), { timeout: 10_000 });
    expect(watch.mine().size).toBe(2);
  });

  it('raises an alert for a customer message on the agent’s own conversation only', async () => {
    const mine = [...watch.mine()][0]!;
    const unassigned = addCase(false);
    await watch.refresh();
    message(unassigned);
    message(mine, { direction: 'out', authorType: 'agent', body: 'On its way' });
    message(mine, { body: 'Thanks! And the invoice?' });
    expect(alerts).toEqual([{ kind: 'message', caseId: mine, channel: 'chat', sender: 'Pat Lee', preview: 'Thanks! And the invoice?', at: 5 }]);
  });

  it('raises an alert for a hub offer, carrying the offer to accept', () => {
    core.emit('offerReceived', {
      offer: { offerId: 42, conversationId: 9, channel: 'sms', customerName: 'Sam Ortiz', subject: 'Card declined', priority: 'high', vip: false, expiresAt: 100, receivedAt: 50, reasons: [] },
    });
    expect(alerts.at(-1)).toEqual({ kind: 'offer', caseId: 0, offerId: 42, channel: 'sms', sender: 'Sam Ortiz', preview: 'Card declined', at: 50 });
    alerts.pop();
  });

  it('raises an alert for each new SLA breach or outage of the supervisor feed', () => {
    core.emit('supervisorConsoleUpdated', {
      snapshot: { agents: [], queues: [], waiting: [], assigned: [], outages: [] },
      alerts: [{ key: 'sla:9:breached', kind: 'breached', channel: 'chat', conversationId: 9, contact: 'Sam Ortiz', since: 50, backup: null, detail: null }],
    });
    expect(alerts.at(-1)).toEqual({ kind: 'supervisor', key: 'sla:9:breached', caseId: 0, channel: 'chat', sender: 'SLA breached on Chat', preview: 'Sam Ortiz has waited past the first-response SLA.', at: 50 });
    alerts.pop();
  });

  it('stops following when the shell closes', async () => {
    watch.stop();
    const before = counts.length;
    core.emit('queueChanged', { at: 20 });
    message([...watch.mine()][0]!);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(counts.length).toBe(before);
    expect(alerts).toHaveLength(1);
  });
});

describe('a notice of a line the hub wrote for the customer', () => {
  const voicemail = say('lineVoicemailText', { from: '+14155550123', text: 'Please call me back about the router.' });
  const event = (metadata: Record<string, unknown>, body = voicemail.message): TimelineEvent => ({
    id: 1, caseId: 1, customerId: 1, channel: 'phone', direction: 'in', kind: 'voicemail', authorType: 'customer', authorName: '+14155550123',
    subject: null, body, metadata, occurredAt: 5, delivery: null, deliveryDetail: null,
  });

  it('says it in the agent\'s language, the customer\'s own words kept', () => {
    expect(noticePreview(event(saidMetadata(voicemail)), 'en')).toBe('Voicemail: Please call me back about the router.');
    expect(noticePreview(event(saidMetadata(voicemail)), 'de')).toBe('Sprachnachricht: Please call me back about the router.');
    const rated = say('lineRatedComment', { score: 4, comment: 'Quick' });
    expect(noticePreview(event(saidMetadata(rated), rated.message), 'de')).toBe('Mit 4 von 5 bewertet: „Quick“');
  });

  it('keeps a masked row\'s masked text, and a row without a key as written', () => {
    const card = say('lineVoicemailText', { from: '+14155550123', text: 'My card is 4242 4242 4242 4242.' });
    expect(noticePreview(event({ ...saidMetadata(card), [MASKED_KEY]: ['card'] }, 'Voicemail from +14155550123: My card is •••• •••• •••• 4242.'), 'de')).toBe(
      'Voicemail from +14155550123: My card is •••• •••• •••• 4242.',
    );
    expect(noticePreview(event({}, 'Any news?'), 'de')).toBe('Any news?');
  });
});
