// A customer's data export as CSV or JSON, from records already masked and already stripped of
// restricted channels (the service does both). Pure: the export time is passed in.
import type { Channel, CustomerProfile, TimelineEvent } from '../domain';
import { toCsv, type CsvCell } from './csv';

export interface ExcludedChannel {
  channel: Channel;
  events: number;
  /** The sentence the export carries instead of the content. */
  note: string;
}

export interface CustomerExport {
  exportedAt: string;
  customer: Pick<CustomerProfile, 'id' | 'name' | 'company' | 'title' | 'tier' | 'vip' | 'language' | 'timezone' | 'preferredChannel'>;
  identities: CustomerProfile['identities'];
  events: Array<Pick<TimelineEvent, 'id' | 'caseId' | 'channel' | 'direction' | 'kind' | 'authorName' | 'subject' | 'body'> & { occurredAt: string; masked: string[] }>;
  excluded: ExcludedChannel[];
}

export const CSV_HEADER = ['record', 'id', 'time', 'channel', 'direction', 'kind', 'author', 'subject', 'text'] as const;

export function exportToCsv(data: CustomerExport): string {
  const c = data.customer;
  const rows: CsvCell[][] = [[...CSV_HEADER]];
  rows.push(['customer', c.id, data.exportedAt, c.preferredChannel, null, c.tier, c.name, [c.title, c.company].filter(Boolean).join(', ') || null, [c.language, c.timezone].filter(Boolean).join(' · ') || null]);
  for (const i of data.identities) rows.push(['identity', null, null, i.kind === 'social' ? i.platform : i.kind, null, i.verified ? 'verified' : 'unverified', null, i.display || null, i.value]);
  for (const e of data.events) rows.push(['event', e.id, e.occurredAt, e.channel, e.direction, e.kind, e.authorName, e.subject, e.body]);
  for (const x of data.excluded) rows.push(['excluded', null, null, x.channel, null, null, null, `${x.events} events`, x.note]);
  return toCsv(rows);
}

export function exportFileName(customer: { id: number; name: string }, format: 'csv' | 'json', exportedAt: string): string {
  const slug = customer.name.normalize('NFKD').replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '').toLowerCase() || 'customer';
  return `customer-${customer.id}-${slug}-${exportedAt.slice(0, 10)}.${format}`;
}
