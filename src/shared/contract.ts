// The one contract between the renderer and the main process: every request with its input and
// output schema, every event with its payload schema. Both transports (Electron IPC and the
// headless WebSocket) and the renderer's API are generated from this object; adding a call means
// adding it here and giving it a handler in src/main/core.ts.
import { z } from 'zod';
import { Agent, CaseStatus, Channel, CustomerProfile, DeliveryStatus, Id, Millis, QueueItem, SearchHit, TimelineEvent } from './domain';
import { CaseInsights } from './caseInsights';
import { StoredSentence } from './storedSentence';
import { hubEvents, hubRequests } from './contractHub';
import { privacyEvents, privacyRequests } from './contractPrivacy';
import { channelConfigEvents, channelConfigRequests } from './contractChannelConfig';
import { handoffRequests } from './contractHandoff';
import { desktopEvents, desktopRequests } from './contractDesktop';
import { composerEvents, composerRequests } from './contractComposer';
import { kbRequests } from './contractKb';
import { caseActionsEvents, caseActionsRequests } from './contractCaseActions';
import { supervisorEvents, supervisorRequests } from './contractSupervisor';
import { voiceRequests } from './contractVoice';

const TimelineCursor = z.object({ occurredAt: Millis, id: Id });
export type TimelineCursor = z.infer<typeof TimelineCursor>;

// ---------------------------------------------------------------- mail accounts

export const MailTlsMode = z.enum(['tls', 'starttls', 'none']);
export const MailAuthMode = z.enum(['password', 'xoauth2']);
/** Who keeps the copy of a sent reply: 'append' (Omni Desk adds it to Sent) or 'server' (Gmail, Microsoft 365 file it themselves). */
export const SentCopyMode = z.enum(['append', 'server']);
const HostName = z
  .string()
  .trim()
  .min(1, 'Enter the server name.')
  .max(253)
  .regex(/^[A-Za-z0-9.:[\]_-]+$/, 'Only letters, digits, dots and dashes (no spaces or "://").');
/** An IMAP folder name as the server spells it ("Archive", "INBOX/Done"); no list wildcards or control characters. */
const FolderName = z
  .string()
  .trim()
  .min(1, 'Enter the folder name, for example Archive.')
  .max(200, 'At most 200 characters.')
  // eslint-disable-next-line no-control-regex
  .regex(/^[^\u0000-\u001f\u007f*%]+$/, 'A folder name cannot contain * or % or control characters.');
const Port = z.number({ error: 'Enter a port number.' }).int('Enter a whole number.').min(1, 'Ports go from 1 to 65535.').max(65535, 'Ports go from 1 to 65535.');
export const MailServer = z.object({ host: HostName, port: Port, tls: MailTlsMode });
export type MailServer = z.infer<typeof MailServer>;

/** What the settings screen saves. The password or token is write-only: it goes to the secret store, never back out. */
export const MailAccountInput = z
  .object({
    /** Given when editing an existing account. */
    id: Id.optional(),
    name: z.string().trim().min(1, 'Give the mailbox a name.').max(100),
    address: z.string().trim().toLowerCase().pipe(z.email('Enter an email address like support@example.com.')),
    imap: MailServer,
    smtp: MailServer.nullable().default(null),
    username: z.string().trim().min(1, 'Enter the user name (often the email address).').max(320),
    auth: MailAuthMode.default('password'),
    /** The password (auth 'password') or OAuth2 access token (auth 'xoauth2'); omitted to keep the stored one. */
    secret: z.string().min(1).max(8192).optional(),
    syncDays: z.number().int('Enter a whole number of days.').min(1, 'At least 1 day.').max(3650, 'At most 3650 days.').default(90),
    sentCopy: SentCopyMode.default('append'),
    /** Resolving a case MOVEs the customer's mails of that case out of the inbox, into `archiveFolder`. */
    archiveOnResolve: z.boolean().default(true),
    archiveFolder: FolderName.default('Archive'),
  })
  .strict()
  .superRefine((a, ctx) => {
    if (a.id === undefined && a.secret === undefined) {
      ctx.addIssue({ code: 'custom', path: ['secret'], message: a.auth === 'xoauth2' ? 'Enter the access token.' : 'Enter the password.' });
    }
  });
export type MailAccountInput = z.input<typeof MailAccountInput>;

