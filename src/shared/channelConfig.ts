// The channel configuration matrix: per channel the platform, operating hours, first-response SLA,
// routing priority, auto-responder texts, backup channel for outages and cost per contact, plus the
// cross-channel handoff rules. One schema validates an edit, a saved version and an imported file;
// cross-field checks explain themselves in sentences. Pure: no I/O, no clock.
import { z } from 'zod';
import { CHANNEL_LABELS, CHANNELS, Channel, Millis } from './domain';
import { HandoffRule, DEFAULT_HANDOFF_RULES } from './cases/handoff';
import { fieldSays, issueSaid, saidIssue } from './fieldSentence';
import { say, type Said } from './serverErrors';
import type { SentenceKey } from './sentenceKey';
import { sentenceKeyOf, StoredSentence } from './storedSentence';
import { DEFAULT_CALENDAR_CONFIG, Holiday, IanaTimeZone, isOpen, nextOpening, parseCalendar, WEEKDAYS, WeeklyHours, type BusinessCalendar, type CalendarInput, type Weekday } from './time';

/** What an exported file says it is, so a file of something else is refused by name. */
export const CHANNEL_MATRIX_FORMAT = 'omni-channel-matrix';

const EMPTY = fieldSays(say('fieldEmpty'));
const NUMBER = fieldSays(say('fieldNumber'));
const Text = z.string().trim().min(1, EMPTY).max(1600, fieldSays(say('fieldMaxChars', { max: 1600 })));

/** The placeholders an auto-reply may use; the closed text also knows when the team opens again. */
const OPEN_NAMES = ['responseTime'] as const;
const CLOSED_NAMES = ['responseTime', 'opensAt'] as const;

function placeholders(text: string, names: readonly string[]): string[] {
  const wrong: string[] = [];
  for (const [, name] of text.matchAll(/\{([^{}]*)\}/g)) if (!names.includes(name!)) wrong.push(`{${name}}`);
  return wrong;
}

export const ChannelHours = z.strictObject({
  timeZone: IanaTimeZone,
  weekly: WeeklyHours,
  holidays: z.array(Holiday).max(366, fieldSays(say('fieldMaxHolidays', { max: 366 }))).default([]),
});
export type ChannelHours = z.output<typeof ChannelHours>;

export const ChannelAutoReplyTexts = z.strictObject({
  enabled: z.boolean(),
  /** Sent while the channel is open. */
  text: Text,
  /** Sent outside its hours. */
  closedText: Text,
});
export type ChannelAutoReplyTexts = z.output<typeof ChannelAutoReplyTexts>;

export const ChannelSettings = z.strictObject({
  /** The provider or system the channel runs on ("Twilio SMS", "IMAP/SMTP"). */
  platform: z.string().trim().min(1, EMPTY).max(80, fieldSays(say('fieldMaxChars', { max: 80 }))),
  hours: ChannelHours,
  firstResponseSlaSeconds: z
    .number({ error: fieldSays(say('fieldSeconds')) })
    .int(fieldSays(say('fieldWholeSeconds')))
    .positive(fieldSays(say('fieldPositiveSeconds')))
    .max(7 * 86_400, fieldSays(say('fieldMaxSecondsWeek', { max: 7 * 86_400 }))),
  /** 1 (routed last) to 10 (routed first) among waiting conversations of equal urgency. */
  routingPriority: z
    .number({ error: NUMBER })
    .int(fieldSays(say('fieldWhole')))
    .min(1, fieldSays(say('fieldMin', { min: 1 })))
    .max(10, fieldSays(say('fieldMax', { max: 10 }))),
  autoReply: ChannelAutoReplyTexts,
  /** Where the channel's conversations go while it is down; null: they wait. */
  backupChannel: Channel.nullable(),
  costPerContact: z.number({ error: NUMBER }).min(0, fieldSays(say('fieldNotNegative'))).max(100_000, fieldSays(say('fieldMax', { max: 100_000 }))),
});
export type ChannelSettings = z.output<typeof ChannelSettings>;


const channelsShape = Object.fromEntries(CHANNELS.map((c) => [c, ChannelSettings])) as Record<Channel, typeof ChannelSettings>;

