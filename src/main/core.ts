// The composition root: builds the service graph once (store, repository, demo seeding, the
// contract's handlers, the event bus). Electron and the headless mode only choose the transport.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { caseInsights } from '../shared/caseInsights';
import { BUILT_IN_SLA, type SlaSettings } from '../shared/slaSettings';
import { sortQueue } from '../shared/queueOrder';
import { filterView } from '../shared/queueViews';
import { checkEvent, createDispatcher, type Dispatch, type Handlers } from '../shared/rpc';
import { QUARANTINE_LIST_LIMIT, type EmailContent, type EventName, type EventPayload, type MailAccountView } from '../shared/contract';
import type { Agent, DeliveryStatus } from '../shared/domain';
import { AppError } from '../shared/errors';
import { dataFileOf, type Config } from './config';
import { openDatabase, type Db } from './store/database';
import { Repository } from './store/repository';
import { MailStore, type MailAccount } from './store/mailStore';
import { seedDemoCenter } from './demo/seed';
import { ImapSupervisor, type SupervisorOptions } from './email/imapSupervisor';
import { OutboxStore, type OutboxRow } from './store/outboxStore';
import { createHubService, type HubConnection, type HubService } from './hub/hubService';
import { createComposerService } from './composer/composerService';
import { createKbService } from './kb/kbService';
import { createCaseActionsService } from './caseActions/caseActionsService';
import { createCsatService } from './csat/csatService';
import { createSupervisorService } from './supervisor/supervisorService';
import { createSlaClocks } from './channelConfig/slaClocks';
import { createChannelConfigService } from './channelConfig/channelConfigService';
import { createHandoffService } from './handoff/handoffService';
import { channelCalendar, costsWithMatrix, type ChannelMatrixVersion } from '../shared/channelConfig';
import { createConsoleService } from './supervisor/consoleService';
import type { SupervisorSnapshot } from '../shared/hub/agentProtocol';
import { createMasker } from './privacy/masker';
import { createPrivacyService } from './privacy/privacyService';
import { createDesktopService, type DesktopHook } from './desktop/desktopService';
import { maskText } from '../shared/privacy/masking';
import { configuredRestrictions, detectorsFor, notSearchableNote } from '../shared/privacy/settings';
import type { ContentSealer } from './privacy/contentSealer';
import { loadContentKey, startRestriction, type RestrictionStepOptions } from './privacy/restrictedContent';
import type { HubSwitcher } from './hub/hubSwitcher';
import { createOutboxWorker, type OutboxWorker, type OutboxWorkerOptions } from './email/outboxWorker';
import { createSentFolder, createSmtpSender } from './email/smtpSender';
import { autoReplyConfigFrom, autoReplyRequestFor, createAutoResponder } from './email/autoResponder';
import { parseEmail, type ParsedEmail } from './email/mime';
import type { ImapCredentials } from './email/imapSync';
import { defaultSecretStore, mailSecretRef, type SecretStore } from './secrets';
import type { AttachmentFile } from './attachmentFiles';
import { AttachmentStore } from './email/attachmentStore';
import { createVoiceService } from './voice/voiceService';
import { say, type Said } from '../shared/serverErrors';

export const APP_NAME = 'Omni Desk';
export const APP_VERSION = '0.1.0';

export type EventListener = (name: EventName, payload: unknown) => void;

export interface Core {
  readonly config: Config;
  readonly dataFile: string;
  readonly repo: Repository;
  readonly dispatch: Dispatch;
  /** Subscribes a transport to every event; returns the unsubscribe. */
  subscribe(listener: EventListener): () => void;
  emit<K extends EventName>(name: K, payload: EventPayload<K>): void;
  /** The email side of the store (accounts, fetched mail). */
  readonly mail: MailStore;
  /** The running IMAP supervisor of each mail account, by account id. */
  readonly supervisors: ReadonlyMap<number, ImapSupervisor>;
  /** The durable outbox (replies and auto-replies waiting to go, their delivery state). */
  readonly outbox: OutboxStore;
  /** Sends the outbox over each account's SMTP server; runs while mail is on and a mail account exists. */
  readonly outboxWorker: OutboxWorker;
  /** A stored attachment by its SHA-256, only when a fetched mail names it (for /attachments/<sha256>). */
  attachment(sha256: string): AttachmentFile | null;
  /** The desktop's side of the hub: its client, the hub channels' outbox worker, offers and presence. */
  readonly hub: HubService;
  /** Stops the mail supervisors and the hub client (their connections close), then the store. */
  close(): Promise<void>;
}

