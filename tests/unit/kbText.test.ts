// What the composer's knowledge-base actions and the suggested-channel offer put in the reply.
import { describe, expect, it } from 'vitest';
import { channelOfferText, kbLinkText, kbSummaryText } from '../../src/shared/contractKb';
import { ftsQuery } from '../../src/main/kb/kbStore';
import { portalBaseOf } from '../../src/main/kb/kbService';
import { CHANNELS } from '../../src/shared/domain';

describe('knowledge-base text for the reply', () => {
  it('a link is the title and the address', () => {
    expect(kbLinkText({ title: 'Resetting your password', url: 'https://help.example/portal/articles/reset-password' })).toBe(
      'Resetting your password: https://help.example/portal/articles/reset-password',
    );
  });

  it('a summary is the front-matter summary with the link, or the first sentences of the body without one', () => {
    expect(kbSummaryText({ title: 'Refunds', summary: 'Refunds take 5 days.', bodyText: 'ignored', url: 'https://h/portal/articles/refunds' })).toBe(
      'Refunds take 5 days.\n\nMore in “Refunds”: https://h/portal/articles/refunds',
    );
    const long = `${'The first sentence is here. '.repeat(20)}`;
    const text = kbSummaryText({ title: 'Long', summary: null, bodyText: long, url: null });
    expect(text.length).toBeLessThanOrEqual(280);
    expect(text.endsWith('.')).toBe(true);
  });
});

describe('the suggested-channel offer', () => {
  it('greets the customer by first name, asks the engine’s question and says what to do next', () => {
    expect(channelOfferText('phone', 'chat', 'Jane', 'This is complex — would you prefer a phone call?')).toBe(
      'Hi Jane, this is complex — would you prefer a phone call? Let me know a number and a good time, and I will call you.',
    );
    expect(channelOfferText('phone', 'chat', 'Jane')).toBe('Hi Jane, would a quick phone call help? Let me know a number and a good time, and I will call you.');
  });

  it('adds a closing line on email, and has words for every channel', () => {
    expect(channelOfferText('phone', 'email', null)).toMatch(/^Hi, .*\n\nThank you for your patience\.$/s);
    for (const c of CHANNELS) expect(channelOfferText(c, 'sms', 'Ana').length).toBeGreaterThan(30);
  });
});

describe('the offline search query', () => {
  it('quotes every word as a prefix term so nothing typed is search syntax', () => {
    expect(ftsQuery('Reset pass*', 'AND')).toBe('"reset"* AND "pass"*');
    expect(ftsQuery('"NEAR(" OR -x', 'OR')).toBe('"near"* OR "or"* OR "x"*');
    expect(ftsQuery('  ?!  ', 'AND')).toBeNull();
  });

  it('links point at the hub’s HTTP address whatever the socket scheme', () => {
    expect(portalBaseOf('ws://127.0.0.1:4455/agent')).toBe('http://127.0.0.1:4455');
    expect(portalBaseOf('wss://hub.example/agent')).toBe('https://hub.example');
    expect(portalBaseOf('not a url')).toBeNull();
  });
});
