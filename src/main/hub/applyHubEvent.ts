// Turns the hub's durable events into local store records: customers found or created by their
// channel identifiers, a case per hub conversation, timeline events per hub message, delivery and
// resolution state, offers. Each event is applied in one transaction with the stream position, and
// every write is keyed by a hub id, so applying anything twice stores it once. No network here.
import type { Channel, DeliveryStatus, Priority } from '../../shared/domain';
import { CHANNEL_LABELS } from '../../shared/domain';
import type { ContextBundle, HubContact, HubConversation, HubEvent, HubMessage } from '../../shared/hub/agentProtocol';
import { normalizeMessageId } from '../../shared/cases';
import { csatSaid } from '../../shared/csat';
import { IdentitySettings, normalizeAccountId, normalizeEmail, normalizePhone, normalizeSocial, type Normalized } from '../../shared/identity';
import { BUILT_IN_SLA, responseDue, type SlaSettings } from '../../shared/slaSettings';
import type { HubLocalStore, StoredOffer } from '../store/hubLocalStore';
import { HubTeamStore } from '../store/hubTeamStore';
import { PrivacyStore } from '../privacy/privacyStore';
import type { OutboxStore } from '../store/outboxStore';
import { firstContactCustomer, type Repository } from '../store/repository';
import { say, type Said } from '../../shared/serverErrors';
import { authorMetadata, saidMetadata, serverAuthorName, storedReasonOf } from '../../shared/storedSentence';

export interface ApplyDeps {
  /** Which hub the events come from (the key of every hub_* row). */
  hub: string;
  store: HubLocalStore;
  repo: Repository;
  outbox: OutboxStore;
  /** The desktop's own agent row: cases the hub assigns here are assigned to it. */
  localAgentId: number;
  identitySettings?: IdentitySettings;
  /** The SLA policy and calendars now (the channel configuration's, else the built-ins). */
  sla?: () => SlaSettings;
  log?: (line: string) => void;
}

/** What changed, for the workspace to hear about after the commit. */
export type HubEffect =
  | { kind: 'timeline'; eventId: number }
  | { kind: 'queue' }
  | { kind: 'delivery'; eventId: number; caseId: number | null; status: DeliveryStatus; detail: string | null }
  | { kind: 'offer'; offer: StoredOffer }
  | { kind: 'offerWithdrawn'; offerId: number; conversationId: number; reason: string }
  | { kind: 'assigned'; caseId: number; customerId: number; conversationId: number }
  /** Another agent @mentioned this one: a new notification. */
  | { kind: 'notification'; id: number; caseId: number; by: string }
  /** The hub erased customers (GDPR): their rows are gone here too; the file is compacted after the commit. */
  | { kind: 'erased'; customerIds: number[]; orphanFiles: string[] };

export interface ApplyOutcome {
  /** False when the sequence number was applied before (a replay): nothing was written. */
  applied: boolean;
  effects: HubEffect[];
}

/**
 * Applies one sequenced event and advances the stored position to `seq`, in ONE transaction: a crash
 * leaves both or neither, so the event is neither applied twice nor skipped.
 */
export function applyHubEvent(deps: ApplyDeps, seq: number, event: HubEvent, now: number): ApplyOutcome {
  return deps.store.transaction(() => {
    if (!deps.store.advance(deps.hub, seq, now)) return { applied: false, effects: [] };
    const effects: HubEffect[] = [];
    applyEvent(deps, event, now, effects);
    return { applied: true, effects };
  });
}

/**
 * Stores a context bundle (from an accept's answer, before the `assigned` event arrives): the same
 * writes as the event minus the handoff note, which only the sequenced event adds.
 */
export function applyBundle(deps: ApplyDeps, bundle: ContextBundle, now: number): { caseId: number; customerId: number; effects: HubEffect[] } {
  return deps.store.transaction(() => {
    const effects: HubEffect[] = [];
    const placed = placeBundle(deps, bundle, now, effects, false);
    return { ...placed, effects };
  });
}

