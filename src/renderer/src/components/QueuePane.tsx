// The unified queue: every channel in one list, in the main process's order, as a listbox the
// keyboard can drive; its views (mine, unassigned, per channel, per tag in use…) as tabs with counts. Virtualized: a busy center has hundreds of open conversations.
import { memo, useEffect, useRef, type KeyboardEvent } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useTranslation } from 'react-i18next';
import type { QueueItem } from '../../../shared/domain';
import { shownViews, viewChannel, viewCount, viewTag } from '../../../shared/queueViews';
import { dateFormats } from '../dates';
import { formatWait, slaBadge } from '../format';
import { channelLabel, emptyViewSentence, priorityLabel, tierLabel, viewLabel } from '../labels';
import { storedSentenceOf } from '../serverErrors';
import { openConversation, openSelected } from '../state/actions';
import { selectNow, useClockStore } from '../state/clock';
import { selectOpenCaseId, useConversationStore } from '../state/conversation';
import {
  selectQueueError,
  selectQueueStatus,
  selectSelectedCaseId,
  selectSelectedIndex,
  selectView,
  selectViewCounts,
  selectVisible,
  useQueueStore,
} from '../state/queue';
import { ChannelIcon } from './ChannelIcon';

const ROW_HEIGHT = 84;

export const queueOptionId = (caseId: number) => `queue-option-${caseId}`;

export function QueuePane() {
  const { t } = useTranslation('queue');
  return (
    <nav className="pane queue-pane" aria-label={t('pane')}>
      <QueueTabs />
      <QueueList />
    </nav>
  );
}

/** The views with their counts: a tab list (arrow keys move between views, Home / End to the ends). */
function QueueTabs() {
  const view = useQueueStore(selectView);
  const counts = useQueueStore(selectViewCounts);
  const setView = useQueueStore((s) => s.setView);
  const views = shownViews(counts, view);
  const { t } = useTranslation('queue');
  const onKey = (e: KeyboardEvent<HTMLDivElement>) => {
    const at = views.indexOf(view);
    let next: (typeof views)[number] | undefined;
    if (e.key === 'ArrowRight') next = views[(at + 1) % views.length];
    else if (e.key === 'ArrowLeft') next = views[(at + views.length - 1) % views.length];
    else if (e.key === 'Home') next = views[0];
    else if (e.key === 'End') next = views[views.length - 1];
    if (!next) return;
    e.preventDefault();
    setView(next);
    e.currentTarget.querySelector<HTMLButtonElement>(`[data-view="${next}"]`)?.focus();
  };
  return (
    <div className="queue-tabs" role="tablist" aria-label={t('views')} onKeyDown={onKey}>
      {views.map((v) => {
        const channel = viewChannel(v);
        const tag = viewTag(v);
        return (
          <button
            key={v}
            type="button"
            role="tab"
            data-view={v}
            aria-selected={v === view}
            tabIndex={v === view ? 0 : -1}
            className={`queue-tab${channel ? ' queue-tab-channel' : ''}${tag !== null ? ' queue-tab-tag' : ''}${v === 'breaching' && counts.breaching > 0 ? ' has-breaching' : ''}`}
            title={v === 'breaching' ? t('breachingHint') : tag !== null ? t('tagHint', { tag }) : undefined}
            onClick={() => setView(v)}
          >
            {channel && <ChannelIcon channel={channel} size={12} />}
            {viewLabel(v)}
            <span className="tab-count">{viewCount(counts, v)}</span>
          </button>
        );
      })}
    </div>
  );
}

