// Facebook Messenger and Instagram DMs through Meta: the webhook (GET verification, POST signed
// with X-Hub-Signature-256 over the raw body), public comments as complaint tickets, and Graph API
// sends for both. Only text: attachments arrive as a note naming their type.
import { createHmac } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { say } from '../../shared/serverErrors';
import type { ChannelSender, DeliveryOutcome, HubContext, OutboundMessage } from '../services';
import type { ChannelStore } from './channelStore';
import type { ChannelsConfig } from './config';
import { ChannelHttpError, parseJson, readBody, requireMediaType, requireMethod, sameSecret, sendText } from './http';
import { publicAcknowledgment, publicComplaintSubject, type Arrival, type ChannelPipeline } from './pipeline';

export const META_PATH = '/webhooks/meta';

const Id = z.union([z.string().min(1).max(128), z.number().transform(String)]);

const MessagingEvent = z.object({
  sender: z.object({ id: Id }),
  recipient: z.object({ id: Id }),
  timestamp: z.number().optional(),
  message: z
    .object({
      mid: z.string().min(1).max(512),
      text: z.string().max(20_000).optional(),
      is_echo: z.boolean().optional(),
      attachments: z.array(z.object({ type: z.string() }).loose()).optional(),
    })
    .loose()
    .optional(),
});

const Change = z.object({ field: z.string(), value: z.record(z.string(), z.unknown()) });

const Envelope = z.object({
  object: z.string(),
  entry: z.array(
    z.object({
      id: Id,
      time: z.number().optional(),
      messaging: z.array(z.unknown()).optional(),
      changes: z.array(z.unknown()).optional(),
    }),
  ),
});

const FeedComment = z.object({
  item: z.literal('comment'),
  verb: z.literal('add'),
  comment_id: Id,
  post_id: Id.optional(),
  message: z.string().max(20_000).default(''),
  from: z.object({ id: Id, name: z.string().optional() }),
});

const InstagramComment = z.object({
  id: Id,
  text: z.string().max(20_000).default(''),
  from: z.object({ id: Id, username: z.string().optional() }),
});

const InstagramMention = z.object({ comment_id: Id, media_id: Id.optional() });

/** `sha256=` + the hex HMAC-SHA256 of the raw body with the app secret, as Meta signs. */
export function metaSignature(appSecret: string, rawBody: Buffer | string): string {
  return `sha256=${createHmac('sha256', appSecret).update(rawBody).digest('hex')}`;
}

export interface MetaChannel {
  handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void>;
  sender: ChannelSender;
}

