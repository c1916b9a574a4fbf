// Every message of the malformed-mail corpus is either read or quarantined with a sentence an
// agent can act on; none throws, none hangs. Prints how long the whole corpus took.
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MIME_LIMITS, parseEmail, type ParsedEmail, type ParseEmailResult } from '../../src/main/email/mime';
import { buildMailCorpus, type CorpusMessage } from '../helpers/mailCorpus';

const RECEIVED = Date.UTC(2025, 0, 10, 9, 0);

interface Outcome {
  message: CorpusMessage;
  result: ParseEmailResult;
  ms: number;
}

const corpus = buildMailCorpus();
const outcomes = new Map<string, Outcome>();

function outcome(id: string): Outcome {
  const o = outcomes.get(id);
  if (!o) throw new Error(`no corpus message "${id}"`);
  return o;
}
function parsedOf(id: string): ParsedEmail {
  const { result } = outcome(id);
  if (result.kind !== 'parsed') throw new Error(`${id} was quarantined: ${result.reason}`);
  return result;
}

beforeAll(async () => {
  const started = performance.now();
  for (const message of corpus) {
    const t = performance.now();
    // Not in a try/catch on purpose: parseEmail promises never to throw.
    const result = await parseEmail(message.raw, { receivedAt: RECEIVED });
    outcomes.set(message.id, { message, result, ms: performance.now() - t });
  }
  const total = performance.now() - started;
  const all = [...outcomes.values()];
  const quarantined = all.filter((o) => o.result.kind === 'quarantined').length;
  const bytes = corpus.reduce((n, m) => n + m.raw.length, 0);
  const slowest = [...all].sort((a, b) => b.ms - a.ms).slice(0, 3);
  console.log(
    `Mail corpus: ${corpus.length} messages (${(bytes / 1024 / 1024).toFixed(1)} MB) in ${Math.round(total)} ms — ` +
      `${corpus.length - quarantined} parsed, ${quarantined} quarantined; slowest: ${slowest.map((o) => `${o.message.id} ${Math.round(o.ms)} ms`).join(', ')}`,
  );
}, 300_000);