function applyEvent(deps: ApplyDeps, event: HubEvent, now: number, effects: HubEffect[]): void {
  const { store, hub } = deps;
  switch (event.type) {
    case 'offer':
      store.putOffer(hub, { offerId: event.offerId, conversation: event.conversation, reasons: event.reasons, expiresAt: event.expiresAt }, now);
      effects.push({ kind: 'offer', offer: store.offer(hub, event.offerId)! });
      return;
    case 'offerWithdrawn':
      store.removeOffer(hub, event.offerId);
      effects.push({ kind: 'offerWithdrawn', offerId: event.offerId, conversationId: event.conversationId, reason: event.reason });
      return;
    case 'assigned':
      placeBundle(deps, event.bundle, now, effects, true);
      return;
    case 'unassigned': {
      const link = store.conversation(hub, event.conversationId);
      if (!link) return;
      store.setConversationAssigned(hub, event.conversationId, false, now);
      const kase = store.caseRow(link.caseId);
      if (!kase) return;
      // The conversation goes on with another agent: out of this queue, its history kept here.
      store.assignCase(link.caseId, null, kase.status === 'open' ? 'pending' : kase.status, now);
      const line = say('lineMoved', { reason: event.reason });
      effects.push({ kind: 'timeline', eventId: systemNote(deps, kase.customerId, link.caseId, link.channel, line.message, now, 'system', saidMetadata(line, { reason: event.reasonText })) }, { kind: 'queue' });
      return;
    }
    case 'message':
      applyMessage(deps, event.message, null, now, effects);
      return;
    case 'delivery':
      applyDelivery(deps, event, now, effects);
      return;
    case 'resolved': {
      const link = store.conversation(hub, event.conversationId);
      if (link && store.resolveCase(link.caseId, now)) effects.push({ kind: 'queue' });
      return;
    }
    case 'csat': {
      const link = store.conversation(hub, event.conversationId);
      const kase = link ? store.caseRow(link.caseId) : null;
      if (!link || !kase) return;
      store.setCsat(link.caseId, event.rating);
      const said = csatSaid(event.rating, event.comment);
      const body = said.message;
      const metadata = { score: event.rating, hubConversationId: event.conversationId, ...saidMetadata(said), ...authorMetadata('authorCustomer') };
      // A changed answer (the customer used the link again) replaces the first: one rating per case.
      const earlier = store.csatEvent(link.caseId, event.conversationId);
      if (earlier !== null) {
        store.updateCsatEvent(earlier, body, { ...metadata, changedAt: now });
        effects.push({ kind: 'timeline', eventId: earlier });
        return;
      }
      const eventId = deps.repo.insertEvent(
        {
          caseId: link.caseId,
          customerId: kase.customerId,
          channel: link.channel,
          direction: 'in',
          kind: 'csat',
          authorType: 'customer',
          authorId: null,
          authorName: serverAuthorName('authorCustomer'),
          subject: null,
          body,
          metadata,
          occurredAt: now,
        },
        now,
      );
      effects.push({ kind: 'timeline', eventId });
      return;
    }
    case 'agentState':
      // Supervisors' feed; nothing of it is stored on the desktop.
      return;
    case 'call':
      applyCall(deps, event, now, effects);
      return;
    case 'voicemail':
      applyVoicemail(deps, event, now, effects);
      return;
    case 'mentioned': {
      // A conversation this desktop does not hold is stored to read (not assigned, not in "Mine").
      const held = store.conversation(hub, event.conversationId);
      const placed = held ? { caseId: held.caseId } : caseFor(deps, event.bundle.conversation, null, now, effects, false);
      for (const message of [...event.bundle.messages].sort((a, b) => a.createdAt - b.createdAt || a.id - b.id)) applyMessage(deps, message, null, now, effects);
      const id = new HubTeamStore(deps.repo.db).addNotification({ hub, caseId: placed.caseId, hubMessageId: event.messageId, by: event.by, at: now });
      if (id !== null) effects.push({ kind: 'notification', id, caseId: placed.caseId, by: event.by });
      return;
    }
    case 'reopened': {
      const link = store.conversation(hub, event.conversationId);
      const kase = link ? store.caseRow(link.caseId) : null;
      if (!link || !kase) return;
      store.setConversationAssigned(hub, event.conversationId, true, now);
      if (kase.status === 'open' && kase.assignedAgentId === deps.localAgentId) return;
      store.assignCase(link.caseId, deps.localAgentId, 'open', now);
      const line = say('lineReopenedOnHub', { agent: event.by });
      effects.push({ kind: 'timeline', eventId: systemNote(deps, kase.customerId, link.caseId, link.channel, line.message, now, 'system', saidMetadata(line)) }, { kind: 'queue' });
      return;
    }
    case 'customerErased':
      eraseLocalCopies(deps, event.conversationIds, now, effects);
      return;
  }
}

