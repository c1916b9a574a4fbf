// The portal's service: the knowledge base synced from files at start, search, views and
// suggestions per visitor, contacts from the conversation observer, and the deflection report
// (computed by the pure function in src/shared/metrics/deflection). No HTTP here.
import path from 'node:path';
import { z } from 'zod';
import { computeDeflection, PortalDeflectionResponse } from '../../shared/metrics/deflection';
import type { Db } from '../store/database';
import type { HubLog } from '../services';
import type { ArticleProblem } from './articles';
import type { PortalConfig } from './config';
import { parseKbFiles, readKbDirectory } from './kbFiles';
import { PortalStore, type ArticleRow, type ArticleSummary, type SearchHit } from './store';

/** A reload of the same article by the same visitor within this time is one view. */
export const VIEW_DEDUPE_MS = 30 * 60_000;
const POPULAR_SINCE_MS = 30 * 24 * 3_600_000;
const DEFAULT_REPORT_SPAN_MS = 30 * 24 * 3_600_000;
const MAX_REPORT_SPAN_MS = 400 * 24 * 3_600_000;

/** Ids the widget makes (UUIDs, nanoids) and the portal's own; nothing that could break a cookie or a log line. */
export const VisitorId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/, 'a visitor id is 1–128 letters, digits, dots, dashes, underscores or colons');

export function resolveArticlesDir(config: PortalConfig): string {
  return path.resolve(config.articlesDir ?? path.join(process.cwd(), 'kb'));
}

export interface PortalOptions {
  db: Db;
  config: PortalConfig;
  now: () => number;
  log: HubLog;
  /** The hub's public URL (no trailing slash), for absolute article links. */
  publicUrl: () => string;
}

export interface SyncReport {
  dir: string;
  changed: boolean;
  articles: number;
  problems: ArticleProblem[];
}

export class Portal {
  readonly store: PortalStore;
  readonly articlesDir: string;

  constructor(private readonly o: PortalOptions) {
    this.store = new PortalStore(o.db);
    this.articlesDir = resolveArticlesDir(o.config);
  }

  /** Reads the knowledge-base files and rebuilds the index when their hash changed; logs each problem with its file. */
  sync(): SyncReport {
    const snapshot = readKbDirectory(this.articlesDir);
    if (!snapshot.exists) this.o.log.warn(`portal: the knowledge-base directory ${this.articlesDir} does not exist; only articles saved in the hub are served.`);
    const outcome = this.store.syncFiles(snapshot.hash, () => parseKbFiles(snapshot.files), this.o.now());
    for (const p of outcome.problems) this.o.log.warn(`portal: ${path.join(this.articlesDir, p.file)}: ${p.message.slice(p.file.length + 2)}`);
    if (outcome.changed) this.o.log.info(`portal: indexed ${outcome.articles} knowledge-base articles from ${this.articlesDir}.`);
    return { dir: this.articlesDir, ...outcome };
  }

  search(query: string, limit: number): SearchHit[] {
    return this.store.search(query, limit);
  }

  article(slug: string): ArticleRow | null {
    return this.store.article(slug);
  }

  popular(limit: number): ArticleSummary[] {
    return this.store.popular(this.o.now() - POPULAR_SINCE_MS, limit);
  }

  allArticles(): ArticleSummary[] {
    return this.store.allArticles();
  }

  recordView(visitorId: string, slug: string): boolean {
    return this.store.recordView(visitorId, slug, this.o.now(), VIEW_DEDUPE_MS);
  }

  /** The widget's suggestions: the best matches, remembered per visitor as impressions. */
  suggest(query: string, visitorId: string | null): SearchHit[] {
    const hits = this.store.search(query, this.o.config.suggestionLimit);
    if (visitorId !== null && hits.length > 0) this.store.recordSuggestions(visitorId, hits.map((h) => h.slug), this.o.now());
    return hits;
  }

  recordFeedback(visitorId: string, slug: string, helpful: boolean): void {
    this.store.recordFeedback(visitorId, slug, helpful, this.o.now());
  }

  /** A committed inbound message that carried a visitor id. */
  recordContact(messageId: number, visitorId: string, conversationId: number, at: number): void {
    this.store.recordContact(messageId, visitorId, conversationId, at);
  }

  articleUrl(slug: string): string {
    return `${this.o.publicUrl().replace(/\/+$/, '')}/portal/articles/${slug}`;
  }

  /** Deflection of the views in [from, to), judged now; defaults to the last 30 days. */
  deflection(range: { from?: number; to?: number } = {}, topLimit = 10): PortalDeflectionResponse {
    const now = this.o.now();
    const to = range.to ?? now;
    const from = range.from ?? to - DEFAULT_REPORT_SPAN_MS;
    return portalDeflectionReport(this.store, { from, to, now, windowMs: this.o.config.deflectionWindowMs, topLimit, articleUrl: (s) => this.articleUrl(s) });
  }
}

export class PortalRangeError extends Error {
  readonly code = 'portal/invalid-range';
}

/**
 * The deflection report over the hub's portal tables; the function the hub core and the metrics
 * engine call (GET /portal/api/deflection answers the same).
 */
export function portalDeflectionReport(
  source: Db | PortalStore,
  o: { from: number; to: number; now: number; windowMs: number; topLimit?: number; articleUrl?: (slug: string) => string },
): PortalDeflectionResponse {
  if (!(o.from < o.to)) throw new PortalRangeError('The report range must start before it ends.');
  if (o.to - o.from > MAX_REPORT_SPAN_MS) throw new PortalRangeError('The report range can span at most 400 days.');
  const store = source instanceof PortalStore ? source : new PortalStore(source);
  const views = store.viewsBetween(o.from, o.to);
  const contacts = store.contactsForViews(o.from, o.to, o.to + o.windowMs);
  const report = computeDeflection({ views, contacts, windowMs: o.windowMs, now: o.now, topLimit: o.topLimit ?? 10, titles: store.titles() });
  const signals = store.articleSignals(o.from, o.to);
  return PortalDeflectionResponse.parse({
    ...report,
    from: o.from,
    to: o.to,
    generatedAt: o.now,
    topArticles: report.topArticles.map((a) => ({
      ...a,
      url: o.articleUrl ? o.articleUrl(a.slug) : `/portal/articles/${a.slug}`,
      suggested: signals.get(a.slug)?.suggested ?? 0,
      helpful: signals.get(a.slug)?.helpful ?? 0,
      notHelpful: signals.get(a.slug)?.notHelpful ?? 0,
    })),
  });
}
