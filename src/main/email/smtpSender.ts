// Outgoing email: composing a reply from its outbox row (threading headers, the case token in the
// subject, the support address as From), turning it into the exact bytes that are sent and kept
// in the Sent folder, sending them over SMTP (nodemailer), and the Sent folder itself over IMAP
// (APPEND after a send, SEARCH by Message-ID after a crash). SMTP failures become human sentences.
import { ImapFlow, type ImapFlowOptions } from 'imapflow';
import nodemailer, { type Transporter } from 'nodemailer';
import MailComposer from 'nodemailer/lib/mail-composer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';
import { caseToken, parseCaseToken, stripReplyPrefixes } from '../../shared/cases';
import type { EmailContext, OutboxAttachment } from '../store/outboxStore';
import type { MailAccount } from '../store/mailStore';
import { outgoingMessageId } from '../store/repository';
import type { ImapCredentials } from './imapSync';
import { say, type Said } from '../../shared/serverErrors';

/** One email ready to go: what the worker sends, appends to Sent and searches for. */
export interface OutgoingEmail {
  outboxId: number;
  eventId: number;
  caseId: number | null;
  accountId: number;
  from: { name: string; address: string };
  to: string;
  /** Copies the agent added; they are in the Cc header and the SMTP envelope. */
  cc: string[];
  subject: string;
  /** `<case-N.x@domain>`: fixed when the reply was stored, the same on every attempt. */
  messageId: string;
  inReplyTo: string | null;
  references: string[];
  text: string;
  html: string;
  /** Sent with `Auto-Submitted: auto-replied` (RFC 3834). */
  autoReply: boolean;
  sentFolder: string;
  /** 'server': the provider files sent mail itself (Gmail, Microsoft 365), so no copy is appended. Default 'append'. */
  sentCopy?: 'append' | 'server';
  /** The Date header: when the reply was written, so every attempt carries the same one. */
  date: number;
  /** Files sent as MIME attachments; their bytes are read from the attachment store at send time. */
  attachments: OutboxAttachment[];
}

