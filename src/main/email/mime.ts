// Parses one raw email into what the desk stores, or quarantines it with a sentence an agent can
// read. It never throws and never hangs: limits are checked before parsing, the parse is time-boxed.
//
// Built on mailparser's simpleParser: it is maintained by the author of nodemailer, splits MIME as a
// stream (mailsplit), decodes charsets through libmime/iconv-lite, parses nested message/rfc822, and
// bounds its own worst cases (header bytes per part, number of parts, HTML nesting, link scanning).
// What it leaves to us, done here: refusing oversized or absurdly deep messages up front with a
// readable reason; a time box (the input is fed in chunks so the timer can fire); repairing 8-bit
// text sent without a usable charset (it would decode Latin-1 as UTF-8 and show U+FFFD); strict
// dates (it substitutes "now" for an unreadable Date); safe attachment names; a header hash.
// Limit: a single synchronous step inside mailparser cannot be interrupted, only the parse as a whole.
import crypto from 'node:crypto';
import { Readable } from 'node:stream';
import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';
import { say, type Said } from '../../shared/serverErrors';

const KB = 1024;
const MB = 1024 * KB;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface MimeLimits {
  /** The whole raw message. A 25 MB attachment is ~34 MB once base64-encoded. */
  maxMessageBytes: number;
  /** The top-level header block, and the header block of every part (mailparser's maxHeadSize). */
  maxHeaderBytes: number;
  /** Each decoded attachment; larger ones are dropped with a note in the text, the mail is kept. */
  maxAttachmentBytes: number;
  /** Containers (multipart or message/rfc822) around the deepest part. */
  maxDepth: number;
  /** MIME parts in one message (mailparser's maxChildNodes). */
  maxParts: number;
  /** The plain text kept for the timeline and search; the rest is cut with a note. */
  maxTextChars: number;
  /** Raw HTML kept for rendering; a larger HTML body is dropped (the plain text remains). */
  maxHtmlChars: number;
  /** The parse as a whole. */
  parseTimeoutMs: number;
}

export const DEFAULT_MIME_LIMITS: Readonly<MimeLimits> = Object.freeze({
  maxMessageBytes: 64 * MB,
  maxHeaderBytes: 1 * MB,
  maxAttachmentBytes: 25 * MB,
  maxDepth: 50,
  maxParts: 1000,
  maxTextChars: 1_000_000,
  maxHtmlChars: 5_000_000,
  parseTimeoutMs: 15_000,
});

export type ParseEmailOptions = Partial<MimeLimits> & {
  /** When the message arrived (IMAP INTERNALDATE); the date when the Date header is missing or absurd. */
  receivedAt?: number;
};

export interface Mailbox {
  name: string;
  address: string;
}

export interface EmailAttachment {
  /** Safe to use as a file name: no directories, no control or reserved characters, never empty. */
  filename: string;
  contentType: string;
  /** Decoded bytes. */
  size: number;
  /** Content-ID without angle brackets, to match `cid:` URLs in the HTML. */
  contentId: string | null;
  /** Shown inside the HTML (a cid image) rather than listed as an attachment. */
  inline: boolean;
  sha256: string;
  content: Buffer;
}

/** A message forwarded inside this one (message/rfc822), by its headers. */
export interface ForwardedSummary {
  subject: string | null;
  from: Mailbox | null;
  date: number | null;
  messageId: string | null;
}

export interface ParsedEmail {
  kind: 'parsed';
  /** Normalized `<id@host>`, or null when missing or unreadable. */
  messageId: string | null;
  inReplyTo: string | null;
  references: string[];
  subject: string | null;
  from: Mailbox | null;
  to: Mailbox[];
  cc: Mailbox[];
  replyTo: Mailbox[];
  /** Epoch ms: the Date header, or `receivedAt` when it is missing or absurd (see dateFromHeader). */
  date: number;
  dateFromHeader: boolean;
  /** Plain text: the text parts, or the HTML with tags stripped; notes about dropped content appended. */
  text: string;
  /** Raw HTML as received, or null. Sanitized at render time (src/renderer/src/email/sanitizeEmail.ts). */
  html: string | null;
  attachments: EmailAttachment[];
  /** Headers that mark automatic mail (RFC 3834, list mail, Exchange auto-replies, bounces). */
  autoSubmitted: string | null;
  precedence: string | null;
  listId: string | null;
  autoResponseSuppress: string | null;
  /** The envelope sender; '' for the null sender `<>` of bounces, null when absent. */
  returnPath: string | null;
  /** sha256 over normalized From/Date/Subject/Message-ID/To of the raw header block. */
  headerHash: string;
  forwarded: ForwardedSummary[];
  /** What was repaired or dropped, as sentences (also appended to `text` where content was lost). */
  notes: string[];
  size: number;
}

export type QuarantineCode = 'empty' | 'too-large' | 'header-too-large' | 'too-deep' | 'too-many-parts' | 'timeout' | 'unreadable' | 'parser-crashed';

export interface Quarantined {
  kind: 'quarantined';
  code: QuarantineCode;
  /** A sentence an agent can read (English; `said.message`). */
  reason: string;
  /** The reason's catalog key and params, kept with the row so the agent reads it in their language. */
  said: Said;
  headerHash: string;
  subject?: string;
  messageId: string | null;
  size: number;
}

export type ParseEmailResult = ParsedEmail | Quarantined;

// ------------------------------------------------------------------ entry point

