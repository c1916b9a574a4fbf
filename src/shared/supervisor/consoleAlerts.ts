// Which alerts a new supervisor snapshot raises against the one before it: a waiting conversation
// that became at risk or breached its first-response SLA, a channel that went down. Each alert has a
// key; one seen before is not raised again. The first snapshot is the baseline and raises nothing
// (its figures are on screen). Pure: the caller keeps the previous snapshot.
import { z } from 'zod';
import { Channel, Id, Millis } from '../domain';
import type { SupervisorSnapshot } from '../hub/agentProtocol';
import { StoredSentence } from '../storedSentence';

export const ConsoleAlert = z.object({
  /** Stable per conversation and level ("sla:12:breached") or per channel outage ("outage:sms:<since>"). */
  key: z.string().max(100),
  kind: z.enum(['atRisk', 'breached', 'outage']),
  channel: Channel,
  conversationId: Id.nullable(),
  contact: z.string().max(200).nullable(),
  /** Waiting since (SLA alerts) or down since (outages). */
  since: Millis.nullable(),
  /** Outages: where conversations go meanwhile, and the provider's sentence. */
  backup: Channel.nullable(),
  detail: z.string().max(500).nullable(),
  /** detail's serverErrors key and params, when the hub sent one (the console shows it in the supervisor's language). */
  detailText: StoredSentence.nullable().optional(),
});
export type ConsoleAlert = z.infer<typeof ConsoleAlert>;

function alertsOf(s: SupervisorSnapshot): ConsoleAlert[] {
  const out: ConsoleAlert[] = [];
  for (const w of s.waiting) {
    if (w.sla === 'ok') continue;
    out.push({ key: `sla:${w.conversationId}:${w.sla}`, kind: w.sla, channel: w.channel, conversationId: w.conversationId, contact: w.contact, since: w.waitingSince, backup: null, detail: null });
  }
  for (const o of s.outages) {
    out.push({ key: `outage:${o.channel}:${o.since}`, kind: 'outage', channel: o.channel, conversationId: null, contact: null, since: o.since, backup: o.backup, detail: o.detail, ...(o.detailText ? { detailText: o.detailText } : {}) });
  }
  return out;
}

/** The alerts of `next` that `previous` did not have (none for the first snapshot). */
export function newConsoleAlerts(previous: SupervisorSnapshot | null, next: SupervisorSnapshot): ConsoleAlert[] {
  if (previous === null) return [];
  const seen = new Set(alertsOf(previous).map((a) => a.key));
  return alertsOf(next).filter((a) => !seen.has(a.key));
}
