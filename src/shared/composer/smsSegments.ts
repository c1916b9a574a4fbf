// How many SMS segments a text costs: GSM 03.38 7-bit when every character is in the GSM default
// alphabet or its extension table (extension characters take two septets: ESC + char), else UCS-2.
// One segment holds 160 septets / 70 UCS-2 units; split messages hold 153 / 67 each (the UDH), and
// neither an escape pair nor a surrogate pair is split across two segments.

/** GSM 03.38 default alphabet (one septet each). */
const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
/** GSM 03.38 extension table (ESC + char: two septets each). */
const GSM_EXTENSION = '\f^{}\\[~]|€';

const BASIC = new Set(GSM_BASIC);
const EXTENSION = new Set(GSM_EXTENSION);

export type SmsEncoding = 'GSM-7' | 'UCS-2';

export interface SmsCount {
  encoding: SmsEncoding;
  /** Septets (GSM-7) or 16-bit code units (UCS-2) the text takes. */
  units: number;
  segments: number;
  /** Capacity of a lone segment and of each segment of a split message (160/153 or 70/67). */
  single: number;
  perSegment: number;
  /** Units left in the last segment before another one starts. */
  remaining: number;
}

export function isGsm7(text: string): boolean {
  for (const ch of text) if (!BASIC.has(ch) && !EXTENSION.has(ch)) return false;
  return true;
}

/** The size of each character in units: septets for GSM-7, UTF-16 code units for UCS-2. */
function unitSizes(text: string, encoding: SmsEncoding): number[] {
  const sizes: number[] = [];
  for (const ch of text) sizes.push(encoding === 'GSM-7' ? (EXTENSION.has(ch) ? 2 : 1) : ch.length);
  return sizes;
}

export function countSmsSegments(text: string): SmsCount {
  const encoding: SmsEncoding = isGsm7(text) ? 'GSM-7' : 'UCS-2';
  const single = encoding === 'GSM-7' ? 160 : 70;
  const perSegment = encoding === 'GSM-7' ? 153 : 67;
  const sizes = unitSizes(text, encoding);
  const units = sizes.reduce((a, b) => a + b, 0);
  if (units === 0) return { encoding, units, segments: 0, single, perSegment, remaining: single };
  if (units <= single) return { encoding, units, segments: 1, single, perSegment, remaining: single - units };
  // Pack character by character: a two-unit character that does not fit starts the next segment.
  let segments = 1;
  let used = 0;
  for (const size of sizes) {
    if (used + size > perSegment) {
      segments += 1;
      used = 0;
    }
    used += size;
  }
  return { encoding, units, segments, single, perSegment, remaining: perSegment - used };
}

/** "2 segments (160/153 chars each)", the line under an SMS reply. */
export function segmentLabel(count: SmsCount): string {
  const n = count.segments;
  return `${n} segment${n === 1 ? '' : 's'} (${count.single}/${count.perSegment} chars each)`;
}