export interface CoreOptions {
  mode: 'electron' | 'headless';
  now?: () => number;
  log?: (line: string) => void;
  /** better-sqlite3 built for this runtime, when it is not the one in node_modules (Electron). */
  sqliteBinding?: string;
  /** Where mailbox passwords and tokens live. Default: OMNI_MAIL_PASSWORD_<ID>, else an encrypted file in the data dir. */
  secrets?: SecretStore;
  /** Mail supervisor tuning (tests: short backoff, IDLE timing); `false` starts no supervisors. */
  mail?: false | Pick<SupervisorOptions, 'backoff' | 'session'>;
  /** Outbox worker tuning (tests: short backoff and poll). */
  outbox?: Pick<OutboxWorkerOptions, 'backoff' | 'pollMs' | 'random'>;
  /** The hub: the entry point's switcher (built-in or team hub, changeable in the settings), or a fixed connection; absent: none. */
  hub?: HubSwitcher | HubConnection | null;
  /** The desktop app's PDF of the printable report (Electron's printToPDF); the headless mode has none. */
  printReportPdf?: (title: string) => Promise<string>;
  /** The key restricted channels are sealed with (from the secret store: openCore loads it); needed when a channel is restricted. */
  contentKey?: Buffer | null;
  /** The desktop shell's side (update flow, viewed case, link region); absent: the headless answers. */
  desktop?: DesktopHook | null;
  /** Tests: a hook after each batch of the start-up re-encryption. */
  restriction?: Pick<RestrictionStepOptions, 'afterBatch' | 'batchSize'>;
}

const SESSION_AGENT_KEY = 'session.agentId';

/** The desktop's own user: the one remembered, else the demo center's admin, else a new local agent. */
function resolveLocalAgent(repo: Repository, config: Config, now: number): Agent {
  const remembered = repo.getSetting<number>(SESSION_AGENT_KEY);
  if (remembered) return repo.agentById(remembered);
  let id = repo.firstAgentWithRole('admin');
  if (id === null) {
    const name = config.agent.name ?? (os.userInfo().username || 'Agent');
    id = repo.insertAgent({
      name,
      email: config.agent.email ?? `${name.toLowerCase().replace(/[^a-z0-9]+/g, '.')}@localhost`,
      role: 'admin',
      tier: 3,
      seniority: 'senior',
      skills: {},
      channels: {},
      languages: ['en'],
      capacity: {},
      presence: 'available',
      createdAt: now,
    });
  }
  repo.setSetting(SESSION_AGENT_KEY, id);
  return repo.agentById(id);
}

/** The account as the workspace may see it: no secret, no secret reference. */
function accountView(account: MailAccount, hasSecret: boolean, connected: boolean, archiveProblem: Said | null): MailAccountView {
  return {
    id: account.id,
    name: account.name,
    address: account.address,
    imap: account.imap,
    smtp: account.smtp,
    username: account.username,
    auth: account.auth,
    syncDays: account.syncDays,
    sentCopy: account.sentCopy,
    archiveOnResolve: account.archiveOnResolve,
    archiveFolder: account.archiveFolder,
    archiveProblem: archiveProblem?.message ?? null,
    archiveProblemText: archiveProblem ? { key: archiveProblem.key, params: { ...archiveProblem.params } } : null,
    status: account.status,
    statusDetail: account.statusDetail,
    statusText: account.statusText,
    progress: account.progress,
    connected,
    lastConnectedAt: account.lastConnectedAt,
    hasSecret,
  };
}

const SHA256_HEX = /^[0-9a-f]{64}$/;
/** Mail older than this when it is fetched is history (an initial sync), not a new conversation to offer. */
const ANNOUNCE_WITHIN_MS = 24 * 3_600_000;