/** The customers of these hub conversations, erased here as the privacy erase does (in this transaction). */
function eraseLocalCopies(deps: ApplyDeps, conversationIds: readonly number[], now: number, effects: HubEffect[]): void {
  const customers = new Set<number>();
  for (const id of conversationIds) {
    const link = deps.store.conversation(deps.hub, id);
    const kase = link ? deps.store.caseRow(link.caseId) : null;
    if (kase) customers.add(kase.customerId);
  }
  if (customers.size === 0) return;
  const privacy = new PrivacyStore(deps.repo.db);
  const orphanFiles: string[] = [];
  // Freed pages are zeroed; the caller compacts the file after the commit.
  const secureBefore = deps.repo.db.pragma('secure_delete', { simple: true }) as number;
  deps.repo.db.pragma('secure_delete = ON');
  try {
    for (const customerId of customers) {
      const result = privacy.eraseCustomerRows(customerId);
      orphanFiles.push(...result.orphanFiles);
      const counts = Object.entries(result.removed)
        .map(([t, n]) => `${t} ${n}`)
        .join(', ');
      privacy.audit({ at: now, agentId: null, agentName: 'Hub', action: 'erase', eventId: null, customerId, detail: `Erased on the hub's request (GDPR): ${counts}` });
    }
  } finally {
    deps.repo.db.pragma(`secure_delete = ${secureBefore ? 'ON' : 'OFF'}`);
  }
  effects.push({ kind: 'erased', customerIds: [...customers], orphanFiles }, { kind: 'queue' });
}

// ---------------------------------------------------------------- customers

type IdentityRow = { kind: 'email' | 'phone' | 'social' | 'account'; platform: string; value: string; display: string; verified: boolean };

/**
 * The contact's identifiers in the identity engine's canonical form, verified ones first: the
 * product's own account id (in-app HMAC), email, phone, the handle or id on its social platform,
 * and the widget visitor id (so a returning visitor is the same customer). Unreadable ones are skipped.
 */
export function contactIdentifiers(contact: HubContact, channel: Channel, settings: IdentitySettings = IdentitySettings.parse({})): IdentityRow[] {
  const out: IdentityRow[] = [];
  const add = (n: Normalized, verified: boolean) => {
    if (!n.ok) return;
    const { kind, platform, value, display } = n.identifier;
    if (!out.some((i) => i.kind === kind && i.platform === platform && i.value === value)) out.push({ kind, platform, value, display, verified });
  };
  if (contact.accountId && contact.verified) add(normalizeAccountId(contact.accountId, 'app'), true);
  if (contact.email) add(normalizeEmail(contact.email, { foldPlus: settings.foldPlus }), false);
  if (contact.phone) add(normalizePhone(contact.phone, settings.defaultRegion), false);
  switch (channel) {
    case 'email':
      add(normalizeEmail(contact.address, { foldPlus: settings.foldPlus }), false);
      break;
    case 'sms':
    case 'phone':
      add(normalizePhone(contact.address, settings.defaultRegion), false);
      break;
    case 'messenger':
    case 'instagram':
    case 'x': {
      const social = normalizeSocial(channel, contact.address);
      // X's numeric user ids can be longer than a handle; they still name one person on that platform.
      add(social.ok ? social : normalizeAccountId(contact.address, channel), false);
      break;
    }
    case 'in_app':
      add(normalizeAccountId(contact.address, 'app'), contact.verified);
      break;
    case 'chat':
    case 'portal':
      add(normalizeAccountId(contact.address, 'widget'), false);
      break;
  }
  return out.sort((a, b) => Number(b.verified) - Number(a.verified));
}

