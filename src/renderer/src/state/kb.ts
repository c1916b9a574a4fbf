// The knowledge-base slice of the composer: the search box's words, the articles found in the
// desktop's offline cache, and using one (main returns the text to insert and records the use).
// Putting text into the reply at the caret is shared with the suggested-channel offer.
import { create } from 'zustand';
import type { KbArticleHit, KbUseKind } from '../../../shared/contractKb';
import { insertAt } from '../../../shared/composer/macroTemplate';
import { getApi } from '../api';
import { EMPTY_DRAFT, useComposerStore } from './composer';
import { t } from '../i18n';
import { messageOf } from './errors';

export interface KbState {
  query: string;
  results: KbArticleHit[] | null;
  cached: number;
  searching: boolean;
  error: string | null;
  /** The last search asked for, so an older answer arriving late is dropped. */
  seq: number;
  search(query: string): Promise<void>;
  /** Inserts the article's link or summary into the reply of `caseId` at `caret`; returns the caret after it, or null. */
  insertArticle(caseId: number, slug: string, kind: KbUseKind, caret?: number): Promise<number | null>;
  reset(): void;
}

/** Puts text into the reply of a case at the caret (default: the end), in reply mode; returns the caret after it. */
export function insertIntoReply(caseId: number, text: string, caret?: number): number {
  const composer = useComposerStore.getState();
  const d = composer.drafts[caseId] ?? EMPTY_DRAFT;
  const inserted = insertAt(d.body, caret ?? d.body.length, text);
  composer.edit(caseId, { body: inserted.body, mode: 'reply' });
  return inserted.caret;
}

export const useKbStore = create<KbState>()((set, get) => ({
  query: '',
  results: null,
  cached: 0,
  searching: false,
  error: null,
  seq: 0,
  async search(query) {
    const seq = get().seq + 1;
    set({ query, seq, searching: true, error: null });
    try {
      const r = await getApi().kbSearch({ query, limit: 8 });
      if (get().seq === seq) set({ results: r.articles, cached: r.cached, searching: false });
    } catch (e) {
      if (get().seq === seq) set({ searching: false, error: messageOf(e, t('errors:kbSearch')) });
    }
  },
  async insertArticle(caseId, slug, kind, caret) {
    try {
      const { text } = await getApi().kbUse({ slug, caseId, kind });
      set({ error: null });
      return insertIntoReply(caseId, text, caret);
    } catch (e) {
      set({ error: messageOf(e, t('errors:kbInsert')) });
      return null;
    }
  },
  reset: () => set({ query: '', results: null, error: null, searching: false }),
}));

export const selectKb = (s: KbState) => s;
