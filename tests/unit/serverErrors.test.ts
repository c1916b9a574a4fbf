// The sentences main and the hub refuse with reach the agent in the workspace's language: the key
// and params travel with the English sentence, the renderer translates them, German is complete,
// and no refusal in src/main or src/hub is written as a bare English sentence any more.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { afterEach, describe, expect, it } from 'vitest';
import { RpcError } from '../../src/shared/rpc';
import { isServerErrorKey, say, serverErrors, type ServerErrorKey } from '../../src/shared/serverErrors';
import { serverErrors as german } from '../../src/renderer/src/i18n/de/serverErrors';
import { setLocale } from '../../src/renderer/src/i18n';
import { messageOf } from '../../src/renderer/src/state/errors';
import { authorOf, lineOf, sentenceOf, storedSentenceOf } from '../../src/renderer/src/serverErrors';
import { authorMetadata, readStoredText, saidMetadata, serverAuthorName, storedSentence, storedText } from '../../src/shared/storedSentence';
import { smtpFailure } from '../../src/main/email/smtpSender';
import { describeImapError } from '../../src/main/email/imapSupervisor';
import { accountStatusLabel } from '../../src/renderer/src/state/mailAccounts';
import { statusText } from '../../src/main/hub/hubClient';
import { maskEvent } from '../../src/shared/privacy/maskRecords';
import { AttachmentStore } from '../../src/main/email/attachmentStore';
import { parseDeepLink } from '../../src/main/desktop/deepLinks';
import { PrivacySettings } from '../../src/shared/privacy/settings';
import { normalizeEmail } from '../../src/shared/identity';

const MB = 1024 * 1024;
const asRpc = (code: string, said: { message: string; key?: string; params?: Record<string, string | number> }) => new RpcError(code as never, said.message, said);

afterEach(() => setLocale('en'));

describe('a refusal in the agent\'s language', () => {
  it('shows main\'s sentence in German with its params, sizes in German numbers', () => {
    const error = asRpc('composer/attachment-refused', say('attachmentTooLarge', { name: 'video.mp4', size: 30.5 * MB, max: 25 * MB }));
    expect(error.message).toBe('“video.mp4” is 30.5 MB; a file can be at most 25 MB.');
    setLocale('de');
    expect(messageOf(error)).toBe('„video.mp4“ ist 30,5 MB groß; eine Datei darf höchstens 25 MB groß sein.');
    setLocale('en');
    expect(messageOf(error)).toBe('“video.mp4” is 30.5 MB; a file can be at most 25 MB.');
  });

  it('names ids among the params in the agent\'s words: presence, channel, case status', () => {
    setLocale('de');
    expect(messageOf(asRpc('agent/offline', say('transferPresence', { agent: 'Lee', presence: 'wrap_up' })))).toBe('Lee ist in der Nachbearbeitung; die Konversation bleibt bei Ihnen.');
    expect(messageOf(asRpc('agent/at-capacity', say('transferFull', { agent: 'Dee', current: 2, capacity: 2, channel: 'email' })))).toBe(
      'Dee hat bereits 2 von 2 E-Mail-Konversationen; die Konversation bleibt bei Ihnen.',
    );
    expect(messageOf(asRpc('case/already-resolved', say('snoozeResolved', { caseId: 12, status: 'resolved' })))).toBe('Fall #12 ist gelöst; öffnen Sie ihn wieder, bevor Sie ihn zurückstellen.');
    expect(sentenceOf({ message: 'Bo is offline', key: 'agentOffline', params: { agent: 'Bo' } })).toBe('Bo ist offline');
    expect(sentenceOf(say('replyOverLimit', { length: 1700, channel: 'sms', max: 1600, over: 100 }))).toBe('Diese Antwort hat 1.700 Zeichen; eine SMS darf höchstens 1.600 haben. Kürzen Sie sie um 100.');
  });

  it('keeps the English sentence when the key is unknown to this version, missing, or not a sentence', () => {
    setLocale('de');
    expect(messageOf(new RpcError('hub/refused', 'A newer hub said no.', { key: 'somethingNew', params: {} }))).toBe('A newer hub said no.');
    expect(messageOf(new RpcError('hub/refused', 'An older hub said no.'))).toBe('An older hub said no.');
    expect(messageOf(new RpcError('hub/refused', 'Odd.', { key: 'presence', params: {} }))).toBe('Odd.');
    // A side that sends the key without a param this version's sentence needs: the English sentence, never "{{name}}".
    expect(messageOf(new RpcError('hub/refused', 'Bo is offline; the conversation stays with you.', { key: 'transferOffline', params: { who: 'Bo' } }))).toBe('Bo is offline; the conversation stays with you.');
    expect(messageOf(new Error('Plain.'))).toBe('Plain.');
    expect(messageOf(undefined)).toBe('Etwas ist schiefgegangen; bitte erneut versuchen.');
  });

  it('builds the English sentence from the catalog, so the two cannot drift apart', () => {
    expect(say('replyOverLimit', { length: 1700, channel: 'sms', max: 1600, over: 100 }).message).toBe('This reply is 1,700 characters; an SMS takes at most 1,600. Shorten it by 100.');
    expect(say('replyOverLimit', { length: 9000, channel: 'email', max: 8000, over: 1000 }).message).toMatch(/; this channel takes at most 8,000\./);
    expect(say('reassignFull', { agent: 'Dee', current: 1, capacity: 1, channel: 'chat' }).message).toBe('Dee already has 1 of 1 chat conversations; the conversation stays where it is.');
    expect(isServerErrorKey('linkSelf')).toBe(true);
    expect(isServerErrorKey('presence')).toBe(false);
  });
});

