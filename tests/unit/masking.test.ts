import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findPii, ibanValid, luhnValid, maskText } from '../../src/shared/privacy/masking';
import { detectorsFor, PrivacySettings } from '../../src/shared/privacy/settings';

const masked = (text: string) => maskText(text).text;

describe('payment card numbers', () => {
  it.each([
    ['my card is 4242 4242 4242 4242 thanks', 'my card is •••• •••• •••• 4242 thanks'],
    ['card: 4242424242424242.', 'card: •••• •••• •••• 4242.'],
    ['use 5555-5555-5555-4444 please', 'use •••• •••• •••• 4444 please'],
    ['amex 3782 822463 10005', 'amex •••• •••• •••• 0005'],
    ['amex 378282246310005', 'amex •••• •••• •••• 0005'],
    ['discover 6011 1111 1111 1117', 'discover •••• •••• •••• 1117'],
    ['mastercard 2-series 2223003122003222', 'mastercard 2-series •••• •••• •••• 3222'],
    ['card 4242 4242 4242 4242 2025', 'card •••• •••• •••• 4242 2025'],
  ])('masks a Luhn-valid card number, keeping the last four: %s', (input, output) => {
    expect(masked(input)).toBe(output);
  });

  it.each([
    ['a Luhn-invalid run', 'card 4242 4242 4242 4241'],
    ['an order number', 'order 4242424242424242 shipped'],
    ['an order number with #', 'Order #4242424242424242'],
    ['a tracking number', 'tracking number 4242424242424242'],
    ['an international phone number', 'call me on +44 20 7946 0958 or +14155550100'],
    ['a US phone number', 'my number is (415) 555-0100'],
    ['a 20-digit parcel code', 'parcel code 92055901755477000000'],
    ['a 12-digit invoice', 'invoice 424242424242'],
    ['digits glued to letters', 'ref AB4242424242424242'],
    ['a date and amount', 'on 2024-03-15 we paid 1,250.00'],
    ['a number with an unknown issuer prefix', '1234 5678 9012 3452'],
    ['phone-style grouping', '4242 424 242 424 242'],
  ])('leaves %s readable', (_, input) => {
    expect(masked(input)).toBe(input);
  });

  it('reports each card it found with its kind and position', () => {
    const result = maskText('a 4242 4242 4242 4242 and b 5555555555554444');
    expect(result.kinds).toEqual(['card']);
    expect(result.spans.map((s) => [s.start, s.end])).toEqual([
      [2, 21],
      [28, 44],
    ]);
  });

  it('checks Luhn like the card networks', () => {
    expect(luhnValid('79927398713')).toBe(true);
    expect(luhnValid('79927398710')).toBe(false);
    expect(luhnValid('')).toBe(false);
  });
});

/** A 16-digit Visa-prefixed number whose check digit is valid (or, with `valid` false, wrong). */
function visaLike(body: number[], valid: boolean): string {
  const digits = ['4', ...body.map(String)].join('');
  for (let check = 0; check <= 9; check++) {
    const candidate = digits + String(check);
    if (luhnValid(candidate) === valid) return candidate;
  }
  throw new Error('unreachable');
}

describe('card masking properties', () => {
  const body = fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 14, maxLength: 14 });
  const words = fc.array(fc.constantFrom('please', 'charge', 'the', 'card', 'today', 'thanks', 'asap', 'it', 'is'), { maxLength: 6 }).map((w) => w.join(' '));
  const layout = fc.constantFrom('plain', 'spaces', 'dashes');
  const lay = (n: string, how: string) => (how === 'plain' ? n : (n.match(/.{4}/g) ?? []).join(how === 'spaces' ? ' ' : '-'));

  it('a random Luhn-valid 16-digit number embedded in text is always masked', () => {
    fc.assert(
      fc.property(body, words, words, layout, (b, before, after, how) => {
        const card = visaLike(b, true);
        const text = `${before} ${lay(card, how)} ${after}`;
        const result = maskText(text);
        expect(result.kinds).toContain('card');
        expect(result.text).not.toContain(card.slice(0, 12));
        expect(result.text.replace(/\D/g, '')).not.toContain(card.slice(0, 6));
        expect(result.text).toContain(`•••• •••• •••• ${card.slice(-4)}`);
      }),
    );
  });

  it('a Luhn-invalid one never is', () => {
    fc.assert(
      fc.property(body, words, words, layout, (b, before, after, how) => {
        const text = `${before} ${lay(visaLike(b, false), how)} ${after}`;
        expect(findPii(text, ['card'])).toEqual([]);
      }),
    );
  });
});

