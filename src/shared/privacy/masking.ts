// Finds personal data in message text (payment card numbers, national ids, stated passwords) and
// masks it. Pure: the checksum rules (Luhn, SSN ranges, UK NI prefixes, IBAN mod-97) keep look-alikes
// such as order, phone and tracking numbers readable. Text split across markup is not seen.
import { CHANNELS, type Channel } from '../domain';

export const PII_KINDS = ['card', 'ssn', 'ni', 'iban', 'password'] as const;
export type PiiKind = (typeof PII_KINDS)[number];

/** What the UI calls each kind ("masked card number"). */
export const PII_LABELS: Record<PiiKind, string> = {
  card: 'card number',
  ssn: 'social security number',
  ni: 'national insurance number',
  iban: 'bank account number',
  password: 'password',
};

export interface PiiSpan {
  kind: PiiKind;
  /** Offsets into the original text (end exclusive). */
  start: number;
  end: number;
  /** What replaces the span. */
  mask: string;
}

export interface MaskResult {
  text: string;
  spans: PiiSpan[];
  /** The kinds found, each once, in PII_KINDS order. */
  kinds: PiiKind[];
}

/** Which detectors apply to which channel. A channel not listed gets every detector. */
export type MaskingRules = Partial<Record<Channel, readonly PiiKind[]>>;

export const DEFAULT_MASKING_RULES = Object.fromEntries(CHANNELS.map((c) => [c, PII_KINDS])) as unknown as Record<Channel, readonly PiiKind[]>;

export function kindsForChannel(channel: Channel, rules: MaskingRules = {}): readonly PiiKind[] {
  return rules[channel] ?? DEFAULT_MASKING_RULES[channel];
}

// ---------------------------------------------------------------- payment cards

export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return digits.length > 0 && sum % 10 === 0;
}

/** Issuer prefixes and lengths of the card networks (Visa, Mastercard, Amex, Discover, Diners, JCB, UnionPay, Maestro). */
function cardIssuerLength(digits: string): boolean {
  const n = digits.length;
  const p2 = Number(digits.slice(0, 2));
  const p3 = Number(digits.slice(0, 3));
  const p4 = Number(digits.slice(0, 4));
  if (digits[0] === '4') return n === 13 || n === 16 || n === 19;
  if ((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720)) return n === 16;
  if (p2 === 34 || p2 === 37) return n === 15;
  if (p2 === 36 || p2 === 38 || p2 === 39 || (p3 >= 300 && p3 <= 305) || p3 === 309) return n >= 14 && n <= 19;
  if (p4 === 6011 || p2 === 65 || (p3 >= 644 && p3 <= 649)) return n >= 16 && n <= 19;
  if (p4 >= 3528 && p4 <= 3589) return n >= 16 && n <= 19;
  if (p2 === 62) return n >= 16 && n <= 19;
  if (p2 === 50 || (p2 >= 56 && p2 <= 69)) return n >= 13 && n <= 19;
  return false;
}

/** The ways people write a card: one run of digits, groups of four (the last shorter), or Amex/Diners 4-6-5 / 4-6-4. */
function cardGrouping(groups: string[]): boolean {
  if (groups.length === 1) return true;
  const sizes = groups.map((g) => g.length);
  const head = sizes.slice(0, -1);
  const last = sizes[sizes.length - 1]!;
  if (head.every((s) => s === 4) && last >= 1 && last <= 4) return true;
  return sizes.length === 3 && sizes[0] === 4 && sizes[1] === 6 && (sizes[2] === 5 || sizes[2] === 4);
}