/** A mailbox as the workspace sees it: settings, status and progress, never the secret. */
export const MailAccountView = z.object({
  id: Id,
  name: z.string(),
  address: z.string(),
  imap: MailServer,
  smtp: MailServer.nullable(),
  username: z.string(),
  auth: MailAuthMode,
  syncDays: z.number().int(),
  sentCopy: SentCopyMode,
  archiveOnResolve: z.boolean(),
  archiveFolder: z.string(),
  /** Why the last archive-on-resolve MOVE did not happen (the folder could not be created, …); null when it did. */
  archiveProblem: z.string().nullable(),
  /** archiveProblem's serverErrors key and params (shown in the agent's language). */
  archiveProblemText: StoredSentence.nullable().optional(),
  status: z.enum(['new', 'syncing', 'idle', 'error']),
  /** The human reason behind an error ("The password was not accepted by …"), null when all is well. */
  statusDetail: z.string().nullable(),
  /** statusDetail's serverErrors key and params, when it has one (shown in the agent's language). */
  statusText: StoredSentence.nullable().optional(),
  progress: z.object({ done: z.number().int().nonnegative(), total: z.number().int().nonnegative() }),
  connected: z.boolean(),
  lastConnectedAt: Millis.nullable(),
  /** Whether a password or token is stored (or given in the environment). */
  hasSecret: z.boolean(),
});
export type MailAccountView = z.infer<typeof MailAccountView>;

/**
 * A mail of a mailbox that was not imported (empty, too large, unreadable, a loop, …): it stays on
 * the server, so folder, UID and Message-ID say where an admin finds it; the reason says why.
 */
export const QuarantinedMailView = z.object({
  id: Id,
  folder: z.string(),
  uid: z.number().int().nonnegative(),
  messageId: z.string().nullable(),
  fromAddress: z.string().nullable(),
  size: z.number().int().nonnegative().nullable(),
  receivedAt: Millis,
  /** The English sentence as stored. */
  reason: z.string(),
  /** Its serverErrors key and params (shown in the agent's language); null for older rows. */
  reasonText: StoredSentence.nullable(),
});
export type QuarantinedMailView = z.infer<typeof QuarantinedMailView>;

/** How many quarantined mails `quarantinedMail` lists at most (the newest); `total` counts them all. */
export const QUARANTINE_LIST_LIMIT = 100;

/** One attachment of a fetched email, served at /attachments/<sha256>. */
export const EmailAttachment = z.object({
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  filename: z.string().nullable(),
  contentType: z.string(),
  size: z.number().int().nonnegative(),
  inline: z.boolean(),
  contentId: z.string().nullable(),
});
export type EmailAttachment = z.infer<typeof EmailAttachment>;

export const EmailContent = z.object({
  /** Raw HTML as received (the renderer sanitizes it into a sandboxed frame); null for plain-text mail. */
  html: z.string().nullable(),
  attachments: z.array(EmailAttachment),
  sender: z.string().nullable(),
  remoteContentAllowed: z.boolean(),
});
export type EmailContent = z.infer<typeof EmailContent>;

/** Outgoing message bodies are capped so one oversized paste cannot bloat the store or a transport frame. */
export const MAX_REPLY_CHARS = 100_000;

