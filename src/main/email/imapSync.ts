// One IMAP session of a support mailbox (imapflow): resync the folder from the stored position,
// then IDLE and fetch what arrives. One ImapFlow client per session: a closed client is never
// reused; the supervisor (imapSupervisor.ts) starts the next session with a new one.
//
// Resync rules, in this order, each session:
//  - no stored UIDVALIDITY, or the initial sync never completed: SEARCH SINCE the window (sync_days,
//    reaching back to the oldest stored mail still present) and fetch every UID not stored yet,
//    oldest first, parsed a batch at a time and committed one batch per transaction, in UID order
//    (the next batches are fetched and parsed meanwhile), so a cut connection resumes after the last
//    committed batch;
//  - UIDVALIDITY changed: the stored mails are rebound to their new UIDs from the header blocks
//    (the header hash, else a Message-ID unique on both sides), rows not found are marked vanished,
//    then the same full sync fetches only what was not rebound; a fetched mail whose header hash
//    is stored rebinds that row instead of adding one — nothing is stored twice or lost;
//  - same UIDVALIDITY: QRESYNC SELECT (VANISHED (EARLIER) + changed flags), or without QRESYNC a
//    CHANGEDSINCE flag fetch and a UID listing to find expunges; then the UIDs from UIDNEXT on.
// Expunges are applied before the new HIGHESTMODSEQ is stored; the stored value is the one seen
// at SELECT, so a change during the session is reported again next time (applying it is idempotent).
import { ImapFlow, type CopyResponseObject, type ExpungeEvent, type FetchMessageObject, type FlagsEvent, type ImapFlowOptions, type MailboxObject } from 'imapflow';
import { normalizeMessageId } from '../../shared/cases';
import type { FolderState, MailAccount, MailLocation, MailStore } from '../store/mailStore';
import type { FetchedMail, IngestResult } from './ingest';
import { DEFAULT_MIME_LIMITS, headerBlockEnd, headerHashOf, readHeaderFields } from './mime';

const DAY = 86_400_000;
/** Mails per commit, unless `batchSize` says otherwise. */
const DEFAULT_BATCH_SIZE = 200;
/**
 * Batches per FETCH command. Longer commands keep the server streaming without a round trip per
 * batch; imapflow reads the next response only once the previous one was taken, so a long command
 * holds no more in memory than a short one. Not much longer: what arrived before a cut connection
 * is noticed is stored, the rest waits for the next session.
 */
const BATCHES_PER_FETCH = 5;
/** A commit batch is cut short once its sources reach this size (memory: up to INGEST_DEPTH + 2 batches are held). */
const MAX_BATCH_BYTES = 8 * 1024 * 1024;
/** Batches in ingest at once: one being stored while the next ones are parsed (on worker threads). */
const INGEST_DEPTH = 3;

export interface ImapCredentials {
  /** The password, for `auth: 'password'`. */
  pass?: string;
  /** An OAuth2 access token, for `auth: 'xoauth2'`. */
  accessToken?: string;
}

export interface SyncProgress {
  phase: 'initial' | 'new';
  done: number;
  total: number;
}

/** What a session's resync did, by the rule it followed (see the top of this file). */
export interface ResyncReport {
  mode: 'initial' | 'resume' | 'uidvalidity' | 'qresync' | 'condstore' | 'uid-list';
  uidValidity: number;
  /** Mails fetched and handed to ingest. */
  fetched: number;
  /** Stored mails found expunged. */
  vanished: number;
  /** Stored mails bound to new UIDs after a UIDVALIDITY change (by their header blocks). */
  rebound: number;
}