export const ChannelMatrix = z
  .strictObject({
    channels: z.strictObject(channelsShape),
    handoff: z.array(HandoffRule).max(100, fieldSays(say('fieldMaxRules', { max: 100 }))),
  })
  .superRefine((m, ctx) => {
    for (const channel of CHANNELS) {
      const s = m.channels[channel];
      if (s.backupChannel === channel) {
        saidIssue(ctx, ['channels', channel, 'backupChannel'], say('matrixOwnBackup', { channel }));
      } else if (s.backupChannel !== null) {
        // Follow the chain: it must end at a channel without a backup, never come back here.
        const seen: Channel[] = [channel];
        let at: Channel | null = s.backupChannel;
        while (at !== null && !seen.includes(at)) {
          seen.push(at);
          at = m.channels[at].backupChannel;
        }
        if (at === channel) {
          saidIssue(ctx, ['channels', channel, 'backupChannel'], say('matrixBackupCycle', { cycle: [...seen, channel].map((c) => CHANNEL_LABELS[c]).join(' → ') }));
        }
      }
      const weekly = s.hours.weekly;
      if (weekly !== '24/7' && !Object.values(weekly).some((ranges) => (ranges ?? []).length > 0)) {
        saidIssue(ctx, ['channels', channel, 'hours', 'weekly'], say('matrixNoHours', { channel }));
      }
      const dates = s.hours.holidays.map((h) => h.date);
      const twice = dates.find((d, i) => dates.indexOf(d) !== i);
      if (twice) saidIssue(ctx, ['channels', channel, 'hours', 'holidays'], say('matrixHolidayTwice', { channel, date: twice }));
      for (const [key, names] of [['text', OPEN_NAMES], ['closedText', CLOSED_NAMES]] as const) {
        const wrong = placeholders(s.autoReply[key], names);
        if (wrong.length > 0) {
          const [a, b] = names.map((n) => `{${n}}`) as [string, string | undefined];
          const uses = wrong.join(', ');
          saidIssue(ctx, ['channels', channel, 'autoReply', key], b === undefined ? say('matrixPlaceholderOne', { wrong: uses, a }) : say('matrixPlaceholderTwo', { wrong: uses, a, b }));
        }
      }
    }
    m.handoff.forEach((rule, i) => {
      if (rule.from === rule.to) saidIssue(ctx, ['handoff', i, 'to'], say('matrixHandoffSelf', { from: rule.from }));
    });
  });
export type ChannelMatrix = z.output<typeof ChannelMatrix>;

/** One saved version: who saved it, when, and what it changed in words (the audit). */
export const ChannelMatrixVersion = z.object({
  version: z.number().int().positive(),
  matrix: ChannelMatrix,
  savedBy: z.string(),
  savedAt: Millis,
  /** The changes in English, one line each (what an older reader shows). */
  changes: z.array(z.string()),
  /** Each line's catalog key, where it has one (a version saved before keys were kept has none). */
  changesText: z.array(StoredSentence.nullable()).optional().catch(undefined),
});
export type ChannelMatrixVersion = z.output<typeof ChannelMatrixVersion>;

export const ChannelMatrixHistoryEntry = ChannelMatrixVersion.omit({ matrix: true });
export type ChannelMatrixHistoryEntry = z.output<typeof ChannelMatrixHistoryEntry>;

/** The file an export writes and an import reads. */
export const ChannelMatrixFile = z.strictObject({
  format: z.literal(CHANNEL_MATRIX_FORMAT, { error: fieldSays(say('matrixFileFormat', { format: CHANNEL_MATRIX_FORMAT })) }),
  version: z.number().int().positive(),
  exportedAt: Millis,
  matrix: z.unknown(),
});

// ---------------------------------------------------------------- problems as sentences

/** The catalog's word for a channel's field (`matrixField`), by its path after `channels.<channel>.`. */
const FIELD_WORDS: Readonly<Record<string, string>> = {
  platform: 'platform',
  hours: 'hours',
  'hours.timeZone': 'timeZone',
  'hours.weekly': 'weekly',
  'hours.holidays': 'holidays',
  firstResponseSlaSeconds: 'sla',
  routingPriority: 'priority',
  autoReply: 'autoReply',
  'autoReply.enabled': 'autoReplyOn',
  'autoReply.text': 'autoReplyText',
  'autoReply.closedText': 'closedText',
  backupChannel: 'backupChannel',
  costPerContact: 'cost',
};

