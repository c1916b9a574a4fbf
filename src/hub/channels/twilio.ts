// SMS through Twilio: the inbound and status webhooks (X-Twilio-Signature checked by the official
// package over the public URL Twilio signed), STOP/START opt-out, and sends through the package's
// REST client. The client's base URL is changed by a RequestClient subclass (the package's
// documented `httpClient` option) that moves each request's origin, so tests reach a stand-in.
import type { IncomingMessage, ServerResponse } from 'node:http';
import twilio from 'twilio';
import { z } from 'zod';
import { normalizePhone } from '../../shared/identity';
import { say, type Said } from '../../shared/serverErrors';
import type { ChannelSender, DeliveryOutcome, HubContext, OutboundMessage } from '../services';
import type { ChannelStore } from './channelStore';
import type { ChannelsConfig } from './config';
import { ChannelHttpError, parseJson, readBody, requireMediaType, requireMethod, sendText } from './http';
import type { ChannelPipeline } from './pipeline';

export const TWILIO_SMS_PATH = '/webhooks/twilio/sms';
export const TWILIO_STATUS_PATH = '/webhooks/twilio/status';

// Twilio's default opt-out keywords (Messaging > Advanced Opt-Out): the whole body, any case.
const OPT_OUT = new Set(['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'OPTOUT', 'REVOKE']);
const OPT_IN = new Set(['START', 'YES', 'UNSTOP']);
const HELP = new Set(['HELP', 'INFO']);
/** Twilio's error for a send to a number that opted out. */
const UNSUBSCRIBED_RECIPIENT = 21610;

const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json';

const InboundSms = z.object({
  MessageSid: z.string().min(1).max(64),
  From: z.string().min(1).max(64),
  To: z.string().min(1).max(64),
  Body: z.string().max(20_000).default(''),
  NumMedia: z.coerce.number().int().min(0).max(10).default(0),
  OptOutType: z.string().optional(),
  ProfileName: z.string().max(200).optional(),
});

const StatusCallback = z.object({
  MessageSid: z.string().min(1).max(64),
  MessageStatus: z.string().min(1).max(32),
  ErrorCode: z.string().max(16).optional(),
});

export type OptKeyword = 'stop' | 'start' | 'help' | null;

/** Which opt-out keyword an SMS is, if any (Twilio's Advanced Opt-Out type first). */
export function optKeyword(body: string, optOutType?: string): OptKeyword {
  const type = optOutType?.trim().toUpperCase();
  if (type === 'STOP' || type === 'START' || type === 'HELP') return type.toLowerCase() as OptKeyword;
  const word = body.trim().replace(/[.!]+$/, '').toUpperCase();
  if (OPT_OUT.has(word)) return 'stop';
  if (OPT_IN.has(word)) return 'start';
  if (HELP.has(word)) return 'help';
  return null;
}

export function optedOutSentence(address: string): Said {
  return say('smsOptedOut', { address });
}

/** The URL Twilio signed: the hub's public URL, this path and the query exactly as configured. */
export function signedUrl(publicUrl: string, url: URL): string {
  return `${publicUrl.replace(/\/+$/, '')}${url.pathname}${url.search}`;
}

/** Twilio's form fields; a repeated key becomes a list, as the signature scheme expects. */
function formParams(body: Buffer): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [key, value] of new URLSearchParams(body.toString('utf8'))) {
    const seen = out[key];
    out[key] = seen === undefined ? value : Array.isArray(seen) ? [...seen, value] : [seen, value];
  }
  return out;
}

function stringFields(value: unknown): Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ChannelHttpError(400, 'channels/malformed-body', 'The body must be a JSON object of Twilio parameters.');
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
}