export interface ImapSyncOptions {
  store: MailStore;
  account: MailAccount;
  credentials: ImapCredentials;
  /** Parses and stores one fetched message (parseEmail + ingest); must not run IMAP commands. */
  ingest: (mail: FetchedMail) => Promise<IngestResult>;
  /**
   * Parses and stores a fetch batch in ONE transaction (ingestFetchedBatch): all or nothing, one
   * result per mail in order. Without it, `ingest` runs per mail.
   */
  ingestBatch?: (mails: readonly FetchedMail[]) => Promise<IngestResult[]>;
  folder?: string;
  now?: () => number;
  /** At most this many mails per commit (a FETCH command asks for five times as many UIDs). Default 200. */
  batchSize?: number;
  /** Larger messages are fetched only up to this size and quarantined. Default: mime.ts's limit. */
  maxMessageBytes?: number;
  /** IDLE is broken and re-issued after this long (servers drop IDLE after 30 minutes). Default 25 min. */
  maxIdleTimeMs?: number;
  /** How long the connection stays quiet before IDLE starts again after a command. Default 1 s. */
  autoIdleDelayMs?: number;
  /** Passed to ImapFlow last (tests: TLS options, timeouts). */
  clientOptions?: Partial<ImapFlowOptions>;
  onProgress?: (progress: SyncProgress) => void;
  onIngested?: (result: IngestResult, mail: FetchedMail) => void;
  /** Flags changed or mails vanished on the server. */
  onChanged?: (change: { kind: 'flags' | 'vanished'; count: number }) => void;
  onResync?: (report: ResyncReport) => void;
  log?: (line: string) => void;
}

/** imapflow marks a SELECT that used QRESYNC; the flag is not in its public type. */
type SelectedMailbox = MailboxObject & { qresync?: boolean };

export class ImapSync {
  readonly client: ImapFlow;
  /** Resolves when the connection is gone, with the error that ended it (null: closed on purpose). */
  readonly closed: Promise<Error | null>;
  private resolveClosed!: (error: Error | null) => void;
  private lastError: Error | null = null;
  private closing = false;
  private isClosed = false;

  private readonly folder: string;
  private readonly now: () => number;
  private chain: Promise<void> = Promise.resolve();
  /** The UIDVALIDITY of the open folder; null until SELECT answered. */
  private uidValidity: number | null = null;
  private uidNext = 1;
  private synced = false;
  private opening = false;
  private readonly openingVanished: number[] = [];
  private readonly openingFlags: FlagsEvent[] = [];
  private readonly vanishedQueue = new Set<number>();
  private reconcileQueued = false;
  private newQueued = false;
  private progressStored = 0;

  constructor(private readonly o: ImapSyncOptions) {
    this.folder = o.folder ?? 'INBOX';
    this.now = o.now ?? Date.now;
    const a = o.account;
    this.client = new ImapFlow({
      host: a.imap.host,
      port: a.imap.port,
      secure: a.imap.tls === 'tls',
      // 'starttls' must upgrade (never send the password in clear); 'none' never tries.
      ...(a.imap.tls === 'starttls' ? { doSTARTTLS: true } : a.imap.tls === 'none' ? { doSTARTTLS: false } : {}),
      auth: a.auth === 'xoauth2' ? { user: a.username, accessToken: o.credentials.accessToken ?? '' } : { user: a.username, pass: o.credentials.pass ?? '' },
      logger: false,
      clientInfo: { name: 'Omni Desk' },
      // QRESYNC: VANISHED with UIDs instead of sequence numbers, and a SELECT that reports changes.
      qresync: true,
      maxIdleTime: o.maxIdleTimeMs ?? 25 * 60_000,
      autoIdleDelay: o.autoIdleDelayMs ?? 1_000,
      connectionTimeout: 30_000,
      greetingTimeout: 16_000,
      expungeHandler: (event) => this.onExpunge(event),
      ...o.clientOptions,
    });
    this.closed = new Promise((resolve) => (this.resolveClosed = resolve));
    // Always listen: an 'error' without a listener would throw out of the event emitter.
    this.client.on('error', (err: Error) => {
      this.lastError ??= err;
      this.o.log?.(`imap ${a.address}: ${err.message}`);
    });
    this.client.on('close', () => {
      this.isClosed = true;
      this.resolveClosed(this.closing && !this.lastError ? null : (this.lastError ?? connectionLost()));
    });
    this.client.on('exists', (event) => {
      if (event.path === this.folder && event.count > event.prevCount) this.queueFetchNew();
    });
    this.client.on('flags', (event) => this.onFlags(event));
    // A re-SELECT that finds a new UIDVALIDITY invalidates every UID of this session: start over.
    this.client.on('mailboxOpen', (mailbox) => {
      if (mailbox.path === this.folder && this.uidValidity !== null && Number(mailbox.uidValidity) !== this.uidValidity) {
        this.lastError ??= new Error(`The UIDVALIDITY of ${this.folder} changed during the session; resynchronizing.`);
        this.close();
      }
    });
  }

