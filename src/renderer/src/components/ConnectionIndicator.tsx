// The online/offline pill in the top bar; a polite live region, so a screen reader hears changes.
import { selectHubDetail, selectIndicator, useConnectionStore } from '../state/connection';
import { t } from '../i18n';

export function ConnectionIndicator() {
  const indicator = useConnectionStore(selectIndicator);
  const detail = useConnectionStore(selectHubDetail);
  return (
    <div role="status" className={`conn conn-${indicator.kind}`} title={detail || undefined}>
      <span className="conn-dot" aria-hidden="true" />
      {t(`shell:connection.${indicator.kind}`)}
    </div>
  );
}
