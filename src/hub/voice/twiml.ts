// The TwiML documents the call flow answers Twilio with, built with the official package's
// VoiceResponse (never by string concatenation). Each builder takes what the flow decided and the
// hub's public URL; none of them reads the database or the clock.
import twilio from 'twilio';
import type VoiceResponse from 'twilio/lib/twiml/VoiceResponse';
import type { IvrOption, VoiceConfig } from './config';
import { speechHints } from './ivr';

export const VOICE_PATHS = {
  incoming: '/voice/incoming',
  menu: '/voice/menu',
  note: '/voice/note',
  wait: '/voice/wait',
  queued: '/voice/queued',
  dialed: '/voice/dialed',
  recorded: '/voice/recorded',
  recording: '/voice/recording',
  transcription: '/voice/transcription',
  status: '/voice/status',
  outbound: '/voice/outbound',
} as const;

/** The Twilio Client identity of a hub agent (agreed with the softphone). */
export const agentIdentity = (agentId: number) => `agent-${agentId}`;

/** The hub agent id of `client:agent-7` / `agent-7`, or null. */
export function agentOfIdentity(value: string | undefined): number | null {
  const m = /^(?:client:)?agent-([1-9][0-9]{0,12})$/.exec(value?.trim() ?? '');
  return m ? Number(m[1]) : null;
}

type Language = VoiceResponse.SayAttributes['language'];
type GatherLanguage = VoiceResponse.GatherAttributes['language'];

export interface Urls {
  /** The hub's public URL, no trailing slash. */
  base: string;
}

/** A webhook URL on the hub: its public base, the path, the query. */
export const url = (u: Urls, path: string, query: Record<string, string | number> = {}) => {
  const q = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)])).toString();
  return `${u.base}${path}${q ? `?${q}` : ''}`;
};

const CALL_EVENTS: NonNullable<VoiceResponse.ClientAttributes['statusCallbackEvent']> = ['initiated', 'ringing', 'answered', 'completed'];

/** The menu: greeting, the case status for a known caller, the options; no answer routes the call as it is. */
export function menuTwiml(voice: VoiceConfig, u: Urls, options: readonly IvrOption[], status: string | null): string {
  const r = new twilio.twiml.VoiceResponse();
  const lang = voice.ivr.language as Language;
  const gather = r.gather({
    input: ['dtmf', 'speech'],
    numDigits: 1,
    timeout: voice.ivr.timeoutSeconds,
    speechTimeout: 'auto',
    action: url(u, VOICE_PATHS.menu),
    method: 'POST',
    language: voice.ivr.language as GatherLanguage,
    hints: speechHints(options),
  });
  gather.say({ language: lang }, voice.ivr.greeting);
  if (status) gather.say({ language: lang }, status);
  for (const o of options) gather.say({ language: lang }, o.prompt);
  // Nothing pressed or said: to the queue as an ordinary call.
  r.redirect({ method: 'POST' }, url(u, VOICE_PATHS.menu, { choice: 'none' }));
  return r.toString();
}

/** Rings one agent's softphone with the agreed parameters; not answered → the Dial's action (voicemail). */
export function dialAgentTwiml(
  voice: VoiceConfig,
  u: Urls,
  agentId: number,
  params: { caller: string; customerId: string | null; conversationId: number | null; issueType: string | null },
  say?: string,
): string {
  const r = new twilio.twiml.VoiceResponse();
  if (say) r.say({ language: voice.ivr.language as Language }, say);
  const dial = r.dial({
    timeout: voice.ringSeconds,
    action: url(u, VOICE_PATHS.dialed, { agent: agentId }),
    method: 'POST',
    answerOnBridge: true,
    ...(voice.recordCalls
      ? { record: 'record-from-answer-dual' as const, recordingStatusCallback: url(u, VOICE_PATHS.recording, { kind: 'call' }), recordingStatusCallbackMethod: 'POST' as const }
      : {}),
  });
  const client = dial.client({ statusCallback: url(u, VOICE_PATHS.status), statusCallbackEvent: CALL_EVENTS, statusCallbackMethod: 'POST' });
  client.identity(agentIdentity(agentId));
  client.parameter({ name: 'caller', value: params.caller });
  if (params.customerId !== null) client.parameter({ name: 'customerId', value: params.customerId });
  if (params.conversationId !== null) client.parameter({ name: 'conversationId', value: String(params.conversationId) });
  if (params.issueType !== null) client.parameter({ name: 'issueType', value: params.issueType });
  return r.toString();
}

