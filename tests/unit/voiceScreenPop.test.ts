import { describe, expect, it } from 'vitest';
import { normalizePhone } from '../../src/shared/identity/normalize';
import { telLinkNumber, toE164 } from '../../src/shared/voice/e164';
import { newestFirst } from '../../src/shared/voice/screenPop';
import { setLocale } from '../../src/renderer/src/i18n';
import { previousContactLine } from '../../src/renderer/src/voice/popText';
import { watchdogAction, type WatchdogInput } from '../../src/shared/voice/watchdog';

describe('E.164 matching of stored and dialled numbers', () => {
  // Every way a US customer's number turns up in a CRM import, a signature or a form.
  const us = ['+1 415 555 0134', '(415) 555-0134', '415-555-0134', '415/555-0134', '415.555.0134', '415 555 0134', '4155550134', '1-415-555-0134', '+1-415-555-0134', '011 1 415 555 0134', 'tel:+1-415-555-0134', '+1 (415) 555–0134'];
  it.each(us)('“%s” is +14155550134 read from the US', (raw) => {
    expect(toE164(raw, 'US')).toMatchObject({ ok: true, e164: '+14155550134' });
    // The store's key is the same string: a caller id finds the row the import wrote.
    const stored = normalizePhone(raw, 'US');
    expect(stored.ok && stored.identifier.value).toBe('+14155550134');
  });

  const uk = ['020 7946 0958', '+44 20 7946 0958', '0044 20 7946 0958', '(020) 7946-0958', '+44 (0)20 7946 0958', '020/7946/0958'];
  it.each(uk)('“%s” is +442079460958 read from the UK (national prefix 0)', (raw) => {
    expect(toE164(raw, 'GB')).toMatchObject({ ok: true, e164: '+442079460958' });
  });

  it('keeps an extension out of the dialled number', () => {
    expect(toE164('+1 415 555 0134 ext. 22', 'US')).toMatchObject({ ok: true, e164: '+14155550134' });
  });

  it('refuses what is no number, with a sentence', () => {
    expect(toE164('', 'US')).toEqual({ ok: false, message: 'Enter a phone number.' });
    const bad = toE164('call me maybe', 'US');
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.message).toMatch(/is not a phone number/);
  });

  it('reads the number of a tel: link (RFC 3966), percent-escapes and parameters included', () => {
    expect(telLinkNumber('tel:+1-415-555-0134')).toBe('+1-415-555-0134');
    expect(telLinkNumber('tel:%2B14155550134;ext=2')).toBe('+14155550134');
    expect(telLinkNumber('mailto:a@b.example')).toBeNull();
    expect(telLinkNumber('tel:')).toBeNull();
  });
});

describe('the screen pop context', () => {
  it('orders the last contacts newest first and names the latest channel with its time', () => {
    const rows = [
      { eventId: 1, channel: 'email' as const, at: 1_000 },
      { eventId: 3, channel: 'chat' as const, at: 5_000 },
      { eventId: 2, channel: 'sms' as const, at: 5_000 },
    ];
    expect(newestFirst(rows).map((r) => r.eventId)).toEqual([3, 2, 1]);
    setLocale('en');
    expect(previousContactLine(rows, (at) => (at === 5_000 ? '10:30 AM' : '?'))).toBe('Customer previously contacted via chat at 10:30 AM');
    expect(previousContactLine([{ eventId: 9, channel: 'sms', at: 1 }], () => '9:05 PM')).toBe('Customer previously contacted via SMS at 9:05 PM');
    expect(previousContactLine([], () => '')).toBeNull();
    setLocale('de');
    expect(previousContactLine(rows, (at) => (at === 5_000 ? '10:30' : '?'))).toBe('Letzter Kontakt des Kunden per Chat um 10:30');
    setLocale('en');
  });
});

describe('the registration watchdog', () => {
  const timing = { stuckAfterMs: 20_000, staleAfterMs: 600_000, graceMs: 2_000 };
  const base: WatchdogInput = { wanted: true, state: 'registered', stateSince: 0, confirmedAt: 0, onCall: false, now: 1_000 };

  it('leaves a fresh registration alone and re-confirms one that went stale', () => {
    expect(watchdogAction({ ...base, confirmedAt: 500, now: 60_000 }, timing)).toBe('none');
    expect(watchdogAction({ ...base, confirmedAt: 500, now: 600_500 }, timing)).toBe('reconfirm');
  });

  it('never tears anything down during a call', () => {
    expect(watchdogAction({ ...base, confirmedAt: 0, now: 10_000_000, onCall: true }, timing)).toBe('none');
  });

  it('registers again when the SDK stayed unregistered past the grace time', () => {
    expect(watchdogAction({ ...base, state: 'unregistered', stateSince: 0, now: 1_999 }, timing)).toBe('none');
    expect(watchdogAction({ ...base, state: 'unregistered', stateSince: 0, now: 2_000 }, timing)).toBe('register');
  });

  it('rebuilds a Device stuck registering (a register lost in a reconnect) or destroyed', () => {
    expect(watchdogAction({ ...base, state: 'registering', stateSince: 0, now: 19_999 }, timing)).toBe('none');
    expect(watchdogAction({ ...base, state: 'registering', stateSince: 0, now: 20_000 }, timing)).toBe('rebuild');
    expect(watchdogAction({ ...base, state: 'destroyed' }, timing)).toBe('rebuild');
  });

  it('does nothing while the phone is off', () => {
    expect(watchdogAction({ ...base, wanted: false, state: 'destroyed' }, timing)).toBe('none');
  });
});
