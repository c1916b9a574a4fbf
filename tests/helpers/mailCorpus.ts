// A deterministic corpus of raw email, odd and malformed on purpose, for the MIME parser: bad and
// missing charsets, broken multipart, 8-bit headers, oversized header blocks, deep nesting, empty
// bodies, duplicate and missing Message-IDs, huge lines, NUL bytes, bad base64 and quoted-printable,
// RFC 2047 abuse, bogus dates, hostile attachment names, and ordinary mail, plus seeded mutations
// of the ordinary mail. Same seed, same bytes. Named cases (`id`) carry the specific assertions.

export interface CorpusMessage {
  id: string;
  category: string;
  description: string;
  raw: Buffer;
}

export interface CorpusOptions {
  seed?: number;
  /** Seeded mutations of the ordinary messages (truncation, flipped bytes, spliced lines). */
  mutations?: number;
}

const CRLF = '\r\n';
const KB = 1024;
const MB = 1024 * KB;

/** mulberry32: small, fast, good enough for test data. */
function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!,
  };
}
type Rng = ReturnType<typeof rng>;

type Part = string | Buffer;
const bytes = (p: Part) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : p);
const cat = (...parts: Part[]) => Buffer.concat(parts.map(bytes));
/** A string's UTF-8 bytes as a latin1 string, so it can sit inside a latin1-built message. */
const u8 = (s: string) => Buffer.from(s, 'utf8').toString('latin1');

function message(headers: [string, string][], body: Part = '', eol = CRLF): Buffer {
  return cat(headers.map(([k, v]) => `${k}: ${v}${eol}`).join(''), eol, body);
}

const NAMES = ['Jane Smith', 'Omar Haddad', 'Li Wei', 'Ana García', 'Jürgen Groß', 'Chloé Dubois', 'Priya Patel', 'Kenji Sato'];
const WORDS = ['order', 'invoice', 'refund', 'delivery', 'password', 'account', 'upgrade', 'outage', 'billing', 'contract'];
const LATIN1_WORDS = ['café', 'crème brûlée', 'naïve', 'Ålesund', 'Straße', 'garçon', 'señor', 'Zürich'];

function addr(name: string, i: number): string {
  return `${name.toLowerCase().replace(/[^a-z]+/g, '.')}${i}@example.com`;
}
function encodedWord(s: string): string {
  return `=?UTF-8?B?${Buffer.from(s, 'utf8').toString('base64')}?=`;
}
function dateOf(i: number): string {
  return new Date(Date.UTC(2024, 0, 1) + i * 3_600_000 * 7).toUTCString().replace('GMT', '+0000');
}
function b64lines(data: Buffer): string {
  return (data.toString('base64').match(/.{1,76}/g) ?? []).join(CRLF);
}
function basicHeaders(i: number, extra: [string, string][] = []): [string, string][] {
  const name = NAMES[i % NAMES.length]!;
  return [
    ['From', `${encodedWord(name)} <${addr(name, i)}>`],
    ['To', 'Support <support@desk.example>'],
    ['Subject', `Question about my ${WORDS[i % WORDS.length]} #${i}`],
    ['Date', dateOf(i)],
    ['Message-ID', `<msg-${i}@example.com>`],
    ['MIME-Version', '1.0'],
    ...extra,
  ];
}

// ------------------------------------------------------------------ well-formed mail

