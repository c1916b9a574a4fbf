// The softphone's main-side service: the access token through the hub, the CTI screen pop (one
// query path: the hub conversation of the call, else the caller's E.164 number, else a new
// provisional profile; then the profile, the last message per channel and this agent's live chat),
// call control through the hub, call notes on the timeline (pre-filled with the handoff rules' call
// brief), and merging a provisional caller.
import type { z } from 'zod';
import type { voiceRequests, ScreenPop, VoiceSetup } from '../../shared/contractVoice';
import type { EventName, EventPayload } from '../../shared/contract';
import type { Agent } from '../../shared/domain';
import { AppError } from '../../shared/errors';
import { maskText } from '../../shared/privacy/masking';
import { detectorsFor } from '../../shared/privacy/settings';
import type { CallContext } from '../../shared/rpc';
import { toE164 } from '../../shared/voice/e164';
import { newestFirst, previewOf } from '../../shared/voice/screenPop';
import { HubRequestError } from '../hub/hubClient';
import type { HubService } from '../hub/hubService';
import type { Masker } from '../privacy/masker';
import type { Db } from '../store/database';
import { firstContactCustomer, type Repository } from '../store/repository';
import type { DesktopVoiceSettings } from './voiceSettings';
import { VoiceStore } from './voiceStore';
import { say } from '../../shared/serverErrors';

type VoiceRequests = typeof voiceRequests;
export type VoiceHandlers = {
  [K in keyof VoiceRequests]: (input: z.output<VoiceRequests[K]['input']>, ctx: CallContext) => Promise<z.output<VoiceRequests[K]['output']>> | z.output<VoiceRequests[K]['output']>;
};

export interface VoiceServiceOptions {
  db: Db;
  repo: Repository;
  hub: HubService;
  settings: DesktopVoiceSettings;
  masker: Masker;
  agent: Agent;
  emit: <K extends EventName>(name: K, payload: EventPayload<K>) => void;
  now: () => number;
  /**
   * The call notes' brief from the customer's emails under the channel configuration's email → phone
   * rule ('' when the rule is gone or there is no email); absent: no brief.
   */
  callBrief?: (customerId: number, customerName: string) => string;
}

function voiceError(err: unknown, fallback: 'voiceTokenFailed' | 'callChangeFailed' | 'callTransferFailed'): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof HubRequestError) {
    if (err.code === 'hub/offline' || err.code === 'hub/disconnected') return new AppError('hub/offline', err);
    if (err.code === 'hub/timeout') return new AppError('hub/timeout', err);
    if (err.code.startsWith('voice/')) return new AppError('voice/unavailable', err);
    return new AppError('hub/refused', err);
  }
  return new AppError('voice/unavailable', say(fallback, { reason: (err as Error).message }));
}

