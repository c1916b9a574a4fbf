// Under the conversation header: the case's SLA clocks and the channel the engines suggest offering
// the customer, with a one-click "Offer <channel>" that puts the offer in the composer.
import { useTranslation } from 'react-i18next';
import type { SlaClockView } from '../../../shared/caseInsights';
import { formatCompactDuration } from '../format';
import { t } from '../i18n';
import { channelLabel } from '../labels';
import { selectNow, useClockStore } from '../state/clock';
import { selectInsights, useInsightsStore } from '../state/insights';
import { SuggestedChannelOffer } from './SuggestedChannelOffer';

export function clockText(clock: SlaClockView, now: number): string | null {
  const label = t(`conversation:clock.${clock.kind}`);
  switch (clock.state) {
    case 'running':
      return clock.dueAt === null ? null : t('conversation:clockDue', { label, duration: formatCompactDuration(clock.dueAt - now) });
    case 'breached': {
      const duration = formatCompactDuration(now - (clock.breachedAt ?? clock.dueAt ?? now));
      return t(clock.pausedBy === 'pending' ? 'conversation:clockOverduePaused' : 'conversation:clockOverdue', { label, duration });
    }
    case 'paused':
      return t(clock.pausedBy === 'pending' ? 'conversation:clockPausedPending' : 'conversation:clockPausedOutage', { label });
    case 'met':
      return t('conversation:clockMet', { label });
    default:
      return null;
  }
}

export function CaseInsightsBar() {
  const insights = useInsightsStore(selectInsights);
  const now = useClockStore(selectNow);
  const { t } = useTranslation('conversation');
  if (!insights) return null;
  const clocks = insights.sla.map((c) => ({ c, text: clockText(c, now) })).filter((x) => x.text !== null);
  if (clocks.length === 0 && !insights.suggestion) return null;
  return (
    <section className="insights-bar" aria-label={t('insights')}>
      <ul className="sla-clocks" aria-label={t('slaClocks')}>
        {clocks.map(({ c, text }) => (
          <li key={c.kind} className={`sla-clock sla-${c.state}`}>
            {text}
          </li>
        ))}
      </ul>
      {insights.suggestion && (
        <p className="channel-suggestion" title={insights.suggestion.reason}>
          {t('suggest', { channel: channelLabel(insights.suggestion.channel), prompt: insights.suggestion.prompt })}
        </p>
      )}
      {insights.suggestion && (
        <SuggestedChannelOffer channel={insights.suggestion.channel} reason={insights.suggestion.reason} prompt={insights.suggestion.prompt} />
      )}
    </section>
  );
}
