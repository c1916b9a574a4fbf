// A stand-in for Twilio's Voice signaling ("chunder") and the far end of a call, for tests with the
// real @twilio/voice-sdk in Chromium. One HTTP server on 127.0.0.1:
// - /signal: the SDK's WebSocket, speaking its frames {type, version, payload} (pstream.ts): a bare
//   newline heartbeat every few seconds (echoed by the client, which reconnects after 15 s of
//   silence), `listen` → `connected` {token: {identity, ttl}}, `register` → `ready` (audio false →
//   `offline`), `invite` to the client with callsid/sdp/parameters, its `answer`, `ringing`,
//   `cancel` and `hangup`; the access token's HS256 signature is checked with the API key secret.
// - /caller: a plain page whose RTCPeerConnection is the customer's phone, driven over /caller-ws:
//   its SDP (after ICE gathering completes) is relayed to and from the SDK.
// - Twilio's status callbacks: signed (X-Twilio-Signature) form posts to the hub's /voice/status
//   (a call routed through the hub rings the agent on a leg of its own, with ParentCallSid).
// - The REST API for live calls (set the hub's channels.twilio.apiBaseUrl to `url`): new TwiML for
//   a call (a <Conference> is hold: the agent's leg ends, the caller stays), Status=completed, and
//   conference participants (a client is rung on a new leg, with the To's query as its parameters).
// Commands: drop every signaling socket, ignore the next register (a registration lost silently).
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import twilio from 'twilio';
import { WebSocketServer, type WebSocket } from 'ws';
import { voiceAnswer } from './providerStandins';

const VERSION = '1.6';
const HEARTBEAT_MS = 3_000;

interface SignalConn {
  ws: WebSocket;
  identity: string | null;
  registered: boolean;
}

export interface StandinCall {
  callSid: string;
  direction: 'in' | 'out';
  /** Incoming: the agent identity rung; outgoing: the number the agent dialled. */
  to: string;
  from: string;
  /** The SDK's temporary id of an outgoing call (TJS…). */
  clientId: string | null;
  status: 'ringing' | 'in-progress' | 'completed' | 'canceled';
  answeredAt: number | null;
  endedAt: number | null;
  /** Who hung up first. */
  endedBy: 'agent' | 'caller' | null;
  digits: string;
  params: Record<string, string>;
  /** An agent's leg of a call routed by the hub: the caller's call SID. */
  parentSid: string | null;
  /** A leg the hub added to a conference (resume after hold): the caller's call it joins. */
  joins: string | null;
  /** Where this call's status callbacks go, when not the stand-in's default. */
  statusUrl: string | null;
  /** The caller waits in a conference (on hold). */
  held: boolean;
}

export interface StandinOptions {
  /** Checks the access token's signature (HS256 with the API key secret) when given. */
  apiKeySecret?: string;
  /** Report this TTL in the first `connected` of each socket (drives the SDK's tokenWillExpire soon). */
  firstTtlSeconds?: number;
  /** The hub whose /voice/status gets signed status callbacks, and the Twilio auth token that signs them. */
  statusCallback?: { url: string; authToken: string; accountSid: string };
}

export interface TwilioVoiceStandin {
  /** host:port, the SDK's `chunderw`. */
  host: string;
  url: string;
  callerPageUrl: string;
  /** Every token a client presented in `listen`, in order. */
  tokens: string[];
  /** How many `register` (audio) frames each identity sent. */
  registerCount(identity: string): number;
  isRegistered(identity: string): boolean;
  /** Identities with a live registration. */
  registered(): string[];
  /** Where signed status callbacks go from now on (the hub starts after the stand-in). */
  setStatusCallback(cb: StandinOptions['statusCallback']): void;
  /** Ignores the next n audio `register` frames (no `ready`): the Device is left "registering". */
  ignoreRegisters(n: number): void;
  /** Closes every signaling socket at once (as a network drop does). */
  dropSockets(): void;
  socketCount(): number;
  calls: StandinCall[];
  /** Rings `identity` with an offer from the caller page (which must be open at callerPageUrl). */
  ring(identity: string, from: string, params: Record<string, string>): Promise<StandinCall>;
  /**
   * A call as Twilio places it: a signed POST to the hub's /voice/incoming (`statusCallback.url`'s
   * hub), then the invite to the `<Client>` its TwiML dials, with the `<Parameter>`s. Null when the
   * TwiML dials no client (queue, voicemail): then the TwiML is returned for the test to read.
   */
  ringThroughHub(from: string): Promise<{ call: StandinCall | null; twiml: string }>;
  /** REST requests the hub made (path and form), in order. */
  rest: Array<{ path: string; form: Record<string, string> }>;
  /** The caller hangs up. */
  hangUpFromCaller(callSid: string): void;
  /** Every call still up or ringing ends as its caller gives up; resolves once the hub was told. */
  endAllCalls(): Promise<void>;
  /** The last outgoing call the SDK placed, once the caller page answered it. */
  waitForOutgoing(timeoutMs?: number): Promise<StandinCall>;
  close(): Promise<void>;
}

