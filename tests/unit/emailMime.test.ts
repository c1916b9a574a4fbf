// Reading one email: what the agent sees from ordinary and broken mail, which limits quarantine a
// message and with what sentence, and how attachments are named and stored.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  DEFAULT_MIME_LIMITS,
  htmlToPlainText,
  normalizeMessageId,
  parseEmail,
  parseMailDate,
  referencesOf,
  sanitizeFilename,
  type ParsedEmail,
  type ParseEmailResult,
  type Quarantined,
} from '../../src/main/email/mime';
import { AttachmentStore } from '../../src/main/email/attachmentStore';
import { tempDir } from '../helpers/tempDir';

const RECEIVED = Date.UTC(2025, 0, 10, 9, 0);
const mail = (...lines: string[]) => Buffer.from(lines.join('\r\n'), 'latin1');

function parsed(r: ParseEmailResult): ParsedEmail {
  if (r.kind !== 'parsed') throw new Error(`expected a parsed email, got: ${r.reason}`);
  return r;
}
function quarantined(r: ParseEmailResult): Quarantined {
  if (r.kind !== 'quarantined') throw new Error('expected a quarantined email');
  return r;
}

describe('an ordinary email', () => {
  const raw = mail(
    'From: =?UTF-8?B?SsO8cmdlbiBHcm/Dnw==?= <juergen@example.com>',
    'To: Support <support@desk.example>, "Other, Person" <other@example.com>',
    'Cc: undisclosed-recipients:;',
    'Reply-To: billing@example.com',
    'Subject: =?UTF-8?Q?R=C3=BCckerstattung?= for order 42',
    'Date: Tue, 7 Jan 2025 14:03:00 +0100',
    'Message-ID: <abc.123@mail.example.com>',
    'In-Reply-To: <prev@desk.example>',
    'References: <root@desk.example>',
    ' <prev@desk.example>',
    'Auto-Submitted: no',
    'List-Id: Customers <customers.example.com>',
    'Return-Path: <bounce+42@example.com>',
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="outer"',
    '',
    '--outer',
    'Content-Type: multipart/alternative; boundary="alt"',
    '',
    '--alt',
    'Content-Type: text/plain; charset=utf-8',
    '',
    'Hello, I would like a refund.',
    '--alt',
    'Content-Type: text/html; charset=utf-8',
    '',
    '<p>Hello, I would like a <b>refund</b>.</p><img src="cid:sig@example.com">',
    '--alt--',
    '--outer',
    'Content-Type: image/png; name="sig.png"',
    'Content-ID: <sig@example.com>',
    'Content-Disposition: inline; filename="sig.png"',
    'Content-Transfer-Encoding: base64',
    '',
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
    '--outer',
    'Content-Type: application/pdf; name="invoice.pdf"',
    'Content-Disposition: attachment; filename="invoice.pdf"',
    'Content-Transfer-Encoding: base64',
    '',
    'JVBERi0xLjQKJSVFT0YK',
    '--outer--',
    '',
  );

  it('yields the fields threading, identity and the timeline need', async () => {
    const e = parsed(await parseEmail(raw, { receivedAt: RECEIVED }));
    expect(e.messageId).toBe('<abc.123@mail.example.com>');
    expect(e.inReplyTo).toBe('<prev@desk.example>');
    expect(e.references).toEqual(['<root@desk.example>', '<prev@desk.example>']);
    expect(e.subject).toBe('Rückerstattung for order 42');
    expect(e.from).toEqual({ name: 'Jürgen Groß', address: 'juergen@example.com' });
    expect(e.to.map((a) => a.address)).toEqual(['support@desk.example', 'other@example.com']);
    expect(e.to[1]!.name).toBe('Other, Person');
    expect(e.cc).toEqual([]);
    expect(e.replyTo.map((a) => a.address)).toEqual(['billing@example.com']);
    expect(e.date).toBe(Date.UTC(2025, 0, 7, 13, 3));
    expect(e.dateFromHeader).toBe(true);
    expect(e.text.trim()).toBe('Hello, I would like a refund.');
    expect(e.html).toContain('<img src="cid:sig@example.com">');
    expect(e.autoSubmitted).toBe('no');
    expect(e.listId).toBe('Customers <customers.example.com>');
    expect(e.returnPath).toBe('bounce+42@example.com');
    expect(e.headerHash).toMatch(/^[0-9a-f]{64}$/);
    expect(e.notes).toEqual([]);
  });

  it('lists attachments with safe names, hashes and the inline image by its Content-ID', async () => {
    const e = parsed(await parseEmail(raw, { receivedAt: RECEIVED }));
    expect(e.attachments.map((a) => [a.filename, a.contentType, a.inline, a.contentId])).toEqual([
      ['sig.png', 'image/png', true, 'sig@example.com'],
      ['invoice.pdf', 'application/pdf', false, null],
    ]);
    const pdf = e.attachments[1]!;
    expect(pdf.content.toString()).toBe('%PDF-1.4\n%%EOF\n');
    expect(pdf.size).toBe(pdf.content.length);
    expect(pdf.sha256).toBe(crypto.createHash('sha256').update('%PDF-1.4\n%%EOF\n').digest('hex'));
  });

  it('reads the HTML as text when there is no text part', async () => {
    const e = parsed(await parseEmail(mail('From: a@example.com', 'Content-Type: text/html', '', '<html><head><style>p{}</style></head><body><p>Dear team,</p><p>it is <b>broken</b> &amp; urgent.</p><script>x()</script></body></html>'), { receivedAt: RECEIVED }));
    expect(e.text).toContain('Dear team,');
    expect(e.text).toContain('it is broken & urgent.');
    expect(e.text).not.toMatch(/<|x\(\)|p\{\}/);
  });

  it('summarizes a message forwarded as an attachment', async () => {
    const e = parsed(
      await parseEmail(
        mail(
          'From: agent@example.com',
          'Content-Type: multipart/mixed; boundary=f',
          '',
          '--f',
          'Content-Type: text/plain',
          '',
          'See the customer mail below.',
          '--f',
          'Content-Type: message/rfc822',
          '',
          'From: Customer <c@example.org>',
          'Subject: =?UTF-8?Q?K=C3=BCndigung?=',
          'Date: Mon, 6 Jan 2025 08:00:00 +0000',
          'Message-ID: <orig@example.org>',
          '',
          'I want to cancel.',
          '--f--',
        ),
        { receivedAt: RECEIVED },
      ),
    );
    expect(e.forwarded).toEqual([{ subject: 'Kündigung', from: { name: 'Customer', address: 'c@example.org' }, date: Date.UTC(2025, 0, 6, 8), messageId: '<orig@example.org>' }]);
    expect(e.attachments[0]).toMatchObject({ contentType: 'message/rfc822', filename: 'attachment-1.eml' });
  });
});

