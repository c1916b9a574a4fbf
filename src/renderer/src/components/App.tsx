// The workspace: top bar over three panes (queue, conversation, customer profile), or the
// supervisor dashboard (its own chunk, loaded when first opened).
import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { t } from '../i18n';
import { selectSessionError, useSessionStore } from '../state/session';
import { useIsSupervisor, useSupervisorStore } from '../state/supervisor';
import { useChannelConfigStore, useIsAdmin } from '../state/channelConfig';
import { ChannelConfigScreen } from './ChannelConfigScreen';
import { useLiveConsoleStore } from '../state/liveConsole';
import { ConsoleAlerts } from './supervisor/ConsoleAlerts';
import { CheatSheet } from './CheatSheet';
import { CommandPalette } from './CommandPalette';
import { DesktopNotices } from './DesktopNotices';
import { ConversationPane } from './ConversationPane';
import { Offers } from './Offers';
import { ProfilePane } from './ProfilePane';
import { QueuePane } from './QueuePane';
import { ResizableWorkspace } from './ResizableWorkspace';
import { TopBar } from './TopBar';
import { useShortcuts } from './useShortcuts';
import { Softphone } from '../voice/Softphone';

const Dashboard = lazy(() => import('./supervisor/Dashboard'));
const LiveConsole = lazy(() => import('./supervisor/LiveConsole'));

export function App() {
  useShortcuts();
  // Components that read the catalogs through `t` (outside a hook) re-render with the app on a language switch.
  useTranslation();
  const sessionError = useSessionStore(selectSessionError);
  const isSupervisor = useIsSupervisor();
  const dashboard = useSupervisorStore((s) => s.open) && isSupervisor;
  const isAdmin = useIsAdmin();
  const channelConfig = useChannelConfigStore((s) => s.open) && isAdmin;
  const liveConsole = useLiveConsoleStore((s) => s.open) && isSupervisor;
  return (
    <div className="app">
      <TopBar />
      <Softphone />
      <Offers />
      <DesktopNotices />
      <ConsoleAlerts />
      {sessionError && (
        <div className="banner error" role="alert">
          {sessionError}{' '}
          <button type="button" className="link-btn" onClick={() => void useSessionStore.getState().load()}>
            {t('shell:retry')}
          </button>
        </div>
      )}
      {channelConfig ? (
        <ChannelConfigScreen />
      ) : dashboard ? (
        <Suspense fallback={<p className="pane-state">{t('shell:loadingDashboard')}</p>}>
          <Dashboard />
        </Suspense>
      ) : liveConsole ? (
        <Suspense fallback={<p className="pane-state">…</p>}>
          <LiveConsole />
        </Suspense>
      ) : (
        <ResizableWorkspace queue={<QueuePane />} conversation={<ConversationPane />} profile={<ProfilePane />} />
      )}
      <CommandPalette />
      <CheatSheet />
    </div>
  );
}
