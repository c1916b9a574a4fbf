// What a link the OS hands the app asks for: omni://case/<id>, omni://customer/<id>,
// omni://search?q=…, tel: (click-to-call, E.164) and mailto: (a new email). Pure and total: every
// other input — other schemes, look-alikes, injected headers, oversize text — is refused with a reason.
import { compactPhone, normalizeEmail, normalizePhone } from '../../shared/identity/normalize';
import { MAX_REPLY_CHARS } from '../../shared/contract';

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
  message: string;
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

const fail = (code: DeepLinkErrorCode, message: string): DeepLinkResult => ({ ok: false, error: { code, message } });
const malformed = (message: string) => fail('link/malformed', message);
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
  if (typeof raw !== 'string' || raw.length === 0) return malformed('The link is empty.');
  if (raw.length > MAX_LINK_LENGTH) return malformed(`The link is longer than ${MAX_LINK_LENGTH} characters.`);
  if (CONTROL.test(raw) || raw !== raw.trim()) return malformed('The link contains spaces or control characters around or inside it.');
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return malformed(`“${excerpt(raw)}” is not a link.`);
  }
  switch (url.protocol) {
    case 'omni:':
      return parseOmni(url);
    case 'tel:':
      return parseTel(url, options.defaultRegion ?? 'US');
    case 'mailto:':
      return parseMailto(url);
    default:
      return fail('link/unsupported', `Omni Desk does not open ${excerpt(url.protocol)} links; it opens omni:, tel: and mailto: links.`);
  }
}

function parseOmni(url: URL): DeepLinkResult {
  // Non-special schemes keep the host as written, so compare it lower-cased and refuse anything
  // a look-alike could hide in: credentials, a port, a percent-encoded host.
  if (url.username !== '' || url.password !== '' || url.port !== '') return malformed('An omni: link has no user name, password or port.');
  const target = url.hostname.toLowerCase();
  if (url.hash !== '') return malformed('An omni: link has no #fragment.');
  if (target === 'case' || target === 'customer') {
    if (url.search !== '') return malformed(`An omni://${target}/ link takes no ?query.`);
    const id = url.pathname.replace(/^\/|\/$/g, '');
    if (!ID.test(id) || !Number.isSafeInteger(Number(id))) {
      return malformed(`“${excerpt(url.pathname)}” is not a ${target} number; the link looks like omni://${target}/42.`);
    }
    return target === 'case' ? done({ kind: 'case', caseId: Number(id) }) : done({ kind: 'customer', customerId: Number(id) });
  }
  if (target === 'search') {
    if (url.pathname !== '' && url.pathname !== '/') return malformed('An omni://search link has no path; the text goes in ?q=.');
    // Form encoding (+ is a space), decoded strictly: URLSearchParams would turn a broken escape
    // into U+FFFD and search for that.
    const pairs = url.search.replace(/^\?/, '').split('&');
    if (pairs.length !== 1 || !pairs[0]!.startsWith('q=')) return malformed('An omni://search link takes exactly one q= and nothing else.');
    const decoded = decode(pairs[0]!.slice(2).replace(/\+/g, ' '));
    if (decoded === null) return malformed('The search text has a broken %-escape.');
    const query = decoded.trim();
    if (query.length === 0) return malformed('The search text is empty.');
    if (query.length > MAX_SEARCH_CHARS) return malformed(`The search text is longer than ${MAX_SEARCH_CHARS} characters.`);
    if (CONTROL.test(query)) return malformed('The search text contains control characters.');
    return done({ kind: 'search', query });
  }
  if (target === '') return malformed('An omni: link names what to open after omni://, e.g. omni://case/42.');
  return fail('link/unsupported', `Omni Desk does not know omni://${excerpt(target)}; it opens omni://case/…, omni://customer/… and omni://search?q=….`);
}

/** RFC 3966: `tel:+1-415-555-2671;ext=12`. Other parameters (isub, phone-context) are ignored. */
function parseTel(url: URL, region: string): DeepLinkResult {
  if (url.search !== '' || url.hash !== '') return malformed('A tel: link has no ?query or #fragment.');
  const text = decode(url.pathname);
  if (text === null) return malformed('The tel: link has a broken %-escape.');
  if (CONTROL.test(text)) return malformed('The tel: link contains control characters.');
  const [number = '', ...params] = text.split(';');
  let extension: string | null = null;
  for (const param of params) {
    const [name = '', value = ''] = param.split('=', 2);
    if (name.toLowerCase() !== 'ext') continue;
    if (!/^[0-9]{1,10}$/.test(value)) return malformed('The extension of the tel: link is not 1 to 10 digits.');
    extension = value;
  }
  // Only the characters phone numbers are written with: a letter or a quote means someone is
  // trying something (tel:javascript:…, vanity words are not dialled from here).
  if (!/^\+?[0-9]+$/.test(compactPhone(number))) return malformed(`“${excerpt(number)}” is not a phone number.`);
  const normalized = normalizePhone(number, region);
  if (!normalized.ok) return malformed(normalized.message);
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
  if (path === null) return malformed('The mailto: link has a broken %-escape.');
  if (path !== '') fields.to.push(path);
  const query = url.search.replace(/^\?/, '');
  for (const pair of query === '' ? [] : query.split('&')) {
    const eq = pair.indexOf('=');
    const name = decode(eq < 0 ? pair : pair.slice(0, eq));
    const value = decode(eq < 0 ? '' : pair.slice(eq + 1));
    if (name === null || value === null) return malformed('The mailto: link has a broken %-escape.');
    const key = name.toLowerCase();
    if (key in fields) fields[key as keyof typeof fields].push(value);
  }
  if (fields.subject.length > 1 || fields.body.length > 1) return malformed('The mailto: link names the subject or the body twice.');
  const subject = (fields.subject[0] ?? '').trim();
  if (/[\r\n]/.test(subject)) return malformed('The subject of the mailto: link contains a line break.');
  if (CONTROL.test(subject)) return malformed('The subject of the mailto: link contains control characters.');
  if (subject.length > MAX_SUBJECT_CHARS) return malformed(`The subject is longer than ${MAX_SUBJECT_CHARS} characters.`);
  const body = (fields.body[0] ?? '').replace(/\r\n?/g, '\n');
  if (CONTROL_BUT_LINE_BREAKS.test(body)) return malformed('The body of the mailto: link contains control characters.');
  if (body.length > MAX_REPLY_CHARS) return malformed(`The body is longer than ${MAX_REPLY_CHARS} characters.`);

  const lists: Record<'to' | 'cc' | 'bcc', string[]> = { to: [], cc: [], bcc: [] };
  let count = 0;
  for (const field of ['to', 'cc', 'bcc'] as const) {
    for (const address of fields[field].flatMap((list) => list.split(',')).map((a) => a.trim()).filter((a) => a !== '')) {
      if (CONTROL.test(address)) return malformed('An address of the mailto: link contains control characters.');
      const normalized = normalizeEmail(address);
      if (!normalized.ok) return malformed(normalized.message);
      if (++count > MAX_RECIPIENTS) return malformed(`The mailto: link names more than ${MAX_RECIPIENTS} recipients.`);
      if (!lists[field].includes(normalized.identifier.value)) lists[field].push(normalized.identifier.value);
    }
  }
  if (lists.to.length === 0) return malformed('The mailto: link names no recipient.');
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
