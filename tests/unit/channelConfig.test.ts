import { afterEach, describe, expect, it } from 'vitest';
import {
  autoReplyText,
  channelMatrixFile,
  defaultChannelMatrix,
  diffChannelMatrix,
  parseChannelMatrix,
  parseChannelMatrixFile,
  type ChannelMatrix,
} from '../../src/shared/channelConfig';
import { DEFAULT_FIRST_RESPONSE_SLA_SECONDS } from '../../src/shared/hub/agentProtocol';
import { DEFAULT_ROUTING_CONFIG } from '../../src/shared/routing/types';
import { DEFAULT_HANDOFF_RULES } from '../../src/shared/cases/handoff';
import { setLocale } from '../../src/renderer/src/i18n';
import { storedSentenceOf } from '../../src/renderer/src/serverErrors';
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
    if (!bad.ok) expect(bad.message).toMatch(/Email hours\.weekly\.mon\[0\]: must start before it ends/);
    const closed = parseChannelMatrix(edit(defaultChannelMatrix(), (m) => (m.channels.sms.hours.weekly = {})));
    expect(closed.ok).toBe(false);
    if (!closed.ok) expect(closed.message).toContain('SMS has no open hours on any day');
    const zone = parseChannelMatrix(edit(defaultChannelMatrix(), (m) => (m.channels.chat.hours.timeZone = 'Mars/Olympus')));
    expect(zone.ok).toBe(false);
    if (!zone.ok) expect(zone.message).toContain('Chat hours.timeZone: is not an IANA time zone');
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
      expect(r.message).toContain('Chat firstResponseSlaSeconds: must be more than 0 seconds');
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
    expect(diffChannelMatrix(a, b)).toEqual(['Chat first-response SLA: 60 s → 120 s', 'Handoff rule removed: chat → email keeps full_transcript']);
    expect(diffChannelMatrix(a, a)).toEqual([]);
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
    expect(own.message).toBe('Email backupChannel: Email cannot be its own backup channel');
    setLocale('de');
    expect(storedSentenceOf(own.message, own.text)).toBe('E-Mail backupChannel: E-Mail kann nicht sein eigener Ersatzkanal sein');
    const hours = byPath['channels.sms.hours.weekly']!;
    expect(storedSentenceOf(hours.message, hours.text)).toBe('SMS hours.weekly: SMS hat an keinem Tag Öffnungszeiten; geben Sie mindestens einen Zeitraum an oder „24/7“');
    const placeholder = byPath['channels.chat.autoReply.closedText']!;
    expect(storedSentenceOf(placeholder.message, placeholder.text)).toBe('Chat autoReply.closedText: verwendet {opensAtt}, das es nicht gibt; möglich sind {responseTime} und {opensAt}');
    const rule = byPath['handoff.0.to']!;
    expect(storedSentenceOf(rule.message, rule.text)).toBe('Übergaberegel 1 to: eine Übergabe von chat an sich selbst übergibt nichts');
    // the import screen's summary: the problems translated, then joined
    expect(matrixRefusalOf(r)).toMatch(/^Die Kanalkonfiguration ist nicht gültig: E-Mail backupChannel: .*\(und 1 weitere\)\.$/);
    setLocale('en');
    expect(matrixRefusalOf(r)).toBe(r.message);
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
