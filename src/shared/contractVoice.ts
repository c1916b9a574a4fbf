// The softphone's part of the renderer<->main contract: the Twilio access token and the softphone's
// settings, the CTI screen pop (who is calling, with their latest cross-channel context), call
// control through the hub, the agent's call notes, and merging a provisional caller into a known
// customer. Merged into contract.ts's `requests` with a spread. Pure: no I/O, no clock.
import { z } from 'zod';
import { Channel, CustomerProfile, Id, Millis, TimelineEvent } from './domain';

/** A Twilio Call SID (CA…), or the SDK's temporary id of an outgoing call before Twilio names it (TJS…). */
export const VoiceCallSid = z.string().regex(/^(CA|TJS)[0-9a-zA-Z-]{1,64}$/, { message: 'is not a Twilio Call SID' });

export const VoiceSetup = z.object({
  /** False when this desktop has no hub to mint tokens (the sentence says why). */
  available: z.boolean(),
  reason: z.string().nullable(),
  /** The signaling host the SDK connects to (wss://HOST/signal); null: Twilio's own. */
  signalingHost: z.string().nullable(),
  /** ws:// instead of wss:// (a local stand-in on loopback only). */
  insecureSignaling: z.boolean(),
  /** How long the agent stays in wrap-up after a call before offers come again. */
  wrapUpSeconds: z.number().int().min(0).max(3600),
  /** The registration watchdog's timing (ms): how often it looks, when "registering" is stuck, when a registration is stale. */
  watchdog: z.object({ checkEveryMs: z.number().int().positive(), stuckAfterMs: z.number().int().positive(), staleAfterMs: z.number().int().positive() }),
  /** How numbers without a country code are read (ISO region). */
  defaultRegion: z.string().length(2),
});
export type VoiceSetup = z.infer<typeof VoiceSetup>;

export const LastContact = z.object({
  eventId: Id,
  caseId: Id.nullable(),
  channel: Channel,
  subject: z.string().nullable(),
  /** The first words of the message, masked like the timeline. */
  preview: z.string(),
  at: Millis,
});
export type LastContact = z.infer<typeof LastContact>;

export const ScreenPop = z.object({
  callSid: z.string(),
  /** The caller's number in E.164 and as people write it; null when the caller id is withheld or unreadable. */
  caller: z.object({ e164: z.string(), display: z.string() }).nullable(),
  /** How the customer was found: the hub conversation of the call, the caller's number, or a new provisional profile. */
  matchedBy: z.enum(['conversation', 'phone', 'provisional']),
  /** An unknown caller's profile made for this call; it can be merged into the right customer later. */
  provisional: z.boolean(),
  customer: CustomerProfile,
  /** The newest open case (where the call notes go). */
  openCase: CustomerProfile.shape.openCases.element.nullable(),
  /** The customer's last message on each non-phone channel, newest first. */
  lastContacts: z.array(LastContact),
  /** A brief of the last email (subject and first lines) for the call notes. */
  callNotes: z.string(),
  /** This agent's live chat-like conversation with the same customer, if any. */
  activeChat: z.object({ caseId: Id, channel: Channel }).nullable(),
});
export type ScreenPop = z.infer<typeof ScreenPop>;

const CallerNumber = z.string().trim().min(1).max(64);

export const voiceRequests = {
  /** What the softphone needs before it starts: signaling host, wrap-up time, watchdog timing. */
  voiceSetup: {
    input: z.object({}).strict(),
    output: VoiceSetup,
  },
  /** A Twilio access token for the Device, minted by the hub (identity agent-<hub agent id>). */
  voiceToken: {
    input: z.object({}).strict(),
    output: z.object({ token: z.string().min(1), identity: z.string().min(1), expiresAt: Millis }),
  },
  /** The CTI lookup of an incoming call, from the SDK's call parameters, before it is answered. */
  screenPop: {
    input: z
      .object({
        callSid: z.string().min(1).max(80),
        /** The caller's number as Twilio sent it (From, or the `caller` parameter). */
        caller: CallerNumber.nullable(),
        /** The hub's conversation id of the call (`conversationId` parameter), when the hub sent one. */
        conversationId: z.coerce.number().int().positive().nullable().default(null),
      })
      .strict(),
    output: ScreenPop,
  },
  /** Hold, resume or hang up a live call through the hub (Twilio's REST API). */
  callControl: {
    input: z.object({ callSid: VoiceCallSid, action: z.enum(['hold', 'unhold', 'hangup']) }).strict(),
    output: z.object({ callSid: z.string(), action: z.enum(['hold', 'unhold', 'hangup']) }),
  },
  /**
   * Hands a live call on through the hub (Twilio's REST API): cold (the caller goes straight to the
   * target) or warm (caller, this agent and the target in one conference). A number is read in the
   * softphone's default region and refused with a sentence when it is not one.
   */
  transferCall: {
    input: z
      .object({
        callSid: VoiceCallSid,
        to: z.union([z.object({ agentId: Id }).strict(), z.object({ queue: z.literal('phone') }).strict(), z.object({ number: z.string().trim().min(3).max(40) }).strict()]),
        mode: z.enum(['cold', 'warm']),
      })
      .strict(),
    output: z.object({ callSid: z.string(), mode: z.enum(['cold', 'warm']), conference: z.string().nullable() }),
  },
  /** The agent's notes on a call: an internal note on the customer's timeline. */
  saveCallNotes: {
    input: z
      .object({
        callSid: z.string().min(1).max(80),
        customerId: Id,
        caseId: Id.nullable(),
        body: z.string().trim().min(1, 'The notes are empty.').max(10_000, 'At most 10,000 characters.'),
      })
      .strict(),
    output: TimelineEvent,
  },
  /** A provisional caller profile is the known customer after all: its number, cases and events move there. */
  mergeCaller: {
    input: z.object({ provisionalId: Id, intoCustomerId: Id }).strict(),
    output: z.object({ customerId: Id, moved: z.object({ identities: z.number().int(), cases: z.number().int(), events: z.number().int() }) }),
  },
} satisfies Record<string, { input: z.ZodType; output: z.ZodType }>;
