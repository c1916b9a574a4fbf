// Merge and split on the local store, with the rules of shared/cases (caseOps): the store's rows are
// read into the engine's CaseRecord (threads are the runs of events on one channel), the engine says
// whether the operation is allowed and what moves, and the rows follow in the caller's transaction.
// Neither operation has an undo in the engine, so none here; the timeline lines record what moved.
import { mergeCases, splitCase, type CaseRecord, type CaseThread } from '../../shared/cases';
import type { CaseStatus, Channel, Direction, EventKind } from '../../shared/domain';
import { AppError, type ErrorCode } from '../../shared/errors';
import { say } from '../../shared/serverErrors';
import type { Db } from '../store/database';

export interface CaseRow {
  id: number;
  customer_id: number;
  subject: string;
  status: CaseStatus;
  channel: Channel;
  priority: string;
  issue_type: string;
  assigned_agent_id: number | null;
  waiting_since: number | null;
  sla_due_at: number | null;
  resolution_code: string | null;
  created_at: number;
  merged_into: number | null;
}

interface EventRow {
  id: number;
  channel: Channel;
  direction: Direction;
  kind: EventKind;
  occurred_at: number;
}

const ACTIVE: ReadonlySet<CaseStatus> = new Set(['open', 'pending', 'snoozed']);

/** The engine's error codes as the contract's, with the engine's sentence. */
function fail(error: { code: string; message: string; key?: string; params?: Readonly<Record<string, string | number>> }): never {
  const known: ErrorCode[] = ['case/self', 'case/merged', 'case/different-customer', 'case/empty-split', 'case/split-all', 'case/unknown-events'];
  throw new AppError(known.includes(error.code as ErrorCode) ? (error.code as ErrorCode) : 'internal', error);
}

