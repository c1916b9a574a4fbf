// The visitors' WebSocket endpoint: hello (optionally resuming a conversation with its token, or
// claiming a signed in-app identity), messages stored once per client id, typing both ways, CSAT,
// offline messages that become email tickets, and agent replies pushed to every open tab.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { HubAttachment, HubConversation, HubMessage } from '../../shared/hub/agentProtocol';
import {
  describeFrameIssues,
  VisitorFrame,
  type HubToVisitorFrame,
  type UserClaim,
  type WidgetMessage,
  type WidgetOrgInfo,
} from '../../shared/hub/widgetProtocol';
import { isOpen, parseCalendar, type BusinessCalendar } from '../../shared/time';
import { isRichMessage, renderMarkdown } from '../../shared/composer/richText';
import type { Channel } from '../../shared/domain';
import type { ChannelSender, ConversationObserver, DeliveryOutcome, HubContext, InboundContact, OutboundMessage } from '../services';
import type { WidgetConfig, WidgetOrg } from './config';
import { hashToken, newToken, randomId, verifyUserHash } from './identity';
import type { WidgetStore } from './widgetStore';

/** Close codes: 1008 policy (bad or unauthenticated frames), 1001 going away (hub stops). */
const POLICY = 1008;
const HELLO_TIMEOUT_MS = 15_000;
const MAX_BAD_FRAMES = 5;
const HISTORY_PAGE = 200;
const HISTORY_MAX = 5_000;
const HEARTBEAT_MS = 30_000;

interface Identity {
  channel: 'chat' | 'in_app';
  contact: InboundContact;
  accountId: string | null;
}

interface Visitor {
  ws: WebSocket;
  org: string;
  orgConfig: WidgetOrg;
  visitorId: string | null;
  identity: Identity | null;
  page: string | null;
  conversationId: number | null;
  /** Message ids already pushed on this socket (and whether the push went out): the sender and the observer both announce agent messages. */
  pushed: Map<number, Promise<boolean>>;
  typing: boolean;
  /** Answered the last ping: a tab whose network vanished is cut off, so replies count as "sent", not "delivered". */
  alive: boolean;
  badFrames: number;
  helloTimer: NodeJS.Timeout | null;
}

/** `channel`: the conversation's; an agent's message on a rich channel (in-app) carries its Markdown rendered. */
export function toWidgetMessage(m: HubMessage, clientId: string | null = null, channel: Channel | null = null): WidgetMessage {
  const from = m.direction === 'in' ? 'visitor' : m.authorType === 'agent' ? 'agent' : 'system';
  return {
    id: m.id,
    from,
    authorName: m.authorName,
    text: m.text,
    ...(channel !== null && isRichMessage({ channel, direction: m.direction, authorType: m.authorType }) ? { html: renderMarkdown(m.text) } : {}),
    attachments: m.attachments.map((a) => ({ name: a.name, contentType: a.contentType, size: a.size, url: a.url })),
    createdAt: m.createdAt,
    clientId,
  };
}

export interface VisitorGateway {
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, org: string): void;
  sender: ChannelSender;
  observer: ConversationObserver;
  close(): Promise<void>;
}