describe('mail in a legacy charset', () => {
  it('reads Latin-1 text sent without a charset as Latin-1, not as U+FFFD', async () => {
    const e = parsed(await parseEmail(mail('From: a@example.com', 'Content-Type: text/plain', '', 'Le caf\xe9 est pr\xeat, \xe0 bient\xf4t.'), { receivedAt: RECEIVED }));
    expect(e.text).toBe('Le café est prêt, à bientôt.');
    expect(e.notes.join(' ')).toMatch(/Windows-1252/);
  });

  it('repairs quoted-printable and base64 Latin-1 parts without a charset', async () => {
    const qp = parsed(await parseEmail(mail('From: a@example.com', 'Content-Type: text/plain', 'Content-Transfer-Encoding: quoted-printable', '', 'cr=E8me br=FBl=E9e'), { receivedAt: RECEIVED }));
    expect(qp.text).toBe('crème brûlée');
    const b64 = parsed(await parseEmail(mail('From: a@example.com', 'Content-Transfer-Encoding: base64', '', Buffer.from('Tromsø', 'latin1').toString('base64')), { receivedAt: RECEIVED }));
    expect(b64.text).toBe('Tromsø');
  });

  it('keeps UTF-8 text with one stray byte as UTF-8', async () => {
    const e = parsed(await parseEmail(Buffer.concat([Buffer.from('From: a@example.com\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nGrüße aus Köln, schöne Grüße '), Buffer.from([0xff])]), { receivedAt: RECEIVED }));
    expect(e.text).toBe('Grüße aus Köln, schöne Grüße \ufffd');
  });

  it('reads raw Latin-1 bytes in headers', async () => {
    const e = parsed(await parseEmail(mail('From: Fran\xe7ois M\xfcller <fm@example.com>', 'Subject: R\xe9clamation', '', 'x'), { receivedAt: RECEIVED }));
    expect(e.subject).toBe('Réclamation');
    expect(e.from).toEqual({ name: 'François Müller', address: 'fm@example.com' });
  });

  it('decodes declared legacy charsets', async () => {
    const koi8 = parsed(await parseEmail(mail('From: a@example.com', 'Content-Type: text/plain; charset=koi8-r', '', '\xf0\xd2\xc9\xd7\xc5\xd4'), { receivedAt: RECEIVED }));
    expect(koi8.text).toBe('Привет');
  });
});

