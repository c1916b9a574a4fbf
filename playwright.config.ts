// End-to-end tests: the built workspace in headless mode, driven in Debian's Chromium (Playwright's
// own browser download is not used). The server is started once by tests/e2e/globalSetup.ts.
import path from 'node:path';
import { defineConfig } from '@playwright/test';
import { MAIL_PEER_TESTS, mailPeersSkipReason } from './tests/mailPeerTests';

const noMailPeers = mailPeersSkipReason();
if (noMailPeers) console.warn(`Leaving out the mail peer tests: ${noMailPeers}`);

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-dev-shm-usage'];

export default defineConfig({
  testDir: 'tests/e2e',
  testIgnore: noMailPeers ? MAIL_PEER_TESTS.filter((f) => f.startsWith('tests/e2e/')).map((f) => path.resolve(f)) : [],
  outputDir: 'test-results/e2e-artifacts',
  globalSetup: './tests/e2e/globalSetup.ts',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  reporter: [['list']],
  use: {
    browserName: 'chromium',
    launchOptions: { executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS },
    locale: 'en-US',
    timezoneId: 'America/New_York',
    viewport: { width: 1440, height: 900 },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
});
