import { afterEach, describe, expect, it } from 'vitest';
import {
  autoReplyText,
  channelMatrixFile,
  defaultChannelMatrix,
  diffChannelMatrix,
  handoffRuleSaid,
  matrixChanges,
  parseChannelMatrix,
  parseChannelMatrixFile,
  type ChannelMatrix,
} from '../../src/shared/channelConfig';
import { DEFAULT_FIRST_RESPONSE_SLA_SECONDS } from '../../src/shared/hub/agentProtocol';
import { DEFAULT_ROUTING_CONFIG } from '../../src/shared/routing/types';
import { DEFAULT_HANDOFF_RULES } from '../../src/shared/cases/handoff';
import { setLocale } from '../../src/renderer/src/i18n';
import { sentenceOf, storedSentenceOf } from '../../src/renderer/src/serverErrors';
import { matrixRefusalOf } from '../../src/renderer/src/state/channelConfig';

const edit = (m: ChannelMatrix, f: (m: ChannelMatrix) => void): unknown => {
  const copy = structuredClone(m);
  f(copy);
  return copy;
};

describe('the channel configuration matrix', () => {
  it('built from today\'s configuration changes nothing: SLAs, backups, hours and handoff rules as configured', () => {
    const m = defaultChannelMatrix({ slaSeconds: { chat: 90 }, backup: DEFAULT_ROUTING_CONFIG.backup, costs: { email: { perContact: 4.5 } } });
    expect(m.channels.chat.firstResponseSlaSeconds).toBe(90);
    expect(m.channels.phone.firstResponseSlaSeconds).toBe(DEFAULT_FIRST_RESPONSE_SLA_SECONDS.phone);
    expect(m.channels.phone.backupChannel).toBe('chat');
    expect(m.channels.email.backupChannel).toBeNull();
    expect(m.channels.email.costPerContact).toBe(4.5);
    expect(m.channels.chat.hours.weekly).toBe('24/7');
    expect(m.channels.phone.hours.timeZone).toBe('America/New_York');
    expect(m.handoff).toEqual(DEFAULT_HANDOFF_RULES);
    expect(parseChannelMatrix(m).ok).toBe(true);
  });

  it('refuses a channel that is its own backup, with a sentence naming it', () => {
    const r = parseChannelMatrix(edit(defaultChannelMatrix(), (m) => (m.channels.sms.backupChannel = 'sms')));
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.message).toContain('SMS cannot be its own backup channel');
      expect(r.problems[0]!.path).toBe('channels.sms.backupChannel');
    }
  });

  it('refuses backup channels that form a cycle', () => {
    const r = parseChannelMatrix(
      edit(defaultChannelMatrix(), (m) => {
        m.channels.chat.backupChannel = 'email';
        m.channels.email.backupChannel = 'phone';
        m.channels.phone.backupChannel = 'chat';
      }),
    );
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toContain('backup channels form a cycle (Chat → Email → Phone → Chat)');
  });

  it('refuses malformed hours, a calendar never open, and an unknown zone', () => {
    const bad = parseChannelMatrix(
      edit(defaultChannelMatrix(), (m) => {
        m.channels.email.hours.weekly = { mon: [{ start: '18:00', end: '09:00' }] };
      }),
    );
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.message).toMatch(/Email hours on Monday, range 1: must start before it ends/);
    const closed = parseChannelMatrix(edit(defaultChannelMatrix(), (m) => (m.channels.sms.hours.weekly = {})));
    expect(closed.ok).toBe(false);
    if (!closed.ok) expect(closed.message).toContain('SMS has no open hours on any day');
    const zone = parseChannelMatrix(edit(defaultChannelMatrix(), (m) => (m.channels.chat.hours.timeZone = 'Mars/Olympus')));
    expect(zone.ok).toBe(false);
    if (!zone.ok) expect(zone.message).toContain('Chat time zone: is not an IANA time zone');
  });

  it('refuses a zero SLA, a priority out of range, a negative cost and unknown placeholders', () => {
    const r = parseChannelMatrix(
      edit(defaultChannelMatrix(), (m) => {
        m.channels.chat.firstResponseSlaSeconds = 0;
        m.channels.chat.routingPriority = 11;
        m.channels.chat.costPerContact = -1;
        m.channels.chat.autoReply.text = 'Hi {name}';
      }),
    );
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.problems.map((p) => p.path)).toEqual([
        'channels.chat.firstResponseSlaSeconds',
        'channels.chat.routingPriority',
        'channels.chat.costPerContact',
        'channels.chat.autoReply.text',
      ]);
      expect(r.message).toContain('Chat first-response SLA: must be more than 0 seconds');
      expect(r.message).toContain('(and 1 more)');
    }
  });

  it('refuses a matrix missing a channel or with an unknown one', () => {
    const missing = edit(defaultChannelMatrix(), (m) => delete (m.channels as Partial<ChannelMatrix['channels']>).portal);
    expect(parseChannelMatrix(missing).ok).toBe(false);
    const extra = edit(defaultChannelMatrix(), (m) => ((m.channels as Record<string, unknown>).fax = m.channels.email));
    expect(parseChannelMatrix(extra).ok).toBe(false);
  });

  it('reads back its own export file and refuses other files with a sentence', () => {
    const m = defaultChannelMatrix();
    const file = JSON.stringify(channelMatrixFile({ version: 3, matrix: m, savedBy: 'Ada', savedAt: 1, changes: [] }, 2));
    const back = parseChannelMatrixFile(file);
    expect(back).toEqual({ ok: true, matrix: m });
    expect(parseChannelMatrixFile('not json')).toMatchObject({ ok: false, message: expect.stringContaining('not JSON') });
    expect(parseChannelMatrixFile('{"format":"other"}')).toMatchObject({ ok: false, message: expect.stringContaining('not an exported channel configuration') });
  });

  it('describes what changed, one line per field', () => {
    const a = defaultChannelMatrix();
    const b = edit(a, (m) => {
      m.channels.chat.firstResponseSlaSeconds = 120;
      m.channels.sms.backupChannel = null;
      m.handoff = m.handoff.slice(1);
    }) as ChannelMatrix;
    expect(diffChannelMatrix(a, b)).toEqual(['Chat first-response SLA: 60 s → 120 s', 'Handoff rule removed: chat → email (keeps the full transcript)']);
    expect(diffChannelMatrix(a, a)).toEqual([]);
  });

  it('names each changed day, time zone and holiday of the hours, and a switch to 24/7 in one line', () => {
    const a = edit(defaultChannelMatrix(), (m) => {
      m.channels.email.hours = { timeZone: 'America/New_York', weekly: { mon: [{ start: '09:00', end: '17:00' }], tue: [{ start: '09:00', end: '17:00' }] }, holidays: [{ date: '2026-12-25', name: 'Christmas' }] };
      m.channels.sms.hours.weekly = '24/7';
      m.channels.chat.hours.weekly = { fri: [{ start: '09:00', end: '17:00' }] };
    }) as ChannelMatrix;
    const b = edit(a, (m) => {
      m.channels.email.hours = { timeZone: 'Europe/Berlin', weekly: { mon: [{ start: '08:00', end: '12:00' }, { start: '13:00', end: '17:00' }], wed: [{ start: '09:00', end: '17:00' }] }, holidays: [{ date: '2026-12-26', name: 'Boxing Day' }] };
      m.channels.sms.hours.weekly = { sat: [{ start: '10:00', end: '14:00' }] };
      m.channels.chat.hours.weekly = '24/7';
    }) as ChannelMatrix;
    expect(diffChannelMatrix(a, b)).toEqual([
      'Email time zone: America/New_York → Europe/Berlin',
      'Email hours on Monday: 09:00–17:00 → 08:00–12:00, 13:00–17:00',
      'Email hours on Tuesday: 09:00–17:00 → closed',
      'Email hours on Wednesday: closed → 09:00–17:00',
      'Email holiday removed: 2026-12-25 (Christmas)',
      'Email holiday added: 2026-12-26 (Boxing Day)',
      'Chat hours: now open 24/7',
      ...['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'].map((day) => `SMS hours on ${day}: 24/7 → closed`),
      'SMS hours on Saturday: 24/7 → 10:00–14:00',
      'SMS hours on Sunday: 24/7 → closed',
    ]);
  });

  it('fills an auto-reply with the channel SLA while open and the next opening while closed; none when off', () => {
    const m = edit(defaultChannelMatrix(), (x) => {
      x.channels.sms.firstResponseSlaSeconds = 300;
      x.channels.sms.autoReply = { enabled: true, text: 'Within {responseTime}.', closedText: 'Back {opensAt}, then within {responseTime}.' };
    }) as ChannelMatrix;
    // Thursday 2026-01-15 15:00 UTC is 10:00 in New York (open); 23:30 UTC is 18:30 (closed).
    expect(autoReplyText(m, 'sms', Date.UTC(2026, 0, 15, 15, 0))).toBe('Within 5 minutes.');
    expect(autoReplyText(m, 'sms', Date.UTC(2026, 0, 15, 23, 30))).toBe('Back Friday, January 16 at 09:00 (America/New_York), then within 5 minutes.');
    const off = edit(m, (x) => (x.channels.sms.autoReply.enabled = false)) as ChannelMatrix;
    expect(autoReplyText(off, 'sms', Date.UTC(2026, 0, 15, 15, 0))).toBeNull();
  });
});