describe('the malformed-mail corpus', () => {
  it('has at least 300 messages with unique ids across every category', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(300);
    expect(new Set(corpus.map((m) => m.id)).size).toBe(corpus.length);
    const categories = new Set(corpus.map((m) => m.category));
    for (const c of ['ordinary', 'charset', 'multipart', '8bit-header', 'header-size', 'nesting', 'empty', 'message-id', 'huge-line', 'nul', 'base64', 'quoted-printable', 'rfc2047', 'date', 'filename', 'mutation']) {
      expect(categories, c).toContain(c);
    }
  });

  it('is deterministic', () => {
    const again = buildMailCorpus();
    expect(again.map((m) => m.raw.length)).toEqual(corpus.map((m) => m.raw.length));
    expect(again[again.length - 1]!.raw.equals(corpus[corpus.length - 1]!.raw)).toBe(true);
  });

  it('reads or quarantines every message, each within the time box', () => {
    for (const { message, result, ms } of outcomes.values()) {
      expect(['parsed', 'quarantined'], message.id).toContain(result.kind);
      expect(ms, message.id).toBeLessThan(DEFAULT_MIME_LIMITS.parseTimeoutMs + 1000);
      expect(result.headerHash, message.id).toMatch(/^[0-9a-f]{64}$/);
      if (result.kind === 'quarantined') {
        // A sentence: capitalized, ends with a period, says what happened, no stack or "undefined".
        expect(result.reason, message.id).toMatch(/^[A-Z].{20,300}\.$/);
        expect(result.reason, message.id).toMatch(/not imported|nothing to import/);
        expect(result.reason, message.id).not.toMatch(/undefined|null|\bat \w+ \(|TypeError|Error:/);
        // Kept with its catalog key, so the mailbox settings show it in the agent's language.
        expect(result.said.key, message.id).toMatch(/^quarantine/);
        expect(result.said.message, message.id).toBe(result.reason);
      } else {
        expect(typeof result.text, message.id).toBe('string');
        expect(result.text.includes('\u0000'), message.id).toBe(false);
        expect(Number.isFinite(result.date), message.id).toBe(true);
        expect(result.text.length, message.id).toBeLessThanOrEqual(DEFAULT_MIME_LIMITS.maxTextChars + 500);
        for (const a of result.attachments) {
          // eslint-disable-next-line no-control-regex -- no control character may survive in a file name
          expect(a.filename, message.id).not.toMatch(/[/\\\u0000-\u001f]|^\.|^$/);
          expect(a.size, message.id).toBeLessThanOrEqual(DEFAULT_MIME_LIMITS.maxAttachmentBytes);
          expect(a.sha256, message.id).toMatch(/^[0-9a-f]{64}$/);
        }
        if (result.messageId !== null) expect(result.messageId, message.id).toMatch(/^<[^<>\s]+>$/);
      }
    }
  });

  it('quarantines the 10 MB header block', () => {
    const { result } = outcome('header-block-10mb');
    expect(result).toMatchObject({ kind: 'quarantined', code: 'header-too-large', reason: 'The header block is larger than 1 MB; the message was not imported.', subject: 'huge headers', messageId: '<huge@example.com>' });
    expect(outcome('header-block-2mb-one-line').result.kind).toBe('quarantined');
    expect(outcome('header-block-part-2mb').result).toMatchObject({ kind: 'quarantined', reason: 'A part of the message has a header block larger than 1 MB; the message was not imported.' });
    expect(outcome('header-block-500kb').result.kind).toBe('parsed');
  });

  it('sanitizes path-traversal attachment names', () => {
    const names = (id: string) => parsedOf(id).attachments.map((a) => a.filename);
    expect(names('path-traversal-filename')).toEqual(['passwd']);
    expect(names('path-rfc2231-traversal')).toEqual(['authorized_keys']);
    expect(names('path-only-in-content-type')).toEqual(['evil.sh']);
    expect(names('path-unicode-slash')).toEqual(['passwd']);
    expect(names('path-rtlo')).toEqual(['invoicefdp.exe']);
    expect(names('path-dotdot-only')).toEqual(['attachment-1']);
    expect(names('path-windows-device')).toEqual(['_CON.txt']);
  });

  it('reads a Latin-1 message without a charset as readable text', () => {
    const e = parsedOf('latin1-no-charset');
    expect(e.text.trim()).toBe('Bonjour, le café est prêt. À bientôt, Françoise.');
    expect(parsedOf('latin1-no-content-type').text.trim()).toBe('Grüße aus München');
    expect(parsedOf('latin1-declared-utf8').text.trim()).toBe('Señor García, gracias.');
    expect(parsedOf('charset-bogus').text.trim()).toBe('café');
    expect(parsedOf('header-8bit-latin1-subject').subject).toBe('Réclamation urgente');
  });

  it('gives different header hashes to different messages sharing a Message-ID, and equal ones to copies', () => {
    const a = parsedOf('duplicate-message-id-a');
    const b = parsedOf('duplicate-message-id-b');
    const copy = parsedOf('duplicate-message-id-copy');
    expect(a.messageId).toBe('<same-id@example.com>');
    expect(b.messageId).toBe(a.messageId);
    expect(b.headerHash).not.toBe(a.headerHash);
    expect(copy.headerHash).toBe(a.headerHash);
  });

  it('tells messages without a Message-ID apart by their header hash', () => {
    const missing = corpus.filter((m) => m.id.startsWith('message-id-missing')).map((m) => parsedOf(m.id));
    expect(missing.every((e) => e.messageId === null)).toBe(true);
    expect(new Set(missing.map((e) => e.headerHash)).size).toBe(missing.length);
  });

  it('quarantines absurd nesting and reads reasonable nesting', () => {
    for (const id of ['nesting-multipart-60', 'nesting-multipart-500', 'nesting-rfc822-60']) {
      expect(outcome(id).result, id).toMatchObject({ kind: 'quarantined', code: 'too-deep' });
    }
    expect(parsedOf('nesting-multipart-20').text.trim()).toBe('the innermost part');
    expect(parsedOf('nesting-rfc822-5').forwarded.map((f) => f.subject)).toEqual(['forward level 2', 'forward level 3', 'forward level 4', 'forward level 5', 'innermost']);
    // An attached (not inline) forward is one opaque part to the parser: kept as an .eml attachment.
    const attached = parsedOf('nesting-rfc822-60-attached');
    expect(attached.attachments.map((a) => a.contentType)).toEqual(['message/rfc822']);
    expect(attached.forwarded[0]?.subject).toBe('forward level 2');
    expect(parsedOf('nesting-rfc822-base64').forwarded[0]).toMatchObject({ subject: 'inside base64', messageId: '<hidden@example.org>' });
  });

  it('handles empty messages and bodies', () => {
    expect(outcome('empty-message').result).toMatchObject({ kind: 'quarantined', code: 'empty' });
    expect(parsedOf('empty-body')).toMatchObject({ subject: 'empty body', text: '' });
    expect(parsedOf('empty-base64-attachment').attachments[0]).toMatchObject({ filename: 'empty.pdf', size: 0 });
  });

  it('drops the oversized attachment with a note and keeps the small one', () => {
    const e = parsedOf('attachment-over-limit');
    expect(e.attachments.map((a) => a.filename)).toEqual(['small.txt']);
    expect(e.text).toContain('[The attachment "backup.zip" (26 MB) was not imported: attachments are limited to 25 MB each.]');
  });

  it('falls back to the arrival time for bogus dates', () => {
    for (const id of ['date-bogus-0', 'date-bogus-1', 'date-bogus-2', 'date-bogus-4', 'date-bogus-5', 'date-bogus-6', 'date-bogus-7', 'date-bogus-8', 'date-missing']) {
      const e = parsedOf(id);
      expect(e.date, id).toBe(RECEIVED);
      expect(e.dateFromHeader, id).toBe(false);
    }
    expect(parsedOf('date-bogus-10').date).toBe(Date.UTC(2003, 6, 1, 10, 52, 37));
  });

  it('keeps NUL bytes, control characters and bidi overrides out of what the agent reads', () => {
    expect(parsedOf('nul-in-body').text).toBe('beforeafter\n');
    expect(parsedOf('nul-in-subject').from?.name).toBe('NulName');
    expect(parsedOf('nul-in-filename').attachments[0]?.filename).toBe('safe.txt.exe');
    expect(parsedOf('rfc2047-control-chars').subject).toBe('line1 Bcc: evil@example.com');
    expect(parsedOf('rfc2047-bidi').from?.name).toBe('Supportmoc.knab');
  });

  it('threads by the ids it can find in messy headers', () => {
    expect(parsedOf('in-reply-to-garbage').inReplyTo).toBe('<orig@example.com>');
    expect(parsedOf('references-huge').references).toHaveLength(100);
    expect(parsedOf('message-id-twice').messageId).toBe('<one@example.com>');
    expect(parsedOf('message-id-no-brackets').messageId).toBe('<bare-id@example.com>');
  });

  it('keeps parts whose Content-Type is empty, as octet-stream attachments', () => {
    expect(parsedOf('multipart-empty-part-content-type').attachments.map((a) => [a.filename, a.contentType])).toEqual([
      ['attachment-1', 'application/octet-stream'],
      ['attachment-2', 'application/octet-stream'],
    ]);
  });

  it('reads the headers that mark automatic mail', () => {
    expect(parsedOf('ordinary-auto-reply-6')).toMatchObject({ autoSubmitted: 'auto-replied', precedence: 'auto_reply', autoResponseSuppress: 'All' });
    expect(parsedOf('ordinary-list-7')).toMatchObject({ listId: 'Product news <news.example.com>', precedence: 'bulk' });
    expect(parsedOf('ordinary-bounce-8')).toMatchObject({ returnPath: '', autoSubmitted: 'auto-replied' });
  });
});