const isWeekday = (k: unknown): k is Weekday => typeof k === 'string' && (WEEKDAYS as readonly string[]).includes(k);

/** Where a problem is, in words: a catalog sentence, or (a path outside the matrix's known fields) the path itself. */
function where(path: readonly PropertyKey[]): Said | string {
  const [head, channel, ...rest] = path;
  if (head === 'channels' && typeof channel === 'string' && channel in CHANNEL_LABELS) {
    if (rest.length === 0) return say('matrixWhereChannel', { channel });
    const [group, part, index] = rest;
    if (group === 'hours' && part === 'weekly' && isWeekday(index)) {
      const range = rest[3];
      return typeof range === 'number' ? say('matrixWhereChannelDayRange', { channel, day: index, n: range + 1 }) : say('matrixWhereChannelDay', { channel, day: index });
    }
    if (group === 'hours' && part === 'holidays' && typeof index === 'number') return say('matrixWhereChannelHoliday', { channel, n: index + 1 });
    const dotted = rest.map(String).join('.');
    return say('matrixWhereChannelField', { channel, field: FIELD_WORDS[dotted] ?? dotted });
  }
  if (head === 'handoff' && typeof channel === 'number') return rest.length ? say('matrixWhereRuleField', { n: channel + 1, field: rest.map(String).join('.') }) : say('matrixWhereRule', { n: channel + 1 });
  const joined = path.map(String).join('.');
  return joined || say('matrixWhereAll');
}

export interface MatrixProblem {
  /** The field's path inside the matrix, joined by dots ("channels.chat.firstResponseSlaSeconds"). */
  path: string;
  message: string;
  /** The message's catalog key: "{{where}}: {{problem}}", with `where` (and `problem` when it has one) as nested sentences. */
  text: StoredSentence;
}

export function matrixProblems(error: z.ZodError): MatrixProblem[] {
  return error.issues.map((i) => {
    const at = where(i.path);
    const place = typeof at === 'string' ? at : at.message;
    const said = issueSaid(i);
    const problem = said?.message ?? i.message;
    const nested = { ...(typeof at === 'string' ? {} : { where: sentenceKeyOf(at) }), ...(said ? { problem: sentenceKeyOf(said) } : {}) };
    return {
      path: i.path.map(String).join('.'),
      message: `${place}: ${problem}`,
      text: { key: 'matrixProblem', params: { where: place, problem }, nested },
    };
  });
}

/** The first problems (at most `max`) as one sentence. */
export function describeMatrixProblems(error: z.ZodError, max = 3): string {
  return matrixInvalid(matrixProblems(error).map((p) => p.message), max).message;
}

/** "The channel configuration is not valid: a; b; c (and 2 more)." from the problems' sentences. */
export function matrixInvalid(problems: readonly string[], max = 3): Said {
  const shown = problems.slice(0, max).join('; ');
  return problems.length > max ? say('matrixInvalidMore', { problems: shown, more: problems.length - max }) : say('matrixInvalid', { problems: shown });
}

/** A refusal: its English `message`, its key and params as `text` (none for a list of problems: `matrixInvalid` of them), and the problems by field. */
export type MatrixResult = { ok: true; matrix: ChannelMatrix } | { ok: false; message: string; text?: StoredSentence; problems: MatrixProblem[] };

export function parseChannelMatrix(input: unknown): MatrixResult {
  const parsed = ChannelMatrix.safeParse(input);
  if (parsed.success) return { ok: true, matrix: parsed.data };
  return { ok: false, message: describeMatrixProblems(parsed.error), problems: matrixProblems(parsed.error) };
}

/** Reads an exported file's text: not JSON, not an export, or an invalid matrix each give a sentence. */
export function parseChannelMatrixFile(text: string): MatrixResult {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    const said = say('matrixFileNotJson');
    return { ok: false, message: said.message, text: sentenceKeyOf(said), problems: [] };
  }
  const file = ChannelMatrixFile.safeParse(json);
  if (!file.success) {
    const first = file.error.issues[0]!;
    const path = first.path.map(String).join('.');
    const field = path ? { message: path } : say('matrixFileWhole');
    const problem = issueSaid(first);
    const said = say('matrixFileNotExport', { field: field.message, problem: problem?.message ?? first.message });
    const nested = { ...('key' in field ? { field: sentenceKeyOf(field) } : {}), ...(problem ? { problem: sentenceKeyOf(problem) } : {}) };
    return { ok: false, message: said.message, text: { ...sentenceKeyOf(said), nested }, problems: [] };
  }
  return parseChannelMatrix(file.data.matrix);
}

