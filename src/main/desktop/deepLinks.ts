// What a link the OS hands the app asks for: omni://case/<id>, omni://customer/<id>,
// omni://search?q=…, tel: (click-to-call, E.164) and mailto: (a new email). Pure and total: every
// other input — other schemes, look-alikes, injected headers, oversize text — is refused with a reason.
import { compactPhone, normalizeEmail, normalizePhone } from '../../shared/identity/normalize';
import { MAX_REPLY_CHARS } from '../../shared/contract';
import { say, type Said } from '../../shared/serverErrors';

export const LINK_SCHEMES = ['omni', 'tel', 'mailto'] as const;
export type LinkScheme = (typeof LINK_SCHEMES)[number];

export type DeepLink =
  | { kind: 'case'; caseId: number }
  | { kind: 'customer'; customerId: number }
  | { kind: 'search'; query: string }
  /** `number` is E.164; `display` the international format for people. */
  | { kind: 'call'; number: string; extension: string | null; display: string }
  | { kind: 'email'; to: string[]; cc: string[]; bcc: string[]; subject: string; body: string };

export type DeepLinkErrorCode = 'link/unsupported' | 'link/malformed';

export interface DeepLinkError {
  code: DeepLinkErrorCode;
  /** The English sentence; `key` and `params` name it in the serverErrors catalog (absent for the identity engine's own sentences). */
  message: string;
  key?: string;
  params?: Readonly<Record<string, string | number>>;
}

export type DeepLinkResult = { ok: true; link: DeepLink } | { ok: false; error: DeepLinkError };

export interface DeepLinkOptions {
  /** The region a tel: number without a country code is dialled from (ISO 3166, e.g. US). */
  defaultRegion?: string;
}

/** Longer links are refused outright: nothing this app opens needs more, and parsing stays cheap. */
export const MAX_LINK_LENGTH = 8192;
export const MAX_SEARCH_CHARS = 500;
export const MAX_SUBJECT_CHARS = 998;
export const MAX_RECIPIENTS = 50;
/** Database ids are positive integers the renderer can hold exactly. */
const ID = /^[1-9][0-9]{0,15}$/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
// eslint-disable-next-line no-control-regex
const CONTROL_BUT_LINE_BREAKS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

const fail = (code: DeepLinkErrorCode, text: Said | string): DeepLinkResult => ({ ok: false, error: typeof text === 'string' ? { code, message: text } : { code, ...text } });
const malformed = (text: Said | string) => fail('link/malformed', text);
const done = (link: DeepLink): DeepLinkResult => ({ ok: true, link });

/** A printable excerpt of untrusted input for a message (no control characters, at most 80 chars). */
function excerpt(text: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, '?');
  return clean.length > 80 ? `${clean.slice(0, 80)}…` : clean;
}

function decode(part: string): string | null {
  try {
    return decodeURIComponent(part);
  } catch {
    return null;
  }
}

export function parseDeepLink(raw: unknown, options: DeepLinkOptions = {}): DeepLinkResult {
  if (typeof raw !== 'string' || raw.length === 0) return malformed(say('linkEmpty'));
  if (raw.length > MAX_LINK_LENGTH) return malformed(say('linkTooLong', { max: MAX_LINK_LENGTH }));
  if (CONTROL.test(raw) || raw !== raw.trim()) return malformed(say('linkSpaces'));
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return malformed(say('linkNotALink', { text: excerpt(raw) }));
  }
  switch (url.protocol) {
    case 'omni:':
      return parseOmni(url);
    case 'tel:':
      return parseTel(url, options.defaultRegion ?? 'US');
    case 'mailto:':
      return parseMailto(url);
    default:
      return fail('link/unsupported', say('linkScheme', { scheme: excerpt(url.protocol) }));
  }
}

function parseOmni(url: URL): DeepLinkResult {
  // Non-special schemes keep the host as written, so compare it lower-cased and refuse anything
  // a look-alike could hide in: credentials, a port, a percent-encoded host.
  if (url.username !== '' || url.password !== '' || url.port !== '') return malformed(say('linkOmniCredentials'));
  const target = url.hostname.toLowerCase();
  if (url.hash !== '') return malformed(say('linkOmniFragment'));
  if (target === 'case' || target === 'customer') {
    if (url.search !== '') return malformed(say('linkOmniQuery', { target }));
    const id = url.pathname.replace(/^\/|\/$/g, '');
    if (!ID.test(id) || !Number.isSafeInteger(Number(id))) {
      return malformed(say(target === 'case' ? 'linkNotACaseNumber' : 'linkNotACustomerNumber', { text: excerpt(url.pathname) }));
    }
    return target === 'case' ? done({ kind: 'case', caseId: Number(id) }) : done({ kind: 'customer', customerId: Number(id) });
  }
  if (target === 'search') {
    if (url.pathname !== '' && url.pathname !== '/') return malformed(say('linkSearchPath'));
    // Form encoding (+ is a space), decoded strictly: URLSearchParams would turn a broken escape
    // into U+FFFD and search for that.
    const pairs = url.search.replace(/^\?/, '').split('&');
    if (pairs.length !== 1 || !pairs[0]!.startsWith('q=')) return malformed(say('linkSearchQuery'));
    const decoded = decode(pairs[0]!.slice(2).replace(/\+/g, ' '));
    if (decoded === null) return malformed(say('linkSearchEscape'));
    const query = decoded.trim();
    if (query.length === 0) return malformed(say('linkSearchEmpty'));
    if (query.length > MAX_SEARCH_CHARS) return malformed(say('linkSearchTooLong', { max: MAX_SEARCH_CHARS }));
    if (CONTROL.test(query)) return malformed(say('linkSearchControl'));
    return done({ kind: 'search', query });
  }
  if (target === '') return malformed(say('linkOmniEmpty'));
  return fail('link/unsupported', say('linkOmniUnknown', { target: excerpt(target) }));
}

