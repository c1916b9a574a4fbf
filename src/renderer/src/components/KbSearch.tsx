// The "Knowledge base" button of the composer and its panel: a search box over the desktop's
// offline cache of the portal's articles, each result with "Insert link" and "Insert summary",
// which put the text at the reply's caret (and record the use). Escape closes, focus goes back.
import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { KbUseKind } from '../../../shared/contractKb';
import { useKbStore } from '../state/kb';

/** Wait this long after the last keystroke before searching. */
const SEARCH_DEBOUNCE_MS = 150;

export function KbSearch({ caseId, caret, onInserted }: { caseId: number; caret: () => number | undefined; onInserted: (caret: number) => void }) {
  const [open, setOpen] = useState(false);
  const { query, results, cached, searching, error, search, insertArticle, reset } = useKbStore();
  const [text, setText] = useState('');
  const button = useRef<HTMLButtonElement>(null);
  const input = useRef<HTMLInputElement>(null);
  const panel = useRef<HTMLDivElement>(null);
  const panelId = useId();
  const listId = useId();
  const { t } = useTranslation('composer');

  useEffect(() => {
    if (!open) return;
    input.current?.focus();
    const timer = setTimeout(() => void search(text), text === query && results !== null ? 0 : SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- search when the words change or the panel opens
  }, [open, text]);

  useEffect(() => {
    if (!open) return;
    const onDown = (e: MouseEvent) => {
      if (!panel.current?.contains(e.target as Node) && !button.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', onDown);
    return () => document.removeEventListener('mousedown', onDown);
  }, [open]);

  const close = (focusButton: boolean) => {
    setOpen(false);
    if (focusButton) button.current?.focus();
  };
  const insert = async (slug: string, kind: KbUseKind) => {
    const at = await insertArticle(caseId, slug, kind, caret());
    if (at === null) return;
    setOpen(false);
    setText('');
    reset();
    onInserted(at);
  };

  return (
    <div className="kb-search">
      <button
        ref={button}
        type="button"
        className="btn btn-small"
        aria-expanded={open}
        aria-controls={open ? panelId : undefined}
        title={t('kbHint')}
        onClick={() => (open ? close(false) : setOpen(true))}
      >
        {t('kb')}
      </button>
      {open && (
        <div
          ref={panel}
          id={panelId}
          className="kb-popup"
          role="dialog"
          aria-label={t('kb')}
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              e.preventDefault();
              e.stopPropagation();
              close(true);
            }
          }}
        >
          <input
            ref={input}
            className="kb-filter"
            type="search"
            aria-label={t('kbSearch')}
            aria-controls={listId}
            placeholder={t('kbPlaceholder')}
            value={text}
            onChange={(e) => setText(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'ArrowDown') {
                e.preventDefault();
                panel.current?.querySelector<HTMLButtonElement>('.kb-result button:not([disabled])')?.focus();
              }
            }}
          />
          <p className="kb-status" role="status">
            {searching && results === null ? t('searching') : results === null ? '' : results.length === 0 ? (cached === 0 ? t('kbEmpty') : t('kbNoMatch', { query })) : t('articles', { count: results.length })}
          </p>
          {error && (
            <p className="kb-error" role="alert">
              {error}
            </p>
          )}
          <ul id={listId} className="kb-results" aria-label={t('articlesList')}>
            {(results ?? []).map((a) => (
              <li key={a.slug} className="kb-result" aria-labelledby={`${listId}-${a.slug}`}>
                <span id={`${listId}-${a.slug}`} className="kb-title">
                  {a.title}
                </span>
                <span className="kb-snippet">{a.summary ?? a.snippet}</span>
                <span className="kb-actions">
                  <button
                    type="button"
                    className="btn btn-small"
                    disabled={a.url === null}
                    title={a.url ?? t('portalUnknown')}
                    onClick={() => void insert(a.slug, 'link')}
                  >
                    {t('insertLink')}
                  </button>
                  <button type="button" className="btn btn-small" onClick={() => void insert(a.slug, 'summary')}>
                    {t('insertSummary')}
                  </button>
                </span>
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
