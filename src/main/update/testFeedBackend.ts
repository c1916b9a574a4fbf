// An updater backend for the headless test mode (OMNI_TEST_UPDATER=1): a feed that always has one
// newer version, downloads it in two steps and "installs" by logging. The real updater and state
// machine run on top of it, so an end-to-end test sees the banner exactly as the app would.
import type { ProgressInfoLike, UpdateInfoLike, UpdaterBackend } from './updater';

export function testFeedBackend(version: string, log: (line: string) => void): UpdaterBackend {
  const on: {
    checking: Array<() => void>;
    available: Array<(i: UpdateInfoLike) => void>;
    none: Array<(i: UpdateInfoLike) => void>;
    progress: Array<(p: ProgressInfoLike) => void>;
    downloaded: Array<(i: UpdateInfoLike) => void>;
    error: Array<(e: Error) => void>;
  } = { checking: [], available: [], none: [], progress: [], downloaded: [], error: [] };
  const later = (fn: () => void) => void setTimeout(fn, 10);
  const total = 1_000_000;
  return {
    setFeedURL: () => {},
    setAutoDownload: () => {},
    checkForUpdates: async () => {
      later(() => {
        for (const l of on.checking) l();
        for (const l of on.available) l({ version });
      });
    },
    downloadUpdate: async () => {
      later(() => {
        for (const l of on.progress) l({ percent: 50, transferred: total / 2, total, bytesPerSecond: total });
        later(() => {
          for (const l of on.downloaded) l({ version });
        });
      });
    },
    quitAndInstall: () => log(`Test update feed: ${version} would be installed now (no restart in the headless mode).`),
    onChecking: (l) => void on.checking.push(l),
    onAvailable: (l) => void on.available.push(l),
    onNotAvailable: (l) => void on.none.push(l),
    onProgress: (l) => void on.progress.push(l),
    onDownloaded: (l) => void on.downloaded.push(l),
    onError: (l) => void on.error.push(l),
  };
}