/** The customer a contact is: the one holding any of its identifiers (verified first), else a new one. */
function customerFor(deps: ApplyDeps, contact: HubContact, channel: Channel, at: number): number {
  const identifiers = contactIdentifiers(contact, channel, deps.identitySettings);
  let customerId: number | null = null;
  for (const i of identifiers) {
    customerId = deps.store.customerByIdentifier(i.kind, i.platform, i.value);
    if (customerId !== null) break;
  }
  // A caller the hub knows only by number (a phone conversation, no name) is a provisional profile.
  const unknownCaller = channel === 'phone' && !contact.displayName?.trim() && !contact.email ? identifiers.find((i) => i.kind === 'phone') : undefined;
  if (customerId === null) {
    customerId = deps.repo.insertCustomer(
      firstContactCustomer({
        name: contact.displayName?.trim() || contact.email?.split('@')[0] || (unknownCaller ? `Caller ${unknownCaller.display}` : `${CHANNEL_LABELS[channel]} visitor`),
        preferredChannel: null,
        createdAt: at,
        identities: [],
      }),
    );
    if (unknownCaller) deps.store.markProvisionalCaller(customerId, unknownCaller.value, at);
  }
  for (const i of identifiers) deps.store.addIdentity(customerId, i, at);
  return customerId;
}

// ---------------------------------------------------------------- conversations and messages

/** The deadline of a customer message: the first response until the case was answered, then the next. */
function slaDue(deps: ApplyDeps, channel: Channel, priority: Priority, answered: boolean, at: number): number | null {
  return responseDue(deps.sla?.() ?? BUILT_IN_SLA, channel, priority, answered ? 'nextResponse' : 'firstResponse', at);
}

/** The local case of a hub conversation, created (with its customer) the first time it is seen. */
function caseFor(deps: ApplyDeps, conversation: HubConversation, suggestedReply: string | null, now: number, effects: HubEffect[], assign = true): { caseId: number; customerId: number } {
  const { store, hub } = deps;
  const link = store.conversation(hub, conversation.id);
  if (link && !assign) {
    const kase = store.caseRow(link.caseId);
    if (kase) return { caseId: kase.id, customerId: kase.customerId };
  }
  if (link) {
    const kase = store.caseRow(link.caseId);
    if (kase) {
      store.linkConversation(hub, { ...link, assigned: true, suggestedReply }, now);
      if (kase.assignedAgentId !== deps.localAgentId || kase.status === 'resolved' || kase.status === 'closed') {
        store.assignCase(link.caseId, deps.localAgentId, 'open', now);
        effects.push({ kind: 'queue' });
      }
      return { caseId: kase.id, customerId: kase.customerId };
    }
  }
  // An email conversation the desktop already holds (it announced the mail, or synced it since): the same case.
  const emailCase = conversation.emailMessageId ? localCaseOfEmail(deps, conversation.emailMessageId) : null;
  if (emailCase) {
    store.linkConversation(hub, { conversationId: conversation.id, caseId: emailCase.caseId, channel: conversation.channel, assigned: assign, suggestedReply }, now);
    if (!assign) return emailCase;
    store.assignCase(emailCase.caseId, deps.localAgentId, 'open', now);
    effects.push({ kind: 'queue' });
    return emailCase;
  }
  const customerId = customerFor(deps, conversation.contact, conversation.channel, now);
  const caseId = deps.repo.insertCase({
    customerId,
    subject: conversation.subject.trim().slice(0, 300) || `${CHANNEL_LABELS[conversation.channel]} conversation`,
    // Stored only to read (a mention): with its holder on another desktop, not in this agent's queue.
    status: assign ? 'open' : 'pending',
    priority: conversation.priority,
    issueType: conversation.issueType,
    channel: conversation.channel,
    originChannel: conversation.channel,
    assignedAgentId: assign ? deps.localAgentId : null,
    createdAt: conversation.createdAt,
    updatedAt: now,
    waitingSince: null,
    firstResponseAt: null,
    slaDueAt: null,
    resolvedAt: null,
    resolutionCode: null,
    csatScore: null,
  });
  store.linkConversation(hub, { conversationId: conversation.id, caseId, channel: conversation.channel, assigned: assign, suggestedReply }, now);
  effects.push({ kind: 'queue' });
  return { caseId, customerId };
}