/** Parses one raw message. Never throws; resolves within about `parseTimeoutMs`. */
export async function parseEmail(raw: Buffer, options: ParseEmailOptions = {}): Promise<ParseEmailResult> {
  const limits = resolveLimits(options);
  const receivedAt = Number.isFinite(options.receivedAt) ? (options.receivedAt as number) : Date.now();
  let headerHash = '';
  let headEnd = 0;
  try {
    if (!Buffer.isBuffer(raw)) raw = Buffer.from(String(raw ?? ''), 'utf8');
    headEnd = headerBlockEnd(raw).end;
    headerHash = headerHashOf(raw, headEnd);
    if (raw.length === 0) return quarantine('empty', say('quarantineEmpty'), raw, headEnd, headerHash);
    if (raw.length > limits.maxMessageBytes) {
      return quarantine('too-large', say('quarantineTooLarge', { size: raw.length, limit: limits.maxMessageBytes }), raw, headEnd, headerHash);
    }
    if (headEnd > limits.maxHeaderBytes) {
      return quarantine('header-too-large', say('quarantineHeaderTooLarge', { limit: limits.maxHeaderBytes }), raw, headEnd, headerHash);
    }
    const structure = scanStructure(raw, limits);
    if (structure.tooDeep) {
      return quarantine('too-deep', say('quarantineTooDeep', { limit: limits.maxDepth }), raw, headEnd, headerHash);
    }
    if (structure.parts > limits.maxParts) {
      return quarantine('too-many-parts', say('quarantineTooManyParts', { limit: limits.maxParts }), raw, headEnd, headerHash);
    }
    const repaired = repairCharsets(raw, structure);
    const outcome = await parseTimeBoxed(repaired.raw, limits);
    if (outcome.kind === 'timeout') {
      return quarantine('timeout', tookTooLong(limits.parseTimeoutMs), raw, headEnd, headerHash);
    }
    if (outcome.kind === 'error') {
      const { code, said } = describeParserError(outcome.error, limits);
      return quarantine(code, said, raw, headEnd, headerHash);
    }
    return await toParsedEmail(outcome.mail, { raw, headEnd, headerHash, receivedAt, limits, structure, notes: repaired.notes });
  } catch (e) {
    // Anything unexpected in our own code: still an answer, never an exception.
    return quarantine('unreadable', say('quarantineUnreadable', { error: shortError(e) }), raw, headEnd, headerHash || sha256(Buffer.alloc(0)));
  }
}

/**
 * The quarantine answer for a message that was never parsed here (the worker parsing it died or
 * hung): the same header hash, Message-ID and subject parseEmail would report, with `reason`.
 */
export function quarantineUnparsed(raw: Buffer, code: QuarantineCode, said: Said): Promise<Quarantined> {
  const headEnd = headerBlockEnd(raw).end;
  return quarantine(code, said, raw, headEnd, headerHashOf(raw, headEnd));
}

export function resolveLimits(options: ParseEmailOptions): MimeLimits {
  const limits = { ...DEFAULT_MIME_LIMITS };
  for (const key of Object.keys(DEFAULT_MIME_LIMITS) as (keyof MimeLimits)[]) {
    const value = options[key];
    if (typeof value === 'number' && Number.isFinite(value) && value > 0) limits[key] = value;
  }
  return limits;
}

async function quarantine(code: QuarantineCode, said: Said, raw: Buffer, headEnd: number, headerHash: string): Promise<Quarantined> {
  const result: Quarantined = { kind: 'quarantined', code, reason: said.message, said, headerHash, messageId: null, size: raw.length };
  try {
    const fields = readHeaderFields(raw, headEnd, ['subject', 'message-id']);
    const mid = fields.get('message-id')?.[0];
    result.messageId = mid !== undefined ? normalizeMessageId(mid) : null;
    const rawSubject = fields.get('subject')?.[0];
    if (rawSubject !== undefined) {
      const subject = await decodeHeaderText(rawSubject);
      if (subject) result.subject = subject;
    }
  } catch {
    // The reason is what matters; the subject is a courtesy.
  }
  return result;
}

function describeParserError(error: unknown, limits: MimeLimits): { code: QuarantineCode; said: Said } {
  const message = error instanceof Error ? error.message : String(error);
  if (/header size/i.test(message)) return { code: 'header-too-large', said: say('quarantinePartHeaderTooLarge', { limit: limits.maxHeaderBytes }) };
  if (/child nodes/i.test(message)) return { code: 'too-many-parts', said: say('quarantineTooManyParts', { limit: limits.maxParts }) };
  return { code: 'unreadable', said: say('quarantineUnreadable', { error: shortError(error) }) };
}

/** "Reading the message took longer than 15 seconds": the time box in ms under a second, else in seconds. */
function tookTooLong(ms: number): Said {
  if (ms < 1000) return say('quarantineSlowMs', { ms: Math.round(ms) });
  const seconds = Number((ms / 1000).toFixed(1));
  return seconds === 1 ? say('quarantineSlowSecond') : say('quarantineSlowSeconds', { seconds });
}

function shortError(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  // eslint-disable-next-line no-control-regex -- control characters are what is being removed
  const clean = message.replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/\s+/g, ' ').trim();
  return (clean.length > 120 ? `${clean.slice(0, 117)}...` : clean) || 'unknown error';
}

// ------------------------------------------------------------------ the time-boxed parse

type ParseOutcome = { kind: 'ok'; mail: ParsedMail } | { kind: 'error'; error: unknown } | { kind: 'timeout' };

const FEED_CHUNK_BYTES = 256 * KB;

/**
 * simpleParser over a stream that hands the message over in chunks: mailparser yields to the event
 * loop between chunks, so the timer can fire. On timeout the stream stops feeding; the starved
 * parser holds no timers or sockets and is collected.
 */