function decodeJwt(token: string, secret: string | undefined): { identity: string; exp: number } | null {
  const [head, body, sig] = token.split('.');
  if (!head || !body || !sig) return null;
  if (secret) {
    const expected = crypto.createHmac('sha256', secret).update(`${head}.${body}`).digest('base64url');
    if (expected.length !== sig.length || !crypto.timingSafeEqual(Buffer.from(expected), Buffer.from(sig))) return null;
  }
  const payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as { exp: number; grants?: { identity?: string } };
  const identity = payload.grants?.identity;
  return identity ? { identity, exp: payload.exp } : null;
}

const CALLER_PAGE = /* html */ `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Caller</title></head>
<body><h1>Caller phone</h1><p id="state">idle</p>
<script type="module">
const state = document.getElementById('state');
const ws = new WebSocket(location.href.replace(/^http/, 'ws').replace(/\\/caller.*$/, '/caller-ws'));
let pc = null;
let stream = null;
const gathered = (p) => p.iceGatheringState === 'complete' ? Promise.resolve() : new Promise((r) => p.addEventListener('icegatheringstatechange', () => p.iceGatheringState === 'complete' && r()));
async function peer() {
  stream ??= await navigator.mediaDevices.getUserMedia({ audio: true });
  pc = new RTCPeerConnection({ iceServers: [] });
  for (const t of stream.getTracks()) pc.addTrack(t, stream);
  pc.ontrack = (e) => { const a = new Audio(); a.srcObject = e.streams[0]; a.play().catch(() => {}); };
  pc.onconnectionstatechange = () => (state.textContent = pc.connectionState);
  return pc;
}
window.rtpBytes = async () => {
  if (!pc) return { received: 0, sent: 0 };
  let received = 0, sent = 0;
  (await pc.getStats()).forEach((s) => {
    if (s.type === 'inbound-rtp' && s.kind === 'audio') received += s.bytesReceived;
    if (s.type === 'outbound-rtp' && s.kind === 'audio') sent += s.bytesSent;
  });
  return { received, sent };
};
ws.onmessage = async (m) => {
  const msg = JSON.parse(m.data);
  if (msg.t === 'makeOffer') {
    const p = await peer();
    await p.setLocalDescription(await p.createOffer({ offerToReceiveAudio: true }));
    await gathered(p);
    ws.send(JSON.stringify({ t: 'offer', id: msg.id, sdp: p.localDescription.sdp }));
  } else if (msg.t === 'answer') {
    await pc.setRemoteDescription({ type: 'answer', sdp: msg.sdp });
  } else if (msg.t === 'answerOffer') {
    const p = await peer();
    await p.setRemoteDescription({ type: 'offer', sdp: msg.sdp });
    await p.setLocalDescription(await p.createAnswer());
    await gathered(p);
    ws.send(JSON.stringify({ t: 'answered', id: msg.id, sdp: p.localDescription.sdp }));
  } else if (msg.t === 'hangup') {
    pc?.close();
    pc = null;
    state.textContent = 'ended';
  }
};
ws.onopen = () => (state.textContent = 'ready');
</script></body></html>`;

