// The middle pane: the open case's header, the customer's cross-channel timeline and the composer.
import { CHANNEL_LABELS } from '../../../shared/domain';
import { capitalize } from '../format';
import { selectOpenCustomerId, useConversationStore } from '../state/conversation';
import { useCustomerStore } from '../state/customer';
import { CaseInsightsBar } from './CaseInsightsBar';
import { ChannelIcon } from './ChannelIcon';
import { Composer } from './Composer';
import { Timeline } from './Timeline';
import { useOpenCaseMeta } from './useOpenCaseMeta';

export function ConversationPane() {
  const customerId = useConversationStore(selectOpenCustomerId);
  if (customerId === null) {
    return (
      <main className="pane conversation-pane" aria-label="Conversation">
        <div className="conversation-empty">
          <p className="empty-title">No conversation open</p>
          <p>Pick a conversation from the queue, or press j / k to move and Enter to open. Press / to search.</p>
        </div>
      </main>
    );
  }
  return (
    <main className="pane conversation-pane" aria-label="Conversation">
      <ConversationHeader />
      <CaseInsightsBar />
      <Timeline key={customerId} />
      <Composer />
    </main>
  );
}

function ConversationHeader() {
  const meta = useOpenCaseMeta();
  const customerName = useCustomerStore((s) => s.profile?.name ?? null);
  if (!meta) {
    return (
      <header className="conv-header">
        <h1 className="conv-subject">{customerName ?? 'Customer'}</h1>
        <div className="conv-meta">
          <span className="muted">No open case</span>
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
          {CHANNEL_LABELS[meta.channel]}
        </span>
        <span className={`badge prio prio-${meta.priority}`}>{capitalize(meta.priority)} priority</span>
        <span className="badge badge-muted">{capitalize(meta.status)}</span>
        {customerName && <span className="conv-customer">{customerName}</span>}
      </div>
    </header>
  );
}
