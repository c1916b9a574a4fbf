// The macro editor: a modal dialog listing the agent's macros (shared and personal) beside a form to
// create, edit, duplicate and delete them: title, text with variables (inserted from a picker; unknown
// ones refused with the list of those that exist), actions, hotkey (a taken one is named) and scope
// (only supervisors and admins share). The text is previewed as it would fill for the open case.
import { useEffect, useId, useMemo, useRef, useState, type FormEvent } from 'react';
import { MacroInput, type MacroAction, type MacroView } from '../../../shared/contractComposer';
import { hotkeyOwner, macroProblems, type MacroProblem } from '../../../shared/composer/macroRules';
import { MACRO_VARIABLES, renderMacro, type MacroVariable } from '../../../shared/composer/macroTemplate';
import { PRIORITIES, type Priority } from '../../../shared/domain';
import { getApi } from '../api';
import { selectMacros, useComposerStore } from '../state/composer';
import { selectProfile, useCustomerStore } from '../state/customer';
import { t } from '../i18n';
import { priorityLabel } from '../labels';
import { messageOf } from '../state/errors';
import { useMacroEditorStore } from '../state/macroEditor';
import { useSessionStore } from '../state/session';
import { useOpenCaseMeta } from './useOpenCaseMeta';
import './caseTools.css';
import { sentenceOf } from '../serverErrors';


interface FormState {
  id: number | null;
  title: string;
  body: string;
  scope: 'personal' | 'shared';
  hotkey: number | null;
  priority: Priority | '';
  tags: string;
  assignToMe: boolean;
  resolve: boolean;
  applyOn: 'send' | 'insert';
}

const EMPTY: FormState = { id: null, title: '', body: '', scope: 'personal', hotkey: null, priority: '', tags: '', assignToMe: false, resolve: false, applyOn: 'send' };

function fromMacro(m: MacroView): FormState {
  const priority = m.actions.find((a) => a.type === 'setPriority');
  return {
    id: m.id,
    title: m.title,
    body: m.body,
    scope: m.scope,
    hotkey: m.hotkey,
    priority: priority?.type === 'setPriority' ? priority.priority : '',
    tags: m.actions.flatMap((a) => (a.type === 'addTag' ? [a.tag] : [])).join(', '),
    assignToMe: m.actions.some((a) => a.type === 'assignToMe'),
    resolve: m.actions.some((a) => a.type === 'resolve'),
    applyOn: m.applyOn,
  };
}

function actionsOf(f: FormState): MacroAction[] {
  const out: MacroAction[] = [];
  if (f.priority) out.push({ type: 'setPriority', priority: f.priority });
  for (const tag of f.tags.split(',').map((t) => t.trim()).filter(Boolean)) out.push({ type: 'addTag', tag });
  if (f.assignToMe) out.push({ type: 'assignToMe' });
  // Resolve last: the other actions still apply to an open case.
  if (f.resolve) out.push({ type: 'resolve' });
  return out;
}

export function MacroEditorHost() {
  const open = useMacroEditorStore((s) => s.open);
  return open ? <MacroEditor onClose={() => useMacroEditorStore.getState().closeEditor()} /> : null;
}

