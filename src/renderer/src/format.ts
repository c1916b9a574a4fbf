// Labels the workspace shows for times and states: wait times, SLA badges, timestamps, delivery.
// Every function takes "now" or a formatter, so tests can pin the clock; the words come from the
// catalogs (i18n/<lang>/queue.ts), so tests pin the language too.
import { slaState, type SlaState } from '../../shared/queueOrder';
import type { DeliveryStatus } from '../../shared/domain';
import { t } from './i18n';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** "<1m", "4m", "2h", "3d" ("<1 Min.", "4 Min.", "2 Std.", "3 T." in German): the largest whole unit, rounded down. */
export function formatCompactDuration(ms: number): string {
  const span = Math.max(0, ms);
  if (span < MINUTE) return t('queue:duration.underMinute');
  if (span < HOUR) return t('queue:duration.minutes', { count: Math.floor(span / MINUTE) });
  if (span < DAY) return t('queue:duration.hours', { count: Math.floor(span / HOUR) });
  return t('queue:duration.days', { count: Math.floor(span / DAY) });
}

/** How long the customer has waited, e.g. "4m". */
export function formatWait(waitingSince: number, now: number): string {
  return formatCompactDuration(now - waitingSince);
}

export interface SlaBadge {
  state: Exclude<SlaState, 'none'>;
  label: string;
}

/**
 * The SLA badge of a queue row: "SLA 1:32 left" (hours:minutes, rounded up so a clock with
 * seconds left never reads 0:00), "SLA 2d 4h left" for long clocks, "Breached 3h" once due.
 * Null when no clock runs.
 */
export function slaBadge(slaDueAt: number | null, waitingSince: number, now: number): SlaBadge | null {
  const state = slaState(slaDueAt, waitingSince, now);
  if (state === 'none' || slaDueAt === null) return null;
  if (state === 'breached') return { state, label: t('queue:sla.breached', { duration: formatCompactDuration(now - slaDueAt) }) };
  const minutesLeft = Math.ceil((slaDueAt - now) / MINUTE);
  if (minutesLeft >= 48 * 60) {
    const days = Math.floor(minutesLeft / (24 * 60));
    const hours = Math.floor((minutesLeft % (24 * 60)) / 60);
    return { state, label: hours ? t('queue:sla.daysHoursLeft', { days, hours }) : t('queue:sla.daysLeft', { days }) };
  }
  const hours = Math.floor(minutesLeft / 60);
  const minutes = minutesLeft % 60;
  return { state, label: t('queue:sla.clockLeft', { clock: `${hours}:${String(minutes).padStart(2, '0')}` }) };
}

export interface DateFormats {
  /** "Jan 10, 2:12 PM": a timeline event's time ("Oct 4, 2025, 9:31 AM" in another year). */
  eventTime(at: number): string;
  /** "Jan 10": the day in channel-switch notices ("Oct 4, 2025" in another year). */
  day(at: number): string;
  /** "Friday, January 10, 2025 at 2:12 PM": the full date for tooltips. */
  full(at: number): string;
}

/**
 * Formatters in the agent's locale (undefined = the browser's) and, optionally, a fixed time zone.
 * Dates of the current year leave the year out; `now` tells which year that is.
 */
export function createDateFormats(locale?: string | string[], timeZone?: string, now: () => number = Date.now): DateFormats {
  const tz = timeZone ? { timeZone } : {};
  const make = (options: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat(locale, { ...options, ...tz });
  const year = make({ year: 'numeric' });
  const eventTime = make({ month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' });
  const eventTimeYear = make({ year: 'numeric', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' });
  const day = make({ month: 'short', day: 'numeric' });
  const dayYear = make({ year: 'numeric', month: 'short', day: 'numeric' });
  const full = make({ dateStyle: 'full', timeStyle: 'short' });
  const thisYear = (at: number) => year.format(at) === year.format(now());
  return {
    eventTime: (at) => (thisYear(at) ? eventTime : eventTimeYear).format(at),
    day: (at) => (thisYear(at) ? day : dayYear).format(at),
    full: (at) => full.format(at),
  };
}

export function deliveryLabel(status: DeliveryStatus): string {
  return t(`enums:delivery.${status}`);
}

/** "JS" for "Jane Smith": the avatar's letters. */
export function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  const first = parts[0]?.[0] ?? '?';
  const last = parts.length > 1 ? (parts[parts.length - 1]?.[0] ?? '') : '';
  return (first + last).toUpperCase();
}

/** "Urgent" for "urgent": enum values as labels. */
export function capitalize(value: string): string {
  return value ? value[0]!.toUpperCase() + value.slice(1).replace(/_/g, ' ') : value;
}
