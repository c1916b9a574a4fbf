// The open case's tags in the conversation header: each a chip with its own remove button, and
// "Add tag", a small inline form that suggests the tags already in use. A change reaches the queue's
// tag views through queueChanged; a refused tag says why next to the field and keeps what was typed.
import { useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import type { CaseActionsView } from '../../../shared/contractCaseActions';
import { tagsInUse } from '../../../shared/queueViews';
import { getApi } from '../api';
import { selectCaseActionsView, useCaseActionsStore } from '../state/caseActions';
import { t } from '../i18n';
import { messageOf } from '../state/errors';
import { selectViewCounts, useQueueStore } from '../state/queue';
import './caseTools.css';

const keep = (view: CaseActionsView) => useCaseActionsStore.setState((s) => ({ views: { ...s.views, [view.caseId]: view } }));

export function CaseTags({ caseId }: { caseId: number }) {
  const view = useCaseActionsStore(selectCaseActionsView(caseId));
  const inUse = tagsInUse(useQueueStore(selectViewCounts));
  const [adding, setAdding] = useState(false);
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const addButton = useRef<HTMLButtonElement>(null);
  const id = useId();
  const tags = view?.tags ?? [];

  const run = async (call: () => Promise<CaseActionsView>, fallback: string): Promise<boolean> => {
    setBusy(true);
    setProblem(null);
    try {
      keep(await call());
      return true;
    } catch (e) {
      setProblem(messageOf(e, fallback));
      return false;
    } finally {
      setBusy(false);
    }
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    if (!text.trim()) return setProblem(t('caseActions:enterTag'));
    if (await run(() => getApi().addCaseTag({ caseId, tag: text }), t('caseActions:tagAddFailed'))) {
      setText('');
      setAdding(false);
      setTimeout(() => addButton.current?.focus(), 0);
    } else input.current?.focus();
  };
  const cancel = () => {
    setAdding(false);
    setText('');
    setProblem(null);
    setTimeout(() => addButton.current?.focus(), 0);
  };
  const onKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key !== 'Escape') return;
    e.preventDefault();
    e.stopPropagation();
    cancel();
  };

  return (
    <div className="case-tags" role="group" aria-label={t('caseActions:tags')}>
      {tags.map((tag) => (
        <span key={tag} className="tag-chip">
          <span className="tag-name">{tag}</span>
          <button
            type="button"
            className="tag-remove"
            aria-label={t('caseActions:removeTag', { tag })}
            title={t('caseActions:removeTag', { tag })}
            disabled={busy}
            onClick={() => void run(() => getApi().removeCaseTag({ caseId, tag }), t('caseActions:tagRemoveFailed'))}
          >
            ×
          </button>
        </span>
      ))}
      {adding ? (
        <form className="tag-form" onSubmit={(e) => void submit(e)}>
          <input
            ref={input}
            className="tag-input"
            aria-label={t('caseActions:newTag')}
            list={`${id}-known`}
            value={text}
            maxLength={60}
            autoFocus
            aria-invalid={problem ? true : undefined}
            aria-describedby={problem ? `${id}-e` : undefined}
            onChange={(e) => setText(e.target.value)}
            onKeyDown={onKey}
          />
          <datalist id={`${id}-known`}>
            {inUse.filter((known) => !tags.includes(known)).map((known) => (
              <option key={known} value={known} />
            ))}
          </datalist>
          <button type="submit" className="btn btn-small" aria-disabled={busy || undefined}>
            {t('caseActions:add')}
          </button>
          <button type="button" className="btn btn-small btn-quiet" onClick={cancel}>
            {t('caseActions:cancel')}
          </button>
        </form>
      ) : (
        <button ref={addButton} type="button" className="btn btn-small btn-quiet tag-add" onClick={() => setAdding(true)}>
          {t('caseActions:addTag')}
        </button>
      )}
      {problem && (
        <span id={`${id}-e`} className="conv-action-error" role="alert">
          {problem}
        </span>
      )}
    </div>
  );
}
