// Offered conversations as cards over the workspace: "New chat from Dana: “Where is my order?”",
// a countdown to the offer's expiry, Accept (opens the conversation) and Decline. A polite live
// region announces each new offer; the countdown itself is not announced every second.
import { useEffect, useState } from 'react';
import { t } from '../i18n';
import { channelLabel } from '../labels';
import type { OfferView } from '../../../shared/contractHub';
import { openConversation } from '../state/actions';
import { offerHeadline, secondsLeft, selectOffers, useHubStore } from '../state/hub';

/** Read by screen readers, not shown (set through the DOM, so the CSP's style rules allow it). */
const VISUALLY_HIDDEN = { position: 'absolute', width: 1, height: 1, overflow: 'hidden', clip: 'rect(0 0 0 0)', whiteSpace: 'nowrap' } as const;

/** A clock for the countdowns, ticking only while some offer is shown. */
function useSecondClock(active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [active]);
  return now;
}

export function Offers() {
  const offers = useHubStore(selectOffers);
  const error = useHubStore((s) => s.offerError);
  const now = useSecondClock(offers.length > 0);
  const live = offers.filter((o) => o.expiresAt > now);
  if (live.length === 0 && !error) return null;
  return (
    <section className="offers" aria-label={t('shell:offers')}>
      <div aria-live="polite" style={VISUALLY_HIDDEN}>
        {live.length > 0 ? offerHeadline(live[live.length - 1]!, channelLabel(live[live.length - 1]!.channel)) : ''}
      </div>
      {error && (
        <p className="offers-error" role="alert">
          {error}
        </p>
      )}
      {live.map((offer) => (
        <OfferCard key={offer.offerId} offer={offer} now={now} />
      ))}
    </section>
  );
}

function OfferCard({ offer, now }: { offer: OfferView; now: number }) {
  const answering = useHubStore((s) => s.answering === offer.offerId);
  const headline = offerHeadline(offer, channelLabel(offer.channel));
  const left = secondsLeft(offer.expiresAt, now);
  const total = Math.max(1, Math.ceil((offer.expiresAt - offer.receivedAt) / 1000));
  const accept = async () => {
    const placed = await useHubStore.getState().accept(offer.offerId);
    if (placed) await openConversation(placed.customerId, placed.caseId);
  };
  return (
    <article className={`offer-card ch-${offer.channel}`} aria-label={headline}>
      <p className="offer-headline">
        {headline}
        {offer.vip && <span className="badge badge-vip">VIP</span>}
      </p>
      {offer.reasons.length > 0 && <p className="offer-reasons muted">{offer.reasons.join(' · ')}</p>}
      <div className="offer-expiry">
        <progress max={total} value={left} aria-hidden="true" />
        <span>{t('shell:expires', { seconds: left })}</span>
      </div>
      <div className="offer-actions">
        <button type="button" className="btn btn-primary" disabled={answering} onClick={() => void accept()}>
          {t('shell:accept')}
        </button>
        <button type="button" className="btn" disabled={answering} onClick={() => void useHubStore.getState().decline(offer.offerId)}>
          {t('shell:decline')}
        </button>
      </div>
    </article>
  );
}