/** Nobody free: into the queue, where /voice/wait plays hold music and the position. */
export function enqueueTwiml(voice: VoiceConfig, u: Urls): string {
  const r = new twilio.twiml.VoiceResponse();
  r.enqueue({ waitUrl: url(u, VOICE_PATHS.wait), waitUrlMethod: 'POST', action: url(u, VOICE_PATHS.queued), method: 'POST' }, voice.queue.name);
  return r.toString();
}

/** What a waiting caller hears on each turn of the wait loop. */
export function waitTwiml(voice: VoiceConfig, position: number | null): string {
  const r = new twilio.twiml.VoiceResponse();
  if (position !== null && position > 0) r.say({ language: voice.ivr.language as Language }, voice.queue.positionPrompt.replaceAll('{position}', String(position)));
  r.play({ loop: 1 }, voice.queue.holdMusicUrl);
  return r.toString();
}

/** Out of the queue: someone took the call (or the wait was too long). */
export function leaveTwiml(): string {
  const r = new twilio.twiml.VoiceResponse();
  r.leave();
  return r.toString();
}

/** A voicemail: the greeting, a recording with transcription, the recording callback. */
export function voicemailTwiml(voice: VoiceConfig, u: Urls, afterHours: boolean): string {
  const r = new twilio.twiml.VoiceResponse();
  r.say({ language: voice.ivr.language as Language }, afterHours ? voice.voicemail.afterHoursGreeting : voice.voicemail.greeting);
  r.record({
    action: url(u, VOICE_PATHS.recorded),
    method: 'POST',
    maxLength: voice.voicemail.maxLengthSeconds,
    playBeep: true,
    transcribe: true,
    transcribeCallback: url(u, VOICE_PATHS.transcription),
    recordingStatusCallback: url(u, VOICE_PATHS.recording),
    recordingStatusCallbackMethod: 'POST',
    recordingStatusCallbackEvent: ['completed'],
  });
  r.hangup();
  return r.toString();
}

/** A caller leaving a note on their open case: speech first, a recording when nothing was said. */
export function noteTwiml(voice: VoiceConfig, u: Urls, conversationId: number): string {
  const r = new twilio.twiml.VoiceResponse();
  const lang = voice.ivr.language as Language;
  const gather = r.gather({
    input: ['speech'],
    speechTimeout: 'auto',
    timeout: voice.ivr.timeoutSeconds,
    action: url(u, VOICE_PATHS.note, { conversation: conversationId }),
    method: 'POST',
    language: voice.ivr.language as GatherLanguage,
  });
  gather.say({ language: lang }, voice.ivr.notePrompt);
  r.record({
    action: url(u, VOICE_PATHS.note, { conversation: conversationId }),
    method: 'POST',
    maxLength: voice.voicemail.maxLengthSeconds,
    transcribe: true,
    transcribeCallback: url(u, VOICE_PATHS.note, { conversation: conversationId, part: 'transcription' }),
  });
  return r.toString();
}

export function sayThenHangup(voice: VoiceConfig, text: string): string {
  const r = new twilio.twiml.VoiceResponse();
  r.say({ language: voice.ivr.language as Language }, text);
  r.hangup();
  return r.toString();
}

/** An empty response: Twilio carries on (status callbacks, a hung-up caller). */
export function emptyTwiml(): string {
  return new twilio.twiml.VoiceResponse().toString();
}

/** An agent's outbound call: a number with the configured caller id, or another agent's softphone. */
export function outboundTwiml(u: Urls, callerId: string, target: { number: string } | { agentId: number }): string {
  const r = new twilio.twiml.VoiceResponse();
  const dial = r.dial({ callerId, answerOnBridge: true });
  const events = { statusCallback: url(u, VOICE_PATHS.status), statusCallbackMethod: 'POST' as const };
  if ('number' in target) dial.number({ ...events, statusCallbackEvent: CALL_EVENTS as NonNullable<VoiceResponse.NumberAttributes['statusCallbackEvent']> }, target.number);
  else dial.client({ ...events, statusCallbackEvent: CALL_EVENTS }).identity(agentIdentity(target.agentId));
  return r.toString();
}

/** Puts a call into a conference (hold music until someone joins; a warm transfer's room). */
export function conferenceTwiml(name: string, o: { waitUrl: string; startOnEnter: boolean; endOnExit: boolean }): string {
  const r = new twilio.twiml.VoiceResponse();
  r.dial().conference({ startConferenceOnEnter: o.startOnEnter, endConferenceOnExit: o.endOnExit, waitUrl: o.waitUrl, waitMethod: 'GET' }, name);
  return r.toString();
}

/** A cold transfer to a phone number. */
export function dialNumberTwiml(callerId: string, number: string): string {
  const r = new twilio.twiml.VoiceResponse();
  r.dial({ callerId }).number(number);
  return r.toString();
}
