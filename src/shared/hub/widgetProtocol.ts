// The frames between a website visitor's chat widget and the hub, over one WebSocket at
// /widget?org=<org>. The hub validates every visitor frame; the widget (a small script on someone
// else's page) imports only the types, so zod never ships in it. Pure: no I/O.
import { z } from 'zod';
import { Id, Millis } from '../domain';
import { MAX_MESSAGE_TEXT } from './agentProtocol';

export const WIDGET_PROTOCOL_VERSION = 1;

/** Random ids the widget makes itself (visitor id, client message id): URL-safe, long enough not to be guessed. */
export const WidgetKey = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, { message: 'must be 8 to 64 letters, digits, "-" or "_"' });

/** An organisation's id as it appears in `data-org`. */
export const OrgId = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, { message: 'must be lowercase letters, digits, "-" or "_", up to 64' });

/** An upload id the hub issued (POST /widget/upload). */
export const UploadId = z.string().regex(/^[A-Za-z0-9_-]{16,64}$/);

export const MAX_ATTACHMENTS_PER_MESSAGE = 5;

/** An in-app user claim: the product's backend signs the user id (hex HMAC-SHA256 with the org's secret). */
export const UserClaim = z.object({
  id: z.string().min(1).max(256),
  hash: z.string().max(256),
  name: z.string().max(200).nullish(),
  email: z.string().max(320).nullish(),
});
export type UserClaim = z.infer<typeof UserClaim>;

export const VisitorFrame = z.discriminatedUnion('t', [
  /** Must come first. `resume` proves the visitor owns a conversation; `lastMessageId` is the newest message it holds. */
  z.object({
    t: z.literal('hello'),
    protocol: z.literal(WIDGET_PROTOCOL_VERSION),
    visitorId: WidgetKey,
    resume: z.object({ conversationId: Id, token: z.string().min(16).max(128) }).nullish(),
    lastMessageId: z.number().int().nonnegative().default(0),
    user: UserClaim.nullish(),
    page: z.string().max(2048).nullish(),
  }),
  /** A visitor message; `clientId` makes a resend after a reconnect a no-op. */
  z
    .object({
      t: z.literal('msg'),
      clientId: WidgetKey,
      text: z.string().max(MAX_MESSAGE_TEXT).default(''),
      uploads: z.array(UploadId).max(MAX_ATTACHMENTS_PER_MESSAGE).default([]),
    })
    .refine((f) => f.text.trim() !== '' || f.uploads.length > 0, { message: 'a message needs text or a file', path: ['text'] }),
  z.object({ t: z.literal('typing'), typing: z.boolean() }),
  z.object({ t: z.literal('csat'), rating: z.number().int().min(1).max(5), comment: z.string().max(2000).nullish() }),
  /** Outside chat hours: a message that becomes an email ticket. */
  z.object({
    t: z.literal('leaveMessage'),
    clientId: WidgetKey,
    name: z.string().trim().min(1, { message: 'please enter your name' }).max(200),
    email: z.email({ message: 'please enter a valid email address' }).max(320),
    text: z.string().trim().min(1, { message: 'please enter a message' }).max(MAX_MESSAGE_TEXT),
  }),
  z.object({ t: z.literal('ping') }),
]);
export type VisitorFrame = z.infer<typeof VisitorFrame>;
export type VisitorFrameInput = z.input<typeof VisitorFrame>;

export const WidgetAttachment = z.object({
  name: z.string(),
  contentType: z.string(),
  size: z.number().int().nonnegative(),
  /** Relative to the hub; the visitor adds `?token=` to download. */
  url: z.string(),
});
export type WidgetAttachment = z.infer<typeof WidgetAttachment>;

/** A message as the visitor sees it: internal notes never leave the hub. */
export const WidgetMessage = z.object({
  id: Id,
  from: z.enum(['visitor', 'agent', 'system']),
  authorName: z.string(),
  text: z.string(),
  /**
   * An agent's in-app message is Markdown: this is its HTML, rendered by the hub (markdown-it, no
   * raw HTML, only http(s)/mailto links). The widget still builds it from an allowlist of elements.
   */
  html: z.string().optional(),
  attachments: z.array(WidgetAttachment),
  createdAt: Millis,
  /** The visitor's own message: the client id it was sent with (absent for messages from other sources). */
  clientId: z.string().nullable(),
});
export type WidgetMessage = z.infer<typeof WidgetMessage>;

export const WidgetOrgInfo = z.object({
  name: z.string(),
  greeting: z.string(),
  accentColor: z.string(),
  /** Inside chat hours; when false the panel offers "leave a message". */
  online: z.boolean(),
});
export type WidgetOrgInfo = z.infer<typeof WidgetOrgInfo>;

export const WidgetErrorInfo = z.object({ code: z.string(), message: z.string() });
export type WidgetErrorInfo = z.infer<typeof WidgetErrorInfo>;

export const HubToVisitorFrame = z.discriminatedUnion('t', [
  /**
   * The answer to hello. `conversation` is null when no resume was asked or it was refused
   * (`resumeRefused`: the widget forgets its stored conversation). `messages` are those after
   * `lastMessageId`, oldest first.
   */
  z.object({
    t: z.literal('welcome'),
    org: WidgetOrgInfo,
    conversation: z.object({ id: Id, resolved: z.boolean(), askCsat: z.boolean() }).nullable(),
    resumeRefused: z.boolean(),
    messages: z.array(WidgetMessage),
    serverTime: Millis,
  }),
  /** A visitor message is stored. The first one of a conversation also carries its resume token. */
  z.object({
    t: z.literal('ack'),
    clientId: z.string(),
    message: WidgetMessage,
    conversationId: Id,
    token: z.string().nullable(),
    duplicate: z.boolean(),
  }),
  z.object({ t: z.literal('msg'), message: WidgetMessage }),
  z.object({ t: z.literal('typing'), agentName: z.string(), typing: z.boolean() }),
  /** The agent resolved the conversation: the widget asks for a rating. */
  z.object({ t: z.literal('resolved'), conversationId: Id }),
  z.object({ t: z.literal('csatThanks'), conversationId: Id }),
  /** The offline message became an email ticket. */
  z.object({ t: z.literal('leftMessage'), clientId: z.string(), ticketId: Id }),
  /** A frame was refused; `clientId` names the message that was not stored (the widget keeps it to retry). */
  z.object({ t: z.literal('error'), error: WidgetErrorInfo, clientId: z.string().nullable() }),
  z.object({ t: z.literal('pong'), serverTime: Millis }),
]);
export type HubToVisitorFrame = z.infer<typeof HubToVisitorFrame>;

/** POST /widget/upload answers with this (or `{ error }` and a 4xx). */
export const UploadResult = z.object({
  upload: z.object({ id: UploadId, name: z.string(), contentType: z.string(), size: z.number().int().nonnegative() }),
});
export type UploadResult = z.infer<typeof UploadResult>;

/** One sentence from a zod error for a visitor frame: where, and what is wrong. */
export function describeFrameIssues(error: z.ZodError): string {
  const first = error.issues[0];
  if (!first) return 'The frame is not valid.';
  const where = first.path.map(String).join('.');
  return where ? `${where}: ${first.message}` : first.message;
}
