// The top bar's search: full-text over every channel's messages and notes, hits in a popover;
// picking a hit opens that customer (and the hit's case when it has one).
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { t } from '../i18n';
import type { SearchHit } from '../../../shared/domain';
import { getApi } from '../api';
import { splitSnippet } from '../snippet';
import { openConversation } from '../state/actions';
import { messageOf } from '../state/errors';
import { dateFormats } from '../dates';
import { ChannelIcon } from './ChannelIcon';

type Result =
  | { status: 'idle' }
  | { status: 'loading'; query: string }
  | { status: 'done'; query: string; hits: SearchHit[]; notSearchable: string[] }
  | { status: 'error'; query: string; message: string };

const DEBOUNCE_MS = 250;

export function SearchBox() {
  const [query, setQuery] = useState('');
  const [result, setResult] = useState<Result>({ status: 'idle' });
  const [open, setOpen] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);
  const listRef = useRef<HTMLUListElement>(null);
  const rootRef = useRef<HTMLDivElement>(null);
  const popoverId = useId();
  const formats = dateFormats();

  useEffect(() => {
    const q = query.trim();
    if (!q) return;
    let cancelled = false;
    const timer = setTimeout(() => {
      setResult({ status: 'loading', query: q });
      getApi()
        .search({ query: q, limit: 20 })
        .then(
          (r) => !cancelled && setResult({ status: 'done', query: q, hits: r.hits, notSearchable: r.notSearchable.map((n) => n.note) }),
          (e: unknown) => !cancelled && setResult({ status: 'error', query: q, message: messageOf(e, t('shell:searchFailed')) }),
        );
    }, DEBOUNCE_MS);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [query]);

  // Clicking anywhere else closes the popover.
  useEffect(() => {
    if (!open) return;
    const onDown = (e: PointerEvent) => {
      if (rootRef.current && !rootRef.current.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', onDown);
    return () => document.removeEventListener('pointerdown', onDown);
  }, [open]);

  const pick = (hit: SearchHit) => {
    setOpen(false);
    inputRef.current?.blur();
    void openConversation(hit.customerId, hit.caseId);
  };

  const focusHit = (index: number) => {
    const buttons = listRef.current?.querySelectorAll<HTMLButtonElement>('button');
    if (!buttons || buttons.length === 0) return;
    buttons[Math.max(0, Math.min(buttons.length - 1, index))]?.focus();
  };

  const onInputKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      setOpen(true);
      focusHit(0);
    } else if (e.key === 'Enter' && result.status === 'done' && result.hits[0]) {
      e.preventDefault();
      pick(result.hits[0]);
    } else if (e.key === 'Escape') {
      // The first Escape closes the results (and keeps the query, which Chromium would clear);
      // the next one leaves the field through the workspace shortcuts.
      if (open && query.trim()) {
        e.preventDefault();
        e.stopPropagation();
        setOpen(false);
      }
    }
  };

  const onListKey = (e: KeyboardEvent<HTMLUListElement>) => {
    const buttons = [...(listRef.current?.querySelectorAll<HTMLButtonElement>('button') ?? [])];
    const at = buttons.indexOf(document.activeElement as HTMLButtonElement);
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      focusHit(at + 1);
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      if (at <= 0) inputRef.current?.focus();
      else focusHit(at - 1);
    } else if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      setOpen(false);
      inputRef.current?.focus();
    }
  };

  const q = query.trim();
  const shown = q ? result : ({ status: 'idle' } as Result);
  const showPopover = open && q.length > 0;

  return (
    <div className="search" ref={rootRef}>
      <svg className="search-icon" width="14" height="14" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2.2" strokeLinecap="round" aria-hidden="true">
        <circle cx="11" cy="11" r="7" />
        <path d="m20 20-4-4" />
      </svg>
      <input
        ref={inputRef}
        id="global-search"
        type="search"
        className="search-input"
        placeholder={t('shell:searchPlaceholder')}
        aria-label={t('shell:search')}
        role="combobox"
        aria-autocomplete="list"
        aria-controls={popoverId}
        aria-expanded={showPopover}
        autoComplete="off"
        spellCheck={false}
        value={query}
        onChange={(e) => {
          setQuery(e.target.value);
          setOpen(true);
        }}
        onFocus={() => setOpen(true)}
        onKeyDown={onInputKey}
      />
      <kbd className="search-kbd" aria-hidden="true">
        /
      </kbd>
      {showPopover && (
        <div className="search-popover" id={popoverId}>
          {(shown.status === 'idle' || shown.status === 'loading' || shown.query !== q) && <p className="popover-note">{t('shell:searching')}</p>}
          {shown.status === 'error' && shown.query === q && (
            <p className="popover-note error" role="alert">
              {shown.message}
            </p>
          )}
          {shown.status === 'done' && shown.query === q && shown.hits.length === 0 && <p className="popover-note">{t('shell:noHits', { query: q })}</p>}
          {shown.status === 'done' && shown.query === q && shown.notSearchable.map((note) => <p key={note} className="popover-note restricted-note">{note}</p>)}
          {shown.status === 'done' && shown.query === q && shown.hits.length > 0 && (
            <ul className="search-hits" aria-label={t('shell:searchResults')} ref={listRef} onKeyDown={onListKey}>
              {shown.hits.map((hit) => (
                <li key={hit.eventId}>
                  <button type="button" className="search-hit" onClick={() => pick(hit)}>
                    <span className="hit-head">
                      <ChannelIcon channel={hit.channel} size={13} />
                      <span className="hit-name">{hit.customerName}</span>
                      {hit.caseId !== null && <span className="hit-case">#{hit.caseId}</span>}
                      <time className="hit-time" dateTime={new Date(hit.occurredAt).toISOString()}>
                        {formats.day(hit.occurredAt)}
                      </time>
                    </span>
                    {hit.subject && <span className="hit-subject">{hit.subject}</span>}
                    <span className="hit-snippet">
                      {splitSnippet(hit.snippet).map((run, i) => (run.match ? <mark key={i}>{run.text}</mark> : <span key={i}>{run.text}</span>))}
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}