function localCaseOfEmail(deps: ApplyDeps, messageId: string): { caseId: number; customerId: number } | null {
  return deps.store.caseOfEmail(normalizeMessageId(messageId));
}

function placeBundle(deps: ApplyDeps, bundle: ContextBundle, now: number, effects: HubEffect[], fromStream: boolean): { caseId: number; customerId: number } {
  const conversation = bundle.conversation;
  const placed = caseFor(deps, conversation, bundle.suggestedReply, now, effects);
  const emailHeldLocally = conversation.channel === 'email' && conversation.emailMessageId !== null && localCaseOfEmail(deps, conversation.emailMessageId) !== null;
  for (const message of [...bundle.messages].sort((a, b) => a.createdAt - b.createdAt || a.id - b.id)) {
    // The customer's email itself is on the timeline from the mailbox; the hub's copy would repeat it.
    if (emailHeldLocally && message.direction === 'in') continue;
    // A public post (comment, mention) is marked so a handoff to a private channel can carry it as context.
    applyMessage(deps, message, placed, now, effects, conversation.isPublic && message.direction === 'in');
  }
  if (fromStream && (bundle.handoffNote || bundle.escalationReason)) {
    const reason = bundle.escalationReason;
    const note = bundle.handoffNote;
    const said = reason && note ? say('noteEscalatedHandoff', { reason, note }) : reason ? say('noteEscalated', { reason }) : say('noteHandoff', { note: note ?? '' });
    // An internal note on the case (yellow, never sent), as the handing-over agent wrote it.
    effects.push({ kind: 'timeline', eventId: systemNote(deps, placed.customerId, placed.caseId, conversation.channel, said.message, now, 'note', saidMetadata(said)) });
  }
  effects.push({ kind: 'assigned', caseId: placed.caseId, customerId: placed.customerId, conversationId: conversation.id });
  return placed;
}

function applyMessage(deps: ApplyDeps, message: HubMessage, placed: { caseId: number; customerId: number } | null, now: number, effects: HubEffect[], publicPost = false): void {
  const { store, hub } = deps;
  if (store.eventOfMessage(hub, message.id) !== null) return;
  const link = store.conversation(hub, message.conversationId);
  if (!link) {
    deps.log?.(`hub: message ${message.id} belongs to conversation ${message.conversationId}, which is not on this desktop; skipped`);
    return;
  }
  const kase = store.caseRow(link.caseId);
  if (!kase) return;
  const target = placed ?? { caseId: kase.id, customerId: kase.customerId };

  // Our own note coming back: it is on the timeline already.
  if (message.direction === 'internal' && message.idempotencyKey) {
    const noteEvent = new HubTeamStore(deps.repo.db).noteEventByHubKey(message.idempotencyKey);
    if (noteEvent !== null) {
      store.mapMessage(hub, message.id, noteEvent);
      return;
    }
  }
  // Our own reply coming back: it is on the timeline already, as its outbox row's event.
  if (message.direction === 'out' && message.idempotencyKey) {
    const row = store.outboxByKey(baseKey(message.idempotencyKey));
    if (row) {
      store.mapMessage(hub, message.id, row.eventId);
      store.recordHubDelivery(hub, row.id, message.id, message.delivery, message.deliveryDetail, now);
      return;
    }
  }

  // A phone message carrying the recording is the voicemail itself (the hub names it after its call).
  const recording = link.channel === 'phone' && message.direction === 'in' ? message.attachments.find((a) => a.contentType.startsWith('audio/')) : undefined;
  const named = recording ? /(CA[0-9a-zA-Z]+)(?:-(\d+)s)?\./.exec(recording.name) : null;
  const voicemailCall = named?.[1] ?? null;
  const eventId = deps.repo.insertEvent(
    {
      caseId: target.caseId,
      customerId: target.customerId,
      channel: link.channel,
      direction: message.direction,
      kind: recording ? 'voicemail' : message.direction === 'internal' ? 'note' : 'message',
      ...(voicemailCall ? { externalId: `voicemail:${voicemailCall}` } : {}),
      authorType: message.authorType,
      authorId: null,
      authorName: message.authorName,
      subject: null,
      body: message.text,
      metadata: {
        hubMessageId: message.id,
        ...(publicPost ? { visibility: 'public' } : {}),
        ...(message.attachments.length > 0 ? { attachments: message.attachments } : {}),
        ...(message.delivery ? { hubDelivery: message.delivery } : {}),
        ...(recording ? { recordingUrl: recording.url, callSid: voicemailCall, durationSec: named?.[2] ? Number(named[2]) : null, transcription: null } : {}),
      },
      occurredAt: message.createdAt,
    },
    now,
  );
  store.mapMessage(hub, message.id, eventId);
  if (message.direction === 'in') {
    store.customerWrote(target.caseId, message.createdAt, slaDue(deps, link.channel, kase.priority, kase.firstResponseAt !== null, message.createdAt));
  } else if (message.direction === 'out' && message.authorType === 'agent') {
    store.agentReplied(target.caseId, message.createdAt);
  }
  effects.push({ kind: 'timeline', eventId }, { kind: 'queue' });
}

