// The top bar: product name, global search, settings, the signed-in agent and the connection state.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { initials } from '../format';
import { selectAgentName, selectMode, useSessionStore } from '../state/session';
import { PaletteButton } from './CommandPalette';
import { ConnectionIndicator } from './ConnectionIndicator';
import { NotificationBell } from './NotificationBell';
import { PresenceMenu } from './PresenceMenu';
import { SearchBox } from './SearchBox';
import { SettingsDialog } from './SettingsDialog';
import { DashboardButton } from './supervisor/DashboardButton';
import { LiveConsoleButton } from './supervisor/LiveConsoleButton';

export function TopBar() {
  const agentName = useSessionStore(selectAgentName);
  const mode = useSessionStore(selectMode);
  const [settingsOpen, setSettingsOpen] = useState(false);
  const { t } = useTranslation();
  return (
    <header className="topbar">
      <div className="brand">
        <svg width="20" height="20" viewBox="0 0 24 24" aria-hidden="true">
          <rect x="2" y="2" width="20" height="20" rx="6" fill="currentColor" />
          <path d="M7 12a5 5 0 1 0 10 0 5 5 0 1 0-10 0" fill="none" stroke="#fff" strokeWidth="2.4" />
        </svg>
        <span className="brand-name">{t('brand')}</span>
        {mode === 'headless' && <span className="mode-tag">{t('headless')}</span>}
      </div>
      <SearchBox />
      <div className="topbar-end">
        <PresenceMenu />
        <ConnectionIndicator />
        <DashboardButton />
        <LiveConsoleButton />
        <NotificationBell />
        <PaletteButton />
        <button type="button" className="btn btn-quiet" onClick={() => setSettingsOpen(true)} aria-haspopup="dialog">
          {t('settings')}
        </button>
        {settingsOpen && <SettingsDialog onClose={() => setSettingsOpen(false)} />}
        {agentName && (
          <div className="agent" title={agentName}>
            <span className="avatar avatar-sm" aria-hidden="true">
              {initials(agentName)}
            </span>
            <span className="agent-name">{agentName}</span>
          </div>
        )}
      </div>
    </header>
  );
}
