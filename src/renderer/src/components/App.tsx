// The workspace: top bar over three panes (queue, conversation, customer profile).
import { selectSessionError, useSessionStore } from '../state/session';
import { CheatSheet } from './CheatSheet';
import { CommandPalette } from './CommandPalette';
import { ConversationPane } from './ConversationPane';
import { Offers } from './Offers';
import { ProfilePane } from './ProfilePane';
import { QueuePane } from './QueuePane';
import { TopBar } from './TopBar';
import { useShortcuts } from './useShortcuts';
import { Softphone } from '../voice/Softphone';

export function App() {
  useShortcuts();
  const sessionError = useSessionStore(selectSessionError);
  return (
    <div className="app">
      <TopBar />
      <Softphone />
      <Offers />
      {sessionError && (
        <div className="banner error" role="alert">
          {sessionError}{' '}
          <button type="button" className="link-btn" onClick={() => void useSessionStore.getState().load()}>
            Try again
          </button>
        </div>
      )}
      <div className="workspace">
        <QueuePane />
        <ConversationPane />
        <ProfilePane />
      </div>
      <CommandPalette />
      <CheatSheet />
    </div>
  );
}
