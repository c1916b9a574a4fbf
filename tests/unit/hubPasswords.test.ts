// Password hashes and session tokens of the hub: scrypt with a salt per user, constant-time checks,
// and only a digest of a token ever stored.
import { describe, expect, it } from 'vitest';
import { hashPassword, hashPasswordSync, newSessionToken, tokenHash, verifyPassword } from '../../src/hub/core/passwords';

describe('hub passwords', () => {
  it('the right password verifies and a wrong, empty or differently normalized one does not', async () => {
    const stored = await hashPassword('Grüße aus Köln 2026');
    expect(stored).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(await verifyPassword('Grüße aus Köln 2026', stored)).toBe(true);
    // NFD input of the same text is the same password.
    expect(await verifyPassword('Grüße aus Köln 2026'.normalize('NFD'), stored)).toBe(true);
    expect(await verifyPassword('Grüße aus Köln 2025', stored)).toBe(false);
    expect(await verifyPassword('', stored)).toBe(false);
  });

  it('two users with the same password get different hashes', () => {
    expect(hashPasswordSync('same password here')).not.toBe(hashPasswordSync('same password here'));
  });

  it('a missing or malformed stored hash never verifies', async () => {
    expect(await verifyPassword('anything', null)).toBe(false);
    expect(await verifyPassword('anything', 'plain-text')).toBe(false);
    expect(await verifyPassword('anything', 'scrypt$x$8$1$c2FsdA==$')).toBe(false);
  });

  it('session tokens are long random strings and only their SHA-256 is kept', () => {
    const a = newSessionToken();
    const b = newSessionToken();
    expect(a).not.toBe(b);
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(tokenHash(a)).toMatch(/^[0-9a-f]{64}$/);
    expect(tokenHash(a)).toBe(tokenHash(a));
  });
});
