// Local stand-ins for Twilio, Meta and X: each is a real HTTP server on 127.0.0.1 that (a) sends
// the hub webhooks signed the way the provider signs them and (b) records the REST calls the hub
// makes and answers in the provider's documented shape (a MessageSid, a message_id, a dm_event_id).
// A hub behind a TLS proxy is reached at its loopback address while Twilio signs its public URL.
import { createHmac, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import twilio from 'twilio';

export interface RecordedCall {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** The form fields (Twilio) or the parsed JSON (Graph, X). */
  form: Record<string, string>;
  json: unknown;
  /** What the stand-in answered (set once answered). */
  response: CannedResponse | null;
}

export interface CannedResponse {
  status: number;
  body: unknown;
}

interface RecordingServer {
  url: string;
  calls: RecordedCall[];
  /** The next REST call gets this answer instead of the normal one (then normal again). */
  failNext(response: CannedResponse): void;
  /** Forgets the recorded calls and any answers queued by failNext (between tests). */
  reset(): void;
  close(): Promise<void>;
}

async function startRecordingServer(answer: (call: RecordedCall) => CannedResponse): Promise<RecordingServer> {
  const calls: RecordedCall[] = [];
  const failures: CannedResponse[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://standin');
      const body = Buffer.concat(chunks).toString('utf8');
      const type = req.headers['content-type'] ?? '';
      let json: unknown = null;
      if (type.includes('json')) {
        try {
          json = JSON.parse(body);
        } catch {
          json = null;
        }
      }
      const form = type.includes('x-www-form-urlencoded') ? Object.fromEntries(new URLSearchParams(body)) : {};
      const call: RecordedCall = { method: req.method ?? '', path: url.pathname, query: url.searchParams, headers: req.headers, body, form, json, response: null };
      const reply = failures.shift() ?? answer(call);
      call.response = reply;
      calls.push(call);
      const text = JSON.stringify(reply.body);
      res.writeHead(reply.status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
      res.end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    failNext: (response) => failures.push(response),
    reset: () => {
      calls.length = 0;
      failures.length = 0;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const hex = (bytes: number) => randomBytes(bytes).toString('hex');

export interface StandinOptions {
  /** The hub's public URL: where the provider believes it posts, and what Twilio signs. */
  hubPublicUrl: () => string;
  /** Where webhooks really go when a proxy serves the public URL (the hub's loopback address); defaults to hubPublicUrl. */
  hubAddress?: () => string;
}

const base = (url: string) => url.replace(/\/+$/, '');
const addressOf = (options: StandinOptions) => () => base((options.hubAddress ?? options.hubPublicUrl)());

/** Waits until `check` returns a value (not undefined/false), polling; fails with `what` after the timeout. */
export async function waitUntil<T>(what: string, check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}.`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

// ------------------------------------------------------------------------------------------ Twilio

export interface TwilioStandin extends RecordingServer {
  accountSid: string;
  authToken: string;
  /** Outgoing SMS the hub asked Twilio to send (POST …/Messages.json). */
  sent(): RecordedCall[];
  /** Posts a signed inbound-SMS webhook (form body) to the hub's public URL + path. */
  sendSms(fields: { From: string; To: string; Body: string; MessageSid?: string; [k: string]: string | undefined }, options?: WebhookOptions): Promise<WebhookReply>;
  /** Posts a signed status callback, as Twilio does to the StatusCallback URL. */
  sendStatus(fields: { MessageSid: string; MessageStatus: string; [k: string]: string | undefined }, options?: WebhookOptions): Promise<WebhookReply>;
  /** Posts a signed voice webhook (form body) to the hub's public URL + path (query included), as Twilio does for calls. */
  sendVoice(path: string, fields: Record<string, string | undefined>, options?: WebhookOptions): Promise<WebhookReply>;
  /** REST calls the hub made to update live calls and add conference participants. */
  voiceCalls(): RecordedCall[];
  /** Posts a signed JSON-bodied webhook (bodySHA256 in the signed URL), as Twilio does for JSON; a string body goes as is. */
  sendJson(path: string, body: unknown, options?: WebhookOptions): Promise<WebhookReply>;
}

/** Voice REST calls: updating a live call (POST …/Calls/{Sid}.json) and adding a conference participant. */
export function voiceAnswer(call: Pick<RecordedCall, 'method' | 'path' | 'form'>, accountSid: string): CannedResponse | null {
  const now = new Date().toUTCString();
  const update = /^\/2010-04-01\/Accounts\/([^/]+)\/Calls\/(CA[0-9a-zA-Z]+)\.json$/.exec(call.path);
  if (update && call.method === 'POST' && update[1] === accountSid) {
    return {
      status: 200,
      body: {
        account_sid: accountSid,
        api_version: '2010-04-01',
        sid: update[2],
        status: call.form['Status'] ?? 'in-progress',
        direction: 'inbound',
        from: '+15550100000',
        to: '+15550100001',
        date_created: now,
        date_updated: now,
        start_time: now,
        end_time: null,
        duration: null,
        parent_call_sid: null,
        uri: `/2010-04-01/Accounts/${accountSid}/Calls/${update[2]}.json`,
      },
    };
  }
  const participant = /^\/2010-04-01\/Accounts\/([^/]+)\/Conferences\/([^/]+)\/Participants\.json$/.exec(call.path);
  if (participant && call.method === 'POST' && participant[1] === accountSid) {
    const callSid = `CA${hex(16)}`;
    return {
      status: 201,
      body: {
        account_sid: accountSid,
        call_sid: callSid,
        conference_sid: `CF${hex(16)}`,
        label: call.form['Label'] ?? null,
        coaching: false,
        end_conference_on_exit: call.form['EndConferenceOnExit'] === 'true',
        start_conference_on_enter: call.form['StartConferenceOnEnter'] === 'true',
        hold: false,
        muted: false,
        status: 'queued',
        date_created: now,
        date_updated: now,
        uri: `/2010-04-01/Accounts/${accountSid}/Conferences/${participant[2]}/Participants/${callSid}.json`,
      },
    };
  }
  return null;
}

export interface WebhookOptions {
  /** Replace the signature header (a forgery), or null to leave it out. */
  signature?: string | null;
  /** Sign with another auth token / secret (a forgery that looks well-formed). */
  signWith?: string;
  /** Twilio only: sign for this base URL instead of the hub's public URL (a hub whose publicUrl is wrong). */
  signFor?: string;
  contentType?: string;
}

export interface WebhookReply {
  status: number;
  contentType: string;
  text: string;
}

async function post(url: string, body: string, headers: Record<string, string>): Promise<WebhookReply> {
  const response = await fetch(url, { method: 'POST', headers, body });
  return { status: response.status, contentType: response.headers.get('content-type') ?? '', text: await response.text() };
}

export async function startTwilioStandin(options: StandinOptions): Promise<TwilioStandin> {
  const accountSid = `AC${hex(16)}`;
  const authToken = hex(16);
  const server = await startRecordingServer((call) => {
    const messages = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/.exec(call.path);
    const auth = Buffer.from(`${accountSid}:${authToken}`).toString('base64');
    if (call.headers.authorization !== `Basic ${auth}`) {
      return { status: 401, body: { code: 20003, message: 'Authenticate', more_info: 'https://www.twilio.com/docs/errors/20003', status: 401 } };
    }
    const voice = voiceAnswer(call, accountSid);
    if (voice) return voice;
    if (!messages || call.method !== 'POST' || messages[1] !== accountSid) {
      return { status: 404, body: { code: 20404, message: 'The requested resource was not found', more_info: 'https://www.twilio.com/docs/errors/20404', status: 404 } };
    }
    const sid = `SM${hex(16)}`;
    const now = new Date().toUTCString();
    return {
      status: 201,
      body: {
        account_sid: accountSid,
        api_version: '2010-04-01',
        body: call.form['Body'] ?? '',
        date_created: now,
        date_sent: null,
        date_updated: now,
        direction: 'outbound-api',
        error_code: null,
        error_message: null,
        from: call.form['From'] ?? null,
        messaging_service_sid: null,
        num_media: '0',
        num_segments: '1',
        price: null,
        price_unit: 'USD',
        sid,
        status: 'queued',
        subresource_uris: { media: `/2010-04-01/Accounts/${accountSid}/Messages/${sid}/Media.json` },
        to: call.form['To'] ?? null,
        uri: `/2010-04-01/Accounts/${accountSid}/Messages/${sid}.json`,
      },
    };
  });

  const hubAddress = addressOf(options);

  async function signedForm(path: string, fields: Record<string, string | undefined>, opts: WebhookOptions = {}): Promise<WebhookReply> {
    const params = Object.fromEntries(Object.entries(fields).filter((e): e is [string, string] => e[1] !== undefined));
    const signed = `${base(opts.signFor ?? options.hubPublicUrl())}${path}`;
    const signature = opts.signature !== undefined ? opts.signature : twilio.getExpectedTwilioSignature(opts.signWith ?? authToken, signed, params);
    const headers: Record<string, string> = { 'content-type': opts.contentType ?? 'application/x-www-form-urlencoded', 'user-agent': 'TwilioProxy/1.1' };
    if (signature !== null) headers['x-twilio-signature'] = signature;
    return post(`${hubAddress()}${path}`, new URLSearchParams(params).toString(), headers);
  }

  return {
    ...server,
    accountSid,
    authToken,
    sent: () => server.calls.filter((c) => c.path.endsWith('/Messages.json')),
    sendSms: (fields, opts) =>
      signedForm('/webhooks/twilio/sms', { MessageSid: `SM${hex(16)}`, AccountSid: accountSid, NumMedia: '0', ApiVersion: '2010-04-01', ...fields }, opts),
    sendStatus: (fields, opts) => signedForm('/webhooks/twilio/status', { AccountSid: accountSid, ApiVersion: '2010-04-01', ...fields }, opts),
    sendVoice: (path, fields, opts) => signedForm(path, { AccountSid: accountSid, ApiVersion: '2010-04-01', ...fields }, opts),
    voiceCalls: () => server.calls.filter((c) => /\/(Calls\/CA[^/]+|Participants)\.json$/.test(c.path)),
    async sendJson(path, body, opts = {}) {
      const text = typeof body === 'string' ? body : JSON.stringify(body);
      const target = `${path}?bodySHA256=${twilio.getExpectedBodyHash(text)}`;
      const signed = `${base(opts.signFor ?? options.hubPublicUrl())}${target}`;
      const signature = opts.signature !== undefined ? opts.signature : twilio.getExpectedTwilioSignature(opts.signWith ?? authToken, signed, {});
      const headers: Record<string, string> = { 'content-type': opts.contentType ?? 'application/json' };
      if (signature !== null) headers['x-twilio-signature'] = signature;
      return post(`${hubAddress()}${target}`, text, headers);
    },
  };
}

// -------------------------------------------------------------------------------------------- Meta

export interface MetaStandin extends RecordingServer {
  appSecret: string;
  verifyToken: string;
  pageAccessToken: string;
  graphVersion: string;
  pageId: string;
  instagramId: string;
  /** Send API calls (POST /{version}/me/messages). */
  sent(): RecordedCall[];
  /** Posts a signed webhook notification with this body. */
  notify(body: unknown, options?: WebhookOptions): Promise<WebhookReply>;
  /** A Messenger (object 'page') or Instagram (object 'instagram') DM from `senderId`. */
  sendDm(channel: 'messenger' | 'instagram', senderId: string, text: string, mid?: string): Promise<WebhookReply & { mid: string }>;
  /** GET verification as Meta does when the webhook is set up. */
  verify(params: Record<string, string>): Promise<WebhookReply>;
}

export function dmNotification(channel: 'messenger' | 'instagram', ownId: string, senderId: string, text: string, mid: string, extra: Record<string, unknown> = {}) {
  const time = Date.now();
  return {
    object: channel === 'messenger' ? 'page' : 'instagram',
    entry: [{ id: ownId, time, messaging: [{ sender: { id: senderId }, recipient: { id: ownId }, timestamp: time, message: { mid, text, ...extra } }] }],
  };
}

export async function startMetaStandin(options: StandinOptions): Promise<MetaStandin> {
  const appSecret = hex(16);
  const verifyToken = hex(8);
  const pageAccessToken = `EAAB${hex(20)}`;
  const graphVersion = 'v23.0';
  const pageId = String(100_000_000_000_000 + Math.floor(Math.random() * 1e9));
  const instagramId = String(17_841_400_000_000_000 + Math.floor(Math.random() * 1e9));
  const server = await startRecordingServer((call) => {
    if (call.method !== 'POST' || call.path !== `/${graphVersion}/me/messages`) {
      return { status: 400, body: { error: { message: `Unknown path components: ${call.path}`, type: 'OAuthException', code: 2500, fbtrace_id: hex(8) } } };
    }
    if (call.headers.authorization !== `Bearer ${pageAccessToken}` && call.query.get('access_token') !== pageAccessToken) {
      return { status: 400, body: { error: { message: 'Invalid OAuth access token.', type: 'OAuthException', code: 190, fbtrace_id: hex(8) } } };
    }
    const recipient = (call.json as { recipient?: { id?: string; comment_id?: string } } | null)?.recipient;
    if (!recipient?.id && !recipient?.comment_id) {
      return { status: 400, body: { error: { message: '(#100) The parameter recipient is required', type: 'OAuthException', code: 100, fbtrace_id: hex(8) } } };
    }
    return { status: 200, body: { recipient_id: recipient.id ?? `psid-for-${recipient.comment_id}`, message_id: `m_${hex(24)}` } };
  });
  const hubUrl = () => `${addressOf(options)()}/webhooks/meta`;
  const notify = (body: unknown, opts: WebhookOptions = {}) => {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    const signature = opts.signature !== undefined ? opts.signature : `sha256=${createHmac('sha256', opts.signWith ?? appSecret).update(text).digest('hex')}`;
    const headers: Record<string, string> = { 'content-type': opts.contentType ?? 'application/json' };
    if (signature !== null) headers['x-hub-signature-256'] = signature;
    return post(hubUrl(), text, headers);
  };
  return {
    ...server,
    appSecret,
    verifyToken,
    pageAccessToken,
    graphVersion,
    pageId,
    instagramId,
    sent: () => server.calls.filter((c) => c.path.endsWith('/me/messages')),
    notify,
    async sendDm(channel, senderId, text, mid = `m_${hex(24)}`) {
      const reply = await notify(dmNotification(channel, channel === 'messenger' ? pageId : instagramId, senderId, text, mid));
      return { ...reply, mid };
    },
    async verify(params) {
      const response = await fetch(`${hubUrl()}?${new URLSearchParams(params).toString()}`);
      return { status: response.status, contentType: response.headers.get('content-type') ?? '', text: await response.text() };
    },
  };
}

// ----------------------------------------------------------------------------------------------- X

export interface XStandin extends RecordingServer {
  consumerSecret: string;
  bearerToken: string;
  ownUserId: string;
  /** DM sends (POST /2/dm_conversations/with/{participant_id}/messages). */
  sent(): RecordedCall[];
  notify(body: unknown, options?: WebhookOptions): Promise<WebhookReply>;
  sendDm(senderId: string, text: string, eventId?: string, name?: string): Promise<WebhookReply & { eventId: string }>;
  crc(token: string): Promise<WebhookReply>;
}

export async function startXStandin(options: StandinOptions): Promise<XStandin> {
  const consumerSecret = hex(20);
  const bearerToken = hex(24);
  const ownUserId = String(1_000_000_000 + Math.floor(Math.random() * 1e9));
  const server = await startRecordingServer((call) => {
    const dm = /^\/2\/dm_conversations\/with\/([^/]+)\/messages$/.exec(call.path);
    if (call.headers.authorization !== `Bearer ${bearerToken}`) {
      return { status: 401, body: { title: 'Unauthorized', type: 'about:blank', status: 401, detail: 'Unauthorized' } };
    }
    if (!dm || call.method !== 'POST') return { status: 404, body: { title: 'Not Found Error', detail: `Could not find ${call.path}`, status: 404 } };
    const ids = [ownUserId, dm[1]!].sort();
    return { status: 201, body: { data: { dm_conversation_id: ids.join('-'), dm_event_id: String(1_800_000_000_000_000_000n + BigInt(Math.floor(Math.random() * 1e12))) } } };
  });
  const hubUrl = () => `${addressOf(options)()}/webhooks/x`;
  const sign = (secret: string, data: string) => `sha256=${createHmac('sha256', secret).update(data).digest('base64')}`;
  const notify = (body: unknown, opts: WebhookOptions = {}) => {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    const signature = opts.signature !== undefined ? opts.signature : sign(opts.signWith ?? consumerSecret, text);
    const headers: Record<string, string> = { 'content-type': opts.contentType ?? 'application/json' };
    if (signature !== null) headers['x-twitter-webhooks-signature'] = signature;
    return post(hubUrl(), text, headers);
  };
  return {
    ...server,
    consumerSecret,
    bearerToken,
    ownUserId,
    sent: () => server.calls.filter((c) => c.path.startsWith('/2/dm_conversations/')),
    notify,
    async sendDm(senderId, text, eventId = String(1_700_000_000_000_000_000n + BigInt(Math.floor(Math.random() * 1e12))), name = 'Customer') {
      const reply = await notify({
        for_user_id: ownUserId,
        direct_message_events: [
          {
            type: 'message_create',
            id: eventId,
            created_timestamp: String(Date.now()),
            message_create: { target: { recipient_id: ownUserId }, sender_id: senderId, message_data: { text, entities: { hashtags: [], symbols: [], user_mentions: [], urls: [] } } },
          },
        ],
        users: { [senderId]: { id: senderId, name, screen_name: name.toLowerCase().replace(/\s+/g, '_') } },
      });
      return { ...reply, eventId };
    },
    async crc(token) {
      const response = await fetch(`${hubUrl()}?crc_token=${encodeURIComponent(token)}`);
      return { status: response.status, contentType: response.headers.get('content-type') ?? '', text: await response.text() };
    },
  };
}