export const requests = {
  appInfo: {
    input: z.object({}).strict(),
    output: z.object({
      name: z.string(),
      version: z.string(),
      mode: z.enum(['electron', 'headless']),
      dataFile: z.string(),
      agent: Agent,
    }),
  },
  queueSnapshot: {
    input: z
      .object({
        view: z.enum(['all', 'mine', 'unassigned', 'breaching']).default('all'),
        channel: Channel.optional(),
      })
      .strict(),
    output: z.object({ items: z.array(QueueItem), total: z.number().int().nonnegative(), at: Millis }),
  },
  customerTimeline: {
    input: z
      .object({
        customerId: Id,
        /** Page backwards from this event (exclusive); omitted for the newest page. */
        before: TimelineCursor.optional(),
        limit: z.number().int().min(1).max(500).default(100),
      })
      .strict(),
    output: z.object({
      events: z.array(TimelineEvent),
      /** Cursor for the next older page, or null when the oldest event is included. */
      older: TimelineCursor.nullable(),
    }),
  },
  customerProfile: {
    input: z.object({ customerId: Id }).strict(),
    output: CustomerProfile,
  },
  /** The SLA clocks of a case and the channel to offer the customer, from the engines. */
  caseInsights: {
    input: z.object({ caseId: Id }).strict(),
    output: CaseInsights,
  },
  search: {
    input: z
      .object({
        query: z.string().trim().min(1).max(200),
        limit: z.number().int().min(1).max(100).default(25),
      })
      .strict(),
    output: z.object({
      hits: z.array(SearchHit),
      order: z.enum(['relevance', 'recency']),
      /** Restricted channels, whose content this desktop does not search, each with the sentence to show. */
      notSearchable: z.array(z.object({ channel: Channel, note: z.string() })).default([]),
    }),
  },
  sendReply: {
    input: z
      .object({
        caseId: Id,
        channel: Channel,
        body: z.string().trim().min(1, 'A reply cannot be empty.').max(MAX_REPLY_CHARS),
        /** Generated by the renderer once per reply, so a retried call is stored once. */
        idempotencyKey: z.string().min(8).max(100),
      })
      .strict(),
    output: TimelineEvent,
  },
  /** Sends a reply that was not delivered (a 5xx) again; an error when it is not failed. */
  retryReply: {
    input: z.object({ eventId: Id }).strict(),
    output: TimelineEvent,
  },
  /**
   * Marks a case resolved: it leaves the open queue (queueChanged) and, for mailboxes set to archive
   * on resolve, its customer mails move to the archive folder (best effort, never blocking). A case
   * already resolved or closed is left as it is; a later customer message reopens it.
   */
  resolveCase: {
    input: z.object({ caseId: Id }).strict(),
    output: z.object({ caseId: Id, status: CaseStatus, resolvedAt: Millis.nullable(), changed: z.boolean() }),
  },
  /** The support mailboxes with their status (never their secrets). */
  mailAccounts: {
    input: z.object({}).strict(),
    output: z.object({ accounts: z.array(MailAccountView) }),
  },
  /** Adds or edits a mailbox; the secret goes to the secret store and the mailbox (re)connects. */
  saveMailAccount: {
    input: MailAccountInput,
    output: MailAccountView,
  },
  deleteMailAccount: {
    input: z.object({ id: Id }).strict(),
    output: z.object({ deleted: z.boolean() }),
  },
  /** A mailbox's mails that were not imported, newest first (at most QUARANTINE_LIST_LIMIT), and how many there are. */
  quarantinedMail: {
    input: z.object({ accountId: Id }).strict(),
    output: z.object({ total: z.number().int().nonnegative(), messages: z.array(QuarantinedMailView).max(QUARANTINE_LIST_LIMIT) }),
  },
  /**
   * The HTML and attachments of a fetched email event; null when the event is no fetched mail.
   * Reading it means the agent opened the email: it is marked \Seen on the server (best effort).
   */
  emailContent: {
    input: z.object({ eventId: Id }).strict(),
    output: EmailContent.nullable(),
  },
  /** "Show images from sender": remote content of this sender's emails is shown from now on. */
  allowRemoteContent: {
    input: z.object({ sender: z.string().trim().toLowerCase().pipe(z.email()) }).strict(),
    output: z.object({ sender: z.string() }),
  },
  /** Offers, presence, collision and handoffs through the hub (contractHub.ts). */
  ...hubRequests,
  ...privacyRequests,
  ...composerRequests,
  ...kbRequests,
  ...caseActionsRequests,
  ...supervisorRequests,
  ...desktopRequests,
  ...voiceRequests,
  ...channelConfigRequests,
  ...handoffRequests,
} satisfies Record<string, { input: z.ZodType; output: z.ZodType }>;

export const events = {
  /** Something in the queue changed; the renderer re-reads the snapshot. */
  queueChanged: z.object({ at: Millis }),
  /** An event was added to a customer's timeline (incoming message, a reply, a note). */
  timelineAppended: z.object({ event: TimelineEvent }),
  /** An outgoing message's delivery moved (queued, sending, delivered, failed), with the human reason when not delivered. */
  deliveryChanged: z.object({ eventId: Id, caseId: Id.nullable(), status: DeliveryStatus, detail: z.string().nullable(), detailText: StoredSentence.nullable().optional() }),
  /** The connection of the desktop to its hub and channels. */
  connectionChanged: z.object({ state: z.enum(['online', 'offline', 'connecting']), detail: z.string() }),
  /** A mailbox was added, edited or removed (account null), or its status or sync progress moved. */
  mailAccountChanged: z.object({ accountId: Id, account: MailAccountView.nullable() }),
  ...hubEvents,
  ...privacyEvents,
  ...composerEvents,
  ...caseActionsEvents,
  ...desktopEvents,
  ...channelConfigEvents,
  ...supervisorEvents,
} satisfies Record<string, z.ZodType>;

export type Requests = typeof requests;
export type Events = typeof events;
export type RequestName = keyof Requests;
export type EventName = keyof Events;
export type RequestInput<K extends RequestName> = z.input<Requests[K]['input']>;
export type ParsedInput<K extends RequestName> = z.output<Requests[K]['input']>;
export type RequestOutput<K extends RequestName> = z.output<Requests[K]['output']>;
export type EventPayload<K extends EventName> = z.output<Events[K]>;