describe('a timeline status line in the agent\'s language', () => {
  it('reads the key and params kept in the event\'s metadata; the stored English body is the fallback', () => {
    const resolved = say('lineResolvedAs', { code: 'workaround', agent: 'Alex Morgan' });
    expect(resolved.message).toBe('Resolved as Workaround given by Alex Morgan.');
    const metadata = { caseStatus: 'resolved', ...saidMetadata(resolved) };
    expect(lineOf(resolved.message, metadata)).toBe('Resolved as Workaround given by Alex Morgan.');
    setLocale('de');
    expect(lineOf(resolved.message, metadata)).toBe('Von Alex Morgan gelöst: Workaround mitgeteilt.');
    // A row written before the keys existed, a key this version does not know, a masked row: the stored text.
    expect(lineOf('Reopened by Alex Morgan.', { caseStatus: 'open' })).toBe('Reopened by Alex Morgan.');
    expect(lineOf('Something new.', { said: { key: 'lineFromTheFuture', params: {} } })).toBe('Something new.');
    expect(lineOf('Case #3 resolved by ***.', { ...saidMetadata(say('lineResolved', { caseId: 3, agent: 'Bo' })), masked: ['card'] })).toBe('Case #3 resolved by ***.');
  });

  it('translates the hub\'s reason inside "Moved to another agent: …" and a snooze time in the agent\'s locale', () => {
    const reason = say('movedReassigned', { agent: 'Bob Reyes', actor: 'Sam Lead' });
    const line = say('lineMoved', { reason: reason.message });
    const metadata = saidMetadata(line, { reason: { key: reason.key, params: reason.params } });
    expect(storedSentence(metadata)?.nested?.reason?.key).toBe('movedReassigned');
    expect(lineOf(line.message, metadata)).toBe('Moved to another agent: Reassigned to Bob Reyes by Sam Lead');
    setLocale('de');
    expect(lineOf(line.message, metadata)).toBe('An einen anderen Agenten übergeben: Neu zugewiesen an Bob Reyes von Sam Lead');
    // An older hub sent no key for its reason: the English reason inside the German sentence.
    expect(lineOf(line.message, saidMetadata(line, { reason: undefined }))).toBe('An einen anderen Agenten übergeben: Reassigned to Bob Reyes by Sam Lead');
    const until = Date.UTC(2026, 0, 12, 16, 0);
    const snoozed = lineOf('Snoozed until Mon 12 Jan, 17:00 by Alex.', saidMetadata(say('lineSnoozedUntil', { until, agent: 'Alex' })));
    const call = say('lineCallInOutcome', { from: '+14155550123', status: 'completed', outcome: 'answered' });
    expect(call.message).toBe('Incoming call from +14155550123: ended (answered)');
    expect(lineOf(call.message, saidMetadata(call))).toBe('Eingehender Anruf von +14155550123: beendet (angenommen)');
    expect(snoozed).toMatch(/^Von Alex zurückgestellt bis 12\. Jan\.( 2026)?, \d{2}:00\.$/);
  });
});

