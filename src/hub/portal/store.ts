// Every SQL statement of the portal: the article table and its FTS5 index (bm25, title first,
// prefix terms), views, suggestions, feedback and visitor contacts. Articles from files are
// replaced in one transaction when the files' hash changes; articles saved to the store stay.
import type { Statement } from 'better-sqlite3';
import type { Db } from '../store/database';
import type { ArticleProblem, RenderedArticle } from './articles';

export interface ArticleRow {
  slug: string;
  title: string;
  summary: string | null;
  tags: string[];
  bodyHtml: string;
  updatedAt: number;
  source: 'file' | 'store';
}

export interface ArticleSummary {
  slug: string;
  title: string;
  summary: string | null;
  tags: string[];
  updatedAt: number;
}

export interface SearchHit extends ArticleSummary {
  /** A stretch of the body around the match; matched words between \uE000 and \uE001. */
  marked: string;
}

export interface SyncOutcome {
  changed: boolean;
  articles: number;
  problems: ArticleProblem[];
}

const MARK_START = '\uE000';
const MARK_END = '\uE001';
export const SNIPPET_MARKS = { start: MARK_START, end: MARK_END } as const;

// Words that say nothing about which article is meant; dropped so "how do I reset my password" finds the reset article.
const STOPWORDS = new Set(
  'a an and are as at be can do does for from how i in is it me my of on or our the to we what when where which who why will with you your'.split(' '),
);

/**
 * The FTS5 query for what a visitor typed: words only (no operators from the input), each a
 * prefix term so "pass" finds "password". `all` joins them with AND, else OR. Null: nothing to search.
 */
export function ftsQuery(text: string, all: boolean): string | null {
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  const meaningful = words.filter((w) => !STOPWORDS.has(w));
  const terms = (meaningful.length > 0 ? meaningful : words).slice(0, 12);
  if (terms.length === 0) return null;
  return terms.map((t) => `"${t}"*`).join(all ? ' AND ' : ' OR ');
}

interface ArticleDbRow {
  slug: string;
  title: string;
  summary: string | null;
  tags: string;
  body_html: string;
  updated_at: number;
  source: 'file' | 'store';
}

const summaryOf = (r: { slug: string; title: string; summary: string | null; tags: string; updated_at: number }): ArticleSummary => ({
  slug: r.slug,
  title: r.title,
  summary: r.summary,
  tags: JSON.parse(r.tags) as string[],
  updatedAt: r.updated_at,
});

export class PortalStore {
  /** The statements of the per-request paths, prepared once. */
  private readonly statements = new Map<string, Statement>();

  constructor(private readonly db: Db) {}

  private prepared(sql: string): Statement {
    let statement = this.statements.get(sql);
    if (!statement) this.statements.set(sql, (statement = this.db.prepare(sql)));
    return statement;
  }

  /** Replaces the file articles when `hash` differs from the last sync; store articles win a slug clash. */
  syncFiles(hash: string, load: () => { articles: Array<RenderedArticle & { file: string }>; problems: ArticleProblem[] }, now: number): SyncOutcome {
    const previous = this.meta('kb_hash');
    if (previous === hash) {
      return { changed: false, articles: this.countArticles('file'), problems: JSON.parse(this.meta('kb_problems') ?? '[]') as ArticleProblem[] };
    }
    const { articles, problems } = load();
    const apply = this.db.transaction(() => {
      const storeSlugs = new Set(this.db.prepare(`SELECT slug FROM portal_articles WHERE source = 'store'`).pluck().all() as string[]);
      const kept: string[] = [];
      const upsert = this.db.prepare(
        `INSERT INTO portal_articles (slug, title, summary, tags, body_md, body_html, body_text, updated_at, source, source_path, created_at)
         VALUES (@slug, @title, @summary, @tags, @bodyMarkdown, @bodyHtml, @bodyText, @updatedAt, 'file', @file, @now)
         ON CONFLICT (slug) DO UPDATE SET title = excluded.title, summary = excluded.summary, tags = excluded.tags, body_md = excluded.body_md,
           body_html = excluded.body_html, body_text = excluded.body_text, updated_at = excluded.updated_at, source_path = excluded.source_path
         WHERE portal_articles.source = 'file'`,
      );
      for (const a of articles) {
        if (storeSlugs.has(a.slug)) {
          problems.push({ file: a.file, code: 'portal/duplicate-slug', message: `${a.file}: the slug "${a.slug}" belongs to an article saved in the hub; the file was skipped.` });
          continue;
        }
        upsert.run({ ...a, tags: JSON.stringify(a.tags), now });
        kept.push(a.slug);
      }
      this.db.prepare(`DELETE FROM portal_articles WHERE source = 'file' AND slug NOT IN (SELECT value FROM json_each(?))`).run(JSON.stringify(kept));
      this.setMeta('kb_hash', hash);
      this.setMeta('kb_problems', JSON.stringify(problems));
      return kept.length;
    });
    return { changed: true, articles: apply(), problems };
  }

