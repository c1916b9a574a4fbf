import { describe, expect, it } from 'vitest';
import { HubToVisitorFrame, VisitorFrame, describeFrameIssues } from '../../src/shared/hub/widgetProtocol';
import { hashToken, newToken, userHash, verifyUserHash } from '../../src/hub/widget/identity';
import { WidgetConfig } from '../../src/hub/widget/config';

describe('visitor frames', () => {
  it('a hello without a conversation starts from message 0', () => {
    const f = VisitorFrame.parse({ t: 'hello', protocol: 1, visitorId: 'v_abcdefgh12345' });
    expect(f).toMatchObject({ t: 'hello', lastMessageId: 0 });
  });

  it('a message needs text or a file, and carries a client id', () => {
    expect(VisitorFrame.safeParse({ t: 'msg', clientId: 'c_12345678', text: 'Where is my order?' }).success).toBe(true);
    expect(VisitorFrame.safeParse({ t: 'msg', clientId: 'c_12345678', uploads: ['u_0123456789abcdef'] }).success).toBe(true);
    const empty = VisitorFrame.safeParse({ t: 'msg', clientId: 'c_12345678', text: '   ' });
    expect(empty.success).toBe(false);
    if (!empty.success) expect(describeFrameIssues(empty.error)).toBe('text: a message needs text or a file');
    expect(VisitorFrame.safeParse({ t: 'msg', clientId: 'short', text: 'hi' }).success).toBe(false);
  });

  it('refuses ids that could smuggle separators or markup', () => {
    expect(VisitorFrame.safeParse({ t: 'hello', protocol: 1, visitorId: 'v_abc:def/ghi' }).success).toBe(false);
    expect(VisitorFrame.safeParse({ t: 'msg', clientId: '<script>alert', text: 'x' }).success).toBe(false);
  });

  it('a rating is a whole number from 1 to 5 with an optional comment', () => {
    expect(VisitorFrame.safeParse({ t: 'csat', rating: 5 }).success).toBe(true);
    expect(VisitorFrame.safeParse({ t: 'csat', rating: 4, comment: 'Quick and kind' }).success).toBe(true);
    expect(VisitorFrame.safeParse({ t: 'csat', rating: 0 }).success).toBe(false);
    expect(VisitorFrame.safeParse({ t: 'csat', rating: 3.5 }).success).toBe(false);
  });

  it('an offline message explains a bad email address in words', () => {
    const bad = VisitorFrame.safeParse({ t: 'leaveMessage', clientId: 'c_12345678', name: 'Ann', email: 'not-an-email', text: 'Call me' });
    expect(bad.success).toBe(false);
    if (!bad.success) expect(describeFrameIssues(bad.error)).toBe('email: please enter a valid email address');
  });

  it('unknown frame types are refused', () => {
    expect(VisitorFrame.safeParse({ t: 'assign', agentId: 1 }).success).toBe(false);
  });

  it('the hub frames the widget reads validate', () => {
    const message = { id: 7, from: 'agent', authorName: 'Maya', text: 'Hello!', attachments: [], createdAt: 1, clientId: null };
    expect(HubToVisitorFrame.safeParse({ t: 'msg', message }).success).toBe(true);
    expect(HubToVisitorFrame.safeParse({ t: 'ack', clientId: 'c_12345678', message, conversationId: 3, token: null, duplicate: true }).success).toBe(true);
  });
});

describe('in-app identity', () => {
  // The published HMAC-SHA256 example (key "key", the quick brown fox).
  const VECTOR = 'f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8';

  it('computes the hash the product backend must send (known vector)', () => {
    expect(userHash('key', 'The quick brown fox jumps over the lazy dog')).toBe(VECTOR);
  });

  it('accepts the right hash in either letter case', () => {
    expect(verifyUserHash('key', 'The quick brown fox jumps over the lazy dog', VECTOR)).toBe(true);
    expect(verifyUserHash('key', 'The quick brown fox jumps over the lazy dog', VECTOR.toUpperCase())).toBe(true);
  });

  it('a wrong, truncated or malformed hash, another user or no secret is simply not verified', () => {
    const fox = 'The quick brown fox jumps over the lazy dog';
    expect(verifyUserHash('key', fox, VECTOR.replace(/^f/, '0'))).toBe(false);
    expect(verifyUserHash('key', fox, VECTOR.slice(0, 62))).toBe(false);
    expect(verifyUserHash('key', fox, `${VECTOR.slice(0, 62)}zz`)).toBe(false);
    expect(verifyUserHash('key', 'user-2', VECTOR)).toBe(false);
    expect(verifyUserHash(null, fox, VECTOR)).toBe(false);
    expect(verifyUserHash('', fox, VECTOR)).toBe(false);
  });

  it('resume tokens are random and stored only as their hash', () => {
    const a = newToken();
    const b = newToken();
    expect(a).not.toBe(b);
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(hashToken(a)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashToken(a)).not.toContain(a);
  });
});

describe('widget configuration', () => {
  it('has a demo org that is always open by default', () => {
    const c = WidgetConfig.parse({});
    expect(c.orgs[c.demoOrg]).toMatchObject({ businessHours: null, identitySecret: null });
  });

  it('explains a wrong origin or a short secret', () => {
    const r = WidgetConfig.safeParse({ orgs: { acme: { allowedOrigins: ['https://acme.com/shop'], identitySecret: 'short' } } });
    expect(r.success).toBe(false);
    if (!r.success) {
      const text = r.error.issues.map((i) => i.message).join(' | ');
      expect(text).toContain('must be an origin such as https://www.example.com');
      expect(text).toContain('must be at least 16 characters');
    }
  });
});