function ordinary(r: Rng): CorpusMessage[] {
  const out: CorpusMessage[] = [];
  const add = (id: string, description: string, raw: Buffer) => out.push({ id, category: 'ordinary', description, raw });
  const pdf = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
  const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
  for (let i = 0; i < 60; i++) {
    const text = `Hello,\r\n\r\nI have a question about my ${WORDS[(i * 7) % WORDS.length]}. Reference ${1000 + r.int(9000)}.\r\n\r\nThanks,\r\n${NAMES[i % NAMES.length]}\r\n`;
    switch (i % 10) {
      case 0:
        add(`ordinary-plain-${i}`, 'plain text, UTF-8', message(basicHeaders(i, [['Content-Type', 'text/plain; charset=utf-8'], ['Content-Transfer-Encoding', '8bit']]), u8(text + 'Grüße — ✓\r\n')));
        break;
      case 1:
        add(
          `ordinary-alternative-${i}`,
          'multipart/alternative with text and HTML',
          message(
            basicHeaders(i, [['Content-Type', `multipart/alternative; boundary="alt-${i}"`]]),
            `--alt-${i}${CRLF}Content-Type: text/plain; charset=utf-8${CRLF}${CRLF}${text}--alt-${i}${CRLF}Content-Type: text/html; charset=utf-8${CRLF}${CRLF}<html><body><p>Hello,</p><p>I have a <b>question</b>.</p><img src="https://tracker.example/p.gif" width=1 height=1></body></html>${CRLF}--alt-${i}--${CRLF}`,
          ),
        );
        break;
      case 2:
        add(
          `ordinary-attachment-${i}`,
          'text with a PDF attachment',
          message(
            basicHeaders(i, [['Content-Type', `multipart/mixed; boundary="mix-${i}"`]]),
            `--mix-${i}${CRLF}Content-Type: text/plain; charset=us-ascii${CRLF}${CRLF}${text}--mix-${i}${CRLF}Content-Type: application/pdf; name="invoice-${i}.pdf"${CRLF}Content-Disposition: attachment; filename="invoice-${i}.pdf"${CRLF}Content-Transfer-Encoding: base64${CRLF}${CRLF}${b64lines(pdf)}${CRLF}--mix-${i}--${CRLF}`,
          ),
        );
        break;
      case 3:
        add(
          `ordinary-inline-image-${i}`,
          'multipart/related HTML with a cid image',
          message(
            basicHeaders(i, [['Content-Type', `multipart/related; boundary="rel-${i}"`]]),
            `--rel-${i}${CRLF}Content-Type: text/html; charset=utf-8${CRLF}${CRLF}<p>Our logo: <img src="cid:logo-${i}@example.com"></p>${CRLF}--rel-${i}${CRLF}Content-Type: image/png${CRLF}Content-ID: <logo-${i}@example.com>${CRLF}Content-Disposition: inline; filename="logo.png"${CRLF}Content-Transfer-Encoding: base64${CRLF}${CRLF}${b64lines(png)}${CRLF}--rel-${i}--${CRLF}`,
          ),
        );
        break;
      case 4:
        add(
          `ordinary-reply-${i}`,
          'a reply with In-Reply-To and References',
          message(
            basicHeaders(i, [
              ['In-Reply-To', `<msg-${i - 1}@example.com>`],
              ['References', `<root-${i}@example.com> <msg-${i - 2}@example.com>${CRLF} <msg-${i - 1}@example.com>`],
              ['Content-Type', 'text/plain; charset=utf-8'],
            ]),
            `Thanks for the quick answer!${CRLF}${CRLF}> earlier text${CRLF}`,
          ),
        );
        break;
      case 5:
        add(
          `ordinary-forward-attached-${i}`,
          'a message forwarded as a message/rfc822 attachment',
          message(
            basicHeaders(i, [['Content-Type', `multipart/mixed; boundary="fwd-${i}"`]]),
            `--fwd-${i}${CRLF}Content-Type: text/plain${CRLF}${CRLF}See below.${CRLF}--fwd-${i}${CRLF}Content-Type: message/rfc822${CRLF}Content-Disposition: attachment${CRLF}${CRLF}From: Original <original@example.org>${CRLF}Subject: ${encodedWord('Original Betreff über Lieferung')}${CRLF}Date: ${dateOf(i - 10)}${CRLF}Message-ID: <original-${i}@example.org>${CRLF}${CRLF}The original text.${CRLF}--fwd-${i}--${CRLF}`,
          ),
        );
        break;
      case 6:
        add(
          `ordinary-auto-reply-${i}`,
          'an out-of-office auto-reply',
          message(basicHeaders(i, [['Auto-Submitted', 'auto-replied'], ['X-Auto-Response-Suppress', 'All'], ['Precedence', 'auto_reply'], ['Content-Type', 'text/plain']]), `I am out of the office until Monday.${CRLF}`),
        );
        break;
      case 7:
        add(
          `ordinary-list-${i}`,
          'list mail with List-Id',
          message(basicHeaders(i, [['List-Id', `Product news <news.example.com>`], ['Precedence', 'bulk'], ['List-Unsubscribe', '<https://example.com/u>'], ['Content-Type', 'text/plain']]), `Our monthly news.${CRLF}`),
        );
        break;
      case 8:
        add(
          `ordinary-bounce-${i}`,
          'a delivery status notification from the null sender',
          message(
            [
              ['Return-Path', '<>'],
              ['From', 'Mail Delivery System <MAILER-DAEMON@mx.example.com>'],
              ['To', 'support@desk.example'],
              ['Subject', 'Undelivered Mail Returned to Sender'],
              ['Date', dateOf(i)],
              ['Message-ID', `<bounce-${i}@mx.example.com>`],
              ['Auto-Submitted', 'auto-replied'],
              ['MIME-Version', '1.0'],
              ['Content-Type', `multipart/report; report-type=delivery-status; boundary="rep-${i}"`],
            ],
            `--rep-${i}${CRLF}Content-Type: text/plain${CRLF}${CRLF}Your message could not be delivered.${CRLF}--rep-${i}${CRLF}Content-Type: message/delivery-status${CRLF}${CRLF}Reporting-MTA: dns; mx.example.com${CRLF}${CRLF}Final-Recipient: rfc822; nobody@example.com${CRLF}Action: failed${CRLF}Status: 5.1.1${CRLF}--rep-${i}--${CRLF}`,
          ),
        );
        break;
      default:
        add(
          `ordinary-japanese-${i}`,
          'ISO-2022-JP text and an encoded Japanese subject',
          message(
            [
              ['From', `=?ISO-2022-JP?B?GyRCJDMkcyRLJEEkTxsoQg==?= <kenji${i}@example.jp>`],
              ['To', 'support@desk.example'],
              ['Subject', '=?ISO-2022-JP?B?GyRCJDMkcyRLJEEkTxsoQg==?='],
              ['Date', dateOf(i)],
              ['Message-ID', `<jp-${i}@example.jp>`],
              ['MIME-Version', '1.0'],
              ['Content-Type', 'text/plain; charset=ISO-2022-JP'],
              ['Content-Transfer-Encoding', '7bit'],
            ],
            '\x1b$B$3$s$K$A$O\x1b(B\r\n',
          ),
        );
    }
  }
  return out;
}

// ------------------------------------------------------------------ charsets

