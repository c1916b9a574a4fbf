import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createNormalizer,
  IdentitySettings,
  normalizeAccountId,
  normalizeEmail,
  normalizeIdentifier,
  normalizePhone,
  normalizeSocial,
  type Normalized,
} from '../../src/shared/identity';

const value = (r: Normalized): string => {
  if (!r.ok) throw new Error(`expected a normalized identifier, got ${r.code}: ${r.message}`);
  return r.identifier.value;
};
const key = (r: Normalized): string => {
  if (!r.ok) throw new Error(`expected a normalized identifier, got ${r.code}: ${r.message}`);
  return r.identifier.key;
};
const settings = IdentitySettings.parse({});

describe('email addresses', () => {
  it('an email in different case resolves to the same key', () => {
    expect(key(normalizeEmail('Jane.Doe@Example.COM'))).toBe('email::jane.doe@example.com');
    expect(key(normalizeEmail('  jane.doe@example.com\n'))).toBe('email::jane.doe@example.com');
  });

  it('takes the address out of a display name and angle brackets, or a mailto: link', () => {
    expect(value(normalizeEmail('"Jane Doe" <Jane.Doe@example.com>'))).toBe('jane.doe@example.com');
    expect(value(normalizeEmail('Doe, Jane <jane.doe@example.com>'))).toBe('jane.doe@example.com');
    expect(value(normalizeEmail('mailto:JANE@example.com'))).toBe('jane@example.com');
  });

  it('keeps what was written for display, without the display name', () => {
    const r = normalizeEmail('"Jane" <Jane@Example.com>');
    expect(r.ok && r.identifier.display).toBe('Jane@Example.com');
  });

  it('folds plus addresses only when the setting says so', () => {
    expect(value(normalizeEmail('jane+news@example.com', { foldPlus: true }))).toBe('jane@example.com');
    expect(value(normalizeEmail('jane+news@example.com', { foldPlus: false }))).toBe('jane+news@example.com');
    expect(value(normalizeEmail('+only@example.com', { foldPlus: true }))).toBe('+only@example.com');
  });

  it('treats an internationalized domain and its punycode form as one domain', () => {
    expect(value(normalizeEmail('kunde@Müller.example'))).toBe('kunde@xn--mller-kva.example');
    expect(value(normalizeEmail('kunde@xn--mller-kva.example'))).toBe('kunde@xn--mller-kva.example');
    expect(value(normalizeEmail('José@example.com'))).toBe(value(normalizeEmail('JOSE\u0301@example.com')));
  });

  it('drops the trailing dot of a fully qualified domain', () => {
    expect(value(normalizeEmail('jane@example.com.'))).toBe('jane@example.com');
  });

  it.each([
    ['', 'it has no @'],
    ['jane', 'it has no @'],
    ['@example.com', 'nothing comes before the @'],
    ['jane@', 'nothing comes after the @'],
    ['ja ne@example.com', 'the part before the @'],
    ['jane@exa mple.com', 'the domain'],
    ['jane@localhost', 'not a valid host name'],
    ['jane@10.0.0.1', 'not a valid host name'],
    ['Jane <jane@example.com', 'the angle brackets do not match'],
  ])('refuses %j with a sentence saying why', (raw, why) => {
    const r = normalizeEmail(raw);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.code).toBe('identity/invalid-email');
      expect(r.message).toContain(why);
    }
  });
});

