// The weekly report as CSV, laid out like the printed one: period, volume distribution, channel
// performance, cross-channel metrics, cost per contact, deflection. Numbers stay numbers (shares
// and rates as fractions, times in minutes) so BI tools can read them. Pure.
import { DateTime } from 'luxon';
import { CHANNEL_LABELS } from '../domain';
import { toCsv, type CsvCell } from '../privacy/csv';
import type { Dashboard } from './dashboard';

const round = (n: number | null, digits: number): number | null => (n === null ? null : Math.round(n * 10 ** digits) / 10 ** digits);
const minutes = (ms: number | null) => round(ms === null ? null : ms / 60_000, 1);
const fraction = (r: number | null) => round(r, 4);
const money = (n: number | null) => round(n, 2);

/** The report's first and last day (inclusive) in the center's time zone, as ISO dates. */
export function reportPeriod(d: Pick<Dashboard, 'range' | 'timeZone'>): { first: string; last: string } {
  const first = DateTime.fromMillis(d.range.from, { zone: d.timeZone }).toISODate()!;
  const last = DateTime.fromMillis(d.range.to - 1, { zone: d.timeZone }).toISODate()!;
  return { first, last };
}

export function dashboardReportRows(d: Dashboard): CsvCell[][] {
  const { first, last } = reportPeriod(d);
  const rows: CsvCell[][] = [
    ['Weekly channel report'],
    ['Period', first, last],
    ['Time zone', d.timeZone],
    ['Channels', d.channels.map((c) => CHANNEL_LABELS[c]).join(' ')],
    [],
    ['Volume distribution'],
    ['Channel', 'Contacts', 'Share'],
    ...d.volume.map((v) => [v.label, v.contacts, fraction(v.share)]),
    ['Total', d.totals.contacts + d.totals.deflected, d.volume.length > 0 ? 1 : null],
    [],
    ['Channel performance'],
    ['Channel', 'Contacts', 'Avg handle time (min)', 'First response (min)', 'Resolution rate', 'CSAT', 'CSAT answers'],
    ...d.performance.map((p) => [CHANNEL_LABELS[p.channel], p.contacts, minutes(p.avgHandleTimeMs), minutes(p.avgFirstResponseMs), fraction(p.resolutionRate), round(p.csatAverage, 2), p.csatResponses]),
    ['All channels', d.totals.contacts, minutes(d.totals.avgHandleTimeMs), minutes(d.totals.avgFirstResponseMs), fraction(d.totals.resolutionRate), round(d.totals.csatAverage, 2), null],
    [],
    ['Cross-channel'],
    ['Metric', 'Value'],
    ['Channel switch rate', fraction(d.crossChannel.channelSwitchRate)],
    ['Context preserved on switch', fraction(d.crossChannel.contextPreservedRate)],
    ['Average channels per resolved issue', round(d.crossChannel.avgChannelsPerResolvedIssue, 2)],
    [],
    ['Cost per contact'],
    ['Channel', 'Contacts', `Cost (${d.currency})`, `Cost per contact (${d.currency})`],
    ...d.performance.map((p) => [CHANNEL_LABELS[p.channel], p.contacts, money(p.cost), money(p.costPerContact)]),
    ['All channels', d.totals.contacts, money(d.totals.cost), money(d.totals.costPerContact)],
    [],
    ['Deflection'],
    ['Portal views', d.deflection.portalViews],
    ['Deflected contacts', d.deflection.deflected],
    ['Deflection rate', fraction(d.deflection.deflectionRate)],
    ['Article', 'Views', 'Deflected'],
    ...d.deflection.topArticles.map((a) => [a.title, a.views, a.deflected]),
  ];
  return rows;
}

export function dashboardCsv(d: Dashboard): string {
  return toCsv(dashboardReportRows(d));
}