export function createMergeSplit(db: Db) {
  const q = {
    events: db.prepare(`SELECT id, channel, direction, kind, occurred_at FROM events WHERE case_id = ? ORDER BY occurred_at, id`),
    links: db.prepare(`SELECT other_case_id AS id FROM case_links WHERE case_id = ? ORDER BY other_case_id`),
    moveEvents: db.prepare(`UPDATE events SET case_id = @to WHERE case_id = @from`),
    moveEvent: db.prepare(`UPDATE events SET case_id = @to WHERE id = @id AND case_id = @from`),
    moveOutbox: db.prepare(`UPDATE outbox SET case_id = @to WHERE case_id = @from`),
    moveKbUsage: db.prepare(`UPDATE kb_usage SET case_id = @to WHERE case_id = @from`),
    copyTags: db.prepare(`INSERT OR IGNORE INTO case_tags (case_id, tag, added_by, added_at) SELECT @to, tag, added_by, added_at FROM case_tags WHERE case_id = @from`),
    dropTags: db.prepare(`DELETE FROM case_tags WHERE case_id = ?`),
    copyLinks: db.prepare(`INSERT OR IGNORE INTO case_links (case_id, other_case_id, created_at)
      SELECT @to, other_case_id, created_at FROM case_links WHERE case_id = @from AND other_case_id != @to`),
    repointLinks: db.prepare(`INSERT OR IGNORE INTO case_links (case_id, other_case_id, created_at)
      SELECT case_id, @to, created_at FROM case_links WHERE other_case_id = @from AND case_id != @to`),
    dropLinks: db.prepare(`DELETE FROM case_links WHERE case_id = @id OR other_case_id = @id`),
    addLink: db.prepare(`INSERT OR IGNORE INTO case_links (case_id, other_case_id, created_at) VALUES (?, ?, ?)`),
    dropDrafts: db.prepare(`DELETE FROM composer_drafts WHERE case_id = ?`),
    dropSnooze: db.prepare(`DELETE FROM case_snoozes WHERE case_id = ?`),
    hubConversations: db.prepare(`SELECT hub FROM hub_conversations WHERE case_id = ?`),
    repointHub: db.prepare(`UPDATE hub_conversations SET case_id = @to WHERE case_id = @from`),
    closeMerged: db.prepare(`UPDATE cases SET status = 'closed', merged_into = @to, resolved_at = @now, resolution_code = NULL, waiting_since = NULL,
      sla_due_at = NULL, updated_at = max(updated_at, @now) WHERE id = @from`),
    // The customer who waited on the merged case now waits on the target: the earlier wait and SLA count.
    absorb: db.prepare(`UPDATE cases SET status = @status,
      waiting_since = CASE WHEN @waitingSince IS NULL THEN waiting_since WHEN waiting_since IS NULL THEN @waitingSince ELSE min(waiting_since, @waitingSince) END,
      sla_due_at = CASE WHEN @slaDueAt IS NULL THEN sla_due_at WHEN sla_due_at IS NULL THEN @slaDueAt ELSE min(sla_due_at, @slaDueAt) END,
      updated_at = max(updated_at, @now) WHERE id = @id`),
    nextCaseId: db.prepare(`SELECT COALESCE(max(id), 0) + 1 AS id FROM cases`),
    insertSplit: db.prepare(`INSERT INTO cases (id, customer_id, subject, status, priority, issue_type, channel, origin_channel, assigned_agent_id,
        created_at, updated_at, waiting_since, first_response_at, sla_due_at, resolved_at, resolution_code, csat_score)
      VALUES (@id, @customerId, @subject, 'open', @priority, @issueType, @channel, @channel, @assignedAgentId, @now, @now, @waitingSince, NULL, NULL, NULL, NULL, NULL)`),
  };

  const events = (caseId: number) => q.events.all(caseId) as EventRow[];

  /** The case as the engine sees it: its threads are the runs of its events on one channel. */
  const record = (r: CaseRow, rows = events(r.id)): CaseRecord => {
    const threads: CaseThread[] = [];
    for (const e of rows) {
      const last = threads[threads.length - 1];
      if (last && last.channel === e.channel) last.events.push({ id: e.id, at: e.occurred_at });
      else {
        if (last) last.closedAt = last.events[last.events.length - 1]!.at;
        threads.push({ id: `${r.id}-${threads.length + 1}`, channel: e.channel, openedAt: e.occurred_at, closedAt: null, events: [{ id: e.id, at: e.occurred_at }] });
      }
    }
    return {
      id: r.id,
      customerId: r.customer_id,
      subject: r.subject,
      status: r.status,
      createdAt: r.created_at,
      threads,
      links: (q.links.all(r.id) as Array<{ id: number }>).map((l) => l.id),
      mergedInto: r.merged_into,
      resolutions: [],
      history: [],
      nextThreadSeq: threads.length + 1,
    };
  };

  return {
    /**
     * Moves `source` into `target` (both rows read by the caller inside its transaction); returns the
     * ids of the events that moved. The source is closed, pointing at the target.
     */
    merge(source: CaseRow, target: CaseRow, now: number): number[] {
      if (source.merged_into !== null) fail({ code: 'case/merged', ...say('caseMergedAlready', { caseId: source.id, into: source.merged_into }) });
      if (!ACTIVE.has(target.status)) {
        throw new AppError('case/not-open', say('mergeTargetNotOpen', { caseId: target.id, status: target.status }));
      }
      const checked = mergeCases(record(target), record(source), now);
      if (!checked.ok) fail(checked.error);
      // The hub has no merge request: a case that is a conversation on a hub can only hand it over to a
      // target that has none on that hub (then its replies keep going to that conversation).
      const targetHubs = new Set((q.hubConversations.all(target.id) as Array<{ hub: string }>).map((h) => h.hub));
      if ((q.hubConversations.all(source.id) as Array<{ hub: string }>).some((h) => targetHubs.has(h.hub))) {
        throw new AppError('hub/refused', say('mergeBothOnHub', { source: source.id, target: target.id }));
      }
      const moved = events(source.id).map((e) => e.id);
      const move = { from: source.id, to: target.id };
      q.moveEvents.run(move);
      q.moveOutbox.run(move);
      q.moveKbUsage.run(move);
      q.repointHub.run(move);
      q.copyTags.run(move);
      q.dropTags.run(source.id);
      q.copyLinks.run(move);
      q.repointLinks.run(move);
      q.dropLinks.run({ id: source.id });
      q.dropDrafts.run(source.id);
      q.dropSnooze.run(source.id);
      const active = ACTIVE.has(source.status);
      q.absorb.run({
        id: target.id,
        status: checked.value.target.status,
        waitingSince: active ? source.waiting_since : null,
        slaDueAt: active ? source.sla_due_at : null,
        now,
      });
      q.closeMerged.run({ from: source.id, to: target.id, now });
      return moved;
    },

    /**
     * Splits `original` at `eventId`: that message and the later events of its thread move to a new
     * open case of the same customer, linked both ways. Returns the new case's id and the moved ids.
     */
    split(original: CaseRow, eventId: number, input: { subject?: string; now: number }): { caseId: number; moved: number[]; channel: Channel } {
      if (original.merged_into !== null) fail({ code: 'case/merged', ...say('caseMergedSplit', { caseId: original.id, into: original.merged_into }) });
      const rows = events(original.id);
      const at = rows.findIndex((e) => e.id === eventId);
      const picked = rows[at];
      if (!picked) throw new AppError('case/unknown-events', say('splitNoSuchMessage', { caseId: original.id, eventId }));
      if (picked.kind !== 'message') throw new AppError('case/unknown-events', say('splitNotAMessage'));
      const c = record(original, rows);
      const thread = c.threads.find((t) => t.events.some((e) => e.id === eventId))!;
      const ids = thread.events.filter((e) => e.at > picked.occurred_at || (e.at === picked.occurred_at && e.id >= eventId)).map((e) => e.id);
      const newCaseId = (q.nextCaseId.get() as { id: number }).id;
      const checked = splitCase(c, ids, { newCaseId, at: input.now, ...(input.subject ? { subject: input.subject } : {}) });
      if (!checked.ok) fail(checked.error);
      const movedRows = rows.filter((e) => ids.includes(e.id));
      // Waiting when the last message that moves is the customer's: the wait starts at the first of those.
      const lastMessage = [...movedRows].reverse().find((e) => e.kind === 'message');
      const firstUnanswered = lastMessage?.direction === 'in' ? (movedRows.slice(movedRows.findLastIndex((e) => e.kind === 'message' && e.direction === 'out') + 1).find((e) => e.direction === 'in')?.occurred_at ?? null) : null;
      q.insertSplit.run({
        id: newCaseId,
        customerId: original.customer_id,
        subject: checked.value.split.subject,
        priority: original.priority,
        issueType: original.issue_type,
        channel: thread.channel,
        assignedAgentId: original.assigned_agent_id,
        waitingSince: firstUnanswered,
        now: input.now,
      });
      for (const id of ids) q.moveEvent.run({ id, from: original.id, to: newCaseId });
      q.addLink.run(original.id, newCaseId, input.now);
      q.addLink.run(newCaseId, original.id, input.now);
      return { caseId: newCaseId, moved: ids, channel: thread.channel };
    },
  };
}