export function createMetaChannel(ctx: HubContext, config: ChannelsConfig['meta'], store: ChannelStore, pipeline: ChannelPipeline): MetaChannel {
  function verify(res: ServerResponse, url: URL): void {
    const mode = url.searchParams.get('hub.mode');
    const token = url.searchParams.get('hub.verify_token') ?? '';
    const challenge = url.searchParams.get('hub.challenge');
    if (mode !== 'subscribe' || challenge === null || !sameSecret(token, config.verifyToken)) {
      throw new ChannelHttpError(403, 'channels/verification-refused', 'The verification request does not carry this hub’s verify token.');
    }
    sendText(res, 200, 'text/plain; charset=utf-8', challenge);
  }

  async function receive(req: IncomingMessage, res: ServerResponse): Promise<void> {
    requireMediaType(req, ['application/json']);
    const body = await readBody(req, ctx.config.maxBodyBytes);
    const signature = req.headers['x-hub-signature-256'];
    if (typeof signature !== 'string' || !sameSecret(signature, metaSignature(config.appSecret, body))) {
      throw new ChannelHttpError(403, 'channels/bad-signature', 'The X-Hub-Signature-256 header is missing or does not match the body; it was not accepted.');
    }
    const parsed = Envelope.safeParse(parseJson(body));
    if (!parsed.success) throw new ChannelHttpError(400, 'channels/malformed-body', 'The body is not a Meta webhook notification (object and entry[] expected).');
    const channel = parsed.data.object === 'page' ? 'messenger' : parsed.data.object === 'instagram' ? 'instagram' : null;
    // Every arrival is committed (or archived) before the 200; a failure answers 500 and Meta retries.
    if (channel) for (const entry of parsed.data.entry) for (const arrival of arrivals(channel, entry)) pipeline.receive(arrival);
    sendText(res, 200, 'text/plain; charset=utf-8', 'EVENT_RECEIVED');
  }

  function arrivals(channel: 'messenger' | 'instagram', entry: z.infer<typeof Envelope>['entry'][number]): Arrival[] {
    const out: Arrival[] = [];
    const now = ctx.now();
    for (const raw of entry.messaging ?? []) {
      const event = MessagingEvent.safeParse(raw);
      // Delivery and read receipts, postbacks and reactions carry no message: nothing for an agent.
      if (!event.success || !event.data.message) continue;
      const { sender, message, timestamp } = event.data;
      // Our own sends come back as echoes; a message from the page itself is never a customer's.
      if (message.is_echo || sender.id === entry.id) continue;
      const attachments = (message.attachments ?? []).map((a) => `[${a.type} attachment]`);
      out.push({
        inbound: {
          channel,
          providerId: message.mid,
          threadKey: `${entry.id}:${sender.id}`,
          contact: { address: sender.id },
          text: [message.text ?? '', ...attachments].filter((s) => s !== '').join('\n'),
          receivedAt: timestamp ?? now,
          metadata: { pageId: entry.id },
        },
        sender: sender.id,
        raw: JSON.stringify(raw),
        route: { channel, recipient: sender.id, commentId: null, isPublic: false },
        autoReply: true,
      });
    }
    for (const raw of entry.changes ?? []) {
      const change = Change.safeParse(raw);
      if (!change.success) continue;
      const post = publicPost(channel, change.data, entry.id);
      if (!post) continue;
      out.push({
        inbound: {
          channel,
          providerId: post.commentId,
          threadKey: `comment:${post.commentId}`,
          contact: { address: post.authorId, displayName: post.authorName },
          text: post.text,
          receivedAt: now,
          isPublic: true,
          subject: publicComplaintSubject(channel, post.kind),
          suggestedReply: publicAcknowledgment(channel, post.authorName),
          metadata: { pageId: entry.id, commentId: post.commentId, suggestion: 'Answer in a private message; the public reply only acknowledges.' },
        },
        sender: post.authorId,
        raw: JSON.stringify(raw),
        route: { channel, recipient: post.authorId, commentId: post.commentId, isPublic: true },
        autoReply: false,
      });
    }
    return out;
  }

  const sender: ChannelSender = {
    channels: ['messenger', 'instagram'],
    async deliver(out: OutboundMessage): Promise<DeliveryOutcome> {
      const route = store.route(out.conversation.id);
      // A public comment is answered privately: Meta's private reply names the comment.
      const recipient = route?.isPublic && route.commentId ? { comment_id: route.commentId } : { id: route?.recipient ?? out.conversation.contact.address };
      const endpoint = `${config.graphBaseUrl.replace(/\/+$/, '')}/${config.graphVersion}/me/messages`;
      let response: Response;
      try {
        response = await fetch(endpoint, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${config.pageAccessToken}` },
          body: JSON.stringify({ recipient, messaging_type: 'RESPONSE', message: { text: out.message.text } }),
          signal: AbortSignal.timeout(15_000),
        });
      } catch (e) {
        return { status: 'failed', detail: say('metaUnreachable', { error: e instanceof Error ? e.message : String(e) }), retry: true };
      }
      const answer = (await response.json().catch(() => null)) as { message_id?: unknown; error?: { message?: unknown; code?: unknown } } | null;
      if (response.ok && typeof answer?.message_id === 'string') return { status: 'sent', providerId: answer.message_id };
      const reason = typeof answer?.error?.message === 'string' ? answer.error.message : `HTTP ${response.status}`;
      // Graph's throttling codes (4, 17, 32, 613) and server errors pass; the rest need a person.
      const transient = response.status === 429 || response.status >= 500 || [2, 4, 17, 32, 613].includes(Number(answer?.error?.code));
      return { status: 'failed', detail: say('metaRefused', { reason }), retry: transient };
    },
  };

  return {
    sender,
    async handle(req, res, url) {
      requireMethod(req, ['GET', 'POST']);
      if (req.method === 'GET') verify(res, url);
      else await receive(req, res);
    },
  };
}

interface PublicPost {
  kind: 'comment' | 'mention';
  commentId: string;
  authorId: string;
  authorName: string | null;
  text: string;
}

/** A visitor's comment on the page's feed or the account's media, or a mention of the account. */
function publicPost(channel: 'messenger' | 'instagram', change: z.infer<typeof Change>, ownId: string): PublicPost | null {
  if (channel === 'messenger' && change.field === 'feed') {
    const c = FeedComment.safeParse(change.value);
    if (!c.success || c.data.from.id === ownId) return null;
    return { kind: 'comment', commentId: c.data.comment_id, authorId: c.data.from.id, authorName: c.data.from.name ?? null, text: c.data.message };
  }
  if (channel === 'instagram' && (change.field === 'comments' || change.field === 'live_comments')) {
    const c = InstagramComment.safeParse(change.value);
    if (!c.success || c.data.from.id === ownId) return null;
    return { kind: 'comment', commentId: c.data.id, authorId: c.data.from.id, authorName: c.data.from.username ?? null, text: c.data.text };
  }
  if (channel === 'instagram' && change.field === 'mentions') {
    // Meta sends only ids for a mention; the agent opens it on Instagram to read it.
    const m = InstagramMention.safeParse(change.value);
    if (!m.success) return null;
    return { kind: 'mention', commentId: m.data.comment_id, authorId: `mention:${m.data.comment_id}`, authorName: null, text: 'Mentioned us in an Instagram comment.' };
  }
  return null;
}