export function channelMatrixFile(version: ChannelMatrixVersion, exportedAt: number): z.output<typeof ChannelMatrixFile> {
  return { format: CHANNEL_MATRIX_FORMAT, version: version.version, exportedAt, matrix: version.matrix };
}

// ---------------------------------------------------------------- what changed

/** One line of what a version changed: the English (kept in the history) and its catalog key. */
export interface MatrixChange {
  message: string;
  text: StoredSentence;
}

const change = (said: Said, nested?: Record<string, SentenceKey>): MatrixChange => ({ message: said.message, text: { ...sentenceKeyOf(said), ...(nested ? { nested } : {}) } });

/** A day's ranges as the history writes them ("09:00–12:00, 13:00–17:00"), or "closed". */
function dayText(weekly: ChannelHours['weekly'], day: Weekday): string {
  if (weekly === '24/7') return '24/7';
  const ranges = weekly[day] ?? [];
  return ranges.length === 0 ? 'closed' : ranges.map((r) => `${r.start}–${r.end}`).join(', ');
}

/** A handoff rule in words ("chat → email (keeps the full transcript)"). */
export function handoffRuleSaid(r: HandoffRule): Said {
  const { from, to } = r;
  const [a, b, c] = [r.keep, r.produce, r.visibility].filter((part) => part !== undefined);
  if (a === undefined) return say('matrixRule', { from, to });
  if (b === undefined) return say('matrixRule1', { from, to, a });
  return c === undefined ? say('matrixRule2', { from, to, a, b }) : say('matrixRule3', { from, to, a, b, c });
}

function hoursChanges(channel: Channel, a: ChannelHours, b: ChannelHours): MatrixChange[] {
  const out: MatrixChange[] = [];
  if (a.timeZone !== b.timeZone) out.push(change(say('matrixChangeTimeZone', { channel, from: a.timeZone, to: b.timeZone })));
  if (b.weekly === '24/7') {
    if (a.weekly !== '24/7') out.push(change(say('matrixChangeTo247', { channel })));
  } else {
    for (const day of WEEKDAYS) {
      const from = dayText(a.weekly, day);
      const to = dayText(b.weekly, day);
      if (from !== to) out.push(change(say('matrixChangeDay', { channel, day, from, to })));
    }
  }
  const holiday = (h: Holiday) => `${h.date}\u0000${h.name}`;
  const was = new Set(a.holidays.map(holiday));
  const now = new Set(b.holidays.map(holiday));
  for (const h of a.holidays) if (!now.has(holiday(h))) out.push(change(say('matrixChangeHolidayRemoved', { channel, date: h.date, name: h.name })));
  for (const h of b.holidays) if (!was.has(holiday(h))) out.push(change(say('matrixChangeHolidayAdded', { channel, date: h.date, name: h.name })));
  return out;
}

/** The sentences of one field's old and new value, all with the params {channel, from, to}. */
type ValueChangeKey = 'matrixChangePlatform' | 'matrixChangeSla' | 'matrixChangePriority' | 'matrixChangeAutoReply' | 'matrixChangeAutoReplyText' | 'matrixChangeClosedText' | 'matrixChangeBackup' | 'matrixChangeCost';
const sayValueChange = say as (key: ValueChangeKey, params: { channel: Channel; from: string | number; to: string | number }) => Said;