describe('a delivery reason in the agent\'s language', () => {
  it('keeps the SMTP reason\'s key inside "retrying in …", stored in the outbox\'s text column, and reads it in German', () => {
    const failure = smtpFailure(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:2525'), { code: 'ESOCKET' }), '127.0.0.1');
    expect(failure.said?.key).toBe('smtpRefused');
    const retrying = say('deliveryRetrying', { reason: failure.message, delay: 120_000 });
    const stored = storedText({ said: retrying, nested: { reason: failure.said } });
    const read = readStoredText(stored);
    // The English sentence is the one the outbox always stored.
    expect(read.message).toBe('The mail server 127.0.0.1 refused the connection; retrying in 2 min');
    expect(storedSentenceOf(read.message!, read.text)).toBe('The mail server 127.0.0.1 refused the connection; retrying in 2 min');
    setLocale('de');
    expect(storedSentenceOf(read.message!, read.text)).toBe('Der Mailserver 127.0.0.1 hat die Verbindung abgelehnt; neuer Versuch in 2 Min.');
    expect(storedSentenceOf('Waiting for the connection to the hub.', readStoredText(storedText(say('deliveryWaitingForHub'))).text)).toBe('Warten auf die Verbindung zum Hub.');
  });

  it('reads a plain stored sentence (older rows, the hub\'s provider text) as it is', () => {
    expect(readStoredText('Twilio reports the SMS undelivered (error 30003).')).toEqual({ message: 'Twilio reports the SMS undelivered (error 30003).', text: null });
    expect(readStoredText('{"message": broken')).toEqual({ message: '{"message": broken', text: null });
    expect(readStoredText(null)).toEqual({ message: null, text: null });
  });
});

describe('a mailbox status in the agent\'s language', () => {
  it('shows the IMAP reason and the retry in German in the account\'s badge; an older row\'s English as it is', () => {
    const failure = describeImapError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), { imap: { host: 'imap.example.com', port: 993, tls: true }, auth: 'password' } as never);
    expect(failure.message).toBe('The server imap.example.com:993 refused the connection. Check the host and port, or whether the mail server is running.');
    const status = readStoredText(storedText({ said: say('imapRetrySeconds', { reason: failure.message, seconds: 30 }), nested: { reason: failure.said } }));
    const account = { status: 'error' as const, statusDetail: status.message, statusText: status.text, progress: { done: 0, total: 0 } };
    expect(accountStatusLabel(account).text).toContain('refused the connection. Check the host and port, or whether the mail server is running. Trying again in 30 s.');
    setLocale('de');
    expect(accountStatusLabel(account).text).toContain('Der Server imap.example.com:993 hat die Verbindung abgelehnt. Prüfen Sie Host und Port oder ob der Mailserver läuft. Neuer Versuch in 30 s.');
    expect(accountStatusLabel({ ...account, statusText: null, statusDetail: 'Old English reason.' }).text).toContain('Old English reason.');
  });

  it('says in German why resolved cases\' mail could not be archived', () => {
    const problem = say('archiveRefused', { count: 2, cases: '#7', folder: 'Closed', host: 'imap.example.com' });
    const account = { status: 'idle' as const, statusDetail: null, progress: { done: 0, total: 0 }, archiveProblem: problem.message, archiveProblemText: { key: problem.key, params: { ...problem.params } } };
    expect(accountStatusLabel(account)).toEqual({ text: `Connected · ${problem.message}`, tone: 'warn' });
    expect(problem.message).toBe('2 emails of case #7 could not be moved to "Closed" on imap.example.com: the server refused the move and the folder could not be created. Check the archive folder in the mailbox settings.');
    setLocale('de');
    expect(accountStatusLabel(account).text).toBe('Verbunden · 2 E-Mails von Fall #7 konnten nicht nach „Closed“ auf imap.example.com verschoben werden: Der Server hat das Verschieben abgelehnt, und der Ordner konnte nicht angelegt werden. Prüfen Sie den Archivordner in den Postfacheinstellungen.');
  });
});

