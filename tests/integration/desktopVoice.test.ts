// A call end to end between a real hub and a real desktop service: the Twilio stand-in posts the
// signed webhooks a call produces, the hub rings the desktop's agent, and the desktop's timeline
// holds one call row that moves from ringing to answered to ended with its duration.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { afterEach, beforeAll, afterAll, describe, expect, it } from 'vitest';
import { createHubService, type HubService } from '../../src/main/hub/hubService';
import { openDatabase } from '../../src/main/store/database';
import { MIGRATIONS } from '../../src/main/store/migrations';
import { OutboxStore } from '../../src/main/store/outboxStore';
import { Repository } from '../../src/main/store/repository';
import { agentSession, startHub, type StartedHub } from '../helpers/hub';
import { startTwilioStandin, waitUntil, type TwilioStandin } from '../helpers/providerStandins';
import { tempDir } from '../helpers/tempDir';

const LINE = '+14155550100';
const OPEN_AT = Date.UTC(2026, 10, 25, 15, 0);
const cleanups: Array<() => Promise<void> | void> = [];
let twilio: TwilioStandin;
let started: StartedHub | null = null;

beforeAll(async () => {
  twilio = await startTwilioStandin({ hubPublicUrl: () => started!.url });
});
afterAll(() => twilio.close());
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  started = null;
});

const sid = () => `CA${randomBytes(16).toString('hex')}`;

describe('a phone call on the desktop', () => {
  it('is one timeline row updated in place from ringing to ended, with who answered and how long', async () => {
    const t0 = Date.now();
    started = await startHub({
      now: () => OPEN_AT + (Date.now() - t0),
      config: {
        channels: { twilio: { accountSid: twilio.accountSid, authToken: twilio.authToken, fromNumber: LINE, apiBaseUrl: twilio.url } },
        voice: { ivr: { enabled: false } },
      },
    });
    const hub = started;
    cleanups.push(() => hub.close());
    const session = await agentSession(hub, { username: 'sam', displayName: 'Sam Rivera' });

    const dir = tempDir('omni-deskvoice-');
    const db = openDatabase(path.join(dir.dir, 'desk.sqlite'), { migrations: MIGRATIONS });
    const repo = new Repository(db);
    const agentId = repo.insertAgent({ name: 'Sam', email: 'sam@desk.example', role: 'agent', tier: 1, seniority: 'mid', skills: {}, channels: {}, languages: ['en'], capacity: {}, presence: 'available', createdAt: Date.now() });
    const emitted: Array<{ name: string; payload: unknown }> = [];
    const service: HubService = createHubService({
      db,
      repo,
      outbox: new OutboxStore(db),
      localAgentId: agentId,
      connection: { url: hub.url, token: session.token, hubKey: 'team', embedded: false },
      emit: (name, payload) => emitted.push({ name, payload }),
      client: { backoff: { initialMs: 100, maxMs: 800 }, requestTimeoutMs: 10_000 },
      worker: { pollMs: 500, backoff: { initialMs: 200, maxMs: 1000 } },
    });
    cleanups.push(async () => {
      await service.close();
      db.close();
      dir.remove();
    });
    await waitUntil('the desktop online', () => service.status().state === 'online');
    const setPresence = service.handlers.setPresence as (i: unknown, ctx: { transport: 'direct' }) => Promise<unknown>;
    await setPresence({ presence: 'available' }, { transport: 'direct' });

    const callSid = sid();
    const rung = await twilio.sendVoice('/voice/incoming', { CallSid: callSid, From: '+1 415-555-0123', To: LINE, CallStatus: 'ringing' });
    expect(rung.text).toContain(`<Identity>agent-${session.id}</Identity>`);
    const callRows = () => db.prepare(`SELECT id, body, metadata FROM events WHERE kind = 'call'`).all() as Array<{ id: number; body: string; metadata: string }>;
    const ringing = await waitUntil('the ringing call on the desktop', () => callRows()[0]);
    expect(JSON.parse(ringing.metadata)).toMatchObject({ callSid, status: 'ringing', durationSec: null });

    const leg = { CallSid: sid(), ParentCallSid: callSid, From: '+14155550123', To: `client:agent-${session.id}` };
    await twilio.sendVoice('/voice/status', { ...leg, CallStatus: 'in-progress' });
    await twilio.sendVoice('/voice/status', { ...leg, CallStatus: 'completed', CallDuration: '95' });
    const ended = await waitUntil('the ended call on the desktop', () => callRows().find((r) => JSON.parse(r.metadata).status === 'completed'));
    expect(callRows()).toHaveLength(1);
    expect(ended.id).toBe(ringing.id);
    expect(ended.body).toBe('Incoming call from +14155550123: ended (answered)');
    expect(JSON.parse(ended.metadata)).toMatchObject({ callSid, durationSec: 95, answeredBy: session.id, outcome: 'answered' });
    // The workspace heard of each change to the same row.
    const appended = emitted.filter((e) => e.name === 'timelineAppended').map((e) => (e.payload as { event: { id: number } }).event.id);
    expect(appended.filter((id) => id === ringing.id).length).toBeGreaterThanOrEqual(3);
  });
});
