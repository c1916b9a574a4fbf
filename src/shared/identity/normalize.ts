// Turns what a channel says about a customer (a From header, a caller id, a handle) into one
// canonical identifier key, `${kind}:${platform}:${value}`. Pure; errors are values, never throws.
import { z } from 'zod';
import { isSupportedCountry, parsePhoneNumberFromString, type CountryCode, type PhoneNumber } from 'libphonenumber-js';
import { say, type Said } from '../serverErrors';
// `libphonenumber-js` is the "min" metadata build (≈80 kB against ≈157 kB for "max"). Identity
// needs the E.164 form — country calling codes, national and international prefixes, possible
// lengths — and min has all of it. What max adds is per-type digit patterns (mobile, fixed line),
// used by getType() and a stricter isValid(); with min, isValid() checks lengths only. That is
// what we want here: a real customer's number in a range opened after our metadata was built
// still gets a key, and src/shared is bundled into the renderer, where the size counts.

export const IDENTIFIER_KINDS = ['email', 'phone', 'social', 'account'] as const;
export type IdentifierKind = (typeof IDENTIFIER_KINDS)[number];

export const SOCIAL_PLATFORMS = ['messenger', 'instagram', 'x'] as const;
export type SocialPlatform = (typeof SOCIAL_PLATFORMS)[number];

/** The key every lookup uses: `${kind}:${platform}:${value}`; platform is '' for email and phone. */
export type IdentifierKey = string;

export interface NormalizedIdentifier {
  kind: IdentifierKind;
  /** '' for email and phone; the social platform; the account system for account ids. */
  platform: string;
  /** The canonical form: what two sightings of the same identifier have in common. */
  value: string;
  key: IdentifierKey;
  /** A readable form for people (the address as written, the number in international format). */
  display: string;
}

export type IdentityErrorCode =
  | 'identity/invalid-email'
  | 'identity/invalid-phone'
  | 'identity/invalid-region'
  | 'identity/invalid-social'
  | 'identity/unknown-platform'
  | 'identity/invalid-account'
  | 'identity/unknown-kind'
  | 'identity/no-identifiers'
  | 'identity/not-found'
  | 'identity/already-merged'
  | 'identity/already-unmerged'
  | 'identity/unmerge-order';

export interface IdentityError {
  ok: false;
  code: IdentityErrorCode;
  message: string;
  /** The sentence's serverErrors key and params, where one reaches an agent (a deep link's address or number). */
  said?: Said;
}

export type Normalized = { ok: true; identifier: NormalizedIdentifier } | IdentityError;

export function identityError(code: IdentityErrorCode, message: string, said?: Said): IdentityError {
  return said ? { ok: false, code, message, said: { ...said, message } } : { ok: false, code, message };
}

export const IdentitySettings = z.object({
  /** Treat `jane+news@x.example` as `jane@x.example`. Off by default: not every mail server does. */
  foldPlus: z.boolean().default(false),
  /** ISO 3166 region used for phone numbers written without a country code. */
  defaultRegion: z
    .string()
    .refine((r) => isSupportedCountry(r), { message: 'is not a region libphonenumber-js knows' })
    .default('US'),
});
export type IdentitySettings = z.infer<typeof IdentitySettings>;

export function identifierKey(kind: IdentifierKind, platform: string, value: string): IdentifierKey {
  return `${kind}:${platform}:${value}`;
}

const ok = (kind: IdentifierKind, platform: string, value: string, display: string): Normalized => ({
  ok: true,
  identifier: { kind, platform, value, key: identifierKey(kind, platform, value), display },
});

// ---------------------------------------------------------------------------------------- email

