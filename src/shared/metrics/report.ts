// The weekly report as CSV, laid out like the printed one: period, volume distribution, channel
// performance, cross-channel metrics, cost per contact, deflection. Numbers stay numbers (shares
// and rates as fractions, times in minutes) so BI tools can read them. Pure.
import { DateTime } from 'luxon';
import { CHANNEL_LABELS, type Channel } from '../domain';
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

/** The report's words: English here (the hub's report endpoint); the workspace passes the supervisor's language. */
export const REPORT_WORDS_EN = {
  title: 'Weekly channel report',
  period: 'Period',
  timeZone: 'Time zone',
  channels: 'Channels',
  volume: 'Volume distribution',
  channel: 'Channel',
  contacts: 'Contacts',
  share: 'Share',
  total: 'Total',
  performance: 'Channel performance',
  handleTime: 'Avg handle time (min)',
  firstResponse: 'First response (min)',
  resolutionRate: 'Resolution rate',
  csat: 'CSAT',
  csatAnswers: 'CSAT answers',
  allChannels: 'All channels',
  crossChannel: 'Cross-channel',
  metric: 'Metric',
  value: 'Value',
  switchRate: 'Channel switch rate',
  contextPreserved: 'Context preserved on switch',
  channelsPerIssue: 'Average channels per resolved issue',
  costPerContactTitle: 'Cost per contact',
  cost: 'Cost ({{currency}})',
  costPerContact: 'Cost per contact ({{currency}})',
  deflection: 'Deflection',
  portalViews: 'Portal views',
  deflected: 'Deflected contacts',
  deflectionRate: 'Deflection rate',
  article: 'Article',
  views: 'Views',
  deflectedShort: 'Deflected',
  portalDeflected: 'Portal (deflected)',
} as const;
export type ReportWords = { readonly [K in keyof typeof REPORT_WORDS_EN]: string };

/** The report's rows; channels are named by `channelName` (English by default). */
export function dashboardReportRows(d: Dashboard, words: ReportWords = REPORT_WORDS_EN, channelName: (c: Channel) => string = (c) => CHANNEL_LABELS[c]): CsvCell[][] {
  const { first, last } = reportPeriod(d);
  const w = words;
  const withCurrency = (text: string) => text.replace('{{currency}}', d.currency);
  const rows: CsvCell[][] = [
    [w.title],
    [w.period, first, last],
    [w.timeZone, d.timeZone],
    [w.channels, d.channels.map(channelName).join(' ')],
    [],
    [w.volume],
    [w.channel, w.contacts, w.share],
    ...d.volume.map((v) => [v.key === 'deflected' ? w.portalDeflected : channelName(v.key), v.contacts, fraction(v.share)]),
    [w.total, d.totals.contacts + d.totals.deflected, d.volume.length > 0 ? 1 : null],
    [],
    [w.performance],
    [w.channel, w.contacts, w.handleTime, w.firstResponse, w.resolutionRate, w.csat, w.csatAnswers],
    ...d.performance.map((p) => [channelName(p.channel), p.contacts, minutes(p.avgHandleTimeMs), minutes(p.avgFirstResponseMs), fraction(p.resolutionRate), round(p.csatAverage, 2), p.csatResponses]),
    [w.allChannels, d.totals.contacts, minutes(d.totals.avgHandleTimeMs), minutes(d.totals.avgFirstResponseMs), fraction(d.totals.resolutionRate), round(d.totals.csatAverage, 2), null],
    [],
    [w.crossChannel],
    [w.metric, w.value],
    [w.switchRate, fraction(d.crossChannel.channelSwitchRate)],
    [w.contextPreserved, fraction(d.crossChannel.contextPreservedRate)],
    [w.channelsPerIssue, round(d.crossChannel.avgChannelsPerResolvedIssue, 2)],
    [],
    [w.costPerContactTitle],
    [w.channel, w.contacts, withCurrency(w.cost), withCurrency(w.costPerContact)],
    ...d.performance.map((p) => [channelName(p.channel), p.contacts, money(p.cost), money(p.costPerContact)]),
    [w.allChannels, d.totals.contacts, money(d.totals.cost), money(d.totals.costPerContact)],
    [],
    [w.deflection],
    [w.portalViews, d.deflection.portalViews],
    [w.deflected, d.deflection.deflected],
    [w.deflectionRate, fraction(d.deflection.deflectionRate)],
    [w.article, w.views, w.deflectedShort],
    ...d.deflection.topArticles.map((a) => [a.title, a.views, a.deflected]),
  ];
  return rows;
}

export function dashboardCsv(d: Dashboard, words?: ReportWords, channelName?: (c: Channel) => string): string {
  return toCsv(dashboardReportRows(d, words, channelName));
}