describe('limits', () => {
  const filler = (bytes: number) => 'X-Filler: '.concat('f'.repeat(90), '\r\n').repeat(Math.ceil(bytes / 102));

  it('quarantines a header block over 1 MB with a sentence the agent can read', async () => {
    const q = quarantined(await parseEmail(Buffer.from(`Subject: big\r\nMessage-ID: <big@x>\r\n${filler(1.5 * 1024 * 1024)}\r\nbody`), { receivedAt: RECEIVED }));
    expect(q.code).toBe('header-too-large');
    expect(q.reason).toBe('The header block is larger than 1 MB; the message was not imported.');
    // The same sentence by its catalog key, so the mailbox settings show it in the agent's language.
    expect(q.said).toEqual({ key: 'quarantineHeaderTooLarge', params: { limit: 1024 * 1024 }, message: q.reason });
    expect(q.subject).toBe('big');
    expect(q.messageId).toBe('<big@x>');
    expect(q.headerHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('quarantines a message over the size limit', async () => {
    const q = quarantined(await parseEmail(Buffer.from(`Subject: =?UTF-8?Q?gr=C3=B6=C3=9Fer?=\r\n\r\n${'x'.repeat(3000)}`), { maxMessageBytes: 2048 }));
    expect(q.code).toBe('too-large');
    expect(q.reason).toBe('The message is 3 KB, larger than the 2 KB limit; it was not imported.');
    expect(q.said).toMatchObject({ key: 'quarantineTooLarge', params: { size: q.size, limit: 2048 } });
    expect(q.subject).toBe('größer');
  });

  it('quarantines nesting deeper than the limit and parses what is under it', async () => {
    const nest = (levels: number) => {
      let inner = 'Content-Type: text/plain\r\n\r\ninnermost\r\n';
      for (let i = levels; i > 0; i--) inner = `Content-Type: multipart/mixed; boundary="n${i}"\r\n\r\n--n${i}\r\n${inner}--n${i}--\r\n`;
      return Buffer.from(`From: a@example.com\r\n${inner}`);
    };
    expect(quarantined(await parseEmail(nest(11), { maxDepth: 10 })).reason).toBe('The message nests its parts more than 10 levels deep; it was not imported.');
    expect(parsed(await parseEmail(nest(10), { maxDepth: 10 })).text.trim()).toBe('innermost');
  });

  it('quarantines a message with more parts than the limit', async () => {
    const parts = Array.from({ length: 30 }, (_, i) => `--p\r\nContent-Type: text/plain\r\n\r\npart ${i}\r\n`).join('');
    const q = quarantined(await parseEmail(Buffer.from(`From: a@example.com\r\nContent-Type: multipart/mixed; boundary=p\r\n\r\n${parts}--p--\r\n`), { maxParts: 20 }));
    expect(q.code).toBe('too-many-parts');
    expect(q.reason).toBe('The message has more than 20 parts; it was not imported.');
  });

  it('drops an attachment over the limit with a note in the text and keeps the rest', async () => {
    const big = Buffer.alloc(4096, 1).toString('base64');
    const e = parsed(
      await parseEmail(
        Buffer.from(`From: a@example.com\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nSee attached.\r\n--b\r\nContent-Type: application/zip; name=big.zip\r\nContent-Transfer-Encoding: base64\r\n\r\n${big}\r\n--b\r\nContent-Type: text/plain; name=small.txt\r\nContent-Disposition: attachment\r\n\r\nsmall\r\n--b--\r\n`),
        { maxAttachmentBytes: 1024 },
      ),
    );
    expect(e.attachments.map((a) => a.filename)).toEqual(['small.txt']);
    expect(e.text).toBe('See attached.\n\n[The attachment "big.zip" (4 KB) was not imported: attachments are limited to 1 KB each.]');
  });

  it('cuts text over the limit with a note', async () => {
    const e = parsed(await parseEmail(Buffer.from(`From: a@example.com\r\n\r\n${'a'.repeat(150)}`), { maxTextChars: 100 }));
    expect(e.text).toBe(`${'a'.repeat(100)}\n\n[The rest of the text (50 characters) was not imported.]`);
  });

  it('gives up on a parse that takes too long instead of hanging', async () => {
    const body = 'line of text\r\n'.repeat(400_000);
    const started = Date.now();
    const q = quarantined(await parseEmail(Buffer.from(`From: a@example.com\r\nSubject: slow\r\n\r\n${body}`), { parseTimeoutMs: 1 }));
    expect(Date.now() - started).toBeLessThan(2000);
    expect(q.code).toBe('timeout');
    expect(q.reason).toBe('Reading the message took longer than 1 ms; it was not imported.');
    expect(q.said).toMatchObject({ key: 'quarantineSlowMs', params: { ms: 1 } });
    expect(q.subject).toBe('slow');
  });

  it('quarantines an empty message and never throws on input that is not a buffer', async () => {
    const empty = quarantined(await parseEmail(Buffer.alloc(0)));
    expect(empty.reason).toBe('The message is empty (0 bytes); there was nothing to import.');
    expect(empty.said).toEqual({ key: 'quarantineEmpty', params: {}, message: empty.reason });
    const odd = await parseEmail(null as unknown as Buffer);
    expect(odd.kind).toBe('quarantined');
  });

  it('has documented defaults', () => {
    expect(DEFAULT_MIME_LIMITS).toMatchObject({ maxHeaderBytes: 1024 * 1024, maxAttachmentBytes: 25 * 1024 * 1024, maxDepth: 50, maxParts: 1000 });
  });
});

describe('dates', () => {
  it('falls back to the arrival time when the Date header is missing, unreadable or in the future', async () => {
    for (const date of [null, 'not a date', 'Sat, 01 Jan 0000 00:00:00 +0000', 'Wed, 01 Jan 2099 00:00:00 +0000', 'Thu, 01 Jan 1970 00:00:00 +0000']) {
      const e = parsed(await parseEmail(Buffer.from(`From: a@example.com\r\n${date === null ? '' : `Date: ${date}\r\n`}\r\nx`), { receivedAt: RECEIVED }));
      expect(e.date, String(date)).toBe(RECEIVED);
      expect(e.dateFromHeader).toBe(false);
    }
  });

  it('reads RFC 5322 dates, obsolete forms included', () => {
    expect(parseMailDate('Tue, 1 Jul 2003 10:52:37 +0200')).toBe(Date.UTC(2003, 6, 1, 8, 52, 37));
    expect(parseMailDate('Tue, 01 Jul 2003 10:52:37 -0000 (Coordinated Universal Time)')).toBe(Date.UTC(2003, 6, 1, 10, 52, 37));
    expect(parseMailDate('1 Jul 2003 10:52:37 UT')).toBe(Date.UTC(2003, 6, 1, 10, 52, 37));
    expect(parseMailDate('Tue, 1 Jul 2003 10:52:37 +9999')).toBeNull();
    expect(parseMailDate('Sun, 01 Jan 99999 00:00:00 +0000')).toBeNull();
    expect(parseMailDate('')).toBeNull();
  });
});

describe('identifiers', () => {
  it('normalizes Message-IDs to <id>', () => {
    expect(normalizeMessageId(' <a@b> ')).toBe('<a@b>');
    expect(normalizeMessageId('a@b')).toBe('<a@b>');
    expect(normalizeMessageId('(comment) <a@b> trailing')).toBe('<a@b>');
    expect(normalizeMessageId('')).toBeNull();
    expect(normalizeMessageId('two words')).toBeNull();
    expect(normalizeMessageId(`<${'m'.repeat(5000)}@b>`)).toBeNull();
  });

  it('keeps References in order without duplicates, the root and the newest when there are too many', () => {
    expect(referencesOf('<a@x> <b@x>\r\n <a@x> <c@x>')).toEqual(['<a@x>', '<b@x>', '<c@x>']);
    const many = referencesOf(Array.from({ length: 500 }, (_, i) => `<r${i}@x>`).join(' '));
    expect(many).toHaveLength(100);
    expect(many[0]).toBe('<r0@x>');
    expect(many[99]).toBe('<r499@x>');
  });

  it('hashes From/Date/Subject/Message-ID/To: copies match, different mail with the same Message-ID does not', async () => {
    const make = (subject: string, body: string) => Buffer.from(`From: a@example.com\r\nTo: s@example.com\r\nDate: Tue, 7 Jan 2025 14:03:00 +0100\r\nSubject: ${subject}\r\nMessage-ID: <same@x>\r\n\r\n${body}`);
    const a = parsed(await parseEmail(make('One', 'x'), { receivedAt: RECEIVED }));
    const copy = parsed(await parseEmail(make('One', 'x'), { receivedAt: RECEIVED + 1000 }));
    const other = parsed(await parseEmail(make('Two', 'x'), { receivedAt: RECEIVED }));
    expect(copy.headerHash).toBe(a.headerHash);
    expect(other.headerHash).not.toBe(a.headerHash);
    expect(other.messageId).toBe(a.messageId);
  });

  it('hashes a message the same whether it is parsed or quarantined', async () => {
    const raw = Buffer.from('From: a@example.com\r\nSubject: s\r\nMessage-ID: <h@x>\r\n\r\nbody body body');
    const ok = parsed(await parseEmail(raw));
    const q = quarantined(await parseEmail(raw, { maxMessageBytes: 10 }));
    expect(q.headerHash).toBe(ok.headerHash);
  });
});

describe('attachment names', () => {
  it.each([
    ['../../etc/passwd', 'passwd'],
    ['..\\..\\Windows\\evil.dll', 'evil.dll'],
    ['/etc/shadow', 'shadow'],
    ['..', 'attachment-3.pdf'],
    ['.htaccess', 'htaccess'],
    ['CON.txt', '_CON.txt'],
    ['invoice\u202Efdp.exe', 'invoicefdp.exe'],
    ['..\u2215..\u2215etc\u2215passwd', 'passwd'],
    ['a\uff0fb.txt', 'b.txt'],
    ['what?<is>:this|*.txt', 'what__is__this__.txt'],
    ['report.pdf...   ', 'report.pdf'],
    ['safe.txt\u0000.exe', 'safe.txt.exe'],
    ['', 'attachment-3.pdf'],
  ])('%j becomes %j', (name, expected) => {
    expect(sanitizeFilename(name, 'application/pdf', 2)).toBe(expected);
  });

  it('keeps the extension when shortening a long name', () => {
    const name = sanitizeFilename(`${'a'.repeat(5000)}.pdf`, 'application/pdf', 0);
    expect(name).toHaveLength(180);
    expect(name.endsWith('.pdf')).toBe(true);
  });
});

describe('HTML to text fallback', () => {
  it('is linear on hostile markup', () => {
    const started = Date.now();
    expect(htmlToPlainText('<'.repeat(2_000_000))).toBe('');
    expect(htmlToPlainText('<script>'.repeat(200_000))).toBe('');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('drops scripts and styles, keeps line structure and decodes entities', () => {
    expect(htmlToPlainText('<style>p{color:red}</style><p>One &amp; two</p><script>alert(1)</script><div>three&#33; &#x263A;</div>')).toBe('One & two\n\nthree! ☺');
  });
});

describe('the attachment store', () => {
  let cleanup: (() => void) | null = null;
  afterEach(() => {
    cleanup?.();
    cleanup = null;
  });
  const store = (maxBytes?: number) => {
    const t = tempDir('omni-attachments-');
    cleanup = t.remove;
    return new AttachmentStore(path.join(t.dir, 'attachments'), { maxBytes });
  };

  it('stores content under its sha256 and reads it back', async () => {
    const s = store();
    const content = Buffer.from('hello attachment');
    const put = await s.put(content);
    if (!put.ok) throw new Error(put.message);
    expect(put.path).toBe(path.join(s.dir, put.sha256.slice(0, 2), put.sha256));
    expect(put.created).toBe(true);
    expect(fs.readFileSync(put.path).toString()).toBe('hello attachment');
    expect((await s.read(put.sha256, { verify: true }))?.toString()).toBe('hello attachment');
    const again = await s.put(content);
    expect(again.ok && again.created).toBe(false);
    // Only the final file is left: no temporary files.
    expect(fs.readdirSync(path.dirname(put.path))).toEqual([put.sha256]);
  });

  it('refuses content above the limit and a wrong checksum', async () => {
    const s = store(10);
    expect(await s.put(Buffer.alloc(11))).toMatchObject({ ok: false, code: 'too-large' });
    expect(await s.put(Buffer.from('abc'), 'f'.repeat(64))).toMatchObject({ ok: false, code: 'hash-mismatch' });
  });

  it('serves nothing for malformed or unknown hashes', async () => {
    const s = store();
    expect(await s.read('../../etc/passwd')).toBeNull();
    expect(await s.read('A'.repeat(64))).toBeNull();
    expect(await s.read('0'.repeat(64))).toBeNull();
    expect(s.pathFor('abc')).toBeNull();
  });

  it('removes temporary files a crash left behind', async () => {
    const s = store();
    const put = await s.put(Buffer.from('x'));
    if (!put.ok) throw new Error(put.message);
    const stale = path.join(path.dirname(put.path), '.tmp-1-deadbeef');
    fs.writeFileSync(stale, 'half');
    expect(await s.removeStaleTemps(0)).toBe(1);
    expect(fs.existsSync(stale)).toBe(false);
    expect(fs.existsSync(put.path)).toBe(true);
  });
});
