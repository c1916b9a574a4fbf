// Case actions: resolve with a resolution code, snooze until a time or the customer's reply, reopen,
// link two cases, tags (the queue's tag views), merge and split (caseMergeSplit.ts). The rules come from shared/cases (caseOps); each change and its timeline line
// are one transaction. A snoozed case with a time comes back when the queue is read after that time
// (`wakeDue`, no timers); a customer message sets the case open (ingest, hub), which ends the snooze.
import type { EventName, EventPayload } from '../../shared/contract';
import {
  formatSnoozeUntil,
  type CaseActionsParsedInput,
  type CaseActionsRequestName,
  type CaseActionsRequestOutput,
  type CaseActionsView,
  type LinkedCase,
} from '../../shared/contractCaseActions';
import { createCase, link as linkOp, reopen as reopenOp, type CaseRecord } from '../../shared/cases';
import type { Agent, TimelineEvent } from '../../shared/domain';
import { AppError } from '../../shared/errors';
import type { CallContext } from '../../shared/rpc';
import type { Db } from '../store/database';
import type { Repository } from '../store/repository';
import { createMergeSplit, type CaseRow } from './caseMergeSplit';
import { openStored } from '../privacy/contentSealer';
import { say, type Said } from '../../shared/serverErrors';
import { saidMetadata } from '../../shared/storedSentence';

export type CaseActionsHandlers = {
  [K in CaseActionsRequestName]: (input: CaseActionsParsedInput<K>, ctx: CallContext) => Promise<CaseActionsRequestOutput<K>> | CaseActionsRequestOutput<K>;
};

export interface CaseActionsServiceOptions {
  db: Db;
  repo: Repository;
  emit: <K extends EventName>(name: K, payload: EventPayload<K>) => void;
  now: () => number;
  /** The desktop's own agent: named on the timeline lines. */
  agent: Pick<Agent, 'id' | 'name'>;
  /** After a resolve: the same follow-ups as the Resolve button (the hub, the mail archive). */
  onResolved?: (caseId: number) => void;
  /** After a reopen: the hub reopens its conversation, so the customer's next message comes here. */
  onReopened?: (caseId: number) => void;
}

export interface CaseActionsService {
  readonly handlers: CaseActionsHandlers;
  /** Snoozed cases whose time has come are open again; returns their ids. Called when the queue is read. */
  wakeDue(): number[];
}

