import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { computeDeflection, DeflectionReport, type DeflectionContact, type DeflectionView } from '../../src/shared/metrics/deflection';

const MIN = 60_000;
const HOUR = 60 * MIN;
const WINDOW = 24 * HOUR;
const T0 = Date.UTC(2026, 2, 2, 9);

const view = (visitorId: string, slug: string, viewedAt: number): DeflectionView => ({ visitorId, slug, viewedAt });
const contact = (visitorId: string, at: number): DeflectionContact => ({ visitorId, at });

describe('portal deflection', () => {
  it('counts a view as deflected once its window passed without a contact', () => {
    const r = computeDeflection({ views: [view('v1', 'reset-password', T0)], contacts: [], windowMs: WINDOW, now: T0 + WINDOW + 1 });
    expect(r).toMatchObject({ views: 1, deflected: 1, notDeflected: 0, pending: 0, rate: 1 });
    expect(r.topArticles).toEqual([{ slug: 'reset-password', title: null, views: 1, deflected: 1, notDeflected: 0, pending: 0, rate: 1 }]);
  });

  it('keeps a view pending while its window is open, up to and including the last millisecond', () => {
    const base = { views: [view('v1', 'refunds', T0)], contacts: [], windowMs: WINDOW };
    expect(computeDeflection({ ...base, now: T0 + 5 * MIN })).toMatchObject({ pending: 1, deflected: 0, rate: null });
    expect(computeDeflection({ ...base, now: T0 + WINDOW })).toMatchObject({ pending: 1, deflected: 0 });
    expect(computeDeflection({ ...base, now: T0 + WINDOW + 1 })).toMatchObject({ pending: 0, deflected: 1 });
  });

  it('marks a view not deflected when the same visitor makes contact within the window, edge included', () => {
    const views = [view('v1', 'refunds', T0)];
    const now = T0 + 3 * WINDOW;
    expect(computeDeflection({ views, contacts: [contact('v1', T0 + 1)], windowMs: WINDOW, now })).toMatchObject({ notDeflected: 1, deflected: 0, rate: 0 });
    expect(computeDeflection({ views, contacts: [contact('v1', T0 + WINDOW)], windowMs: WINDOW, now })).toMatchObject({ notDeflected: 1, deflected: 0 });
    // One millisecond after the window closed: the article did its job, the contact is about something else.
    expect(computeDeflection({ views, contacts: [contact('v1', T0 + WINDOW + 1)], windowMs: WINDOW, now })).toMatchObject({ notDeflected: 0, deflected: 1 });
  });

  it('ignores a contact made before or at the moment of the view', () => {
    const views = [view('v1', 'shipping-times', T0)];
    const now = T0 + 2 * WINDOW;
    expect(computeDeflection({ views, contacts: [contact('v1', T0 - HOUR)], windowMs: WINDOW, now })).toMatchObject({ deflected: 1, notDeflected: 0 });
    expect(computeDeflection({ views, contacts: [contact('v1', T0)], windowMs: WINDOW, now })).toMatchObject({ deflected: 1, notDeflected: 0 });
  });

  it("ignores another visitor's contact", () => {
    const r = computeDeflection({ views: [view('v1', 'invoices', T0)], contacts: [contact('v2', T0 + MIN)], windowMs: WINDOW, now: T0 + 2 * WINDOW });
    expect(r).toMatchObject({ deflected: 1, notDeflected: 0 });
  });

  it('settles every view in the window before one contact, and only those', () => {
    const views = [
      view('v1', 'reset-password', T0 - 2 * WINDOW), // long before: its window passed first
      view('v1', 'reset-password', T0),
      view('v1', 'two-factor-authentication', T0 + HOUR),
      view('v1', 'refunds', T0 + 3 * HOUR), // after the contact
    ];
    const r = computeDeflection({ views, contacts: [contact('v1', T0 + 2 * HOUR)], windowMs: WINDOW, now: T0 + 3 * HOUR + MIN });
    expect(r).toMatchObject({ views: 4, deflected: 1, notDeflected: 2, pending: 1, rate: 1 / 3 });
    expect(r.topArticles).toEqual([{ slug: 'reset-password', title: null, views: 2, deflected: 1, notDeflected: 1, pending: 0, rate: 0.5 }]);
  });

  it('finds the first contact after a view whatever the order of the contacts', () => {
    const views = [view('v1', 'refunds', T0)];
    const contacts = [contact('v1', T0 + 3 * WINDOW), contact('v1', T0 - HOUR), contact('v1', T0 + HOUR)];
    expect(computeDeflection({ views, contacts, windowMs: WINDOW, now: T0 + 4 * WINDOW })).toMatchObject({ notDeflected: 1 });
  });

  it('ranks top deflecting articles by deflected views, then rate, then slug, with titles', () => {
    const now = T0 + 10 * WINDOW;
    const views = [
      ...['a', 'b', 'c'].map((v) => view(v, 'refunds', T0)),
      ...['a', 'b', 'c', 'd'].map((v) => view(v, 'invoices', T0)),
      ...['a', 'b'].map((v) => view(v, 'data-export', T0)),
      view('a', 'cancel-subscription', T0),
      view('d', 'shipping-times', T0),
    ];
    // d contacts after viewing: one invoices view and the shipping view are not deflected.
    const r = computeDeflection({
      views,
      contacts: [contact('d', T0 + HOUR)],
      windowMs: WINDOW,
      now,
      titles: { refunds: 'Refunds and returns' },
      topLimit: 3,
    });
    expect(r.topArticles.map((a) => [a.slug, a.deflected, a.rate])).toEqual([
      ['refunds', 3, 1],
      ['invoices', 3, 0.75],
      ['data-export', 2, 1],
    ]);
    expect(r.topArticles[0]!.title).toBe('Refunds and returns');
    expect(r.topArticles.find((a) => a.slug === 'shipping-times')).toBeUndefined();
  });

  it('reports nothing decided for no views', () => {
    expect(computeDeflection({ views: [], contacts: [contact('v', T0)], windowMs: WINDOW, now: T0 })).toEqual({
      windowMs: WINDOW,
      views: 0,
      deflected: 0,
      notDeflected: 0,
      pending: 0,
      rate: null,
      topArticles: [],
    });
  });

  it('refuses a malformed input with a clear validation error', () => {
    expect(() => computeDeflection({ views: [view('', 'x', T0)], contacts: [], windowMs: WINDOW, now: T0 })).toThrow(/visitorId/);
    expect(() => computeDeflection({ views: [], contacts: [], windowMs: 0, now: T0 })).toThrow(/windowMs/);
  });

  it('always partitions the views and produces a report that matches its schema', () => {
    const arb = fc.record({
      views: fc.array(fc.record({ visitorId: fc.constantFrom('a', 'b', 'c'), slug: fc.constantFrom('x', 'y', 'z'), viewedAt: fc.integer({ min: 0, max: 1000 }) }), { maxLength: 40 }),
      contacts: fc.array(fc.record({ visitorId: fc.constantFrom('a', 'b', 'c', 'd'), at: fc.integer({ min: 0, max: 1000 }) }), { maxLength: 20 }),
      windowMs: fc.integer({ min: 1, max: 500 }),
      now: fc.integer({ min: 0, max: 2000 }),
    });
    fc.assert(
      fc.property(arb, (input) => {
        const r = DeflectionReport.parse(computeDeflection(input));
        expect(r.deflected + r.notDeflected + r.pending).toBe(input.views.length);
        // The same figures in any input order.
        const reversed = computeDeflection({ ...input, views: [...input.views].reverse(), contacts: [...input.contacts].reverse() });
        expect(reversed).toEqual(r);
        // Brute force, view by view.
        let notDeflected = 0;
        for (const v of input.views) {
          if (input.contacts.some((c) => c.visitorId === v.visitorId && c.at > v.viewedAt && c.at <= v.viewedAt + input.windowMs)) notDeflected++;
        }
        expect(r.notDeflected).toBe(notDeflected);
      }),
    );
  });
});