function charsets(): CorpusMessage[] {
  const out: CorpusMessage[] = [];
  const add = (id: string, description: string, raw: Buffer) => out.push({ id, category: 'charset', description, raw });
  const head = (i: number, ct: string | null, extra: [string, string][] = []) => basicHeaders(100 + i, [...(ct === null ? [] : ([['Content-Type', ct]] as [string, string][])), ...extra]);
  add('latin1-no-charset', 'Latin-1 bytes in a text/plain part without a charset', message(head(0, 'text/plain'), 'Bonjour, le caf\xe9 est pr\xeat. \xc0 bient\xf4t, Fran\xe7oise.\r\n'));
  add('latin1-no-content-type', 'Latin-1 bytes without any Content-Type', message(head(1, null), 'Gr\xfc\xdfe aus M\xfcnchen\r\n'));
  add('latin1-declared-utf8', 'Latin-1 bytes labelled UTF-8', message(head(2, 'text/plain; charset=utf-8'), 'Se\xf1or Garc\xeda, gracias.\r\n'));
  add('latin1-declared-ascii', '8-bit bytes labelled us-ascii', message(head(3, 'text/plain; charset=us-ascii'), 'na\xefve r\xe9sum\xe9\r\n'));
  add('charset-bogus', 'an unknown charset name', message(head(4, 'text/plain; charset=x-bogus-charset-99'), 'caf\xe9\r\n'));
  add('charset-empty', 'charset=""', message(head(5, 'text/plain; charset=""'), 'caf\xe9\r\n'));
  add('charset-utf7', 'UTF-7 (refused by the decoder)', message(head(6, 'text/plain; charset=utf-7'), 'Hi Mom -+Jjo--!\r\n'));
  add('charset-garbage-params', 'charset with trailing garbage and a repeated parameter', message(head(7, 'text/plain; charset=utf-8;; charset=latin1; ;;='), u8('grüße\r\n')));
  add('charset-latin1-qp-none', 'quoted-printable Latin-1 without a charset', message(head(8, 'text/plain', [['Content-Transfer-Encoding', 'quoted-printable']]), 'cr=E8me br=FBl=E9e=\r\n and more\r\n'));
  add('charset-latin1-b64-none', 'base64 Latin-1 without a charset', message(head(9, 'text/plain', [['Content-Transfer-Encoding', 'base64']]), b64lines(Buffer.from('Ålesund og Tromsø\r\n', 'latin1'))));
  add('charset-windows1252', 'Windows-1252 smart quotes and euro', message(head(10, 'text/plain; charset=windows-1252'), '\x93Quoted\x94 \x80 100\r\n'));
  add('charset-iso8859-15', 'ISO-8859-15 with euro', message(head(11, 'text/plain; charset=ISO-8859-15'), 'Prix: 10 \xa4\r\n'));
  add('charset-koi8r', 'KOI8-R Russian', message(head(12, 'text/plain; charset=koi8-r'), '\xf0\xd2\xc9\xd7\xc5\xd4\r\n'));
  add('charset-shift-jis', 'Shift_JIS Japanese', message(head(13, 'text/plain; charset=Shift_JIS'), '\x82\xb1\x82\xf1\x82\xc9\x82\xbf\x82\xcd\r\n'));
  add('charset-gb2312', 'GB2312 Chinese', message(head(14, 'text/plain; charset=gb2312'), '\xc4\xe3\xba\xc3\r\n'));
  add('charset-big5', 'Big5 Chinese', message(head(15, 'text/plain; charset=big5'), '\xa7\x41\xa6\x6e\r\n'));
  add('charset-euc-kr', 'EUC-KR Korean', message(head(16, 'text/plain; charset=euc-kr'), '\xbe\xc8\xb3\xe7\r\n'));
  add('charset-ks-c-5601', 'the Outlook alias ks_c_5601-1987', message(head(17, 'text/plain; charset=ks_c_5601-1987'), '\xbe\xc8\xb3\xe7\r\n'));
  add('charset-utf16-no-bom', 'UTF-16LE without a BOM', message(head(18, 'text/plain; charset=utf-16le', [['Content-Transfer-Encoding', 'base64']]), b64lines(Buffer.from('hello utf16', 'utf16le'))));
  add('charset-html-latin1-none', 'HTML part in Latin-1 without a charset', message(head(19, 'text/html'), '<p>Caf\xe9 cr\xe8me</p>\r\n'));
  add('charset-mixed-parts', 'one UTF-8 part and one Latin-1 part without a charset', message(head(20, 'multipart/mixed; boundary=mx'), `--mx\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${u8('première partie ✓')}\r\n--mx\r\nContent-Type: text/plain\r\n\r\nseconde partie \xe9t\xe9\r\n--mx--\r\n`));
  add('charset-utf8-one-bad-byte', 'UTF-8 text with a single stray byte', message(head(21, 'text/plain; charset=utf-8'), `${u8('Grüße aus Köln, schöne Grüße')} \xff\r\n`));
  add('charset-case-quoted', 'charset="ISO-8859-1" quoted and upper case', message(head(22, 'text/plain; CHARSET="ISO-8859-1"'), 'Mat\xe9o\r\n'));
  add('charset-in-name-param', 'charset*=RFC 2231 form', message(head(23, "text/plain; charset*=iso-8859-1''"), 'D\xe9j\xe0 vu\r\n'));
  add('charset-cp850', 'a DOS code page', message(head(24, 'text/plain; charset=cp850'), '\x82t\x82\r\n'));
  add('charset-unicode-bom', 'a UTF-8 BOM at the start of the body', message(head(25, 'text/plain; charset=utf-8'), `\xef\xbb\xbf${u8('Bom dia ✓')}\r\n`));
  add('charset-latin1-flowed', 'Latin-1 without charset, format=flowed', message(head(26, 'text/plain; format=flowed; delsp=yes'), 'Un tr\xe8s long \r\nparagraphe \xe9crit.\r\n'));
  for (let i = 0; i < 13; i++) {
    const word = LATIN1_WORDS[i % LATIN1_WORDS.length]!;
    const label = ['', 'utf-8', 'us-ascii', 'unknown-8bit', 'x-user-defined', 'iso-8859-1', 'latin1', 'windows-1252', 'cp1252', 'x-mac-roman', 'utf8', 'UTF-8', '8bit'][i]!;
    add(`charset-variant-${i}`, `"${word}" in Latin-1 with charset "${label}"`, message(head(30 + i, label ? `text/plain; charset=${label}` : 'text/plain'), `${Buffer.from(`Mot: ${word}`, 'latin1').toString('latin1')}\r\n`));
  }
  return out;
}

// ------------------------------------------------------------------ broken multipart

