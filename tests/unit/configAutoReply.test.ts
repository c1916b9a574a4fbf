import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/main/config';
import { autoReplyConfigFrom, decideAutoReply, type IncomingMailFacts } from '../../src/main/email/autoResponder';
import { tempDir } from '../helpers/tempDir';

const person: IncomingMailFacts = { channel: 'email', from: 'dana@customer.example', autoSubmitted: null, precedence: null, listId: null, returnPath: 'dana@customer.example' };

describe('automatic replies in the configuration', () => {
  const dirs: Array<ReturnType<typeof tempDir>> = [];
  const withFile = (content: unknown) => {
    const d = tempDir();
    dirs.push(d);
    fs.writeFileSync(path.join(d.dir, 'omni-desk.config.json'), JSON.stringify(content));
    return d.dir;
  };
  afterEach(() => dirs.splice(0).forEach((d) => d.remove()));
  const load = (file: unknown, argv: string[] = [], env: NodeJS.ProcessEnv = {}) => loadConfig({ argv, env, dataDir: withFile(file) });
  const answer = (file: unknown, now: number, argv: string[] = [], env: NodeJS.ProcessEnv = {}) =>
    decideAutoReply(person, { config: autoReplyConfigFrom(load(file, argv, env).autoReply), ourAddresses: ['support@omni.test'], lastSentAt: null, now });

  // Tuesday 3 March 2026, 10:00 in Berlin; Thursday 24 December 2026, 20:00 in Berlin.
  const TUESDAY_MORNING = Date.UTC(2026, 2, 3, 9, 0);
  const CHRISTMAS_EVE_NIGHT = Date.UTC(2026, 11, 24, 19, 0);
  const berlinHours = {
    timeZone: 'Europe/Berlin',
    weekly: { mon: [{ start: '09:00', end: '17:00' }], tue: [{ start: '09:00', end: '17:00' }], wed: [{ start: '09:00', end: '17:00' }], thu: [{ start: '09:00', end: '17:00' }], fri: [{ start: '09:00', end: '17:00' }] },
    holidays: [{ date: '2026-12-25', name: 'Christmas Day' }],
  };

  it('answers email by default with the 4-hour promise, at any hour, once per sender per hour', () => {
    const config = load({});
    expect(config.autoReply).toMatchObject({ enabled: true, perSenderMinutes: 60, channels: { email: { enabled: true, responseHours: 4, hours: null } } });
    expect(answer({}, CHRISTMAS_EVE_NIGHT)).toEqual({ send: true, body: "We've received your request. Expect a response within 4 hours." });
    expect(autoReplyConfigFrom(config.autoReply).perSenderIntervalMs).toBe(3_600_000);
  });

  it("sends the team's own text within its hours and the closed text with the next opening outside them, skipping holidays", () => {
    const file = {
      autoReply: {
        channels: {
          email: {
            responseHours: 2,
            text: 'Thanks! A person will answer within {responseTime}.',
            closedText: 'Thanks! We are back on {opensAt} and answer within {responseTime}.',
            hours: berlinHours,
          },
        },
      },
    };
    expect(answer(file, TUESDAY_MORNING)).toEqual({ send: true, body: 'Thanks! A person will answer within 2 hours.' });
    expect(answer(file, CHRISTMAS_EVE_NIGHT)).toEqual({ send: true, body: 'Thanks! We are back on Monday, December 28 at 09:00 (Europe/Berlin) and answer within 2 hours.' });
    // The default closed text names the opening too.
    const defaults = { autoReply: { channels: { email: { hours: berlinHours } } } };
    expect(answer(defaults, CHRISTMAS_EVE_NIGHT)).toMatchObject({ body: expect.stringContaining('open again on Monday, December 28 at 09:00 (Europe/Berlin); expect a response within 4 hours') });
  });

  it('turns auto-replies off for everything, for one channel, or from the environment and flags', () => {
    expect(answer({ autoReply: { enabled: false } }, TUESDAY_MORNING)).toEqual({ send: false, reason: 'Auto-replies are off.' });
    expect(answer({ autoReply: { channels: { email: { enabled: false } } } }, TUESDAY_MORNING)).toEqual({ send: false, reason: 'Auto-replies are off for email.' });
    expect(answer({ autoReply: { channels: {} } }, TUESDAY_MORNING)).toEqual({ send: false, reason: 'No auto-reply is set up for email.' });
    expect(answer({}, TUESDAY_MORNING, [], { OMNI_AUTO_REPLY: '0' }).send).toBe(false);
    expect(answer({}, TUESDAY_MORNING, ['--no-auto-reply']).send).toBe(false);
    expect(load({ autoReply: { perSenderMinutes: 15 } }).autoReply.perSenderMinutes).toBe(15);
  });

  it('stops at start with a sentence naming the bad value', () => {
    const bad = (autoReply: unknown) => () => load({ autoReply });
    expect(bad({ channels: { email: { hours: { ...berlinHours, timeZone: 'Mars/Olympus' } } } })).toThrow(
      /autoReply\.channels\.email\.hours\.timeZone: is not an IANA time zone/,
    );
    expect(bad({ channels: { email: { hours: { ...berlinHours, weekly: { mon: [{ start: '18:00', end: '09:00' }] } } } } })).toThrow(/autoReply\.channels\.email\.hours\.weekly.*must start before it ends/);
    expect(bad({ channels: { email: { hours: { timeZone: 'UTC', weekly: {} } } } })).toThrow(/autoReply\.channels\.email\.hours\.weekly: has no open hours on any day/);
    expect(bad({ channels: { email: { hours: { ...berlinHours, holidays: [{ date: '2026-02-30', name: 'x' }] } } } })).toThrow(/holidays.*not a real calendar date/);
    expect(bad({ channels: { email: { text: 'Back at {opensAt}' } } })).toThrow(/autoReply\.channels\.email\.text: names \{opensAt\}, which does not exist; it can use \{responseTime\}/);
    expect(bad({ channels: { email: { responseHours: 0 } } })).toThrow(/autoReply\.channels\.email\.responseHours: must be more than 0/);
    expect(bad({ channels: { fax: {} } })).toThrow(/autoReply\.channels/);
    expect(bad({ enabeld: false })).toThrow(/autoReply.*enabeld/);
    try {
      bad({ perSenderMinutes: 0 })();
      expect.unreachable();
    } catch (e) {
      expect(e).toMatchObject({ code: 'config/invalid', message: expect.stringMatching(/^The configuration is not valid: autoReply\.perSenderMinutes: must be at least 1\.$/) });
    }
  });
});