export function createCore(config: Config, options: CoreOptions): Core {
  const now = options.now ?? Date.now;
  const log = options.log ?? ((line: string) => console.log(line));
  const dataFile = dataFileOf(config);
  const db: Db = openDatabase(dataFile, options.sqliteBinding ? { nativeBinding: options.sqliteBinding } : {});
  const repo = new Repository(db);
  // Restricted channels: sealed at rest under the secret store's key (privacy/restrictedContent.ts).
  const restricted = configuredRestrictions(config.privacy.channels);
  let sealer: ContentSealer | null;
  try {
    sealer = startRestriction(db, restricted.map((r) => r.channel), options.contentKey ?? null, path.join(config.dataDir, 'attachments'), { log, ...options.restriction });
  } catch (e) {
    db.close();
    throw e;
  }

  if (config.demo.seedOnFirstRun && repo.getSetting('demo.seededAt') === undefined && repo.counts().customers === 0) {
    const started = Date.now();
    log(`Seeding the demo center into ${dataFile} (first run; --no-demo turns this off)…`);
    const stats = seedDemoCenter(repo, { seed: config.demo.seed, now: now(), customers: config.demo.customers, conversations: config.demo.conversations, events: config.demo.events });
    repo.setSetting('demo.seededAt', now());
    log(`Demo center ready: ${stats.customers} customers, ${stats.cases} conversations, ${stats.events} events in ${Date.now() - started} ms.`);
  }
  const agent = resolveLocalAgent(repo, config, now());

  const listeners = new Set<EventListener>();
  // Card numbers, national ids and passwords leave the store masked (timeline, search, queue, events).
  const masker = createMasker(repo, restricted);
  const emit = <K extends EventName>(name: K, payload: EventPayload<K>) => {
    const checked = checkEvent(name, masker.payload(name, payload));
    for (const listener of listeners) listener(name, checked);
  };

  // ---------------------------------------------------------------- mail
  const mail = new MailStore(db, repo);
  const secrets = options.secrets ?? defaultSecretStore(config.dataDir);
  const attachmentDir = path.join(config.dataDir, 'attachments');
  // Files the agent attaches to replies share the store with fetched mail's (content-addressed).
  const attachmentStore = new AttachmentStore(attachmentDir);
  const supervisors = new Map<number, ImapSupervisor>();
  /** Which accounts have a secret, remembered so status events need not ask the keychain each time. */
  const secretKnown = new Map<number, boolean>();
  let closing = false;

  const refOf = (account: Pick<MailAccount, 'id' | 'secretRef'>) => account.secretRef ?? mailSecretRef(account.id);
  const viewOf = (account: MailAccount) => {
    const supervisor = supervisors.get(account.id);
    return accountView(account, secretKnown.get(account.id) ?? false, supervisor?.connected ?? false, supervisor?.archiveProblem ?? null);
  };
  const accountChanged = (accountId: number) => {
    if (closing) return;
    const account = mail.getAccount(accountId);
    emit('mailAccountChanged', { accountId, account: account ? viewOf(account) : null });
  };
  const readSecret = async (account: MailAccount): Promise<string | null> => {
    try {
      const secret = await secrets.get(refOf(account));
      secretKnown.set(account.id, secret !== null);
      return secret;
    } catch (e) {
      // A secret store that cannot be read shows on the account as "no credentials" with the reason logged.
      log(`The secret of mail account ${account.id} could not be read: ${(e as Error).message}`);
      secretKnown.set(account.id, false);
      return null;
    }
  };

  const credentialsOf = async (account: MailAccount): Promise<ImapCredentials | null> => {
    const secret = await readSecret(account);
    if (secret === null) return null;
    return account.auth === 'xoauth2' ? { accessToken: secret } : { pass: secret };
  };

  // ---------------------------------------------------------------- outbox
  const outbox = new OutboxStore(db);
  const transportDeps = { account: (id: number) => mail.getAccount(id), credentials: credentialsOf };
  const smtp = createSmtpSender(transportDeps);
  const sentFolder = createSentFolder(transportDeps);
  const deliveryChanged = (eventId: number, status: DeliveryStatus, row: OutboxRow) => {
    if (closing) return;
    // The row passed is as it was claimed; the stored one has the reason just written.
    const current = outbox.get(row.id);
    const reason = status === 'queued' || status === 'failed';
    const detail = reason ? (current?.lastError ?? null) : null;
    emit('deliveryChanged', { eventId, caseId: row.caseId, status, detail, detailText: reason ? (current?.lastErrorText ?? null) : null });
    if (status === 'delivered' && row.caseId !== null && row.payload.autoReply !== true) {
      // The customer's mails on the case get \Answered on the server (each supervisor keeps to its own account).
      for (const supervisor of supervisors.values()) {
        try {
          supervisor.markAnswered(row.caseId);
        } catch (e) {
          log(`Could not mark case ${row.caseId} as answered: ${(e as Error).message}`);
        }
      }
    }
  };
  const worker = createOutboxWorker({
    store: outbox,
    send: smtp.send,
    describeError: smtp.describe,
    appendToSent: sentFolder.append,
    findInSent: sentFolder.find,
    readAttachment: (sha256) => attachmentStore.read(sha256, { verify: true }),
    now,
    log,
    ...options.outbox,
    onChange: deliveryChanged,
  });
  let workerRunning = false;
  /**
   * The worker runs while mail is on and some mail account exists: without one, a reply has no
   * server to go to and waits in the queue (instead of failing) until a mailbox is set up.
   */
  const syncWorker = async () => {
    const wanted = options.mail !== false && !closing && mail.accounts().length > 0;
    if (wanted && !workerRunning) {
      workerRunning = true;
      worker.start();
    } else if (!wanted && workerRunning) {
      workerRunning = false;
      await worker.stop();
    }
  };
  const kickWorker = () => {
    if (workerRunning && !closing) worker.kick();
  };
  // ---------------------------------------------------------------- hub
  let onChannelConfig: (current: ChannelMatrixVersion) => void = () => undefined;
  // The live console is built after the role is known; the hub's team snapshots reach it through this.
  let supervisorUpdate: (snapshot: SupervisorSnapshot | null) => void = () => undefined;
  let sla: () => SlaSettings = () => BUILT_IN_SLA;
  const hub = createHubService({ db, repo, outbox, localAgentId: agent.id, connection: options.hub ?? null, emit, now, log, onChannelConfig: (c) => onChannelConfig(c), sla: () => sla(), readAttachment: (sha256) => attachmentStore.read(sha256, { verify: true }), onSupervisorUpdate: (s) => supervisorUpdate(s), escalationHistory: (caseId) => handoff.escalationHistory(caseId) });
  const privacy = createPrivacyService({ db, repo, emit, now, localAgentId: agent.id, masker, log, hub: { conversationsOf: hub.hubConversationsOf, erase: hub.eraseOnHub } });
  /**
   * After a case is resolved (the button or a macro): the hub closes its conversation, and the
   * customer's mails leave the inbox (each supervisor keeps to its own account). A failure shows on
   * the account or in the log and never undoes the resolve.
   */
  const csat = createCsatService({ db, repo, outbox, settings: config.csat, surveyLink: (caseId) => hub.surveyLink(caseId), now, log, queued: (event) => (emit('timelineAppended', { event }), kickWorker()) });
  const afterResolve = (caseId: number) => {
    // Then the satisfaction survey (email here; SMS and social by the hub), once per resolution.
    void hub
      .resolveCase(caseId)
      .catch((e: unknown) => log(`The hub was not told that case ${caseId} is resolved: ${(e as Error).message}`))
      .then(() => (closing ? null : csat.afterResolve(caseId)))
      .catch((e: unknown) => log(`The survey of case ${caseId} was not sent: ${(e as Error).message}`));
    for (const supervisor of supervisors.values()) {
      try {
        supervisor.archiveCase(caseId);
      } catch (e) {
        log(`Could not archive the mails of case ${caseId}: ${(e as Error).message}`);
      }
    }
  };
  const composer = createComposerService({ db, repo, emit, now, agent, senderDomain: (caseId) => outbox.senderDomain(caseId), afterReply: () => (kickWorker(), hub.kick()), seedMacros: repo.getSetting('demo.seededAt') !== undefined, onResolved: afterResolve, attachments: attachmentStore, mentionCandidates: hub.mentionCandidates, isTeamAgent: hub.isTeamAgent, afterNote: (note) => void hub.shareNote(note), handoff: (caseId, channel) => handoff.forReply(caseId, channel) });
  const kb = createKbService({ db, repo, now, agentId: agent.id, kbDir: path.join(process.cwd(), 'kb'), hubUrl: () => hub.status().hubUrl, log });
  const desktop = createDesktopService({ repo, hook: options.desktop ?? null });
  const caseActions = createCaseActionsService({ db, repo, emit, now, agent, onResolved: afterResolve, onReopened: (caseId) => void hub.reopenCase(caseId) });
  // On a team hub the hub's account decides what this desktop may see; else the desktop's own user.
  const role = () => (hub.connection && !hub.connection.embedded ? (hub.status().agent?.role ?? null) : agent.role);
  // Each version applied moves the SLA clocks; back on a hub whose version was kept (a switch), nothing new
  // was announced, yet the clocks moved: the open conversation's header is told to read them again.
  const afterApply = (current: ChannelMatrixVersion, announced: boolean) => {
    if (slaClocks.recount() && !announced) emit('channelConfigChanged', { current });
  };
  const channelConfig = createChannelConfigService({ db, hub: () => hub, role, emit, now, log, afterApply });
  onChannelConfig = channelConfig.apply;
  // Every SLA deadline follows the channel configuration last applied from the hub (else the built-ins).
  const slaClocks = createSlaClocks({ db, repo, kept: channelConfig.kept, onRecounted: () => emit('queueChanged', { at: now() }), log });
  sla = slaClocks.settings;
  slaClocks.recount();
  // The handoff rules of the matrix the hub pushed: replies on another channel, the call brief, escalations.
  const handoff = createHandoffService({ repo, matrix: channelConfig.current, mask: (text) => maskText(text, detectorsFor(masker.settings(), 'email')).text });
  // The dashboard's costs per contact follow the channel configuration last applied from the hub.
  const dashboardSettings = () => {
    const matrix = channelConfig.applied();
    return matrix ? { ...config.dashboard, costs: costsWithMatrix(config.dashboard.costs, matrix) } : config.dashboard;
  };
  const supervisor = createSupervisorService({ db, settings: dashboardSettings, role, ...(options.printReportPdf ? { printReportPdf: options.printReportPdf } : {}) });
  const liveConsole = createConsoleService({ client: () => hub.client, role, emit });
  supervisorUpdate = liveConsole.update;
  const voice = createVoiceService({ db, repo, hub, settings: config.voice, masker, agent, emit, now, callBrief: handoff.callBrief });

  const autoReplyConfig = autoReplyConfigFrom(config.autoReply);
  // Email's auto-reply (switch, texts, hours, the promised time from the SLA) follows a channel configuration an admin saved.
  const currentAutoReply = () => {
    const matrix = channelConfig.applied();
    if (!matrix) return autoReplyConfig;
    const email = matrix.channels.email;
    return {
      ...autoReplyConfig,
      channels: {
        ...autoReplyConfig.channels,
        email: { enabled: email.autoReply.enabled, responseHours: email.firstResponseSlaSeconds / 3_600, text: email.autoReply.text, closedText: email.autoReply.closedText, hours: channelCalendar(matrix, 'email') },
      },
    };
  };
  const responder = createAutoResponder({ store: outbox, config: currentAutoReply, ourAddresses: () => mail.accounts().map((a) => a.address), now, log });
  type Ingested = Parameters<NonNullable<SupervisorOptions['onIngested']>>;
  /**
   * After a new customer email is stored: the "we've got your request" answer, and the hub is told
   * (one conversation per Message-ID across desktops). Parsed once for both; never breaks the ingest.
   */
  const afterNewEmail = async (result: Ingested[0], fetched: Ingested[1]) => {
    if (result.outcome !== 'stored' || result.caseId === null) return;
    const parsed = await parseEmail(fetched.source);
    if (parsed.kind !== 'parsed' || closing) return;
    announce(parsed, fetched);
    const request = autoReplyRequestFor(result, parsed, fetched.accountId);
    if (!request) return;
    const { row } = responder.handle(request);
    if (!row || closing) return;
    emit('timelineAppended', { event: repo.eventById(row.eventId) });
    kickWorker();
  };

  /**
   * A new customer email is told to the hub, which keeps one conversation per Message-ID across
   * desktops and offers it once. Only fresh mail: the initial sync's history is not offered again.
   */
  const announce = (parsed: ParsedEmail, fetched: Ingested[1]) => {
    if (!options.hub || closing || !parsed.messageId || !parsed.from) return;
    const arrived = fetched.internalDate ?? parsed.date;
    if (now() - arrived > ANNOUNCE_WITHIN_MS) return;
    hub.announceEmail({
      messageId: parsed.messageId,
      from: parsed.from.address,
      fromName: parsed.from.name || null,
      subject: parsed.subject ?? '',
      preview: parsed.text.slice(0, 2000),
      receivedAt: parsed.date,
    });
  };

  const startSupervisor = (accountId: number) => {
    if (options.mail === false || closing || supervisors.has(accountId)) return;
    const supervisor = new ImapSupervisor({
      store: mail,
      accountId,
      credentials: credentialsOf,
      ingest: { now, attachmentDir, sla: () => sla() },
      ...(options.mail ? options.mail : {}),
      log,
      onStatus: (account) => accountChanged(account.id),
      onProgress: () => accountChanged(accountId),
      onIngested: (result, fetched) => {
        if (closing || (result.outcome !== 'stored' && result.outcome !== 'linked')) return;
        try {
          emit('timelineAppended', { event: repo.eventById(result.eventId) });
        } catch (e) {
          log(`A fetched email could not be announced: ${(e as Error).message}`);
        }
        emit('queueChanged', { at: now() });
        afterNewEmail(result, fetched).catch((e: unknown) => log(`The auto-reply or hub announcement of event ${result.eventId} failed: ${(e as Error).message}`));
      },
      onChanged: () => {
        if (!closing) emit('queueChanged', { at: now() });
      },
    });
    supervisors.set(accountId, supervisor);
    supervisor.start();
  };
  const stopSupervisor = async (accountId: number) => {
    const supervisor = supervisors.get(accountId);
    if (!supervisor) return;
    supervisors.delete(accountId);
    await supervisor.stop();
  };

  for (const account of mail.accounts()) {
    void readSecret(account);
    startSupervisor(account.id);
  }
  void syncWorker();

  const attachment = (sha256: string): AttachmentFile | null => {
    if (typeof sha256 !== 'string' || !SHA256_HEX.test(sha256)) return null;
    const row = db
      .prepare(`SELECT content_type AS contentType, filename, path FROM mail_attachments WHERE sha256 = ? AND path IS NOT NULL ORDER BY id LIMIT 1`)
      .get(sha256) as { contentType: string; filename: string | null; path: string } | undefined;
    const file = row ? { path: row.path, contentType: row.contentType, filename: row.filename } : composer.attachmentFile(sha256);
    if (!file || !fs.existsSync(file.path)) return null;
    // A restricted channel's attachment is sealed on disk: opened here, in memory only.
    if (file.path.endsWith('.sealed')) {
      if (!sealer) return null;
      return { ...file, content: sealer.openBytes(fs.readFileSync(file.path)) };
    }
    return file;
  };

  const handlers: Handlers = {
    appInfo: () => ({ name: APP_NAME, version: APP_VERSION, mode: options.mode, dataFile, agent }),
    queueSnapshot: ({ view, channel }) => {
      caseActions.wakeDue();
      const at = now();
      const elsewhere = hub.heldElsewhere();
      let items = filterView(repo.activeQueue(), view, { agentId: agent.id, now: at }).filter((i) => !elsewhere.has(i.caseId));
      if (channel) items = items.filter((i) => i.channel === channel);
      return { items: sortQueue(masker.queueItems(items), at), total: items.length, at };
    },
    customerTimeline: ({ customerId, before, limit }) => masker.timeline(repo.timelineForCustomer(customerId, before, limit)),
    customerProfile: ({ customerId }) => repo.customerProfile(customerId, now()),
    caseInsights: ({ caseId }) => {
      const { policy, calendars } = sla();
      return caseInsights(repo.caseFacts(caseId), now(), policy, calendars);
    },
    search: ({ query, limit }) => ({
      ...masker.search(query, repo.search(query, limit)),
      notSearchable: restricted.map((r) => ({ channel: r.channel, note: notSearchableNote(r.channel) })),
    }),
    sendReply: ({ caseId, channel, body, idempotencyKey }) => {
      // An email reply's Message-ID carries the domain of the support address it goes out from.
      const domain = channel === 'email' ? outbox.senderDomain(caseId) : null;
      const event = repo.appendOutgoingMessage({ caseId, channel, body, agent, idempotencyKey, now: now(), ...(domain !== null ? { messageIdDomain: domain } : {}) });
      emit('timelineAppended', { event });
      emit('queueChanged', { at: now() });
      kickWorker();
      hub.kick();
      return event;
    },
    retryReply: ({ eventId }) => {
      const row = outbox.forEvent(eventId);
      if (!row) throw new AppError('not-found', say('retryMissing', { eventId }));
      if (row.status !== 'failed') {
        throw new AppError('outbox/not-failed', say(row.status === 'delivered' ? 'retryDelivered' : row.status === 'sending' ? 'retrySending' : 'retryQueued'));
      }
      if (!worker.retry(row.id)) throw new AppError('outbox/not-failed', say('retryNotFailed'));
      return repo.eventById(eventId);
    },
    resolveCase: ({ caseId }) => {
      const result = repo.resolveCase({ caseId, agent, now: now() });
      if (result.changed) {
        if (result.event) emit('timelineAppended', { event: result.event });
        emit('queueChanged', { at: now() });
        afterResolve(caseId);
      }
      return { caseId: result.caseId, status: result.status, resolvedAt: result.resolvedAt, changed: result.changed };
    },

    mailAccounts: () => ({ accounts: mail.accounts().map(viewOf) }),
    saveMailAccount: async (input) => {
      const existing = input.id !== undefined ? mail.getAccount(input.id) : null;
      if (input.id !== undefined && !existing) throw new AppError('not-found', say('mailAccountMissing', { accountId: input.id }));
      const settings = {
        name: input.name,
        address: input.address,
        imap: input.imap,
        smtp: input.smtp,
        username: input.username,
        auth: input.auth,
        syncDays: input.syncDays,
        sentCopy: input.sentCopy,
        archiveOnResolve: input.archiveOnResolve,
        archiveFolder: input.archiveFolder,
      };
      let id: number;
      if (existing) {
        // The secret first: when the keychain refuses it, nothing changes.
        if (input.secret !== undefined) await secrets.set(refOf(existing), input.secret);
        id = mail.upsertAccount({ ...settings, id: existing.id, secretRef: refOf(existing) }, now());
      } else {
        id = mail.upsertAccount({ ...settings, secretRef: null }, now());
        const ref = mailSecretRef(id);
        try {
          await secrets.set(ref, input.secret!);
        } catch (e) {
          db.prepare(`DELETE FROM mail_accounts WHERE id = ? AND secret_ref IS NULL`).run(id);
          throw e;
        }
        mail.upsertAccount({ ...settings, id, secretRef: ref }, now());
      }
      if (input.secret !== undefined) secretKnown.set(id, true);
      else await readSecret(mail.getAccount(id)!);
      // Settings or secret changed: a fresh session with them.
      await stopSupervisor(id);
      mail.setAccountStatus(id, 'new', null, now());
      startSupervisor(id);
      accountChanged(id);
      await syncWorker();
      // New settings or a new secret: replies waiting for a retry may go now.
      kickWorker();
      return viewOf(mail.getAccount(id)!);
    },
    deleteMailAccount: async ({ id }) => {
      const account = mail.getAccount(id);
      if (!account) return { deleted: false };
      await stopSupervisor(id);
      try {
        await secrets.delete(refOf(account));
      } catch (e) {
        log(`The secret of mail account ${id} could not be removed: ${(e as Error).message}`);
      }
      db.prepare(`DELETE FROM mail_accounts WHERE id = ?`).run(id);
      secretKnown.delete(id);
      accountChanged(id);
      await syncWorker();
      return { deleted: true };
    },
    quarantinedMail: ({ accountId }) => {
      if (!mail.getAccount(accountId)) throw new AppError('not-found', say('mailAccountMissing', { accountId }));
      const messages = mail.quarantinedMessages(accountId, QUARANTINE_LIST_LIMIT).map((m) => ({
        id: m.mailMessageId,
        folder: m.folder,
        uid: m.uid,
        messageId: m.messageId,
        fromAddress: m.fromAddress,
        size: m.size,
        receivedAt: m.receivedAt,
        reason: m.reason,
        reasonText: m.reasonText,
      }));
      return { total: mail.quarantinedCount(accountId), messages };
    },
    emailContent: ({ eventId }) => {
      const content = mail.emailContent(eventId);
      if (!content) return null;
      // The agent opened this email: \Seen on the server, now or after the next connect (best effort).
      const at = mail.locateEvent(eventId);
      if (at) {
        try {
          supervisors.get(at.accountId)?.markSeen(eventId);
        } catch (e) {
          log(`Could not mark email event ${eventId} as seen: ${(e as Error).message}`);
        }
      }
      // The HTML is masked like the plain text (the replacement has no markup characters, so the markup stays intact).
      const result: EmailContent = {
        html: content.html === null ? null : maskText(content.html, detectorsFor(masker.settings(), 'email')).text,
        attachments: content.attachments.flatMap((a) =>
          a.sha256 && SHA256_HEX.test(a.sha256) ? [{ sha256: a.sha256, filename: a.filename, contentType: a.contentType, size: a.size, inline: a.inline, contentId: a.contentId }] : [],
        ),
        sender: content.sender,
        remoteContentAllowed: content.remoteContentAllowed,
      };
      return result;
    },
    allowRemoteContent: ({ sender }) => {
      mail.allowRemoteContent(sender, now());
      return { sender };
    },
    ...hub.handlers,
    ...composer.handlers,
    ...kb.handlers,
    ...caseActions.handlers,
    ...privacy.handlers,
    ...supervisor.handlers,
    ...liveConsole.handlers,
    ...desktop.handlers,
    ...voice.handlers,
    ...channelConfig.handlers,
    ...handoff.handlers,
  };

  return {
    config,
    dataFile,
    repo,
    dispatch: createDispatcher(handlers),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    emit,
    mail,
    supervisors,
    outbox,
    outboxWorker: worker,
    hub,
    attachment,
    close() {
      if (closing) return Promise.resolve();
      closing = true;
      listeners.clear();
      const running = [...supervisors.values()];
      supervisors.clear();
      const sending = workerRunning;
      workerRunning = false;
      // Without mail or hub connections the store closes at once (callers that do not wait still see it closed).
      if (running.length === 0 && !sending && !options.hub) {
        void hub.close();
        smtp.close();
        db.close();
        return Promise.resolve();
      }
      const stops: Array<Promise<unknown>> = running.map((s) => s.stop().catch((e: unknown) => log(`A mail connection did not close cleanly: ${(e as Error).message}`)));
      // The send in progress finishes (and is recorded) before the store closes.
      if (sending) stops.push(worker.stop().catch((e: unknown) => log(`The outbox did not stop cleanly: ${(e as Error).message}`)));
      stops.push(hub.close().catch((e: unknown) => log(`The hub connection did not close cleanly: ${(e as Error).message}`)));
      return Promise.all(stops).then(() => {
        smtp.close();
        db.close();
      });
    },
  };
}

/**
 * createCore with the key for restricted channels loaded from the secret store first (the entry
 * points use this). The first start with a restricted channel creates the key; a key that is missing
 * while the file holds sealed content is an error that changes nothing (a key made here is removed).
 */
export async function openCore(config: Config, options: CoreOptions): Promise<Core> {
  const secrets = options.secrets ?? defaultSecretStore(config.dataDir);
  const content = await loadContentKey(secrets, configuredRestrictions(config.privacy.channels).length > 0);
  try {
    return createCore(config, { ...options, secrets, contentKey: content.key });
  } catch (e) {
    throw await content.failed(e);
  }
}