/** A retried send after a failed delivery carries `<key>.r<n>`; the outbox row has `<key>`. */
export function baseKey(key: string): string {
  return key.replace(/\.r\d+$/, '');
}

function applyDelivery(deps: ApplyDeps, event: Extract<HubEvent, { type: 'delivery' }>, now: number, effects: HubEffect[]): void {
  const { store, hub, outbox } = deps;
  const info = store.hubOutboxByMessage(hub, event.messageId);
  const row = info ? outbox.get(info.outboxId) : event.idempotencyKey ? store.outboxByKey(baseKey(event.idempotencyKey)) : null;
  if (!row) return;
  store.recordHubDelivery(hub, row.id, event.messageId, event.status, event.detail, now);
  if (event.status === 'failed') {
    if (row.status === 'failed') return;
    const detail = event.detail ?? 'The hub could not deliver this message to the customer.';
    // the provider's reason with its key when the hub sent one, and the keys of the reasons inside it
    // (the one a delivery gave up on): the timeline shows it in the agent's language
    outbox.markFailed(row.id, storedReasonOf(event.detail, event.detailText) ?? detail, now);
    store.countFailedDelivery(row.id);
    effects.push({ kind: 'delivery', eventId: row.eventId, caseId: row.caseId, status: 'failed', detail });
  } else if (row.status !== 'delivered' && event.status !== 'stored') {
    outbox.markDelivered(row.id, now);
    effects.push({ kind: 'delivery', eventId: row.eventId, caseId: row.caseId, status: 'delivered', detail: null });
  }
}

// ---------------------------------------------------------------- calls

/** "Incoming call from +1…: ended (answered)", with its catalog key (the call's status named by the catalog's words). */
export function callSaid(e: Extract<HubEvent, { type: 'call' }>): Said {
  const status = e.status;
  if (e.direction === 'in') return e.outcome ? say('lineCallInOutcome', { from: e.from, status, outcome: e.outcome }) : say('lineCallIn', { from: e.from, status });
  return e.outcome ? say('lineCallOutOutcome', { to: e.to, status, outcome: e.outcome }) : say('lineCallOut', { to: e.to, status });
}

export function callSummary(e: Extract<HubEvent, { type: 'call' }>): string {
  return callSaid(e).message;
}