  /** An article kept in the hub itself (an admin's), indexed at once. */
  saveArticle(a: RenderedArticle, now: number): void {
    this.db
      .prepare(
        `INSERT INTO portal_articles (slug, title, summary, tags, body_md, body_html, body_text, updated_at, source, source_path, created_at)
         VALUES (@slug, @title, @summary, @tags, @bodyMarkdown, @bodyHtml, @bodyText, @updatedAt, 'store', NULL, @now)
         ON CONFLICT (slug) DO UPDATE SET title = excluded.title, summary = excluded.summary, tags = excluded.tags, body_md = excluded.body_md,
           body_html = excluded.body_html, body_text = excluded.body_text, updated_at = excluded.updated_at, source = 'store', source_path = NULL`,
      )
      .run({ ...a, tags: JSON.stringify(a.tags), now });
  }

  article(slug: string): ArticleRow | null {
    const r = this.db.prepare(`SELECT slug, title, summary, tags, body_html, updated_at, source FROM portal_articles WHERE slug = ?`).get(slug) as ArticleDbRow | undefined;
    return r ? { ...summaryOf(r), bodyHtml: r.body_html, source: r.source } : null;
  }

  titles(): Record<string, string> {
    const rows = this.db.prepare(`SELECT slug, title FROM portal_articles`).all() as Array<{ slug: string; title: string }>;
    return Object.fromEntries(rows.map((r) => [r.slug, r.title]));
  }

  allArticles(): ArticleSummary[] {
    const rows = this.db.prepare(`SELECT slug, title, summary, tags, updated_at FROM portal_articles ORDER BY title COLLATE NOCASE`).all() as ArticleDbRow[];
    return rows.map(summaryOf);
  }

  /** Most viewed since `since`, then the most recently updated to fill `limit`. */
  popular(since: number, limit: number): ArticleSummary[] {
    const rows = this.db
      .prepare(
        `SELECT a.slug, a.title, a.summary, a.tags, a.updated_at,
                (SELECT count(*) FROM portal_views v WHERE v.slug = a.slug AND v.viewed_at >= ?) AS views
         FROM portal_articles a ORDER BY views DESC, a.updated_at DESC, a.slug LIMIT ?`,
      )
      .all(since, limit) as ArticleDbRow[];
    return rows.map(summaryOf);
  }

  /** Best matches first: bm25 with the title weighted 10×, tags 4×, body 1×; AND of the words, else OR. */
  search(text: string, limit: number): SearchHit[] {
    const run = (query: string) =>
      this.prepared(
        `SELECT a.slug, a.title, a.summary, a.tags, a.updated_at,
                snippet(portal_articles_fts, 1, ?, ?, '…', 24) AS marked
         FROM portal_articles_fts JOIN portal_articles a ON a.id = portal_articles_fts.rowid
         WHERE portal_articles_fts MATCH ?
         ORDER BY bm25(portal_articles_fts, 10.0, 1.0, 4.0), a.slug
         LIMIT ?`,
      ).all(MARK_START, MARK_END, query, limit) as Array<ArticleDbRow & { marked: string }>;
    const all = ftsQuery(text, true);
    if (all === null) return [];
    let rows = run(all);
    if (rows.length === 0) {
      const any = ftsQuery(text, false)!;
      if (any !== all) rows = run(any);
    }
    return rows.map((r) => ({ ...summaryOf(r), marked: r.marked }));
  }

  countArticles(source?: 'file' | 'store'): number {
    const sql = source ? `SELECT count(*) FROM portal_articles WHERE source = ?` : `SELECT count(*) FROM portal_articles`;
    return (source ? this.db.prepare(sql).pluck().get(source) : this.db.prepare(sql).pluck().get()) as number;
  }

