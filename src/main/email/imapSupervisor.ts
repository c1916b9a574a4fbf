// Keeps one support mailbox in sync for as long as the app runs: a new ImapSync session (a new
// ImapFlow client) after every close, with capped exponential backoff and jitter, and the
// account's status (syncing / idle / error + the human reason) in the store. Never throws out:
// a mail server that is down or refuses the password leaves the rest of the app working.
import type { MailAccount, MailAccountStatus, MailStore } from '../store/mailStore';
import { archiveOutcomes } from '../store/archiveStore';
import { ingestFetched, ingestFetchedBatch, type FetchedMail, type IngestDeps, type IngestResult } from './ingest';
import { say, type Said } from '../../shared/serverErrors';
import type { StoredReason } from '../../shared/storedSentence';
import { ImapSync, type ImapCredentials, type ImapSyncOptions, type ResyncReport, type SyncProgress } from './imapSync';

export type MailErrorCode =
  | 'mail/auth-failed'
  | 'mail/connection-refused'
  | 'mail/host-not-found'
  | 'mail/timeout'
  | 'mail/certificate'
  | 'mail/tls'
  | 'mail/connection-lost'
  | 'mail/folder-missing'
  | 'mail/no-credentials'
  | 'mail/store'
  | 'mail/server';

export interface MailError {
  code: MailErrorCode;
  /** The sentence the accounts screen shows. */
  message: string;
  /** Its catalog key and params, so Settings shows it in the agent's language. */
  said?: Said;
}

export interface BackoffOptions {
  /** First retry delay. Default 1 s. */
  initialMs?: number;
  /** Cap of the exponential growth. Default 5 min. */
  maxMs?: number;
  /** Delay after a refused password or token: retrying fast would only lock the account. Default 15 min. */
  authFailureMs?: number;
}

export interface SupervisorOptions {
  store: MailStore;
  accountId: number;
  /** The secret for the account, from the secret store (never kept in the database). */
  credentials: (account: MailAccount) => Promise<ImapCredentials | null>;
  /** What ingest needs besides the store (clock, threading, SLA, attachment directory). */
  ingest: Omit<IngestDeps, 'store'>;
  backoff?: BackoffOptions;
  /** Session tuning (tests: batch size, IDLE timing, client options). */
  session?: Pick<ImapSyncOptions, 'folder' | 'batchSize' | 'maxMessageBytes' | 'maxIdleTimeMs' | 'autoIdleDelayMs' | 'clientOptions'>;
  random?: () => number;
  onStatus?: (account: MailAccount) => void;
  onProgress?: (progress: SyncProgress) => void;
  /** A mail was stored (the core emits timelineAppended / queueChanged). */
  onIngested?: (result: IngestResult, mail: FetchedMail) => void;
  onChanged?: (change: { kind: 'flags' | 'vanished'; count: number }) => void;
  onResync?: (report: ResyncReport) => void;
  log?: (line: string) => void;
}

const CERTIFICATE_CODES = new Set([
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_UNTRUSTED',
  'CERT_REVOKED',
]);