/** Reads, checks the signature of and returns the parameters of a Twilio webhook. */
export async function verifiedParams(ctx: HubContext, authToken: string, req: IncomingMessage, url: URL): Promise<Record<string, unknown>> {
  requireMethod(req, ['POST']);
  const type = requireMediaType(req, [FORM, JSON_TYPE]);
  const body = await readBody(req, ctx.config.maxBodyBytes);
  const signature = req.headers['x-twilio-signature'];
  const fullUrl = signedUrl(ctx.publicUrl(), url);
  const forged = () => new ChannelHttpError(403, 'channels/bad-signature', 'The X-Twilio-Signature header is missing or does not match this request; it was not accepted.');
  if (typeof signature !== 'string' || signature === '') throw forged();
  if (type === FORM) {
    const params = formParams(body);
    if (!twilio.validateRequest(authToken, signature, fullUrl, params)) throw forged();
    return params;
  }
  // JSON bodies: Twilio signs the URL carrying bodySHA256, and the package checks the body against it.
  if (!url.searchParams.has('bodySHA256') || !twilio.validateRequestWithBody(authToken, signature, fullUrl, body.toString('utf8'))) throw forged();
  return stringFields(parseJson(body));
}

export function fields<T extends z.ZodType>(schema: T, params: Record<string, unknown>, what: string): z.infer<T> {
  const flat = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
  const parsed = schema.safeParse(flat);
  if (!parsed.success) {
    const names = [...new Set(parsed.error.issues.map((i) => i.path.join('.')))].join(', ');
    throw new ChannelHttpError(400, 'channels/malformed-body', `The ${what} is missing or has invalid ${names}.`);
  }
  return parsed.data;
}

export interface TwilioChannel {
  handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void>;
  sender: ChannelSender;
}

export function createTwilioChannel(ctx: HubContext, config: ChannelsConfig['twilio'], store: ChannelStore, pipeline: ChannelPipeline): TwilioChannel {
  const client = twilio(config.accountSid, config.authToken, config.apiBaseUrl ? { httpClient: baseUrlClient(config.apiBaseUrl) } : {});
  const region = config.defaultRegion;

  async function inbound(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const params = await verifiedParams(ctx, config.authToken, req, url);
    const sms = fields(InboundSms, params, 'incoming SMS');
    const from = normalizePhone(sms.From, region);
    const to = normalizePhone(sms.To, region);
    // A short code or alphanumeric sender id is a machine; a person has a dialable number.
    const sender = from.ok ? from.identifier.value : sms.From;
    const keyword = optKeyword(sms.Body, sms.OptOutType);
    const media = sms.NumMedia > 0 ? `[${sms.NumMedia} picture${sms.NumMedia === 1 ? '' : 's'} sent by MMS]` : '';
    pipeline.receive({
      inbound: {
        channel: 'sms',
        providerId: sms.MessageSid,
        threadKey: `${sender}|${to.ok ? to.identifier.value : sms.To}`,
        contact: { address: sender, phone: from.ok ? sender : null, displayName: sms.ProfileName ?? null },
        text: [sms.Body, media].filter((s) => s !== '').join('\n'),
        receivedAt: ctx.now(),
        metadata: { to: to.ok ? to.identifier.value : sms.To, ...(keyword ? { optKeyword: keyword } : {}) },
      },
      sender,
      raw: JSON.stringify(params),
      automated: from.ok ? null : `${sms.From} is not a phone number a person texts from (a short code or sender id).`,
      route: { channel: 'sms', recipient: sender, commentId: null, isPublic: false },
      autoReply: keyword === null,
    });
    // After the commit above: Twilio must not hear "received" for something we could still lose.
    if (keyword === 'stop' || keyword === 'start') store.setOptOut('sms', sender, keyword === 'stop', sms.Body.trim().toUpperCase() || keyword.toUpperCase(), ctx.now());
    sendText(res, 200, 'text/xml; charset=utf-8', new twilio.twiml.MessagingResponse().toString());
  }

  async function status(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const params = await verifiedParams(ctx, config.authToken, req, url);
    const cb = fields(StatusCallback, params, 'status callback');
    const mapped = deliveryOf(cb.MessageStatus, cb.ErrorCode);
    if (mapped) {
      // Agents' replies and auto-replies alike: both are the core's outgoing messages.
      ctx.conversations.updateDeliveryByProviderId('sms', cb.MessageSid, mapped.status, mapped.detail);
      // A carrier that says the number unsubscribed is an opt-out we did not see arrive.
      if (cb.ErrorCode === String(UNSUBSCRIBED_RECIPIENT)) {
        const to = typeof params['To'] === 'string' ? normalizePhone(params['To'], region) : null;
        if (to?.ok) store.setOptOut('sms', to.identifier.value, true, 'STOP', ctx.now());
      }
    }
    sendText(res, 200, 'text/xml; charset=utf-8', new twilio.twiml.MessagingResponse().toString());
  }

  const sender: ChannelSender = {
    channels: ['sms'],
    async deliver(out: OutboundMessage): Promise<DeliveryOutcome> {
      const to = store.route(out.conversation.id)?.recipient ?? out.conversation.contact.address;
      if (store.optOut('sms', to)?.optedOut) return { status: 'failed', detail: optedOutSentence(to), retry: false };
      try {
        const message = await client.messages.create({
          to,
          from: config.fromNumber,
          body: out.message.text,
          statusCallback: `${ctx.publicUrl().replace(/\/+$/, '')}${TWILIO_STATUS_PATH}`,
        });
        return { status: 'sent', providerId: message.sid };
      } catch (e) {
        return failure(e, to);
      }
    },
  };

  function failure(e: unknown, to: string): DeliveryOutcome {
    if (e instanceof twilio.RestException) {
      if (e.code === UNSUBSCRIBED_RECIPIENT) {
        store.setOptOut('sms', to, true, 'STOP', ctx.now());
        return { status: 'failed', detail: optedOutSentence(to), retry: false };
      }
      const transient = e.status === 429 || e.status >= 500;
      return { status: 'failed', detail: e.code ? say('smsRefusedCode', { reason: e.message, code: String(e.code) }) : say('smsRefused', { reason: e.message }), retry: transient };
    }
    return { status: 'failed', detail: say('smsUnreachable', { error: e instanceof Error ? e.message : String(e) }), retry: true };
  }

  return {
    sender,
    async handle(req, res, url) {
      if (url.pathname === TWILIO_SMS_PATH) await inbound(req, res, url);
      else await status(req, res, url);
    },
  };
}

