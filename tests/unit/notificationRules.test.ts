// Which OS notifications an agent gets: per-channel rules, do-not-disturb, one notice per
// conversation, and none for the conversation on screen.
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { shellSayer } from '../../src/shared/shellText';
import { isDoNotDisturb, NotificationPlanner, NotificationSettings, truncatePreview, type Alert, type FocusState } from '../../src/main/desktop/notificationRules';

const T0 = DateTime.fromISO('2026-01-15T10:00:00', { zone: 'America/New_York' }).toMillis();
const away: FocusState = { windowFocused: false, viewingCaseId: null };

function settings(input: unknown = {}) {
  return NotificationSettings.parse(input);
}

function alert(over: Partial<Alert> = {}): Alert {
  return { kind: 'message', caseId: 1, channel: 'chat', sender: 'Jane Smith', preview: 'The API times out again', at: T0, ...over };
}

describe('channel rules', () => {
  it('notifies a new message at once with the sender as title and the preview as body', () => {
    const planner = new NotificationPlanner(settings());
    const { show, dropped } = planner.receive(alert(), T0, away);
    expect(dropped).toEqual([]);
    expect(show).toEqual([
      { key: 'case:1', caseId: 1, kind: 'message', channel: 'chat', title: 'Jane Smith', body: 'The API times out again', count: 1, actions: ['open'] },
    ]);
  });

  it('offers come with Accept and Open', () => {
    const planner = new NotificationPlanner(settings());
    expect(planner.receive(alert({ kind: 'offer' }), T0, away).show[0]).toMatchObject({ kind: 'offer', actions: ['accept', 'open'] });
  });

  it('a hub offer has its own notice whose Accept names the offer, even while a case with the same number is on screen', () => {
    const planner = new NotificationPlanner(settings());
    const offer = alert({ kind: 'offer', caseId: 0, offerId: 7, sender: 'A visitor', preview: 'Refund for order 1234' });
    const { show } = planner.receive(offer, T0, { windowFocused: true, viewingCaseId: 0 });
    expect(show).toEqual([
      { key: 'offer:7', caseId: 0, offerId: 7, kind: 'offer', channel: 'chat', title: 'A visitor', body: 'Refund for order 1234', count: 1, actions: ['accept', 'open'] },
    ]);
    // A second offer is a second notice, not "2 new messages".
    expect(planner.receive({ ...offer, offerId: 8 }, T0, away).show[0]).toMatchObject({ key: 'offer:8', count: 1 });
  });

  it('a muted channel never notifies, offers included', () => {
    const planner = new NotificationPlanner(settings({ channels: { email: { mode: 'muted' } } }));
    expect(planner.receive(alert({ channel: 'email' }), T0, away)).toEqual({ show: [], dropped: [{ caseId: 1, reason: 'muted' }] });
    expect(planner.receive(alert({ channel: 'email', kind: 'offer' }), T0, away).show).toEqual([]);
    expect(planner.receive(alert({ channel: 'sms' }), T0, away).show).toHaveLength(1);
  });

  it('a batched channel collects messages and shows them when the batch is due, one notice per conversation', () => {
    const planner = new NotificationPlanner(settings({ channels: { email: { mode: 'batched', everySeconds: 60 } } }));
    expect(planner.receive(alert({ channel: 'email', caseId: 5, preview: 'first' }), T0, away).show).toEqual([]);
    expect(planner.receive(alert({ channel: 'email', caseId: 5, preview: 'second', at: T0 + 10_000 }), T0 + 10_000, away).show).toEqual([]);
    expect(planner.receive(alert({ channel: 'email', caseId: 6, sender: 'Bob', preview: 'hello' }), T0 + 20_000, away).show).toEqual([]);
    expect(planner.nextDueAt()).toBe(T0 + 60_000);
    expect(planner.flush(T0 + 59_999, away).show).toEqual([]);

    const { show } = planner.flush(T0 + 60_000, away);
    expect(show.map((n) => [n.caseId, n.count, n.body])).toEqual([
      [5, 2, '2 new messages · second'],
      [6, 1, 'hello'],
    ]);
    expect(planner.nextDueAt()).toBeNull();
    expect(planner.flush(T0 + 120_000, away).show).toEqual([]);
  });

  it('an offer on a batched channel is not held back: it expires while it waits', () => {
    const planner = new NotificationPlanner(settings({ channels: { chat: { mode: 'batched', everySeconds: 300 } } }));
    expect(planner.receive(alert({ kind: 'offer' }), T0, away).show).toHaveLength(1);
  });

  it('refuses rules it cannot follow, naming them', () => {
    expect(NotificationSettings.safeParse({ channels: { email: { mode: 'batched', everySeconds: 1 } } }).success).toBe(false);
    expect(NotificationSettings.safeParse({ channels: { fax: { mode: 'muted' } } }).success).toBe(false);
    expect(NotificationSettings.safeParse({ channels: { email: { mode: 'loud' } } }).success).toBe(false);
    expect(NotificationSettings.safeParse({ doNotDisturb: { quietHours: { from: '25:00', to: '07:00' } } }).success).toBe(false);
  });
});