/** The changes from `before` to `after`, one line each ("Chat first-response SLA: 60 s → 120 s"), with their keys. */
export function matrixChanges(before: ChannelMatrix, after: ChannelMatrix): MatrixChange[] {
  const out: MatrixChange[] = [];
  for (const channel of CHANNELS) {
    const a = before.channels[channel];
    const b = after.channels[channel];
    const line = (key: ValueChangeKey, from: string | number, to: string | number) => from !== to && out.push(change(sayValueChange(key, { channel, from, to })));
    line('matrixChangePlatform', a.platform, b.platform);
    out.push(...hoursChanges(channel, a.hours, b.hours));
    line('matrixChangeSla', a.firstResponseSlaSeconds, b.firstResponseSlaSeconds);
    line('matrixChangePriority', a.routingPriority, b.routingPriority);
    line('matrixChangeAutoReply', a.autoReply.enabled ? 'on' : 'off', b.autoReply.enabled ? 'on' : 'off');
    line('matrixChangeAutoReplyText', JSON.stringify(a.autoReply.text), JSON.stringify(b.autoReply.text));
    line('matrixChangeClosedText', JSON.stringify(a.autoReply.closedText), JSON.stringify(b.autoReply.closedText));
    line('matrixChangeBackup', a.backupChannel ?? 'none', b.backupChannel ?? 'none');
    line('matrixChangeCost', a.costPerContact, b.costPerContact);
  }
  const rules = (list: readonly HandoffRule[]) => list.map(handoffRuleSaid);
  const was = rules(before.handoff);
  const now = rules(after.handoff);
  const has = (list: Said[], r: Said) => list.some((x) => x.message === r.message);
  for (const r of now) if (!has(was, r)) out.push(change(say('matrixRuleAdded', { rule: r.message }), { rule: sentenceKeyOf(r) }));
  for (const r of was) if (!has(now, r)) out.push(change(say('matrixRuleRemoved', { rule: r.message }), { rule: sentenceKeyOf(r) }));
  if (out.length === 0 && was.map((r) => r.message).join('\n') !== now.map((r) => r.message).join('\n')) out.push(change(say('matrixRulesReordered')));
  return out;
}

/** The changes from `before` to `after` in English, one line each. */
export function diffChannelMatrix(before: ChannelMatrix, after: ChannelMatrix): string[] {
  return matrixChanges(before, after).map((c) => c.message);
}

// ---------------------------------------------------------------- defaults from today's configuration

/** First-response SLA per channel in seconds when the configuration names none. */
export const DEFAULT_FIRST_RESPONSE_SLA_SECONDS: Readonly<Record<Channel, number>> = {
  chat: 60,
  in_app: 60,
  phone: 30,
  sms: 300,
  messenger: 300,
  instagram: 300,
  x: 900,
  email: 4 * 3600,
  portal: 4 * 3600,
};


export const DEFAULT_PLATFORMS: Readonly<Record<Channel, string>> = {
  email: 'IMAP/SMTP',
  chat: 'Website widget',
  phone: 'Twilio Voice',
  messenger: 'Meta Messenger',
  instagram: 'Meta Instagram',
  x: 'X API',
  sms: 'Twilio SMS',
  in_app: 'In-app SDK',
  portal: 'Self-service portal',
};

const OPEN_TEXT = "Thanks for reaching out! We'll respond within 4 hours.";
const CLOSED_TEXT = "Thanks for reaching out! Our team is away right now; we'll answer as soon as we're back.";
/** The desktop's email auto-reply defaults (src/main/config.ts), so a saved matrix keeps them. */
const EMAIL_OPEN_TEXT = "We've received your request. Expect a response within {responseTime}.";
const EMAIL_CLOSED_TEXT = "We've received your request. We're closed right now and open again on {opensAt}; expect a response within {responseTime} after that.";

/** What today's configuration files say; anything left out takes the built-in default. */
export interface MatrixSources {
  slaSeconds?: Partial<Record<Channel, number>>;
  backup?: Partial<Record<Channel, Channel>>;
  hours?: Partial<Record<Channel, CalendarInput | null>>;
  autoReply?: Partial<Record<Channel, { enabled: boolean; text: string; closedText: string }>>;
  costs?: Partial<Record<Channel, { perContact?: number | undefined }>>;
  handoff?: readonly HandoffRule[];
}

