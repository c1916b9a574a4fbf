// Wraps the reply box of a case: while another agent holds a draft there, a notice and "Reply
// anyway" stand in for it (a soft lock: one click opens it). It also tells the hub when this agent
// types or holds a draft, from the input events bubbling out of whatever composer it wraps.
import { useEffect, useRef, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { formatNames } from '../numbers';
import { replyLockHolders, selectViewers, useHubStore } from '../state/hub';

/** Typing stops counting this long after the last key. */
const TYPING_IDLE_MS = 3_000;

export function ReplyGuard({ caseId, children }: { caseId: number | null; children: ReactNode }) {
  const viewers = useHubStore(selectViewers(caseId));
  const overridden = useHubStore((s) => (caseId === null ? false : s.overrides[caseId] === true));
  const holders = replyLockHolders(viewers, overridden);
  const { t } = useTranslation('conversation');
  const state = useRef({ typing: false, drafting: false, timer: null as ReturnType<typeof setTimeout> | null });

  useEffect(() => {
    const s = state.current;
    return () => {
      if (s.timer) clearTimeout(s.timer);
      if (caseId !== null && (s.typing || s.drafting)) useHubStore.getState().typing(caseId, false, false);
      s.typing = false;
      s.drafting = false;
    };
  }, [caseId]);

  if (caseId === null) return <>{children}</>;

  if (holders.length > 0) {
    return (
      <div className="reply-lock" role="region" aria-label={t('replyInUse')}>
        <p>{t('replyLocked', { count: holders.length, names: formatNames(holders) })}</p>
        <button type="button" className="btn" onClick={() => useHubStore.getState().replyAnyway(caseId)}>
          {t('replyAnyway')}
        </button>
      </div>
    );
  }

  const report = (typing: boolean, drafting: boolean) => {
    const s = state.current;
    if (s.typing === typing && s.drafting === drafting) return;
    s.typing = typing;
    s.drafting = drafting;
    useHubStore.getState().typing(caseId, typing, drafting);
  };
  const onInput = (e: FormEvent<HTMLDivElement>) => {
    const target = e.target as HTMLTextAreaElement | HTMLInputElement;
    if (typeof target.value !== 'string') return;
    // An internal note is not a reply to the customer: writing one holds no reply lock.
    const drafting = target.dataset.note !== 'true' && target.value.trim().length > 0;
    report(drafting, drafting);
    const s = state.current;
    if (s.timer) clearTimeout(s.timer);
    s.timer = setTimeout(() => report(false, s.drafting), TYPING_IDLE_MS);
  };
  return (
    <div className="reply-guard" onInput={onInput}>
      {children}
    </div>
  );
}
