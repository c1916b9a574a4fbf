// The online/offline pill in the top bar; a polite live region, so a screen reader hears changes.
import { selectHubDetail, selectIndicator, useConnectionStore } from '../state/connection';

export function ConnectionIndicator() {
  const indicator = useConnectionStore(selectIndicator);
  const detail = useConnectionStore(selectHubDetail);
  return (
    <div role="status" className={`conn conn-${indicator.kind}`} title={detail || undefined}>
      <span className="conn-dot" aria-hidden="true" />
      {indicator.label}
    </div>
  );
}