function brokenMultipart(): CorpusMessage[] {
  const out: CorpusMessage[] = [];
  const add = (id: string, description: string, ct: string, body: string) => out.push({ id, category: 'multipart', description, raw: message(basicHeaders(200 + out.length, [['Content-Type', ct]]), body) });
  const part = (b: string, text: string) => `--${b}\r\nContent-Type: text/plain\r\n\r\n${text}\r\n`;
  add('multipart-no-boundary-param', 'multipart/mixed without a boundary parameter', 'multipart/mixed', `${part('x', 'one')}--x--\r\n`);
  add('multipart-boundary-never-used', 'the declared boundary never appears', 'multipart/mixed; boundary="declared"', `${part('other', 'one')}--other--\r\n`);
  add('multipart-no-closing', 'no closing delimiter', 'multipart/mixed; boundary="b"', `${part('b', 'one')}${part('b', 'two')}`);
  add('multipart-only-closing', 'only a closing delimiter', 'multipart/mixed; boundary="b"', '--b--\r\n');
  add('multipart-empty-boundary', 'boundary=""', 'multipart/mixed; boundary=""', '--\r\nContent-Type: text/plain\r\n\r\nx\r\n----\r\n');
  add('multipart-inner-same-boundary', 'an inner multipart reusing the outer boundary', 'multipart/mixed; boundary="same"', `--same\r\nContent-Type: multipart/alternative; boundary="same"\r\n\r\n${part('same', 'inner')}--same--\r\n${part('same', 'outer')}--same--\r\n`);
  add('multipart-boundary-prefix', 'one boundary is a prefix of another', 'multipart/mixed; boundary="ab"', `--ab\r\nContent-Type: multipart/alternative; boundary="abc"\r\n\r\n${part('abc', 'inner')}--abc--\r\n${part('ab', 'outer')}--ab--\r\n`);
  add('multipart-whitespace-boundary', 'a boundary with spaces and trailing whitespace on the delimiter', 'multipart/mixed; boundary="a b c"', `--a b c   \r\nContent-Type: text/plain\r\n\r\nspaced\r\n--a b c--  \r\n`);
  add('multipart-preamble-epilogue', 'large preamble and epilogue', 'multipart/mixed; boundary="pe"', `${'preamble '.repeat(5000)}\r\n${part('pe', 'body')}--pe--\r\n${'epilogue '.repeat(5000)}`);
  add('multipart-part-no-headers', 'a part with no header block', 'multipart/mixed; boundary="nh"', '--nh\r\n\r\njust text\r\n--nh--\r\n');
  add('multipart-part-headers-only', 'a part that ends inside its headers', 'multipart/mixed; boundary="ho"', '--ho\r\nContent-Type: text/plain\r\n--ho--\r\n');
  add('multipart-zero-parts', 'multipart with no parts at all', 'multipart/mixed; boundary="z"', 'nothing here\r\n');
  add('multipart-lf-only', 'LF line endings throughout', 'multipart/mixed; boundary="lf"', '--lf\nContent-Type: text/plain\n\nunix lines\n--lf--\n');
  add('multipart-mixed-eol', 'CR, LF and CRLF mixed', 'multipart/mixed; boundary="me"', '--me\rContent-Type: text/plain\n\r\nmixed\r--me\n\r\nx\r\n--me--');
  add('multipart-boundary-in-body', 'the boundary string appears inside a line', 'multipart/mixed; boundary="bb"', `${part('bb', 'text with --bb inside and x--bb--')}--bb--\r\n`);
  add('multipart-long-boundary', 'a 5000-character boundary', `multipart/mixed; boundary="${'L'.repeat(5000)}"`, `${part('L'.repeat(5000), 'long')}--${'L'.repeat(5000)}--\r\n`);
  add('multipart-unknown-subtype', 'multipart/x-unknown', 'multipart/x-unknown; boundary="u"', `${part('u', 'unknown subtype')}--u--\r\n`);
  add('multipart-digest', 'multipart/digest with default message/rfc822 parts', 'multipart/digest; boundary="dg"', '--dg\r\n\r\nFrom: a@example.com\r\nSubject: digest item\r\n\r\nitem body\r\n--dg--\r\n');
  add('multipart-alternative-empty', 'alternative with empty parts', 'multipart/alternative; boundary="ae"', '--ae\r\nContent-Type: text/plain\r\n\r\n\r\n--ae\r\nContent-Type: text/html\r\n\r\n\r\n--ae--\r\n');
  add('multipart-binary-part', 'binary bytes in a part without encoding', 'multipart/mixed; boundary="bin"', `--bin\r\nContent-Type: application/octet-stream\r\n\r\n${String.fromCharCode(...Array.from({ length: 256 }, (_, i) => i))}\r\n--bin--\r\n`);
  add('multipart-10k-delimiters', '10,000 empty parts (over the part limit)', 'multipart/mixed; boundary="many"', `${'--many\r\n\r\n'.repeat(10_000)}--many--\r\n`);
  add('multipart-900-parts', '900 small parts (under the part limit)', 'multipart/mixed; boundary="p9"', `${Array.from({ length: 900 }, (_, i) => part('p9', `part ${i}`)).join('')}--p9--\r\n`);
  add('multipart-unclosed-nested', 'an inner multipart never closed before the outer delimiter', 'multipart/mixed; boundary="outer"', `--outer\r\nContent-Type: multipart/alternative; boundary="inner"\r\n\r\n${part('inner', 'inner text')}--outer\r\nContent-Type: text/plain\r\n\r\nafter\r\n--outer--\r\n`);
  add('multipart-quoted-semicolon', 'a boundary containing a quoted semicolon', 'multipart/mixed; boundary="a;b"', `${part('a;b', 'semi')}--a;b--\r\n`);
  add('multipart-encoded-container', 'a multipart declared base64', 'multipart/mixed; boundary="enc"', `${part('enc', 'hmm')}--enc--\r\n`);
  out[out.length - 1]!.raw = message(basicHeaders(299, [['Content-Type', 'multipart/mixed; boundary="enc"'], ['Content-Transfer-Encoding', 'base64']]), `${part('enc', 'hmm')}--enc--\r\n`);
  // Found by fuzzing: mailparser reports contentType `false` for a part whose Content-Type is empty.
  add('multipart-empty-part-content-type', 'parts with an empty and a ";" Content-Type', 'multipart/mixed; boundary="ect"', '--ect\r\nContent-Type:\r\n\r\nfirst\r\n--ect\r\nContent-Type: ;\r\n\r\nsecond\r\n--ect--\r\n');
  for (let i = 0; i < 6; i++) add(`multipart-truncated-${i}`, `a multipart message cut after ${40 + i * 13} bytes of body`, 'multipart/mixed; boundary="tr"', `${part('tr', 'first part text')}--tr\r\nContent-Type: text/html\r\n\r\n<p>second</p>\r\n--tr--\r\n`.slice(0, 40 + i * 13));
  return out;
}

// ------------------------------------------------------------------ headers

