// The chat widget's browser tests on their own: each test starts its own hub, so the headless
// workspace of playwright.config.ts is not needed. `npx playwright test -c playwright.widget.config.ts`.
import { defineConfig } from '@playwright/test';
import base from './playwright.config';

export default defineConfig({
  ...base,
  globalSetup: undefined,
  testMatch: /widget.*\.spec\.ts$/,
  outputDir: 'test-results/widget-artifacts',
});
