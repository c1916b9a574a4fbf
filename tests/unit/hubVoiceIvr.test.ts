// The voice module's pure parts: the IVR menu is configuration (validated at start, refused with a
// sentence), a key or a phrase picks its option, a known caller hears their case's status, and the
// TwiML builders produce what Twilio documents (parsed back as XML).
import { DOMParser } from '@xmldom/xmldom';
import { describe, expect, it } from 'vitest';
import { parseHubConfig } from '../../src/hub/server';
import { VoiceConfig } from '../../src/hub/voice/config';
import { chooseOption, menuOptions, statusSentence } from '../../src/hub/voice/ivr';
import { agentOfIdentity, conferenceTwiml, menuTwiml, outboundTwiml, voicemailTwiml, waitTwiml } from '../../src/hub/voice/twiml';
import type { HubConversation } from '../../src/shared/hub/agentProtocol';

const voice = VoiceConfig.parse({});
const base = { base: 'https://hub.example.com' };
const xml = (text: string) => new DOMParser().parseFromString(text, 'text/xml').documentElement!;

describe('the IVR menu as configuration', () => {
  it('has a default menu: billing, technical, other, a note on the open case, 0 for an agent', () => {
    expect(voice.ivr.options.map((o) => [o.key, o.action, o.issueType ?? null])).toEqual([
      ['1', 'route', 'billing'],
      ['2', 'route', 'technical'],
      ['3', 'route', 'other'],
      ['9', 'note', null],
      ['0', 'agent', null],
    ]);
  });

  it('refuses a menu that reuses a key, a route without an issue type, or an unknown issue type, naming the setting', () => {
    const bad = (options: unknown) => () => parseHubConfig({ dataDir: '/tmp/x', voice: { ivr: { options } } as never });
    expect(bad([{ key: '1', action: 'agent', prompt: 'a' }, { key: '1', action: 'agent', prompt: 'b' }])).toThrow(/voice\.ivr\.options: each key may be used by one option only/);
    expect(bad([{ key: '1', action: 'route', prompt: 'Billing' }])).toThrow(/voice\.ivr\.options\.0\.issueType: a route option needs an issueType/);
    expect(bad([{ key: '1', action: 'route', issueType: 'refunds', prompt: 'Refunds' }])).toThrow(/voice\.ivr\.options\.0\.issueType/);
    expect(bad([{ key: '12', action: 'agent', prompt: 'x' }])).toThrow(/voice\.ivr\.options\.0\.key: must be one key/);
    expect(() => parseHubConfig({ dataDir: '/tmp/x', voice: { vipNumbers: ['415 555 0100'] } })).toThrow(/voice\.vipNumbers\.0: must be an E\.164 number/);
  });

  it('picks the option of the key pressed, else of a word or spoken digit in what was said', () => {
    const options = voice.ivr.options;
    expect(chooseOption(options, '2', undefined)?.issueType).toBe('technical');
    expect(chooseOption(options, '2', 'billing please')?.issueType).toBe('technical');
    expect(chooseOption(options, undefined, 'Hi, I have a question about my Invoice.')?.issueType).toBe('billing');
    expect(chooseOption(options, undefined, 'one')?.issueType).toBe('billing');
    expect(chooseOption(options, undefined, 'can I talk to a person')?.action).toBe('agent');
    // "billingual" is not "billing": whole words only.
    expect(chooseOption(options, undefined, 'billingual')).toBeNull();
    expect(chooseOption(options, '7', undefined)).toBeNull();
    expect(chooseOption(options, undefined, '   ')).toBeNull();
  });

  it('offers the note option only to a caller with an open case, and reads that case back', () => {
    expect(menuOptions(voice.ivr, false).some((o) => o.action === 'note')).toBe(false);
    expect(menuOptions(voice.ivr, true).some((o) => o.action === 'note')).toBe(true);
    const conv = { subject: 'Refund for order 5512', status: 'waiting' } as HubConversation;
    expect(statusSentence(voice.ivr, conv)).toBe('Your case about Refund for order 5512 is waiting for the next available agent.');
  });
});

describe('TwiML', () => {
  it('the menu gathers one key or speech, with the hints, and falls through to routing on silence', () => {
    const root = xml(menuTwiml(voice, base, voice.ivr.options, null));
    const gather = root.getElementsByTagName('Gather')[0]!;
    expect([gather.getAttribute('input'), gather.getAttribute('numDigits'), gather.getAttribute('timeout')]).toEqual(['dtmf speech', '1', '5']);
    expect(gather.getAttribute('hints')).toContain('invoice');
    expect(root.getElementsByTagName('Redirect')[0]!.textContent).toBe('https://hub.example.com/voice/menu?choice=none');
  });

  it('the wait loop says the position and plays the hold music; voicemail records with transcription', () => {
    const wait = xml(waitTwiml(voice, 2));
    expect(wait.getElementsByTagName('Say')[0]!.textContent).toBe('You are number 2 in line. Thank you for waiting.');
    expect(wait.getElementsByTagName('Play')[0]!.textContent).toBe(voice.queue.holdMusicUrl);
    expect(xml(waitTwiml(voice, null)).getElementsByTagName('Say')).toHaveLength(0);
    const record = xml(voicemailTwiml(voice, base, false)).getElementsByTagName('Record')[0]!;
    expect([record.getAttribute('transcribe'), record.getAttribute('maxLength'), record.getAttribute('transcribeCallback')]).toEqual([
      'true',
      '120',
      'https://hub.example.com/voice/transcription',
    ]);
  });

  it('outbound calls dial with the caller id; conferences carry the hold music', () => {
    const dial = xml(outboundTwiml(base, '+14155550100', { number: '+14155550199' })).getElementsByTagName('Dial')[0]!;
    expect(dial.getAttribute('callerId')).toBe('+14155550100');
    expect(dial.getElementsByTagName('Number')[0]!.textContent).toBe('+14155550199');
    const conference = xml(conferenceTwiml('hold-CA1', { waitUrl: 'https://m.example/h.mp3', startOnEnter: false, endOnExit: true })).getElementsByTagName('Conference')[0]!;
    expect([conference.textContent, conference.getAttribute('startConferenceOnEnter'), conference.getAttribute('waitUrl')]).toEqual(['hold-CA1', 'false', 'https://m.example/h.mp3']);
  });

  it('reads the agreed client identity agent-<id> and nothing else', () => {
    expect(agentOfIdentity('client:agent-7')).toBe(7);
    expect(agentOfIdentity('agent-12')).toBe(12);
    expect(agentOfIdentity('client:agent-07')).toBeNull();
    expect(agentOfIdentity('+14155550100')).toBeNull();
    expect(agentOfIdentity(undefined)).toBeNull();
  });
});