const MAILTO = /^mailto:/i;
// Characters that cannot appear unquoted in a local part (RFC 5322 specials, whitespace, controls).
// Quoted local parts ("john doe"@x) are refused: no mail provider hands them out to customers.
// eslint-disable-next-line no-control-regex
const LOCAL_FORBIDDEN = /[\s\u0000-\u001f\u007f<>()[\]\\,;:"@]/u;
const ASCII = /^[\x21-\x7e]*$/;
// Letters, digits, dots and dashes need no IDNA mapping (and no URL parse) beyond lower-casing.
const PLAIN_HOST = /^[a-z0-9.-]+$/i;
// eslint-disable-next-line no-control-regex
const DOMAIN_FORBIDDEN = /[\s\u0000-\u001f\u007f/?#@:\\[\]%<>"'|^`{}]/u;

export function normalizeEmail(raw: string, options: { foldPlus: boolean } = { foldPlus: false }): Normalized {
  const bad = (why: string) =>
    identityError('identity/invalid-email', `“${raw.trim().slice(0, 80)}” is not an email address: ${why}.`, say('identityEmailInvalid', { text: raw.trim().slice(0, 80), why }));
  let s = raw.trim();
  // `"Jane Doe" <jane@x.example>` or `Jane <jane@x.example>`: the address is in the last brackets.
  if (s.endsWith('>')) {
    const open = s.lastIndexOf('<');
    if (open < 0) return bad('the angle brackets do not match');
    s = s.slice(open + 1, -1).trim();
  } else if (s.includes('<')) return bad('the angle brackets do not match');
  s = s.replace(MAILTO, '');
  const at = s.lastIndexOf('@');
  if (at < 0) return bad('it has no @');
  const rawLocal = s.slice(0, at);
  const rawDomain = s.slice(at + 1).replace(/\.$/, '');
  if (rawLocal.length === 0) return bad('nothing comes before the @');
  if (rawDomain.length === 0) return bad('nothing comes after the @');
  if (LOCAL_FORBIDDEN.test(rawLocal)) return bad('the part before the @ has a space or a character addresses cannot contain');
  if (DOMAIN_FORBIDDEN.test(rawDomain)) return bad('the domain has a space or a character domains cannot contain');
  // The local part is case-insensitive in practice (every large provider), so it is stored
  // lower-cased; NFC first so that an é typed two ways is one address.
  let local = ASCII.test(rawLocal) ? rawLocal.toLowerCase() : rawLocal.normalize('NFC').toLowerCase().normalize('NFC');
  if (options.foldPlus) {
    const plus = local.indexOf('+');
    if (plus > 0) local = local.slice(0, plus);
  }
  if (local.length > 64) return bad('the part before the @ is longer than 64 characters');
  const domain = asciiDomain(rawDomain);
  if (domain === null) return bad('the domain is not a valid host name');
  const value = `${local}@${domain}`;
  if (value.length > 254) return bad('it is longer than 254 characters');
  return ok('email', '', value, s);
}

/**
 * The domain in its ASCII (punycode) form, lower-cased, so that `Müller.example` and
 * `xn--mller-kva.example` are one domain. The WHATWG URL parser does the UTS #46 mapping; it is
 * a pure computation, available in Node and browsers alike.
 */
function asciiDomain(domain: string): string | null {
  let host: string;
  if (PLAIN_HOST.test(domain) && !domain.toLowerCase().includes('xn--')) host = domain.toLowerCase();
  else {
    try {
      host = new URL(`http://${domain}`).hostname;
    } catch {
      return null;
    }
  }
  host = host.replace(/\.$/, '');
  const labels = host.split('.');
  if (labels.length < 2 || host.length > 253) return null;
  if (labels.some((l) => l.length === 0 || l.length > 63 || l.startsWith('-') || l.endsWith('-'))) return null;
  if (/^\d+$/.test(labels[labels.length - 1]!)) return null; // an IP address, not a mail domain
  return host;
}

// ---------------------------------------------------------------------------------------- phone

export function normalizePhone(raw: string, defaultRegion: string = 'US'): Normalized {
  if (!isSupportedCountry(defaultRegion)) {
    return identityError('identity/invalid-region', `“${defaultRegion}” is not a region phone numbers can be read for; use an ISO code such as US or GB.`);
  }
  const bad = () =>
    identityError(
      'identity/invalid-phone',
      `“${raw.trim().slice(0, 40)}” is not a phone number that can be dialled from ${defaultRegion} or internationally.`,
      say('identityPhoneInvalid', { text: raw.trim().slice(0, 40), region: defaultRegion }),
    );
  // libphonenumber ignores this punctuation anyway; removing it first halves the parse time and
  // makes every way of writing one number the same string (which is what the memo keys on).
  const compact = compactPhone(raw);
  if (compact.length === 0 || compact.length > 40) return bad();
  let parsed = parse(compact, defaultRegion);
  let valid = parsed?.isValid() === true;
  // "00" is the international prefix from most of the world (Europe, Africa, most of Asia and
  // Latin America) and customers type it from habit. libphonenumber only honours the default
  // region's own exit code (011 from US/CA, 0011 from AU, 010 from JP), so "0044 20 7946 0958"
  // read as a US number is garbage. When the number does not make sense the way the region reads
  // it, read a leading 00 as "+". The region's reading goes first, so "0011 44 …" from AU stays
  // right, and no region's national numbers start with 00.
  if (!valid && compact.startsWith('00')) {
    const international = parse(`+${compact.slice(2)}`, defaultRegion);
    if (international?.isValid()) [parsed, valid] = [international, true];
  }
  if (!valid || parsed === undefined) return bad();
  // An extension belongs to the key: a switchboard number with different extensions is
  // different people. RFC 3966 form, which parses back to itself.
  const value = parsed.ext ? `${parsed.number};ext=${parsed.ext}` : parsed.number;
  return ok('phone', '', value, parsed.formatInternational());
}

/** The phone number without the punctuation people write it with (and without a tel: scheme). */
export function compactPhone(raw: string): string {
  return raw
    .trim()
    .replace(/^tel:/i, '')
    .replace(/[\s().\-/\u00a0\u2010-\u2015]/g, '');
}

function parse(text: string, region: string): PhoneNumber | undefined {
  try {
    return parsePhoneNumberFromString(text, { defaultCountry: region as CountryCode, extract: false });
  } catch {
    return undefined;
  }
}

// --------------------------------------------------------------------------------------- social

const HANDLE_URL: Record<'x' | 'instagram', RegExp> = {
  x: /^(?:https?:\/\/)?(?:www\.|mobile\.)?(?:x|twitter)\.com\/([^/?#]+)\/?(?:[?#].*)?$/i,
  instagram: /^(?:https?:\/\/)?(?:www\.)?instagram\.com\/([^/?#]+)\/?(?:[?#].*)?$/i,
};
const HANDLE_RULE: Record<'x' | 'instagram', { re: RegExp; rule: string }> = {
  x: { re: /^[a-z0-9_]{1,15}$/, rule: 'X handles are 1 to 15 letters, digits or underscores' },
  instagram: { re: /^[a-z0-9._]{1,30}$/, rule: 'Instagram handles are 1 to 30 letters, digits, dots or underscores' },
};

/**
 * X and Instagram handles are case-insensitive and written with or without the @ (or as a
 * profile link); Messenger identifies a person by a page-scoped id (PSID), which is digits.
 */
export function normalizeSocial(platform: string, raw: string): Normalized {
  const p = platform.trim().toLowerCase();
  const text = raw.trim();
  if (p === 'messenger') {
    if (!/^\d{1,32}$/.test(text)) return identityError('identity/invalid-social', `“${text.slice(0, 40)}” is not a Messenger page-scoped id (PSID), which is all digits.`);
    return ok('social', 'messenger', text, text);
  }
  if (p === 'x' || p === 'instagram') {
    const fromUrl = HANDLE_URL[p].exec(text);
    const handle = (fromUrl ? fromUrl[1]! : text).replace(/^@/, '').toLowerCase();
    const { re, rule } = HANDLE_RULE[p];
    if (!re.test(handle)) return identityError('identity/invalid-social', `“${text.slice(0, 40)}” is not a handle: ${rule}.`);
    return ok('social', p, handle, `@${handle}`);
  }
  return identityError('identity/unknown-platform', `“${platform}” is not a social platform Omni Desk knows; use one of ${SOCIAL_PLATFORMS.join(', ')}.`);
}

// -------------------------------------------------------------------------------------- account

const SYSTEM = /^[a-z0-9][a-z0-9_.-]{0,31}$/;

/**
 * An account id from one of our own systems (the portal, the app, a CRM), namespaced by the
 * system's name. Ids are opaque, so their case is kept; surrounding space is not.
 */
export function normalizeAccountId(raw: string, system: string = 'default'): Normalized {
  const sys = system.trim().toLowerCase();
  if (!SYSTEM.test(sys)) return identityError('identity/invalid-account', `“${system}” is not an account system name: use 1 to 32 letters, digits, dots, dashes or underscores.`);
  const value = raw.trim().normalize('NFC');
  // eslint-disable-next-line no-control-regex
  if (value.length === 0 || value.length > 256 || /[\u0000-\u001f\u007f]/.test(value)) {
    return identityError('identity/invalid-account', `“${value.slice(0, 40)}” is not an account id: it must be 1 to 256 printable characters.`);
  }
  return ok('account', sys, value, value);
}

// ----------------------------------------------------------------------------------- dispatcher

/**
 * One entry point for every kind. `platform` is the social platform for `social` (required) and
 * the account system for `account` (default 'default'); email and phone ignore it.
 */
export function normalizeIdentifier(kind: IdentifierKind, raw: string, settings: IdentitySettings, platform?: string): Normalized {
  switch (kind) {
    case 'email':
      return normalizeEmail(raw, { foldPlus: settings.foldPlus });
    case 'phone':
      return normalizePhone(raw, settings.defaultRegion);
    case 'social':
      if (platform === undefined) return identityError('identity/unknown-platform', 'A social identifier needs its platform (messenger, instagram or x).');
      return normalizeSocial(platform, raw);
    case 'account':
      return normalizeAccountId(raw, platform);
    default:
      return identityError('identity/unknown-kind', `“${String(kind)}” is not a kind of identifier; use one of ${IDENTIFIER_KINDS.join(', ')}.`);
  }
}

/**
 * A normalizer bound to settings, with an optional bounded memo for phone numbers. A phone parse
 * costs 10–20 µs and the same numbers come back all day (caller ids, SMS senders); the other
 * kinds take about a microsecond, less than a memo entry costs to keep. Phones are memoized by
 * their compact form, so "(415) 867-5310" and "415.867.5310" share an entry. The memo is state
 * owned by the caller, never a module global.
 */
export function createNormalizer(settings: IdentitySettings, options: { cacheSize?: number } = {}): (kind: IdentifierKind, raw: string, platform?: string) => Normalized {
  const size = options.cacheSize ?? 0;
  if (size <= 0) return (kind, raw, platform) => normalizeIdentifier(kind, raw, settings, platform);
  // Two generations: when the young one fills, it becomes the old one. Bounded, no per-hit bookkeeping.
  let young = new Map<string, Normalized>();
  let old = young;
  return (kind, raw, platform) => {
    if (kind !== 'phone') return normalizeIdentifier(kind, raw, settings, platform);
    const k = compactPhone(raw);
    let hit = young.get(k);
    if (hit !== undefined) return hit;
    hit = old.get(k);
    if (hit === undefined) {
      hit = normalizePhone(raw, settings.defaultRegion);
      if (!hit.ok) return hit; // refusals quote the raw text, so they are not shared
    }
    if (young.size >= size) {
      old = young;
      young = new Map();
    }
    young.set(k, hit);
    return hit;
  };
}