/** The human reason behind a failed or lost IMAP connection. */
export function describeImapError(err: unknown, account: Pick<MailAccount, 'imap' | 'auth'>, folder = 'INBOX'): MailError {
  const e = (err ?? {}) as { code?: string; authenticationFailed?: boolean; tlsFailed?: boolean; mailboxMissing?: boolean; message?: string; responseText?: string; _err?: { code?: string } };
  const host = account.imap.host;
  const where = `${host}:${account.imap.port}`;
  const code = e.code ?? e._err?.code;
  const keyed = (mailCode: MailErrorCode, said: Said): MailError => ({ code: mailCode, message: said.message, said });
  if (code === 'mail/store') return { code: 'mail/store', message: e.message ?? 'A message could not be stored.' };
  if (e.authenticationFailed) {
    const reply = e.responseText && !/^authentication failed\.?$/i.test(e.responseText.trim()) ? e.responseText.trim() : null;
    if (account.auth === 'xoauth2') return keyed('mail/auth-failed', reply ? say('imapTokenRefusedSaid', { host, reply }) : say('imapTokenRefused', { host }));
    return keyed('mail/auth-failed', reply ? say('imapPasswordRefusedSaid', { host, reply }) : say('imapPasswordRefused', { host }));
  }
  if (code && CERTIFICATE_CODES.has(code)) {
    const key =
      code === 'CERT_HAS_EXPIRED'
        ? 'imapCertExpired'
        : code === 'ERR_TLS_CERT_ALTNAME_INVALID'
          ? 'imapCertWrongHost'
          : code === 'DEPTH_ZERO_SELF_SIGNED_CERT' || code === 'SELF_SIGNED_CERT_IN_CHAIN'
            ? 'imapCertSelfSigned'
            : 'imapCertUntrusted';
    return keyed('mail/certificate', say(key, { host, code }));
  }
  if (e.tlsFailed || code === 'EPROTO' || code === 'ERR_SSL_WRONG_VERSION_NUMBER') return keyed('mail/tls', say('imapTls', { where }));
  switch (code) {
    case 'ECONNREFUSED':
      return keyed('mail/connection-refused', say('imapRefused', { where }));
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return keyed('mail/host-not-found', say('imapHostNotFound', { host }));
    case 'ETIMEDOUT':
    case 'ETIMEOUT':
    case 'CONNECT_TIMEOUT':
    case 'GREETING_TIMEOUT':
    case 'UPGRADE_TIMEOUT':
      return keyed('mail/timeout', say('imapTimeout', { where }));
    case 'ECONNRESET':
    case 'EPIPE':
    case 'NoConnection':
    case 'EConnectionClosed':
    case 'ClosedAfterConnectText':
    case 'ClosedAfterConnectTLS':
      return keyed('mail/connection-lost', say('imapLost', { host }));
    case 'ENETUNREACH':
    case 'EHOSTUNREACH':
      return keyed('mail/connection-refused', say('imapUnreachable', { where }));
  }
  if (e.mailboxMissing) return keyed('mail/folder-missing', say('imapFolderMissing', { folder, host }));
  const text = (e.responseText ?? e.message ?? String(err)).trim();
  return keyed('mail/server', say('imapServerProblem', { host, text: text || 'unknown error' }));
}

/** Capped exponential backoff with equal jitter: half the delay fixed, half random. */
export function backoffDelay(attempt: number, options: BackoffOptions = {}, random: () => number = Math.random): number {
  const initial = options.initialMs ?? 1_000;
  const max = options.maxMs ?? 5 * 60_000;
  const delay = Math.min(max, initial * 2 ** Math.min(attempt, 30));
  return Math.round(delay / 2 + random() * (delay / 2));
}

export class ImapSupervisor {
  private stopped = true;
  private session: ImapSync | null = null;
  private attempt = 0;
  private wake: (() => void) | null = null;
  private loopDone: Promise<void> = Promise.resolve();
  private lastError: MailError | null = null;
  /** Archive moves queued and not yet confirmed: mail row id → the case and the destination. */
  private readonly archiving = new Map<number, { caseId: number; folder: string }>();
  private lastArchiveProblem: Said | null = null;

  constructor(private readonly o: SupervisorOptions) {}

  /** Starts keeping the mailbox in sync; returns at once. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.attempt = 0;
    this.loopDone = this.loop().catch((err: unknown) => {
      // The loop itself does not throw; this is a last guard so nothing escapes to the process.
      this.o.log?.(`imap supervisor ${this.o.accountId}: ${(err as Error).message}`);
    });
  }

  /** Ends the session and the retries; resolves when the connection is closed. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    const session = this.session;
    if (session) await session.logout();
    await this.loopDone;
  }

  /** Reconnects at once (account settings or credentials changed). */
  reconnect(): void {
    this.attempt = 0;
    if (this.session) this.session.close();
    else this.wake?.();
  }

  /** The error behind the current `error` status, as a value. */
  get error(): MailError | null {
    return this.lastError;
  }

  get connected(): boolean {
    return this.session?.usable ?? false;
  }

  /** Resolves when everything the live session has queued so far is done (tests, shutdown). */
  async settled(): Promise<void> {
    await this.session?.settled();
  }

  // ---------------------------------------------------------------- what the core calls

  /** An agent opened the mail behind `eventId`: \Seen on the server (now, or after the next connect). */
  markSeen(eventId: number): void {
    const at = this.o.store.locateEvent(eventId);
    if (!at || at.accountId !== this.o.accountId) return;
    this.setFlags([at.mailMessageId], { add: ['\\Seen'] });
  }