export function createVisitorGateway(ctx: HubContext, config: WidgetConfig, store: WidgetStore): VisitorGateway {
  const wss = new WebSocketServer({ noServer: true, maxPayload: config.maxFrameBytes, perMessageDeflate: false });
  const byConversation = new Map<number, Set<Visitor>>();
  const calendars = new Map<string, BusinessCalendar | null>();
  const buckets = new Map<string, { tokens: number; at: number }>();
  const visitors = new Set<Visitor>();
  const heartbeat = setInterval(() => {
    for (const v of visitors) {
      if (!v.alive) {
        v.ws.terminate();
        continue;
      }
      v.alive = false;
      v.ws.ping();
    }
  }, HEARTBEAT_MS);
  heartbeat.unref?.();

  for (const [org, o] of Object.entries(config.orgs)) {
    if (!o.businessHours) {
      calendars.set(org, null);
      continue;
    }
    const parsed = parseCalendar(o.businessHours);
    if (!parsed.ok) throw new Error(`widget.orgs.${org}.businessHours: ${parsed.error.message}`);
    calendars.set(org, parsed.value);
  }

  function orgInfo(org: string, o: WidgetOrg): WidgetOrgInfo {
    const calendar = calendars.get(org) ?? null;
    return { name: o.name, greeting: o.greeting, accentColor: o.accentColor, online: calendar ? isOpen(calendar, ctx.now()) : true };
  }

  function sendNow(v: Visitor, text: string): Promise<boolean> {
    if (v.ws.readyState !== v.ws.OPEN) return Promise.resolve(false);
    return new Promise((resolve) => v.ws.send(text, (err) => resolve(!err)));
  }

  /**
   * Sends a frame once what is uncommitted now has committed (at once when nothing is), in order.
   * If that commit fails: 'send' it anyway (it states nothing stored), 'drop' it (it reports a
   * change that was lost), send another frame instead (the error saying so), or run a function.
   */
  function send(v: Visitor, frame: HubToVisitorFrame, onFailure: 'send' | 'drop' | HubToVisitorFrame | (() => void) = 'send'): Promise<boolean> {
    const text = JSON.stringify(frame);
    return new Promise((resolve) => {
      ctx.conversations.afterCommit(
        () => void sendNow(v, text).then(resolve),
        () => {
          if (onFailure === 'send') return void sendNow(v, text).then(resolve);
          if (typeof onFailure === 'function') onFailure();
          else if (onFailure !== 'drop') void sendNow(v, JSON.stringify(onFailure));
          resolve(false);
        },
      );
    });
  }

  /** Closes after the frames queued before it (and their commit). */
  function close(v: Visitor, code: number, reason: string): void {
    const now = () => v.ws.close(code, reason);
    ctx.conversations.afterCommit(now, now);
  }

  function notStored(message: string, clientId: string | null = null): HubToVisitorFrame {
    return { t: 'error', error: { code: 'widget/not-stored', message }, clientId };
  }

  function fail(v: Visitor, code: string, message: string, clientId: string | null = null): void {
    void send(v, { t: 'error', error: { code, message }, clientId });
  }

  function bind(v: Visitor, conversationId: number): void {
    if (v.conversationId === conversationId) return;
    unbind(v);
    v.conversationId = conversationId;
    let set = byConversation.get(conversationId);
    if (!set) byConversation.set(conversationId, (set = new Set()));
    set.add(v);
  }

  function unbind(v: Visitor): void {
    if (v.conversationId === null) return;
    if (v.typing) {
      v.typing = false;
      safely(() => ctx.conversations.visitorTyping(v.conversationId!, false));
    }
    const set = byConversation.get(v.conversationId);
    set?.delete(v);
    if (set?.size === 0) byConversation.delete(v.conversationId);
    v.conversationId = null;
  }

  function safely(fn: () => void): void {
    try {
      fn();
    } catch (e) {
      ctx.log.error('widget: a hub call failed', e);
    }
  }

  /** `stored`: the message is committed already (a delivery), so it goes out whatever happens to the open changes. */
  function pushMessage(v: Visitor, message: WidgetMessage, stored = true): Promise<boolean> {
    const earlier = v.pushed.get(message.id);
    if (earlier) return earlier;
    const sent = send(v, { t: 'msg', message }, stored ? 'send' : 'drop');
    markPushed(v, message.id, sent);
    // Not pushed (its commit failed, or the tab is gone): a later push of this id may try again.
    void sent.then((ok) => {
      if (!ok && v.pushed.get(message.id) === sent) v.pushed.delete(message.id);
    });
    return sent;
  }

  function markPushed(v: Visitor, id: number, sent: Promise<boolean> = Promise.resolve(true)): void {
    v.pushed.set(id, sent);
    if (v.pushed.size > 2000) v.pushed.delete(v.pushed.keys().next().value!);
  }

  /** A token bucket per visitor: `messagesPerMinute`, with that many in a burst. */
  function allow(visitorId: string): boolean {
    const now = ctx.now();
    const perMs = config.messagesPerMinute / 60_000;
    const b = buckets.get(visitorId) ?? { tokens: config.messagesPerMinute, at: now };
    b.tokens = Math.min(config.messagesPerMinute, b.tokens + Math.max(0, now - b.at) * perMs);
    b.at = now;
    buckets.set(visitorId, b);
    if (buckets.size > 50_000) {
      for (const [key, value] of buckets) if (now - value.at > 120_000) buckets.delete(key);
    }
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }

  function identityFor(visitorId: string, o: WidgetOrg, user: UserClaim | null | undefined): Identity {
    if (user && verifyUserHash(o.identitySecret, user.id, user.hash)) {
      return {
        channel: 'in_app',
        accountId: user.id,
        contact: { address: user.id, displayName: user.name ?? null, email: user.email ?? null, verifiedAccountId: user.id },
      };
    }
    // An unverified claim is dropped whole: the visitor is anonymous, and learns nothing about why.
    return { channel: 'chat', accountId: null, contact: { address: visitorId, displayName: 'Website visitor' } };
  }

  function history(conversationId: number, after: number): WidgetMessage[] {
    const out: WidgetMessage[] = [];
    const channel = store.conversation(conversationId)?.channel ?? null;
    let cursor = after;
    while (out.length < HISTORY_MAX) {
      const page = ctx.conversations.messagesAfter(conversationId, cursor, HISTORY_PAGE);
      for (const m of page) if (m.direction !== 'internal') out.push(toWidgetMessage(m, null, channel));
      if (page.length < HISTORY_PAGE) break;
      cursor = page[page.length - 1]!.id;
    }
    return out;
  }

  function onHello(v: Visitor, f: Extract<VisitorFrame, { t: 'hello' }>): void {
    v.visitorId = f.visitorId;
    v.page = f.page ?? null;
    v.identity = identityFor(f.visitorId, v.orgConfig, f.user);
    let conversation: { id: number; resolved: boolean; askCsat: boolean } | null = null;
    let resumeRefused = false;
    let messages: WidgetMessage[] = [];
    if (f.resume) {
      const owned = store.conversationForToken(hashToken(f.resume.token));
      const row = owned === f.resume.conversationId ? store.conversation(owned) : null;
      const hubConversation = row ? ctx.conversations.conversation(row.conversationId) : null;
      if (row && hubConversation && row.org === v.org) {
        bind(v, row.conversationId);
        const resolved = hubConversation.status === 'resolved';
        conversation = { id: row.conversationId, resolved, askCsat: resolved && row.csatAt === null };
        messages = history(row.conversationId, f.lastMessageId);
        for (const m of messages) markPushed(v, m.id);
      } else {
        resumeRefused = true;
      }
    }
    // The history may include messages not committed yet: if they are lost, the tab reconnects.
    void send(v, { t: 'welcome', org: orgInfo(v.org, v.orgConfig), conversation, resumeRefused, messages, serverTime: ctx.now() }, () =>
      v.ws.close(1011, 'please reconnect'),
    );
  }

  function onMessage(v: Visitor, f: Extract<VisitorFrame, { t: 'msg' }>): void {
    const visitorId = v.visitorId!;
    const identity = v.identity!;
    if (!allow(visitorId)) {
      fail(v, 'widget/rate-limited', 'You are sending messages too quickly. Wait a moment; your message was kept.', f.clientId);
      return;
    }
    const attachments: HubAttachment[] = [];
    for (const id of f.uploads) {
      const upload = store.upload(id);
      if (!upload || upload.org !== v.org || upload.visitorId !== visitorId || (upload.conversationId !== null && upload.conversationId !== v.conversationId)) {
        fail(v, 'widget/upload-unknown', 'A file you attached is no longer available. Please attach it again.', f.clientId);
        return;
      }
      attachments.push({ name: upload.name, contentType: upload.contentType, size: upload.size, url: `/widget/files/${upload.id}` });
    }

    // One thread per visitor conversation: a message after the agent resolved it reopens it (the core's rule).
    const current = v.conversationId !== null ? store.conversation(v.conversationId) : null;
    const threadKey = current ? current.threadKey : `widget:${randomId()}`;
    const wasResolved = current !== null && ctx.conversations.conversation(current.conversationId)?.status === 'resolved';

    // The message, the widget's row for its conversation, a new resume token and the uploads'
    // binding commit together (one transaction, one commit), or none of them does.
    let result: ReturnType<typeof ctx.conversations.ingestInbound> & { foreign?: true };
    let token: string | null = null;
    try {
      result = ctx.conversations.transaction(() => {
        const ingested = ctx.conversations.ingestInbound({
          channel: identity.channel,
          providerId: `${visitorId}:${f.clientId}`,
          threadKey,
          contact: identity.contact,
          text: f.text,
          attachments,
          receivedAt: ctx.now(),
          subject: f.text.trim().slice(0, 80) || 'Website chat',
          metadata: { visitorId, org: v.org, page: v.page },
        });
        if (ingested.duplicate) {
          // A resend: the conversation must be this visitor's own (client ids are never shown to others).
          const row = store.conversation(ingested.conversationId);
          if (!row || row.visitorId !== visitorId) return { ...ingested, foreign: true as const };
        } else {
          store.recordConversation({
            conversationId: ingested.conversationId,
            threadKey,
            org: v.org,
            visitorId,
            channel: identity.channel,
            accountId: identity.accountId,
            createdAt: ctx.now(),
          });
        }
        if (wasResolved && ingested.conversationId === current?.conversationId && !ingested.duplicate) store.clearCsat(ingested.conversationId);
        if (v.conversationId !== ingested.conversationId) {
          token = newToken();
          store.addToken(hashToken(token), ingested.conversationId, ctx.now());
        }
        if (f.uploads.length) store.bindUploads(f.uploads, ingested.conversationId);
        return ingested;
      });
    } catch (e) {
      ctx.log.error('widget: a visitor message could not be stored', e);
      fail(v, 'widget/not-stored', 'Your message could not be delivered just now. It will be sent again.', f.clientId);
      return;
    }
    if (result.foreign) {
      fail(v, 'widget/bad-frame', 'This message id was already used. Reload the page to continue.', f.clientId);
      return;
    }
    if (token !== null) bind(v, result.conversationId);

    const stored = ctx.conversations.messagesAfter(result.conversationId, result.messageId - 1, 1)[0];
    const message: WidgetMessage =
      stored && stored.id === result.messageId
        ? toWidgetMessage(stored, f.clientId)
        : { id: result.messageId, from: 'visitor', authorName: identity.contact.displayName ?? 'You', text: f.text, attachments, createdAt: ctx.now(), clientId: f.clientId };
    markPushed(v, message.id);
    // Acknowledged once committed; if that commit fails, the tab is told and sends it again (the
    // lost message's id may be given to another message, so it is not marked as shown).
    void send(v, { t: 'ack', clientId: f.clientId, message, conversationId: result.conversationId, token, duplicate: result.duplicate }, () => {
      v.pushed.delete(message.id);
      void send(v, notStored('Your message could not be delivered just now. It will be sent again.', f.clientId));
    });
    // Other open tabs of the same visitor show it too.
    for (const other of byConversation.get(result.conversationId) ?? []) if (other !== v) void pushMessage(other, message, false);
  }

  function onLeaveMessage(v: Visitor, f: Extract<VisitorFrame, { t: 'leaveMessage' }>): void {
    const visitorId = v.visitorId!;
    if (!allow(visitorId)) {
      fail(v, 'widget/rate-limited', 'You are sending messages too quickly. Wait a moment; your message was kept.', f.clientId);
      return;
    }
    try {
      const result = ctx.conversations.ingestInbound({
        channel: 'email',
        providerId: `widget-offline:${visitorId}:${f.clientId}`,
        threadKey: `widget-offline:${visitorId}:${f.clientId}`,
        contact: { address: f.email.toLowerCase(), displayName: f.name, email: f.email.toLowerCase() },
        text: f.text,
        receivedAt: ctx.now(),
        subject: `Message left on the website chat by ${f.name}`,
        metadata: { visitorId, org: v.org, page: v.page, via: 'widget-offline' },
      });
      void send(v, { t: 'leftMessage', clientId: f.clientId, ticketId: result.conversationId }, notStored('Your message could not be sent just now. Please try again.', f.clientId));
    } catch (e) {
      ctx.log.error('widget: an offline message could not be stored', e);
      fail(v, 'widget/not-stored', 'Your message could not be sent just now. Please try again.', f.clientId);
    }
  }

  function onCsat(v: Visitor, f: Extract<VisitorFrame, { t: 'csat' }>): void {
    const conversationId = v.conversationId;
    if (conversationId === null) {
      fail(v, 'widget/no-conversation', 'There is no chat to rate yet.');
      return;
    }
    if (ctx.conversations.conversation(conversationId)?.status !== 'resolved') {
      fail(v, 'widget/not-resolved', 'You can rate the chat once it has ended.');
      return;
    }
    if (store.conversation(conversationId)?.csatAt != null) {
      fail(v, 'widget/csat-already', 'You already rated this chat. Thank you!');
      return;
    }
    const comment = f.comment?.trim() || null;
    // Recorded and marked in one transaction (one commit): no second rating can slip in between.
    try {
      ctx.conversations.transaction(() => {
        ctx.conversations.recordCsat(conversationId, f.rating, comment);
        store.markCsat(conversationId, ctx.now());
      });
    } catch (e) {
      ctx.log.error('widget: a rating could not be stored', e);
      fail(v, 'widget/not-stored', 'Your rating could not be saved just now. Please try again.');
      return;
    }
    for (const tab of byConversation.get(conversationId) ?? []) {
      void send(tab, { t: 'csatThanks', conversationId }, tab === v ? notStored('Your rating could not be saved just now. Please try again.') : 'drop');
    }
  }

  function onFrame(v: Visitor, data: RawData, isBinary: boolean): void {
    let raw: unknown;
    try {
      if (isBinary) throw new Error('binary');
      raw = JSON.parse(String(data));
    } catch {
      badFrame(v, 'Frames must be JSON text.');
      return;
    }
    const parsed = VisitorFrame.safeParse(raw);
    if (!parsed.success) {
      const clientId = typeof raw === 'object' && raw !== null && 'clientId' in raw && typeof raw.clientId === 'string' ? raw.clientId.slice(0, 64) : null;
      badFrame(v, `The frame is not valid: ${describeFrameIssues(parsed.error)}.`, clientId);
      return;
    }
    const f = parsed.data;
    if (v.visitorId === null) {
      if (f.t !== 'hello') {
        close(v, POLICY, 'say hello first');
        return;
      }
      if (v.helloTimer) clearTimeout(v.helloTimer);
      v.helloTimer = null;
      onHello(v, f);
      return;
    }
    switch (f.t) {
      case 'hello':
        badFrame(v, 'This connection has already said hello.');
        return;
      case 'msg':
        onMessage(v, f);
        return;
      case 'typing':
        if (v.conversationId !== null && f.typing !== v.typing) {
          v.typing = f.typing;
          const id = v.conversationId;
          safely(() => ctx.conversations.visitorTyping(id, f.typing));
        }
        return;
      case 'csat':
        onCsat(v, f);
        return;
      case 'leaveMessage':
        onLeaveMessage(v, f);
        return;
      case 'ping':
        void send(v, { t: 'pong', serverTime: ctx.now() });
        return;
    }
  }

  function badFrame(v: Visitor, message: string, clientId: string | null = null): void {
    v.badFrames += 1;
    if (v.badFrames > MAX_BAD_FRAMES || v.visitorId === null) {
      close(v, POLICY, 'too many invalid frames');
      return;
    }
    fail(v, 'widget/bad-frame', message, clientId);
  }

  function accept(ws: WebSocket, org: string): void {
    const v: Visitor = {
      ws,
      org,
      orgConfig: config.orgs[org]!,
      visitorId: null,
      identity: null,
      page: null,
      conversationId: null,
      pushed: new Map(),
      typing: false,
      alive: true,
      badFrames: 0,
      helloTimer: setTimeout(() => ws.close(POLICY, 'no hello'), HELLO_TIMEOUT_MS),
    };
    ws.on('message', (data, isBinary) => {
      try {
        onFrame(v, data, isBinary);
      } catch (e) {
        ctx.log.error('widget: a visitor frame failed', e);
        fail(v, 'internal', 'Something went wrong on our side. Please try again.');
      }
    });
    ws.on('pong', () => (v.alive = true));
    visitors.add(v);
    ws.on('close', () => {
      visitors.delete(v);
      if (v.helloTimer) clearTimeout(v.helloTimer);
      unbind(v);
    });
    ws.on('error', () => ws.terminate());
  }

  async function pushToConversation(conversationId: number, message: WidgetMessage, stored = true): Promise<boolean> {
    const tabs = [...(byConversation.get(conversationId) ?? [])];
    const results = await Promise.all(tabs.map((v) => pushMessage(v, message, stored)));
    return results.some(Boolean);
  }

  const sender: ChannelSender = {
    channels: ['chat', 'in_app'],
    async deliver(out: OutboundMessage): Promise<DeliveryOutcome> {
      if (out.message.direction === 'internal') return { status: 'sent', detail: 'Internal notes are not sent to the visitor.' };
      const reached = await pushToConversation(out.conversation.id, toWidgetMessage(out.message, null, out.conversation.channel));
      // Not connected: the visitor's widget fetches it with messagesAfter on its next resume.
      return reached ? { status: 'delivered' } : { status: 'sent', detail: 'The visitor is not connected; they will see it when they come back.' };
    },
  };

  const observer: ConversationObserver = {
    agentMessage(conversation: HubConversation, message: HubMessage) {
      if (message.direction === 'internal' || !byConversation.has(conversation.id)) return;
      // Just stored, maybe not committed yet: not shown if its commit fails.
      void pushToConversation(conversation.id, toWidgetMessage(message, null, conversation.channel), false);
    },
    agentTyping(conversationId: number, agentName: string, typing: boolean) {
      for (const v of byConversation.get(conversationId) ?? []) void send(v, { t: 'typing', agentName, typing });
    },
    resolved(conversation: HubConversation) {
      for (const v of byConversation.get(conversation.id) ?? []) void send(v, { t: 'resolved', conversationId: conversation.id }, 'drop');
    },
  };

  return {
    handleUpgrade(req, socket, head, org) {
      wss.handleUpgrade(req, socket, head, (ws) => accept(ws, org));
    },
    sender,
    observer,
    async close() {
      clearInterval(heartbeat);
      for (const ws of wss.clients) ws.close(1001, 'hub stopping');
      // A visitor that does not answer the close handshake is cut off rather than waited for.
      const cut = setTimeout(() => {
        for (const ws of wss.clients) ws.terminate();
      }, 1000);
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      clearTimeout(cut);
    },
  };
}