describe('phone numbers', () => {
  it.each([
    ['+1 (415) 867-5310', '+14158675310'],
    ['415/867 5310', '+14158675310'],
    ['0044 20 7946 0958', '+442079460958'],
    ['+44 (0) 20 7946 0958', '+442079460958'],
    ['011 44 20 7946 0958', '+442079460958'],
    ['tel:+1-415-867-5310', '+14158675310'],
    ['1-415-867-5310', '+14158675310'],
  ])('with US as the default region, %j is stored as %s', (raw, e164) => {
    expect(key(normalizePhone(raw, 'US'))).toBe(`phone::${e164}`);
  });

  it('reads the default region first, so an Australian 0011 exit code still works', () => {
    expect(value(normalizePhone('0011 44 20 7946 0958', 'AU'))).toBe('+442079460958');
    expect(value(normalizePhone('00 44 20 7946 0958', 'AU'))).toBe('+442079460958');
    expect(value(normalizePhone('020 7946 0958', 'GB'))).toBe('+442079460958');
  });

  it('keeps an extension, which tells people at one switchboard apart', () => {
    const r = normalizePhone('+1 415 867 5310 ext. 12', 'US');
    expect(r.ok && r.identifier.value).toBe('+14158675310;ext=12');
    expect(r.ok && r.identifier.display).toBe('+1 415 867 5310 ext. 12');
    expect(value(normalizePhone('+14158675310;ext=12', 'US'))).toBe('+14158675310;ext=12');
  });

  it('shows the number in international format', () => {
    const r = normalizePhone('415/867 5310', 'US');
    expect(r.ok && r.identifier.display).toBe('+1 415 867 5310');
  });

  it.each(['', 'call me', '867-5310', '+1 415 867 531099999', '00'])('refuses %j with a sentence', (raw) => {
    const r = normalizePhone(raw, 'US');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.code).toBe('identity/invalid-phone');
      expect(r.message).toMatch(/is not a phone number/);
    }
  });

  it('refuses an unknown default region', () => {
    const r = normalizePhone('415 867 5310', 'XX');
    expect(!r.ok && r.code).toBe('identity/invalid-region');
  });
});

describe('social handles and account ids', () => {
  it('X and Instagram handles are case-insensitive, with or without the @ or as a profile link', () => {
    expect(key(normalizeSocial('x', '@JaneDoe'))).toBe('social:x:janedoe');
    expect(key(normalizeSocial('X', 'janedoe'))).toBe('social:x:janedoe');
    expect(key(normalizeSocial('x', 'https://twitter.com/JaneDoe?s=20'))).toBe('social:x:janedoe');
    expect(key(normalizeSocial('instagram', '@Jane.Doe_'))).toBe('social:instagram:jane.doe_');
    expect(key(normalizeSocial('instagram', 'https://www.instagram.com/jane.doe_/'))).toBe('social:instagram:jane.doe_');
  });

  it('the same handle on two platforms is two identifiers', () => {
    expect(key(normalizeSocial('x', '@janedoe'))).not.toBe(key(normalizeSocial('instagram', '@janedoe')));
  });

  it('Messenger identifies people by numeric page-scoped ids', () => {
    expect(key(normalizeSocial('messenger', ' 6543210987654321 '))).toBe('social:messenger:6543210987654321');
    expect(normalizeSocial('messenger', 'jane.doe')).toMatchObject({ ok: false, code: 'identity/invalid-social' });
  });

  it('refuses handles the platform would not allow, and platforms it does not know', () => {
    expect(normalizeSocial('x', '@this_handle_is_far_too_long')).toMatchObject({ ok: false, code: 'identity/invalid-social' });
    expect(normalizeSocial('x', 'jane doe')).toMatchObject({ ok: false, code: 'identity/invalid-social' });
    expect(normalizeSocial('myspace', 'jane')).toMatchObject({ ok: false, code: 'identity/unknown-platform' });
  });

  it('account ids are opaque: trimmed, case kept, namespaced by their system', () => {
    expect(key(normalizeAccountId(' Cust-0042 ', 'Portal'))).toBe('account:portal:Cust-0042');
    expect(key(normalizeAccountId('cust-0042', 'portal'))).not.toBe(key(normalizeAccountId('Cust-0042', 'portal')));
    expect(key(normalizeAccountId('42'))).toBe('account:default:42');
    expect(normalizeAccountId('   ')).toMatchObject({ ok: false, code: 'identity/invalid-account' });
    expect(normalizeAccountId('42', 'has space')).toMatchObject({ ok: false, code: 'identity/invalid-account' });
  });
});