function headerOddities(): CorpusMessage[] {
  const out: CorpusMessage[] = [];
  const add = (category: string, id: string, description: string, raw: Buffer) => out.push({ id, category, description, raw });
  const body = 'body\r\n';
  add('8bit-header', 'header-8bit-latin1-subject', 'raw Latin-1 bytes in Subject', message([['From', 'a@example.com'], ['Subject', 'R\xe9clamation urgente'], ['Date', dateOf(1)]], body));
  add('8bit-header', 'header-8bit-latin1-from', 'raw Latin-1 display name', message([['From', 'Fran\xe7ois M\xfcller <fm@example.com>'], ['Subject', 'x']], body));
  add('8bit-header', 'header-8bit-utf8', 'raw UTF-8 headers (RFC 6532)', message([['From', u8('Zoë Çelik <zoe@example.com>')], ['Subject', u8('Überweisung — fällig ✓')]], body));
  add('8bit-header', 'header-8bit-filename', 'raw Latin-1 attachment file name', message(basicHeaders(301, [['Content-Type', 'multipart/mixed; boundary=f8']]), '--f8\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename="r\xe9sum\xe9.pdf"\r\n\r\nx\r\n--f8--\r\n'));
  add('8bit-header', 'header-8bit-invalid-bytes', 'bytes that are neither UTF-8 nor text', message([['From', 'x@example.com'], ['Subject', '\xff\xfe\xfd\xc0\xc1\xf5\xf8']], body));
  add('8bit-header', 'header-8bit-in-address', '8-bit bytes inside the address itself', message([['From', 'j\xfcrgen@m\xfcller.example'], ['To', 's\xe9rvice@example.com']], body));
  add('8bit-header', 'header-8bit-name', '8-bit bytes in a header name', message([['X-Gr\xfc\xdfe', 'hello'], ['From', 'a@example.com']], body));
  add('8bit-header', 'header-8bit-folded', 'a folded Latin-1 subject', message([['From', 'a@example.com'], ['Subject', 'premi\xe8re ligne\r\n\tseconde ligne \xe9t\xe9']], body));
  for (let i = 0; i < 12; i++) {
    const word = LATIN1_WORDS[i % LATIN1_WORDS.length]!;
    add('8bit-header', `header-8bit-variant-${i}`, `Latin-1 "${word}" in ${['Subject', 'From name', 'To name', 'Cc'][i % 4]}`, message([
      ['From', i % 4 === 1 ? `${word} <a${i}@example.com>` : `a${i}@example.com`],
      ['To', i % 4 === 2 ? `${word} <s@example.com>` : 's@example.com'],
      ['Cc', i % 4 === 3 ? `${word} <c@example.com>` : 'c@example.com'],
      ['Subject', i % 4 === 0 ? word : 'plain'],
    ].map(([k, v]) => [k!, Buffer.from(v!, 'latin1').toString('latin1')] as [string, string]), body));
  }

  // Header block sizes: the parser refuses more than 1 MB.
  const filler = (bytesWanted: number) => {
    const line = `X-Filler: ${'f'.repeat(90)}\r\n`;
    return line.repeat(Math.ceil(bytesWanted / line.length));
  };
  add('header-size', 'header-block-10mb', 'a 10 MB header block', cat('From: a@example.com\r\nSubject: huge headers\r\nMessage-ID: <huge@example.com>\r\n', filler(10 * MB), '\r\nbody\r\n'));
  add('header-size', 'header-block-2mb-one-line', 'a single 2 MB header line', cat('From: a@example.com\r\nSubject: one long header\r\nX-Long: ', 'y'.repeat(2 * MB), '\r\n\r\nbody\r\n'));
  add('header-size', 'header-block-500kb', 'a 500 KB header block (under the limit)', cat('From: a@example.com\r\nSubject: big but fine\r\n', filler(500 * KB), '\r\nbody\r\n'));
  add('header-size', 'header-block-part-2mb', 'a nested part with a 2 MB header block', message(basicHeaders(310, [['Content-Type', 'multipart/mixed; boundary=ph']]), cat('--ph\r\nContent-Type: text/plain\r\n', filler(2 * MB), '\r\npart\r\n--ph--\r\n').toString('latin1')));
  add('header-size', 'header-no-body-separator', 'headers and no empty line at all', Buffer.from('From: a@example.com\r\nSubject: no body\r\n'));

  // Message-IDs
  const dupHead = (subject: string, date: string): [string, string][] => [
    ['From', 'Jane <jane@example.com>'],
    ['To', 'support@desk.example'],
    ['Subject', subject],
    ['Date', date],
    ['Message-ID', '<same-id@example.com>'],
  ];
  add('message-id', 'duplicate-message-id-a', 'first of two different messages sharing a Message-ID', message(dupHead('First question', dateOf(20)), 'first\r\n'));
  add('message-id', 'duplicate-message-id-b', 'second of two different messages sharing a Message-ID', message(dupHead('Second, different question', dateOf(21)), 'second\r\n'));
  add('message-id', 'duplicate-message-id-copy', 'an exact copy of the first (same headers, same hash)', message(dupHead('First question', dateOf(20)), 'first\r\n'));
  add('message-id', 'message-id-twice', 'two Message-ID headers in one message', message([['From', 'a@example.com'], ['Message-ID', '<one@example.com>'], ['Message-ID', '<two@example.com>']], body));
  add('message-id', 'message-id-missing', 'no Message-ID', message([['From', 'a@example.com'], ['Subject', 'no id'], ['Date', dateOf(22)]], body));
  add('message-id', 'message-id-no-brackets', 'a Message-ID without angle brackets', message([['From', 'a@example.com'], ['Message-ID', 'bare-id@example.com']], body));
  add('message-id', 'message-id-spaces', 'a Message-ID with spaces and comments', message([['From', 'a@example.com'], ['Message-ID', '(comment) < spaced id @ example.com >']], body));
  add('message-id', 'message-id-empty', 'an empty Message-ID', message([['From', 'a@example.com'], ['Message-ID', '']], body));
  add('message-id', 'message-id-huge', 'a 5000-character Message-ID', message([['From', 'a@example.com'], ['Message-ID', `<${'m'.repeat(5000)}@example.com>`]], body));
  add('message-id', 'message-id-8bit', 'a Message-ID with 8-bit bytes', message([['From', 'a@example.com'], ['Message-ID', '<caf\xe9@example.com>']], body));
  add('message-id', 'references-huge', '5000 References', message([['From', 'a@example.com'], ['References', Array.from({ length: 5000 }, (_, i) => `<r${i}@example.com>`).join('\r\n ')]], body));
  add('message-id', 'in-reply-to-garbage', 'In-Reply-To with prose around the id', message([['From', 'a@example.com'], ['In-Reply-To', 'Your message of Monday <orig@example.com> ("hello")']], body));
  for (let i = 0; i < 8; i++) add('message-id', `message-id-missing-${i}`, 'no Message-ID, distinct headers', message([['From', `sender${i}@example.com`], ['Subject', `no id ${i}`], ['Date', dateOf(30 + i)]], body));

  // Dates
  const dates = [
    'not a date',
    '',
    'Mon, 32 Jan 2024 25:61:61 +0000',
    'Fri, 30 Feb 2024 10:00:00 +0000',
    'Thu, 01 Jan 1970 00:00:00 +0000',
    'Sat, 01 Jan 0000 00:00:00 +0000',
    'Sun, 01 Jan 99999 00:00:00 +0000',
    'Wed, 01 Jan 2099 00:00:00 +0000',
    'Tue, 1 Jul 2003 10:52:37 +9999',
    '1 Jul 03 10:52 EST',
    'Tue, 01 Jul 2003 10:52:37 -0000 (Coordinated Universal Time)',
    '2003-07-01T10:52:37Z',
    'Tue,  1 Jul  2003  10:52:37  +0200',
    '\xff\xfe garbage \x00',
    '1688208000',
  ];
  dates.forEach((d, i) => add('date', `date-bogus-${i}`, `Date: ${JSON.stringify(d)}`, message([['From', 'a@example.com'], ['Subject', `date ${i}`], ['Date', d]], body)));
  add('date', 'date-twice', 'two Date headers', message([['From', 'a@example.com'], ['Date', dateOf(1)], ['Date', dateOf(2)]], body));
  add('date', 'date-missing', 'no Date header', message([['From', 'a@example.com'], ['Subject', 'undated']], body));
  return out;
}

