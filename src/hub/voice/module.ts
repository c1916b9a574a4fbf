// The voice module: Twilio's webhooks for calls (TwiML for incoming and outbound calls, the IVR,
// the queue's wait loop, voicemail, status/recording/transcription callbacks), every one checked
// with X-Twilio-Signature before anything is read or written (forged → 403), and the agents'
// call-control requests. Uses the Twilio account of channels.twilio; off (503 naming what to set)
// without its accountSid and authToken.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { ChannelHttpError, sendError, sendJson, sendText } from '../channels/http';
import { fields, verifiedParams } from '../channels/twilio';
import type { HubContext, HubModule, HubModuleFactory } from '../services';
import { CallControl, VoiceError } from './callControl';
import { CallFlow } from './callFlow';
import { agentOfIdentity, emptyTwiml, outboundTwiml, sayThenHangup, VOICE_PATHS } from './twiml';
import { createVoicemailMailer } from './voicemailMail';
import { VoiceStore } from './voiceStore';

const XML = 'text/xml; charset=utf-8';
const Sid = (prefix: string) => z.string().regex(new RegExp(`^${prefix}[0-9a-zA-Z]{1,62}$`));
const opt = z.string().max(10_000).optional();

const CallParams = z.object({ CallSid: Sid('CA'), From: z.string().min(1).max(128), To: z.string().max(128).default('') });
const MenuParams = CallParams.extend({ Digits: z.string().max(32).optional(), SpeechResult: z.string().max(2_000).optional() });
const WaitParams = z.object({ CallSid: Sid('CA'), QueuePosition: opt, QueueTime: opt });
const QueuedParams = z.object({ CallSid: Sid('CA'), QueueResult: opt });
const DialedParams = z.object({ CallSid: Sid('CA'), DialCallStatus: opt, DialCallDuration: opt });
const RecordingParams = z.object({ CallSid: Sid('CA'), RecordingSid: Sid('RE'), RecordingUrl: z.url(), RecordingStatus: opt, RecordingDuration: opt });
const TranscriptionParams = z.object({ CallSid: Sid('CA'), TranscriptionStatus: opt, TranscriptionText: opt, RecordingUrl: opt });
const NoteParams = CallParams.extend({ SpeechResult: opt, RecordingUrl: opt, TranscriptionText: opt });
const StatusParams = z.object({
  CallSid: Sid('CA'),
  CallStatus: z.string().min(1).max(32),
  CallDuration: opt,
  From: opt,
  To: opt,
  ParentCallSid: opt,
});

type Handler = (params: Record<string, unknown>, url: URL) => string;

export interface VoiceModule extends HubModule {
  store: VoiceStore;
  flow: CallFlow | null;
}

