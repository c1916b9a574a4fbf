// The top bar's way to the supervisor dashboard and back; only supervisors and admins see it.
import { useTranslation } from 'react-i18next';
import { useIsSupervisor, useSupervisorStore } from '../../state/supervisor';

export function DashboardButton() {
  const isSupervisor = useIsSupervisor();
  const open = useSupervisorStore((s) => s.open);
  const { t } = useTranslation('supervisor');
  if (!isSupervisor) return null;
  const store = useSupervisorStore.getState();
  return (
    <button type="button" className="btn btn-quiet" aria-pressed={open} onClick={() => (open ? store.closeDashboard() : store.openDashboard())}>
      {t('open')}
    </button>
  );
}
