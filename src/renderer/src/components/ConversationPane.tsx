// The middle pane: the open case's header (with Resolve), the customer's cross-channel timeline
// and the composer.
import { useEffect, useId } from 'react';
import { useTranslation } from 'react-i18next';
import { currentLocale } from '../i18n';
import { channelLabel, priorityLabel, resolutionLabel, statusLabel } from '../labels';
import { isClosedStatus, selectResolveError, selectResolving, useCaseStatusStore, type CaseMeta } from '../state/caseStatus';
import { selectOpenCustomerId, useConversationStore } from '../state/conversation';
import { useCustomerStore } from '../state/customer';
import { CaseInsightsBar } from './CaseInsightsBar';
import { ChannelIcon } from './ChannelIcon';
import { CollisionBadge } from './CollisionBadge';
import { Composer } from './Composer';
import { ReplyGuard } from './ReplyGuard';
import { Timeline } from './Timeline';
import { useOpenCaseMeta } from './useOpenCaseMeta';
import { selectCaseActionsBusy, selectCaseActionsError, selectCaseActionsView, useCaseActionsStore } from '../state/caseActions';
import { LinkCaseAction, LinkedCases } from './LinkCaseDialog';
import { ResolveDialogHost } from './ResolveDialog';
import { SnoozeMenu } from './SnoozeMenu';
import { CaseTags } from './CaseTags';
import { MergeCaseAction } from './MergeSplit';
import { TransferAction } from './TransferDialog';

export function ConversationPane() {
  const customerId = useConversationStore(selectOpenCustomerId);
  const { t } = useTranslation('conversation');
  if (customerId === null) {
    return (
      <main className="pane conversation-pane" aria-label={t('pane')}>
        <div className="conversation-empty">
          <p className="empty-title">{t('emptyTitle')}</p>
          <p>{t('emptyHint')}</p>
        </div>
      </main>
    );
  }
  return (
    <main className="pane conversation-pane" aria-label={t('pane')}>
      <ConversationHeader />
      <CaseInsightsBar />
      <Timeline key={customerId} />
      <GuardedComposer />
    </main>
  );
}

/** The composer, softly locked while another agent drafts a reply on the same case (from the hub). */
function GuardedComposer() {
  const meta = useOpenCaseMeta();
  return (
    <ReplyGuard caseId={meta?.caseId ?? null}>
      <Composer />
    </ReplyGuard>
  );
}

function ConversationHeader() {
  const meta = useOpenCaseMeta();
  const customerName = useCustomerStore((s) => s.profile?.name ?? null);
  const caseActionsView = useCaseActionsStore(selectCaseActionsView(meta?.caseId ?? null));
  const { t } = useTranslation('conversation');
  if (!meta) {
    return (
      <header className="conv-header">
        <h1 className="conv-subject">{customerName ?? t('customer')}</h1>
        <div className="conv-meta">
          <span className="muted">{t('noOpenCase')}</span>
        </div>
      </header>
    );
  }
  return (
    <header className="conv-header">
      <h1 className="conv-subject">{meta.subject}</h1>
      <div className="conv-meta">
        <span className="conv-case">#{meta.caseId}</span>
        <span className={`channel-badge ch-${meta.channel}`}>
          <ChannelIcon channel={meta.channel} size={13} />
          {channelLabel(meta.channel)}
        </span>
        <span className={`badge prio prio-${meta.priority}`}>{t('priority', { priority: priorityLabel(meta.priority) })}</span>
        <span className={`badge ${isClosedStatus(meta.status) ? 'badge-resolved' : 'badge-muted'}`}>{statusLabel(meta.status)}</span>
        {customerName && <span className="conv-customer">{customerName}</span>}
        <CollisionBadge caseId={meta.caseId} />
        <LinkedCases links={caseActionsView?.links ?? []} />
        <CaseTags caseId={meta.caseId} />
      </div>
      <ResolveAction meta={meta} />
    </header>
  );
}

/** "Resolve" (opens the resolution dialog), "Snooze", "Link…"; "Reopen" once the case is resolved. */
function ResolveAction({ meta }: { meta: CaseMeta }) {
  const resolving = useCaseStatusStore(selectResolving);
  const error = useCaseStatusStore(selectResolveError);
  const actionBusy = useCaseActionsStore(selectCaseActionsBusy);
  const actionError = useCaseActionsStore(selectCaseActionsError);
  const view = useCaseActionsStore(selectCaseActionsView(meta.caseId));
  const reasonId = useId();
  const { t } = useTranslation('conversation');
  const closed = isClosedStatus(meta.status);
  const busy = resolving === meta.caseId || actionBusy === meta.caseId;
  const failed = error?.caseId === meta.caseId ? error.message : actionError?.caseId === meta.caseId ? actionError.message : null;
  useEffect(() => {
    void useCaseActionsStore.getState().load(meta.caseId);
  }, [meta.caseId, meta.status]);
  const snoozedNote =
    meta.status === 'snoozed' && view?.status === 'snoozed'
      ? view.untilReply
        ? t('snoozedUntilReply')
        : view.snoozedUntil !== null
          ? t('snoozedUntil', { date: new Date(view.snoozedUntil).toLocaleString(currentLocale(), { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' }) })
          : null
      : null;
  return (
    <div className="conv-actions">
      <button
        type="button"
        className="btn"
        disabled={closed || busy}
        aria-haspopup="dialog"
        aria-describedby={closed || failed ? reasonId : undefined}
        onClick={() => useCaseActionsStore.getState().openResolveDialog(meta)}
      >
        {busy ? t('working') : t('resolve')}
      </button>
      {closed ? (
        <button type="button" className="btn" disabled={busy} onClick={() => void useCaseActionsStore.getState().reopen(meta)}>
          {t('reopen')}
        </button>
      ) : (
        <SnoozeMenu meta={meta} disabled={busy} />
      )}
      <LinkCaseAction meta={meta} />
      <MergeCaseAction meta={meta} disabled={busy} />
      {!closed && <TransferAction meta={meta} disabled={busy} />}
      {closed ? (
        <span id={reasonId} className="conv-action-note">
          {t(meta.status === 'closed' ? 'already.closed' : 'already.resolved')}
          {view?.resolutionCode ? t('resolution', { resolution: resolutionLabel(view.resolutionCode) }) : ''}
        </span>
      ) : failed ? (
        <span id={reasonId} className="conv-action-error" role="alert">
          {failed}
        </span>
      ) : snoozedNote ? (
        <span className="conv-action-note">{snoozedNote}</span>
      ) : null}
      <ResolveDialogHost />
    </div>
  );
}