export function createVoice(ctx: HubContext): VoiceModule {
  const voice = ctx.config.voice;
  const account = ctx.config.channels.twilio;
  const store = new VoiceStore(ctx.db);
  const missing = [!account.accountSid && 'channels.twilio.accountSid', !account.authToken && 'channels.twilio.authToken'].filter((m): m is string => !!m);
  if (missing.length > 0) {
    const sentence = `Voice (Twilio) is not set up on this hub; set ${missing.join(', ')}.`;
    ctx.log.info(`voice: ${sentence}`);
    const paths = new Set<string>(Object.values(VOICE_PATHS));
    return {
      name: 'voice',
      store,
      flow: null,
      handleHttp(_req, res, url) {
        if (!paths.has(url.pathname)) return false;
        sendJson(res, 503, { code: 'voice/not-configured', message: sentence });
        return true;
      },
      agentRequest(_agent, req) {
        if (req.type !== 'callControl' && req.type !== 'transferCall') return null;
        return Promise.reject(new VoiceError('voice/not-configured', sentence));
      },
    };
  }

  const flow = new CallFlow(ctx, voice, store, account.defaultRegion);
  const control = new CallControl(ctx, voice, account, store, flow);
  const mailer = createVoicemailMailer(voice, ctx.log);
  if (mailer) flow.onTranscription = (v) => void mailer.send(v);
  const callerId = voice.credentials.callerId || account.fromNumber;

  const routes: Record<string, Handler> = {
    [VOICE_PATHS.incoming]: (p) => flow.incoming(fields(CallParams, p, 'incoming call')),
    [VOICE_PATHS.menu]: (p, url) => flow.menu(fields(MenuParams, p, 'menu answer'), url.searchParams.get('choice') === 'none'),
    [VOICE_PATHS.wait]: (p) => flow.wait(fields(WaitParams, p, 'queue wait request')),
    [VOICE_PATHS.queued]: (p) => flow.queued(fields(QueuedParams, p, 'queue result')),
    [VOICE_PATHS.dialed]: (p) => flow.dialed(fields(DialedParams, p, 'dial result')),
    [VOICE_PATHS.recorded]: () => flow.recorded(),
    [VOICE_PATHS.recording]: (p, url) => {
      flow.recording(fields(RecordingParams, p, 'recording callback'), url.searchParams.get('kind') === 'call' ? 'call' : 'voicemail');
      return '';
    },
    [VOICE_PATHS.transcription]: (p) => {
      flow.transcription(fields(TranscriptionParams, p, 'transcription callback'));
      return '';
    },
    [VOICE_PATHS.note]: (p, url) => {
      const conversation = Number(url.searchParams.get('conversation'));
      if (!Number.isInteger(conversation) || conversation <= 0) throw new ChannelHttpError(400, 'voice/malformed-url', 'The note URL names no conversation.');
      return flow.note(fields(NoteParams, p, 'caller note'), conversation, url.searchParams.get('part'));
    },
    [VOICE_PATHS.status]: (p, url) => {
      // `call`: the hub's own mark on a leg it added with the REST API (an agent rung back after hold).
      const of = url.searchParams.get('call');
      flow.status({ ...fields(StatusParams, p, 'call status callback'), ...(of && /^CA[0-9a-fA-F]{32}$/.test(of) ? { LegOf: of } : {}) });
      return '';
    },
    [VOICE_PATHS.outbound]: (p) => {
      const call = fields(CallParams, p, 'outbound call');
      const agentId = agentOfIdentity(call.From);
      if (agentId === null || !ctx.conversations.agent(agentId)) return sayThenHangup(voice, 'This softphone is not signed in to the hub.');
      const toAgent = agentOfIdentity(call.To);
      if (toAgent !== null) return outboundTwiml({ base: ctx.publicUrl() }, callerId, { agentId: toAgent });
      const number = flow.e164(call.To);
      if (!/^\+[1-9][0-9]{1,14}$/.test(number)) return sayThenHangup(voice, 'That number cannot be dialed.');
      if (!callerId) return sayThenHangup(voice, 'No caller id is configured for outbound calls.');
      flow.outbound(agentId, call.CallSid, number);
      return outboundTwiml({ base: ctx.publicUrl() }, callerId, { number });
    },
  };

  async function handle(req: IncomingMessage, res: ServerResponse, url: URL, route: Handler): Promise<void> {
    // Signature first: a forged request is refused before anything is parsed or written.
    const params = await verifiedParams(ctx, account.authToken, req, url);
    const twiml = route(params, url);
    sendText(res, 200, XML, twiml || emptyTwiml());
  }

  return {
    name: 'voice',
    store,
    flow,
    async handleHttp(req, res, url) {
      const route = routes[url.pathname];
      if (!route) return false;
      try {
        await handle(req, res, url, route);
      } catch (e) {
        if (e instanceof ChannelHttpError) {
          ctx.log.info(`voice: ${req.method ?? ''} ${url.pathname} refused with ${e.status} (${e.code})`);
          sendError(res, e);
        } else {
          ctx.log.error(`voice: ${req.method ?? ''} ${url.pathname} failed`, e);
          // 500: Twilio retries the callback or plays its application error; nothing half-written stays (one transaction).
          if (!res.headersSent) sendJson(res, 500, { code: 'internal', message: 'The hub could not handle this call step now.' });
        }
      }
      return true;
    },
    agentRequest(agent, req) {
      if (req.type === 'callControl') return control.control(agent, req);
      if (req.type === 'transferCall') return control.transfer(agent, req);
      return null;
    },
    close() {
      mailer?.close();
    },
  };
}

export const createVoiceModule: HubModuleFactory = createVoice;