describe('the dispatcher', () => {
  it('routes each kind to its rule with the settings', () => {
    const s = IdentitySettings.parse({ foldPlus: true, defaultRegion: 'GB' });
    expect(key(normalizeIdentifier('email', 'Jane+x@Example.com', s))).toBe('email::jane@example.com');
    expect(key(normalizeIdentifier('phone', '020 7946 0958', s))).toBe('phone::+442079460958');
    expect(key(normalizeIdentifier('social', '@Jane', s, 'x'))).toBe('social:x:jane');
    expect(key(normalizeIdentifier('account', 'A1', s, 'shop'))).toBe('account:shop:A1');
    expect(normalizeIdentifier('social', '@Jane', s)).toMatchObject({ ok: false, code: 'identity/unknown-platform' });
  });

  it('validates its settings with defaults', () => {
    expect(IdentitySettings.parse({})).toEqual({ foldPlus: false, defaultRegion: 'US' });
    expect(IdentitySettings.safeParse({ defaultRegion: 'XX' }).success).toBe(false);
  });

  it('a cached normalizer answers like the plain one', () => {
    const cached = createNormalizer(settings, { cacheSize: 2 });
    for (const raw of ['415/867 5310', 'Jane@X.example', '415/867 5310', 'bad', 'x@y.example', '415/867 5310']) {
      const kind = raw.includes('@') ? 'email' : 'phone';
      expect(cached(kind, raw)).toEqual(normalizeIdentifier(kind, raw, settings));
    }
  });
});

describe('normalization is idempotent', () => {
  const again = (r: Normalized, next: (v: string) => Normalized) => {
    if (!r.ok) return;
    expect(value(next(r.identifier.value))).toBe(r.identifier.value);
  };

  it('for email addresses in any case, with display names and plus tags', () => {
    const raw = fc
      .tuple(fc.emailAddress(), fc.boolean(), fc.boolean(), fc.constantFrom('', ' ', '\t'))
      .chain(([email, wrap, upper, pad]) =>
        fc.mixedCase(fc.constant(email)).map((mixed) => pad + (wrap ? `"Some One" <${upper ? mixed.toUpperCase() : mixed}>` : mixed) + pad),
      );
    fc.assert(
      fc.property(raw, fc.boolean(), (r, foldPlus) => {
        const first = normalizeEmail(r, { foldPlus });
        again(first, (v) => normalizeEmail(v, { foldPlus }));
        if (first.ok) expect(value(normalizeEmail(r.toLowerCase(), { foldPlus }))).toBe(first.identifier.value);
      }),
    );
  });

  it('for arbitrary text handed in as an email address', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (r) => again(normalizeEmail(r), (v) => normalizeEmail(v))));
  });

  it('for phone numbers written in many ways', () => {
    const digits = fc.stringMatching(/^[2-9]\d{2}[2-9]\d{6}$/);
    const written = fc.tuple(digits, fc.constantFrom('+1 (AAA) BBB-CCCC', 'AAA/BBB CCCC', 'AAA.BBB.CCCC', '1-AAA-BBB-CCCC', '+1AAABBBCCCC', '011 44 AAA BBB CCCC', '0044 AAA BBB CCCC'));
    fc.assert(
      fc.property(written, fc.constantFrom('US', 'GB', 'DE', 'AU'), ([d, pattern], region) => {
        const raw = pattern.replace('AAA', d.slice(0, 3)).replace('BBB', d.slice(3, 6)).replace('CCCC', d.slice(6));
        again(normalizePhone(raw, region), (v) => normalizePhone(v, region));
      }),
    );
    fc.assert(fc.property(fc.string({ maxLength: 24 }), (r) => again(normalizePhone(r, 'US'), (v) => normalizePhone(v, 'US'))));
  });

  it('for handles and account ids', () => {
    fc.assert(
      fc.property(fc.constantFrom('x', 'instagram', 'messenger'), fc.string({ maxLength: 20 }), (platform, r) => {
        again(normalizeSocial(platform, r), (v) => normalizeSocial(platform, v));
        again(normalizeSocial(platform, `@${r}`), (v) => normalizeSocial(platform, v));
      }),
    );
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 30 }), (r) => again(normalizeAccountId(r, 'shop'), (v) => normalizeAccountId(v, 'shop'))));
  });
});
