// The knowledge base in the composer, offline: a cache of the portal's articles in the store, filled
// at start from the kb/ folder (the portal has no "list every article" API yet; see README.md here),
// searched with FTS5; using an article gives the text to insert and records the use (article, case,
// agent, time). The composition root creates one and spreads its handlers.
import { kbLinkText, kbSummaryText, type KbParsedInput, type KbRequestName, type KbRequestOutput } from '../../shared/contractKb';
import { AppError } from '../../shared/errors';
import type { CallContext } from '../../shared/rpc';
import type { Db } from '../store/database';
import type { Repository } from '../store/repository';
import { readKbFolder } from './kbFiles';
import { KbStore } from './kbStore';
import { say } from '../../shared/serverErrors';

export type KbHandlers = {
  [K in KbRequestName]: (input: KbParsedInput<K>, ctx: CallContext) => Promise<KbRequestOutput<K>> | KbRequestOutput<K>;
};

export interface KbServiceOptions {
  db: Db;
  repo: Repository;
  now: () => number;
  /** The agent using the articles (this desktop's). */
  agentId: number;
  /** The folder of Markdown articles that seeds the cache; null: none. */
  kbDir: string | null;
  /** The connected hub's base URL (its portal serves /portal/articles/<slug>); null when not connected. */
  hubUrl?: () => string | null;
  log?: (line: string) => void;
}

export interface KbService {
  readonly handlers: KbHandlers;
  readonly store: KbStore;
  /** Reads the folder into the cache when it changed since the last time; returns whether it did. */
  syncFromFolder(): boolean;
  /** The portal address links point to: the connected hub, else the last one seen, else null. */
  portalBase(): string | null;
}

const FOLDER_HASH_KEY = 'kb.folderHash';
const PORTAL_BASE_KEY = 'kb.portalBase';

/** ws://host:port/agent → http://host:port (the portal lives on the hub's HTTP server). */
export function portalBaseOf(hubUrl: string): string | null {
  try {
    const u = new URL(hubUrl);
    const protocol = u.protocol === 'wss:' || u.protocol === 'https:' ? 'https:' : u.protocol === 'ws:' || u.protocol === 'http:' ? 'http:' : null;
    return protocol ? `${protocol}//${u.host}` : null;
  } catch {
    return null;
  }
}

export function createKbService(options: KbServiceOptions): KbService {
  const { repo, now, agentId } = options;
  const log = options.log ?? (() => undefined);
  const store = new KbStore(options.db);

  const syncFromFolder = (): boolean => {
    if (!options.kbDir) return false;
    const folder = readKbFolder(options.kbDir);
    for (const p of folder.problems) log(`Knowledge base: ${p}`);
    if (!folder.exists || folder.hash === repo.getSetting<string>(FOLDER_HASH_KEY)) return false;
    store.replaceAll(folder.articles, 'files', now());
    repo.setSetting(FOLDER_HASH_KEY, folder.hash);
    log(`Knowledge base: ${folder.articles.length} articles cached from ${options.kbDir}.`);
    return true;
  };

  const portalBase = (): string | null => {
    const live = options.hubUrl?.() ?? null;
    const base = live ? portalBaseOf(live) : null;
    if (base) {
      if (repo.getSetting<string>(PORTAL_BASE_KEY) !== base) repo.setSetting(PORTAL_BASE_KEY, base);
      return base;
    }
    return repo.getSetting<string>(PORTAL_BASE_KEY) ?? null;
  };
  const urlOf = (base: string | null, slug: string) => (base ? `${base}/portal/articles/${encodeURIComponent(slug)}` : null);

  try {
    syncFromFolder();
  } catch (e) {
    log(`Knowledge base: the folder could not be read (${(e as Error).message}); the cache keeps what it had.`);
  }

  const handlers: KbHandlers = {
    kbSearch: ({ query, limit }) => {
      const base = portalBase();
      const articles = store.search(query, limit).map((r) => ({ ...r, snippet: r.snippet.replace(/\s+/g, ' ').trim(), url: urlOf(base, r.slug) }));
      return { articles, ...store.stats() };
    },
    kbUse: ({ slug, caseId, kind }) => {
      const article = store.article(slug);
      if (!article) throw new AppError('not-found', say('kbArticleMissing', { slug }));
      if (!store.caseExists(caseId)) throw new AppError('not-found', say('caseMissing', { caseId }));
      const url = urlOf(portalBase(), slug);
      if (kind === 'link' && !url) throw new AppError('kb/no-portal-address', say('kbNoPortal'));
      const text = kind === 'link' ? kbLinkText({ title: article.title, url: url! }) : kbSummaryText({ ...article, url });
      const usedAt = now();
      store.recordUse(slug, caseId, agentId, kind, usedAt);
      return { text, usedAt };
    },
    kbUsage: ({ from, to }) => {
      const articles = store.usage(from ?? 0, to ?? Number.MAX_SAFE_INTEGER);
      return { total: articles.reduce((n, a) => n + a.uses, 0), articles };
    },
  };

  return { handlers, store, syncFromFolder, portalBase };
}
