import { configDefaults, defineConfig } from 'vitest/config';
import { MAIL_PEER_TESTS, mailPeersSkipReason } from './tests/mailPeerTests.ts';

const noMailPeers = mailPeersSkipReason();
if (noMailPeers) console.warn(`Leaving out the mail peer tests: ${noMailPeers}`);

export default defineConfig({
  test: {
    projects: [
      {
        test: { name: 'unit', include: ['tests/unit/**/*.test.ts', 'tests/unit/**/*.test.tsx'], environment: 'node' },
      },
      {
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          exclude: [...configDefaults.exclude, ...(noMailPeers ? MAIL_PEER_TESTS : [])],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