/** `Re: <subject> [#N]`: one `Re:`, one token, whatever the subject already carried. */
export function replySubject(subject: string, caseId: number | null): string {
  const base = stripReplyPrefixes(subject.replace(/[\r\n]+/g, ' ')).replace(/\s+/g, ' ').trim();
  const hasToken = caseId !== null && parseCaseToken(base) === caseId;
  const token = caseId !== null && !hasToken ? caseToken(caseId) : '';
  return ['Re:', base, token].filter((part) => part !== '').join(' ');
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Web addresses in escaped text become links (a survey's rating links, a KB article); trailing punctuation stays text. */
function linkify(escaped: string): string {
  return escaped.replace(/\bhttps?:\/\/[^\s<>]+?(?=[.,;:!?)]*(?:\s|<|$|&gt;|&quot;|&#39;))/g, (url) => `<a href="${url}">${url}</a>`);
}

/** The HTML alternative: the text's paragraphs and line breaks, escaped, web addresses as links. */
export function textToHtml(text: string): string {
  const paragraphs = text
    .replace(/\r\n?/g, '\n')
    .split(/\n{2,}/)
    .map((p) => `<p>${linkify(escapeHtml(p)).replace(/\n/g, '<br>')}</p>`);
  return `<!doctype html><html><body>${paragraphs.join('\n')}</body></html>`;
}

/** The email of an outbox row, or the reason it can never be sent (a permanent failure). */
export function composeEmail(ctx: EmailContext, options: { messageIdDomain?: string } = {}): { ok: true; email: OutgoingEmail } | { ok: false; reason: string; said?: Said } {
  const { row } = ctx;
  if (!ctx.to) {
    const said = say('deliveryNoAddress');
    return { ok: false, reason: said.message, said };
  }
  const messageId = row.messageId ?? outgoingMessageId(ctx.caseId ?? 0, row.idempotencyKey, options.messageIdDomain);
  return {
    ok: true,
    email: {
      outboxId: row.id,
      eventId: row.eventId,
      caseId: ctx.caseId,
      accountId: ctx.account.id,
      from: { name: ctx.account.name, address: ctx.account.address },
      to: ctx.to,
      cc: row.payload.cc ?? [],
      subject: replySubject(ctx.subject, ctx.caseId),
      messageId,
      inReplyTo: ctx.inReplyTo,
      references: ctx.references,
      text: row.payload.body,
      html: textToHtml(row.payload.body),
      autoReply: row.payload.autoReply === true,
      sentFolder: ctx.account.sentFolder,
      sentCopy: ctx.account.sentCopy,
      date: row.createdAt,
      attachments: row.payload.attachments ?? [],
    },
  };
}

/**
 * The exact bytes of the email (the same bytes go to SMTP and to the Sent folder). `files` holds
 * the content of each of `email.attachments`, in order (read and checked by the caller).
 */
export async function buildRawEmail(email: OutgoingEmail, files: readonly Buffer[] = []): Promise<Buffer> {
  if (files.length !== email.attachments.length) throw new Error(`buildRawEmail: ${email.attachments.length} attachments but ${files.length} contents`);
  const composer = new MailComposer({
    from: { name: email.from.name, address: email.from.address },
    to: email.to,
    ...(email.cc.length ? { cc: email.cc } : {}),
    subject: email.subject,
    messageId: email.messageId,
    date: new Date(email.date),
    ...(email.inReplyTo ? { inReplyTo: email.inReplyTo } : {}),
    ...(email.references.length ? { references: email.references } : {}),
    text: email.text,
    html: email.html,
    headers: email.autoReply ? { 'Auto-Submitted': 'auto-replied', 'X-Auto-Response-Suppress': 'All' } : {},
    ...(email.attachments.length
      ? { attachments: email.attachments.map((a, i) => ({ filename: a.filename, content: files[i]!, contentType: a.contentType, contentDisposition: 'attachment' as const })) }
      : {}),
  });
  return composer.compile().build();
}

// ---------------------------------------------------------------- errors

export interface SendFailure {
  /** A 5xx: sending again cannot help until someone changes something. */
  permanent: boolean;
  /** The sentence the timeline shows (without the retry time). */
  message: string;
  /** The sentence's catalog key and params (when the server's host is known), for the agent's language. */
  said?: Said;
}

/** The human reason behind a failed SMTP send (the sentence only; `smtpFailure` adds its catalog key). */
export function describeSmtpError(err: unknown, host?: string): SendFailure {
  const { permanent, message } = smtpFailure(err, host);
  return { permanent, message };
}

/** describeSmtpError with the sentence's catalog key and params when the host is known: what the sender reports. */
export function smtpFailure(err: unknown, host?: string): SendFailure {
  const e = (err ?? {}) as { code?: string; responseCode?: number; response?: string; message?: string; errno?: string };
  const who = host === undefined ? 'The mail server' : `The mail server ${host}`;
  const said = (e.response ?? e.message ?? '').trim().replace(/\s+/g, ' ');
  const text = `${e.code ?? ''} ${e.errno ?? ''} ${e.message ?? ''}`;
  // With a host, the sentence comes from the catalog (the same English) with its key.
  const fail = (permanent: boolean, message: string, keyed: () => Said): SendFailure => {
    if (host === undefined) return { permanent, message };
    const sentence = keyed();
    return { permanent, message: sentence.message, said: sentence };
  };
  const h = host ?? '';
  if (typeof e.responseCode === 'number' && e.responseCode >= 500) {
    if (e.code === 'EAUTH') return fail(true, `${who} did not accept the password or token (${said})`, () => say('smtpAuth', { host: h, reply: said }));
    return fail(true, `${who} rejected the message: ${said}`, () => say('smtpRejected', { host: h, reply: said }));
  }
  if (typeof e.responseCode === 'number' && e.responseCode >= 400) return fail(false, `${who} deferred the message (${said})`, () => say('smtpDeferred', { host: h, reply: said }));
  if (/ECONNREFUSED/.test(text)) return fail(false, `${who} refused the connection`, () => say('smtpRefused', { host: h }));
  if (/ENOTFOUND|EAI_AGAIN|EDNS/.test(text)) return fail(false, `${who} could not be found`, () => say('smtpNotFound', { host: h }));
  if (/ETIMEDOUT|timeout/i.test(text)) return fail(false, `${who} did not answer in time`, () => say('smtpTimeout', { host: h }));
  if (/ECONNRESET|EPIPE|ESOCKET|closed/i.test(text)) return fail(false, `The connection to ${who.charAt(0).toLowerCase()}${who.slice(1)} was lost`, () => say('smtpLost', { host: h }));
  if (/ETLS|certificate|TLS/i.test(text)) return fail(false, `The secure connection to ${who.charAt(0).toLowerCase()}${who.slice(1)} failed (${said})`, () => say('smtpTls', { host: h, reply: said }));
  return fail(false, `Sending failed: ${said || 'unknown error'}`, () => say('smtpFailed', { reply: said || 'unknown error' }));
}

// ---------------------------------------------------------------- SMTP and the Sent folder

export interface MailTransportDeps {
  /** The account by id (the store's getAccount). */
  account: (accountId: number) => MailAccount | null;
  /** The secret of the account, from the secret store; null: connect without AUTH. */
  credentials: (account: MailAccount) => Promise<ImapCredentials | null>;
}

/** An error whose sentence is already human ("The account has no SMTP server."), permanent. */
function configError(message: string): Error & { responseCode: number; response: string } {
  return Object.assign(new Error(message), { responseCode: 554, response: message });
}

/** Sends the raw bytes of an email over the SMTP server of its account; one transport per account, reused. */
export function createSmtpSender(deps: MailTransportDeps & { transportOptions?: Partial<SMTPTransport.Options> }): {
  send(email: OutgoingEmail, raw: Buffer): Promise<void>;
  describe(err: unknown, email: OutgoingEmail): SendFailure;
  close(): void;
} {
  const transports = new Map<number, { key: string; transport: Transporter<SMTPTransport.SentMessageInfo> }>();
  return {
    async send(email, raw) {
      const account = deps.account(email.accountId);
      if (!account) throw configError('The support account of this reply no longer exists.');
      if (!account.smtp) throw configError(`The account ${account.address} has no outgoing (SMTP) server set up.`);
      const creds = await deps.credentials(account);
      const key = JSON.stringify([account.smtp, account.username, account.auth, creds]);
      let entry = transports.get(account.id);
      if (!entry || entry.key !== key) {
        entry?.transport.close();
        const smtp = account.smtp;
        entry = {
          key,
          transport: nodemailer.createTransport({
            host: smtp.host,
            port: smtp.port,
            secure: smtp.tls === 'tls',
            requireTLS: smtp.tls === 'starttls',
            ignoreTLS: smtp.tls === 'none',
            ...(creds
              ? { auth: account.auth === 'xoauth2' ? { type: 'OAuth2' as const, user: account.username, accessToken: creds.accessToken ?? '' } : { user: account.username, pass: creds.pass ?? '' } }
              : {}),
            connectionTimeout: 15_000,
            greetingTimeout: 15_000,
            socketTimeout: 60_000,
            ...deps.transportOptions,
          }),
        };
        transports.set(account.id, entry);
      }
      await entry.transport.sendMail({ envelope: { from: account.address, to: [email.to, ...email.cc] }, raw });
    },
    describe(err, email) {
      const account = deps.account(email.accountId);
      return smtpFailure(err, account?.smtp ? account.smtp.host : undefined);
    },
    close() {
      for (const entry of transports.values()) entry.transport.close();
      transports.clear();
    },
  };
}

/**
 * The Sent folder of the account over IMAP, one short session per call: APPEND the sent bytes
 * (for servers that do not keep sent mail themselves), SEARCH HEADER Message-ID after a crash.
 */
export function createSentFolder(deps: MailTransportDeps & { clientOptions?: Partial<ImapFlowOptions> }): {
  append(email: OutgoingEmail, raw: Buffer): Promise<void>;
  find(email: OutgoingEmail): Promise<boolean>;
} {
  const session = async <T>(accountId: number, fn: (client: ImapFlow) => Promise<T>): Promise<T> => {
    const account = deps.account(accountId);
    if (!account) throw new Error('The support account of this reply no longer exists.');
    const creds = (await deps.credentials(account)) ?? {};
    const client = new ImapFlow({
      host: account.imap.host,
      port: account.imap.port,
      secure: account.imap.tls === 'tls',
      ...(account.imap.tls === 'starttls' ? { doSTARTTLS: true } : account.imap.tls === 'none' ? { doSTARTTLS: false } : {}),
      auth: account.auth === 'xoauth2' ? { user: account.username, accessToken: creds.accessToken ?? '' } : { user: account.username, pass: creds.pass ?? '' },
      logger: false,
      clientInfo: { name: 'Omni Desk' },
      connectionTimeout: 30_000,
      greetingTimeout: 16_000,
      ...deps.clientOptions,
    });
    client.on('error', () => undefined);
    await client.connect();
    try {
      return await fn(client);
    } finally {
      await client.logout().catch(() => client.close());
    }
  };
  return {
    async append(email, raw) {
      await session(email.accountId, async (client) => {
        await client.append(email.sentFolder, raw, ['\\Seen'], new Date(email.date));
      });
    },
    async find(email) {
      return session(email.accountId, async (client) => {
        const lock = await client.getMailboxLock(email.sentFolder, { readOnly: true });
        try {
          // HEADER search matches substrings: the id without its brackets is unique enough.
          const found = await client.search({ header: { 'message-id': email.messageId.replace(/^<|>$/g, '') } }, { uid: true });
          return Array.isArray(found) && found.length > 0;
        } finally {
          lock.release();
        }
      });
    },
  };
}
