// The top bar's way to the live console and back; only supervisors and admins see it.
import { useTranslation } from 'react-i18next';
import { useLiveConsoleStore } from '../../state/liveConsole';
import { useIsSupervisor, useSupervisorStore } from '../../state/supervisor';

export function LiveConsoleButton() {
  const { t } = useTranslation('console');
  const isSupervisor = useIsSupervisor();
  const consoleOpen = useLiveConsoleStore((s) => s.open);
  const dashboardOpen = useSupervisorStore((s) => s.open);
  const open = consoleOpen && !dashboardOpen;
  if (!isSupervisor) return null;
  const store = useLiveConsoleStore.getState();
  return (
    <button type="button" className="btn btn-quiet" aria-pressed={open} onClick={() => (open ? store.closeConsole() : store.openConsole())}>
      {t('open')}
    </button>
  );
}
