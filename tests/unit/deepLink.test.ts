// Links the OS hands the app: what each opens in the workspace, and that hostile or malformed
// links are refused with a reason instead of opening anything.
import { describe, expect, it } from 'vitest';
import { describeLink, linkFromArgv, parseDeepLink, type DeepLinkResult } from '../../src/main/desktop/deepLinks';
import { configArgv } from '../../src/main/electron/guards';
import { DeepLinkPayload } from '../../src/main/desktop/shellEvents';

function link(raw: unknown, region?: string) {
  const result = parseDeepLink(raw, region ? { defaultRegion: region } : {});
  if (!result.ok) throw new Error(`expected ${String(raw)} to parse, got ${result.error.message}`);
  // Whatever parses is also what the deepLinkOpened event carries.
  expect(DeepLinkPayload.safeParse(result.link).success).toBe(true);
  return result.link;
}

function refusal(raw: unknown): { code: string; message: string } {
  const result: DeepLinkResult = parseDeepLink(raw);
  if (result.ok) throw new Error(`expected ${String(raw)} to be refused, got ${JSON.stringify(result.link)}`);
  expect(result.error.message.length).toBeGreaterThan(10);
  return result.error;
}

describe('omni: links open the workspace at a conversation, a customer or a search', () => {
  it('omni://case/<id> opens that conversation', () => {
    expect(link('omni://case/42')).toEqual({ kind: 'case', caseId: 42 });
    expect(link('OMNI://Case/42/')).toEqual({ kind: 'case', caseId: 42 });
  });

  it('omni://customer/<id> opens that customer', () => {
    expect(link('omni://customer/7')).toEqual({ kind: 'customer', customerId: 7 });
  });

  it('omni://search?q=… searches for the decoded text', () => {
    expect(link('omni://search?q=API%20timeouts')).toEqual({ kind: 'search', query: 'API timeouts' });
    expect(link('omni://search/?q=refund+status')).toEqual({ kind: 'search', query: 'refund status' });
    expect(link('omni://search?q=%E2%9C%93%20caf%C3%A9')).toEqual({ kind: 'search', query: '✓ café' });
  });

  it.each([
    ['omni://case/0', 'link/malformed'],
    ['omni://case/-1', 'link/malformed'],
    ['omni://case/042', 'link/malformed'],
    ['omni://case/4.2', 'link/malformed'],
    ['omni://case/1e3', 'link/malformed'],
    ['omni://case/99999999999999999', 'link/malformed'],
    ['omni://case/42/extra', 'link/malformed'],
    ['omni://case/%34%32', 'link/malformed'],
    ['omni://case/', 'link/malformed'],
    ['omni://case/42?open=1', 'link/malformed'],
    ['omni://case/42#x', 'link/malformed'],
    ['omni://user:pw@case/42', 'link/malformed'],
    ['omni://case:8080/42', 'link/malformed'],
    ['omni:case/42', 'link/malformed'],
    ['omni://search', 'link/malformed'],
    ['omni://search?q=', 'link/malformed'],
    ['omni://search?q=%20%20', 'link/malformed'],
    ['omni://search?q=a&q=b', 'link/malformed'],
    ['omni://search?q=a&run=rm', 'link/malformed'],
    ['omni://search?q=%00drop', 'link/malformed'],
    ['omni://search?q=%E0%A4%A', 'link/malformed'],
    ['omni://settings/reset', 'link/unsupported'],
    ['omni://c%61se/42', 'link/unsupported'],
    ['omni://case.evil/42', 'link/unsupported'],
  ])('refuses %s (%s)', (raw, code) => expect(refusal(raw).code).toBe(code));

  it('refuses a search longer than 500 characters', () => {
    expect(refusal(`omni://search?q=${'a'.repeat(501)}`).message).toContain('500');
  });
});

describe('tel: links start a call to the number in E.164', () => {
  it('normalizes the written number', () => {
    expect(link('tel:+1-415-555-2671')).toMatchObject({ kind: 'call', number: '+14155552671', extension: null });
    expect(link('tel:+44%2020%207946%200958')).toMatchObject({ number: '+442079460958', display: '+44 20 7946 0958' });
  });

  it('reads a number without a country code in the agent’s region', () => {
    expect(link('tel:(415)%20555-2671')).toMatchObject({ number: '+14155552671' });
    expect(link('tel:020%207946%200958', 'GB')).toMatchObject({ number: '+442079460958' });
  });

  it('keeps an extension and ignores other RFC 3966 parameters', () => {
    expect(link('tel:+1-415-555-2671;ext=204;phone-context=example.com')).toMatchObject({ number: '+14155552671', extension: '204', display: '+1 415 555 2671 ext. 204' });
  });

  it.each([
    'tel:',
    'tel:javascript:alert(1)',
    'tel:+1-415-555-2671;ext=12a',
    'tel:1-800-FLOWERS',
    'tel:+1415555267100000000',
    'tel:12',
    'tel:+1-415-555-2671?call=1',
    'tel:%E0%A4%A',
    'tel:+1-415-555-2671%0d%0a',
  ])('refuses %s', (raw) => expect(refusal(raw).code).toBe('link/malformed'));
});