/** Twilio's MessageStatus as the hub's delivery state; null for the steps before sending. */
export function deliveryOf(status: string, errorCode?: string): { status: 'sent' | 'delivered' | 'read' | 'failed'; detail: Said | null } | null {
  switch (status) {
    case 'sent':
      return { status: 'sent', detail: null };
    case 'delivered':
      return { status: 'delivered', detail: null };
    case 'read':
      return { status: 'read', detail: null };
    case 'failed':
      return { status: 'failed', detail: errorCode ? say('smsReportedFailedCode', { code: errorCode }) : say('smsReportedFailed') };
    case 'undelivered':
      return { status: 'failed', detail: errorCode ? say('smsReportedUndeliveredCode', { code: errorCode }) : say('smsReportedUndelivered') };
    case 'canceled':
      return { status: 'failed', detail: errorCode ? say('smsReportedCanceledCode', { code: errorCode }) : say('smsReportedCanceled') };
    default:
      return null;
  }
}

type RequestOptions<TData> = Parameters<typeof twilio.RequestClient.prototype.request<TData>>[0];

/** Sends every request the REST client makes to `baseUrl` instead of Twilio's host, path kept. */
export function baseUrlClient(baseUrl: string): twilio.RequestClient {
  const base = new URL(baseUrl);
  const prefix = base.pathname.replace(/\/+$/, '');
  class BaseUrlRequestClient extends twilio.RequestClient {
    override request<TData>(opts: RequestOptions<TData>) {
      const target = new URL(opts.uri);
      const moved = new URL(`${prefix}${target.pathname}${target.search}`, base);
      return super.request<TData>({ ...opts, uri: moved.href });
    }
  }
  return new BaseUrlRequestClient({ timeout: 15_000 });
}
