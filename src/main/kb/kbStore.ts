// All SQL of the knowledge-base cache: the cached articles with their FTS5 index (rewritten together
// in one transaction), the search (prefix terms, bm25 with the title first), and article uses.
import type { Statement } from 'better-sqlite3';
import type { KbUsageRow, KbUseKind } from '../../shared/contractKb';
import type { Db } from '../store/database';
import { lazyStatements } from '../store/statements';
import type { KbCacheArticle } from './kbFiles';

export interface CachedArticle extends KbCacheArticle {
  source: 'files' | 'hub';
}

export interface KbSearchRow {
  slug: string;
  title: string;
  summary: string | null;
  snippet: string;
}

/** "pass reset" → `"pass"* AND "reset"*` (or OR): every word a quoted prefix term, nothing the agent types is FTS syntax. */
export function ftsQuery(query: string, join: 'AND' | 'OR'): string | null {
  const words = query.toLocaleLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  if (words.length === 0) return null;
  return words
    .slice(0, 12)
    .map((w) => `"${w}"*`)
    .join(` ${join} `);
}

const SQL = {
  clearArticles: 'DELETE FROM kb_articles',
  clearIndex: 'DELETE FROM kb_articles_fts',
  insertArticle: `INSERT INTO kb_articles (slug, title, summary, body_text, tags, updated_at, source, cached_at)
    VALUES (@slug, @title, @summary, @bodyText, @tags, @updatedAt, @source, @cachedAt)`,
  insertIndex: 'INSERT INTO kb_articles_fts (slug, title, summary, tags, body) VALUES (?, ?, ?, ?, ?)',
  article: 'SELECT slug, title, summary, body_text AS bodyText, tags, updated_at AS updatedAt, source FROM kb_articles WHERE slug = ?',
  count: 'SELECT count(*) AS n, max(cached_at) AS at FROM kb_articles',
  search: `SELECT a.slug, a.title, a.summary, snippet(kb_articles_fts, 4, '', '', '…', 16) AS snippet
    FROM kb_articles_fts JOIN kb_articles a ON a.slug = kb_articles_fts.slug
    WHERE kb_articles_fts MATCH ? ORDER BY bm25(kb_articles_fts, 0, 10, 5, 4, 1) LIMIT ?`,
  recent: `SELECT slug, title, summary, substr(body_text, 1, 160) AS snippet FROM kb_articles ORDER BY updated_at DESC, title LIMIT ?`,
  caseExists: 'SELECT 1 AS one FROM cases WHERE id = ?',
  recordUse: 'INSERT INTO kb_usage (slug, case_id, agent_id, kind, used_at) VALUES (?, ?, ?, ?, ?)',
  usage: `SELECT u.slug, coalesce(a.title, u.slug) AS title, count(*) AS uses,
      sum(u.kind = 'link') AS links, sum(u.kind = 'summary') AS summaries,
      count(DISTINCT u.case_id) AS cases, count(DISTINCT u.agent_id) AS agents, max(u.used_at) AS lastUsedAt
    FROM kb_usage u LEFT JOIN kb_articles a ON a.slug = u.slug
    WHERE u.used_at >= ? AND u.used_at < ?
    GROUP BY u.slug ORDER BY uses DESC, lastUsedAt DESC`,
};

export class KbStore {
  private readonly s: Record<keyof typeof SQL, Statement>;

  constructor(private readonly db: Db) {
    this.s = lazyStatements(db, SQL) as Record<keyof typeof SQL, Statement>;
  }

  /** Replaces the whole cache (rows and index) in one transaction. */
  replaceAll(articles: readonly KbCacheArticle[], source: 'files' | 'hub', at: number): void {
    this.db.transaction(() => {
      this.s.clearArticles.run();
      this.s.clearIndex.run();
      for (const a of articles) {
        this.s.insertArticle.run({ slug: a.slug, title: a.title, summary: a.summary, bodyText: a.bodyText, tags: JSON.stringify(a.tags), updatedAt: a.updatedAt, source, cachedAt: at });
        this.s.insertIndex.run(a.slug, a.title, a.summary ?? '', a.tags.join(' '), a.bodyText);
      }
    })();
  }

  article(slug: string): CachedArticle | null {
    const row = this.s.article.get(slug) as (Omit<CachedArticle, 'tags'> & { tags: string }) | undefined;
    return row ? { ...row, tags: JSON.parse(row.tags) as string[] } : null;
  }

  stats(): { cached: number; cachedAt: number | null } {
    const row = this.s.count.get() as { n: number; at: number | null };
    return { cached: row.n, cachedAt: row.at };
  }

  /** All words first; when nothing has them all, any of them. An empty query lists the newest articles. */
  search(query: string, limit: number): KbSearchRow[] {
    const all = ftsQuery(query, 'AND');
    if (all === null) return this.s.recent.all(limit) as KbSearchRow[];
    const hits = this.s.search.all(all, limit) as KbSearchRow[];
    if (hits.length > 0) return hits;
    return this.s.search.all(ftsQuery(query, 'OR'), limit) as KbSearchRow[];
  }

  caseExists(caseId: number): boolean {
    return this.s.caseExists.get(caseId) !== undefined;
  }

  recordUse(slug: string, caseId: number, agentId: number, kind: KbUseKind, at: number): void {
    this.s.recordUse.run(slug, caseId, agentId, kind, at);
  }

  usage(from: number, to: number): KbUsageRow[] {
    return this.s.usage.all(from, to) as KbUsageRow[];
  }
}
