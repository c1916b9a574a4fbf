// Phone numbers for the softphone: what a caller id, a dial pad entry or a tel: link becomes in
// E.164 (the form the store keeps identities in), through the identity engine's normalizer. Pure.
import { normalizePhone } from '../identity/normalize';

export type E164Result = { ok: true; e164: string; display: string } | { ok: false; message: string };

/**
 * "+1 (415) 555-0134", "415-555-0134", "415/555 0134", "0044 20 7946 0958", "tel:+14155550134":
 * one E.164 number, read from `region` when written without a country code. An extension is kept
 * out (a switchboard's extension is dialled with DTMF once connected).
 */
export function toE164(raw: string, region = 'US'): E164Result {
  const trimmed = raw.trim();
  if (trimmed === '') return { ok: false, message: 'Enter a phone number.' };
  const n = normalizePhone(trimmed, region);
  if (!n.ok) return { ok: false, message: n.message };
  const e164 = n.identifier.value.split(';')[0]!;
  return { ok: true, e164, display: n.identifier.display.split(' ext.')[0]! };
}

/** The number of a `tel:` link (RFC 3966: `tel:+1-415-555-0134;ext=2`), or null when it is no tel: link. */
export function telLinkNumber(href: string): string | null {
  const m = /^tel:([^?#]*)/i.exec(href.trim());
  if (!m) return null;
  let number: string;
  try {
    number = decodeURIComponent(m[1]!);
  } catch {
    return null;
  }
  return number.split(';')[0]!.trim() || null;
}

/** Keys of the DTMF keypad, in the keypad's order. */
export const DTMF_KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'] as const;
export type DtmfKey = (typeof DTMF_KEYS)[number];
