// One timeline event, as the agent reads it: messages as cards (internal notes in yellow), calls,
// voicemail, portal views, ratings and system lines as compact rows. Bodies are plain text, except
// received emails with HTML, which EmailBody shows in the sandboxed email frame.
import { memo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TimelineEvent } from '../../../shared/domain';
import { t } from '../i18n';
import { channelLabel } from '../labels';
import { getApi } from '../api';
import { dateFormats } from '../dates';
import { useConversationStore } from '../state/conversation';
import { messageOf } from '../state/errors';
import { capitalize, deliveryLabel, initials } from '../format';
import { ChannelBadge, ChannelIcon } from './ChannelIcon';
import { EmailBody } from './EmailBody';
import { MaskedText } from './MaskedText';
import { MessageFiles } from './MessageFiles';
import { RichBody } from './RichBody';
import { isRichMessage } from '../../../shared/composer/richText';
import { MaskedNotice, RevealedBody } from './RevealButton';
import { SplitFromHere } from './MergeSplit';
import { authorOf, lineOf, storedSentenceOf, wordOf } from '../serverErrors';

function Time({ at }: { at: number }) {
  const formats = dateFormats();
  return (
    <time className="tl-time" dateTime={new Date(at).toISOString()} title={formats.full(at)}>
      {formats.eventTime(at)}
    </time>
  );
}

type SystemKind = Exclude<TimelineEvent['kind'], 'message' | 'note'>;

function metaNumber(event: TimelineEvent, key: string): number | null {
  const value = event.metadata[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function durationText(seconds: number): string {
  const m = Math.floor(seconds / 60);
  const s = Math.round(seconds % 60);
  return m ? t('conversation:minutesSeconds', { minutes: m, seconds: String(s).padStart(2, '0') }) : t('conversation:seconds', { seconds: s });
}

/** "Call · incoming · 6m 52s · Resolved": the facts of a compact row, without repeating its text. */
function systemFacts(event: TimelineEvent): string[] {
  const facts: string[] = [t(`conversation:system.${event.kind as SystemKind}`)];
  if (event.kind === 'call' && event.direction !== 'internal') facts.push(t(event.direction === 'in' ? 'conversation:incoming' : 'conversation:outgoing'));
  const duration = metaNumber(event, 'durationSec');
  if (duration !== null && (event.kind === 'call' || event.kind === 'voicemail')) facts.push(durationText(duration));
  const outcome = event.metadata.outcome;
  if (typeof outcome === 'string' && outcome) facts.push(capitalize(wordOf('callOutcome', outcome)));
  const score = metaNumber(event, 'score');
  if (event.kind === 'csat' && score !== null && !event.body) facts.push(t('conversation:score', { score }));
  // The customer's own rows already name them in the text; an agent's or bot's do not.
  if (event.authorType === 'agent' || event.authorType === 'bot') facts.push(authorOf(event));
  return facts;
}

/** "Queued", "Sending…", "Delivered", or "Not delivered: <reason>" with a Retry button. */
function DeliveryLine({ event }: { event: TimelineEvent }) {
  const [retrying, setRetrying] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const { t } = useTranslation('conversation');
  const status = event.delivery;
  if (!status) return null;
  // The reason in the agent's language when main stored it with its catalog key.
  const detail = event.deliveryDetail === null ? null : storedSentenceOf(event.deliveryDetail, event.deliveryText);
  const retry = async () => {
    setRetrying(true);
    setError(null);
    try {
      const updated = await getApi().retryReply({ eventId: event.id });
      useConversationStore.getState().applyAppended(updated);
    } catch (e) {
      setError(messageOf(e, t('retryFailed')));
    } finally {
      setRetrying(false);
    }
  };
  return (
    <div className={`tl-delivery dl-${status}`}>
      {status === 'failed' ? (
        <>
          <span className="tl-delivery-label">{detail ? t('deliveryFailed', { label: deliveryLabel(status), detail }) : deliveryLabel(status)}</span>{' '}
          <button type="button" className="btn btn-small" onClick={() => void retry()} disabled={retrying}>
            {t('retrySend')}
          </button>
        </>
      ) : (
        <>
          <span className="tl-delivery-label">{deliveryLabel(status)}</span>
          {status === 'queued' && detail && <span className="tl-delivery-detail"> · {detail}</span>}
        </>
      )}
      {error && (
        <div className="tl-delivery-error" role="alert">
          {error}
        </div>
      )}
    </div>
  );
}

export const TimelineEventView = memo(function TimelineEventView({ event }: { event: TimelineEvent }) {
  // The raw text of a masked event, once a supervisor or admin revealed it (audited in main).
  const [revealed, setRevealed] = useState<string | null>(null);
  const { t } = useTranslation('conversation');
  const privacy = revealed !== null ? <RevealedBody body={revealed} /> : <MaskedNotice event={event} onRevealed={setRevealed} />;
  if (event.kind === 'message') {
    const outgoing = event.direction === 'out';
    return (
      <article className={`tl-msg ${outgoing ? 'is-out' : 'is-in'}`} aria-label={t('messageFrom', { channel: channelLabel(event.channel), author: authorOf(event) })}>
        <span className={`avatar ${outgoing ? 'avatar-agent' : 'avatar-customer'}`} aria-hidden="true">
          {initials(authorOf(event))}
        </span>
        <div className="tl-card">
          <header className="tl-head">
            <span className="tl-author">{authorOf(event)}</span>
            <ChannelBadge channel={event.channel} />
            {event.authorType === 'bot' && <span className="badge badge-muted">{t('bot')}</span>}
            <Time at={event.occurredAt} />
            <SplitFromHere event={event} />
          </header>
          {event.channel === 'email' && event.subject && <div className="tl-subject">{event.subject}</div>}
          {event.channel === 'email' && !outgoing ? (
            <EmailBody event={event} />
          ) : isRichMessage(event) && revealed === null ? (
            <RichBody text={event.body} />
          ) : (
            <div className="tl-body">
              <MaskedText text={event.body} />
            </div>
          )}
          {outgoing && <MessageFiles event={event} />}
          {privacy}
          {outgoing && event.delivery && <DeliveryLine event={event} />}
        </div>
      </article>
    );
  }

  if (event.kind === 'note') {
    return (
      <article className="tl-note" aria-label={t('noteFrom', { author: authorOf(event) })}>
        <header className="tl-head">
          <span className="tl-note-label">{t('internalNote')}</span>
          <span className="tl-author">{authorOf(event)}</span>
          <Time at={event.occurredAt} />
        </header>
        <div className="tl-body">
          <MaskedText text={lineOf(event.body, event.metadata)} />
        </div>
        {privacy}
      </article>
    );
  }

  const [label, ...facts] = systemFacts(event);
  return (
    <div className={`tl-system kind-${event.kind}`}>
      <span className={`tl-system-icon ch-${event.channel}`} aria-hidden="true">
        <ChannelIcon channel={event.channel} size={13} />
      </span>
      <span className="tl-system-text">
        <strong>{label}</strong>
        {facts.length > 0 && <> · {facts.join(' · ')}</>}
        {event.body && (
          <span className="tl-system-body">
            <MaskedText text={lineOf(event.body, event.metadata)} />
          </span>
        )}
        {privacy}
      </span>
      <Time at={event.occurredAt} />
    </div>
  );
});
