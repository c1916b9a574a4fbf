// The formatting toolbar of an in-app reply: bold, italic, link, bulleted list, inline code, each
// editing the Markdown in the reply box (so what is typed by hand, **like this**, works the same).
// A WAI-ARIA toolbar: one tab stop, arrow keys move between buttons; shortcuts in the tooltips.
import { useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { insertLink, toggleBullets, toggleWrap, type TextEdit } from '../../../shared/composer/richText';

const MOD = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform) ? '⌘' : 'Ctrl+';

export type Format = 'bold' | 'italic' | 'code' | 'bullets';

/** The edit a formatting command makes to the text and selection. */
export function formatEdit(format: Format, text: string, start: number, end: number): TextEdit {
  switch (format) {
    case 'bold':
      return toggleWrap(text, start, end, '**', 'bold text');
    case 'italic':
      return toggleWrap(text, start, end, '_', 'italic text');
    case 'code':
      return toggleWrap(text, start, end, '`', 'code');
    case 'bullets':
      return toggleBullets(text, start, end);
  }
}

/** Ctrl/Cmd+B, +I, +E in the reply box. */
export function shortcutFormat(e: { key: string; ctrlKey: boolean; metaKey: boolean; altKey: boolean; shiftKey: boolean }): Format | null {
  if (!(e.ctrlKey || e.metaKey) || e.altKey || e.shiftKey) return null;
  const key = e.key.toLowerCase();
  return key === 'b' ? 'bold' : key === 'i' ? 'italic' : key === 'e' ? 'code' : null;
}

const icon = (d: string) => (
  <svg viewBox="0 0 24 24" width="15" height="15" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
    <path d={d} />
  </svg>
);

const BUTTONS: Array<{ format: Format | 'link'; shortcut: string | null; glyph: ReactNode }> = [
  { format: 'bold', shortcut: `${MOD}B`, glyph: 'B' },
  { format: 'italic', shortcut: `${MOD}I`, glyph: 'I' },
  { format: 'link', shortcut: null, glyph: icon('M10 14a4 4 0 0 0 5.7 0l3-3a4 4 0 0 0-5.7-5.7l-1 1M14 10a4 4 0 0 0-5.7 0l-3 3a4 4 0 0 0 5.7 5.7l1-1') },
  { format: 'bullets', shortcut: null, glyph: icon('M9 6h11M9 12h11M9 18h11M4 6h.01M4 12h.01M4 18h.01') },
  { format: 'code', shortcut: `${MOD}E`, glyph: '</>' },
];

export function RichToolbar({ input, onEdit }: { input: () => HTMLTextAreaElement | null; onEdit: (edit: TextEdit) => void }) {
  const [active, setActive] = useState(0);
  const [linking, setLinking] = useState<{ start: number; end: number } | null>(null);
  const [url, setUrl] = useState('https://');
  const [urlError, setUrlError] = useState<string | null>(null);
  const buttons = useRef<Array<HTMLButtonElement | null>>([]);
  const { t } = useTranslation(['composer', 'common']);

  const run = (format: Format | 'link') => {
    const box = input();
    if (!box) return;
    if (format === 'link') {
      setLinking({ start: box.selectionStart, end: box.selectionEnd });
      setUrl('https://');
      setUrlError(null);
      return;
    }
    onEdit(formatEdit(format, box.value, box.selectionStart, box.selectionEnd));
  };
  const addLink = () => {
    const box = input();
    if (!box || !linking) return;
    const address = url.trim();
    if (!/^(https?:\/\/[^\s/]+\.[^\s]+|mailto:[^\s@]+@[^\s@]+)$/i.test(address)) {
      setUrlError(t('badLink'));
      return;
    }
    onEdit(insertLink(box.value, linking.start, linking.end, address));
    setLinking(null);
  };
  const onKey = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft' && e.key !== 'Home' && e.key !== 'End') return;
    e.preventDefault();
    const n = BUTTONS.length;
    const next = e.key === 'Home' ? 0 : e.key === 'End' ? n - 1 : (active + (e.key === 'ArrowRight' ? 1 : n - 1)) % n;
    setActive(next);
    buttons.current[next]?.focus();
  };

  return (
    <div className="composer-rich">
      <div role="toolbar" aria-label={t('formatting')} className="composer-toolbar" onKeyDown={onKey}>
        {BUTTONS.map((b, i) => {
          const label = t(`format.${b.format}`);
          return (
            <button
              key={b.format}
              ref={(el) => {
                buttons.current[i] = el;
              }}
              type="button"
              className={`composer-tool tool-${b.format}`}
              tabIndex={i === active ? 0 : -1}
              aria-label={label}
              title={b.shortcut ? t('withShortcut', { label, shortcut: b.shortcut }) : label}
              aria-keyshortcuts={b.shortcut ? b.shortcut.replace('⌘', 'Meta+') : undefined}
              // Keep the reply box's selection: the button must not take focus on mouse down.
              onMouseDown={(e) => e.preventDefault()}
              onFocus={() => setActive(i)}
              onClick={() => run(b.format)}
            >
              <span aria-hidden="true">{b.glyph}</span>
            </button>
          );
        })}
        <span className="composer-rich-hint">{t('markdownHint')}</span>
      </div>
      {linking && (
        <div className="composer-link" role="group" aria-label={t('addALink')}>
          <label>
            <span>{t('linkAddress')}</span>
            <input
              type="url"
              value={url}
              autoFocus
              aria-invalid={urlError ? true : undefined}
              onChange={(e) => {
                setUrl(e.target.value);
                setUrlError(null);
              }}
              onKeyDown={(e) => {
                if (e.key === 'Enter') {
                  e.preventDefault();
                  addLink();
                } else if (e.key === 'Escape') {
                  e.preventDefault();
                  e.stopPropagation();
                  setLinking(null);
                  input()?.focus();
                }
              }}
            />
          </label>
          <button type="button" className="btn btn-small" onClick={addLink}>
            {t('addLink')}
          </button>
          <button type="button" className="btn btn-small" onClick={() => (setLinking(null), input()?.focus())}>
            {t('common:cancel')}
          </button>
          {urlError && (
            <span className="composer-error" role="alert">
              {urlError}
            </span>
          )}
        </div>
      )}
    </div>
  );
}
