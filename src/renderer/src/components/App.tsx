// The workspace: top bar over three panes (queue, conversation, customer profile).
import { selectSessionError, useSessionStore } from '../state/session';
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

export function App() {
  useShortcuts();
  const sessionError = useSessionStore(selectSessionError);
  return (
    <div className="app">
      <TopBar />
      <Offers />
      <DesktopNotices />
      {sessionError && (
        <div className="banner error" role="alert">
          {sessionError}{' '}
          <button type="button" className="link-btn" onClick={() => void useSessionStore.getState().load()}>
            Try again
          </button>
        </div>
      )}
      <ResizableWorkspace queue={<QueuePane />} conversation={<ConversationPane />} profile={<ProfilePane />} />
      <CommandPalette />
      <CheatSheet />
    </div>
  );
}