describe('why a mail was not imported, in the agent\'s language', () => {
  it('reads a quarantine reason stored with its key in German, sizes in German numbers; the sender\'s own problem inside it too', () => {
    const tooLarge = readStoredText(storedText(say('quarantineTooLarge', { size: 1.5 * MB, limit: MB })));
    expect(tooLarge.message).toBe('The message is 1.5 MB, larger than the 1 MB limit; it was not imported.');
    const unreadable = normalizeEmail('dana at customer');
    if (unreadable.ok) throw new Error('expected an unreadable address');
    const sender = readStoredText(storedText({ said: say('quarantineSenderUnreadable', { why: unreadable.message }), nested: { why: unreadable.said } }));
    expect(sender.message).toBe(`The sender could not be read: ${unreadable.message}`);
    const loop = readStoredText(storedText(say('quarantineOwnAddress', { address: 'help@omni.test' })));
    setLocale('de');
    expect(storedSentenceOf(tooLarge.message!, tooLarge.text)).toBe('Die Nachricht ist 1,5 MB groß und damit größer als die Grenze von 1 MB; sie wurde nicht importiert.');
    expect(storedSentenceOf(loop.message!, loop.text)).toBe('Von der Support-Adresse help@omni.test selbst gesendet (eigene Mail oder eine Schleife); keine Kundennachricht.');
    const german = storedSentenceOf(sender.message!, sender.text);
    expect(german).toMatch(/^Der Absender konnte nicht gelesen werden: „dana at customer“ ist keine E-Mail-Adresse/);
    // An older row's English stays as it is.
    expect(storedSentenceOf('The message could not be read.', readStoredText('The message could not be read.').text)).toBe('The message could not be read.');
  });
});

describe('the hub connection\'s status in the agent\'s language', () => {
  it('reads "Connected to the hub at … as …" and the retry with its socket reason in German', () => {
    const connected = statusText(say('hubStatusConnected', { host: 'hub.example.com', agent: 'Sam' }));
    expect(connected.detail).toBe('Connected to the hub at hub.example.com as Sam.');
    const socket = say('hubSocketRefused', { host: 'hub.example.com' });
    const retry = statusText({ said: say('hubStatusRetrySeconds', { reason: socket.message, seconds: 4 }), nested: { reason: socket } });
    expect(retry.detail).toBe('The hub at hub.example.com refused the connection; retrying in 4 s. Replies are queued.');
    setLocale('de');
    expect(storedSentenceOf(connected.detail, connected.detailText)).toBe('Mit dem Hub unter hub.example.com verbunden als Sam.');
    expect(storedSentenceOf(retry.detail, retry.detailText)).toBe('Der Hub unter hub.example.com hat die Verbindung abgelehnt; neuer Versuch in 4 s. Antworten werden zurückgehalten.');
  });
});

