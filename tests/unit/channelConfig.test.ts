import { describe, expect, it } from 'vitest';
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