// ------------------------------------------------------------------ nesting and sizes

function nestMultipart(levels: number): Buffer {
  let inner = 'Content-Type: text/plain\r\n\r\nthe innermost part\r\n';
  for (let i = levels; i > 0; i--) inner = `Content-Type: multipart/mixed; boundary="n${i}"\r\n\r\n--n${i}\r\n${inner}--n${i}--\r\n`;
  return Buffer.from(`From: deep@example.com\r\nSubject: ${levels} levels of multipart\r\nMIME-Version: 1.0\r\n${inner}`);
}

function nestRfc822(levels: number, disposition: 'inline' | 'attachment'): Buffer {
  let inner = 'From: innermost@example.com\r\nSubject: innermost\r\n\r\nthe innermost message\r\n';
  for (let i = levels; i > 0; i--) {
    inner = `From: level${i}@example.com\r\nSubject: forward level ${i}\r\nContent-Type: multipart/mixed; boundary="r${i}"\r\n\r\n--r${i}\r\nContent-Type: text/plain\r\n\r\nlevel ${i}\r\n--r${i}\r\nContent-Type: message/rfc822\r\nContent-Disposition: ${disposition}\r\n\r\n${inner}\r\n--r${i}--\r\n`;
  }
  return Buffer.from(inner);
}

function structureAndSize(): CorpusMessage[] {
  const out: CorpusMessage[] = [];
  const add = (category: string, id: string, description: string, raw: Buffer) => out.push({ id, category, description, raw });
  add('nesting', 'nesting-multipart-60', '60 levels of multipart', nestMultipart(60));
  add('nesting', 'nesting-multipart-20', '20 levels of multipart (allowed)', nestMultipart(20));
  add('nesting', 'nesting-multipart-500', '500 levels of multipart', nestMultipart(500));
  add('nesting', 'nesting-rfc822-60', '60 levels of inline message/rfc822', nestRfc822(60, 'inline'));
  add('nesting', 'nesting-rfc822-60-attached', '60 levels of attached message/rfc822', nestRfc822(60, 'attachment'));
  add('nesting', 'nesting-rfc822-5', '5 levels of inline forwards (allowed)', nestRfc822(5, 'inline'));
  add('nesting', 'nesting-rfc822-base64', 'a base64-encoded message/rfc822 attachment', message(basicHeaders(400, [['Content-Type', 'multipart/mixed; boundary=b64m']]), `--b64m\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n--b64m\r\nContent-Type: message/rfc822\r\nContent-Transfer-Encoding: base64\r\n\r\n${b64lines(Buffer.from('From: Hidden <hidden@example.org>\r\nSubject: inside base64\r\nMessage-ID: <hidden@example.org>\r\n\r\nhidden body\r\n'))}\r\n--b64m--\r\n`));

  add('empty', 'empty-message', 'a 0-byte message', Buffer.alloc(0));
  add('empty', 'empty-body', 'headers and a 0-byte body', message([['From', 'a@example.com'], ['Subject', 'empty body'], ['Content-Type', 'text/plain']], ''));
  add('empty', 'empty-only-newline', 'just one CRLF', Buffer.from('\r\n'));
  add('empty', 'empty-body-only', 'a body with no headers', Buffer.from('\r\njust a body, no headers\r\n'));
  add('empty', 'empty-html-part', 'an empty HTML part', message([['From', 'a@example.com'], ['Content-Type', 'text/html']], ''));
  add('empty', 'empty-base64-attachment', 'a 0-byte attachment', message(basicHeaders(401, [['Content-Type', 'multipart/mixed; boundary=e0']]), '--e0\r\nContent-Type: application/pdf; name=empty.pdf\r\nContent-Transfer-Encoding: base64\r\n\r\n\r\n--e0--\r\n'));
  add('empty', 'empty-whitespace', 'whitespace only', Buffer.from('   \r\n\t\r\n  '));

  add('huge-line', 'huge-line-body-5mb', 'a 5 MB text line without a line break', message([['From', 'a@example.com'], ['Subject', 'one line'], ['Content-Type', 'text/plain']], 'w'.repeat(5 * MB)));
  add('huge-line', 'huge-line-html-3mb', 'a 3 MB HTML line of nested tags', message([['From', 'a@example.com'], ['Content-Type', 'text/html']], '<div>'.repeat(600_000)));
  add('huge-line', 'huge-line-base64-1mb', 'base64 attachment in one 1 MB line', message(basicHeaders(402, [['Content-Type', 'multipart/mixed; boundary=hl']]), `--hl\r\nContent-Type: application/octet-stream; name=blob.bin\r\nContent-Transfer-Encoding: base64\r\n\r\n${Buffer.alloc(768 * KB, 7).toString('base64')}\r\n--hl--\r\n`));
  add('huge-line', 'huge-line-lt-1mb', '1 MB of "<" without ">" in HTML', message([['From', 'a@example.com'], ['Content-Type', 'text/html']], '<'.repeat(MB)));
  add('huge-line', 'huge-text-2m-chars', '2 million characters of text (over the text limit)', message([['From', 'a@example.com'], ['Content-Type', 'text/plain']], 'lorem ipsum dolor sit amet\r\n'.repeat(80_000)));

  add('nul', 'nul-in-body', 'NUL bytes in the body', message([['From', 'a@example.com'], ['Content-Type', 'text/plain']], 'before\x00\x00after\r\n'));
  add('nul', 'nul-in-subject', 'NUL bytes in Subject and From', message([['From', 'Nul\x00Name <a@example.com>'], ['Subject', 'sub\x00ject']], 'x\r\n'));
  add('nul', 'nul-in-filename', 'NUL in an attachment name', message(basicHeaders(403, [['Content-Type', 'multipart/mixed; boundary=nf']]), '--nf\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename="safe.txt\x00.exe"\r\n\r\nx\r\n--nf--\r\n'));
  add('nul', 'nul-in-boundary', 'NUL in the boundary', message(basicHeaders(404, [['Content-Type', 'multipart/mixed; boundary="a\x00b"']]), '--a\x00b\r\nContent-Type: text/plain\r\n\r\nx\r\n--a\x00b--\r\n'));
  add('nul', 'nul-only', '64 KB of NUL bytes', Buffer.alloc(64 * KB));
  add('nul', 'nul-in-header-name', 'NUL inside header names', Buffer.from('Fr\x00om: a@example.com\r\nSub\x00ject: x\r\n\r\nbody\r\n', 'latin1'));

  const big = Buffer.alloc(26 * MB, 0x41);
  add('attachment-size', 'attachment-over-limit', 'a 26 MB attachment (over the 25 MB limit)', message(basicHeaders(405, [['Content-Type', 'multipart/mixed; boundary=big']]), cat('--big\r\nContent-Type: text/plain\r\n\r\nThe big file is attached.\r\n--big\r\nContent-Type: application/zip; name="backup.zip"\r\nContent-Disposition: attachment; filename="backup.zip"\r\nContent-Transfer-Encoding: base64\r\n\r\n', b64lines(big), '\r\n--big\r\nContent-Type: text/plain; name=small.txt\r\nContent-Disposition: attachment; filename=small.txt\r\n\r\nsmall\r\n--big--\r\n').toString('latin1')));
  return out;
}

