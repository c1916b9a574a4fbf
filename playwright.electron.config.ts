// Playwright for the real Electron app (tests/electron): needs the Electron binary and a display
// (xvfb-run on Linux CI), and `npm run build` first. The default config (tests/e2e, Chromium
// against the headless mode) does not pick these up, and this one does not pick those up.
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: 'tests/electron',
  testMatch: '**/*.spec.ts',
  outputDir: 'test-results/electron',
  fullyParallel: false,
  // One Electron app at a time: each launch is a whole browser plus the main process.
  workers: 1,
  timeout: 90_000,
  expect: { timeout: 15_000 },
  retries: process.env.CI ? 1 : 0,
  forbidOnly: !!process.env.CI,
  reporter: process.env.CI ? [['list'], ['html', { open: 'never', outputFolder: 'playwright-report/electron' }]] : 'list',
});