/** One timeline row per call (external id = the call SID), updated in place as its statuses arrive. */
function applyCall(deps: ApplyDeps, e: Extract<HubEvent, { type: 'call' }>, now: number, effects: HubEffect[]): void {
  const { store, hub } = deps;
  const link = store.conversation(hub, e.conversationId);
  const kase = link ? store.caseRow(link.caseId) : null;
  if (!link || !kase) {
    deps.log?.(`hub: call ${e.callSid} belongs to conversation ${e.conversationId}, which is not on this desktop; skipped`);
    return;
  }
  const metadata = {
    callSid: e.callSid,
    status: e.status,
    durationSec: e.durationSec,
    recordingUrl: e.recordingUrl,
    outcome: e.outcome,
    answeredBy: e.answeredByAgentId,
    hubConversationId: e.conversationId,
  };
  const existing = store.eventByExternalId('phone', e.callSid);
  if (existing) {
    store.updateEventContent(existing.id, callSummary(e), { ...existing.metadata, ...metadata, ...saidMetadata(callSaid(e)) });
    effects.push({ kind: 'timeline', eventId: existing.id });
    return;
  }
  const eventId = deps.repo.insertEvent(
    {
      caseId: link.caseId,
      customerId: kase.customerId,
      channel: 'phone',
      direction: e.direction,
      kind: 'call',
      authorType: e.direction === 'in' ? 'customer' : 'agent',
      authorId: null,
      authorName: e.direction === 'in' ? e.from : serverAuthorName('authorYou'),
      subject: null,
      body: callSummary(e),
      metadata: { ...metadata, ...saidMetadata(callSaid(e)), ...(e.direction === 'in' ? {} : authorMetadata('authorYou')) },
      externalId: e.callSid,
      occurredAt: e.at,
    },
    now,
  );
  effects.push({ kind: 'timeline', eventId });
}

/** The voicemail row (from its message, or made here) gets its recording and transcription. */
function applyVoicemail(deps: ApplyDeps, e: Extract<HubEvent, { type: 'voicemail' }>, now: number, effects: HubEffect[]): void {
  const { store, hub } = deps;
  const link = store.conversation(hub, e.conversationId);
  const kase = link ? store.caseRow(link.caseId) : null;
  if (!link || !kase) return;
  const said = e.transcription ? say('lineVoicemailText', { from: e.from, text: e.transcription }) : say('lineVoicemail', { from: e.from });
  const body = said.message;
  const existing = store.eventByExternalId('phone', `voicemail:${e.callSid}`);
  if (existing) {
    const metadata = {
      ...existing.metadata,
      callSid: e.callSid,
      recordingUrl: e.recordingUrl ?? existing.metadata['recordingUrl'] ?? null,
      durationSec: e.durationSec ?? existing.metadata['durationSec'] ?? null,
      transcription: e.transcription ?? existing.metadata['transcription'] ?? null,
      ...saidMetadata(said),
    };
    store.updateEventContent(existing.id, body, metadata);
    effects.push({ kind: 'timeline', eventId: existing.id });
    return;
  }
  const eventId = deps.repo.insertEvent(
    {
      caseId: link.caseId,
      customerId: kase.customerId,
      channel: 'phone',
      direction: 'in',
      kind: 'voicemail',
      authorType: 'customer',
      authorId: null,
      authorName: e.from,
      subject: null,
      body,
      metadata: { callSid: e.callSid, recordingUrl: e.recordingUrl, durationSec: e.durationSec, transcription: e.transcription, hubConversationId: e.conversationId, ...saidMetadata(said) },
      externalId: `voicemail:${e.callSid}`,
      occurredAt: e.at,
    },
    now,
  );
  effects.push({ kind: 'timeline', eventId });
}

function systemNote(
  deps: ApplyDeps,
  customerId: number,
  caseId: number,
  channel: Channel,
  body: string,
  now: number,
  kind: 'system' | 'note' = 'system',
  metadata?: Record<string, unknown>,
): number {
  return deps.repo.insertEvent(
    { caseId, customerId, channel, direction: 'internal', kind, authorType: 'system', authorId: null, authorName: serverAuthorName('authorHub'), subject: null, body, occurredAt: now, metadata: { ...metadata, ...authorMetadata('authorHub') } },
    now,
  );
}