// ------------------------------------------------------------------ transfer encodings

function transferEncodings(): CorpusMessage[] {
  const out: CorpusMessage[] = [];
  const add = (category: string, id: string, description: string, raw: Buffer) => out.push({ id, category, description, raw });
  const att = (i: number, cte: string, data: string, ct = 'application/octet-stream; name=data.bin') => message(basicHeaders(500 + i, [['Content-Type', 'multipart/mixed; boundary=te']]), `--te\r\nContent-Type: text/plain\r\n\r\ntext\r\n--te\r\nContent-Type: ${ct}\r\nContent-Transfer-Encoding: ${cte}\r\n\r\n${data}\r\n--te--\r\n`);
  const b64garbage = ['!!!!****####', 'aGVsbG8', 'aGVsbG8===', '====', 'a', 'aGVs bG8g d29y bGQ=', '\x00\x01\x02\xff', 'YWJj\r\n\r\nZGVm', 'QUJD-_~~', 'Zm9v'.repeat(10000) + '!'];
  b64garbage.forEach((d, i) => add('base64', `base64-garbage-${i}`, `base64 body ${JSON.stringify(d.slice(0, 20))}`, att(i, 'base64', d)));
  add('base64', 'base64-text-part-garbage', 'a text part whose base64 is garbage', message([['From', 'a@example.com'], ['Content-Type', 'text/plain; charset=utf-8'], ['Content-Transfer-Encoding', 'base64']], '%%%% not base64 at all ####\r\n'));
  add('base64', 'base64-unknown-encoding', 'Content-Transfer-Encoding: x-uuencode', att(20, 'x-uuencode', 'begin 644 f.txt\r\n#86)C\r\n`\r\nend'));
  const qp = ['=ZZ bad escape', 'trailing equals=', 'soft=\r\nbreak', 'lower =e9 hex', '=\r\n=\r\n=\r\n', '8-bit \xe9 inside qp', 'line too long '.repeat(500), '=3D=3d=3D', '==41', '=\n=0A'];
  qp.forEach((d, i) => add('quoted-printable', `qp-error-${i}`, `quoted-printable ${JSON.stringify(d.slice(0, 24))}`, message([['From', 'a@example.com'], ['Content-Type', 'text/plain; charset=iso-8859-1'], ['Content-Transfer-Encoding', 'quoted-printable']], d)));
  return out;
}

// ------------------------------------------------------------------ RFC 2047

function encodedWords(): CorpusMessage[] {
  const out: CorpusMessage[] = [];
  const add = (id: string, description: string, subject: string, from = 'a@example.com') => out.push({ id, category: 'rfc2047', description, raw: message([['From', from], ['Subject', subject], ['Date', dateOf(600 + out.length)]], 'x\r\n') });
  add('rfc2047-10k-words', '10,000 encoded words', Array.from({ length: 10_000 }, () => '=?UTF-8?B?w6k=?=').join(' '));
  add('rfc2047-nested', 'an encoded word inside an encoded word', '=?UTF-8?B?PT9VVEYtOD9CP1BUOVZWRVl0T0Q5Q1AxQk5KWEEvPQ==?=');
  add('rfc2047-bad-charset', 'an unknown charset', '=?x-klingon?Q?qapla=27?=');
  add('rfc2047-bad-base64', 'invalid base64 inside', '=?UTF-8?B?!!!notbase64!!!?=');
  add('rfc2047-bad-q', 'invalid Q escapes', '=?UTF-8?Q?=ZZ=Q=?=');
  add('rfc2047-unknown-encoding', 'encoding X instead of B or Q', '=?UTF-8?X?abc?=');
  add('rfc2047-unterminated', 'not terminated', '=?UTF-8?B?w6k');
  add('rfc2047-split-multibyte', 'a UTF-8 character split across two words', '=?UTF-8?B?w6?= =?UTF-8?B?k=?=');
  add('rfc2047-underscores', 'Q encoding with underscores and =20', '=?ISO-8859-1?Q?caf=E9_cr=E8me=20br=FBl=E9e?=');
  add('rfc2047-overlong', 'a 20,000-character encoded word', `=?UTF-8?B?${Buffer.from('é'.repeat(7000)).toString('base64')}?=`);
  add('rfc2047-in-address', 'encoded words in the address part', 'x', '=?UTF-8?B?YXR0YWNrZXI=?=@example.com');
  add('rfc2047-in-quoted-name', 'an encoded word in a quoted display name', 'x', '"=?UTF-8?B?QWRtaW4=?=" <a@example.com>');
  add('rfc2047-control-chars', 'control characters and CRLF decoded from a word', '=?UTF-8?B?bGluZTENCkJjYzogZXZpbEBleGFtcGxlLmNvbQ0KAAc=?=');
  add('rfc2047-bidi', 'bidi overrides in a display name', 'x', `${encodedWord('Support\u202Emoc.knab\u202C')} <phish@example.com>`);
  add('rfc2047-empty-words', 'empty encoded words', '=?UTF-8?B??= =?UTF-8?Q??=');
  add('rfc2047-language', 'RFC 2231 language suffix in a word', '=?UTF-8*en?Q?Hello?=');
  add('rfc2047-mixed-charsets', 'words in five charsets', '=?ISO-8859-1?Q?=E9?= =?KOI8-R?B?8NLJ18XU?= =?Shift_JIS?B?grGC8YLJgr+CzQ==?= =?UTF-8?B?8J+Ygg==?= =?GB2312?B?xOO6ww==?=');
  add('rfc2047-utf7', 'an encoded word in UTF-7', '=?UTF-7?Q?+AKM-1?=');
  add('rfc2047-whitespace-abuse', 'folding inside and between words', '=?UTF-8?Q?a?=\r\n \r\n\t=?UTF-8?Q?b?=');
  add('rfc2047-huge-subject', 'a 100 KB plain subject', 's'.repeat(100 * KB));
  return out;
}

