// The survey link's token: `<survey id>.<expiry, base 36>.<HMAC-SHA256 of both and the conversation>`.
// Forged, altered or unknown tokens and expired ones are told apart, so the page can say which.
import crypto from 'node:crypto';

export type TokenCheck = { ok: true; surveyId: number } | { ok: false; reason: 'forged' | 'expired' };

const TOKEN = /^(\d{1,12})\.([0-9a-z]{1,12})\.([A-Za-z0-9_-]{43})$/;

function mac(key: Buffer, surveyId: number, conversationId: number, expiresAt: number): string {
  return crypto.createHmac('sha256', key).update(`omni-csat:1:${surveyId}:${conversationId}:${expiresAt}`).digest('base64url');
}

export function signToken(key: Buffer, surveyId: number, conversationId: number, expiresAt: number): string {
  return `${surveyId}.${expiresAt.toString(36)}.${mac(key, surveyId, conversationId, expiresAt)}`;
}

/**
 * Checks a token against the survey it names (`conversationOf` finds the survey's conversation, or
 * null when there is no such survey). Only a correctly signed token can be "expired".
 */
export function checkToken(key: Buffer, token: string, now: number, conversationOf: (surveyId: number) => number | null): TokenCheck {
  const m = TOKEN.exec(token);
  if (!m) return { ok: false, reason: 'forged' };
  const surveyId = Number(m[1]);
  const expiresAt = parseInt(m[2]!, 36);
  const conversationId = conversationOf(surveyId);
  if (conversationId === null) return { ok: false, reason: 'forged' };
  const expected = Buffer.from(mac(key, surveyId, conversationId, expiresAt));
  const given = Buffer.from(m[3]!);
  if (expected.length !== given.length || !crypto.timingSafeEqual(expected, given)) return { ok: false, reason: 'forged' };
  if (now >= expiresAt) return { ok: false, reason: 'expired' };
  return { ok: true, surveyId };
}