  /** Records a view unless the same visitor viewed the same article less than `dedupeMs` ago (a reload). */
  recordView(visitorId: string, slug: string, at: number, dedupeMs: number): boolean {
    const recent = this.prepared(`SELECT 1 FROM portal_views WHERE visitor_id = ? AND slug = ? AND viewed_at > ? AND viewed_at <= ? LIMIT 1`).get(visitorId, slug, at - dedupeMs, at);
    if (recent) return false;
    this.prepared(`INSERT INTO portal_views (visitor_id, slug, viewed_at) VALUES (?, ?, ?)`).run(visitorId, slug, at);
    return true;
  }

  recordSuggestions(visitorId: string, slugs: readonly string[], at: number): void {
    const upsert = this.prepared(
      `INSERT INTO portal_suggestions (visitor_id, slug, first_at, last_at, impressions) VALUES (?, ?, ?, ?, 1)
       ON CONFLICT (visitor_id, slug) DO UPDATE SET last_at = excluded.last_at, impressions = impressions + 1`,
    );
    this.db.transaction(() => {
      for (const slug of slugs) upsert.run(visitorId, slug, at, at);
    })();
  }

  recordFeedback(visitorId: string, slug: string, helpful: boolean, at: number): void {
    this.prepared(
      `INSERT INTO portal_feedback (visitor_id, slug, helpful, answered_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (visitor_id, slug) DO UPDATE SET helpful = excluded.helpful, answered_at = excluded.answered_at`,
    ).run(visitorId, slug, helpful ? 1 : 0, at);
  }

  /** One row per hub message: a replayed observer call changes nothing. */
  recordContact(messageId: number, visitorId: string, conversationId: number, at: number): void {
    this.prepared(`INSERT OR IGNORE INTO portal_contacts (message_id, visitor_id, conversation_id, contacted_at) VALUES (?, ?, ?, ?)`).run(messageId, visitorId, conversationId, at);
  }

  viewsBetween(from: number, to: number): Array<{ visitorId: string; slug: string; viewedAt: number }> {
    return this.db
      .prepare(`SELECT visitor_id AS visitorId, slug, viewed_at AS viewedAt FROM portal_views WHERE viewed_at >= ? AND viewed_at < ? ORDER BY viewed_at`)
      .all(from, to) as Array<{ visitorId: string; slug: string; viewedAt: number }>;
  }

  /** Contacts of the visitors who viewed something in [from, to), up to `until`: all that can settle those views. */
  contactsForViews(from: number, to: number, until: number): Array<{ visitorId: string; at: number }> {
    return this.db
      .prepare(
        `SELECT c.visitor_id AS visitorId, c.contacted_at AS at FROM portal_contacts c
         WHERE c.contacted_at > ? AND c.contacted_at <= ?
           AND c.visitor_id IN (SELECT visitor_id FROM portal_views WHERE viewed_at >= ? AND viewed_at < ?)`,
      )
      .all(from, until, from, to) as Array<{ visitorId: string; at: number }>;
  }

  /** Per article: distinct visitors it was suggested to (first time in the range) and helpful answers. */
  articleSignals(from: number, to: number): Map<string, { suggested: number; helpful: number; notHelpful: number }> {
    const out = new Map<string, { suggested: number; helpful: number; notHelpful: number }>();
    const row = (slug: string) => {
      let r = out.get(slug);
      if (!r) out.set(slug, (r = { suggested: 0, helpful: 0, notHelpful: 0 }));
      return r;
    };
    for (const r of this.db.prepare(`SELECT slug, count(*) AS n FROM portal_suggestions WHERE first_at >= ? AND first_at < ? GROUP BY slug`).all(from, to) as Array<{ slug: string; n: number }>) {
      row(r.slug).suggested = r.n;
    }
    for (const r of this.db
      .prepare(`SELECT slug, sum(helpful) AS yes, sum(1 - helpful) AS no FROM portal_feedback WHERE answered_at >= ? AND answered_at < ? GROUP BY slug`)
      .all(from, to) as Array<{ slug: string; yes: number; no: number }>) {
      Object.assign(row(r.slug), { helpful: r.yes, notHelpful: r.no });
    }
    return out;
  }

  private meta(key: string): string | null {
    return (this.db.prepare(`SELECT value FROM portal_meta WHERE key = ?`).pluck().get(key) as string | undefined) ?? null;
  }

  private setMeta(key: string, value: string): void {
    this.db.prepare(`INSERT INTO portal_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`).run(key, value);
  }
}
