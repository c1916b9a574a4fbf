// How long a reply may be on each channel and whether it is plain text: the composer shows the
// count and refuses to send past the limit. Numbers are the providers' documented limits.
import type { Channel } from '../domain';

export interface ChannelLimit {
  /** Most characters one reply may have (UTF-16 code units, as the providers count); null: no practical limit. */
  maxChars: number | null;
  /** Plain text only (no subject, no formatting). */
  plainText: boolean;
  /** SMS: the count is shown as segments too. */
  segments: boolean;
}

/** Email and the portal have no provider limit; the product's own cap still applies (MAX_REPLY_CHARS). */
export const CHANNEL_LIMITS: Record<Channel, ChannelLimit> = {
  email: { maxChars: null, plainText: false, segments: false },
  // Our own widget: a chat message is capped by the hub's widget protocol at 5,000 characters.
  chat: { maxChars: 5_000, plainText: true, segments: false },
  // Twilio Programmable Messaging, Message resource, `Body` parameter: at most 1,600 characters
  // (twilio.com/docs/sms/api/message-resource); longer text is refused, not split. Segments below.
  sms: { maxChars: 1_600, plainText: true, segments: true },
  // Meta Messenger Platform, Send API, `message.text`: UTF-8, at most 2,000 characters
  // (developers.facebook.com/docs/messenger-platform/reference/send-api).
  messenger: { maxChars: 2_000, plainText: true, segments: false },
  // Meta Instagram Messaging (Messenger Platform for Instagram), send a message: text at most 1,000
  // characters (developers.facebook.com/docs/messenger-platform/instagram/features/send-message).
  instagram: { maxChars: 1_000, plainText: true, segments: false },
  // X API v2 Direct Messages (POST /2/dm_conversations/with/:participant_id/messages): `text` at most
  // 10,000 characters (developer.x.com/en/docs/x-api/direct-messages).
  x: { maxChars: 10_000, plainText: true, segments: false },
  // In-app messages travel like chat through the hub's widget gateway: the same 5,000.
  in_app: { maxChars: 5_000, plainText: true, segments: false },
  portal: { maxChars: null, plainText: true, segments: false },
  // No text replies on the phone channel (the composer never offers it).
  phone: { maxChars: null, plainText: true, segments: false },
};

export interface LengthCheck {
  length: number;
  max: number | null;
  /** Characters over the limit (0 when within it). */
  over: number;
}

/** The length of a reply against its channel's limit (the text as it will be sent, trimmed). */
export function checkLength(channel: Channel, body: string): LengthCheck {
  const length = body.trim().length;
  const max = CHANNEL_LIMITS[channel].maxChars;
  return { length, max, over: max === null ? 0 : Math.max(0, length - max) };
}
