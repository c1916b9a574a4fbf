// The desktop applying the hub's call events on a real SQLite file: one timeline row per call,
// updated in place from ringing to answered to ended with its duration, and a voicemail row that
// gains its transcription. Replays store nothing twice.
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyHubEvent, type ApplyDeps } from '../../src/main/hub/applyHubEvent';
import { openDatabase, type Db } from '../../src/main/store/database';
import { HubLocalStore } from '../../src/main/store/hubLocalStore';
import { MIGRATIONS } from '../../src/main/store/migrations';
import { OutboxStore } from '../../src/main/store/outboxStore';
import { Repository } from '../../src/main/store/repository';
import type { HubConversation, HubEvent, HubMessage } from '../../src/shared/hub/agentProtocol';
import { tempDir } from '../helpers/tempDir';

const HUB = 'embedded';
const T0 = Date.UTC(2026, 10, 25, 15, 0, 0);
const CALL = 'CA0123456789abcdef0123456789abcdef';

let tmp: ReturnType<typeof tempDir>;
let db: Db;
let repo: Repository;
let deps: ApplyDeps;
let seq = 0;

beforeEach(() => {
  tmp = tempDir('omni-voiceapply-');
  db = openDatabase(path.join(tmp.dir, 'desk.sqlite'), { migrations: MIGRATIONS });
  repo = new Repository(db);
  const agentId = repo.insertAgent({
    name: 'Sam Rivera',
    email: 'sam@desk.example',
    role: 'agent',
    tier: 1,
    seniority: 'mid',
    skills: {},
    channels: {},
    languages: ['en'],
    capacity: {},
    presence: 'available',
    createdAt: T0,
  });
  deps = { hub: HUB, store: new HubLocalStore(db), repo, outbox: new OutboxStore(db), localAgentId: agentId };
  seq = 0;
});

afterEach(() => {
  db.close();
  tmp.remove();
});

const conversation: HubConversation = {
  id: 12,
  channel: 'phone',
  contact: { id: 4, channel: 'phone', address: '+14155550123', displayName: null, email: null, phone: '+14155550123', accountId: null, verified: false },
  subject: 'Phone call from +14155550123',
  status: 'assigned',
  priority: 'normal',
  issueType: 'technical',
  tier: 'standard',
  vip: false,
  assignedAgentId: 3,
  createdAt: T0,
  emailMessageId: null,
  isPublic: false,
};

const message = (id: number, over: Partial<HubMessage> = {}): HubMessage => ({
  id,
  conversationId: 12,
  direction: 'in',
  authorType: 'customer',
  authorName: '+14155550123',
  text: 'Call from +14155550123',
  attachments: [],
  createdAt: T0,
  idempotencyKey: null,
  delivery: null,
  deliveryDetail: null,
  ...over,
});

const apply = (event: HubEvent) => applyHubEvent(deps, (seq += 1), event, T0 + seq * 1000);
const call = (over: Partial<Extract<HubEvent, { type: 'call' }>>): HubEvent => ({
  type: 'call',
  conversationId: 12,
  callSid: CALL,
  direction: 'in',
  from: '+14155550123',
  to: '+14155550100',
  status: 'ringing',
  answeredByAgentId: null,
  durationSec: null,
  recordingUrl: null,
  outcome: null,
  at: T0 + 500,
  ...over,
});

const timeline = () => {
  const link = deps.store.conversation(HUB, 12)!;
  const customerId = deps.store.caseRow(link.caseId)!.customerId;
  return repo.timelineForCustomer(customerId, undefined, 50).events;
};

describe('calls on the desktop timeline', () => {
  it('a call is one row updated in place: ringing, answered by, ended with its duration and outcome', () => {
    apply({ type: 'assigned', via: 'accept', bundle: { conversation, messages: [message(1)], handoffNote: null, escalationReason: null, suggestedReply: null } });
    const ringing = apply(call({ status: 'ringing' }));
    const rowId = ringing.effects.find((e) => e.kind === 'timeline') as { eventId: number };
    apply(call({ status: 'in-progress', answeredByAgentId: 3 }));
    const ended = apply(call({ status: 'completed', answeredByAgentId: 3, durationSec: 42, outcome: 'answered' }));
    expect(ended.effects).toContainEqual({ kind: 'timeline', eventId: rowId.eventId });

    const calls = timeline().filter((e) => e.kind === 'call');
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({
      id: rowId.eventId,
      channel: 'phone',
      direction: 'in',
      body: 'Incoming call from +14155550123: ended (answered)',
      metadata: { callSid: CALL, status: 'completed', durationSec: 42, outcome: 'answered', answeredBy: 3, recordingUrl: null },
    });
    // A replayed sequence number changes nothing.
    expect(applyHubEvent(deps, seq, call({ status: 'ringing' }), T0).applied).toBe(false);
    expect(timeline().filter((e) => e.kind === 'call')).toHaveLength(1);
  });

  it('a call for a conversation this desktop does not hold is skipped, not invented', () => {
    const outcome = apply(call({ conversationId: 99 }));
    expect(outcome).toEqual({ applied: true, effects: [] });
    expect((db.prepare(`SELECT count(*) AS n FROM events`).get() as { n: number }).n).toBe(0);
  });

  it('a voicemail message shows as a voicemail with its duration, and its transcription fills in the same row', () => {
    const recording = { name: `voicemail-${CALL}-17s.mp3`, contentType: 'audio/mpeg', size: 0, url: 'https://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/RE1.mp3' };
    apply({
      type: 'assigned',
      via: 'accept',
      bundle: { conversation, messages: [message(1), message(2, { text: 'Voicemail (17 s).', attachments: [recording] })], handoffNote: null, escalationReason: null, suggestedReply: null },
    });
    const before = timeline().filter((e) => e.kind === 'voicemail');
    expect(before).toHaveLength(1);
    expect(before[0]!.metadata).toMatchObject({ callSid: CALL, durationSec: 17, recordingUrl: recording.url, transcription: null });

    apply({ type: 'voicemail', conversationId: 12, callSid: CALL, from: '+14155550123', recordingUrl: recording.url.replace(/\.mp3$/, ''), durationSec: 17, transcription: 'Please call me back about the router.', at: T0 + 9000 });
    const after = timeline().filter((e) => e.kind === 'voicemail');
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({ id: before[0]!.id, body: 'Voicemail from +14155550123: Please call me back about the router.', metadata: { transcription: 'Please call me back about the router.', durationSec: 17 } });
  });
});