describe('a handoff note main writes', () => {
  const said = say('noteEscalatedHandoff', { reason: 'Refund over 500', note: 'Card 4111 1111 1111 1111 was charged twice' });
  const event = {
    id: 1, caseId: 1, customerId: 1, channel: 'chat' as const, direction: 'internal' as const, kind: 'note' as const, authorType: 'system' as const, authorName: 'Hub',
    subject: null, body: said.message, metadata: saidMetadata(said), occurredAt: 0, delivery: null, deliveryDetail: null,
  };

  it('reads in German with the agents\' own words kept as written', () => {
    setLocale('de');
    expect(lineOf(event.body, event.metadata)).toBe('Eskaliert: Refund over 500\nÜbergabenotiz: Card 4111 1111 1111 1111 was charged twice');
  });

  it('loses its stored params when masking hides something: only the masked body leaves main', () => {
    const masked = maskEvent(event, PrivacySettings.parse({}));
    expect(masked.body).not.toContain('4111 1111 1111 1111');
    expect(masked.metadata.said).toBeUndefined();
    setLocale('de');
    expect(lineOf(masked.body, masked.metadata)).toBe(masked.body);
  });
});

describe('the attachment store\'s refusal', () => {
  it('keeps its English sentence and carries its key: a German agent reads the sizes in German', async () => {
    const put = await new AttachmentStore('/nonexistent-never-written', { maxBytes: 1024 * 1024 }).put(Buffer.alloc(1.5 * 1024 * 1024));
    expect(put).toMatchObject({ ok: false, code: 'too-large', message: 'The attachment is 1.5 MB, larger than the 1 MB limit; it was not stored.' });
    if (put.ok) throw new Error('stored');
    setLocale('de');
    expect(messageOf(asRpc('composer/attachment-refused', put.said!))).toBe('Der Anhang ist 1,5 MB groß und damit größer als das Limit von 1 MB; er wurde nicht gespeichert.');
  });
});

describe('a deep link\'s number that cannot be dialled', () => {
  it('says so in German, with the number and the region as given', () => {
    const result = parseDeepLink('tel:+999', { defaultRegion: 'DE' });
    if (result.ok) throw new Error('parsed');
    expect(result.error.message).toBe('“+999” is not a phone number that can be dialled from DE or internationally.');
    setLocale('de');
    expect(sentenceOf(result.error)).toBe('„+999“ ist keine Telefonnummer, die von DE aus oder international gewählt werden kann.');
  });
});

describe('the serverErrors catalog', () => {
  const placeholders = (text: string): string[] => [...text.matchAll(/\{\{\s*([^}]+?)\s*\}\}/g)].map((m) => (m[1] ?? '').replace(/\s+/g, '')).sort();
  const keys = Object.keys(serverErrors).filter(isServerErrorKey) as ServerErrorKey[];

  it('has a German sentence for every key with the same placeholders and formats', () => {
    expect(keys.length).toBeGreaterThan(100);
    for (const key of keys) {
      const de = german[key];
      expect(typeof de, key).toBe('string');
      expect(placeholders(de), key).toEqual(placeholders(serverErrors[key]));
    }
  });
});

// ------------------------------------------------------------ no bare sentences left
const SRC = join(__dirname, '../../src');
/**
 * Where a bare sentence stays, and how many: errors that never reach an agent's screen. The command
 * line and start-up checks (read in a terminal or the crash log before any workspace exists), the
 * wire-protocol guards between desktop and hub, webhook bodies, and programmer errors. A new bare
 * sentence anywhere (or one more in these files) fails here: build it with say(key, params).
 */
