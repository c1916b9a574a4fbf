// The handlers of contractPrivacy: audited reveal (supervisors and admins), the audit list (admins),
// a customer's export (masked, restricted channels left out) and the GDPR erase (admins). Roles are
// the local agent's, read from the store on each call. An erase is also asked of the hub (which
// tells every other desktop); the result says whether it was.
import fs from 'node:fs';
import type { z } from 'zod';
import type { events } from '../../shared/contract';
import type { PrivacyParsedInput, PrivacyRequestName, PrivacyRequestOutput, privacyEvents } from '../../shared/contractPrivacy';
import { CHANNEL_LABELS, type Agent, type Channel, type TimelineEvent } from '../../shared/domain';
import { AppError } from '../../shared/errors';
import { exportFileName, exportToCsv, type CustomerExport, type ExcludedChannel } from '../../shared/privacy/exportFormat';
import { maskEvent, maskedKinds } from '../../shared/privacy/maskRecords';
import { maskText } from '../../shared/privacy/masking';
import { restrictionOf } from '../../shared/privacy/settings';
import type { CallContext } from '../../shared/rpc';
import type { Db } from '../store/database';
import type { Repository } from '../store/repository';
import { createMasker, type Masker } from './masker';
import { PrivacyStore } from './privacyStore';
import { say } from '../../shared/serverErrors';
import { detailOf, type StoredSentence } from '../../shared/storedSentence';

type AllEvents = typeof events & typeof privacyEvents;
export type PrivacyEmit = <K extends keyof AllEvents>(name: K, payload: z.output<AllEvents[K]>) => void;

export type PrivacyHandlers = {
  [K in PrivacyRequestName]: (input: PrivacyParsedInput<K>, ctx: CallContext) => Promise<PrivacyRequestOutput<K>> | PrivacyRequestOutput<K>;
};

export interface PrivacyServiceOptions {
  db: Db;
  repo: Repository;
  emit: PrivacyEmit;
  now: () => number;
  /** The desktop's own agent: their role decides who may reveal, read the audit and erase. */
  localAgentId: number;
  masker?: Masker;
  log?: (line: string) => void;
  /** The hub's side of an erase: the customer's hub conversations (read first), then the request. */
  hub?: {
    conversationsOf(customerId: number): number[];
    erase(conversationIds: number[], reason: string): Promise<{ told: boolean; detail: string; detailText?: StoredSentence | null }>;
  };
}

export interface PrivacyService {
  readonly handlers: PrivacyHandlers;
  readonly masker: Masker;
  readonly store: PrivacyStore;
}

const PAGE = 1000;