  /** A reply went out on the case: its incoming mails get \Answered. */
  markAnswered(caseId: number): void {
    const mails = this.o.store.mailsOfCase(caseId).filter((m) => m.accountId === this.o.accountId && !m.flags.includes('\\Answered'));
    this.setFlags(
      mails.map((m) => m.mailMessageId),
      { add: ['\\Answered'] },
    );
  }

  /** Any flag change; stored first, so it survives a lost connection or a restart. */
  setFlags(mailMessageIds: readonly number[], change: { add?: readonly string[]; remove?: readonly string[] }): void {
    if (mailMessageIds.length === 0) return;
    this.o.store.queueFlagChange(mailMessageIds, change);
    this.push();
  }

  /**
   * The case was resolved: its mails in the synced folder move to the archive folder when the
   * account says so. Returns how many were queued. The outcome shows on the account (archiveProblem).
   */
  archiveCase(caseId: number): number {
    const account = this.o.store.getAccount(this.o.accountId);
    if (!account || !account.archiveOnResolve) return 0;
    const inbox = this.folder;
    const mails = this.o.store.mailsOfCase(caseId).filter((m) => m.accountId === account.id && m.folder === inbox && m.folder !== account.archiveFolder);
    if (mails.length === 0) return 0;
    for (const m of mails) this.archiving.set(m.mailMessageId, { caseId, folder: account.archiveFolder });
    this.archive(mails.map((m) => m.mailMessageId));
    return mails.length;
  }

  /** MOVE to the archive folder; stored first like flag changes. */
  archive(mailMessageIds: readonly number[]): void {
    const account = this.o.store.getAccount(this.o.accountId);
    if (!account || mailMessageIds.length === 0) return;
    this.o.store.queueMove(mailMessageIds, account.archiveFolder);
    this.push();
  }

  /** Why the last archive-on-resolve did not move the mails, as the accounts screen says it; null when it did. */
  get archiveProblem(): Said | null {
    return this.lastArchiveProblem;
  }

  private get folder(): string {
    return this.o.session?.folder ?? 'INBOX';
  }

  private push(): void {
    const session = this.session;
    // A lost connection leaves the changes stored; the next session pushes them (and checks again).
    if (session?.usable) session.pushPendingChanges().then(() => this.checkArchived(), () => undefined);
  }

  /**
   * Reads back the archive moves this supervisor asked for: a refused one (the folder could not be
   * created, no right to it) becomes the account's archiveProblem, until a later move succeeds.
   */
  private checkArchived(): void {
    if (this.archiving.size === 0) return;
    const account = this.o.store.getAccount(this.o.accountId);
    if (!account) return;
    const refused = new Map<string, { cases: Set<number>; count: number }>();
    let moved = 0;
    for (const [folder, ids] of groupBy(this.archiving)) {
      for (const [id, outcome] of archiveOutcomes(this.o.store.db, ids, this.folder, folder)) {
        if (outcome === 'waiting') continue;
        const entry = this.archiving.get(id)!;
        this.archiving.delete(id);
        if (outcome === 'moved') moved++;
        if (outcome !== 'refused') continue;
        const r = refused.get(folder) ?? { cases: new Set<number>(), count: 0 };
        r.cases.add(entry.caseId);
        r.count++;
        refused.set(folder, r);
      }
    }
    const before = this.lastArchiveProblem;
    if (refused.size > 0) {
      const [folder, r] = [...refused][0]!;
      const cases = [...r.cases].map((c) => `#${c}`).join(', ');
      const where = { cases, folder, host: account.imap.host };
      this.lastArchiveProblem = r.count === 1 ? say('archiveRefusedOne', where) : say('archiveRefused', { ...where, count: r.count });
      this.o.log?.(`imap ${account.address}: archive on resolve: ${this.lastArchiveProblem.message}`);
    } else if (moved > 0) {
      this.lastArchiveProblem = null;
    }
    if (this.lastArchiveProblem?.message !== before?.message) this.o.onStatus?.(account);
  }

  // ---------------------------------------------------------------- the loop