describe('the configuration\'s problems in the agent\'s language', () => {
  afterEach(() => setLocale('en'));

  it('shows a cross-field problem with its place in German, the English message unchanged', () => {
    const r = parseChannelMatrix(edit(defaultChannelMatrix(), (m) => {
      m.channels.email.backupChannel = 'email';
      m.channels.sms.hours.weekly = {};
      m.channels.chat.autoReply.closedText = 'Back at {opensAtt}';
      m.handoff[0] = { ...m.handoff[0]!, to: m.handoff[0]!.from } as ChannelMatrix['handoff'][number];
    }));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const byPath = Object.fromEntries(r.problems.map((p) => [p.path, p]));
    const own = byPath['channels.email.backupChannel']!;
    expect(own.message).toBe('Email backup channel: Email cannot be its own backup channel');
    setLocale('de');
    expect(storedSentenceOf(own.message, own.text)).toBe('E-Mail Ersatzkanal: E-Mail kann nicht sein eigener Ersatzkanal sein');
    const hours = byPath['channels.sms.hours.weekly']!;
    expect(storedSentenceOf(hours.message, hours.text)).toBe('SMS Öffnungszeiten: SMS hat an keinem Tag Öffnungszeiten; geben Sie mindestens einen Zeitraum an oder „24/7“');
    const placeholder = byPath['channels.chat.autoReply.closedText']!;
    expect(storedSentenceOf(placeholder.message, placeholder.text)).toBe('Chat Text der automatischen Antwort außerhalb der Zeiten: verwendet {opensAtt}, das es nicht gibt; möglich sind {responseTime} und {opensAt}');
    const rule = byPath['handoff.0.to']!;
    expect(storedSentenceOf(rule.message, rule.text)).toBe('Übergaberegel 1 an: eine Übergabe von Chat an sich selbst übergibt nichts');
    // the import screen's summary: the problems translated, then joined
    expect(matrixRefusalOf(r)).toMatch(/^Die Kanalkonfiguration ist nicht gültig: E-Mail Ersatzkanal: .*\(und 1 weitere\)\.$/);
    setLocale('en');
    expect(matrixRefusalOf(r)).toBe(r.message);
  });

  it('says each field\'s own problem in German, where it is in words, for every way a field can be wrong', () => {
    const r = parseChannelMatrix(edit(defaultChannelMatrix(), (m) => {
      const w = m as unknown as { channels: Record<string, Record<string, unknown> & { hours: Record<string, unknown>; autoReply: Record<string, unknown> }>; handoff: unknown[] };
      w.channels.email!.platform = '  ';
      w.channels.chat!.firstResponseSlaSeconds = 0;
      w.channels.phone!.firstResponseSlaSeconds = 1.5;
      w.channels.sms!.routingPriority = 11;
      w.channels.x!.costPerContact = -1;
      w.channels.messenger!.costPerContact = 'free';
      w.channels.instagram!.hours.timeZone = 'Mars/Base';
      w.channels.in_app!.hours.weekly = { mon: [{ start: '18:00', end: '09:00' }], tue: [{ start: '09:00', end: '13:00' }, { start: '12:00', end: '17:00' }], mo: [] };
      w.channels.portal!.hours.holidays = [{ date: '2026-02-30', name: 'Leap' }, { date: '2026-12-24', name: '' }];
      w.channels.portal!.backupChannel = 'fax';
      w.channels.email!.autoReply.text = 'x'.repeat(1601);
      w.channels.chat!.colour = 'red';
      w.handoff.push({ from: 'chat', to: 'sms' });
    }));
    if (r.ok) throw new Error('the matrix must be refused');
    const english = Object.fromEntries(r.problems.map((p) => [p.path, p.message]));
    setLocale('de');
    const german = Object.fromEntries(r.problems.map((p) => [p.path, storedSentenceOf(p.message, p.text)]));
    expect(english).toEqual({
      'channels.email.platform': 'Email platform: must not be empty',
      'channels.email.autoReply.text': 'Email auto-reply text: must be at most 1600 characters',
      'channels.chat': 'Chat: has fields this version does not know: "colour"',
      'channels.chat.firstResponseSlaSeconds': 'Chat first-response SLA: must be more than 0 seconds',
      'channels.phone.firstResponseSlaSeconds': 'Phone first-response SLA: must be a whole number of seconds',
      'channels.messenger.costPerContact': 'Messenger cost per contact: must be a number',
      'channels.instagram.hours.timeZone': 'Instagram time zone: is not an IANA time zone known to this runtime (for example America/New_York or Europe/Berlin)',
      'channels.x.costPerContact': 'X cost per contact: must not be negative',
      'channels.sms.routingPriority': 'SMS routing priority: must be at most 10',
      'channels.in_app.hours.weekly': 'In-app opening hours: has unknown day "mo"; days are mon, tue, wed, thu, fri, sat, sun',
      'channels.in_app.hours.weekly.mon.0': 'In-app hours on Monday, range 1: must start before it ends (a range cannot cross midnight: split it, ending the first part at 24:00)',
      'channels.in_app.hours.weekly.tue.1': 'In-app hours on Tuesday, range 2: 12:00–17:00 overlaps 09:00–13:00; ranges on one day must not overlap (touching is fine)',
      'channels.portal.hours.holidays.0.date': 'Portal holiday 1: is not a real calendar date',
      'channels.portal.hours.holidays.1.name': 'Portal holiday 2: a holiday needs a name',
      'channels.portal.backupChannel': 'Portal backup channel: must be one of "email", "chat", "phone", "messenger", "instagram", "x", "sms", "in_app", "portal"',
      'handoff.4': 'handoff rule 5: a handoff rule must keep or produce something',
    });
    expect(german).toMatchObject({
      'channels.email.platform': 'E-Mail Plattform: darf nicht leer sein',
      'channels.email.autoReply.text': 'E-Mail Text der automatischen Antwort: darf höchstens 1600 Zeichen lang sein',
      'channels.chat': 'Chat: hat Felder, die diese Version nicht kennt: "colour"',
      'channels.chat.firstResponseSlaSeconds': 'Chat Erstreaktions-SLA: muss mehr als 0 Sekunden sein',
      'channels.messenger.costPerContact': 'Messenger Kosten pro Kontakt: muss eine Zahl sein',
      'channels.sms.routingPriority': 'SMS Routing-Priorität: darf höchstens 10 sein',
      'channels.in_app.hours.weekly.mon.0': expect.stringMatching(/^In-App Öffnungszeiten am Montag, Zeitraum 1: muss beginnen, bevor er endet/),
      'channels.in_app.hours.weekly.tue.1': 'In-App Öffnungszeiten am Dienstag, Zeitraum 2: 12:00–17:00 überschneidet sich mit 09:00–13:00; Zeiträume eines Tages dürfen sich nicht überschneiden (aneinandergrenzen ist in Ordnung)',
      'channels.portal.hours.holidays.1.name': 'Portal Feiertag 2: ein Feiertag braucht einen Namen',
      'handoff.4': 'Übergaberegel 5: eine Übergaberegel muss etwas behalten oder erzeugen',
    });
    // every problem has its own key: none is left in English in the German screen
    for (const p of r.problems) {
      expect(p.text.nested?.problem, p.path).toBeDefined();
      expect(german[p.path], p.path).not.toBe(p.message);
    }
  });

  it('shows what a version changed in German, rules and words included', () => {
    const a = defaultChannelMatrix();
    const b = edit(a, (m) => {
      m.channels.sms.backupChannel = 'email';
      m.channels.sms.autoReply.enabled = false;
      m.channels.chat.hours.weekly = { mon: [{ start: '09:00', end: '17:00' }] };
      m.handoff = [...m.handoff.slice(1), { from: 'social', to: 'phone', keep: 'public_context', produce: 'call_brief', visibility: 'private' }];
    }) as ChannelMatrix;
    const lines = matrixChanges(a, b);
    setLocale('de');
    const german = lines.map((l) => storedSentenceOf(l.message, l.text));
    expect(german).toEqual(expect.arrayContaining([
      'SMS automatische Antwort: an → aus',
      'SMS Ersatzkanal: keiner → E-Mail',
      'Übergaberegel hinzugefügt: soziale Kanäle → Telefon (behält den öffentlichen Kontext, erzeugt eine Anrufnotiz, geht privat weiter)',
      'Übergaberegel entfernt: Chat → E-Mail (behält das vollständige Transkript)',
    ]));
    // chat was open 24/7: each day of the week now says its own hours
    expect(german.filter((l) => l.startsWith('Chat Öffnungszeiten am '))).toEqual([
      'Chat Öffnungszeiten am Montag: 24/7 → 09:00–17:00',
      ...['Dienstag', 'Mittwoch', 'Donnerstag', 'Freitag', 'Samstag', 'Sonntag'].map((day) => `Chat Öffnungszeiten am ${day}: 24/7 → geschlossen`),
    ]);
    expect(sentenceOf(handoffRuleSaid({ from: 'any', to: 'escalation', keep: 'whole_history' }))).toBe('jeder Kanal → Eskalation (behält den gesamten Verlauf)');
  });

  it('says why an imported file is refused in German', () => {
    const notJson = parseChannelMatrixFile('not json');
    const other = parseChannelMatrixFile('{"format":"other"}');
    if (notJson.ok || other.ok) throw new Error('both files must be refused');
    expect(other.message).toBe('The file is not an exported channel configuration: format is not "omni-channel-matrix": this is not an exported channel configuration.');
    setLocale('de');
    expect(matrixRefusalOf(notJson)).toBe('Die Datei ist kein JSON; wählen Sie eine Kanalkonfiguration, die aus diesem Bildschirm exportiert wurde.');
    expect(matrixRefusalOf(other)).toBe('Die Datei ist keine exportierte Kanalkonfiguration: format ist nicht „omni-channel-matrix“: das ist keine exportierte Kanalkonfiguration.');
  });
});
