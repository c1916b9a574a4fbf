// X DMs through the Account Activity API: the CRC challenge, POSTs signed with
// x-twitter-webhooks-signature over the raw body, mentions as public complaint tickets, and
// sends through the v2 DM endpoint with a bearer token. Text only.
import { createHmac } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { say } from '../../shared/serverErrors';
import type { ChannelSender, DeliveryOutcome, HubContext, OutboundMessage } from '../services';
import type { ChannelStore } from './channelStore';
import type { ChannelsConfig } from './config';
import { ChannelHttpError, parseJson, readBody, requireMediaType, requireMethod, sameSecret, sendJson } from './http';
import { publicAcknowledgment, publicComplaintSubject, type Arrival, type ChannelPipeline } from './pipeline';

export const X_PATH = '/webhooks/x';

/** `sha256=` + base64 HMAC-SHA256 with the consumer secret: the CRC answer and the POST signature alike. */
export function xSignature(consumerSecret: string, data: Buffer | string): string {
  return `sha256=${createHmac('sha256', consumerSecret).update(data).digest('base64')}`;
}

const DmEvent = z.object({
  type: z.literal('message_create'),
  id: z.string().min(1).max(64),
  created_timestamp: z.string().optional(),
  message_create: z.object({
    sender_id: z.string().min(1),
    target: z.object({ recipient_id: z.string() }).optional(),
    message_data: z.object({ text: z.string().max(20_000).default('') }).loose(),
  }),
});

const Tweet = z.object({
  id_str: z.string().min(1).max(64),
  text: z.string().max(20_000).default(''),
  user: z.object({ id_str: z.string().min(1), name: z.string().optional(), screen_name: z.string().optional() }),
  in_reply_to_user_id_str: z.string().nullable().optional(),
  entities: z.object({ user_mentions: z.array(z.object({ id_str: z.string() }).loose()).default([]) }).loose().optional(),
  retweeted_status: z.unknown().optional(),
});

const Envelope = z.object({
  for_user_id: z.string().optional(),
  direct_message_events: z.array(z.unknown()).optional(),
  tweet_create_events: z.array(z.unknown()).optional(),
  users: z.record(z.string(), z.object({ name: z.string().optional(), screen_name: z.string().optional() }).loose()).optional(),
});

export interface XChannel {
  handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void>;
  sender: ChannelSender;
}

