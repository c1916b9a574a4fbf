import { describe, expect, it } from 'vitest';
import { csvField, toCsv } from '../../src/shared/privacy/csv';
import { exportFileName, exportToCsv, type CustomerExport } from '../../src/shared/privacy/exportFormat';
import { excerpt, maskEvent, maskSearchHit, maskedKinds } from '../../src/shared/privacy/maskRecords';
import { PrivacySettings } from '../../src/shared/privacy/settings';
import type { TimelineEvent } from '../../src/shared/domain';

/** The fields of one CSV record, parsed the RFC 4180 way (for checking what a spreadsheet would read). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += ch;
  }
  return rows;
}

describe('CSV export cells', () => {
  it('quotes fields with commas, quotes and line breaks, doubling the quotes', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('line1\nline2')).toBe('"line1\nline2"');
    expect(csvField('plain')).toBe('plain');
    expect(csvField(null)).toBe('');
    expect(csvField(42)).toBe('42');
  });

  it.each(['=HYPERLINK("http://evil","x")', '+1+1', '-2+3', '@SUM(A1)', '\tcmd', '\rcmd'])('keeps a would-be formula as text: %s', (cell) => {
    const out = csvField(cell);
    const back = parseCsv(`${out}\r\n`)[0]![0]!;
    expect(back).toBe(`'${cell}`);
  });

  it('round-trips rows with every awkward character', () => {
    const rows = [
      ['id', 'text'],
      ['1', 'comma, "quote"\r\nand a new line'],
      ['2', ''],
    ];
    expect(parseCsv(toCsv(rows))).toEqual(rows);
  });
});

const event = (over: Partial<TimelineEvent>): TimelineEvent => ({
  id: 1,
  caseId: 1,
  customerId: 1,
  channel: 'sms',
  direction: 'in',
  kind: 'message',
  authorType: 'customer',
  authorName: 'Dana',
  subject: null,
  body: '',
  metadata: {},
  occurredAt: 0,
  delivery: null,
  deliveryDetail: null,
  ...over,
});

describe('masked records', () => {
  const settings = PrivacySettings.parse({});

  it('a masked event says which kinds it hides; an event with nothing to hide is returned as it was', () => {
    const e = event({ body: 'card 4242 4242 4242 4242' });
    const m = maskEvent(e, settings);
    expect(m.body).toBe('card •••• •••• •••• 4242');
    expect(maskedKinds(m)).toEqual(['card']);
    const plain = event({ body: 'hello' });
    expect(maskEvent(plain, settings)).toBe(plain);
  });

  it('a search snippet cut through a card number is rebuilt from the masked text', () => {
    const hit = { eventId: 1, caseId: 1, customerId: 1, customerName: 'Dana', channel: 'sms' as const, subject: null, snippet: '…[refund] 4242 4242 4242', occurredAt: 0 };
    const masked = maskSearchHit(hit, settings, { body: 'Please refund 4242 4242 4242 4242 today', words: ['refund'] });
    expect(masked.snippet).toBe('Please refund •••• •••• •••• 4242 today');
    expect(masked.snippet).not.toMatch(/4242 4242/);
  });

  it('an excerpt is cut around the first word found', () => {
    const text = `${'x'.repeat(200)} needle ${'y'.repeat(200)}`;
    const out = excerpt(text, ['needle']);
    expect(out.startsWith('…')).toBe(true);
    expect(out).toContain('needle');
    expect(out.length).toBeLessThan(130);
  });
});

describe('the customer export', () => {
  const data: CustomerExport = {
    exportedAt: '2025-01-02T03:04:05.000Z',
    customer: { id: 7, name: 'Dana "D" Smith', company: 'Acme, Inc.', title: null, tier: 'premium', vip: false, language: 'en', timezone: null, preferredChannel: 'sms' },
    identities: [{ kind: 'phone', platform: '', value: '+14155550100', display: '+1 415-555-0100', verified: true }],
    events: [{ id: 3, caseId: 1, channel: 'sms', direction: 'in', kind: 'message', authorName: 'Dana', subject: null, body: '=cmd|calc, card •••• •••• •••• 4242', occurredAt: '2025-01-01T00:00:00.000Z', masked: ['card'] }],
    excluded: [{ channel: 'phone', events: 2, note: '2 Phone events are not exported: Phone is a restricted channel (HIPAA).' }],
  };

  it('writes a header, the customer, identities, events and the withheld channels as CSV a spreadsheet reads safely', () => {
    const rows = parseCsv(exportToCsv(data));
    expect(rows[0]).toEqual(['record', 'id', 'time', 'channel', 'direction', 'kind', 'author', 'subject', 'text']);
    expect(rows[1]!.slice(0, 2)).toEqual(['customer', '7']);
    expect(rows[1]![6]).toBe('Dana "D" Smith');
    expect(rows[2]![0]).toBe('identity');
    expect(rows[3]![8]).toBe("'=cmd|calc, card •••• •••• •••• 4242");
    expect(rows[4]).toEqual(['excluded', '', '', 'phone', '', '', '', '2 events', '2 Phone events are not exported: Phone is a restricted channel (HIPAA).']);
    // The identity value "+14155550100" would run as a formula: it is text.
    expect(rows[2]![8]).toBe("'+14155550100");
  });

  it('names the file after the customer and the day', () => {
    expect(exportFileName({ id: 7, name: 'Zoë O’Brien' }, 'csv', '2025-01-02T03:04:05.000Z')).toBe('customer-7-zoe-o-brien-2025-01-02.csv');
  });
});