describe('mailto: links start a new email', () => {
  it('fills recipients, subject and body', () => {
    expect(link('mailto:jane@acme.example?subject=API%20timeouts&body=Hi%20Jane%2C%0D%0A%0D%0AThanks.')).toEqual({
      kind: 'email',
      to: ['jane@acme.example'],
      cc: [],
      bcc: [],
      subject: 'API timeouts',
      body: 'Hi Jane,\n\nThanks.',
    });
  });

  it('reads several recipients, to= and cc=, lower-cased and without duplicates', () => {
    expect(link('mailto:Jane@Acme.example,bob@acme.example?to=JANE@acme.example&cc=ops@acme.example&bcc=audit@acme.example')).toMatchObject({
      to: ['jane@acme.example', 'bob@acme.example'],
      cc: ['ops@acme.example'],
      bcc: ['audit@acme.example'],
    });
  });

  it('keeps a plus sign as a plus (RFC 6068), unlike a form query', () => {
    expect(link('mailto:jane+support@acme.example?subject=1+1')).toMatchObject({ to: ['jane+support@acme.example'], subject: '1+1' });
  });

  it('ignores headers a link may not set, such as attachments', () => {
    const result = link('mailto:jane@acme.example?attach=/etc/passwd&X-Mailer=evil&subject=Hi');
    expect(result).toEqual({ kind: 'email', to: ['jane@acme.example'], cc: [], bcc: [], subject: 'Hi', body: '' });
  });

  it.each([
    ['mailto:', 'no recipient'],
    ['mailto:?subject=hi', 'no recipient'],
    ['mailto:not-an-address', 'not an email address'],
    ['mailto:jane@acme.example?subject=Hi%0D%0ABcc:%20all@evil.example', 'line break'],
    ['mailto:jane@acme.example?subject=a&subject=b', 'twice'],
    ['mailto:jane@acme.example?body=%00', 'control'],
    ['mailto:jane@acme.example?subject=%E0%A4%A', '%-escape'],
    ['mailto:jane@acme.example?cc=evil%0d%0a@x.example', 'control'],
  ])('refuses %s (%s)', (raw, why) => {
    const error = refusal(raw);
    expect(error.code).toBe('link/malformed');
    expect(error.message).toContain(why);
  });

  it('refuses a link with more than 50 recipients', () => {
    const many = Array.from({ length: 51 }, (_, i) => `u${i}@acme.example`).join(',');
    expect(refusal(`mailto:${many}`).message).toContain('50');
  });
});

describe('every other link is refused with a reason', () => {
  it.each([
    'https://omni.example/case/42',
    'http://127.0.0.1:4870/',
    'file:///etc/passwd',
    'javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'app://omni/index.html',
    'ms-msdt:/id PCWDiagnostic',
    'omnix://case/42',
    'sms:+14155552671',
  ])('does not open %s', (raw) => {
    const error = refusal(raw);
    expect(['link/unsupported', 'link/malformed']).toContain(error.code);
  });

  it.each([undefined, null, 42, {}, '', ' omni://case/1', 'omni://case/1 ', 'omni://case/1\n', 'omni://case/\u202e1'])('refuses the malformed input %j', (raw) => {
    expect(refusal(raw).code).toBe('link/malformed');
  });

  it('refuses an oversized link without parsing it', () => {
    expect(refusal(`omni://search?q=${'a'.repeat(9000)}`).message).toContain('longer than');
  });

  it('never echoes control characters of a hostile link into its message', () => {
    const error = refusal('gopher://\u0007evil');
    // eslint-disable-next-line no-control-regex
    expect(error.message).not.toMatch(/[\u0000-\u001f]/);
  });
});

describe('links in the start arguments', () => {
  it('finds the link a second start was given, skipping the executable and switches', () => {
    expect(linkFromArgv(['--allow-file-access-from-files', 'omni://case/3'])).toBe('omni://case/3');
    expect(linkFromArgv(['C:\\Program Files\\Omni Desk\\Omni Desk.exe', 'tel:+14155552671'])).toBe('tel:+14155552671');
    expect(linkFromArgv(['--data-dir', '/tmp/x'])).toBeNull();
    expect(linkFromArgv(['https://evil.example/'])).toBeNull();
  });

  it('keeps tel: and mailto: links out of the configuration options', () => {
    expect(configArgv(['/Omni Desk', 'tel:+14155552671', '--no-demo'], true)).toEqual(['--no-demo']);
    expect(configArgv(['/Omni Desk', 'mailto:jane@acme.example'], true)).toEqual([]);
  });

  it('logs what a link opens without its private parts', () => {
    const email = link('mailto:jane@acme.example?body=my%20password%20is%20hunter2');
    expect(describeLink(email)).toBe('a new email');
    expect(describeLink(link('omni://case/9'))).toBe('case 9');
  });
});
