// Turns fetched mail into store records: parse (mime.ts, on parsePool.ts's worker threads), resolve
// the customer by the sender address, thread it (src/shared/cases matchCase), and write customer,
// case, event and mail row in one transaction. Pure decisions live in src/shared; this file only
// gathers their inputs.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Priority } from '../../shared/domain';
import { DEFAULT_THREADING_CONFIG, matchCase, normalizeMessageId, referencedCaseIds, replyReferences, stripReplyPrefixes, type IncomingEvent, type ThreadingConfig } from '../../shared/cases';
import { IdentitySettings, normalizeEmail } from '../../shared/identity';
import { say, type Said } from '../../shared/serverErrors';
import { BUILT_IN_SLA, responseDue, type SlaSettings } from '../../shared/slaSettings';
import { firstContactCustomer } from '../store/repository';
import type { CaseWaiting, MailCaseCandidate, MailStore, MessagePlacement, NewMailAttachment, NewMailMessage, RecordOutcome } from '../store/mailStore';
import { DEFAULT_MIME_LIMITS, headerBlockEnd, headerHashOf, normalizeMessageId as readMessageId, readHeaderFields, type MimeLimits, type ParsedEmail, type ParseEmailResult } from './mime';
import { sharedParsePool, type ParsePool } from './parsePool';
import { sealerOf } from '../privacy/contentSealer';


/** One message as the server handed it over, with where it sits. */
export interface FetchedMail {
  accountId: number;
  folder: string;
  uidValidity: number;
  uid: number;
  flags: string[];
  modseq: bigint | null;
  /** The server's arrival time (INTERNALDATE). */
  internalDate: number | null;
  /** RFC822.SIZE. */
  size: number | null;
  source: Buffer;
  /** The message was larger than the fetch limit: `source` is only its beginning. */
  truncated: boolean;
}

export interface IngestDeps {
  store: MailStore;
  now: () => number;
  /** The support addresses themselves: mail from them is our own, never a customer's. */
  ownAddresses?: readonly string[];
  threading?: ThreadingConfig;
  /** The SLA policy and calendars now (the channel configuration's, else the built-ins). */
  sla?: () => SlaSettings;
  identitySettings?: IdentitySettings;
  mimeLimits?: Partial<MimeLimits>;
  /** Attachment content is written here, named by its SHA-256; null keeps only the metadata. */
  attachmentDir?: string | null;
  /** Where mails are parsed: worker threads shared by every account unless another pool is given. */
  parsePool?: ParsePool;
}

export type IngestResult = RecordOutcome & { reason?: string };

/** Parses and stores one fetched mail. Safe to run again for the same mail: nothing is stored twice. */
export async function ingestFetched(deps: IngestDeps, mail: FetchedMail): Promise<IngestResult> {
  const [prepared] = await prepareFetched(deps, [mail]);
  // Placement and write in one transaction: nothing can change the candidates in between.
  return deps.store.transaction(() => recordPrepared(deps, prepared!));
}

/** The last batch handed to each store, so batches are recorded in the order they were given. */
const recordLines = new WeakMap<MailStore, Promise<unknown>>();

/**
 * Parses a whole fetch batch (on the parse pool's workers), then stores it in ONE transaction, each
 * mail by the same logic as ingestFetched, in order (a mail sees the customers and cases the earlier
 * ones created). Nothing of the batch is stored unless all of it is: a crash or an error before the
 * commit leaves the batch to be fetched again, and nothing is stored twice.
 *
 * Calls may overlap (the next batch is parsed while this one is stored), but batches are recorded
 * in the order of the calls, and a batch given while an earlier one is still pending is stored only
 * if that one was: it fails with the earlier error instead, so nothing is recorded out of order.
 */
export function ingestFetchedBatch(deps: IngestDeps, mails: readonly FetchedMail[]): Promise<IngestResult[]> {
  const parsing = prepareFetched(deps, mails);
  const earlier = recordLines.get(deps.store);
  const run = (async () => {
    const prepared = await parsing;
    if (earlier) {
      try {
        await earlier;
      } catch (err) {
        throw Object.assign(new Error(`An earlier batch could not be stored: ${(err as Error).message}`), { code: 'mail/store', cause: err });
      }
    }
    return deps.store.recordBatch(prepared, (p) => recordPrepared(deps, p));
  })();
  recordLines.set(deps.store, run);
  const forget = () => {
    if (recordLines.get(deps.store) === run) recordLines.delete(deps.store);
  };
  run.then(forget, forget);
  return run;
}