  private setStatus(status: MailAccountStatus, detail: string | StoredReason | null, connected = false): void {
    this.o.store.setAccountStatus(this.o.accountId, status, detail, this.o.ingest.now(), connected);
    const account = this.o.store.getAccount(this.o.accountId);
    if (account) this.o.onStatus?.(account);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = () => {
        this.wake = null;
        done();
      };
    });
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      const account = this.o.store.getAccount(this.o.accountId);
      if (!account) {
        this.o.log?.(`imap supervisor: mail account ${this.o.accountId} no longer exists; stopping.`);
        this.stopped = true;
        break;
      }
      let failure: MailError | null = null;
      let ended: Error | null = null;
      try {
        const credentials = await this.o.credentials(account);
        if (!credentials) {
          const said = say('imapNoCredentials', { address: account.address });
          failure = { code: 'mail/no-credentials', message: said.message, said };
        } else {
          ended = await this.runSession(account, credentials);
        }
      } catch (err) {
        failure = describeImapError(err, account, this.o.session?.folder);
      }
      if (this.stopped) break;
      // Closed on purpose by reconnect(): straight into the next session.
      if (!failure && !ended) continue;
      if (!failure && ended) failure = describeImapError(ended, account, this.o.session?.folder);

      const delay =
        failure?.code === 'mail/auth-failed' || failure?.code === 'mail/no-credentials'
          ? Math.max(this.o.backoff?.authFailureMs ?? 15 * 60_000, backoffDelay(this.attempt, this.o.backoff, this.o.random))
          : backoffDelay(this.attempt, this.o.backoff, this.o.random);
      this.attempt++;
      this.lastError = failure;
      this.setStatus('error', retryStatus(failure, delay));
      this.o.log?.(`imap ${account.address}: ${failure?.code ?? 'closed'}: ${failure?.message ?? ''}; retry in ${delay} ms`);
      await this.sleep(delay);
    }
  }

  /** One session: connect, resync, stay in IDLE until the connection closes. Resolves with what closed it. */
  private async runSession(account: MailAccount, credentials: ImapCredentials): Promise<Error | null> {
    this.setStatus('syncing', null);
    const deps: IngestDeps = { ...this.o.ingest, store: this.o.store, ownAddresses: this.o.ingest.ownAddresses ?? this.o.store.accounts().map((a) => a.address) };
    const session = new ImapSync({
      store: this.o.store,
      account,
      credentials,
      ingest: (mail) => ingestFetched(deps, mail),
      ingestBatch: (mails) => ingestFetchedBatch(deps, mails),
      now: this.o.ingest.now,
      maxMessageBytes: this.o.ingest.mimeLimits?.maxMessageBytes,
      ...this.o.session,
      onProgress: this.o.onProgress,
      onIngested: this.o.onIngested,
      onChanged: this.o.onChanged,
      onResync: this.o.onResync,
      log: this.o.log,
    });
    this.session = session;
    try {
      if (this.stopped) return null;
      await session.start();
      if (this.stopped) return null;
      // In step with the server: the next failure starts the backoff from the beginning.
      this.attempt = 0;
      this.lastError = null;
      this.setStatus('idle', null, true);
      // start() pushed the changes stored while offline: see how the archive moves among them went.
      this.checkArchived();
      return await session.closed;
    } finally {
      session.close();
      // 'close' always follows close(); the timer only guards against a client that never opened a socket.
      await Promise.race([session.closed, new Promise((resolve) => setTimeout(resolve, 5_000).unref())]);
      this.session = null;
    }
  }
}

function groupBy(archiving: ReadonlyMap<number, { folder: string }>): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const [id, { folder }] of archiving) out.set(folder, [...(out.get(folder) ?? []), id]);
  return out;
}

/** "<reason> Trying again in 40 s.": the account's status line, its reason's key nested when it has one. */
function retryStatus(failure: MailError | null, delay: number): StoredReason | string {
  const reason = failure?.message ?? say('imapClosed').message;
  const inner = failure ? failure.said : say('imapClosed');
  const outer =
    delay < 1_000
      ? say('imapRetryNow', { reason })
      : delay < 90_000
        ? say('imapRetrySeconds', { reason, seconds: Math.round(delay / 1000) })
        : say('imapRetryMinutes', { reason, minutes: Math.round(delay / 60_000) });
  return { said: outer, nested: { reason: inner } };
}
