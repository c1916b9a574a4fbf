// The labels the workspace shows: wait times, SLA badges, dates, notices, delivery, search
// snippets, the connection indicator and idempotency keys for replies.
import { beforeAll, describe, expect, it } from 'vitest';
import { setLocale } from '../../src/renderer/src/i18n';
import { channelSwitchNotices, describeSwitch } from '../../src/shared/timelineNotices';
import { createDateFormats, deliveryLabel, formatCompactDuration, formatWait, initials, slaBadge } from '../../src/renderer/src/format';
import { splitSnippet } from '../../src/renderer/src/snippet';
import { indicatorFor } from '../../src/renderer/src/state/connection';
import { EMPTY_DRAFT, keyForAttempt } from '../../src/renderer/src/state/composer';
import { newIdempotencyKey } from '../../src/renderer/src/ids';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const now = Date.UTC(2025, 0, 15, 12, 0, 0);
/** Intl puts a narrow no-break space before AM/PM in current ICU; compare as plain spaces. */
const plain = (s: string) => s.replace(/\s/g, ' ');

// The labels come from the catalogs: pin the language (each case that wants German sets it and back).
beforeAll(() => setLocale('en'));

describe('wait times', () => {
  it('show the largest whole unit: <1m, 4m, 2h, 3d', () => {
    expect(formatWait(now - 30_000, now)).toBe('<1m');
    expect(formatWait(now - 4 * MIN - 59_000, now)).toBe('4m');
    expect(formatWait(now - 59 * MIN, now)).toBe('59m');
    expect(formatWait(now - 2 * HOUR - 10 * MIN, now)).toBe('2h');
    expect(formatWait(now - 3 * DAY - 5 * HOUR, now)).toBe('3d');
  });

  it('never go negative when the clocks disagree a little', () => {
    expect(formatWait(now + 5_000, now)).toBe('<1m');
    expect(formatCompactDuration(-1)).toBe('<1m');
  });
});

describe('SLA badges', () => {
  it('has none without a running clock', () => {
    expect(slaBadge(null, now - HOUR, now)).toBeNull();
  });

  it('counts hours and minutes left, rounding up so it never reads 0:00 early', () => {
    expect(slaBadge(now + HOUR + 32 * MIN, now - HOUR, now)).toEqual({ state: 'ok', label: 'SLA 1:32 left' });
    expect(slaBadge(now + 5 * MIN + 1_000, now - HOUR, now)).toEqual({ state: 'warning', label: 'SLA 0:06 left' });
    expect(slaBadge(now + 30_000, now - HOUR, now)?.label).toBe('SLA 0:01 left');
    expect(slaBadge(now + 47 * HOUR, now - HOUR, now)?.label).toBe('SLA 47:00 left');
    expect(slaBadge(now + 3 * DAY + 4 * HOUR, now - HOUR, now)?.label).toBe('SLA 3d 4h left');
  });

  it('warns in the last quarter of the target and says how long ago it was breached', () => {
    expect(slaBadge(now + 20 * MIN, now - 60 * MIN, now)?.state).toBe('warning');
    expect(slaBadge(now + 40 * MIN, now - 20 * MIN, now)?.state).toBe('ok');
    expect(slaBadge(now, now - HOUR, now)).toEqual({ state: 'breached', label: 'Breached <1m' });
    expect(slaBadge(now - 3 * HOUR - 20 * MIN, now - DAY, now)).toEqual({ state: 'breached', label: 'Breached 3h' });
    expect(slaBadge(now - 2 * DAY, now - 3 * DAY, now)?.label).toBe('Breached 2d');
  });

  it('read naturally in German', () => {
    setLocale('de');
    try {
      expect(formatWait(now - 30_000, now)).toBe('<1 Min.');
      expect(slaBadge(now + HOUR + 32 * MIN, now - HOUR, now)?.label).toBe('SLA noch 1:32');
      expect(slaBadge(now + 3 * DAY + 4 * HOUR, now - HOUR, now)?.label).toBe('SLA noch 3 Tg. 4 Std.');
      expect(slaBadge(now - 3 * HOUR - 20 * MIN, now - DAY, now)?.label).toBe('Überschritten seit 3 Std.');
      expect(deliveryLabel('failed')).toBe('Nicht zugestellt');
    } finally {
      setLocale('en');
    }
  });
});

