// The customer's timeline across channels, oldest at the top, opened at the newest like a chat.
// Virtualized with measured row heights; anchorTo 'end' keeps the rows in view still when an older
// page arrives above them, and followOnAppend keeps the newest in view while the agent is at the end.
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useTranslation } from 'react-i18next';
import { channelSwitchNotices, type ChannelSwitchNotice } from '../../../shared/timelineNotices';
import { channelLabel } from '../labels';
import { dateFormats } from '../dates';
import {
  selectEvents,
  selectFollowRequest,
  selectHasOlder,
  selectLoadingOlder,
  selectOlderError,
  selectTimelineError,
  selectTimelineStatus,
  useConversationStore,
} from '../state/conversation';
import { TimelineEventView } from './TimelineRow';

/** Within this many pixels of the top, the next older page loads. */
const LOAD_OLDER_PX = 400;
const HEAD_PX = 40;

export function Timeline() {
  const events = useConversationStore(selectEvents);
  const status = useConversationStore(selectTimelineStatus);
  const error = useConversationStore(selectTimelineError);
  const hasOlder = useConversationStore(selectHasOlder);
  const loadingOlder = useConversationStore(selectLoadingOlder);
  const olderError = useConversationStore(selectOlderError);
  const followRequest = useConversationStore(selectFollowRequest);
  const scrollRef = useRef<HTMLDivElement>(null);
  const openedAtEnd = useRef(false);
  const { t } = useTranslation('conversation');

  const notices = useMemo(() => {
    const byEvent = new Map<number, ChannelSwitchNotice>();
    for (const notice of channelSwitchNotices(events)) byEvent.set(notice.beforeEventId, notice);
    return byEvent;
  }, [events]);

  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualizer re-renders this component itself
  const virtualizer = useVirtualizer({
    count: events.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => 110,
    getItemKey: (index) => events[index]!.id,
    overscan: 6,
    paddingStart: HEAD_PX,
    paddingEnd: 12,
    anchorTo: 'end',
    followOnAppend: true,
    scrollEndThreshold: 24,
  });

  // Open at the newest event, once per conversation (the pane is keyed by customer).
  useLayoutEffect(() => {
    if (status !== 'ready' || openedAtEnd.current || events.length === 0) return;
    openedAtEnd.current = true;
    virtualizer.scrollToEnd();
  }, [status, events.length, virtualizer]);

  // The agent's own reply: show it even if they had scrolled up to read.
  const seenFollow = useRef(followRequest);
  useLayoutEffect(() => {
    if (seenFollow.current === followRequest) return;
    seenFollow.current = followRequest;
    virtualizer.scrollToEnd();
  }, [followRequest, virtualizer, events.length]);

  const maybeLoadOlder = useCallback(() => {
    const el = scrollRef.current;
    if (!el || !openedAtEnd.current) return;
    const { older, loadingOlder: busy, olderError: failed } = useConversationStore.getState();
    if (older !== null && !busy && !failed && el.scrollTop < LOAD_OLDER_PX) void useConversationStore.getState().loadOlder();
  }, []);

  // A first page shorter than the pane never scrolls, so check after every change too.
  useEffect(() => {
    if (status !== 'ready') return;
    const frame = requestAnimationFrame(maybeLoadOlder);
    return () => cancelAnimationFrame(frame);
  }, [status, events.length, hasOlder, maybeLoadOlder]);

  if (status === 'loading' || status === 'idle') return <div className="timeline-state">{t('loadingTimeline')}</div>;
  if (status === 'error') {
    return (
      <div className="timeline-state error" role="alert">
        <p>{t('timelineFailed', { error })}</p>
        <button
          type="button"
          className="btn"
          onClick={() => {
            const { customerId, caseId } = useConversationStore.getState();
            if (customerId !== null) void useConversationStore.getState().open(customerId, caseId);
          }}
        >
          {t('retry')}
        </button>
      </div>
    );
  }

  const formats = dateFormats();
  return (
    <div ref={scrollRef} className="timeline" role="log" aria-label={t('timeline')} tabIndex={0} onScroll={maybeLoadOlder}>
      <div className="virtual-space" style={{ height: virtualizer.getTotalSize() }}>
        <div className="timeline-head" style={{ height: HEAD_PX }}>
          {loadingOlder ? (
            <span role="status">{t('loadingOlder')}</span>
          ) : olderError ? (
            <span role="alert">
              {olderError}{' '}
              <button type="button" className="link-btn" onClick={() => void useConversationStore.getState().loadOlder()}>
                {t('retry')}
              </button>
            </span>
          ) : hasOlder ? (
            <span>{t('scrollForOlder')}</span>
          ) : events.length > 0 ? (
            <span>{t('historyStart')}</span>
          ) : null}
        </div>
        {events.length === 0 && <p className="timeline-empty">{t('noMessages')}</p>}
        {virtualizer.getVirtualItems().map((row) => {
          const event = events[row.index]!;
          const notice = notices.get(event.id);
          return (
            <div key={row.key} data-index={row.index} ref={virtualizer.measureElement} className="tl-row" style={{ transform: `translateY(${row.start}px)` }}>
              {notice && (
                <div className="tl-notice" role="note">
                  <span>{t('switchNotice', { channel: channelLabel(notice.from), date: formats.day(notice.previousAt) })}</span>
                </div>
              )}
              <TimelineEventView event={event} />
            </div>
          );
        })}
      </div>
    </div>
  );
}
