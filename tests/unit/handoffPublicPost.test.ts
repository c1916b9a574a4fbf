// A public post from the hub (a mention, a comment) on a real SQLite file: its customer message is
// marked public when the bundle is placed, so a reply on a private channel carries it as context under
// the handoff rule social → chat; the agent's own public acknowledgement is not part of it.
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { applyBundle } from '../../src/main/hub/applyHubEvent';
import { createHandoffService } from '../../src/main/handoff/handoffService';
import { openDatabase, type Db } from '../../src/main/store/database';
import { HubLocalStore } from '../../src/main/store/hubLocalStore';
import { MIGRATIONS } from '../../src/main/store/migrations';
import { OutboxStore } from '../../src/main/store/outboxStore';
import { Repository } from '../../src/main/store/repository';
import { DEFAULT_HANDOFF_RULES } from '../../src/shared/cases/handoff';
import type { ContextBundle, HubMessage } from '../../src/shared/hub/agentProtocol';
import { tempDir } from '../helpers/tempDir';

const T0 = Date.UTC(2026, 2, 10, 9, 0);
let tmp: ReturnType<typeof tempDir>;
let db: Db;
let repo: Repository;
let localAgentId: number;

beforeEach(() => {
  tmp = tempDir('omni-handoff-public-');
  db = openDatabase(path.join(tmp.dir, 'desk.sqlite'), { migrations: MIGRATIONS });
  repo = new Repository(db);
  localAgentId = repo.insertAgent({ name: 'Sam Rivera', email: 'sam@desk.example', role: 'agent', tier: 1, seniority: 'mid', skills: {}, channels: {}, languages: ['en'], capacity: {}, presence: 'available', createdAt: T0 });
});
afterEach(() => {
  db.close();
  tmp.remove();
});

const message = (id: number, over: Partial<HubMessage>): HubMessage => ({
  id,
  conversationId: 7,
  direction: 'in',
  authorType: 'customer',
  authorName: 'Omar Haddad',
  text: '',
  attachments: [],
  createdAt: T0 + id * 1000,
  idempotencyKey: null,
  delivery: null,
  deliveryDetail: null,
  ...over,
});

function place(isPublic: boolean) {
  const bundle: ContextBundle = {
    conversation: {
      id: 7,
      channel: 'x',
      contact: { id: 3, channel: 'x', address: '99001', displayName: 'Omar Haddad', email: null, phone: null, accountId: null, verified: false },
      subject: 'Public mention on X',
      status: 'assigned',
      priority: 'normal',
      issueType: 'other',
      tier: 'standard',
      vip: false,
      assignedAgentId: 1,
      createdAt: T0,
      emailMessageId: null,
      isPublic,
    },
    messages: [message(1, { text: '@acme my espresso machine leaks again, third time.' }), message(2, { direction: 'out', authorType: 'agent', authorName: 'Sam Rivera', text: 'Sorry to hear that! We sent you a DM.' })],
    handoffNote: null,
    escalationReason: null,
    suggestedReply: null,
  };
  return applyBundle({ hub: 'embedded', store: new HubLocalStore(db), repo, outbox: new OutboxStore(db), localAgentId }, bundle, T0 + 10_000);
}

it('a public mention placed from the hub goes to a private chat reply as its context', () => {
  const placed = place(true);
  const events = repo.timelineForCustomer(placed.customerId, undefined, 10).events;
  expect(events.map((e) => [e.direction, e.metadata['visibility'] ?? null])).toEqual([
    ['in', 'public'],
    ['out', null],
  ]);
  const handoff = createHandoffService({ repo, matrix: () => ({ version: 3, matrix: { handoff: DEFAULT_HANDOFF_RULES } }) });
  expect(handoff.plan(placed.caseId, 'chat')).toMatchObject({ from: 'x', to: 'chat', kind: 'public_context', visibility: 'private', matrixVersion: 3 });
  const reply = handoff.forReply(placed.caseId, 'chat');
  expect(reply?.kind === 'public_context' && reply.note).toBe('Moved from public X to private Chat. Public context:\n[2026-03-10 09:00 UTC] Omar Haddad on X (public): @acme my espresso machine leaks again, third time.');
});

it('a private DM has no public context to carry', () => {
  const placed = place(false);
  expect(repo.timelineForCustomer(placed.customerId, undefined, 10).events.every((e) => e.metadata['visibility'] === undefined)).toBe(true);
  const handoff = createHandoffService({ repo, matrix: () => null });
  expect(handoff.plan(placed.caseId, 'chat')).toMatchObject({ kind: 'public_context', matrixVersion: null });
  expect(handoff.forReply(placed.caseId, 'chat')).toBeNull();
});
