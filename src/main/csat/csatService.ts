// The email satisfaction survey: after an email case is resolved, one survey email per resolution
// goes out through the outbox (threaded to the case like a reply), carrying five links to the hub's
// rating page. The hub signs the link and decides whether to ask at all (not after a rating, not
// twice within its quiet days); a case the hub does not know gets no survey. SMS and social cases
// are asked by the hub itself, chat and in-app ones by the widget. Answers come back as the hub's
// `csat` events (hub/applyHubEvent.ts).
import { surveyEmailBody } from '../../shared/csat';
import type { TimelineEvent } from '../../shared/domain';
import type { CsatSettings } from '../config';
import type { Db } from '../store/database';
import type { OutboxStore } from '../store/outboxStore';
import { outgoingMessageId, type Repository } from '../store/repository';

export interface CsatServiceDeps {
  db: Db;
  repo: Repository;
  outbox: OutboxStore;
  settings: CsatSettings;
  /** The hub's answer for a case (null: the case is not a hub conversation, or no hub). */
  surveyLink: (caseId: number) => Promise<{ url: string | null; expiresAt: number | null; reason: string | null } | null>;
  /** A survey email was queued: show it and wake the sender. */
  queued: (event: TimelineEvent) => void;
  now: () => number;
  log: (line: string) => void;
}

export type SurveyOutcome = { sent: true; eventId: number } | { sent: false; reason: string };

interface CaseRow {
  id: number;
  customer_id: number;
  channel: string;
  status: string;
  resolved_at: number | null;
  csat_score: number | null;
  subject: string;
}

export interface CsatService {
  /** Called after every resolve (the button, a resolution code, a macro): sends the email survey when it is due. */
  afterResolve(caseId: number): Promise<SurveyOutcome>;
}

export function createCsatService(d: CsatServiceDeps): CsatService {
  const q = {
    kase: d.db.prepare(`SELECT id, customer_id, channel, status, resolved_at, csat_score, subject FROM cases WHERE id = ?`),
    surveyed: d.db.prepare(`SELECT 1 FROM csat_surveys WHERE case_id = ? AND resolved_at = ?`),
    hasMail: d.db.prepare(`SELECT 1 FROM mail_messages m JOIN events e ON e.id = m.event_id WHERE e.case_id = ? AND e.direction = 'in' LIMIT 1`),
    insertEvent: d.db.prepare(`INSERT INTO events (case_id, customer_id, channel, direction, kind, author_type, author_id, author_name, subject, body,
        metadata, external_id, occurred_at, created_at)
      VALUES (@caseId, @customerId, 'email', 'out', 'message', 'system', NULL, 'Satisfaction survey', @subject, @body, @metadata, @messageId, @now, @now)`),
    insertOutbox: d.db.prepare(`INSERT INTO outbox (idempotency_key, event_id, case_id, channel, payload, status, next_attempt_at, created_at, updated_at, message_id)
      VALUES (@key, @eventId, @caseId, 'email', @payload, 'queued', @now, @now, @now, @messageId)`),
    insertSurvey: d.db.prepare(`INSERT INTO csat_surveys (case_id, customer_id, channel, resolved_at, event_id, expires_at, sent_at)
      VALUES (@caseId, @customerId, 'email', @resolvedAt, @eventId, @expiresAt, @now)`),
  };

  const current = (caseId: number) => q.kase.get(caseId) as CaseRow | undefined;

  /** Why no survey is due for this resolution, or null. */
  const notDue = (kase: CaseRow | undefined): string | null => {
    if (!kase) return 'The case does not exist.';
    if (kase.channel !== 'email') return 'Only email cases get the survey email; the hub or the widget asks on other channels.';
    if (!d.settings.email.enabled) return 'The email survey is turned off (csat.email.enabled).';
    if (kase.status !== 'resolved' || kase.resolved_at === null) return 'The case is not resolved.';
    if (kase.csat_score !== null) return 'The customer already rated this case.';
    if (q.surveyed.get(kase.id, kase.resolved_at)) return 'This resolution was surveyed already.';
    if (!q.hasMail.get(kase.id)) return 'The case has no customer email to answer.';
    return null;
  };

  return {
    async afterResolve(caseId) {
      const skip = (reason: string): SurveyOutcome => ({ sent: false, reason });
      const before = notDue(current(caseId));
      if (before) return skip(before);
      const resolvedAt = current(caseId)!.resolved_at!;
      // An email case that was due: why it got no survey after all is worth a line in the log.
      const skipped = (reason: string): SurveyOutcome => (d.log(`No satisfaction survey for case #${caseId}: ${reason}`), skip(reason));
      const link = await d.surveyLink(caseId);
      if (!link) return skipped('The case is not a conversation on the hub, which issues the rating links.');
      if (!link.url) return skipped(link.reason ?? 'The hub issued no rating link.');
      const url = link.url;
      const queued = d.db.transaction((): number | null => {
        // Looked at again: the case may have been reopened or surveyed while the hub answered.
        const kase = current(caseId);
        if (notDue(kase) || kase!.resolved_at !== resolvedAt) return null;
        const at = d.now();
        const key = `csat:${caseId}:${resolvedAt}`;
        const messageId = outgoingMessageId(caseId, key, d.outbox.senderDomain(caseId) ?? undefined);
        const body = surveyEmailBody(d.settings.email.text, kase!.subject, (score) => `${url}?score=${score}`);
        const eventId = Number(
          q.insertEvent.run({
            caseId,
            customerId: kase!.customer_id,
            subject: kase!.subject,
            body,
            metadata: JSON.stringify({ csatSurvey: true, messageId, surveyExpiresAt: link.expiresAt }),
            messageId,
            now: at,
          }).lastInsertRowid,
        );
        // Sent like an automatic answer (Auto-Submitted), so out-of-office replies do not answer it.
        q.insertOutbox.run({ key, eventId, caseId, payload: JSON.stringify({ body, autoReply: true }), now: at, messageId });
        q.insertSurvey.run({ caseId, customerId: kase!.customer_id, resolvedAt, eventId, expiresAt: link.expiresAt, now: at });
        return eventId;
      })();
      if (queued === null) return skipped('The case changed while the rating link was requested.');
      d.queued(d.repo.eventById(queued));
      return { sent: true, eventId: queued };
    },
  };
}