/** A fetched mail parsed and ready to be stored: a quarantine row, or a customer message to place. */
type PreparedMail =
  | { kind: 'row'; row: NewMailMessage; now: number }
  | { kind: 'customer'; row: NewMailMessage; parsed: ParsedEmail; sender: string; mail: FetchedMail; receivedAt: number; now: number };

/** The async half of ingest: parsing (on the pool) and attachment files (content-addressed); writes no row. */
async function prepareFetched(deps: IngestDeps, mails: readonly FetchedMail[]): Promise<PreparedMail[]> {
  const now = mails.map(() => deps.now());
  const toParse = mails.flatMap((mail, i) => (mail.truncated ? [] : [{ source: mail.source, options: { ...deps.mimeLimits, receivedAt: mail.internalDate ?? now[i]! } }]));
  const parsed = toParse.length > 0 ? await (deps.parsePool ?? sharedParsePool()).parse(toParse) : [];
  let next = 0;
  return mails.map((mail, i) => prepared(deps, mail, mail.truncated ? null : parsed[next++]!, now[i]!));
}

/** One mail's record, from its parse result (null: fetched only in part, not parsed). */
function prepared(deps: IngestDeps, mail: FetchedMail, parsed: ParseEmailResult | null, now: number): PreparedMail {
  const receivedAt = mail.internalDate ?? now;
  const base = {
    accountId: mail.accountId,
    folder: mail.folder,
    uidValidity: mail.uidValidity,
    uid: mail.uid,
    flags: mail.flags,
    modseq: mail.modseq,
    size: mail.size,
    receivedAt,
  };
  if (parsed === null) {
    // Fetched only up to the limit: what is there is enough for the header hash and the reason.
    const limit = deps.mimeLimits?.maxMessageBytes ?? DEFAULT_MIME_LIMITS.maxMessageBytes;
    const size = mail.size ?? mail.source.length;
    return { kind: 'row', row: quarantineRow(base, mail.source, say('quarantineTooLarge', { size, limit })), now };
  }
  if (parsed.kind === 'quarantined') {
    return { kind: 'row', row: { ...quarantineRow(base, mail.source, parsed.said), headerHash: parsed.headerHash, messageId: nid(parsed.messageId) }, now };
  }

  const attachments = keepAttachments(deps, parsed);
  const from = parsed.from?.address ? normalizeEmail(parsed.from.address, { foldPlus: (deps.identitySettings ?? defaultIdentitySettings()).foldPlus }) : null;
  const row: NewMailMessage = {
    ...base,
    messageId: nid(parsed.messageId),
    headerHash: parsed.headerHash,
    inReplyTo: parsed.inReplyTo ? nid(parsed.inReplyTo) : null,
    references: parsed.references.map(normalizeMessageId).filter((id) => id !== ''),
    html: parsed.html,
    fromAddress: from?.ok ? from.identifier.value : null,
    quarantinedReason: null,
    attachments,
  };
  if (!from || !from.ok) {
    // The identity engine's own sentence (with its key when it has one) inside ours.
    const reason = from && !from.ok ? { said: say('quarantineSenderUnreadable', { why: from.message }), nested: { why: from.said } } : say('quarantineNoSender');
    return { kind: 'row', row: { ...row, quarantinedReason: reason }, now };
  }
  const sender = from.identifier.value;
  if ((deps.ownAddresses ?? []).some((a) => a.toLowerCase() === sender)) {
    return { kind: 'row', row: { ...row, quarantinedReason: say('quarantineOwnAddress', { address: sender }) }, now };
  }
  return { kind: 'customer', row, parsed, sender, mail, receivedAt, now };
}

/** The synchronous half: placement and write. Run inside a transaction (the caller's). */
function recordPrepared(deps: IngestDeps, p: PreparedMail): IngestResult {
  if (p.kind === 'row') return deps.store.recordMessage(p.row, null, p.now);
  const { placement, reason } = placeEmail(deps, p.parsed, p.sender, p.mail, p.receivedAt, p.now);
  return { ...deps.store.recordMessage(p.row, placement, p.now), reason };
}