const NOT_FOR_A_PERSON: Record<string, number> = {
  'main/config.ts': 6, // flags, env and the config file at start
  'main/headless/server.ts': 4, // the built workspace and the port at start
  'main/hub/embeddedHub.ts': 2, // the built-in hub's settings file at start
  'main/secrets.ts': 5, // the secrets file and its key at start
  'main/electron/safeStorageSecrets.ts': 1, // the keychain file at start
  'main/electron/main.ts': 1, // the window being gone: a programmer error
  'main/privacy/contentSealer.ts': 2, // the content key at start
  'main/privacy/restrictedContent.ts': 2, // the restricted-channel key check at start
  'main/email/autoResponder.ts': 1, // the auto-reply hours of the config file at start
  'main/store/repository.ts': 1, // identifiers of the demo center while seeding
  'main/hub/hubClient.ts': 2, // a bad hub URL in the config; a request that breaks the protocol
  'hub/main.ts': 8, // the hub's command line
  'hub/server.ts': 7, // the hub's start-up, and the sign-in endpoint's usage for integrators
  'hub/http.ts': 3, // HTTP bodies of webhooks and integrations
  'hub/core/gateway.ts': 6, // protocol guards (hello, frames)
  'hub/core/accounts.ts': 1, // agent creation by the hub's admin command line
  'hub/core/conversations.ts': 1, // inbound validation of providers' webhooks
  'hub/core/channelMatrix.ts': 2, // the config file at start; a stored version that cannot be read
  'hub/voice/token.ts': 1, // a token without expiry: a programmer error
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** `new AppError(code, 'a sentence')` and the like: an error class built with literal or template text. */
function bareSentences(path: string): string[] {
  const file = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && ['AppError', 'HubError', 'HubRequestError'].includes(node.expression.text)) {
      const text = node.arguments?.[1];
      if (text && (ts.isStringLiteralLike(text) || ts.isTemplateExpression(text))) {
        found.push(`${file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1}: ${text.getText(file).slice(0, 60)}`);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

describe('refusals in main and the hub', () => {
  it('are built with say(key, params) wherever they can reach a person', () => {
    const files = [...sourceFiles(join(SRC, 'main')), ...sourceFiles(join(SRC, 'hub'))];
    const bare = files.flatMap((path) => {
      const found = bareSentences(path);
      return found.length > (NOT_FOR_A_PERSON[relative(SRC, path)] ?? 0) ? found.map((line) => `${relative(SRC, path)}:${line}`) : [];
    });
    expect(bare).toEqual([]);
    // The scan itself sees them where they are allowed.
    expect(bareSentences(join(SRC, 'main/config.ts'))).toHaveLength(NOT_FOR_A_PERSON['main/config.ts']!);
  });
});

describe('fixed author names on timeline rows', () => {
  it('shows "Hub", "Customer", "You" in German by their marker; stored names and other people unchanged', () => {
    const hubLine = { authorType: 'system', authorName: serverAuthorName('authorHub'), metadata: authorMetadata('authorHub') };
    const rating = { authorType: 'customer', authorName: 'Customer', metadata: authorMetadata('authorCustomer') };
    const myCall = { authorType: 'agent', authorName: 'You', metadata: authorMetadata('authorYou') };
    const customerNamedYou = { authorType: 'customer', authorName: 'You', metadata: {} };
    const agent = { authorType: 'agent', authorName: 'Dana Agent', metadata: {} };
    expect(hubLine.authorName).toBe('Hub');
    setLocale('de');
    expect(authorOf(rating)).toBe('Kunde');
    expect(authorOf(myCall)).toBe('Sie');
    expect(authorOf(hubLine)).toBe('Hub');
    expect(authorOf(customerNamedYou)).toBe('You');
    expect(authorOf(agent)).toBe('Dana Agent');
    // an older row without the marker: only a system or bot author is read by its stored name
    expect(authorOf({ authorType: 'system', authorName: 'Handoff', metadata: {} })).toBe('Übergabe');
    expect(authorOf({ authorType: 'bot', authorName: 'Automatic answer', metadata: {} })).toBe('Automatische Antwort');
    expect(authorOf({ authorType: 'customer', authorName: 'Customer', metadata: {} })).toBe('Customer');
    setLocale('en');
    expect(authorOf(rating)).toBe('Customer');
  });
});