export function createPrivacyService(options: PrivacyServiceOptions): PrivacyService {
  const { db, repo, emit, now } = options;
  const log = options.log ?? (() => {});
  const masker = options.masker ?? createMasker(repo);
  const store = new PrivacyStore(db);

  const agentAllowed = (roles: ReadonlyArray<Agent['role']>, refusal: 'revealForbidden' | 'auditForbidden' | 'eraseForbidden'): Agent => {
    const agent = repo.agentById(options.localAgentId);
    if (!roles.includes(agent.role)) throw new AppError('rpc/forbidden', say(refusal, { agent: agent.name, role: agent.role }));
    return agent;
  };

  const allEvents = (customerId: number): TimelineEvent[] => {
    const out: TimelineEvent[] = [];
    let before: { occurredAt: number; id: number } | undefined;
    for (;;) {
      const page = repo.timelineForCustomer(customerId, before, PAGE);
      out.unshift(...page.events);
      if (!page.older) return out;
      before = page.older;
    }
  };

  const handlers: PrivacyHandlers = {
    revealEvent: ({ eventId, reason }) => {
      const agent = agentAllowed(['supervisor', 'admin'], 'revealForbidden');
      // The raw text is read and the reveal recorded together: no reveal without its audit row.
      return repo.transaction(() => {
        const event = repo.eventById(eventId);
        const kinds = maskedKinds(maskEvent(event, masker.settings()));
        store.audit({ at: now(), agentId: agent.id, agentName: agent.name, action: 'reveal', eventId, customerId: event.customerId, detail: reason });
        return { eventId, subject: event.subject, body: event.body, kinds };
      });
    },
    privacyAudit: ({ limit }) => {
      agentAllowed(['admin'], 'auditForbidden');
      return { rows: store.auditRows(limit) };
    },
    exportCustomer: ({ customerId, format }) => {
      const agent = repo.agentById(options.localAgentId);
      const at = now();
      const profile = repo.customerProfile(customerId, at);
      const settings = masker.settings();
      const exportedAt = new Date(at).toISOString();
      const kept: CustomerExport['events'] = [];
      const withheld = new Map<Channel, number>();
      for (const raw of allEvents(customerId)) {
        if (restrictionOf(settings, raw.channel)) {
          withheld.set(raw.channel, (withheld.get(raw.channel) ?? 0) + 1);
          continue;
        }
        const e = maskEvent(raw, settings);
        kept.push({
          id: e.id,
          caseId: e.caseId,
          channel: e.channel,
          direction: e.direction,
          kind: e.kind,
          authorName: e.authorName,
          subject: e.subject,
          body: e.body,
          occurredAt: new Date(e.occurredAt).toISOString(),
          masked: maskedKinds(e),
        });
      }
      const excluded: ExcludedChannel[] = [...withheld].map(([channel, count]) => ({
        channel,
        events: count,
        note: `${count} ${CHANNEL_LABELS[channel]} ${count === 1 ? 'event is' : 'events are'} not exported: ${CHANNEL_LABELS[channel]} is a restricted channel (${restrictionOf(settings, channel)!.reason}).`,
      }));
      // Identities are the customer's own addresses (the point of an export); notes are the team's, masked like messages.
      const data: CustomerExport = {
        exportedAt,
        customer: {
          id: profile.id,
          name: profile.name,
          company: profile.company,
          title: profile.title,
          tier: profile.tier,
          vip: profile.vip,
          language: profile.language,
          timezone: profile.timezone,
          preferredChannel: profile.preferredChannel,
        },
        identities: profile.identities,
        events: kept,
        excluded,
      };
      store.audit({ at, agentId: agent.id, agentName: agent.name, action: 'export', eventId: null, customerId, detail: `${format.toUpperCase()}: ${kept.length} events, ${excluded.reduce((n, x) => n + x.events, 0)} withheld` });
      const content = format === 'csv' ? exportToCsv(data) : JSON.stringify({ ...data, notes: profile.notes.map((n) => ({ ...n, body: maskText(n.body).text })) }, null, 2);
      return {
        fileName: exportFileName(profile, format, exportedAt),
        mimeType: format === 'csv' ? 'text/csv;charset=utf-8' : 'application/json',
        content,
        events: kept.length,
        excluded,
      };
    },
    eraseCustomer: async ({ customerId, confirm }) => {
      const agent = agentAllowed(['admin'], 'eraseForbidden');
      const profile = repo.customerProfile(customerId, now());
      if (confirm.normalize('NFC').trim() !== profile.name.normalize('NFC').trim()) {
        throw new AppError('privacy/confirm-mismatch', say('eraseConfirmName', { name: profile.name }));
      }
      // Read before the local rows (and their links to the hub) go.
      const hubConversations = options.hub?.conversationsOf(customerId) ?? [];
      // Freed pages are zeroed while this runs, so the erased text does not linger in the file's free space.
      const secureBefore = db.pragma('secure_delete', { simple: true }) as number;
      db.pragma('secure_delete = ON');
      let outcome;
      try {
        outcome = repo.transaction(() => {
          const result = store.eraseCustomerRows(customerId);
          const counts = Object.entries(result.removed)
            .map(([t, n]) => `${t} ${n}`)
            .join(', ');
          store.audit({ at: now(), agentId: agent.id, agentName: agent.name, action: 'erase', eventId: null, customerId, detail: `Erased on request (GDPR): ${counts}` });
          return result;
        });
        // Older versions of rows (before an update) can linger in the free space of pages, and the
        // write-ahead log holds old pages until it is checkpointed: a VACUUM rewrites the file from the
        // live rows only, then the log is emptied. Seconds on a large center; an erase is rare.
        db.exec('VACUUM');
        db.pragma('wal_checkpoint(TRUNCATE)');
      } finally {
        db.pragma(`secure_delete = ${secureBefore ? 'ON' : 'OFF'}`);
      }
      let filesRemoved = 0;
      for (const file of outcome.orphanFiles) {
        try {
          fs.rmSync(file, { force: true });
          filesRemoved++;
        } catch (e) {
          log(`An attachment of an erased customer could not be removed (${file}): ${(e as Error).message}`);
        }
      }
      emit('customerErased', { customerId });
      emit('queueChanged', { at: now() });
      const hub =
        options.hub && hubConversations.length > 0
          ? await options.hub.erase(hubConversations, `GDPR erase requested by ${agent.name} on a desktop`)
          : { told: false, ...detailOf(say('eraseHubNone')) };
      const { detailText, ...told } = hub;
      return { customerId, removed: outcome.removed, filesRemoved, hub: told, hubText: detailText ?? null };
    },
  };

  return { handlers, masker, store };
}