// ------------------------------------------------------------------ attachment names

function attachmentNames(): CorpusMessage[] {
  const out: CorpusMessage[] = [];
  const names: [string, string][] = [
    ['path-traversal-filename', 'filename="../../etc/passwd"'],
    ['path-traversal-backslash', 'filename="..\\..\\Windows\\System32\\evil.dll"'],
    ['path-absolute-unix', 'filename="/etc/shadow"'],
    ['path-absolute-windows', 'filename="C:\\Users\\Public\\run.bat"'],
    ['path-dotdot-only', 'filename=".."'],
    ['path-dot-file', 'filename=".htaccess"'],
    ['path-windows-device', 'filename="CON.txt"'],
    ['path-rtlo', `filename*=UTF-8''invoice%E2%80%AEfdp.exe`],
    ['path-rfc2231-traversal', `filename*=UTF-8''..%2F..%2Fhome%2Fuser%2F.ssh%2Fauthorized_keys`],
    ['path-encoded-word-traversal', `filename="=?UTF-8?B?${Buffer.from('../../etc/cron.d/x').toString('base64')}?="`],
    ['path-long-name', `filename="${'a'.repeat(5000)}.pdf"`],
    ['path-empty-name', 'filename=""'],
    ['path-reserved-chars', 'filename="what?<is>:this|*.txt"'],
    ['path-trailing-dots', 'filename="report.pdf...   "'],
    ['path-unicode-slash', 'filename="..\u2215..\u2215etc\u2215passwd"'],
    ['path-only-in-content-type', ''],
  ];
  names.forEach(([id, disposition], i) => {
    const ct = id === 'path-only-in-content-type' ? 'application/octet-stream; name="../../../../tmp/evil.sh"' : 'application/octet-stream';
    const cd = disposition ? `Content-Disposition: attachment; ${disposition}\r\n` : '';
    out.push({
      id,
      category: 'filename',
      description: `attachment ${disposition || ct}`,
      raw: message(basicHeaders(700 + i, [['Content-Type', 'multipart/mixed; boundary=fn']]), u8(`--fn\r\nContent-Type: text/plain\r\n\r\nsee attachment\r\n--fn\r\nContent-Type: ${ct}\r\n${cd}Content-Transfer-Encoding: base64\r\n\r\naGVsbG8gd29ybGQ=\r\n--fn--\r\n`)),
    });
  });
  return out;
}

// ------------------------------------------------------------------ seeded mutations

function mutate(base: Buffer, r: Rng): { raw: Buffer; how: string } {
  const kind = r.int(8);
  const buf = Buffer.from(base);
  switch (kind) {
    case 0: {
      const at = r.int(buf.length + 1);
      return { raw: buf.subarray(0, at), how: `truncated at ${at}` };
    }
    case 1: {
      const n = 1 + r.int(20);
      for (let i = 0; i < n; i++) buf[r.int(buf.length)] = r.pick([0x00, 0xff, 0x0a, 0x0d, 0x3d, 0x2d, 0x3a, 0x80, r.int(256)]);
      return { raw: buf, how: `${n} bytes flipped` };
    }
    case 2: {
      const lines = buf.toString('latin1').split('\r\n');
      const i = r.int(lines.length);
      lines.splice(i, 1);
      return { raw: Buffer.from(lines.join('\r\n'), 'latin1'), how: `line ${i} deleted` };
    }
    case 3: {
      const lines = buf.toString('latin1').split('\r\n');
      const i = r.int(lines.length);
      lines.splice(i, 0, ...Array.from({ length: 1 + r.int(300) }, () => lines[i] ?? ''));
      return { raw: Buffer.from(lines.join('\r\n'), 'latin1'), how: `line ${i} repeated` };
    }
    case 4:
      return { raw: Buffer.from(buf.toString('latin1').replace(/\r\n/g, r.next() < 0.5 ? '\n' : '\r'), 'latin1'), how: 'line endings changed' };
    case 5: {
      const lines = buf.toString('latin1').split('\r\n');
      const boundaryLine = lines.find((l) => l.startsWith('--')) ?? '--x';
      lines.splice(r.int(lines.length), 0, boundaryLine, r.pick(['Content-Type: message/rfc822', 'Content-Type: multipart/mixed; boundary=zz', '']), '');
      return { raw: Buffer.from(lines.join('\r\n'), 'latin1'), how: 'a stray delimiter inserted' };
    }
    case 6: {
      const at = r.int(Math.min(buf.length, 400) + 1);
      return { raw: Buffer.concat([buf.subarray(0, at), Buffer.from([0xe9, 0xff, 0x00, 0xc3]), buf.subarray(at)]), how: `8-bit bytes inserted at ${at}` };
    }
    default: {
      const at = r.int(buf.length + 1);
      return { raw: Buffer.concat([buf.subarray(0, at), Buffer.from(`\r\n--${'b'.repeat(r.int(80))}--\r\n=?UTF-8?B?${'A'.repeat(r.int(50))}`), buf.subarray(at)]), how: `garbage spliced in at ${at}` };
    }
  }
}

/** The whole corpus, in a fixed order. */
export function buildMailCorpus(options: CorpusOptions = {}): CorpusMessage[] {
  const r = rng(options.seed ?? 20250110);
  const base = ordinary(r);
  const corpus = [...base, ...charsets(), ...brokenMultipart(), ...headerOddities(), ...structureAndSize(), ...transferEncodings(), ...encodedWords(), ...attachmentNames()];
  const mutations = options.mutations ?? 120;
  const sources = [...base, ...corpus.filter((m) => m.category === 'multipart' || m.category === 'charset')];
  for (let i = 0; i < mutations; i++) {
    const source = sources[r.int(sources.length)]!;
    const { raw, how } = mutate(source.raw, r);
    corpus.push({ id: `mutation-${i}`, category: 'mutation', description: `${source.id}, ${how}`, raw });
  }
  return corpus;
}