/** RFC 3966: `tel:+1-415-555-2671;ext=12`. Other parameters (isub, phone-context) are ignored. */
function parseTel(url: URL, region: string): DeepLinkResult {
  if (url.search !== '' || url.hash !== '') return malformed(say('linkTelQuery'));
  const text = decode(url.pathname);
  if (text === null) return malformed(say('linkTelEscape'));
  if (CONTROL.test(text)) return malformed(say('linkTelControl'));
  const [number = '', ...params] = text.split(';');
  let extension: string | null = null;
  for (const param of params) {
    const [name = '', value = ''] = param.split('=', 2);
    if (name.toLowerCase() !== 'ext') continue;
    if (!/^[0-9]{1,10}$/.test(value)) return malformed(say('linkTelExtension'));
    extension = value;
  }
  // Only the characters phone numbers are written with: a letter or a quote means someone is
  // trying something (tel:javascript:…, vanity words are not dialled from here).
  if (!/^\+?[0-9]+$/.test(compactPhone(number))) return malformed(say('linkTelNotANumber', { text: excerpt(number) }));
  const normalized = normalizePhone(number, region);
  if (!normalized.ok) return malformed(normalized.said ?? normalized.message);
  const { value, display } = normalized.identifier;
  return done({ kind: 'call', number: value, extension, display: extension ? `${display} ext. ${extension}` : display });
}

/**
 * RFC 6068: `mailto:a@x.example,b@x.example?cc=…&subject=…&body=…`. Unlike a form query a `+` is
 * a plus here, so the query is split by hand and each part percent-decoded. Headers other than
 * to, cc, bcc, subject and body (attach, in-reply-to …) are ignored: a link does not pick files.
 */
function parseMailto(url: URL): DeepLinkResult {
  const fields = { to: [] as string[], cc: [] as string[], bcc: [] as string[], subject: [] as string[], body: [] as string[] };
  const path = decode(url.pathname);
  if (path === null) return malformed(say('linkMailEscape'));
  if (path !== '') fields.to.push(path);
  const query = url.search.replace(/^\?/, '');
  for (const pair of query === '' ? [] : query.split('&')) {
    const eq = pair.indexOf('=');
    const name = decode(eq < 0 ? pair : pair.slice(0, eq));
    const value = decode(eq < 0 ? '' : pair.slice(eq + 1));
    if (name === null || value === null) return malformed(say('linkMailEscape'));
    const key = name.toLowerCase();
    if (key in fields) fields[key as keyof typeof fields].push(value);
  }
  if (fields.subject.length > 1 || fields.body.length > 1) return malformed('The mailto: link names the subject or the body twice.');
  const subject = (fields.subject[0] ?? '').trim();
  if (/[\r\n]/.test(subject)) return malformed(say('linkMailSubjectBreak'));
  if (CONTROL.test(subject)) return malformed(say('linkMailSubjectControl'));
  if (subject.length > MAX_SUBJECT_CHARS) return malformed(say('linkMailSubjectTooLong', { max: MAX_SUBJECT_CHARS }));
  const body = (fields.body[0] ?? '').replace(/\r\n?/g, '\n');
  if (CONTROL_BUT_LINE_BREAKS.test(body)) return malformed(say('linkMailBodyControl'));
  if (body.length > MAX_REPLY_CHARS) return malformed(say('linkMailBodyTooLong', { max: MAX_REPLY_CHARS }));

  const lists: Record<'to' | 'cc' | 'bcc', string[]> = { to: [], cc: [], bcc: [] };
  let count = 0;
  for (const field of ['to', 'cc', 'bcc'] as const) {
    for (const address of fields[field].flatMap((list) => list.split(',')).map((a) => a.trim()).filter((a) => a !== '')) {
      if (CONTROL.test(address)) return malformed(say('linkMailAddressControl'));
      const normalized = normalizeEmail(address);
      if (!normalized.ok) return malformed(normalized.said ?? normalized.message);
      if (++count > MAX_RECIPIENTS) return malformed(say('linkMailTooMany', { max: MAX_RECIPIENTS }));
      if (!lists[field].includes(normalized.identifier.value)) lists[field].push(normalized.identifier.value);
    }
  }
  if (lists.to.length === 0) return malformed(say('linkMailNoRecipient'));
  return done({ kind: 'email', ...lists, subject, body });
}

/**
 * The link among the arguments a start or a second start got (Windows and Linux pass the link
 * as an argument; macOS uses open-url). Only the schemes the app handles; at most one.
 */
export function linkFromArgv(argv: readonly string[], schemes: readonly LinkScheme[] = LINK_SCHEMES): string | null {
  for (const arg of argv) {
    const scheme = /^([a-z]+):/i.exec(arg)?.[1]?.toLowerCase();
    if (scheme && (schemes as readonly string[]).includes(scheme)) return arg;
  }
  return null;
}

/** A short description for the log: never the whole link (a mailto: body may be private). */
export function describeLink(link: DeepLink): string {
  switch (link.kind) {
    case 'case':
      return `case ${link.caseId}`;
    case 'customer':
      return `customer ${link.customerId}`;
    case 'search':
      return 'a search';
    case 'call':
      return 'a call';
    case 'email':
      return 'a new email';
  }
}
