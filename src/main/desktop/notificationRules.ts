// Which OS notifications an agent gets: a rule per channel (immediate, batched every N seconds,
// muted), do-not-disturb (by hand or quiet hours), several messages of one conversation as one
// notice, and none for the conversation on screen. Pure: the caller passes the time and the focus.
import { DateTime } from 'luxon';
import { z } from 'zod';
import { CHANNELS, type Channel } from '../../shared/domain';
import { shellSayer, type ShellSay } from '../../shared/shellText';

const ClockTime = z.string().regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/, 'is a time written HH:MM (24 h)');

export const ChannelRule = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('immediate') }).strict(),
  z.object({ mode: z.literal('batched'), everySeconds: z.number().int().min(10).max(3600) }).strict(),
  z.object({ mode: z.literal('muted') }).strict(),
]);
export type ChannelRule = z.infer<typeof ChannelRule>;

export const NotificationSettings = z
  .object({
    /** Channels not listed here notify immediately. */
    channels: z.partialRecord(z.enum(CHANNELS), ChannelRule).default({}),
    doNotDisturb: z
      .object({
        /** Set from the tray or the workspace: no notifications until this time (ms), or null. */
        until: z.number().int().nonnegative().nullable().default(null),
        /** Every day from..to in the agent's zone; `to` before `from` spans midnight. */
        quietHours: z
          .object({ from: ClockTime, to: ClockTime, timeZone: z.string().min(1).optional(), weekdays: z.array(z.number().int().min(1).max(7)).min(1).optional() })
          .strict()
          .nullable()
          .default(null),
      })
      .strict()
      .prefault({}),
    /** How many characters of the message the notice shows. */
    previewChars: z.number().int().min(20).max(500).default(140),
    /** A new message of a conversation replaces its notice shown this recently (seconds). */
    coalesceSeconds: z.number().int().min(0).max(3600).default(120),
  })
  .strict();
export type NotificationSettings = z.infer<typeof NotificationSettings>;

/** What happened that an agent may want to know about while working elsewhere. */
export interface Alert {
  /** An offer waits for Accept; a message arrived on a conversation assigned to this agent; a supervisor's SLA or outage alert (live console). */
  kind: 'offer' | 'message' | 'supervisor';
  /** Supervisor alerts: one notice per key (a conversation's level, a channel's outage). */
  key?: string;
  caseId: number;
  /** A hub offer (no local case yet: caseId is 0); Accept on its notice accepts this offer. */
  offerId?: number;
  channel: Channel;
  /** Who wrote (the notice's title). */
  sender: string;
  preview: string;
  at: number;
}

export interface FocusState {
  windowFocused: boolean;
  /** The conversation the workspace shows, when the shell knows it. */
  viewingCaseId: number | null;
}

export type NoticeAction = 'accept' | 'open';

export interface Notice {
  /** One notice per conversation: a later one with the same key replaces the earlier one. */
  key: string;
  caseId: number;
  /** The hub offer the notice's Accept takes. */
  offerId?: number;
  kind: Alert['kind'];
  channel: Channel;
  title: string;
  body: string;
  /** How many messages it stands for. */
  count: number;
  actions: NoticeAction[];
}

export type DropReason = 'muted' | 'do-not-disturb' | 'viewing';

export interface Decision {
  show: Notice[];
  dropped: Array<{ caseId: number; reason: DropReason }>;
}

/** Whitespace collapsed and cut at `max` characters (whole graphemes, so no broken emoji). */
export function truncatePreview(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const graphemes = [...new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(flat)].map((s) => s.segment);
  if (graphemes.length <= max) return flat;
  return `${graphemes.slice(0, max - 1).join('').trimEnd()}…`;
}

/** True while do-not-disturb holds at `now`, by hand or by the quiet hours. */
export function isDoNotDisturb(settings: NotificationSettings['doNotDisturb'], now: number, systemZone?: string): boolean {
  if (settings.until !== null && now < settings.until) return true;
  const quiet = settings.quietHours;
  if (quiet === null) return false;
  const zone = quiet.timeZone ?? systemZone ?? 'local';
  const local = DateTime.fromMillis(now, { zone });
  if (!local.isValid) return false;
  const minutes = local.hour * 60 + local.minute;
  const [from, to] = [quiet.from, quiet.to].map((t) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3)));
  if (from === to) return false;
  const overnight = from! > to!;
  const inside = overnight ? minutes >= from! || minutes < to! : minutes >= from! && minutes < to!;
  if (!inside) return false;
  if (!quiet.weekdays) return true;
  // Overnight quiet hours belong to the day they started on: Friday 22:00–07:00 covers Saturday 06:00.
  const startDay = overnight && minutes < to! ? local.minus({ days: 1 }).weekday : local.weekday;
  return quiet.weekdays.includes(startDay);
}

interface Shown {
  count: number;
  at: number;
}

/**
 * Holds the batches and which notices are up. `receive` answers what to show now; `flush`,
 * called by the shell on a timer, answers the batches that are due.
 */
export class NotificationPlanner {
  private settings: NotificationSettings;
  /** Batched alerts per channel, with when the channel's batch is due. */
  private readonly batches = new Map<Channel, { dueAt: number; alerts: Alert[] }>();
  private readonly shown = new Map<number, Shown>();

  constructor(
    settings: NotificationSettings,
    private readonly systemZone?: string,
    /** The agent's language for the words the planner adds ("3 new messages"); read at each notice. */
    private readonly say: () => ShellSay = () => shellSayer('en'),
  ) {
    this.settings = settings;
  }