function parseTimeBoxed(raw: Buffer, limits: MimeLimits): Promise<ParseOutcome> {
  return new Promise<ParseOutcome>((resolve) => {
    let settled = false;
    let aborted = false;
    const settle = (outcome: ParseOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    const timer = setTimeout(() => {
      aborted = true;
      settle({ kind: 'timeout' });
    }, limits.parseTimeoutMs);
    let offset = 0;
    const input = new Readable({
      highWaterMark: FEED_CHUNK_BYTES,
      read() {
        if (aborted) return;
        if (offset >= raw.length) {
          this.push(null);
          return;
        }
        const end = Math.min(raw.length, offset + FEED_CHUNK_BYTES);
        this.push(raw.subarray(offset, end));
        offset = end;
      },
    });
    try {
      simpleParser(input, {
        keepCidLinks: true,
        skipImageLinks: true,
        skipTextToHtml: true,
        skipTextLinks: true,
        checksumAlgo: 'sha256',
        maxHeadSize: limits.maxHeaderBytes,
        maxChildNodes: limits.maxParts,
        // html-to-text is the slow step on huge HTML; past this our linear stripper takes over.
        maxHtmlLengthToParse: 1_000_000,
      }).then(
        (mail) => settle({ kind: 'ok', mail }),
        (error: unknown) => settle({ kind: 'error', error }),
      );
    } catch (error) {
      settle({ kind: 'error', error });
    }
  });
}

// ------------------------------------------------------------------ building the result

interface BuildContext {
  raw: Buffer;
  headEnd: number;
  headerHash: string;
  receivedAt: number;
  limits: MimeLimits;
  structure: Structure;
  notes: string[];
}

async function toParsedEmail(mail: ParsedMail, ctx: BuildContext): Promise<ParsedEmail> {
  const { limits } = ctx;
  const notes = [...ctx.notes];
  const lost: string[] = [];
  const fields = readHeaderFields(ctx.raw, ctx.headEnd, ['date', 'message-id', 'list-id', 'return-path']);

  const rawDate = fields.get('date')?.[0];
  const headerDate = rawDate !== undefined ? parseMailDate(rawDate) : null;
  const dateOk = headerDate !== null && headerDate <= ctx.receivedAt + DAY_MS;
  if (rawDate !== undefined && !dateOk) notes.push(`The Date header "${clip(rawDate.trim(), 60)}" could not be used; the arrival time is shown instead.`);

  const attachments: EmailAttachment[] = [];
  const forwardedSources: Buffer[] = [];
  (Array.isArray(mail.attachments) ? mail.attachments : []).forEach((a, index) => {
    const contentType = normalizeContentType(a.contentType);
    const filename = sanitizeFilename(a.filename, contentType, index);
    const content = Buffer.isBuffer(a.content) ? a.content : Buffer.alloc(0);
    if (content.length > limits.maxAttachmentBytes) {
      const sentence = `The attachment "${filename}" (${formatBytes(content.length)}) was not imported: attachments are limited to ${formatBytes(limits.maxAttachmentBytes)} each.`;
      notes.push(sentence);
      lost.push(sentence);
      return;
    }
    if (contentType === 'message/rfc822') forwardedSources.push(content);
    const contentId = cleanContentId(a.cid ?? a.contentId);
    attachments.push({
      filename,
      contentType,
      size: content.length,
      contentId,
      inline: contentId !== null && (a.related === true || a.contentDisposition === 'inline'),
      sha256: typeof a.checksum === 'string' && /^[0-9a-f]{64}$/.test(a.checksum) ? a.checksum : sha256(content),
      content,
    });
  });

  let html: string | null = typeof mail.html === 'string' && mail.html.length > 0 ? stripNul(mail.html) : null;
  if (html !== null && html.length > limits.maxHtmlChars) {
    notes.push(`The HTML version (${formatBytes(html.length)}) is larger than ${formatBytes(limits.maxHtmlChars)} and was not kept; the plain text is shown.`);
    html = null;
  }

  let text = typeof mail.text === 'string' ? mail.text : '';
  if (text.trim() === '' && typeof mail.html === 'string' && mail.html.length > 0) text = htmlToPlainText(mail.html.slice(0, limits.maxHtmlChars));
  text = stripNul(text).replace(/\r\n?/g, '\n').replace(/^\ufeff/, '');
  if (text.length > limits.maxTextChars) {
    const sentence = `The rest of the text (${(text.length - limits.maxTextChars).toLocaleString('en-US')} characters) was not imported.`;
    text = text.slice(0, limits.maxTextChars);
    notes.push(sentence);
    lost.push(sentence);
  }
  if (lost.length > 0) text = `${text.replace(/\s+$/, '')}${text.trim() ? '\n\n' : ''}${lost.map((s) => `[${s}]`).join('\n')}`;

  const forwarded: ForwardedSummary[] = [];
  const embedded = ctx.structure.embedded.filter((e) => e.parsedInline).map((e) => ctx.raw.subarray(e.start, Math.min(ctx.raw.length, e.start + limits.maxHeaderBytes)));
  for (const source of [...embedded, ...forwardedSources].slice(0, MAX_FORWARDED)) {
    const summary = await summarizeForwarded(source, limits);
    if (summary) forwarded.push(summary);
  }

  const listIdRaw = fields.get('list-id')?.[0];
  const returnPathRaw = fields.get('return-path')?.[0];
  return {
    kind: 'parsed',
    messageId: mail.messageId !== undefined ? normalizeMessageId(mail.messageId) : null,
    inReplyTo: firstMessageId(mail.inReplyTo),
    references: referencesOf(mail.references),
    subject: typeof mail.subject === 'string' ? cleanLine(mail.subject, 2000) : null,
    from: mailboxes(mail.from)[0] ?? null,
    to: mailboxes(mail.to),
    cc: mailboxes(mail.cc),
    replyTo: mailboxes(mail.replyTo),
    date: dateOk ? (headerDate as number) : ctx.receivedAt,
    dateFromHeader: dateOk,
    text,
    html,
    attachments,
    autoSubmitted: headerString(mail, 'auto-submitted'),
    precedence: headerString(mail, 'precedence'),
    listId: listIdRaw !== undefined ? cleanLine(utf8OrLatin1(listIdRaw), 500) || null : null,
    autoResponseSuppress: headerString(mail, 'x-auto-response-suppress'),
    returnPath: returnPathRaw !== undefined ? returnPathOf(returnPathRaw) : null,
    headerHash: ctx.headerHash,
    forwarded,
    notes,
    size: ctx.raw.length,
  };
}

const MAX_FORWARDED = 20;

async function summarizeForwarded(source: Buffer, limits: MimeLimits): Promise<ForwardedSummary | null> {
  const end = headerBlockEnd(source).end;
  if (end === 0 || end > limits.maxHeaderBytes) return null;
  const fields = readHeaderFields(source, end, ['subject', 'from', 'date', 'message-id']);
  if (fields.size === 0) return null;
  let from: Mailbox | null = null;
  let subject: string | null = null;
  const rawSubject = fields.get('subject')?.[0];
  const rawFrom = fields.get('from')?.[0];
  if (rawSubject !== undefined || rawFrom !== undefined) {
    try {
      const head = [rawSubject !== undefined ? `Subject: ${rawSubject}` : '', rawFrom !== undefined ? `From: ${rawFrom}` : ''].filter(Boolean).join('\r\n');
      const mail = await simpleParser(Buffer.from(`${head}\r\n\r\n`, 'latin1'), { skipTextToHtml: true, maxHeadSize: limits.maxHeaderBytes });
      subject = typeof mail.subject === 'string' ? cleanLine(mail.subject, 2000) : null;
      from = mailboxes(mail.from)[0] ?? null;
    } catch {
      // a summary is best effort
    }
  }
  const rawDate = fields.get('date')?.[0];
  const mid = fields.get('message-id')?.[0];
  return { subject, from, date: rawDate !== undefined ? parseMailDate(rawDate) : null, messageId: mid !== undefined ? normalizeMessageId(mid) : null };
}

function headerString(mail: ParsedMail, key: string): string | null {
  const value = mail.headers?.get(key);
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? cleanLine(first, 500) || null : null;
}

function returnPathOf(value: string): string {
  const v = utf8OrLatin1(value);
  const bracketed = /<([^<>]*)>/.exec(v);
  return cleanLine(bracketed ? bracketed[1]! : v, 320);
}

// ------------------------------------------------------------------ small normalizers (exported for tests)

/** `<id@host>` from a Message-ID-like header value, or null when there is nothing usable. */
export function normalizeMessageId(value: string | null | undefined): string | null {
  if (typeof value !== 'string') return null;
  const v = stripNul(value).trim();
  if (v === '' || v.length > 998) return null;
  const bracketed = /<([^<>\s]+)>/.exec(v);
  if (bracketed) return `<${bracketed[1]}>`;
  const bare = v.replace(/^<|>$/g, '').trim();
  return bare !== '' && !/[\s<>]/.test(bare) ? `<${bare}>` : null;
}

function firstMessageId(value: string | undefined): string | null {
  return typeof value === 'string' ? normalizeMessageId(value) : null;
}

const MAX_REFERENCES = 100;

/** Every Message-ID in References, in order, without duplicates; the root and the newest kept when cut. */
export function referencesOf(value: string | string[] | undefined): string[] {
  const raw = value === undefined ? [] : Array.isArray(value) ? value : [value];
  const out: string[] = [];
  const seen = new Set<string>();
  for (const entry of raw) {
    if (typeof entry !== 'string') continue;
    const ids = entry.match(/<[^<>\s]+>/g) ?? entry.split(/[\s,]+/);
    for (const id of ids) {
      const n = normalizeMessageId(id);
      if (n !== null && !seen.has(n)) {
        seen.add(n);
        out.push(n);
      }
    }
  }
  return out.length > MAX_REFERENCES ? [out[0]!, ...out.slice(out.length - (MAX_REFERENCES - 1))] : out;
}

function mailboxes(value: AddressObject | AddressObject[] | undefined): Mailbox[] {
  const objects = value === undefined ? [] : Array.isArray(value) ? value : [value];
  const out: Mailbox[] = [];
  const visit = (entries: unknown, depth: number) => {
    if (!Array.isArray(entries)) return;
    for (const entry of entries as AddressObject['value']) {
      if (out.length >= 1000 || entry === null || typeof entry !== 'object') return;
      if (entry.group && depth < 2) visit(entry.group, depth + 1);
      const address = typeof entry.address === 'string' ? stripNul(entry.address).trim().replace(/^<|>$/g, '') : '';
      if (address === '' || /\s/.test(address) || address.length > 320) continue;
      // Bidi overrides in a display name spoof it ("Support\u202Emoc.knab" shows as "Supportbank.com").
      const name = typeof entry.name === 'string' ? entry.name : '';
      out.push({ name: cleanLine(name.replace(BIDI_CONTROLS, ''), 200), address });
    }
  };
  for (const object of objects) visit(object && typeof object === 'object' ? object.value : undefined, 0);
  return out;
}

/**
 * Epoch ms from an RFC 5322 date (obsolete forms included), or null when it cannot be read or is
 * before 1980 (unset clocks, year 0, two-digit garbage).
 */
export function parseMailDate(value: string): number | null {
  let v = stripNul(value).replace(/\([^()]*\)/g, ' ').replace(/\s+/g, ' ').trim();
  if (v === '' || v.length > 200) return null;
  // "+0200" after a time is understood; a bare "-0000" or "UT" is also read by V8.
  v = v.replace(/\bUT\b/, 'GMT');
  // An impossible zone (+9999) is not a date V8 should guess at.
  const zone = /(?:^|\s)[+-](\d\d)(\d\d)(?:\s|$)/.exec(v);
  if (zone && (Number(zone[1]) > 14 || Number(zone[2]) > 59)) return null;
  const ms = Date.parse(v);
  if (!Number.isFinite(ms) || ms < Date.UTC(1980, 0, 1) || ms > Date.UTC(9999, 11, 31)) return null;
  // V8 reads "0000" as 2000 and "99999" as something: the written year must be the year parsed.
  const year = /(?:^|[\s,])(\d{4,})(?=[\s,]|$)/.exec(v);
  if (year && Math.abs(new Date(ms).getUTCFullYear() - Number(year[1])) > 1) return null;
  return ms;
}

const BIDI_CONTROLS = /[\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069\ufeff]/g;

const WINDOWS_RESERVED = /^(con|prn|aux|nul|com\d|lpt\d|conin\$|conout\$)(\..*)?$/i;
const EXTENSIONS: Record<string, string> = {
  'text/plain': '.txt',
  'text/html': '.html',
  'text/calendar': '.ics',
  'text/csv': '.csv',
  'image/png': '.png',
  'image/jpeg': '.jpg',
  'image/gif': '.gif',
  'image/webp': '.webp',
  'application/pdf': '.pdf',
  'application/zip': '.zip',
  'message/rfc822': '.eml',
  'message/delivery-status': '.txt',
};

/**
 * A file name safe on every OS: the last path segment only, no control, bidi-override or reserved
 * characters, no leading dots (no ".." and no hidden files), not a Windows device name, at most 180
 * characters with the extension kept; `attachment-N.ext` when nothing is left.
 */
export function sanitizeFilename(name: string | undefined | null, contentType: string, index: number): string {
  let n = typeof name === 'string' ? name : '';
  // eslint-disable-next-line no-control-regex -- control characters are what is being removed
  n = n.normalize('NFC').replace(/[\u0000-\u001f\u007f-\u009f]/g, '');
  // Lookalike slashes too: Windows' "best fit" mapping turns U+2215 and U+FF0F into "/" and U+FF3C into "\".
  const segments = n.split(/[/\\\u2044\u2215\u29f8\u29f9\uff0f\uff3c]/);
  n = segments[segments.length - 1] ?? '';
  n = n
    // bidi overrides and isolates let "invoice\u202Etxt.exe" show as "invoiceexe.txt"
    .replace(BIDI_CONTROLS, '')
    .replace(/[<>:"|?*\uff1a\uff1c\uff1e\uff02\uff5c\uff1f\uff0a]/g, '_')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^[.\uff0e\u2024\s]+/, '')
    .replace(/[.\s]+$/, '');
  if (WINDOWS_RESERVED.test(n)) n = `_${n}`;
  if (n.length > 180) {
    const dot = n.lastIndexOf('.');
    const ext = dot > 0 && n.length - dot <= 16 ? n.slice(dot) : '';
    n = n.slice(0, 180 - ext.length).replace(/[.\s]+$/, '') + ext;
  }
  return n || `attachment-${index + 1}${EXTENSIONS[contentType] ?? ''}`;
}

function normalizeContentType(value: unknown): string {
  // mailparser hands over `false` for a part whose Content-Type it could not read.
  const v = typeof value === 'string' ? value.trim().toLowerCase() : '';
  return /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/.test(v) ? v : 'application/octet-stream';
}

function cleanContentId(value: string | undefined): string | null {
  if (typeof value !== 'string') return null;
  const v = stripNul(value).trim().replace(/^<|>$/g, '').trim();
  return v === '' || v.length > 500 || /[\s<>]/.test(v) ? null : v;
}

function stripNul(s: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what is being removed
  return s.includes('\u0000') ? s.replace(/\u0000/g, '') : s;
}

/** One line of display text: controls removed, whitespace collapsed, length capped. */
function cleanLine(s: string, max: number): string {
  // eslint-disable-next-line no-control-regex -- control characters are what is being removed
  const v = s.replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/\s+/g, ' ').trim();
  return v.length > max ? v.slice(0, max) : v;
}

function clip(s: string, max: number): string {
  const v = cleanLine(s, max + 1);
  return v.length > max ? `${v.slice(0, max - 1)}…` : v;
}

/** "1 MB", "2.5 MB", "3 KB", "12 bytes". */
export function formatBytes(n: number): string {
  const one = (v: number) => v.toFixed(1).replace(/\.0$/, '');
  if (n >= MB) return `${one(n / MB)} MB`;
  if (n >= KB) return `${one(n / KB)} KB`;
  return `${n} bytes`;
}

function sha256(data: Buffer | string): string {
  return crypto.createHash('sha256').update(data).digest('hex');
}

// ------------------------------------------------------------------ HTML to text (fallback)

const NAMED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', copy: '©', reg: '®', hellip: '…', mdash: '—', ndash: '–' };

/**
 * Plain text from HTML in one linear pass, for when mailparser's converter gave up (too long or too
 * deep): script/style/head content dropped, block ends as line breaks, common entities decoded.
 */
export function htmlToPlainText(html: string): string {
  const out: string[] = [];
  const lower = html.toLowerCase();
  let i = 0;
  while (i < html.length) {
    const lt = html.indexOf('<', i);
    if (lt === -1) {
      out.push(html.slice(i));
      break;
    }
    out.push(html.slice(i, lt));
    const gt = html.indexOf('>', lt + 1);
    if (gt === -1) break; // an unterminated tag at the end: drop it
    const tag = /^<\/?\s*([a-z0-9]+)/.exec(lower.slice(lt, Math.min(gt + 1, lt + 40)));
    const name = tag?.[1] ?? '';
    const closing = lower[lt + 1] === '/';
    if (!closing && (name === 'script' || name === 'style' || name === 'head' || name === 'title')) {
      const close = lower.indexOf(`</${name}`, gt + 1);
      if (close === -1) break;
      const closeEnd = html.indexOf('>', close);
      i = closeEnd === -1 ? html.length : closeEnd + 1;
      continue;
    }
    if (/^(br|p|div|tr|li|h[1-6]|table|blockquote|pre|hr)$/.test(name)) out.push('\n');
    i = gt + 1;
  }
  return out
    .join('')
    .replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|[a-z]{2,8});/gi, (m, e: string) => {
      if (e[0] === '#') {
        const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
        return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : '';
      }
      return NAMED_ENTITIES[e.toLowerCase()] ?? m;
    })
    .replace(/[ \t\u00a0]+/g, ' ')
    .replace(/ *\n */g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

// ------------------------------------------------------------------ raw header block

/** Where the top-level header block ends (the offset of the empty line), and where the body starts. */
export function headerBlockEnd(raw: Buffer): { end: number; bodyStart: number } {
  if (raw.length === 0) return { end: 0, bodyStart: 0 };
  // A message that starts with an empty line has no headers.
  if (raw[0] === 0x0a) return { end: 0, bodyStart: 1 };
  if (raw[0] === 0x0d && raw[1] === 0x0a) return { end: 0, bodyStart: 2 };
  const crlf = raw.indexOf('\r\n\r\n');
  const lf = raw.indexOf('\n\n');
  const candidates: { end: number; bodyStart: number }[] = [];
  if (crlf !== -1) candidates.push({ end: crlf + 2, bodyStart: crlf + 4 });
  if (lf !== -1) candidates.push({ end: lf + 1, bodyStart: lf + 2 });
  // "\n\r\n": an LF line followed by a CRLF empty line
  const mixed = raw.indexOf('\n\r\n');
  if (mixed !== -1) candidates.push({ end: mixed + 1, bodyStart: mixed + 3 });
  if (candidates.length === 0) return { end: raw.length, bodyStart: raw.length };
  return candidates.reduce((a, b) => (b.end < a.end ? b : a));
}

/**
 * The unfolded values (as latin1 strings, i.e. the raw bytes) of the named fields in the header block
 * `raw[0, end)`, in order. Linear in the block; only the wanted fields are kept.
 */
export function readHeaderFields(raw: Buffer, end: number, names: readonly string[]): Map<string, string[]> {
  const wanted = new Set(names.map((n) => n.toLowerCase()));
  const out = new Map<string, string[]>();
  let current: { name: string; parts: string[] } | null = null;
  const flush = () => {
    if (!current) return;
    const list = out.get(current.name) ?? [];
    if (list.length < 50) list.push(current.parts.join(' '));
    out.set(current.name, list);
    current = null;
  };
  let pos = 0;
  while (pos < end) {
    const nl = raw.indexOf(0x0a, pos);
    const lineEnd = nl === -1 || nl >= end ? end : nl;
    let contentEnd = lineEnd;
    if (contentEnd > pos && raw[contentEnd - 1] === 0x0d) contentEnd--;
    const first = raw[pos];
    if (first === 0x20 || first === 0x09) {
      if (current) (current as { parts: string[] }).parts.push(raw.toString('latin1', pos, Math.min(contentEnd, pos + 100_000)).trim());
    } else {
      flush();
      const colon = raw.indexOf(0x3a, pos);
      if (colon !== -1 && colon < contentEnd && colon - pos <= 100) {
        const name = raw.toString('latin1', pos, colon).trim().toLowerCase();
        if (wanted.has(name)) current = { name, parts: [raw.toString('latin1', colon + 1, Math.min(contentEnd, colon + 1 + 100_000)).trim()] };
      }
    }
    pos = lineEnd + 1;
  }
  flush();
  return out;
}

const HASH_FIELDS = ['from', 'date', 'subject', 'message-id', 'to'] as const;

/**
 * sha256 over the normalized From, Date, Subject, Message-ID and To, and over the whole message
 * after the trace fields a server prepends on delivery (Received, Return-Path, Delivered-To): the
 * same for every copy of one message (another folder, a new UIDVALIDITY, a second account), so it
 * deduplicates when the Message-ID is missing; different when two messages share those headers but
 * not their content (two messages, both kept). Computed on the bytes as received, before any repair.
 */
export function headerHashOf(raw: Buffer, end: number): string {
  const fields = readHeaderFields(raw, end, HASH_FIELDS);
  const norm = (s: string) => stripNul(s).replace(/\s+/g, ' ').trim();
  const lines = HASH_FIELDS.map((name) => {
    const values = fields.get(name) ?? [];
    let value: string;
    if (name === 'to') value = values.map((v) => norm(v).toLowerCase()).join(', ');
    else if (name === 'message-id') value = values[0] !== undefined ? (normalizeMessageId(values[0]) ?? norm(values[0])) : '';
    else if (name === 'from') value = values[0] !== undefined ? norm(values[0]).toLowerCase() : '';
    else value = values[0] !== undefined ? norm(values[0]) : '';
    return `${name}:${value}`;
  });
  lines.push(`content:${sha256(raw.subarray(afterTraceHeaders(raw, end)))}`);
  return sha256(Buffer.from(lines.join('\n'), 'latin1'));
}

/** Header fields that servers prepend on delivery; a copy of a message may have them or not. */
const TRACE_FIELDS = /^(received|return-path|delivered-to|x-original-to|x-delivered-to|envelope-to)\s*:/i;

/** Where the message proper starts: after the trace fields prepended at the top (with their folded lines). */
function afterTraceHeaders(raw: Buffer, end: number): number {
  let at = 0;
  while (at < end) {
    const lineEnd = raw.indexOf(0x0a, at);
    const next = lineEnd < 0 || lineEnd >= end ? end : lineEnd + 1;
    const line = raw.toString('latin1', at, Math.min(next, at + 40));
    const folded = line.startsWith(' ') || line.startsWith('\t');
    if (!folded && !TRACE_FIELDS.test(line)) break;
    at = next;
  }
  return Math.min(at, raw.length);
}

/** A header value given as raw bytes (latin1 string): RFC 2047 words decoded, 8-bit bytes read as UTF-8 or Windows-1252. */
async function decodeHeaderText(rawValue: string): Promise<string> {
  const value = rawValue.length > 4000 ? rawValue.slice(0, 4000) : rawValue;
  const bytes = Buffer.from(utf8OrLatin1(value), 'utf8');
  try {
    const mail = await simpleParser(Buffer.concat([Buffer.from('Subject: '), bytes, Buffer.from('\r\n\r\n')]), { skipTextToHtml: true });
    return typeof mail.subject === 'string' ? cleanLine(mail.subject, 2000) : '';
  } catch {
    return cleanLine(value, 2000);
  }
}

/** Raw header bytes (latin1 string) as text: UTF-8 when they are, else Windows-1252. */
function utf8OrLatin1(latin1: string): string {
  const bytes = Buffer.from(latin1, 'latin1');
  return looksLikeLegacy8bit(bytes, 0, bytes.length) ? windows1252.decode(bytes) : bytes.toString('utf8');
}

// ------------------------------------------------------------------ structure scan and charset repair

const windows1252 = new TextDecoder('windows-1252');

interface PartInfo {
  headerStart: number;
  bodyStart: number;
  bodyEnd: number;
  depth: number;
  /** Inside a message/rfc822 that mailparser keeps as an attachment: its bytes stay as they are. */
  verbatim: boolean;
  headerLines: { start: number; end: number; eol: string }[];
  headerBytes: number;
  type: string;
  params: Map<string, string>;
  encoding: string;
  disposition: string;
  /** The Content-Type field's physical lines, [start, end) including the line ending. */
  ctRange: { start: number; end: number; eol: string } | null;
  leaf: boolean;
}

interface Frame {
  boundary: string | null;
  verbatim: boolean;
}

export interface Structure {
  parts: number;
  depth: number;
  tooDeep: boolean;
  leaves: PartInfo[];
  headerParts: PartInfo[];
  /** Where embedded messages (7bit/8bit/binary message/rfc822) start, for their summaries. */
  embedded: { start: number; parsedInline: boolean }[];
}

function newPart(headerStart: number, depth: number, verbatim: boolean): PartInfo {
  return {
    headerStart,
    bodyStart: headerStart,
    bodyEnd: headerStart,
    depth,
    verbatim,
    headerLines: [],
    headerBytes: 0,
    type: '',
    params: new Map(),
    encoding: '',
    disposition: '',
    ctRange: null,
    leaf: false,
  };
}

/**
 * One linear pass over the MIME structure, following the rules mailsplit uses (a delimiter of any
 * open ancestor closes everything below it; an unencoded message/rfc822 part continues with the
 * embedded message's headers). It measures depth and part count before mailparser runs, and finds
 * the text parts and header lines whose charset may need repair.
 */
export function scanStructure(raw: Buffer, limits: Pick<MimeLimits, 'maxDepth' | 'maxParts' | 'maxHeaderBytes'>): Structure {
  const stack: Frame[] = [];
  const result: Structure = { parts: 1, depth: 0, tooDeep: false, leaves: [], headerParts: [], embedded: [] };
  let part: PartInfo | null = newPart(0, 0, false);
  let state: 'head' | 'body' = 'head';
  let pos = 0;
  const len = raw.length;

  const endHeader = (p: PartInfo, lineEnd: number) => {
    parsePartHeader(raw, p);
    result.headerParts.push(p);
    p.bodyStart = lineEnd;
    p.bodyEnd = len;
    const boundary = p.params.get('boundary');
    if (p.type.startsWith('multipart/') && boundary) {
      stack.push({ boundary, verbatim: p.verbatim });
      state = 'body';
    } else if (p.type === 'message/rfc822' && ['', '7bit', '8bit', 'binary'].includes(p.encoding)) {
      const parsedInline = p.disposition === 'inline';
      stack.push({ boundary: null, verbatim: p.verbatim || !parsedInline });
      result.embedded.push({ start: lineEnd, parsedInline: parsedInline && !p.verbatim });
      part = newPart(lineEnd, stack.length, p.verbatim || !parsedInline);
      if (!part.verbatim) result.parts++;
      state = 'head';
    } else {
      p.leaf = true;
      result.leaves.push(p);
      state = 'body';
    }
    // Only what mailparser descends into counts; an attached message is one opaque part to it.
    const depth = stack.reduce((n, f) => (f.verbatim ? n : n + 1), 0);
    if (depth > result.depth) result.depth = depth;
    if (depth > limits.maxDepth) result.tooDeep = true;
  };

  while (pos < len && !result.tooDeep && result.parts <= limits.maxParts) {
    const nl = raw.indexOf(0x0a, pos);
    const lineEnd = nl === -1 ? len : nl + 1;
    let contentEnd = nl === -1 ? len : nl;
    if (contentEnd > pos && raw[contentEnd - 1] === 0x0d) contentEnd--;

    if (contentEnd - pos >= 2 && raw[pos] === 0x2d && raw[pos + 1] === 0x2d && stack.length > 0) {
      const match = matchBoundary(raw, pos, contentEnd, stack);
      if (match) {
        if (part) {
          if (state === 'head') endHeader(part, pos);
          part.bodyEnd = pos;
        }
        if (match.closing) {
          stack.length = match.index;
          part = null;
          state = 'body';
        } else {
          stack.length = match.index + 1;
          part = newPart(lineEnd, stack.length, stack.some((f) => f.verbatim));
          if (!part.verbatim) result.parts++;
          state = 'head';
        }
        pos = lineEnd;
        continue;
      }
    }

    if (state === 'head' && part) {
      if (contentEnd === pos) {
        endHeader(part, lineEnd);
      } else if (part.headerBytes <= limits.maxHeaderBytes) {
        const eol = nl === -1 ? '' : raw[nl - 1] === 0x0d ? '\r\n' : '\n';
        part.headerLines.push({ start: pos, end: lineEnd, eol });
        part.headerBytes += lineEnd - pos;
      }
    }
    pos = lineEnd;
  }
  if (state === 'head' && part && !result.tooDeep) endHeader(part, len);
  return result;
}

function matchBoundary(raw: Buffer, start: number, end: number, stack: Frame[]): { index: number; closing: boolean } | null {
  for (let i = stack.length - 1; i >= 0; i--) {
    const b = stack[i]!.boundary;
    if (b === null || end - start < b.length + 2) continue;
    if (raw.toString('latin1', start + 2, start + 2 + b.length) !== b) continue;
    let rest = raw.toString('latin1', start + 2 + b.length, Math.min(end, start + 2 + b.length + 200));
    let closing = false;
    if (rest.startsWith('--')) {
      closing = true;
      rest = rest.slice(2);
    }
    if (rest.trim() === '') return { index: i, closing };
  }
  return null;
}

/** Content-Type, Content-Transfer-Encoding and Content-Disposition of a part, from its header lines. */
function parsePartHeader(raw: Buffer, p: PartInfo): void {
  let field: { name: string; value: string; start: number; end: number; eol: string } | null = null;
  const finish = () => {
    if (!field) return;
    const value = field.value;
    if (field.name === 'content-type' && p.ctRange === null) {
      const parsed = parseHeaderParams(value);
      p.type = parsed.value.toLowerCase();
      p.params = parsed.params;
      p.ctRange = { start: field.start, end: field.end, eol: field.eol };
    } else if (field.name === 'content-transfer-encoding' && p.encoding === '') {
      p.encoding = value.trim().toLowerCase();
    } else if (field.name === 'content-disposition' && p.disposition === '') {
      p.disposition = parseHeaderParams(value).value.toLowerCase();
    }
    field = null;
  };
  for (const line of p.headerLines) {
    const first = raw[line.start];
    if (first === 0x20 || first === 0x09) {
      if (field) {
        field.value += ` ${raw.toString('latin1', line.start, Math.min(line.end, line.start + 10_000)).trim()}`;
        field.end = line.end;
      }
      continue;
    }
    finish();
    const text = raw.toString('latin1', line.start, Math.min(line.end, line.start + 10_000));
    const colon = text.indexOf(':');
    if (colon <= 0) continue;
    const name = text.slice(0, colon).trim().toLowerCase();
    if (name === 'content-type' || name === 'content-transfer-encoding' || name === 'content-disposition') {
      field = { name, value: text.slice(colon + 1).trim(), start: line.start, end: line.end, eol: line.eol };
    }
  }
  finish();
}

/** `value; a=b; c="d"` → { value, params } with lowercase parameter names. */
export function parseHeaderParams(header: string): { value: string; params: Map<string, string> } {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < header.length; i++) {
    const ch = header[i]!;
    if (ch === '\\' && quoted && i + 1 < header.length) {
      current += ch + header[i + 1];
      i++;
    } else if (ch === '"') {
      quoted = !quoted;
      current += ch;
    } else if (ch === ';' && !quoted) {
      parts.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  parts.push(current);
  const params = new Map<string, string>();
  for (const p of parts.slice(1)) {
    const eq = p.indexOf('=');
    if (eq <= 0) continue;
    const key = p.slice(0, eq).trim().toLowerCase();
    let val = p.slice(eq + 1).trim();
    if (val.startsWith('"')) val = val.replace(/^"|"$/g, '').replace(/\\(.)/g, '$1');
    if (key && !params.has(key)) params.set(key, val);
  }
  return { value: (parts[0] ?? '').trim(), params };
}

/**
 * True when 8-bit bytes in raw[start, end) are not (mostly) UTF-8: Latin-1/Windows-1252 text sent
 * without a charset. A UTF-8 text with a stray bad byte stays UTF-8.
 */
export function looksLikeLegacy8bit(raw: Buffer, start: number, end: number): boolean {
  let valid = 0;
  let invalid = 0;
  let i = start;
  while (i < end) {
    const b = raw[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    // The length of the sequence this lead byte announces, and the smallest code point it may carry.
    const need = b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : 0;
    const min = need === 1 ? 0x80 : need === 2 ? 0x800 : 0x10000;
    let ok = need > 0 && i + need < end;
    let cp = need === 1 ? b & 0x1f : need === 2 ? b & 0x0f : b & 0x07;
    for (let k = 1; ok && k <= need; k++) {
      const c = raw[i + k]!;
      if ((c & 0xc0) !== 0x80) ok = false;
      else cp = (cp << 6) | (c & 0x3f);
    }
    if (ok && (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))) ok = false;
    if (ok) {
      valid++;
      i += need + 1;
    } else {
      invalid++;
      i++;
    }
  }
  return invalid > 0 && invalid >= valid;
}

const KNOWN_EXTRA_CHARSETS = /^(cp|ibm|x-ibm|windows-?|iso-?8859|iso-?2022|koi8|mac|x-mac|gb|big5|euc|shift|sjis|ks_c|tis|viscii|utf-?(7|16|32)|ucs|latin|ascii|us-ascii|armscii|georgian|tcvn|hz)/i;

function isKnownCharset(label: string): boolean {
  try {
    new TextDecoder(label);
    return true;
  } catch {
    return KNOWN_EXTRA_CHARSETS.test(label);
  }
}

function decodeTransfer(raw: Buffer, start: number, end: number, encoding: string): Buffer {
  const body = raw.subarray(start, end);
  if (encoding === 'base64') return Buffer.from(body.toString('latin1').replace(/[^A-Za-z0-9+/]/g, ''), 'base64');
  if (encoding !== 'quoted-printable') return body;
  const out = Buffer.alloc(body.length);
  let o = 0;
  for (let i = 0; i < body.length; i++) {
    const b = body[i]!;
    if (b === 0x3d) {
      const h1 = body[i + 1];
      const h2 = body[i + 2];
      if (h1 === 0x0d && h2 === 0x0a) {
        i += 2;
        continue;
      }
      if (h1 === 0x0a) {
        i += 1;
        continue;
      }
      const hex = h1 !== undefined && h2 !== undefined ? String.fromCharCode(h1, h2) : '';
      if (/^[0-9a-fA-F]{2}$/.test(hex)) {
        out[o++] = parseInt(hex, 16);
        i += 2;
        continue;
      }
    }
    out[o++] = b;
  }
  return out.subarray(0, o);
}

interface Edit {
  start: number;
  end: number;
  bytes: Buffer;
}

/**
 * Rewrites, in a copy, what mailparser would otherwise decode as UTF-8 and turn into U+FFFD: header
 * lines with raw Latin-1 bytes become UTF-8, and text parts without a usable charset (missing,
 * unknown, or "utf-8"/"us-ascii" that is not) whose bytes are Latin-1 get charset=windows-1252.
 */
export function repairCharsets(raw: Buffer, structure: Structure): { raw: Buffer; notes: string[] } {
  const edits: Edit[] = [];
  let headerFixes = 0;
  let bodyFixes = 0;
  for (const p of structure.headerParts) {
    if (p.verbatim) continue;
    for (const line of p.headerLines) {
      let high = false;
      for (let i = line.start; i < line.end; i++) {
        if (raw[i]! >= 0x80) {
          high = true;
          break;
        }
      }
      if (!high || !looksLikeLegacy8bit(raw, line.start, line.end)) continue;
      edits.push({ start: line.start, end: line.end, bytes: Buffer.from(windows1252.decode(raw.subarray(line.start, line.end)), 'utf8') });
      headerFixes++;
    }
  }
  for (const p of structure.leaves) {
    if (p.verbatim || p.bodyEnd <= p.bodyStart) continue;
    const type = p.type || 'text/plain';
    if (!type.startsWith('text/')) continue;
    const charset = (p.params.get('charset') ?? '').trim().toLowerCase();
    const suspicious = charset === '' || charset === 'utf-8' || charset === 'utf8' || charset === 'us-ascii' || charset === 'ascii' || !isKnownCharset(charset);
    if (!suspicious) continue;
    const body = decodeTransfer(raw, p.bodyStart, p.bodyEnd, p.encoding);
    if (!looksLikeLegacy8bit(body, 0, body.length)) continue;
    const params = [...p.params].filter(([k]) => k !== 'charset').map(([k, v]) => `; ${k}="${v.replace(/["\\\r\n]/g, '')}"`);
    const eol = p.ctRange?.eol || (raw.indexOf('\r\n') !== -1 ? '\r\n' : '\n');
    const line = Buffer.from(`Content-Type: ${type}${params.join('')}; charset=windows-1252${eol}`, 'latin1');
    edits.push(p.ctRange ? { start: p.ctRange.start, end: p.ctRange.end, bytes: line } : { start: p.headerStart, end: p.headerStart, bytes: line });
    bodyFixes++;
  }
  if (edits.length === 0) return { raw, notes: [] };
  // A Content-Type rewrite wins over a header-line transcoding of the same bytes.
  edits.sort((a, b) => a.start - b.start || b.end - b.start - (a.end - a.start));
  const pieces: Buffer[] = [];
  let at = 0;
  for (const e of edits) {
    if (e.start < at) continue;
    pieces.push(raw.subarray(at, e.start), e.bytes);
    at = e.end;
  }
  pieces.push(raw.subarray(at));
  const notes: string[] = [];
  if (headerFixes > 0) notes.push('Some headers contained 8-bit text without an encoding; they were read as Windows-1252 (Latin-1).');
  if (bodyFixes > 0) notes.push('Some text had no usable character set; it was read as Windows-1252 (Latin-1).');
  return { raw: Buffer.concat(pieces), notes };
}