export function createVoiceService(o: VoiceServiceOptions): { handlers: VoiceHandlers; store: VoiceStore } {
  const store = new VoiceStore(o.db);

  const client = () => {
    const c = o.hub.client;
    if (!c) throw new AppError('hub/offline', say('voiceNeedsHub'));
    return c;
  };

  const setup = (): VoiceSetup => {
    const hubless = o.hub.connection === null;
    return {
      available: !hubless,
      reason: hubless ? 'No hub is in use, so no Twilio token can be had: calls need a hub (Settings → Team hub).' : null,
      signalingHost: o.settings.signalingHost,
      insecureSignaling: o.settings.insecureSignaling,
      wrapUpSeconds: o.settings.wrapUpSeconds,
      watchdog: o.settings.watchdog,
      defaultRegion: o.settings.defaultRegion,
    };
  };

  const mask = (text: string, channel: Parameters<typeof detectorsFor>[1]) => maskText(text, detectorsFor(o.masker.settings(), channel)).text;

  /** Finds (or makes) the caller's customer and reads their context: the one query path of the screen pop. */
  const screenPop = (input: { callSid: string; caller: string | null; conversationId: number | null }): ScreenPop => {
    const number = input.caller ? toE164(input.caller.replace(/^client:/, ''), o.settings.defaultRegion) : null;
    const caller = number?.ok ? { e164: number.e164, display: number.display } : null;
    const hubKey = o.hub.client?.hubKey ?? null;
    return o.repo.transaction(() => {
      let matchedBy: ScreenPop['matchedBy'] = 'conversation';
      let customerId = input.conversationId !== null && hubKey ? store.customerOfHubConversation(hubKey, input.conversationId) : null;
      if (customerId === null && caller) {
        matchedBy = 'phone';
        customerId = store.customerByPhone(caller.e164);
      }
      if (customerId === null) {
        matchedBy = 'provisional';
        const at = o.now();
        customerId = o.repo.insertCustomer(
          firstContactCustomer({
            name: caller ? `Caller ${caller.display}` : 'Unknown caller',
            preferredChannel: 'phone',
            createdAt: at,
            identities: caller ? [{ kind: 'phone', platform: '', value: caller.e164, display: caller.display, verified: false, source: 'call', firstSeenAt: at, lastSeenAt: at }] : [],
          }),
        );
        store.addProvisional(customerId, caller?.e164 ?? '', input.callSid, at);
      }
      const customer = o.repo.customerProfile(customerId, o.now());
      const rows = newestFirst(store.lastMessages(customerId));
      const brief = o.callBrief?.(customerId, customer.name) ?? '';
      return {
        callSid: input.callSid,
        caller,
        matchedBy,
        provisional: store.isProvisional(customerId),
        customer,
        openCase: customer.openCases[0] ?? null,
        lastContacts: rows.map((r) => ({
          eventId: r.eventId,
          caseId: r.caseId,
          channel: r.channel,
          subject: r.subject === null ? null : mask(r.subject, r.channel),
          preview: mask(previewOf(r.body), r.channel),
          at: r.at,
        })),
        callNotes: brief ? mask(brief, 'email') : '',
        activeChat: store.activeChat(customerId),
      };
    });
  };

  const handlers: VoiceHandlers = {
    voiceSetup: setup,
    voiceToken: async () => {
      try {
        return await client().request({ type: 'voiceToken' });
      } catch (err) {
        throw voiceError(err, 'voiceTokenFailed');
      }
    },
    screenPop: (input) => screenPop(input),
    callControl: async ({ callSid, action }) => {
      const c = client();
      try {
        const result = await c.request({ type: 'callControl', callSid, action });
        return { callSid: result.callSid, action: result.action };
      } catch (err) {
        throw voiceError(err, 'callChangeFailed');
      }
    },
    transferCall: async ({ callSid, to, mode }) => {
      let target: { agentId: number } | { queue: 'phone' } | { number: string };
      if ('number' in to) {
        const parsed = toE164(to.number, o.settings.defaultRegion);
        if (!parsed.ok) throw new AppError('invalid-identifier', say('voiceTransferNumber', { number: to.number }));
        target = { number: parsed.e164 };
      } else target = to;
      const c = client();
      try {
        const result = await c.request({ type: 'transferCall', callSid, to: target, mode });
        return { callSid: result.callSid, mode: result.mode, conference: result.conference };
      } catch (err) {
        throw voiceError(err, 'callTransferFailed');
      }
    },
    saveCallNotes: ({ callSid, customerId, caseId, body }) => {
      const at = o.now();
      const eventId = o.repo.insertEvent({
        caseId,
        customerId,
        channel: 'phone',
        direction: 'internal',
        kind: 'note',
        authorType: 'agent',
        authorId: o.agent.id,
        authorName: o.agent.name,
        subject: 'Call notes',
        body,
        metadata: { callSid },
        occurredAt: at,
      });
      const event = o.masker.event(o.repo.eventById(eventId));
      o.emit('timelineAppended', { event });
      return event;
    },
    mergeCaller: ({ provisionalId, intoCustomerId }) => {
      if (provisionalId === intoCustomerId) throw new AppError('invalid-identifier', say('voiceMergeSelf'));
      return o.repo.transaction(() => {
        if (!store.isProvisional(provisionalId)) throw new AppError('not-found', say('voiceNotProvisional', { customerId: provisionalId }));
        if (store.customerState(intoCustomerId) !== 'live') throw new AppError('not-found', say('voiceMergeTargetGone', { customerId: intoCustomerId }));
        const moved = store.merge(provisionalId, intoCustomerId);
        return { customerId: intoCustomerId, moved };
      });
    },
  };
  return { handlers, store };
}