/** Words right before a number that say it is not a card ("order 4111…", "tracking #…"). */
const NOT_A_CARD_BEFORE = /(?:order|tracking|invoice|ref(?:erence)?|shipment|parcel|ticket|case|account|acct|phone|tel|mobile|imei)\s*(?:no\.?|num(?:ber)?|id)?\s*[#:]?\s*$/i;

const CARD_CANDIDATE = /(?<![\d+#\w-])\d{4}(?:([ -]?)\d{1,6})(?:\1\d{1,6}){0,4}(?![\d\w-])/g;

function isCard(groups: string[]): boolean {
  const digits = groups.join('');
  return digits.length >= 13 && digits.length <= 19 && cardGrouping(groups) && cardIssuerLength(digits) && luhnValid(digits);
}

function findCards(text: string, out: PiiSpan[]): void {
  for (const m of text.matchAll(CARD_CANDIDATE)) {
    const raw = m[0];
    const sep = m[1] ?? '';
    const groups = sep ? raw.split(sep) : [raw];
    // A grouped run may carry a neighbouring number ("… 4242 2025"): the longest card inside it counts.
    const found = longestRun(groups, isCard);
    if (!found) continue;
    const start = m.index + groups.slice(0, found.from).reduce((n, g) => n + g.length + sep.length, 0);
    if (NOT_A_CARD_BEFORE.test(text.slice(Math.max(0, start - 24), start))) continue;
    const digits = groups.slice(found.from, found.to).join('');
    const length = digits.length + sep.length * (found.to - found.from - 1);
    out.push({ kind: 'card', start, end: start + length, mask: `•••• •••• •••• ${digits.slice(-4)}` });
  }
}

/** The longest run of consecutive groups that passes `ok`, leftmost first; null when none does. */
function longestRun(groups: string[], ok: (run: string[]) => boolean, fromStartOnly = false): { from: number; to: number } | null {
  for (let size = groups.length; size >= 1; size--) {
    for (let from = 0; from + size <= groups.length; from++) {
      if (fromStartOnly && from > 0) break;
      if (ok(groups.slice(from, from + size))) return { from, to: from + size };
    }
  }
  return null;
}

// ---------------------------------------------------------------- national ids

/** US SSN written with dashes or spaces; never-issued areas (000, 666, 900–999), group 00 and serial 0000 are not SSNs. */
const SSN = /(?<![\d\w-])(\d{3})([- ])(\d{2})\2(\d{4})(?![\d\w-])/g;

function findSsns(text: string, out: PiiSpan[]): void {
  for (const m of text.matchAll(SSN)) {
    const area = Number(m[1]);
    if (area === 0 || area === 666 || area >= 900 || m[3] === '00' || m[4] === '0000') continue;
    out.push({ kind: 'ssn', start: m.index, end: m.index + m[0].length, mask: `•••-••-${m[4]!}` });
  }
}

/** UK National Insurance number: the letters HMRC never allocates as prefix are excluded (D F I Q U V, O second, BG GB NK KN TN NT ZZ). */
const NINO = /(?<![\w])([A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]) ?(\d{2}) ?(\d{2}) ?(\d{2}) ?([A-D])(?![\w])/gi;
const NINO_NEVER = new Set(['BG', 'GB', 'NK', 'KN', 'TN', 'NT', 'ZZ']);

function findNinos(text: string, out: PiiSpan[]): void {
  for (const m of text.matchAll(NINO)) {
    const raw = m[0];
    // Mixed case such as "Ab 12 34 56 c" is still a NINO; all-lowercase words are too unlikely to matter.
    if (NINO_NEVER.has(m[1]!.toUpperCase())) continue;
    out.push({ kind: 'ni', start: m.index, end: m.index + raw.length, mask: `•• •• •• •• ${m[5]!.toUpperCase()}` });
  }
}

/** IBAN lengths by country (the SWIFT IBAN registry); a country not listed is not an IBAN. */
const IBAN_LENGTHS: Record<string, number> = {
  AD: 24, AE: 23, AL: 28, AT: 20, AZ: 28, BA: 20, BE: 16, BG: 22, BH: 22, BR: 29, BY: 28, CH: 21, CR: 22, CY: 28, CZ: 24,
  DE: 22, DK: 18, DO: 28, EE: 20, EG: 29, ES: 24, FI: 18, FO: 18, FR: 27, GB: 22, GE: 22, GI: 23, GL: 18, GR: 27, GT: 28,
  HR: 21, HU: 28, IE: 22, IL: 23, IQ: 23, IS: 26, IT: 27, JO: 30, KW: 30, KZ: 20, LB: 28, LC: 32, LI: 21, LT: 20, LU: 20,
  LV: 21, MC: 27, MD: 24, ME: 22, MK: 19, MR: 27, MT: 31, MU: 30, NL: 18, NO: 15, PK: 24, PL: 28, PS: 29, PT: 25, QA: 29,
  RO: 24, RS: 22, SA: 24, SC: 31, SE: 24, SI: 19, SK: 24, SM: 27, ST: 25, SV: 28, TL: 23, TN: 24, TR: 26, UA: 29, VA: 22,
  VG: 24, XK: 20,
};

/** ISO 13616 check: move the first four characters to the end, letters to numbers, remainder 97 must be 1 (computed piecewise, no big integers). */
export function ibanValid(compact: string): boolean {
  const iban = compact.toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]+$/.test(iban)) return false;
  if (IBAN_LENGTHS[iban.slice(0, 2)] !== iban.length) return false;
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (const ch of rearranged) {
    const code = ch.charCodeAt(0);
    const value = code >= 65 ? String(code - 55) : ch;
    for (const d of value) remainder = (remainder * 10 + (d.charCodeAt(0) - 48)) % 97;
  }
  return remainder === 1;
}

const IBAN_CANDIDATE = /(?<![\w])[A-Z]{2}\d{2}(?: ?[A-Z0-9]{1,4}){3,8}(?![\w])/gi;

function findIbans(text: string, out: PiiSpan[]): void {
  for (const m of text.matchAll(IBAN_CANDIDATE)) {
    // Words after the number may have joined the match ("… 3000 ok"): the IBAN is its longest valid start.
    const groups = m[0].split(' ');
    const found = longestRun(groups, (run) => ibanValid(run.join('')), true);
    if (!found) continue;
    const compact = groups.slice(0, found.to).join('');
    const length = groups.slice(0, found.to).join(' ').length;
    out.push({ kind: 'iban', start: m.index, end: m.index + length, mask: `${compact.slice(0, 2).toUpperCase()}•• •••• •••• ${compact.slice(-4)}` });
  }
}

// ---------------------------------------------------------------- passwords

/**
 * "password: hunter2", "pw is hunter2", "my password is 'correct horse'": the secret after the word.
 * The word must be followed by ":" "=" or "is"/"was", and the secret must not be an ordinary word
 * describing the password ("my password is not working").
 */
const PASSWORD = /\b(?:pass(?:word|code|phrase)|passwd|pwd|pw|pin)\b(?:\s*[:=]\s*|\s+(?:is|was)(?:\s+now)?\s*:?\s+)(?:"([^"\n]{1,100})"|'([^'\n]{1,100})'|“([^”\n]{1,100})”|([^\s<]{1,100}))/gi;
const NOT_A_SECRET = new Set(
  'not wrong incorrect correct invalid expired too being still the a an my your our this that it working fine ok okay reset changed required case-sensitive missing blank empty same different no now locked there here set saved stored long short weak strong what which where why how'.split(' '),
);