describe('dates in the agent’s locale', () => {
  const formats = createDateFormats('en-US', 'UTC', () => now);
  const jan10 = Date.UTC(2025, 0, 10, 14, 12);

  it('shows event times as "Jan 10, 2:12 PM" and days as "Jan 10"', () => {
    expect(plain(formats.eventTime(jan10))).toBe('Jan 10, 2:12 PM');
    expect(formats.day(jan10)).toBe('Jan 10');
    expect(plain(formats.full(jan10))).toMatch(/^Friday, January 10, 2025/);
  });

  it('adds the year to dates of another year', () => {
    const oct4 = Date.UTC(2024, 9, 4, 9, 31);
    expect(plain(formats.eventTime(oct4))).toBe('Oct 4, 2024, 9:31 AM');
    expect(formats.day(oct4)).toBe('Oct 4, 2024');
  });

  it('follows the locale', () => {
    expect(createDateFormats('de-DE', 'UTC', () => now).day(jan10)).toBe('10. Jan.');
  });

  it('words the channel-switch notice with the day of the earlier contact', () => {
    const events = [
      { id: 1, caseId: 8, channel: 'email' as const, direction: 'in' as const, occurredAt: jan10 },
      { id: 2, caseId: 8, channel: 'email' as const, direction: 'out' as const, occurredAt: jan10 + HOUR },
      { id: 3, caseId: 8, channel: 'chat' as const, direction: 'in' as const, occurredAt: jan10 + 5 * DAY },
    ];
    const [notice] = channelSwitchNotices(events);
    expect(notice?.beforeEventId).toBe(3);
    expect(describeSwitch(notice!, formats.day)).toBe('Previously contacted via Email on Jan 10');
  });
});

describe('small labels', () => {
  it('names delivery states', () => {
    expect(deliveryLabel('queued')).toBe('Queued');
    expect(deliveryLabel('delivered')).toBe('Delivered');
    expect(deliveryLabel('failed')).toBe('Not delivered');
  });

  it('makes avatar letters', () => {
    expect(initials('Jane Smith')).toBe('JS');
    expect(initials('  cher ')).toBe('C');
    expect(initials('Mary Ann de la Cruz')).toBe('MC');
    expect(initials('')).toBe('?');
  });

  it('splits FTS snippets into plain and matched runs without reading HTML', () => {
    expect(splitSnippet('…the [gateway] returns [504] <b>again</b>')).toEqual([
      { text: '…the ', match: false },
      { text: 'gateway', match: true },
      { text: ' returns ', match: false },
      { text: '504', match: true },
      { text: ' <b>again</b>', match: false },
    ]);
    expect(splitSnippet('no match')).toEqual([{ text: 'no match', match: false }]);
  });
});

describe('the connection indicator', () => {
  const base = { transport: 'online' as const, everOnline: true, browserOnline: true, hub: 'online' as const };
  it('reads Online, Offline — replies are queued, or Reconnecting…', () => {
    expect(indicatorFor(base).label).toBe('Online');
    expect(indicatorFor({ ...base, browserOnline: false }).label).toBe('Offline — replies are queued');
    expect(indicatorFor({ ...base, hub: 'offline' }).label).toBe('Offline — replies are queued');
    expect(indicatorFor({ ...base, hub: 'connecting' }).label).toBe('Reconnecting…');
    expect(indicatorFor({ ...base, transport: 'offline' }).label).toBe('Reconnecting…');
    expect(indicatorFor({ ...base, transport: 'connecting', everOnline: false }).label).toBe('Connecting…');
  });
});

describe('idempotency keys for replies', () => {
  it('a retry of the same text on the same channel reuses the key; an edit gets a new one', () => {
    let n = 0;
    const make = () => `key-${++n}-xxxxxxxx`;
    const first = keyForAttempt({ ...EMPTY_DRAFT, body: 'Hello Jane' }, 'chat', make);
    expect(first.key).toBe('key-1-xxxxxxxx');
    const retry = keyForAttempt({ ...EMPTY_DRAFT, body: 'Hello Jane ', ...first }, 'chat', make);
    expect(retry.key).toBe(first.key);
    const edited = keyForAttempt({ ...EMPTY_DRAFT, body: 'Hello Jane!', ...first }, 'chat', make);
    expect(edited.key).toBe('key-2-xxxxxxxx');
    const otherChannel = keyForAttempt({ ...EMPTY_DRAFT, body: 'Hello Jane', ...first }, 'email', make);
    expect(otherChannel.key).toBe('key-3-xxxxxxxx');
  });

  it('are UUIDs even where randomUUID is missing (plain http on a LAN address)', () => {
    const noUuid = { getRandomValues: globalThis.crypto.getRandomValues.bind(globalThis.crypto) } as Pick<Crypto, 'getRandomValues'>;
    const key = newIdempotencyKey(noUuid);
    expect(key).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(newIdempotencyKey()).not.toBe(newIdempotencyKey());
  });
});