  /** Connects and resyncs; resolves once the folder is in step (IDLE follows). Rejects when either fails. */
  async start(): Promise<void> {
    try {
      await this.client.connect();
    } catch (err) {
      this.lastError ??= err as Error;
      this.close();
      throw err;
    }
    await this.enqueue(() => this.resync());
    await this.enqueue(() => this.pushPending());
    this.synced = true;
    this.idleNow();
  }

  get usable(): boolean {
    return !this.isClosed && this.client.usable;
  }

  /** Ends the session (logout when possible). */
  close(): void {
    if (this.isClosed) return;
    this.closing = true;
    this.client.close();
  }

  async logout(): Promise<void> {
    if (this.isClosed) return;
    this.closing = true;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.client.logout().catch(() => undefined), new Promise((r) => (timer = setTimeout(r, 2_000)))]);
    clearTimeout(timer);
    this.client.close();
  }

  /** Pushes the changes queued in the store (flags, archive moves) to the server now. */
  pushPendingChanges(): Promise<void> {
    return this.enqueue(() => this.pushPending());
  }

  /** Runs after everything queued so far: what tests and the supervisor wait on. */
  settled(): Promise<void> {
    return this.chain;
  }

  // ---------------------------------------------------------------- the work queue

  /** One IMAP task at a time, in order; a failing task ends the session (the supervisor reconnects). */
  private enqueue(task: () => Promise<void>): Promise<void> {
    const run = this.chain.then(() => (this.isClosed ? Promise.reject(this.lastError ?? connectionLost()) : task()));
    this.chain = run.catch((err: Error) => {
      this.lastError ??= err;
      this.close();
    });
    return run;
  }

  private idleNow(): void {
    if (this.isClosed) return;
    // Without waiting for auto-IDLE: a mail delivered right after the sync is seen at once.
    this.client.idle({ whenFree: true }).catch(() => undefined);
  }

  private queueFetchNew(): void {
    // One pass picks up every UID from UIDNEXT on, however many EXISTS came in meanwhile.
    if (this.newQueued) return;
    this.newQueued = true;
    void this.enqueue(async () => {
      this.newQueued = false;
      await this.fetchNew();
    })
      .then(() => {
        if (this.synced) this.idleNow();
      })
      .catch(() => undefined);
  }

  private onExpunge(event: ExpungeEvent): void {
    if (event.path !== this.folder) return;
    if (event.uid === undefined) {
      // A plain EXPUNGE (server without QRESYNC) names a sequence number: compare UID lists instead.
      if (!this.reconcileQueued) {
        this.reconcileQueued = true;
        void this.enqueue(async () => {
          this.reconcileQueued = false;
          await this.reconcileExpunges();
        }).catch(() => undefined);
      }
      return;
    }
    if (this.opening) {
      this.openingVanished.push(event.uid);
      return;
    }
    const first = this.vanishedQueue.size === 0;
    this.vanishedQueue.add(event.uid);
    if (first) {
      void this.enqueue(async () => {
        this.flushVanished();
      }).catch(() => undefined);
    }
  }

  private flushVanished(): number {
    if (this.uidValidity === null || this.vanishedQueue.size === 0) return 0;
    const uids = [...this.vanishedQueue];
    this.vanishedQueue.clear();
    const n = this.o.store.markVanished(this.o.account.id, this.folder, this.uidValidity, uids, this.now());
    if (n > 0) this.o.onChanged?.({ kind: 'vanished', count: n });
    return n;
  }

  private onFlags(event: FlagsEvent): void {
    if (event.path !== this.folder || event.uid === undefined) return;
    if (this.opening || this.uidValidity === null) {
      this.openingFlags.push(event);
      return;
    }
    if (this.o.store.updateFlags(this.o.account.id, this.folder, this.uidValidity, event.uid, [...event.flags], event.modseq ?? null)) {
      this.o.onChanged?.({ kind: 'flags', count: 1 });
    }
  }

  // ---------------------------------------------------------------- resync

  private async resync(): Promise<void> {
    const { store, account } = this.o;
    const stored = store.folderState(account.id, this.folder);
    const canQresync = stored !== null && stored.uidValidity !== null && stored.highestModseq !== null && stored.lastSyncedAt !== null;
    this.opening = true;
    let lock;
    try {
      lock = await this.client.getMailboxLock(this.folder, canQresync ? { uidValidity: BigInt(stored.uidValidity!), changedSince: stored.highestModseq! } : {});
    } finally {
      this.opening = false;
    }
    try {
      const mailbox = this.client.mailbox as SelectedMailbox;
      const uidValidity = Number(mailbox.uidValidity);
      const openedModseq = mailbox.noModseq ? null : (mailbox.highestModseq ?? null);
      const openedUidNext = mailbox.uidNext;
      const vanishedAtOpen = this.openingVanished.splice(0);
      const flagsAtOpen = this.openingFlags.splice(0);
      const report: ResyncReport = { mode: 'initial', uidValidity, fetched: 0, vanished: 0, rebound: 0 };

      if (stored && stored.uidValidity === uidValidity && stored.lastSyncedAt !== null) {
        this.uidValidity = uidValidity;
        const usedQresync = canQresync && mailbox.qresync === true;
        if (usedQresync) {
          // VANISHED (EARLIER) and the changed flags came with the SELECT.
          report.mode = 'qresync';
          for (const uid of vanishedAtOpen) this.vanishedQueue.add(uid);
          report.vanished = this.flushVanished();
          for (const event of flagsAtOpen) this.onFlags(event);
        } else {
          report.mode = this.client.enabled.has('CONDSTORE') && stored.highestModseq !== null ? 'condstore' : 'uid-list';
          report.vanished = await this.reconcileExpunges();
          await this.fetchChangedFlags(stored, openedModseq, mailbox.exists);
        }
        this.uidNext = stored.uidNext ?? 1;
        report.fetched = await this.fetchNew();
      } else {
        if (stored && stored.uidValidity !== null && stored.uidValidity !== uidValidity) {
          report.mode = 'uidvalidity';
          report.rebound = await this.rebind(stored.uidValidity, uidValidity);
        } else if (!stored || stored.uidValidity === null) {
          store.saveFolderState(account.id, this.folder, { uidValidity, highestModseq: null, uidNext: null, lastSyncedAt: null });
        } else {
          report.mode = 'resume';
        }
        this.uidValidity = uidValidity;
        report.fetched = await this.initialSync(uidValidity);
        this.uidNext = Math.max(this.uidNext, openedUidNext);
      }
      // Expunges are applied above; only now may the stored position move.
      store.saveFolderState(account.id, this.folder, {
        uidValidity,
        highestModseq: openedModseq,
        uidNext: Math.max(this.uidNext, stored?.uidValidity === uidValidity ? (stored.uidNext ?? 1) : 1),
        lastSyncedAt: this.now(),
      });
      this.o.log?.(`imap ${account.address}: ${this.folder} resync (${report.mode}): ${report.fetched} fetched, ${report.vanished} vanished, ${report.rebound} rebound`);
      this.o.onResync?.(report);
    } finally {
      lock.release();
    }
  }

  /** The SEARCH SINCE date: the sync window, or further back to the oldest stored mail still present. */
  private windowStart(): Date {
    const { store, account } = this.o;
    const windowStart = this.now() - account.syncDays * DAY;
    const oldest = store.oldestPresent(account.id, this.folder);
    const from = oldest === null ? windowStart : Math.min(windowStart, oldest);
    // SINCE compares dates, not instants, in the server's time zone: one day of margin.
    return new Date(Math.floor(from / DAY) * DAY - DAY);
  }

  private async searchUids(query: Parameters<ImapFlow['search']>[0]): Promise<number[]> {
    const result = await this.client.search(query, { uid: true });
    if (!Array.isArray(result)) throw new Error(`The server refused to list the messages of ${this.folder}.`);
    return [...result].sort((a, b) => a - b);
  }

  private async initialSync(uidValidity: number): Promise<number> {
    const { store, account } = this.o;
    const found = await this.searchUids({ since: this.windowStart() });
    const known = store.knownUids(account.id, this.folder, uidValidity);
    const todo = found.filter((uid) => !known.has(uid));
    const total = found.length;
    const already = total - todo.length;
    this.progress('initial', already, total);
    const fetched = await this.fetchAndIngest(todo, (n) => this.progress('initial', already + n, total));
    if (found.length > 0) this.uidNext = Math.max(this.uidNext, found[found.length - 1]! + 1);
    return fetched;
  }

  /**
   * UIDVALIDITY changed: binds stored mails to their new UIDs from the header blocks alone (no
   * bodies): the header hash mime.ts computes, else a Message-ID that names one mail on each side.
   */
  private async rebind(oldUidValidity: number, newUidValidity: number): Promise<number> {
    const { store, account } = this.o;
    const uids = await this.searchUids({ since: this.windowStart() });
    const seen: Array<{ uid: number; headerHash: string; messageId: string | null }> = [];
    const perMessageId = new Map<string, number>();
    for (const batch of chunks(uids, 200)) {
      // Whole sources: the hash covers the body too, so two messages with the same headers stay two.
      for await (const msg of this.client.fetch(batch.join(','), { uid: true, source: true }, { uid: true })) {
        if (!msg.source) continue;
        const end = headerBlockEnd(msg.source).end || msg.source.length;
        const id = readHeaderFields(msg.source, end, ['message-id']).get('message-id')?.[0];
        const messageId = id ? normalizeMessageId(id) || null : null;
        seen.push({ uid: msg.uid, headerHash: headerHashOf(msg.source, end), messageId });
        if (messageId) perMessageId.set(messageId, (perMessageId.get(messageId) ?? 0) + 1);
      }
    }
    const entries = seen.map((e) => ({ uid: e.uid, headerHash: e.headerHash, messageId: e.messageId && perMessageId.get(e.messageId) === 1 ? e.messageId : null }));
    const { rebound, unmatched } = store.rebindUids(account.id, this.folder, newUidValidity, entries, this.now());
    this.o.log?.(`imap ${account.address}: ${this.folder} UIDVALIDITY ${oldUidValidity} → ${newUidValidity}: ${rebound} mails rebound, ${unmatched.length} new`);
    return rebound;
  }

  /** Without QRESYNC: stored UIDs the server no longer lists have vanished. */
  private async reconcileExpunges(): Promise<number> {
    if (this.uidValidity === null) return 0;
    const { store, account } = this.o;
    const onServer = new Set(await this.searchUids({ all: true }));
    const gone = [...store.presentUids(account.id, this.folder, this.uidValidity)].filter((uid) => !onServer.has(uid));
    if (gone.length === 0) return 0;
    const n = store.markVanished(account.id, this.folder, this.uidValidity, gone, this.now());
    if (n > 0) this.o.onChanged?.({ kind: 'vanished', count: n });
    return n;
  }

  /** Without QRESYNC but with CONDSTORE: the flags changed since the stored HIGHESTMODSEQ. */
  private async fetchChangedFlags(stored: FolderState, openedModseq: bigint | null, exists: number): Promise<void> {
    if (this.uidValidity === null || exists === 0 || stored.highestModseq === null || openedModseq === null || openedModseq <= stored.highestModseq) return;
    if (!this.client.enabled.has('CONDSTORE')) return;
    let n = 0;
    for await (const msg of this.client.fetch('1:*', { uid: true, flags: true }, { uid: true, changedSince: stored.highestModseq })) {
      if (msg.flags && this.o.store.updateFlags(this.o.account.id, this.folder, this.uidValidity, msg.uid, [...msg.flags], msg.modseq ?? null)) n++;
    }
    if (n > 0) this.o.onChanged?.({ kind: 'flags', count: n });
  }

  /** Everything from the last known UIDNEXT on that is not stored yet. */
  private async fetchNew(): Promise<number> {
    if (this.uidValidity === null) return 0;
    const { store, account } = this.o;
    const from = Math.max(1, this.uidNext);
    // `from:*` always names at least the last message, even when it is below `from`.
    const uids = (await this.searchUids({ uid: `${from}:*` })).filter((uid) => uid >= from);
    if (uids.length === 0) return 0;
    const known = store.knownUids(account.id, this.folder, this.uidValidity);
    const todo = uids.filter((uid) => !known.has(uid));
    let fetched = 0;
    if (todo.length > 0) {
      this.progress('new', 0, todo.length);
      fetched = await this.fetchAndIngest(todo, (n) => this.progress('new', n, todo.length));
    }
    this.uidNext = Math.max(this.uidNext, uids[uids.length - 1]! + 1);
    const state = store.folderState(account.id, this.folder);
    if (state && state.uidValidity === this.uidValidity) store.saveFolderState(account.id, this.folder, { ...state, uidNext: Math.max(state.uidNext ?? 1, this.uidNext) });
    return fetched;
  }

  private progress(phase: SyncProgress['phase'], done: number, total: number): void {
    // Stored at the start, every batch and at the end: each write is a commit, and so is each mail.
    const step = this.o.batchSize ?? DEFAULT_BATCH_SIZE;
    if (phase === 'initial' && (done === 0 || done === total || done - this.progressStored >= step || done < this.progressStored)) {
      this.o.store.setAccountProgress(this.o.account.id, done, total, this.now());
      this.progressStored = done;
    }
    this.o.onProgress?.({ phase, done, total });
  }

  /**
   * Fetches by UID in batches, oldest first. Each batch is parsed, then committed in one transaction
   * (ingestBatch); while one is committed, the next ones are parsed and fetched (with ingestBatch, up
   * to INGEST_DEPTH batches are in ingest, committed in UID order; without it, one). Nothing is
   * acknowledged to the server, so a batch lost before its commit is simply fetched again; the
   * stored position moves only after the commits (the callers save it once this returns).
   */
  private async fetchAndIngest(uids: readonly number[], onEach: (done: number) => void): Promise<number> {
    if (this.uidValidity === null || uids.length === 0) return 0;
    const uidValidity = this.uidValidity;
    const max = this.o.maxMessageBytes ?? DEFAULT_MIME_LIMITS.maxMessageBytes;
    const size = Math.max(1, this.o.batchSize ?? DEFAULT_BATCH_SIZE);
    const query = { uid: true, flags: true, internalDate: true, size: true, source: { maxLength: max + 1 } } as const;

    // The producer reads FETCH responses into batches; the consumer (below) parses and commits them.
    const ready: FetchedMail[][] = [];
    let producerDone = false;
    let producerError: unknown = null;
    let stop = false;
    let wakeConsumer: (() => void) | null = null;
    let wakeProducer: (() => void) | null = null;
    const signal = (which: 'consumer' | 'producer') => {
      const wake = which === 'consumer' ? wakeConsumer : wakeProducer;
      if (which === 'consumer') wakeConsumer = null;
      else wakeProducer = null;
      wake?.();
    };
    const producer = (async () => {
      let current: FetchedMail[] = [];
      let bytes = 0;
      const hand = async (wait: boolean) => {
        if (current.length === 0) return;
        ready.push(current);
        current = [];
        bytes = 0;
        signal('consumer');
        // Backpressure: the FETCH stream pauses while a whole batch is already waiting.
        while (wait && ready.length > 0 && !stop) await new Promise<void>((resolve) => (wakeProducer = resolve));
      };
      try {
        for (const range of chunks(uids, size * BATCHES_PER_FETCH)) {
          if (stop) break;
          for await (const msg of this.client.fetch(compactUidSet(range), query, { uid: true })) {
            if (stop) break;
            if (!msg.source) continue;
            const mail = toFetchedMail(msg, this.o.account.id, this.folder, uidValidity, max);
            current.push(mail);
            bytes += mail.source.length;
            if (current.length >= size || bytes >= MAX_BATCH_BYTES) await hand(true);
          }
        }
        await hand(false);
      } catch (err) {
        // The mails fetched whole before the failure are still worth committing.
        producerError = err;
        await hand(false);
      } finally {
        producerDone = true;
        signal('consumer');
      }
    })();

    // Batches handed to ingest and not yet reported, oldest first: the next ones are parsed while the
    // first is stored (ingest records them in this order; see ingestFetchedBatch).
    const inFlight: Array<{ batch: FetchedMail[]; results: Promise<IngestResult[]>; settled: boolean }> = [];
    // Mail by mail (no ingestBatch), each mail commits on its own: one batch at a time keeps UID order.
    const depth = this.o.ingestBatch ? INGEST_DEPTH : 1;
    let done = 0;
    try {
      for (;;) {
        while (inFlight.length < depth && ready.length > 0) {
          const batch = ready.shift()!;
          signal('producer');
          const entry = { batch, results: this.ingestBatch(batch), settled: false };
          entry.results.then(
            () => (entry.settled = true),
            () => (entry.settled = true),
          );
          inFlight.push(entry);
        }
        const head = inFlight[0];
        if (!head) {
          if (producerDone) break;
          await new Promise<void>((resolve) => (wakeConsumer = resolve));
          continue;
        }
        if (!head.settled && inFlight.length < depth && !producerDone) {
          // Room for another batch: take the next fetched one as soon as it is there.
          const arrived = new Promise<void>((resolve) => (wakeConsumer = resolve));
          await Promise.race([head.results.then(noop, noop), arrived]);
          wakeConsumer = null;
          if (!head.settled) continue;
        }
        inFlight.shift();
        const results = await head.results;
        for (let i = 0; i < head.batch.length; i++) {
          this.o.onIngested?.(results[i]!, head.batch[i]!);
          onEach(++done);
        }
      }
    } catch (err) {
      // The session ends on this error (closing the connection ends any FETCH still running). The
      // batches behind the failed one fail with it (nothing is stored out of order); wait for them,
      // so nothing of this session is still running when the next one starts.
      stop = true;
      signal('producer');
      await Promise.allSettled(inFlight.map((e) => e.results));
      throw err;
    }
    await producer;
    if (producerError !== null) throw producerError;
    return done;
  }

  /** One batch, parsed and committed together (or one mail at a time without `ingestBatch`). */
  private async ingestBatch(batch: readonly FetchedMail[]): Promise<IngestResult[]> {
    const { ingest, ingestBatch } = this.o;
    const uids = batch.length === 1 ? `UID ${batch[0]!.uid}` : `UIDs ${batch[0]!.uid}–${batch[batch.length - 1]!.uid}`;
    try {
      if (ingestBatch) {
        const results = await ingestBatch(batch);
        if (results.length !== batch.length) throw new Error(`${results.length} results for ${batch.length} messages`);
        return results;
      }
      const results: IngestResult[] = [];
      for (const mail of batch) results.push(await ingest(mail));
      return results;
    } catch (err) {
      // Nothing of the failed batch was committed; the next session fetches it again.
      throw Object.assign(new Error(`A message (${uids}) could not be stored: ${(err as Error).message}`), { code: 'mail/store', cause: err });
    }
  }

  // ---------------------------------------------------------------- changes made on the desktop

  /** Pushes queued flag changes and moves of mails in this folder at this UIDVALIDITY. */
  private async pushPending(): Promise<void> {
    if (this.uidValidity === null) return;
    const { store, account } = this.o;
    const pending = store.pendingChanges(account.id);
    if (pending.length === 0) return;
    const lock = await this.client.getMailboxLock(this.folder);
    try {
      for (const change of pending) {
        if (change.vanished || change.folder !== this.folder || change.uidValidity !== this.uidValidity) {
          store.dropPending(change.mailMessageId);
          continue;
        }
        if (change.flagChange) await this.pushFlags(change, change.flagChange);
        if (change.moveTo) await this.pushMove(change, change.moveTo);
      }
    } finally {
      lock.release();
    }
  }

  private async pushFlags(at: MailLocation, change: { add: string[]; remove: string[] }): Promise<void> {
    if (change.add.length > 0) await this.client.messageFlagsAdd(String(at.uid), change.add, { uid: true });
    if (change.remove.length > 0) await this.client.messageFlagsRemove(String(at.uid), change.remove, { uid: true });
    const flags = new Set(at.flags);
    for (const f of change.add) flags.add(f);
    for (const f of change.remove) flags.delete(f);
    this.o.store.flagsPushed(at.mailMessageId, [...flags]);
  }

  /** A MOVE the server answered with NO is `false`; a lost connection still throws (and is retried). */
  private async tryMove(uid: number, destination: string): Promise<CopyResponseObject | false> {
    try {
      return await this.client.messageMove(String(uid), destination, { uid: true });
    } catch (err) {
      if ((err as { responseStatus?: string }).responseStatus === 'NO' || (err as { mailboxMissing?: boolean }).mailboxMissing) return false;
      throw err;
    }
  }

  private async pushMove(at: MailLocation, destination: string): Promise<void> {
    let result = await this.tryMove(at.uid, destination);
    if (result === false) {
      // Most often the folder does not exist yet ([TRYCREATE]): create it once and try again.
      await this.client.mailboxCreate(destination).catch(() => undefined);
      result = await this.tryMove(at.uid, destination);
    }
    if (result === false) {
      // Refused for good (no such folder, no right to create it): drop it rather than retry forever.
      this.o.log?.(`imap ${this.o.account.address}: the server refused to move UID ${at.uid} to ${destination}; the mail stays in ${this.folder}.`);
      this.o.store.dropPending(at.mailMessageId);
      return;
    }
    const newUid = result.uidMap?.get(at.uid);
    const to = newUid !== undefined && result.uidValidity !== undefined ? { folder: destination, uidValidity: Number(result.uidValidity), uid: newUid } : null;
    this.o.store.movePushed(at.mailMessageId, to, this.now());
  }
}