describe('national ids', () => {
  it.each([
    ['SSN 123-45-6789 on file', 'SSN •••-••-6789 on file'],
    ['ssn is 536 22 1234', 'ssn is •••-••-1234'],
  ])('masks a US social security number: %s', (input, output) => {
    expect(masked(input)).toBe(output);
  });

  it.each(['000-12-3456', '666-12-3456', '912-12-3456', '123-00-4567', '123-45-0000', 'call 555-12-34567'])('leaves the never-issued or malformed SSN %s', (text) => {
    expect(findPii(text, ['ssn'])).toEqual([]);
  });

  it.each([
    ['NI number AB 12 34 56 C', 'NI number •• •• •• •• C'],
    ['my NINO is QQ123456A?', 'my NINO is QQ123456A?'],
    ['JG103759A', '•• •• •• •• A'],
  ])('masks a UK National Insurance number unless the prefix is never allocated: %s', (input, output) => {
    expect(masked(input)).toBe(output);
  });

  it.each(['GB123456A', 'BG 12 34 56 A', 'AB123456E', 'DA123456A'])('leaves the impossible NI number %s', (text) => {
    expect(findPii(text, ['ni'])).toEqual([]);
  });

  it.each([
    ['pay to DE89 3704 0044 0532 0130 00 ok', 'pay to DE•• •••• •••• 3000 ok'],
    ['IBAN GB82WEST12345698765432', 'IBAN GB•• •••• •••• 5432'],
    ['iban: fr14 2004 1010 0505 0001 3m02 606', 'iban: FR•• •••• •••• 2606'],
  ])('masks an IBAN whose mod-97 check holds: %s', (input, output) => {
    expect(masked(input)).toBe(output);
  });

  it('leaves an IBAN with a wrong check digit or the wrong length for its country', () => {
    expect(ibanValid('DE89370400440532013001')).toBe(false);
    expect(ibanValid('DE8937040044053201300')).toBe(false);
    expect(ibanValid('XX89370400440532013000')).toBe(false);
    expect(masked('DE89 3704 0044 0532 0130 01')).toBe('DE89 3704 0044 0532 0130 01');
  });
});

describe('passwords stated in text', () => {
  it.each([
    ['password: hunter2', 'password: ••••••••'],
    ['Password=Tr0ub4dor&3 thanks', 'Password=•••••••• thanks'],
    ['my password is hunter2.', 'my password is ••••••••.'],
    ['pw is s3cr3t!', 'pw is ••••••••'],
    ['the passcode was "correct horse battery" ok', 'the passcode was "••••••••" ok'],
    ['PIN is 4821', 'PIN is ••••••••'],
    ['my password is now: Blue-Sky-77', 'my password is now: ••••••••'],
  ])('masks the secret after the word: %s', (input, output) => {
    expect(masked(input)).toBe(output);
  });

  it.each([
    'Do you use single sign-on through your company, or a password?',
    'my password is not working',
    'the password is wrong again',
    'I reset my password yesterday',
    'password reset link expired',
    'your password is case-sensitive',
  ])('leaves a sentence about a password without one: %s', (text) => {
    expect(masked(text)).toBe(text);
  });
});

describe('masking rules per channel', () => {
  it('applies every detector to a channel the rules do not name', () => {
    expect(detectorsFor(PrivacySettings.parse({}), 'sms')).toEqual(['card', 'ssn', 'ni', 'iban', 'password']);
  });

  it('applies only the listed detectors to a channel that has rules', () => {
    const settings = PrivacySettings.parse({ masking: { chat: ['password'] } });
    const kinds = detectorsFor(settings, 'chat');
    expect(maskText('card 4242 4242 4242 4242, password: x1', kinds).text).toBe('card 4242 4242 4242 4242, password: ••••••••');
  });

  it('masks everything on a restricted channel, whatever its rules say', () => {
    const settings = PrivacySettings.parse({ masking: { phone: [] }, restricted: [{ channel: 'phone', reason: 'HIPAA' }] });
    expect(detectorsFor(settings, 'phone')).toEqual(['card', 'ssn', 'ni', 'iban', 'password']);
  });

  it('masks several kinds in one text without overlapping', () => {
    const result = maskText('card 4242424242424242, SSN 123-45-6789, password: pa55');
    expect(result.kinds).toEqual(['card', 'ssn', 'password']);
    expect(result.text).toBe('card •••• •••• •••• 4242, SSN •••-••-6789, password: ••••••••');
  });
});
