// Who a widget visitor is: the in-app user claim (HMAC-SHA256 of the user id with the org's
// secret, compared in constant time) and the conversation resume tokens (random, kept hashed).
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** The hex HMAC-SHA256 the product's backend puts in `data-user-hash`. */
export function userHash(secret: string, userId: string): string {
  return createHmac('sha256', secret).update(userId, 'utf8').digest('hex');
}

/**
 * True only when `hash` is the user id's HMAC under `secret`. Any malformed input is simply
 * false: the caller treats the claim as absent and never says which part failed.
 */
export function verifyUserHash(secret: string | null, userId: string, hash: string): boolean {
  if (!secret || !/^[0-9a-fA-F]{64}$/.test(hash)) return false;
  const expected = createHmac('sha256', secret).update(userId, 'utf8').digest();
  return timingSafeEqual(expected, Buffer.from(hash, 'hex'));
}

/** A resume token: 256 random bits, URL-safe. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Tokens are high-entropy, so a plain SHA-256 is enough to make a stolen database useless for resuming. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Ids for thread keys and uploads: 128 random bits, URL-safe. */
export function randomId(): string {
  return randomBytes(16).toString('base64url');
}