export function createCaseActionsService(options: CaseActionsServiceOptions): CaseActionsService {
  const { db, repo, emit, now, agent } = options;
  const q = {
    caseRow: db.prepare(`SELECT id, customer_id, subject, status, channel, priority, issue_type, assigned_agent_id, waiting_since, sla_due_at,
      resolution_code, created_at, merged_into FROM cases WHERE id = ?`),
    tags: db.prepare(`SELECT tag FROM case_tags WHERE case_id = ? ORDER BY tag`),
    addTag: db.prepare(`INSERT OR IGNORE INTO case_tags (case_id, tag, added_by, added_at) VALUES (?, ?, ?, ?)`),
    removeTag: db.prepare(`DELETE FROM case_tags WHERE case_id = ? AND tag = ?`),
    links: db.prepare(`SELECT c.id AS caseId, c.customer_id AS customerId, c.subject, c.status FROM case_links l JOIN cases c ON c.id = l.other_case_id
      WHERE l.case_id = ? ORDER BY c.id`),
    linkIds: db.prepare(`SELECT other_case_id AS id FROM case_links WHERE case_id = ? ORDER BY other_case_id`),
    snooze: db.prepare(`SELECT until FROM case_snoozes WHERE case_id = ?`),
    resolve: db.prepare(`UPDATE cases SET status = 'resolved', resolved_at = @now, resolution_code = @code, updated_at = max(updated_at, @now),
      waiting_since = NULL, sla_due_at = NULL WHERE id = @caseId AND status IN ('open', 'pending', 'snoozed')`),
    setSnoozed: db.prepare(`UPDATE cases SET status = 'snoozed', updated_at = max(updated_at, @now) WHERE id = @caseId`),
    putSnooze: db.prepare(`INSERT INTO case_snoozes (case_id, until, snoozed_at, agent_id) VALUES (@caseId, @until, @now, @agentId)
      ON CONFLICT(case_id) DO UPDATE SET until = excluded.until, snoozed_at = excluded.snoozed_at, agent_id = excluded.agent_id`),
    dropSnooze: db.prepare(`DELETE FROM case_snoozes WHERE case_id = ?`),
    dropStaleSnoozes: db.prepare(`DELETE FROM case_snoozes WHERE case_id IN (SELECT id FROM cases WHERE status != 'snoozed')`),
    dueSnoozes: db.prepare(`SELECT s.case_id AS caseId FROM case_snoozes s JOIN cases c ON c.id = s.case_id
      WHERE c.status = 'snoozed' AND s.until IS NOT NULL AND s.until <= ? ORDER BY s.until, s.case_id`),
    wake: db.prepare(`UPDATE cases SET status = 'open', updated_at = max(updated_at, @now), waiting_since = COALESCE(waiting_since, @now)
      WHERE id = @caseId AND status = 'snoozed'`),
    reopen: db.prepare(`UPDATE cases SET status = 'open', resolved_at = NULL, resolution_code = NULL, updated_at = max(updated_at, @now),
      waiting_since = COALESCE(waiting_since, @now) WHERE id = @caseId AND status IN ('resolved', 'closed')`),
    addLink: db.prepare(`INSERT OR IGNORE INTO case_links (case_id, other_case_id, created_at) VALUES (?, ?, ?)`),
  };

  const row = (caseId: number): CaseRow => {
    const r = q.caseRow.get(caseId) as CaseRow | undefined;
    if (!r) throw new AppError('not-found', say('caseMissing', { caseId }));
    return r;
  };

  /** The case as shared/cases sees it, enough for its rules (status, links). */
  const record = (r: CaseRow): CaseRecord => ({
    ...createCase({ id: r.id, customerId: r.customer_id, subject: r.subject, channel: r.channel, at: r.created_at }),
    status: r.status,
    links: (q.linkIds.all(r.id) as Array<{ id: number }>).map((l) => l.id),
    mergedInto: r.merged_into,
  });
  const mergeSplit = createMergeSplit(db);

  const view = (caseId: number): CaseActionsView => {
    const r = row(caseId);
    const snooze = r.status === 'snoozed' ? (q.snooze.get(caseId) as { until: number | null } | undefined) : undefined;
    return {
      caseId: r.id,
      status: r.status,
      resolutionCode: r.status === 'resolved' || r.status === 'closed' ? r.resolution_code : null,
      snoozedUntil: snooze?.until ?? null,
      untilReply: r.status === 'snoozed' && (snooze === undefined || snooze.until === null),
      links: (q.links.all(caseId) as LinkedCase[]).map((l) => ({ ...l, subject: openStored(db, l.subject) })),
      tags: (q.tags.all(caseId) as Array<{ tag: string }>).map((t) => t.tag),
      mergedInto: r.merged_into,
    };
  };

  /** A system line on the case's timeline, by this agent. */
  const line = (r: CaseRow, said: Said, at: number, metadata: Record<string, unknown>): TimelineEvent => {
    const eventId = repo.insertEvent(
      {
        caseId: r.id,
        customerId: r.customer_id,
        channel: r.channel,
        direction: 'internal',
        kind: 'system',
        authorType: 'agent',
        authorId: agent.id,
        authorName: agent.name,
        subject: null,
        body: said.message,
        metadata: { ...metadata, ...saidMetadata(said) },
        occurredAt: at,
      },
      at,
    );
    return repo.eventById(eventId);
  };

  const announce = (events: TimelineEvent[]) => {
    for (const event of events) emit('timelineAppended', { event });
    if (events.length > 0) emit('queueChanged', { at: now() });
  };

  const wakeDue = (): number[] => {
    const at = now();
    const woken: TimelineEvent[] = [];
    const ids = repo.transaction(() => {
      // A customer message opened some snoozed cases already (ingest, hub): their snoozes are over.
      q.dropStaleSnoozes.run();
      const due = (q.dueSnoozes.all(at) as Array<{ caseId: number }>).map((d) => d.caseId);
      for (const caseId of due) {
        if (q.wake.run({ caseId, now: at }).changes === 0) continue;
        q.dropSnooze.run(caseId);
        woken.push(line(row(caseId), say('lineSnoozeEnded', { caseId }), at, { caseStatus: 'open' }));
      }
      return due;
    });
    announce(woken);
    return ids;
  };

  const handlers: CaseActionsHandlers = {
    caseActions: ({ caseId }) => view(caseId),

    resolveWithCode: ({ caseId, code }) => {
      const at = now();
      const event = repo.transaction(() => {
        const r = row(caseId);
        if (q.resolve.run({ caseId, code, now: at }).changes === 0) return null;
        q.dropSnooze.run(caseId);
        return line(r, say('lineResolvedAs', { code, agent: agent.name }), at, { caseStatus: 'resolved', resolutionCode: code });
      });
      if (event) {
        announce([event]);
        options.onResolved?.(caseId);
      }
      return { ...view(caseId), changed: event !== null };
    },

    snoozeCase: ({ caseId, until, zone }) => {
      const at = now();
      if (until !== null && until <= at) throw new AppError('rpc/invalid-input', say('snoozeInPast'));
      const event = repo.transaction(() => {
        const r = row(caseId);
        if (r.status === 'resolved' || r.status === 'closed') {
          throw new AppError('case/already-resolved', say('snoozeResolved', { caseId, status: r.status }));
        }
        q.setSnoozed.run({ caseId, now: at });
        q.putSnooze.run({ caseId, until, now: at, agentId: agent.id });
        // The English body names the time in the agent's zone; the workspace formats `until` in its own locale.
        const said = until === null ? say('lineSnoozedUntilReply', { agent: agent.name }) : say('lineSnoozedUntil', { until, agent: agent.name });
        const body = until === null ? said.message : `Snoozed until ${formatSnoozeUntil(until, zone)} by ${agent.name}.`;
        return line(r, { ...said, message: body }, at, { caseStatus: 'snoozed', snoozedUntil: until });
      });
      announce([event]);
      return view(caseId);
    },

    reopenCase: ({ caseId }) => {
      const at = now();
      const event = repo.transaction(() => {
        const r = row(caseId);
        const checked = reopenOp(record(r), { at, channel: r.channel, reason: 'by an agent' });
        if (!checked.ok) throw new AppError(checked.error.code === 'case/merged' ? 'case/merged' : 'case/not-resolved', say('reopenNotResolved', { caseId, status: r.status }));
        if (q.reopen.run({ caseId, now: at }).changes === 0) return null;
        return line(r, say('lineReopened', { agent: agent.name }), at, { caseStatus: 'open' });
      });
      if (event) {
        announce([event]);
        options.onReopened?.(caseId);
      }
      return { ...view(caseId), changed: event !== null };
    },

    linkCases: ({ caseId, otherCaseId }) => {
      const at = now();
      const events = repo.transaction(() => {
        const a = row(caseId);
        if (q.caseRow.get(otherCaseId) === undefined) throw new AppError('not-found', say('caseMissingThere', { caseId: otherCaseId }));
        const b = row(otherCaseId);
        const checked = linkOp(record(a), record(b), at);
        if (!checked.ok) throw new AppError(checked.error.code === 'case/self' ? 'case/self' : 'case/merged', checked.error.code === 'case/self' ? say('linkSelf') : checked.error);
        const added: TimelineEvent[] = [];
        if (q.addLink.run(a.id, b.id, at).changes > 0) added.push(line(a, say('lineLinked', { caseId: b.id }), at, { linkedCaseId: b.id }));
        if (q.addLink.run(b.id, a.id, at).changes > 0) added.push(line(b, say('lineLinked', { caseId: a.id }), at, { linkedCaseId: a.id }));
        return added;
      });
      for (const event of events) emit('timelineAppended', { event });
      return view(caseId);
    },

    addCaseTag: ({ caseId, tag }) => {
      const changed = repo.transaction(() => {
        row(caseId);
        return q.addTag.run(caseId, tag, agent.id, now()).changes > 0;
      });
      if (changed) emit('queueChanged', { at: now() });
      return view(caseId);
    },

    removeCaseTag: ({ caseId, tag }) => {
      const changed = repo.transaction(() => {
        row(caseId);
        return q.removeTag.run(caseId, tag.toLowerCase()).changes > 0;
      });
      if (changed) emit('queueChanged', { at: now() });
      return view(caseId);
    },

    mergeCase: ({ caseId, intoCaseId }) => {
      const at = now();
      const { events, moved } = repo.transaction(() => {
        const source = row(caseId);
        if (q.caseRow.get(intoCaseId) === undefined) throw new AppError('not-found', say('mergeTargetMissing', { caseId: intoCaseId }));
        const target = row(intoCaseId);
        const ids = mergeSplit.merge(source, target, at);
        return {
          moved: ids.length,
          events: [
            line(target, ids.length === 1 ? say('lineMergedHereOne', { source: source.id, subject: source.subject, agent: agent.name }) : say('lineMergedHere', { source: source.id, subject: source.subject, agent: agent.name, count: ids.length }), at, { mergedFrom: source.id, eventIds: ids }),
            line(source, say('lineMergedInto', { target: target.id, agent: agent.name, source: source.id }), at, { caseStatus: 'closed', mergedInto: target.id, eventIds: ids }),
          ],
        };
      });
      announce(events);
      return { source: view(caseId), target: view(intoCaseId), movedEvents: moved };
    },

    splitCase: ({ caseId, eventId, subject }) => {
      const at = now();
      const result = repo.transaction(() => {
        const original = row(caseId);
        const split = mergeSplit.split(original, eventId, { now: at, ...(subject ? { subject } : {}) });
        const created = row(split.caseId);
        const count = split.moved.length;
        return {
          split,
          events: [
            line(original, count === 1 ? say('lineSplitIntoOne', { caseId: split.caseId, agent: agent.name }) : say('lineSplitInto', { caseId: split.caseId, agent: agent.name, count }), at, { splitTo: split.caseId, eventIds: split.moved }),
            line(created, count === 1 ? say('lineSplitOffOne', { caseId: original.id, agent: agent.name }) : say('lineSplitOff', { caseId: original.id, agent: agent.name, count }), at, { splitFrom: original.id, eventIds: split.moved }),
          ],
          customerId: original.customer_id,
        };
      });
      announce(result.events);
      return { original: view(caseId), created: view(result.split.caseId), customerId: result.customerId, movedEvents: result.split.moved.length };
    },
  };

  return { handlers, wakeDue };
}