/** Where a parsed customer email goes: the customer (found or new), the case decision, the event. */
export function placeEmail(deps: IngestDeps, parsed: ParsedEmail, sender: string, mail: Pick<FetchedMail, 'flags'>, at: number, now: number): { placement: MessagePlacement; reason: string } {
  const { store } = deps;
  const base = deps.threading ?? DEFAULT_THREADING_CONFIG;
  // Our replies' Message-IDs carry the support addresses' domains: answers to them thread by those too.
  const supportDomains = (deps.ownAddresses ?? []).map((a) => a.slice(a.lastIndexOf('@') + 1).trim().toLowerCase()).filter((d) => d !== '' && !base.supportDomains.includes(d));
  const threading: ThreadingConfig = supportDomains.length > 0 ? { ...base, supportDomains: [...base.supportDomains, ...supportDomains] } : base;
  const customerId = store.customerByEmail(sender);
  const displayName = parsed.from?.name?.trim() || sender.split('@')[0]!;

  const incoming: IncomingEvent = {
    customerId: customerId ?? 0,
    channel: 'email',
    occurredAt: at,
    subject: parsed.subject,
    messageId: parsed.messageId,
    inReplyTo: parsed.inReplyTo,
    references: parsed.references,
  };
  const refs = replyReferences(incoming);
  const candidates = store.caseCandidates(customerId, refs, {
    caseIds: referencedCaseIds(incoming, threading),
    resolvedSince: Math.min(at, now) - threading.reopenWindowMs,
  });
  const match = matchCase(incoming, candidates, threading, now);
  // Auto-replies and bulk mail are kept on the timeline but never reopen, open or wake a case.
  const automatic = isAutomatic(parsed);
  // Answered in the mailbox already (a mail from before the desktop synced): nobody waits for it.
  const answered = mail.flags.includes('\\Answered');
  const waits = !automatic && !answered;

  const candidate = (id: number) => candidates.find((c) => c.id === id);
  let kase: MessagePlacement['case'];
  if (match.action === 'join') {
    kase = { action: 'join', caseId: match.caseId, waiting: waits ? waiting(deps, candidate(match.caseId), at, 'join') : null };
  } else if (match.action === 'reopen') {
    kase = automatic ? { action: 'join', caseId: match.caseId, waiting: null } : { action: 'reopen', caseId: match.caseId, waiting: waits ? waiting(deps, candidate(match.caseId), at, 'reopen') : null };
  } else if (automatic) {
    kase = { action: 'none' };
  } else {
    const priority: Priority = 'normal';
    kase = {
      action: 'new',
      case: {
        subject: stripReplyPrefixes(parsed.subject ?? '').slice(0, 300) || '(no subject)',
        status: waits ? 'open' : 'pending',
        priority,
        issueType: 'other',
        channel: 'email',
        originChannel: 'email',
        assignedAgentId: null,
        createdAt: at,
        updatedAt: at,
        waitingSince: waits ? at : null,
        firstResponseAt: null,
        slaDueAt: waits ? due(deps, priority, 'firstResponse', at) : null,
        resolvedAt: null,
        resolutionCode: null,
        csatScore: null,
      },
    };
  }

  const placement: MessagePlacement = {
    customer:
      customerId !== null
        ? { id: customerId }
        : {
            create: firstContactCustomer({
              name: displayName,
              preferredChannel: 'email',
              createdAt: at,
              identities: [{ kind: 'email', value: sender, display: parsed.from?.address ?? sender, verified: true, source: 'email', firstSeenAt: at, lastSeenAt: at }],
            }),
          },
    ...(customerId !== null ? { seenIdentity: { kind: 'email' as const, value: sender, at } } : {}),
    case: kase,
    event: {
      channel: 'email',
      direction: 'in',
      kind: 'message',
      authorType: 'customer',
      authorId: null,
      authorName: displayName,
      subject: parsed.subject,
      body: parsed.text,
      metadata: {
        from: parsed.from?.address ?? sender,
        to: parsed.to.map((a) => a.address),
        cc: parsed.cc.map((a) => a.address),
        messageId: parsed.messageId,
        attachments: parsed.attachments.length,
        threading: match.reason,
        // A reply to a case resolved too long ago opens a new case; the old one is named here.
        ...(match.action === 'new' && match.linkTo !== undefined ? { relatedCaseId: match.linkTo } : {}),
        ...(automatic ? { automatic: true } : {}),
      },
      externalId: nid(parsed.messageId),
      occurredAt: at,
    },
  };
  return { placement, reason: automatic && kase.action === 'none' ? `${match.reason}; an automatic message opens no case` : match.reason };
}

