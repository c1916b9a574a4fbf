// electron-updater's autoUpdater behind the UpdaterBackend interface of src/main/update/updater.ts.
// Only touched in the packaged app with an update server configured: the updater object is built
// on first use, and its log lines go to the app's log.
import { autoUpdater } from 'electron-updater';
import type { UpdaterBackend } from '../update/updater';

export function electronUpdaterBackend(log: (line: string) => void): UpdaterBackend {
  const updater = () => autoUpdater;
  let configured = false;
  const configure = () => {
    if (configured) return;
    configured = true;
    updater().logger = { info: (m: unknown) => log(`updater: ${String(m)}`), warn: (m: unknown) => log(`updater: ${String(m)}`), error: (m: unknown) => log(`updater: ${String(m)}`) };
    // Installed by "Restart to update" (which waits for a call to end), or when the agent quits.
    updater().autoInstallOnAppQuit = true;
  };
  return {
    setFeedURL(options) {
      configure();
      updater().setFeedURL(options);
    },
    setAutoDownload(value) {
      configure();
      updater().autoDownload = value;
    },
    checkForUpdates: () => updater().checkForUpdates(),
    downloadUpdate: () => updater().downloadUpdate(),
    // Not silent (the Windows installer shows its progress), and the app starts again afterwards.
    quitAndInstall: () => updater().quitAndInstall(false, true),
    onChecking: (listener) => void updater().on('checking-for-update', listener),
    onAvailable: (listener) => void updater().on('update-available', listener),
    onNotAvailable: (listener) => void updater().on('update-not-available', listener),
    onProgress: (listener) => void updater().on('download-progress', listener),
    onDownloaded: (listener) => void updater().on('update-downloaded', listener),
    onError: (listener) => void updater().on('error', (error) => listener(error)),
  };
}
