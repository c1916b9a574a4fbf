// The voice module's configuration section. The Twilio account (accountSid, authToken, apiBaseUrl)
// is the one in channels.twilio; this section adds what a softphone and the call flows need.
// Without apiKeySid/apiKeySecret/twimlAppSid no access token can be minted: /voice answers 503
// with a sentence naming what to set.
import { z } from 'zod';
import { IssueType } from '../../shared/domain';
import { CalendarDefinition } from '../../shared/time';

export const VoiceCredentials = z.object({
  /** An API key (SK…) and its secret, which sign the softphone's access tokens. */
  apiKeySid: z.string().default(''),
  apiKeySecret: z.string().default(''),
  /** The TwiML App (AP…) whose Voice URL is this hub's /voice/outbound. */
  twimlAppSid: z.string().default(''),
  /** The number outbound calls show (E.164); empty = channels.twilio.fromNumber. */
  callerId: z.string().default(''),
  /** How long an access token lives; the softphone refreshes it on tokenWillExpire. */
  tokenTtlSeconds: z.number().int().min(60).max(86_400).default(3_600),
});
export type VoiceCredentials = z.infer<typeof VoiceCredentials>;

const E164 = z.string().regex(/^\+[1-9][0-9]{1,14}$/, { message: 'must be an E.164 number such as +15551234567' });

/** One choice of the IVR menu: a key, the words that mean the same, what it does and how it is announced. */
export const IvrOption = z
  .object({
    key: z.string().regex(/^[0-9*#]$/, { message: 'must be one key: 0-9, * or #' }),
    /** Words a caller may say instead of pressing the key (matched case-insensitively, whole words). */
    words: z.array(z.string().trim().min(1).max(40)).max(20).default([]),
    /** route: queue with this issue type; agent: straight to the queue; note: leave a note on the caller's open case. */
    action: z.enum(['route', 'agent', 'note']),
    issueType: IssueType.optional(),
    /** A BCP 47 tag the call is routed by (an option "for Spanish, press 5"). */
    language: z.string().min(2).max(35).optional(),
    /** What the menu says for it. */
    prompt: z.string().min(1).max(300),
  })
  .refine((o) => o.action !== 'route' || o.issueType !== undefined, { message: 'a route option needs an issueType', path: ['issueType'] });
export type IvrOption = z.infer<typeof IvrOption>;

const DEFAULT_OPTIONS: z.input<typeof IvrOption>[] = [
  { key: '1', words: ['billing', 'bill', 'invoice', 'payment'], action: 'route', issueType: 'billing', prompt: 'For billing, press 1 or say billing.' },
  { key: '2', words: ['technical', 'support', 'problem', 'broken'], action: 'route', issueType: 'technical', prompt: 'For technical support, press 2 or say technical.' },
  { key: '3', words: ['other', 'something else'], action: 'route', issueType: 'other', prompt: 'For anything else, press 3.' },
  { key: '9', words: ['note', 'message'], action: 'note', prompt: 'To leave a note on your open case, press 9 or say note.' },
  { key: '0', words: ['agent', 'operator', 'representative', 'person'], action: 'agent', prompt: 'To speak to an agent, press 0.' },
];

export const IvrConfig = z.object({
  /** Off: every call goes straight to routing. */
  enabled: z.boolean().default(true),
  greeting: z.string().min(1).max(500).default('Thank you for calling.'),
  /** Said to a caller with an open case; {subject} and {status} are filled in. */
  statusPrompt: z.string().min(1).max(500).default('Your case about {subject} is {status}.'),
  options: z
    .array(IvrOption)
    .min(1)
    .max(12)
    .default(DEFAULT_OPTIONS as z.infer<typeof IvrOption>[])
    .refine((list) => new Set(list.map((o) => o.key)).size === list.length, { message: 'each key may be used by one option only' }),
  /** How long the menu waits for a key or words before routing the call as it is. */
  timeoutSeconds: z.number().int().min(1).max(30).default(5),
  /** The language Twilio's speech recognition and <Say> use. */
  language: z.string().min(2).max(35).default('en-US'),
  notePrompt: z.string().min(1).max(300).default('Please say your note after the tone, then hang up or wait.'),
  noteThanks: z.string().min(1).max(300).default('Thank you, your note was added to your case.'),
});
export type IvrConfig = z.infer<typeof IvrConfig>;

export const VoiceQueueConfig = z.object({
  /** The Twilio queue (<Enqueue>) waiting callers are in. */
  name: z.string().min(1).max(64).default('support'),
  /** Played to waiting callers, looped; Twilio's public hold music by default. */
  holdMusicUrl: z.url().default('https://com.twilio.music.classical.s3.amazonaws.com/BusyStrings.mp3'),
  /** {position} is filled in from Twilio's QueuePosition. */
  positionPrompt: z.string().min(1).max(300).default('You are number {position} in line. Thank you for waiting.'),
  /** After this long in the queue the caller is offered voicemail. */
  maxWaitSeconds: z.number().int().min(30).max(3_600).default(600),
});

export const VoicemailConfig = z.object({
  greeting: z.string().min(1).max(500).default('Sorry, nobody can take your call right now. Please leave a message after the tone.'),
  afterHoursGreeting: z
    .string()
    .min(1)
    .max(500)
    .default('Our office is closed right now. Please leave a message after the tone and we will call you back.'),
  maxLengthSeconds: z.number().int().min(5).max(600).default(120),
  /** Where each voicemail's transcription is e-mailed ('' = nobody). */
  supportAddress: z.string().max(320).default(''),
  fromAddress: z.string().min(3).max(320).default('voicemail@localhost'),
});

export const VoiceSmtpConfig = z.object({
  /** '' = voicemail e-mails are not sent (the ticket is still created). */
  host: z.string().default(''),
  port: z.number().int().min(1).max(65_535).default(587),
  tls: z.enum(['tls', 'starttls', 'none']).default('starttls'),
  user: z.string().default(''),
  password: z.string().default(''),
});

export const VoiceConfig = z.object({
  credentials: VoiceCredentials.prefault({}),
  ivr: IvrConfig.prefault({}),
  /** The phone line's business hours; null = the hub's default calendar for phone. After hours goes to voicemail. */
  hours: CalendarDefinition.nullable().default(null),
  queue: VoiceQueueConfig.prefault({}),
  /** Record answered calls (both sides, from the answer); the recording shows on the call's timeline row. */
  recordCalls: z.boolean().default(false),
  /** How long an agent's softphone rings before the call goes to voicemail. */
  ringSeconds: z.number().int().min(5).max(120).default(20),
  voicemail: VoicemailConfig.prefault({}),
  smtp: VoiceSmtpConfig.prefault({}),
  /** Callers routed to senior agents only. */
  vipNumbers: z.array(E164).default([]),
});
export type VoiceConfig = z.infer<typeof VoiceConfig>;
export type VoiceConfigInput = z.input<typeof VoiceConfig>;

/** The settings a minted token needs that are still empty, by their config path. */
export function missingVoiceSettings(voice: VoiceConfig, twilio: { accountSid: string }): string[] {
  const missing: string[] = [];
  if (!twilio.accountSid) missing.push('channels.twilio.accountSid');
  if (!voice.credentials.apiKeySid) missing.push('voice.credentials.apiKeySid');
  if (!voice.credentials.apiKeySecret) missing.push('voice.credentials.apiKeySecret');
  if (!voice.credentials.twimlAppSid) missing.push('voice.credentials.twimlAppSid');
  return missing;
}