export function createXChannel(ctx: HubContext, config: ChannelsConfig['x'], store: ChannelStore, pipeline: ChannelPipeline): XChannel {
  function crc(res: ServerResponse, url: URL): void {
    const token = url.searchParams.get('crc_token');
    if (!token) throw new ChannelHttpError(400, 'channels/missing-crc-token', 'The CRC check needs a crc_token query parameter.');
    sendJson(res, 200, { response_token: xSignature(config.consumerSecret, token) });
  }

  async function receive(req: IncomingMessage, res: ServerResponse): Promise<void> {
    requireMediaType(req, ['application/json']);
    const body = await readBody(req, ctx.config.maxBodyBytes);
    const signature = req.headers['x-twitter-webhooks-signature'];
    if (typeof signature !== 'string' || !sameSecret(signature, xSignature(config.consumerSecret, body))) {
      throw new ChannelHttpError(403, 'channels/bad-signature', 'The x-twitter-webhooks-signature header is missing or does not match the body; it was not accepted.');
    }
    const parsed = Envelope.safeParse(parseJson(body));
    if (!parsed.success) throw new ChannelHttpError(400, 'channels/malformed-body', 'The body is not an Account Activity event (a JSON object).');
    // Events for another account subscribed to the same app are not ours to answer.
    if (parsed.data.for_user_id === undefined || parsed.data.for_user_id === config.ownUserId) {
      for (const arrival of arrivals(parsed.data)) pipeline.receive(arrival);
    }
    sendJson(res, 200, { ok: true });
  }

  function arrivals(envelope: z.infer<typeof Envelope>): Arrival[] {
    const out: Arrival[] = [];
    const now = ctx.now();
    for (const raw of envelope.direct_message_events ?? []) {
      const event = DmEvent.safeParse(raw);
      if (!event.success) continue;
      const from = event.data.message_create.sender_id;
      // Our own DMs (agents' replies, auto-replies) come back as events too.
      if (from === config.ownUserId) continue;
      const user = envelope.users?.[from];
      const at = Number(event.data.created_timestamp);
      out.push({
        inbound: {
          channel: 'x',
          providerId: event.data.id,
          threadKey: `dm:${from}`,
          contact: { address: from, displayName: user?.name ?? user?.screen_name ?? null },
          text: event.data.message_create.message_data.text,
          receivedAt: Number.isFinite(at) && at > 0 ? at : now,
          metadata: user?.screen_name ? { screenName: user.screen_name } : {},
        },
        sender: from,
        raw: JSON.stringify(raw),
        route: { channel: 'x', recipient: from, commentId: null, isPublic: false },
        autoReply: true,
      });
    }
    for (const raw of envelope.tweet_create_events ?? []) {
      const tweet = Tweet.safeParse(raw);
      if (!tweet.success) continue;
      const t = tweet.data;
      const mentionsUs = t.in_reply_to_user_id_str === config.ownUserId || (t.entities?.user_mentions ?? []).some((m) => m.id_str === config.ownUserId);
      if (t.user.id_str === config.ownUserId || t.retweeted_status !== undefined || !mentionsUs) continue;
      const name = t.user.name ?? t.user.screen_name ?? null;
      out.push({
        inbound: {
          channel: 'x',
          providerId: `tweet:${t.id_str}`,
          threadKey: `tweet:${t.id_str}`,
          contact: { address: t.user.id_str, displayName: name },
          text: t.text,
          receivedAt: now,
          isPublic: true,
          subject: publicComplaintSubject('x', 'mention'),
          suggestedReply: publicAcknowledgment('x', name),
          metadata: { tweetId: t.id_str, screenName: t.user.screen_name ?? null, suggestion: 'Answer by DM; the public reply only acknowledges.' },
        },
        sender: t.user.id_str,
        raw: JSON.stringify(raw),
        route: { channel: 'x', recipient: t.user.id_str, commentId: t.id_str, isPublic: true },
        autoReply: false,
      });
    }
    return out;
  }

  const sender: ChannelSender = {
    channels: ['x'],
    async deliver(out: OutboundMessage): Promise<DeliveryOutcome> {
      // Replies to a public mention go to its author by DM too: the move to private is the point.
      const participant = store.route(out.conversation.id)?.recipient ?? out.conversation.contact.address;
      const endpoint = `${config.apiBaseUrl.replace(/\/+$/, '')}/2/dm_conversations/with/${encodeURIComponent(participant)}/messages`;
      let response: Response;
      try {
        response = await fetch(endpoint, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${config.bearerToken}` },
          body: JSON.stringify({ text: out.message.text }),
          signal: AbortSignal.timeout(15_000),
        });
      } catch (e) {
        return { status: 'failed', detail: say('xUnreachable', { error: e instanceof Error ? e.message : String(e) }), retry: true };
      }
      const answer = (await response.json().catch(() => null)) as { data?: { dm_event_id?: unknown }; detail?: unknown; title?: unknown } | null;
      if (response.ok && typeof answer?.data?.dm_event_id === 'string') return { status: 'sent', providerId: answer.data.dm_event_id };
      const reason = typeof answer?.detail === 'string' ? answer.detail : typeof answer?.title === 'string' ? answer.title : `HTTP ${response.status}`;
      return { status: 'failed', detail: say('xRefused', { reason }), retry: response.status === 429 || response.status >= 500 };
    },
  };

  return {
    sender,
    async handle(req, res, url) {
      requireMethod(req, ['GET', 'POST']);
      if (req.method === 'GET') crc(res, url);
      else await receive(req, res);
    },
  };
}
