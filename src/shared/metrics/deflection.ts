// Self-service deflection from portal article views and later contacts by the same visitor. Pure:
// the caller passes the views, the contacts and `now`; each view is judged on its own.
import { z } from 'zod';
import { Millis } from '../domain';

export const DeflectionView = z.object({
  visitorId: z.string().min(1),
  slug: z.string().min(1),
  viewedAt: Millis,
});
export type DeflectionView = z.infer<typeof DeflectionView>;

/** A message from a visitor on any channel that carries the visitor id (chat, the offline form). */
export const DeflectionContact = z.object({
  visitorId: z.string().min(1),
  at: Millis,
});
export type DeflectionContact = z.infer<typeof DeflectionContact>;

export const DeflectionInput = z.object({
  views: z.array(DeflectionView),
  contacts: z.array(DeflectionContact),
  /** A contact at most this long after a view makes the view not deflected. */
  windowMs: z.number().int().positive(),
  /** Views whose window has not passed by now are pending. */
  now: Millis,
  /** How many articles `topArticles` lists. */
  topLimit: z.number().int().positive().default(10),
  /** Article titles by slug, copied into `topArticles` (null when absent). */
  titles: z.record(z.string(), z.string()).optional(),
});
export type DeflectionInput = z.input<typeof DeflectionInput>;

const Count = z.number().int().nonnegative();
const Rate = z.number().min(0).max(1).nullable();

export const ArticleDeflection = z.object({
  slug: z.string(),
  title: z.string().nullable(),
  views: Count,
  deflected: Count,
  notDeflected: Count,
  pending: Count,
  /** deflected / (deflected + notDeflected); null while nothing is decided. */
  rate: Rate,
});
export type ArticleDeflection = z.infer<typeof ArticleDeflection>;

export const DeflectionReport = z.object({
  windowMs: z.number().int().positive(),
  views: Count,
  deflected: Count,
  notDeflected: Count,
  pending: Count,
  /** Over decided views only, so views still inside their window do not pull the rate down. */
  rate: Rate,
  /** Articles with at least one deflected view: most deflected first, then the higher rate, then slug. */
  topArticles: z.array(ArticleDeflection),
});
export type DeflectionReport = z.infer<typeof DeflectionReport>;

type Outcome = 'deflected' | 'notDeflected' | 'pending';

function lowerBoundAfter(sorted: readonly number[], t: number): number {
  // Index of the first contact strictly after t.
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The outcome of each view:
 * - not deflected: the same visitor made contact after the view and at most `windowMs` after it
 *   (viewedAt < contact ≤ viewedAt + windowMs; a contact at the very moment of the view or before
 *   it is not a reaction to the article);
 * - pending: no such contact yet and the window is still open (now ≤ viewedAt + windowMs);
 * - deflected: the window has passed without a contact.
 * One contact settles every view of that visitor in the window before it. O((V + C) log C).
 */
export function computeDeflection(rawInput: DeflectionInput): DeflectionReport {
  const input = DeflectionInput.parse(rawInput);
  const { windowMs, now } = input;

  const contactTimes = new Map<string, number[]>();
  for (const c of input.contacts) {
    const list = contactTimes.get(c.visitorId);
    if (list) list.push(c.at);
    else contactTimes.set(c.visitorId, [c.at]);
  }
  for (const list of contactTimes.values()) list.sort((a, b) => a - b);

  const totals: Record<Outcome, number> = { deflected: 0, notDeflected: 0, pending: 0 };
  const bySlug = new Map<string, Record<Outcome, number>>();
  for (const view of input.views) {
    const closes = view.viewedAt + windowMs;
    const times = contactTimes.get(view.visitorId);
    let outcome: Outcome;
    const next = times ? times[lowerBoundAfter(times, view.viewedAt)] : undefined;
    if (next !== undefined && next <= closes) outcome = 'notDeflected';
    else if (now <= closes) outcome = 'pending';
    else outcome = 'deflected';
    totals[outcome]++;
    let row = bySlug.get(view.slug);
    if (!row) bySlug.set(view.slug, (row = { deflected: 0, notDeflected: 0, pending: 0 }));
    row[outcome]++;
  }

  const articles: ArticleDeflection[] = [];
  for (const [slug, row] of bySlug) {
    if (row.deflected === 0) continue;
    articles.push({
      slug,
      title: input.titles?.[slug] ?? null,
      views: row.deflected + row.notDeflected + row.pending,
      ...row,
      rate: rate(row.deflected, row.notDeflected),
    });
  }
  articles.sort((a, b) => b.deflected - a.deflected || (b.rate ?? 0) - (a.rate ?? 0) || (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0));

  return {
    windowMs,
    views: input.views.length,
    ...totals,
    rate: rate(totals.deflected, totals.notDeflected),
    topArticles: articles.slice(0, input.topLimit),
  };
}

function rate(deflected: number, notDeflected: number): number | null {
  const decided = deflected + notDeflected;
  return decided === 0 ? null : deflected / decided;
}

/** What the hub's portal answers at GET /portal/api/deflection (the metrics engine and the weekly report read it). */
export const PortalDeflectionResponse = DeflectionReport.extend({
  /** Views with from ≤ viewedAt < to; pending is judged at `generatedAt`. */
  from: Millis,
  to: Millis,
  generatedAt: Millis,
  topArticles: z.array(
    ArticleDeflection.extend({
      url: z.string(),
      /** Distinct visitors the widget first suggested the article to within the range. */
      suggested: Count,
      helpful: Count,
      notHelpful: Count,
    }),
  ),
});
export type PortalDeflectionResponse = z.infer<typeof PortalDeflectionResponse>;