function QueueList() {
  const items = useQueueStore(selectVisible);
  const status = useQueueStore(selectQueueStatus);
  const error = useQueueStore(selectQueueError);
  const view = useQueueStore(selectView);
  const selectedIndex = useQueueStore(selectSelectedIndex);
  const selectedCaseId = useQueueStore(selectSelectedCaseId);
  const openCaseId = useConversationStore(selectOpenCaseId);
  const now = useClockStore(selectNow);
  const scrollRef = useRef<HTMLDivElement>(null);
  const { t } = useTranslation('queue');

  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualizer re-renders this component itself
  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    getItemKey: (index) => items[index]!.caseId,
    overscan: 8,
  });

  useEffect(() => {
    if (selectedIndex >= 0) virtualizer.scrollToIndex(selectedIndex, { align: 'auto' });
  }, [selectedIndex, virtualizer]);

  const onKey = (e: KeyboardEvent<HTMLDivElement>) => {
    const queue = useQueueStore.getState();
    if (e.key === 'ArrowDown') queue.moveSelection(1);
    else if (e.key === 'ArrowUp') queue.moveSelection(-1);
    else if (e.key === 'Home') queue.moveSelection(-Infinity);
    else if (e.key === 'End') queue.moveSelection(Infinity);
    else if (e.key === 'Enter' || e.key === ' ') openSelected();
    else return;
    e.preventDefault();
    // j / k and Enter are handled once, here, not again by the workspace shortcuts.
    e.stopPropagation();
  };

  if (status === 'loading') return <p className="pane-state">{t('loading')}</p>;
  if (status === 'error') {
    return (
      <div className="pane-state error" role="alert">
        <p>{t('loadFailed', { error })}</p>
        <button type="button" className="btn" onClick={() => void useQueueStore.getState().refresh()}>
          {t('retry')}
        </button>
      </div>
    );
  }

  return (
    <>
      {error && <p className="queue-stale">{t('stale', { error })}</p>}
      <div
        ref={scrollRef}
        className={`queue-list${items.length === 0 ? ' is-empty' : ''}`}
        role="listbox"
        aria-label={t('list')}
        tabIndex={0}
        aria-activedescendant={selectedCaseId !== null && selectedIndex >= 0 ? queueOptionId(selectedCaseId) : undefined}
        onKeyDown={onKey}
      >
        <div role="presentation" className="virtual-space" style={{ height: virtualizer.getTotalSize() }}>
          {virtualizer.getVirtualItems().map((row) => {
            const item = items[row.index]!;
            return (
              <QueueRow
                key={row.key}
                item={item}
                index={row.index}
                setSize={items.length}
                top={row.start}
                selected={item.caseId === selectedCaseId}
                open={item.caseId === openCaseId}
                now={now}
              />
            );
          })}
        </div>
      </div>
      {items.length === 0 && <p className="pane-state">{emptyViewSentence(view)}</p>}
    </>
  );
}

interface RowProps {
  item: QueueItem;
  index: number;
  setSize: number;
  top: number;
  selected: boolean;
  open: boolean;
  now: number;
}

const QueueRow = memo(function QueueRow({ item, index, setSize, top, selected, open, now }: RowProps) {
  const sla = slaBadge(item.slaDueAt, item.waitingSince, now);
  const { t } = useTranslation('queue');
  const onClick = () => {
    void openConversation(item.customerId, item.caseId);
  };
  return (
    <div
      id={queueOptionId(item.caseId)}
      role="option"
      aria-selected={selected}
      aria-posinset={index + 1}
      aria-setsize={setSize}
      className={`queue-item prio-${item.priority}${selected ? ' is-selected' : ''}${open ? ' is-open' : ''}`}
      style={{ transform: `translateY(${top}px)`, height: ROW_HEIGHT }}
      onClick={onClick}
    >
      <div className="qi-line qi-top">
        <span className={`qi-channel ch-${item.channel}`} title={channelLabel(item.channel)}>
          <ChannelIcon channel={item.channel} size={14} title={channelLabel(item.channel)} />
        </span>
        <span className="qi-name">{item.customerName}</span>
        {item.vip && <span className="badge badge-vip">VIP</span>}
        {item.tier === 'enterprise' && <span className="badge badge-tier">{tierLabel('enterprise')}</span>}
        <span className="qi-wait" title={t('waitingSince', { date: dateFormats().full(item.waitingSince) })}>
          {formatWait(item.waitingSince, now)}
        </span>
      </div>
      <div className="qi-line qi-subject">{item.subject}</div>
      <div className="qi-line qi-bottom">
        <span className="qi-preview">{storedSentenceOf(item.preview, item.previewText)}</span>
        {(item.priority === 'urgent' || item.priority === 'high') && <span className={`badge badge-prio-${item.priority}`}>{priorityLabel(item.priority)}</span>}
        {sla && <span className={`badge sla sla-${sla.state}`}>{sla.label}</span>}
      </div>
    </div>
  );
});