function toFetchedMail(msg: FetchMessageObject, accountId: number, folder: string, uidValidity: number, max: number): FetchedMail {
  const source = msg.source!;
  const internalDate = msg.internalDate ? new Date(msg.internalDate).getTime() : null;
  return {
    accountId,
    folder,
    uidValidity,
    uid: msg.uid,
    flags: msg.flags ? [...msg.flags].sort() : [],
    modseq: msg.modseq ?? null,
    internalDate: internalDate !== null && Number.isFinite(internalDate) ? internalDate : null,
    size: msg.size ?? source.length,
    source: source.length > max ? source.subarray(0, max) : source,
    truncated: source.length > max || (msg.size !== undefined && msg.size > max),
  };
}

/** `1:5,8,10:12` for sorted UIDs: a command line stays short however many UIDs it names. */
function compactUidSet(uids: readonly number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < uids.length; ) {
    let j = i;
    while (j + 1 < uids.length && uids[j + 1] === uids[j]! + 1) j++;
    parts.push(j === i ? String(uids[i]) : `${uids[i]}:${uids[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}

function* chunks<T>(items: readonly T[], size: number): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}

function noop(): void {}

function connectionLost(): Error {
  return Object.assign(new Error('The connection to the mail server was closed.'), { code: 'EConnectionClosed' });
}
