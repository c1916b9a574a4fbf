// The top bar's way to the supervisor dashboard and back; only supervisors and admins see it.
import { useIsSupervisor, useSupervisorStore } from '../../state/supervisor';

export function DashboardButton() {
  const isSupervisor = useIsSupervisor();
  const open = useSupervisorStore((s) => s.open);
  if (!isSupervisor) return null;
  const store = useSupervisorStore.getState();
  return (
    <button type="button" className="btn btn-quiet" aria-pressed={open} onClick={() => (open ? store.closeDashboard() : store.openDashboard())}>
      Dashboard
    </button>
  );
}