  update(settings: NotificationSettings): void {
    this.settings = settings;
  }

  ruleFor(channel: Channel): ChannelRule {
    return this.settings.channels[channel] ?? { mode: 'immediate' };
  }

  receive(alert: Alert, now: number, focus: FocusState): Decision {
    const decision: Decision = { show: [], dropped: [] };
    const rule = this.ruleFor(alert.channel);
    if (rule.mode === 'muted') return drop(decision, alert.caseId, 'muted');
    if (isDoNotDisturb(this.settings.doNotDisturb, now, this.systemZone)) return drop(decision, alert.caseId, 'do-not-disturb');
    if (alert.offerId === undefined && isViewing(alert.caseId, focus)) {
      // The agent reads it already; a notice up for it is old news too.
      this.shown.delete(alert.caseId);
      return drop(decision, alert.caseId, 'viewing');
    }
    // An offer waits for an answer and expires: it never waits for a batch.
    if (rule.mode === 'batched' && alert.kind === 'message') {
      const batch = this.batches.get(alert.channel) ?? { dueAt: now + rule.everySeconds * 1000, alerts: [] };
      batch.alerts.push(alert);
      this.batches.set(alert.channel, batch);
      return decision;
    }
    decision.show.push(...this.noticesFor([alert], now));
    return decision;
  }

  /** The batches due at `now`, as notices (re-checked against do-not-disturb and the focus). */
  flush(now: number, focus: FocusState): Decision {
    const decision: Decision = { show: [], dropped: [] };
    const due: Alert[] = [];
    for (const [channel, batch] of this.batches) {
      if (batch.dueAt > now) continue;
      this.batches.delete(channel);
      due.push(...batch.alerts);
    }
    if (due.length === 0) return decision;
    if (isDoNotDisturb(this.settings.doNotDisturb, now, this.systemZone)) {
      for (const caseId of new Set(due.map((a) => a.caseId))) drop(decision, caseId, 'do-not-disturb');
      return decision;
    }
    const visible = due.filter((a) => {
      if (this.ruleFor(a.channel).mode === 'muted') return !drop(decision, a.caseId, 'muted');
      if (isViewing(a.caseId, focus)) return !drop(decision, a.caseId, 'viewing');
      return true;
    });
    decision.show.push(...this.noticesFor(visible, now));
    return decision;
  }

  /** When the next batch is due, for the shell's timer; null when nothing waits. */
  nextDueAt(): number | null {
    let next: number | null = null;
    for (const batch of this.batches.values()) next = next === null ? batch.dueAt : Math.min(next, batch.dueAt);
    return next;
  }

  /** The agent opened the conversation (or dismissed its notice): the next message starts a new count. */
  seen(caseId: number): void {
    this.shown.delete(caseId);
  }

  private noticesFor(alerts: readonly Alert[], now: number): Notice[] {
    const notices: Notice[] = [];
    // A hub offer has a notice of its own (no case yet), with Accept.
    for (const a of alerts) {
      if (a.offerId === undefined) continue;
      notices.push({
        key: `offer:${a.offerId}`,
        caseId: a.caseId,
        offerId: a.offerId,
        kind: 'offer',
        channel: a.channel,
        title: truncatePreview(a.sender, 80) || 'Omni Desk',
        body: truncatePreview(a.preview, this.settings.previewChars),
        count: 1,
        actions: ['accept', 'open'],
      });
    }
    // A supervisor alert has no case of this desktop: its own notice, which brings the window forward.
    for (const a of alerts) {
      if (a.kind !== 'supervisor') continue;
      notices.push({ key: `supervisor:${a.key ?? a.at}`, caseId: 0, kind: 'supervisor', channel: a.channel, title: truncatePreview(a.sender, 80) || 'Omni Desk', body: truncatePreview(a.preview, this.settings.previewChars), count: 1, actions: [] });
    }
    // Several messages of one conversation make one notice; an offer among them wins the kind.
    const byCase = new Map<number, Alert[]>();
    for (const a of alerts) if (a.offerId === undefined && a.kind !== 'supervisor') byCase.set(a.caseId, [...(byCase.get(a.caseId) ?? []), a]);
    for (const [caseId, group] of byCase) {
      const latest = group.reduce((a, b) => (b.at >= a.at ? b : a));
      const offer = group.some((a) => a.kind === 'offer');
      const previous = this.shown.get(caseId);
      const recent = previous !== undefined && now - previous.at <= this.settings.coalesceSeconds * 1000;
      const messages = group.filter((a) => a.kind === 'message').length;
      const count = (recent ? previous.count : 0) + Math.max(messages, offer ? 1 : 0);
      this.shown.set(caseId, { count, at: now });
      const preview = truncatePreview(latest.preview, this.settings.previewChars);
      notices.push({
        key: `case:${caseId}`,
        caseId,
        kind: offer ? 'offer' : 'message',
        channel: latest.channel,
        title: truncatePreview(latest.sender, 80) || 'Omni Desk',
        body: count > 1 ? this.say()('noticeMore', { count, preview }) : preview,
        count,
        actions: offer ? ['accept', 'open'] : ['open'],
      });
    }
    return notices;
  }
}

function isViewing(caseId: number, focus: FocusState): boolean {
  return focus.windowFocused && focus.viewingCaseId === caseId;
}

function drop(decision: Decision, caseId: number, reason: DropReason): Decision {
  decision.dropped.push({ caseId, reason });
  return decision;
}
