// The channel configuration on a real hub over real sockets and a real SQLite file: version 1 from
// the config file, an admin's save stored as version 2 with who/when/what (the audit), agents and
// stale saves refused with a sentence, every connected desktop told, and the supervisor feed's SLA
// following the new value at once and after a restart.
import { afterEach, describe, expect, it } from 'vitest';
import type { AgentServerFrame, SupervisorSnapshot } from '../../src/shared/hub/agentProtocol';
import type { ChannelMatrix, ChannelMatrixVersion } from '../../src/shared/channelConfig';
import { agentSession, HubClientError, hubTestKit, startHub, supervisorUpdates, type TestAgent } from '../helpers/hub';
import { tempDir } from '../helpers/tempDir';

const kit = hubTestKit();
const { running, connect } = kit;
afterEach(kit.cleanUp);

const pushed = (a: TestAgent): ChannelMatrixVersion[] => a.frames.flatMap((f: AgentServerFrame) => ('t' in f && f.t === 'channelConfig' ? [f.current] : []));
const updates = supervisorUpdates;
const chatSla = (s: SupervisorSnapshot) => s.queues.find((q) => q.channel === 'chat')?.slaSeconds;

describe('the channel configuration on the hub', () => {
  it('an admin saves version 2: stored with who and what changed, pushed to every desktop, and the SLA the supervisors see follows it', async () => {
    const dir = tempDir('omni-hub-matrix-');
    const h = await startHub({ modules: [], dataDir: dir.dir, config: { firstResponseSlaSeconds: { chat: 90 } } });
    running.push(h);
    const root = await agentSession(h, { username: 'root', displayName: 'Rita Root', role: 'admin' });
    const ada = await agentSession(h, { username: 'ada' });
    const sam = await agentSession(h, { username: 'sam', role: 'supervisor' });
    const admin = await connect(h, root.token);
    const agent = await connect(h, ada.token);
    const supervisor = await connect(h, sam.token);

    // Version 1 is today's configuration file.
    const first = await admin.call({ type: 'channelConfig' });
    expect(first.current.version).toBe(1);
    expect(first.current.savedBy).toBe('Configuration file');
    expect(first.current.matrix.channels.chat.firstResponseSlaSeconds).toBe(90);
    expect(first.current.matrix.channels.phone.backupChannel).toBe('chat');
    expect(first.history.map((e) => e.version)).toEqual([1]);

    // A chat waits: the supervisors see the configured 90 s.
    h.hub.context.conversations.ingestInbound({ channel: 'chat', providerId: 'cc-1', threadKey: 'cc-1', contact: { address: 'v-1' }, text: 'Hello?', receivedAt: Date.now() });
    await supervisor.until(() => updates(supervisor).some((s) => chatSla(s) === 90), 10_000, 'the chat queue with its SLA');

    // Agents and supervisors may neither read nor save it.
    await expect(agent.call({ type: 'channelConfig' })).rejects.toMatchObject({ code: 'auth/forbidden' });
    const edited: ChannelMatrix = structuredClone(first.current.matrix);
    edited.channels.chat.firstResponseSlaSeconds = 45;
    edited.channels.sms.routingPriority = 8;
    await expect(supervisor.call({ type: 'saveChannelConfig', expectedVersion: 1, matrix: edited })).rejects.toMatchObject({ code: 'auth/forbidden' });

    // An invalid matrix is refused with the sentence, nothing stored.
    const bad = structuredClone(edited);
    bad.channels.email.backupChannel = 'email';
    const refused = await admin.request({ type: 'saveChannelConfig', expectedVersion: 1, matrix: bad });
    expect(refused).toEqual({ ok: false, error: { code: 'config/invalid', message: expect.stringContaining('Email cannot be its own backup channel') } });

    // The admin saves: version 2, audited.
    const seen = updates(supervisor).length;
    const saved = await admin.call({ type: 'saveChannelConfig', expectedVersion: 1, matrix: edited });
    expect(saved.current).toMatchObject({ version: 2, savedBy: 'Rita Root', changes: ['Chat first-response SLA: 90 s → 45 s', 'SMS routing priority: 5 → 8'] });

    // Every connected desktop is told, agents too.
    for (const socket of [admin, agent, supervisor]) {
      await socket.until(() => pushed(socket).some((v) => v.version === 2), 10_000, 'the new configuration pushed');
      expect(pushed(socket).at(-1)!.matrix.channels.chat.firstResponseSlaSeconds).toBe(45);
    }
    // The supervisor feed uses the new SLA at once.
    await supervisor.until(() => updates(supervisor).slice(seen).some((s) => chatSla(s) === 45), 10_000, 'the chat SLA at 45 s');
    expect((await supervisor.call({ type: 'supervisorSnapshot' })).queues.find((q) => q.channel === 'chat')!.slaSeconds).toBe(45);

    // Someone who opened version 1 cannot overwrite version 2.
    const stale = structuredClone(first.current.matrix);
    stale.channels.email.costPerContact = 9;
    const late = await admin.request({ type: 'saveChannelConfig', expectedVersion: 1, matrix: stale });
    expect(late.ok).toBe(false);
    if (!late.ok) {
      expect(late.error.code).toBe('config/stale');
      expect(late.error.message).toContain('Version 2 was saved by Rita Root');
    }
    const history = await admin.call({ type: 'channelConfig' });
    expect(history.current.version).toBe(2);
    expect(history.history.map((e) => [e.version, e.savedBy])).toEqual([
      [2, 'Rita Root'],
      [1, 'Configuration file'],
    ]);

    // After a restart the hub runs on version 2, not the config file's 90 s.
    await kit.closeSockets();
    await running.pop()!.close();
    const again = await startHub({ modules: [], dataDir: dir.dir, config: { firstResponseSlaSeconds: { chat: 90 } } });
    running.push(again);
    const sup2 = await connect(again, (await agentSession(again, { username: 'sue', role: 'supervisor' })).token);
    await sup2.until(() => updates(sup2).some((s) => chatSla(s) === 45), 10_000, 'the chat SLA at 45 s after a restart');
    // The history reads back each change in English and with its catalog key (the screen shows it in the admin's language).
    const admin2 = await connect(again, (await agentSession(again, { username: 'root2', role: 'admin' })).token);
    const kept = await admin2.call({ type: 'channelConfig' });
    expect(kept.history.map((e) => ({ changes: e.changes, changesText: e.changesText }))).toEqual([
      {
        changes: ['Chat first-response SLA: 90 s → 45 s', 'SMS routing priority: 5 → 8'],
        changesText: [
          { key: 'matrixChangeSla', params: { channel: 'chat', from: 90, to: 45 } },
          { key: 'matrixChangePriority', params: { channel: 'sms', from: 5, to: 8 } },
        ],
      },
      { changes: ['Created from the configuration file'], changesText: [{ key: 'matrixCreatedFromFile', params: {} }] },
    ]);
    dir.remove();
  });

  it('without the channel configuration saved, nothing changes: the config file\'s SLA is what supervisors see', async () => {
    const h = await startHub({ modules: [], config: { firstResponseSlaSeconds: { chat: 7 } } });
    running.push(h);
    const sam = await agentSession(h, { username: 'sam', role: 'supervisor' });
    const supervisor = await connect(h, sam.token);
    h.hub.context.conversations.ingestInbound({ channel: 'chat', providerId: 'cc-2', threadKey: 'cc-2', contact: { address: 'v-2' }, text: 'Hi', receivedAt: Date.now() });
    await supervisor.until(() => updates(supervisor).some((s) => chatSla(s) === 7), 10_000, 'the configured SLA');
    await expect(supervisor.call({ type: 'saveChannelConfig', expectedVersion: 1, matrix: {} })).rejects.toBeInstanceOf(HubClientError);
  });

  it('routing follows a saved routing priority: a transferred SMS is offered before an older chat in the chat queue', async () => {
    const h = await startHub({ modules: [], config: { offerTimeoutMs: 60_000 } });
    running.push(h);
    const root = await agentSession(h, { username: 'root', role: 'admin' });
    const admin = await connect(h, root.token);
    const matrix = structuredClone((await admin.call({ type: 'channelConfig' })).current.matrix);
    matrix.channels.sms.routingPriority = 8;
    await admin.call({ type: 'saveChannelConfig', expectedVersion: 1, matrix });

    // A chat waits first; nobody works chat yet.
    const older = h.hub.context.conversations.ingestInbound({ channel: 'chat', providerId: 'rp-chat', threadKey: 'rp-chat', contact: { address: 'v-chat' }, text: 'Hello?', receivedAt: Date.now() });
    // An SMS is taken by Ada (SMS only) and handed to the chat queue: it now waits there, for less time.
    const ada = await agentSession(h, { username: 'ada', channels: { sms: { proficiency: 3, capacity: 1 } } });
    const adaSocket = await connect(h, ada.token);
    await adaSocket.call({ type: 'setPresence', presence: 'available' });
    const sms = h.hub.context.conversations.ingestInbound({ channel: 'sms', providerId: 'rp-sms', threadKey: '+15550100', contact: { address: '+15550100' }, text: 'Hi by text', receivedAt: Date.now() });
    const offer = await adaSocket.waitForEvent('offer', (e) => e.conversation.id === sms.conversationId);
    await adaSocket.call({ type: 'acceptOffer', offerId: offer.offerId });
    await adaSocket.call({ type: 'transfer', conversationId: sms.conversationId, to: { queue: 'chat' } });
    await adaSocket.waitForEvent('unassigned', (e) => e.conversationId === sms.conversationId);

    // Bob works chat, one at a time: the SMS (priority 8) comes before the older chat (priority 5).
    const bob = await agentSession(h, { username: 'bob', channels: { chat: { proficiency: 3, capacity: 1 } } });
    const bobSocket = await connect(h, bob.token);
    await bobSocket.call({ type: 'setPresence', presence: 'available' });
    const first = await bobSocket.waitForEvent('offer', () => true);
    expect(first.conversation.id).toBe(sms.conversationId);
    expect(first.conversation.id).not.toBe(older.conversationId);
  });
});
