// Which test files need the real mail peers (Dovecot for IMAP and LMTP). Dovecot exists for Linux
// only: on a macOS or Windows runner (OMNI_ALLOW_NO_DOVECOT=1, set by the workflow) those files are
// left out with the reason printed. Everywhere else a missing Dovecot fails the tests loudly.
import { spawnSync } from 'node:child_process';

export const MAIL_PEER_TESTS = [
  'tests/integration/imapSync.test.ts',
  'tests/integration/mailPeers.test.ts',
  'tests/integration/mailWiring.test.ts',
  'tests/integration/emailSend.test.ts',
  'tests/integration/emailCorpusSync.test.ts',
  'tests/integration/emailIngestBatches.test.ts',
  'tests/integration/resolveArchive.test.ts',
  'tests/integration/emailHubAnnounce.test.ts',
  'tests/e2e/mailAccount.spec.ts',
  'tests/e2e/emailRetry.spec.ts',
  'tests/e2e/handoffEmail.spec.ts',
  'tests/e2e/notImportedMail.spec.ts',
];

/** Why the mail peer tests are left out on this machine, or null to run them. */
export function mailPeersSkipReason(env: NodeJS.ProcessEnv = process.env): string | null {
  if (env.OMNI_ALLOW_NO_DOVECOT !== '1') return null;
  const probe = spawnSync('dovecot', ['--version'], { encoding: 'utf8' });
  if (!probe.error && probe.status === 0) return null;
  return `Dovecot is not installed here (${probe.error?.message ?? `exit ${probe.status}`}); the IMAP/SMTP tests run on Linux, where it is.`;
}