/** The matrix that changes nothing: built from the values the configuration files hold today. */
export function defaultChannelMatrix(src: MatrixSources = {}): ChannelMatrix {
  const channels = Object.fromEntries(
    CHANNELS.map((channel) => {
      const cal = src.hours?.[channel] ?? DEFAULT_CALENDAR_CONFIG[channel];
      const auto =
        src.autoReply?.[channel] ??
        (channel === 'email'
          ? { enabled: true, text: EMAIL_OPEN_TEXT, closedText: EMAIL_CLOSED_TEXT }
          : { enabled: ['sms', 'messenger', 'instagram', 'x'].includes(channel), text: OPEN_TEXT, closedText: CLOSED_TEXT });
      const settings: ChannelSettings = {
        platform: DEFAULT_PLATFORMS[channel],
        hours: { timeZone: cal.timeZone, weekly: cal.weekly, holidays: cal.holidays ?? [] },
        firstResponseSlaSeconds: src.slaSeconds?.[channel] ?? DEFAULT_FIRST_RESPONSE_SLA_SECONDS[channel],
        routingPriority: 5,
        autoReply: { enabled: auto.enabled, text: auto.text, closedText: auto.closedText },
        backupChannel: src.backup ? (src.backup[channel] ?? null) : null,
        costPerContact: src.costs?.[channel]?.perContact ?? 0,
      };
      return [channel, settings];
    }),
  ) as Record<Channel, ChannelSettings>;
  return ChannelMatrix.parse({ channels, handoff: [...(src.handoff ?? DEFAULT_HANDOFF_RULES)] });
}

// ---------------------------------------------------------------- what the engines read from it

const calendars = new WeakMap<ChannelHours, BusinessCalendar>();

/** The channel's hours as a validated calendar for the time engine (cached per matrix version). */
export function channelCalendar(matrix: ChannelMatrix, channel: Channel): BusinessCalendar {
  const hours = matrix.channels[channel].hours;
  let calendar = calendars.get(hours);
  if (!calendar) {
    const parsed = parseCalendar({ id: `${channel}-hours`, ...hours });
    // The matrix schema already refused hours that are malformed or never open.
    if (!parsed.ok) throw new Error(parsed.error.message);
    calendar = parsed.value;
    calendars.set(hours, calendar);
  }
  return calendar;
}

/** The dashboard's cost settings with each channel's cost per contact from the matrix (other cost parts kept). */
export function costsWithMatrix<C extends { perContact?: number | undefined }>(base: Partial<Record<Channel, C>>, matrix: ChannelMatrix): Partial<Record<Channel, C>> {
  const out: Partial<Record<Channel, C>> = { ...base };
  for (const channel of CHANNELS) out[channel] = { ...(base[channel] ?? ({} as C)), perContact: matrix.channels[channel].costPerContact };
  return out;
}

/** "5 minutes", "4 hours": a first-response SLA as an auto-reply says it. */
export function responseTimeWords(seconds: number): string {
  if (seconds < 3_600) {
    const minutes = Math.max(1, Math.round(seconds / 60));
    return minutes === 1 ? '1 minute' : `${minutes} minutes`;
  }
  const hours = Math.round((seconds / 3_600) * 10) / 10;
  return hours === 1 ? '1 hour' : `${hours} hours`;
}

/**
 * The auto-reply a channel sends at `now`, or null when it is off: the open text, or outside the
 * hours the closed one; {responseTime} is the channel's first-response SLA, {opensAt} the next
 * opening in the hours' own zone ("Monday, March 2 at 09:00 (Europe/Berlin)").
 */
export function autoReplyText(matrix: ChannelMatrix, channel: Channel, now: number): string | null {
  const s = matrix.channels[channel];
  if (!s.autoReply.enabled) return null;
  const calendar = channelCalendar(matrix, channel);
  const values: Record<string, string> = { responseTime: responseTimeWords(s.firstResponseSlaSeconds) };
  const fill = (text: string) => text.replace(/\{(\w+)\}/g, (all, name: string) => values[name] ?? all);
  if (isOpen(calendar, now)) return fill(s.autoReply.text);
  const opening = nextOpening(calendar, now);
  if (opening.ok) {
    const parts = new Intl.DateTimeFormat('en-US', { timeZone: s.hours.timeZone, weekday: 'long', month: 'long', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(opening.value);
    const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
    values.opensAt = `${part('weekday')}, ${part('month')} ${part('day')} at ${part('hour')}:${part('minute')} (${s.hours.timeZone})`;
  }
  return fill(s.autoReply.closedText);
}
