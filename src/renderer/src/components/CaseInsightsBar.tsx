// Under the conversation header: the case's SLA clocks and the channel the engines suggest offering
// the customer, with a one-click "Offer <channel>" that puts the offer in the composer.
import type { SlaClockView } from '../../../shared/caseInsights';
import { CHANNEL_LABELS } from '../../../shared/domain';
import { formatCompactDuration } from '../format';
import { selectNow, useClockStore } from '../state/clock';
import { selectInsights, useInsightsStore } from '../state/insights';
import { SuggestedChannelOffer } from './SuggestedChannelOffer';

const CLOCK_LABELS: Record<SlaClockView['kind'], string> = {
  firstResponse: 'First response',
  nextResponse: 'Next response',
  resolution: 'Resolution',
};

export function clockText(clock: SlaClockView, now: number): string | null {
  const label = CLOCK_LABELS[clock.kind];
  switch (clock.state) {
    case 'running':
      return clock.dueAt === null ? null : `${label} due in ${formatCompactDuration(clock.dueAt - now)}`;
    case 'breached':
      return `${label} overdue ${formatCompactDuration(now - (clock.breachedAt ?? clock.dueAt ?? now))}${clock.pausedBy === 'pending' ? ' · paused' : ''}`;
    case 'paused':
      return `${label} paused${clock.pausedBy === 'pending' ? ' (waiting on customer)' : ' (channel outage)'}`;
    case 'met':
      return `${label} met`;
    default:
      return null;
  }
}

export function CaseInsightsBar() {
  const insights = useInsightsStore(selectInsights);
  const now = useClockStore(selectNow);
  if (!insights) return null;
  const clocks = insights.sla.map((c) => ({ c, text: clockText(c, now) })).filter((x) => x.text !== null);
  if (clocks.length === 0 && !insights.suggestion) return null;
  return (
    <section className="insights-bar" aria-label="Case insights">
      <ul className="sla-clocks" aria-label="SLA clocks">
        {clocks.map(({ c, text }) => (
          <li key={c.kind} className={`sla-clock sla-${c.state}`}>
            {text}
          </li>
        ))}
      </ul>
      {insights.suggestion && (
        <p className="channel-suggestion" title={insights.suggestion.reason}>
          Suggest {CHANNEL_LABELS[insights.suggestion.channel]}: “{insights.suggestion.prompt}”
        </p>
      )}
      {insights.suggestion && (
        <SuggestedChannelOffer channel={insights.suggestion.channel} reason={insights.suggestion.reason} prompt={insights.suggestion.prompt} />
      )}
    </section>
  );
}