export async function startTwilioVoiceStandin(options: StandinOptions = {}): Promise<TwilioVoiceStandin> {
  const conns = new Set<SignalConn>();
  const tokens: string[] = [];
  const registers = new Map<string, number>();
  const calls: StandinCall[] = [];
  let ignore = 0;
  let caller: WebSocket | null = null;
  const callerWaiters = new Map<string, (sdp: string) => void>();
  let seq = 0;
  const sidOf = () => `CA${crypto.randomBytes(16).toString('hex')}`;
  const reconnectToken = (call: StandinCall) => crypto.createHash('sha256').update(`reconnect:${call.callSid}`).digest('hex').slice(0, 32);

  const send = (conn: SignalConn, type: string, payload: Record<string, unknown>) => {
    if (conn.ws.readyState === conn.ws.OPEN) conn.ws.send(JSON.stringify({ type, version: VERSION, payload }));
  };
  const connOf = (identity: string) => [...conns].find((c) => c.identity === identity && c.registered) ?? null;
  const connForCall = (call: StandinCall) => (call.direction === 'in' ? connOf(call.to) : [...conns].find((c) => c.identity === call.from.replace(/^client:/, '')) ?? null);

  const askCaller = (msg: Record<string, unknown>): Promise<string> => {
    if (!caller || caller.readyState !== caller.OPEN) return Promise.reject(new Error('The caller page is not open (open callerPageUrl first).'));
    const id = `m${++seq}`;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`The caller page did not answer ${String(msg.t)}.`)), 15_000);
      callerWaiters.set(id, (sdp) => {
        clearTimeout(timer);
        resolve(sdp);
      });
      caller!.send(JSON.stringify({ ...msg, id }));
    });
  };

  /** Twilio's StatusCallback: form fields signed over the URL with the auth token. */
  let statusCallback = options.statusCallback;
  const postStatus = async (call: StandinCall) => {
    const cb = statusCallback;
    if (!cb) return;
    const target = call.statusUrl ?? cb.url;
    const duration = call.answeredAt && call.endedAt ? Math.round((call.endedAt - call.answeredAt) / 1000) : 0;
    const params: Record<string, string> = {
      AccountSid: cb.accountSid,
      ApiVersion: '2010-04-01',
      CallSid: call.callSid,
      CallStatus: call.status,
      Direction: call.direction === 'in' ? 'inbound' : 'outbound-api',
      From: call.from,
      To: call.direction === 'in' && !call.to.startsWith('+') ? `client:${call.to}` : call.to,
      Timestamp: new Date().toUTCString(),
      CallbackSource: 'call-progress-events',
      SequenceNumber: '0',
      ...(call.status === 'completed' ? { CallDuration: String(duration) } : {}),
      ...(call.parentSid ? { ParentCallSid: call.parentSid } : {}),
    };
    const signature = twilio.getExpectedTwilioSignature(cb.authToken, target, params);
    await fetch(target, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Twilio-Signature': signature }, body: new URLSearchParams(params).toString() }).catch(() => undefined);
  };

  const end = (call: StandinCall, by: 'agent' | 'caller'): Promise<void> => {
    if (call.endedAt !== null) return Promise.resolve();
    call.endedAt = Date.now();
    call.endedBy = by;
    call.status = call.answeredAt ? 'completed' : 'canceled';
    caller?.send(JSON.stringify({ t: 'hangup' }));
    return postStatus(call).then(() => {
      // The caller's own call ends with its last leg (endConferenceOnExit), reported after the leg.
      const parent = calls.find((c) => c.callSid === (call.parentSid ?? call.joins));
      if (parent && parent.endedAt === null && !(call.parentSid && parent.held)) return end(parent, by);
    });
  };

  /** Twilio ends an agent's leg when its caller is moved elsewhere (hold): the caller stays. */
  const dropLeg = (leg: StandinCall) => {
    if (leg.endedAt !== null) return;
    const conn = connForCall(leg);
    if (conn) send(conn, 'hangup', { callsid: leg.callSid });
    leg.endedAt = Date.now();
    leg.status = leg.answeredAt ? 'completed' : 'canceled';
    void postStatus(leg);
  };

  const liveLegOf = (callSid: string) => calls.find((c) => (c.parentSid === callSid || c.joins === callSid) && c.endedAt === null) ?? null;

  /** Offers the caller page's media to `identity` as a new incoming call (invite with parameters). */
  const invite = async (identity: string, call: Omit<StandinCall, 'to' | 'status' | 'answeredAt' | 'endedAt' | 'endedBy' | 'digits' | 'clientId' | 'direction' | 'held'>): Promise<StandinCall> => {
    const conn = connOf(identity);
    if (!conn) throw new Error(`${identity} is not registered with the stand-in.`);
    const sdp = await askCaller({ t: 'makeOffer' });
    const full: StandinCall = { ...call, direction: 'in', to: identity, clientId: null, status: 'ringing', answeredAt: null, endedAt: null, endedBy: null, digits: '', held: false };
    calls.push(full);
    send(conn, 'invite', {
      callsid: full.callSid,
      sdp,
      parameters: { CallSid: full.callSid, From: full.from, To: `client:${identity}`, AccountSid: statusCallback?.accountSid ?? 'AC00000000000000000000000000000000', Params: new URLSearchParams(full.params).toString() },
    });
    void postStatus(full);
    return full;
  };

  const hangUp = (callSid: string): Promise<void> => {
    const call = calls.find((c) => c.callSid === callSid);
    if (!call) return Promise.resolve();
    const conn = connForCall(call);
    if (conn) send(conn, call.answeredAt ? 'hangup' : 'cancel', { callsid: call.callSid });
    return end(call, 'caller');
  };

  const rest: Array<{ path: string; form: Record<string, string> }> = [];
  /** The REST API the hub calls for live calls: the documented JSON answers, and what they do to the call. */
  const onRest = async (path: string, form: Record<string, string>): Promise<{ status: number; body: unknown }> => {
    rest.push({ path, form });
    const accountSid = statusCallback?.accountSid ?? '';
    const answer = voiceAnswer({ method: 'POST', path, form }, accountSid);
    if (!answer) return { status: 404, body: { code: 20404, message: 'The requested resource was not found', status: 404 } };
    const update = /\/Calls\/(CA[0-9a-zA-Z]+)\.json$/.exec(path);
    if (update) {
      const call = calls.find((c) => c.callSid === update[1]);
      if (!call) return { status: 404, body: { code: 20404, message: `The requested resource /Calls/${update[1]}.json was not found`, status: 404 } };
      const leg = liveLegOf(call.callSid);
      if (form['Status'] === 'completed') {
        if (leg) dropLeg(leg);
        call.held = false;
        end(call, 'agent');
      } else if (/<Conference\b/.test(form['Twiml'] ?? '')) {
        call.held = true;
        if (leg) dropLeg(leg);
      }
      return { status: answer.status, body: answer.body };
    }
    const joined = /\/Conferences\/([^/]+)\/Participants\.json$/.exec(path);
    if (joined) {
      const to = form['To'] ?? '';
      const client = /^client:([^?]+)(?:\?(.*))?$/.exec(to);
      const held = calls.find((c) => `hold-${c.callSid}` === joined[1] && c.endedAt === null);
      if (!client || !held) return { status: answer.status, body: answer.body };
      const leg = await invite(client[1]!, {
        callSid: sidOf(),
        from: form['From'] ?? '',
        params: Object.fromEntries(new URLSearchParams(client[2] ?? '')),
        parentSid: null,
        joins: held.callSid,
        statusUrl: form['StatusCallback'] ?? null,
      });
      held.held = false;
      return { status: answer.status, body: { ...(answer.body as object), call_sid: leg.callSid } };
    }
    return { status: answer.status, body: answer.body };
  };

  const onSignal = async (conn: SignalConn, type: string, payload: Record<string, unknown>) => {
    switch (type) {
      case 'listen': {
        const token = String(payload.token ?? '');
        tokens.push(token);
        const claims = decodeJwt(token, options.apiKeySecret);
        if (!claims) {
          send(conn, 'error', { error: { code: 31204, message: 'JWT is invalid' } });
          return;
        }
        const firstOnSocket = conn.identity === null;
        conn.identity = claims.identity;
        const ttl = firstOnSocket && options.firstTtlSeconds ? options.firstTtlSeconds : Math.max(0, claims.exp - Math.floor(Date.now() / 1000));
        send(conn, 'connected', { region: 'gll', home: 'gll', token: { identity: claims.identity, ttl } });
        return;
      }
      case 'register': {
        const audio = (payload.media as { audio?: boolean } | undefined)?.audio === true;
        if (!conn.identity) return;
        if (!audio) {
          conn.registered = false;
          send(conn, 'offline', {});
          return;
        }
        registers.set(conn.identity, (registers.get(conn.identity) ?? 0) + 1);
        if (ignore > 0) {
          ignore -= 1;
          return;
        }
        conn.registered = true;
        send(conn, 'ready', {});
        return;
      }
      case 'answer': {
        const call = calls.find((c) => c.callSid === payload.callsid);
        if (!call) return;
        call.status = 'in-progress';
        call.answeredAt = Date.now();
        const parent = calls.find((c) => c.callSid === call.parentSid);
        if (parent && parent.answeredAt === null) {
          parent.status = 'in-progress';
          parent.answeredAt = call.answeredAt;
        }
        caller?.send(JSON.stringify({ t: 'answer', sdp: String(payload.sdp) }));
        // Twilio confirms with a reconnect token: a dropped socket then resumes the call.
        send(conn, 'answer', { callsid: call.callSid, reconnect: reconnectToken(call) });
        void postStatus(call);
        return;
      }
      case 'invite': {
        if (typeof payload.reconnect === 'string') {
          // The SDK resumes a call after its socket came back: same call, same media.
          const resumed = calls.find((c) => (c.callSid === payload.callsid || c.clientId === payload.callsid) && reconnectToken(c) === payload.reconnect && c.endedAt === null);
          if (resumed) send(conn, 'answer', { callsid: resumed.callSid, reconnect: payload.reconnect });
          else send(conn, 'hangup', { callsid: payload.callsid, error: { code: 53405, message: 'The call to resume is gone.' } });
          return;
        }
        // An outgoing call from the SDK: the caller page answers it (the dialled phone picks up).
        const params = Object.fromEntries(new URLSearchParams(String((payload.twilio as { params?: string } | undefined)?.params ?? '')));
        const call: StandinCall = {
          callSid: sidOf(),
          direction: 'out',
          to: params.To ?? '',
          from: `client:${conn.identity ?? ''}`,
          clientId: String(payload.callsid),
          status: 'ringing',
          answeredAt: null,
          endedAt: null,
          endedBy: null,
          digits: '',
          params,
          parentSid: null,
          joins: null,
          statusUrl: null,
          held: false,
        };
        calls.push(call);
        send(conn, 'ringing', { callsid: call.callSid });
        void postStatus(call);
        try {
          const sdp = await askCaller({ t: 'answerOffer', sdp: String(payload.sdp) });
          call.status = 'in-progress';
          call.answeredAt = Date.now();
          send(conn, 'answer', { callsid: call.callSid, sdp, reconnect: reconnectToken(call) });
          void postStatus(call);
        } catch {
          end(call, 'caller');
          send(conn, 'hangup', { callsid: call.callSid, error: { code: 31005, message: 'The called party did not answer.' } });
        }
        return;
      }
      case 'hangup':
      case 'reject': {
        const sid = String(payload.callsid);
        const call = calls.find((c) => c.callSid === sid || c.clientId === sid);
        if (call) end(call, 'agent');
        return;
      }
      case 'dtmf': {
        const call = calls.find((c) => c.callSid === payload.callsid || c.clientId === payload.callsid);
        if (call) call.digits += String(payload.dtmf ?? '');
        return;
      }
      default:
        return;
    }
  };

  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (path.startsWith('/2010-04-01/') && req.method === 'POST') {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      req.on('end', () => {
        void onRest(path, Object.fromEntries(new URLSearchParams(body))).then(
          (answer) => res.writeHead(answer.status, { 'Content-Type': 'application/json' }).end(JSON.stringify(answer.body)),
          (e: unknown) => res.writeHead(500, { 'Content-Type': 'application/json' }).end(JSON.stringify({ code: 20500, message: String(e), status: 500 })),
        );
      });
      return;
    }
    if (path === '/caller') {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(CALLER_PAGE);
      return;
    }
    res.writeHead(404).end();
  });
  const signalWss = new WebSocketServer({ noServer: true });
  const callerWss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/signal') signalWss.handleUpgrade(req, socket, head, (ws) => signalWss.emit('connection', ws));
    else if (path === '/caller-ws') callerWss.handleUpgrade(req, socket, head, (ws) => callerWss.emit('connection', ws));
    else socket.destroy();
  });
  signalWss.on('connection', (ws: WebSocket) => {
    const conn: SignalConn = { ws, identity: null, registered: false };
    conns.add(conn);
    const beat = setInterval(() => ws.readyState === ws.OPEN && ws.send('\n'), HEARTBEAT_MS);
    ws.on('close', () => {
      clearInterval(beat);
      conns.delete(conn);
    });
    ws.on('error', () => undefined);
    ws.on('message', (data) => {
      const text = String(data);
      if (text === '\n') return;
      let frame: { type?: string; payload?: Record<string, unknown> };
      try {
        frame = JSON.parse(text) as typeof frame;
      } catch {
        return;
      }
      if (typeof frame.type === 'string') void onSignal(conn, frame.type, frame.payload ?? {});
    });
  });
  callerWss.on('connection', (ws: WebSocket) => {
    caller = ws;
    ws.on('message', (data) => {
      const msg = JSON.parse(String(data)) as { t: string; id: string; sdp: string };
      callerWaiters.get(msg.id)?.(msg.sdp);
      callerWaiters.delete(msg.id);
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const host = `127.0.0.1:${port}`;

  return {
    host,
    url: `http://${host}`,
    callerPageUrl: `http://${host}/caller`,
    tokens,
    calls,
    rest,
    registerCount: (identity) => registers.get(identity) ?? 0,
    isRegistered: (identity) => connOf(identity) !== null,
    registered: () => [...new Set([...conns].filter((c) => c.registered && c.identity).map((c) => c.identity!))],
    setStatusCallback(cb) {
      statusCallback = cb;
    },
    ignoreRegisters(n) {
      ignore = n;
    },
    dropSockets() {
      for (const c of conns) c.ws.terminate();
    },
    socketCount: () => conns.size,
    ring(identity, from, params) {
      return invite(identity, { callSid: sidOf(), from, params, parentSid: null, joins: null, statusUrl: null });
    },
    async ringThroughHub(from) {
      const cb = statusCallback;
      if (!cb) throw new Error('ringThroughHub needs the hub (setStatusCallback) first.');
      const url = cb.url.replace(/\/voice\/status$/, '/voice/incoming');
      const callSid = sidOf();
      const params = { AccountSid: cb.accountSid, ApiVersion: '2010-04-01', CallSid: callSid, CallStatus: 'ringing', Direction: 'inbound', From: from, To: '+14155550100', Caller: from, Called: '+14155550100' };
      const signature = twilio.getExpectedTwilioSignature(cb.authToken, url, params);
      const res = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Twilio-Signature': signature }, body: new URLSearchParams(params).toString() });
      let twiml = await res.text();
      if (!res.ok) throw new Error(`/voice/incoming answered ${res.status}: ${twiml}`);
      // An IVR in front: the caller presses 0 (an agent), as Twilio posts a <Gather>'s digits to its action.
      for (let step = 0; step < 3; step++) {
        const action = /<Gather\b[^>]*\baction="([^"]+)"/.exec(twiml)?.[1]?.replace(/&amp;/g, '&');
        if (!action) break;
        const gathered = { ...params, Digits: '0' };
        const res2 = await fetch(action, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Twilio-Signature': twilio.getExpectedTwilioSignature(cb.authToken, action, gathered) }, body: new URLSearchParams(gathered).toString() });
        twiml = await res2.text();
        if (!res2.ok) throw new Error(`${action} answered ${res2.status}: ${twiml}`);
      }
      const client = /<Client\b[^>]*>([\s\S]*?)<\/Client>/.exec(twiml)?.[1];
      const identity = client ? (/<Identity>([^<]+)<\/Identity>/.exec(client)?.[1] ?? client.replace(/<[^>]+>/g, '').trim()) : null;
      if (!identity) return { call: null, twiml };
      const custom = Object.fromEntries([...(client ?? '').matchAll(/<Parameter\s+name="([^"]+)"\s+value="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));
      if (!connOf(identity)) throw new Error(`The hub dialled ${identity}, which is not registered with the stand-in.`);
      // The caller's call (the hub's record) and the agent's leg of it, as Twilio's <Dial><Client> makes them.
      const parent: StandinCall = { callSid, direction: 'in', to: '+14155550100', from, clientId: null, status: 'ringing', answeredAt: null, endedAt: null, endedBy: null, digits: '', params: {}, parentSid: null, joins: null, statusUrl: null, held: false };
      calls.push(parent);
      const call = await invite(identity, { callSid: sidOf(), from, params: custom, parentSid: callSid, joins: null, statusUrl: null });
      return { call, twiml };
    },
    hangUpFromCaller(callSid) {
      void hangUp(callSid);
    },
    async endAllCalls() {
      await Promise.all(calls.filter((c) => c.endedAt === null).map((c) => hangUp(c.callSid)));
    },
    async waitForOutgoing(timeoutMs = 20_000) {
      const started = Date.now();
      for (;;) {
        const call = [...calls].reverse().find((c) => c.direction === 'out' && c.answeredAt !== null);
        if (call) return call;
        if (Date.now() - started > timeoutMs) throw new Error('No outgoing call was answered.');
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async close() {
      for (const c of conns) c.ws.terminate();
      caller?.terminate();
      signalWss.close();
      callerWss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