function findPasswords(text: string, out: PiiSpan[]): void {
  for (const m of text.matchAll(PASSWORD)) {
    const quoted = m[1] ?? m[2] ?? m[3];
    let secret = quoted ?? m[4] ?? '';
    if (quoted === undefined) {
      // The sentence's own punctuation is not part of the secret.
      secret = secret.replace(/[.,;)]+$/, '');
      if (!secret || NOT_A_SECRET.has(secret.toLowerCase())) continue;
    }
    const whole = m[0];
    const inner = quoted !== undefined ? whole.lastIndexOf(quoted) : whole.length - m[4]!.length;
    const start = m.index + inner;
    out.push({ kind: 'password', start, end: start + secret.length, mask: '••••••••' });
  }
}

// ---------------------------------------------------------------- masking

const DETECTORS: Record<PiiKind, (text: string, out: PiiSpan[]) => void> = {
  card: findCards,
  ssn: findSsns,
  ni: findNinos,
  iban: findIbans,
  password: findPasswords,
};

/** The personal data in `text`, left to right, without overlaps (the earlier, then longer, span wins). */
export function findPii(text: string, kinds: readonly PiiKind[] = PII_KINDS): PiiSpan[] {
  const found: PiiSpan[] = [];
  for (const kind of PII_KINDS) if (kinds.includes(kind)) DETECTORS[kind](text, found);
  found.sort((a, b) => a.start - b.start || b.end - a.end);
  const spans: PiiSpan[] = [];
  for (const span of found) {
    const last = spans[spans.length - 1];
    if (last && span.start < last.end) continue;
    spans.push(span);
  }
  return spans;
}

export function maskText(text: string, kinds: readonly PiiKind[] = PII_KINDS): MaskResult {
  const spans = kinds.length === 0 || text.length === 0 ? [] : findPii(text, kinds);
  if (spans.length === 0) return { text, spans, kinds: [] };
  let out = '';
  let at = 0;
  for (const span of spans) {
    out += text.slice(at, span.start) + span.mask;
    at = span.end;
  }
  out += text.slice(at);
  const seen = new Set(spans.map((s) => s.kind));
  return { text: out, spans, kinds: PII_KINDS.filter((k) => seen.has(k)) };
}