function MacroEditor({ onClose }: { onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const bodyRef = useRef<HTMLTextAreaElement>(null);
  const titleRef = useRef<HTMLInputElement>(null);
  const macros = useComposerStore(selectMacros);
  const role = useSessionStore((s) => s.info?.agent.role ?? 'agent');
  const agentName = useSessionStore((s) => s.info?.agent.name ?? null);
  const meta = useOpenCaseMeta();
  const profile = useCustomerStore(selectProfile);
  const [form, setForm] = useState<FormState>(EMPTY);
  const [variable, setVariable] = useState<MacroVariable>('customer.first_name');
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [loadError, setLoadError] = useState<string | null>(null);
  const id = useId();

  useEffect(() => {
    const opener = document.activeElement;
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    useComposerStore
      .getState()
      .loadMacros(true)
      .catch((e: unknown) => setLoadError(messageOf(e, t('macros:loadFailed'))));
    titleRef.current?.focus();
    return () => {
      dialog?.close();
      if (opener instanceof HTMLElement && opener.isConnected) opener.focus();
    };
  }, []);

  const list = useMemo(() => macros ?? [], [macros]);
  const others = list.filter((m) => m.id !== form.id);
  const editing = form.id !== null ? list.find((m) => m.id === form.id) : undefined;
  const readOnly = editing?.scope === 'shared' && role === 'agent';
  const problems = macroProblems({ id: form.id, body: form.body, hotkey: form.hotkey }, list);
  const sentence = (p: MacroProblem | undefined) => (p ? sentenceOf(p) : null);
  const bodyProblem = sentence(problems.find((p) => p.field === 'body'));
  const hotkeyProblem = sentence(problems.find((p) => p.field === 'hotkey'));
  const preview = meta
    ? renderMacro(form.body, { customer: { name: profile?.name ?? null }, case: { id: meta.caseId, subject: meta.subject }, agent: { name: agentName } })
    : null;

  const change = (patch: Partial<FormState>) => {
    setForm((f) => ({ ...f, ...patch }));
    setError(null);
    setStatus('');
    setConfirmDelete(false);
  };
  const pick = (next: FormState, message = '') => {
    setForm(next);
    setError(null);
    setStatus(message);
    setConfirmDelete(false);
    setTimeout(() => titleRef.current?.focus(), 0);
  };

  const insertVariable = () => {
    const box = bodyRef.current;
    const token = `{{${variable}}}`;
    const at = box ? box.selectionStart : form.body.length;
    const end = box ? box.selectionEnd : form.body.length;
    change({ body: form.body.slice(0, at) + token + form.body.slice(end) });
    requestAnimationFrame(() => {
      box?.focus();
      box?.setSelectionRange(at + token.length, at + token.length);
    });
  };

  const save = async (e: FormEvent) => {
    e.preventDefault();
    if (busy || readOnly) return;
    const input = { ...(form.id !== null ? { id: form.id } : {}), title: form.title, body: form.body, scope: form.scope, hotkey: form.hotkey, actions: actionsOf(form), applyOn: form.applyOn };
    const parsed = MacroInput.safeParse(input);
    const first = sentence(problems[0]) ?? (parsed.success ? null : (parsed.error.issues[0]?.message ?? t('macros:check')));
    if (first) {
      setError(first);
      return;
    }
    setBusy(true);
    try {
      const saved = await getApi().saveMacro(input);
      await useComposerStore.getState().loadMacros(true);
      pick(fromMacro(saved), t('macros:saved', { title: saved.title }));
    } catch (err) {
      setError(messageOf(err, t('macros:saveFailed')));
    } finally {
      setBusy(false);
    }
  };

  const remove = async () => {
    if (form.id === null || busy) return;
    if (!confirmDelete) return setConfirmDelete(true);
    setBusy(true);
    try {
      const title = form.title;
      await getApi().deleteMacro({ id: form.id });
      await useComposerStore.getState().loadMacros(true);
      pick(EMPTY, t('macros:deleted', { title }));
    } catch (err) {
      setError(messageOf(err, t('macros:deleteFailed')));
    } finally {
      setBusy(false);
    }
  };

  const duplicate = () => pick({ ...form, id: null, title: t('macros:copyTitle', { title: form.title }).slice(0, 120), hotkey: null, scope: 'personal' }, t('macros:copyNote'));

  return (
    <dialog
      ref={ref}
      className="macro-editor"
      aria-labelledby={`${id}-t`}
      onCancel={onClose}
      onClose={onClose}
      onKeyDown={(e) => {
        // Alt+1..9 inserts macros into the reply box behind this dialog; not while editing them.
        if (e.altKey && /^Digit[1-9]$/.test(e.code)) e.stopPropagation();
      }}
    >
      <header className="macro-editor-head">
        <h2 id={`${id}-t`}>{t('macros:title')}</h2>
        <button type="button" className="btn" onClick={onClose} aria-label={t('macros:closeEditor')}>
          {t('macros:close')}
        </button>
      </header>
      <div className="macro-editor-body">
        <nav aria-label={t('macros:saved_list')}>
          <ul className="macro-editor-list">
            <li>
              <button type="button" aria-current={form.id === null ? 'true' : undefined} onClick={() => pick(EMPTY)}>
                <span className="macro-title">{t('macros:newMacro')}</span>
              </button>
            </li>
            {loadError && <li role="alert">{loadError}</li>}
            {list.map((m) => (
              <li key={m.id}>
                <button type="button" aria-current={m.id === form.id ? 'true' : undefined} onClick={() => pick(fromMacro(m))}>
                  <span className="macro-title">{m.title}</span>
                  {m.scope === 'personal' && <span className="badge badge-muted">{t('macros:mine')}</span>}
                  {m.hotkey !== null && <kbd className="macro-hotkey">{t('macros:altKey', { n: m.hotkey })}</kbd>}
                </button>
              </li>
            ))}
          </ul>
        </nav>
        <form className="macro-form" aria-label={form.id === null ? t('macros:newForm') : t('macros:editForm', { title: editing?.title ?? '' })} onSubmit={(e) => void save(e)}>
          {readOnly && <p className="conv-action-note">{t('macros:readOnly')}</p>}
          <fieldset className="macro-fields" disabled={readOnly}>
            <label>
              <span>{t('macros:fieldTitle')}</span>
              <input ref={titleRef} type="text" value={form.title} maxLength={120} onChange={(e) => change({ title: e.target.value })} />
            </label>
            <label>
              <span>{t('macros:text')}</span>
              <textarea ref={bodyRef} value={form.body} aria-invalid={bodyProblem ? true : undefined} aria-describedby={bodyProblem ? `${id}-body` : undefined} onChange={(e) => change({ body: e.target.value })} />
            </label>
            <div className="macro-variables">
              <label>
                <span>{t('macros:variableLabel')}</span>
                <select value={variable} onChange={(e) => setVariable(e.target.value as MacroVariable)}>
                  {MACRO_VARIABLES.map((v) => (
                    <option key={v} value={v}>
                      {t(`macros:variable.${v}`)} — {`{{${v}}}`}
                    </option>
                  ))}
                </select>
              </label>
              <button type="button" className="btn btn-small" onClick={insertVariable}>
                {t('macros:insertVariable')}
              </button>
            </div>
            {bodyProblem && (
              <p id={`${id}-body`} className="macro-problem" role="alert">
                {bodyProblem}
              </p>
            )}
            <section aria-labelledby={`${id}-p`}>
              <h3 id={`${id}-p`} className="macro-preview-title">
                {meta ? (profile ? t('macros:previewForCustomer', { caseId: meta.caseId, name: profile.name }) : t('macros:previewFor', { caseId: meta.caseId })) : t('macros:preview')}
              </h3>
              {preview ? (
                <pre className="macro-preview" aria-label={t('macros:preview')}>{preview.text || ' '}</pre>
              ) : (
                <p className="muted">{t('macros:previewHint')}</p>
              )}
            </section>
            <div className="macro-form-row">
              <label>
                <span>{t('macros:hotkey')}</span>
                <select
                  value={form.hotkey ?? ''}
                  aria-invalid={hotkeyProblem ? true : undefined}
                  aria-describedby={hotkeyProblem ? `${id}-hk` : undefined}
                  onChange={(e) => change({ hotkey: e.target.value ? Number(e.target.value) : null })}
                >
                  <option value="">{t('macros:none')}</option>
                  {[1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => {
                    const owner = hotkeyOwner(others, n, form.id);
                    return (
                      <option key={n} value={n}>
                        {t('macros:altKey', { n })}
                        {owner ? t('macros:usedBy', { title: owner.title }) : ''}
                      </option>
                    );
                  })}
                </select>
              </label>
              <fieldset>
                <legend>{t('macros:who')}</legend>
                <label>
                  <input type="radio" name={`${id}-scope`} checked={form.scope === 'personal'} onChange={() => change({ scope: 'personal' })} /> {t('macros:onlyMe')}
                </label>{' '}
                <label>
                  <input type="radio" name={`${id}-scope`} checked={form.scope === 'shared'} disabled={role === 'agent'} aria-describedby={role === 'agent' ? `${id}-shared` : undefined} onChange={() => change({ scope: 'shared' })} />{' '}
                  {t('macros:team')}
                </label>
                {role === 'agent' && (
                  <p id={`${id}-shared`} className="muted">
                    {t('macros:onlySupervisors')}
                  </p>
                )}
              </fieldset>
            </div>
            {hotkeyProblem && (
              <p id={`${id}-hk`} className="macro-problem" role="alert">
                {hotkeyProblem}
              </p>
            )}
            <fieldset>
              <legend>{t('macros:actions')}</legend>
              <div className="macro-form-row">
                <label>
                  <span>{t('macros:setPriority')}</span>
                  <select value={form.priority} onChange={(e) => change({ priority: e.target.value as Priority | '' })}>
                    <option value="">{t('macros:leave')}</option>
                    {PRIORITIES.map((p) => (
                      <option key={p} value={p}>
                        {priorityLabel(p)}
                      </option>
                    ))}
                  </select>
                </label>
                <label>
                  <span>{t('macros:addTags')}</span>
                  <input type="text" value={form.tags} onChange={(e) => change({ tags: e.target.value })} />
                </label>
              </div>
              <div className="macro-action-row">
                <label>
                  <input type="checkbox" checked={form.assignToMe} onChange={(e) => change({ assignToMe: e.target.checked })} /> {t('macros:assignToMe')}
                </label>
                <label>
                  <input type="checkbox" checked={form.resolve} onChange={(e) => change({ resolve: e.target.checked })} /> {t('macros:resolveCase')}
                </label>
              </div>
              <label>
                <span>{t('macros:runActions')}</span>
                <select value={form.applyOn} onChange={(e) => change({ applyOn: e.target.value as 'send' | 'insert' })}>
                  <option value="send">{t('macros:onSend')}</option>
                  <option value="insert">{t('macros:onInsert')}</option>
                </select>
              </label>
            </fieldset>
          </fieldset>
          {error && (
            <p className="macro-problem" role="alert">
              {error}
            </p>
          )}
          <p role="status" className="muted">
            {status}
          </p>
          <div className="macro-form-actions">
            {form.id !== null && (
              <>
                <button type="button" className="btn" disabled={readOnly} onClick={() => void remove()}>
                  {confirmDelete ? t('macros:confirmDelete', { title: form.title }) : t('macros:delete')}
                </button>
                <button type="button" className="btn" onClick={duplicate}>
                  {t('macros:duplicate')}
                </button>
              </>
            )}
            <button type="submit" className="btn btn-primary" disabled={readOnly} aria-disabled={busy || undefined}>
              {busy ? t('macros:saving') : form.id === null ? t('macros:create') : t('macros:save')}
            </button>
          </div>
        </form>
      </div>
    </dialog>
  );
}