describe('several messages of one conversation', () => {
  it('replace the conversation’s notice with a count while it is recent', () => {
    const planner = new NotificationPlanner(settings({ coalesceSeconds: 120 }));
    planner.receive(alert({ preview: 'one' }), T0, away);
    const second = planner.receive(alert({ preview: 'two' }), T0 + 30_000, away).show[0]!;
    expect(second).toMatchObject({ key: 'case:1', count: 2, body: '2 new messages · two' });
    const third = planner.receive(alert({ preview: 'three' }), T0 + 60_000, away).show[0]!;
    expect(third).toMatchObject({ key: 'case:1', count: 3 });
  });

  it('count in the agent\'s language, read at each notice', () => {
    let language: 'en' | 'de' = 'de';
    const planner = new NotificationPlanner(settings({ coalesceSeconds: 120 }), undefined, () => shellSayer(language));
    planner.receive(alert({ preview: 'eins' }), T0, away);
    expect(planner.receive(alert({ preview: 'zwei' }), T0 + 30_000, away).show[0]).toMatchObject({ body: '2 neue Nachrichten · zwei' });
    language = 'en';
    expect(planner.receive(alert({ preview: 'three' }), T0 + 60_000, away).show[0]).toMatchObject({ body: '3 new messages · three' });
  });

  it('start a new count once the last notice is old or the agent opened the conversation', () => {
    const planner = new NotificationPlanner(settings({ coalesceSeconds: 60 }));
    planner.receive(alert(), T0, away);
    expect(planner.receive(alert(), T0 + 61_000, away).show[0]!.count).toBe(1);
    planner.receive(alert(), T0 + 62_000, away);
    planner.seen(1);
    expect(planner.receive(alert(), T0 + 63_000, away).show[0]!.count).toBe(1);
  });

  it('other conversations keep their own notices', () => {
    const planner = new NotificationPlanner(settings());
    planner.receive(alert({ caseId: 1 }), T0, away);
    expect(planner.receive(alert({ caseId: 2 }), T0 + 1000, away).show[0]).toMatchObject({ key: 'case:2', count: 1 });
  });
});

describe('the conversation on screen', () => {
  it('never notifies for the conversation the agent is looking at while the window is focused', () => {
    const planner = new NotificationPlanner(settings());
    const looking: FocusState = { windowFocused: true, viewingCaseId: 1 };
    expect(planner.receive(alert(), T0, looking)).toEqual({ show: [], dropped: [{ caseId: 1, reason: 'viewing' }] });
    expect(planner.receive(alert({ caseId: 2 }), T0, looking).show).toHaveLength(1);
  });

  it('notifies for it when the window is in the background', () => {
    const planner = new NotificationPlanner(settings());
    expect(planner.receive(alert(), T0, { windowFocused: false, viewingCaseId: 1 }).show).toHaveLength(1);
  });

  it('drops a batched message whose conversation the agent opened before the batch was due', () => {
    const planner = new NotificationPlanner(settings({ channels: { chat: { mode: 'batched', everySeconds: 30 } } }));
    planner.receive(alert(), T0, away);
    expect(planner.flush(T0 + 30_000, { windowFocused: true, viewingCaseId: 1 })).toEqual({ show: [], dropped: [{ caseId: 1, reason: 'viewing' }] });
  });
});