/**
 * Mail no person wrote: RFC 3834 Auto-Submitted (anything but "no"), bulk/list/junk Precedence,
 * and bounces (the null sender, Return-Path: <>).
 */
export function isAutomatic(parsed: Pick<ParsedEmail, 'autoSubmitted' | 'precedence' | 'returnPath'>): boolean {
  const auto = parsed.autoSubmitted?.trim().toLowerCase();
  if (auto && auto !== 'no') return true;
  if (parsed.returnPath === '') return true;
  const precedence = parsed.precedence?.trim().toLowerCase();
  return precedence === 'bulk' || precedence === 'list' || precedence === 'junk' || precedence === 'auto_reply';
}

function waiting(deps: IngestDeps, c: MailCaseCandidate | undefined, at: number, action: 'join' | 'reopen'): CaseWaiting {
  // Joining a case that waits already keeps its deadline (the older wait counts): none to compute.
  if (action === 'join' && c && c.waitingSince !== null) return { since: at, slaDueAt: null };
  const priority = c?.priority ?? 'normal';
  return { since: at, slaDueAt: due(deps, priority, c?.firstResponseAt != null ? 'nextResponse' : 'firstResponse', at) };
}

/** The response deadline for a customer message received at `at` (business time on the email calendar). */
function due(deps: IngestDeps, priority: Priority, kind: 'firstResponse' | 'nextResponse', at: number): number | null {
  return responseDue(deps.sla?.() ?? BUILT_IN_SLA, 'email', priority, kind, at);
}

function keepAttachments(deps: IngestDeps, parsed: ParsedEmail): NewMailAttachment[] {
  return parsed.attachments.map((a) => {
    const sha256 = a.sha256 || crypto.createHash('sha256').update(a.content).digest('hex');
    let file: string | null = null;
    if (deps.attachmentDir) {
      // Content-addressed: a refetch after a crash writes the same file, and copies share it. When
      // email is a restricted channel the file holds only the sealed bytes (a `.sealed` name).
      const sealer = sealerOf(deps.store.db);
      const sealed = sealer?.restricts('email') ?? false;
      file = path.join(deps.attachmentDir, sealed ? `${sha256}.sealed` : sha256);
      if (!fs.existsSync(file)) {
        fs.mkdirSync(deps.attachmentDir, { recursive: true });
        const tmp = `${file}.${process.pid}.tmp`;
        fs.writeFileSync(tmp, sealed ? sealer!.sealBytes(a.content) : a.content);
        fs.renameSync(tmp, file);
      }
    }
    return {
      filename: a.filename,
      contentType: a.contentType,
      size: a.size,
      contentId: a.contentId,
      inline: a.inline,
      sha256,
      path: file,
    };
  });
}

function quarantineRow(base: Omit<NewMailMessage, 'messageId' | 'headerHash' | 'inReplyTo' | 'references' | 'html' | 'fromAddress' | 'quarantinedReason' | 'attachments'>, source: Buffer, reason: Said): NewMailMessage {
  // The same header hash mime.ts computes, so the mail is recognised however it was (not) read.
  const end = headerBlockEnd(source).end;
  const headerHash = headerHashOf(source, end);
  const rawId = readHeaderFields(source, end, ['message-id']).get('message-id')?.[0];
  return { ...base, messageId: readMessageId(rawId), headerHash, inReplyTo: null, references: [], html: null, fromAddress: null, quarantinedReason: reason, attachments: [] };
}

let identityDefaults: IdentitySettings | null = null;
function defaultIdentitySettings(): IdentitySettings {
  identityDefaults ??= IdentitySettings.parse({});
  return identityDefaults;
}

function nid(id: string | null | undefined): string | null {
  if (!id) return null;
  const n = normalizeMessageId(id);
  return n === '' ? null : n;
}