describe('do-not-disturb', () => {
  it('set by hand, holds until its end', () => {
    const planner = new NotificationPlanner(settings({ doNotDisturb: { until: T0 + 3600_000 } }));
    expect(planner.receive(alert(), T0, away).dropped).toEqual([{ caseId: 1, reason: 'do-not-disturb' }]);
    expect(planner.receive(alert({ kind: 'offer' }), T0, away).show).toEqual([]);
    expect(planner.receive(alert(), T0 + 3600_000, away).show).toHaveLength(1);
  });

  it('quiet hours across midnight silence the night in the agent’s zone', () => {
    const dnd = settings({ doNotDisturb: { quietHours: { from: '22:00', to: '07:00', timeZone: 'America/New_York' } } }).doNotDisturb;
    const at = (iso: string) => DateTime.fromISO(iso, { zone: 'America/New_York' }).toMillis();
    expect(isDoNotDisturb(dnd, at('2026-01-15T21:59'))).toBe(false);
    expect(isDoNotDisturb(dnd, at('2026-01-15T22:00'))).toBe(true);
    expect(isDoNotDisturb(dnd, at('2026-01-16T03:00'))).toBe(true);
    expect(isDoNotDisturb(dnd, at('2026-01-16T06:59'))).toBe(true);
    expect(isDoNotDisturb(dnd, at('2026-01-16T07:00'))).toBe(false);
    // The same instant is daytime in Tokyo.
    const tokyo = settings({ doNotDisturb: { quietHours: { from: '22:00', to: '07:00', timeZone: 'Asia/Tokyo' } } }).doNotDisturb;
    expect(isDoNotDisturb(tokyo, at('2026-01-16T03:00'))).toBe(false);
  });

  it('quiet hours on chosen weekdays cover the night that started on one of them', () => {
    // Friday (5) nights only.
    const dnd = settings({ doNotDisturb: { quietHours: { from: '22:00', to: '07:00', timeZone: 'UTC', weekdays: [5] } } }).doNotDisturb;
    const at = (iso: string) => DateTime.fromISO(iso, { zone: 'UTC' }).toMillis();
    expect(isDoNotDisturb(dnd, at('2026-01-16T23:00'))).toBe(true); // Friday night
    expect(isDoNotDisturb(dnd, at('2026-01-17T06:00'))).toBe(true); // Saturday morning, Friday's night
    expect(isDoNotDisturb(dnd, at('2026-01-17T23:00'))).toBe(false); // Saturday night
    expect(isDoNotDisturb(dnd, at('2026-01-16T06:00'))).toBe(false); // Friday morning is Thursday's night
  });

  it('daytime quiet hours (a lunch break) do not span midnight', () => {
    const dnd = settings({ doNotDisturb: { quietHours: { from: '12:00', to: '13:00', timeZone: 'UTC' } } }).doNotDisturb;
    const at = (iso: string) => DateTime.fromISO(iso, { zone: 'UTC' }).toMillis();
    expect(isDoNotDisturb(dnd, at('2026-01-15T12:30'))).toBe(true);
    expect(isDoNotDisturb(dnd, at('2026-01-15T13:00'))).toBe(false);
    expect(isDoNotDisturb(dnd, at('2026-01-15T00:30'))).toBe(false);
  });

  it('a batch that falls due during do-not-disturb is dropped, not shown later in a burst', () => {
    const planner = new NotificationPlanner(settings({ channels: { chat: { mode: 'batched', everySeconds: 60 } } }));
    planner.receive(alert(), T0, away);
    planner.update(settings({ channels: { chat: { mode: 'batched', everySeconds: 60 } }, doNotDisturb: { until: T0 + 3600_000 } }));
    expect(planner.flush(T0 + 60_000, away)).toEqual({ show: [], dropped: [{ caseId: 1, reason: 'do-not-disturb' }] });
    expect(planner.flush(T0 + 3600_000, away).show).toEqual([]);
  });
});

describe('previews', () => {
  it('collapse whitespace and cut long text with an ellipsis at the configured length', () => {
    expect(truncatePreview('  Hello\n\n  there  ', 50)).toBe('Hello there');
    expect(truncatePreview('a'.repeat(30), 20)).toBe(`${'a'.repeat(19)}…`);
    const planner = new NotificationPlanner(settings({ previewChars: 20 }));
    expect(planner.receive(alert({ preview: 'x'.repeat(100) }), T0, away).show[0]!.body).toHaveLength(20);
  });

  it('never cut an emoji or an accented letter in half', () => {
    const text = '👩‍💻'.repeat(30);
    const cut = truncatePreview(text, 10);
    expect(cut).toBe(`${'👩‍💻'.repeat(9)}…`);
    expect(truncatePreview('e\u0301'.repeat(30), 5)).toBe(`${'e\u0301'.repeat(4)}…`);
  });

  it('a message without a sender name still has a title', () => {
    const planner = new NotificationPlanner(settings());
    expect(planner.receive(alert({ sender: '   ' }), T0, away).show[0]!.title).toBe('Omni Desk');
  });
});
