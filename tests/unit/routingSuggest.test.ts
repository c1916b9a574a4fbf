import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CHANNELS, ISSUE_TYPES, PRIORITIES } from '../../src/shared/domain';
import { SuggestConfig, suggestChannel, type SuggestInput } from '../../src/shared/routing';

const input = (o: Partial<SuggestInput> = {}): SuggestInput => ({
  issueType: 'other',
  currentChannel: 'email',
  messageLength: 120,
  backAndForth: 1,
  priority: 'normal',
  preferredChannel: null,
  ...o,
});

describe('the suggested channel', () => {
  it('suggests a phone call when it is urgent', () => {
    expect(suggestChannel(input({ priority: 'urgent' }))).toEqual({
      channel: 'phone',
      reason: 'urgent → phone',
      prompt: 'This is urgent — would you prefer a phone call?',
    });
  });

  it('suggests a phone call for a complex conversation on email, SMS or social', () => {
    for (const currentChannel of ['email', 'sms', 'messenger', 'instagram', 'x'] as const) {
      const s = suggestChannel(input({ currentChannel, backAndForth: 9 }));
      expect(s).toEqual({ channel: 'phone', reason: 'complex: 9 back-and-forths → phone', prompt: 'This is complex — would you prefer a phone call?' });
    }
  });

  it('suggests a live chat for a technical issue that is getting complex, and a call once it is very complex', () => {
    expect(suggestChannel(input({ issueType: 'technical', backAndForth: 5 }))).toMatchObject({ channel: 'chat', reason: 'complex: 5 back-and-forths → chat' });
    expect(suggestChannel(input({ issueType: 'technical', messageLength: 700 }))).toMatchObject({ channel: 'chat', reason: 'complex: message of 700 characters → chat' });
    expect(suggestChannel(input({ issueType: 'technical', backAndForth: 8 }))?.channel).toBe('phone');
    expect(suggestChannel(input({ issueType: 'technical', messageLength: 2000 }))?.channel).toBe('phone');
  });

  it('suggests a call for a complex technical chat', () => {
    expect(suggestChannel(input({ issueType: 'technical', currentChannel: 'chat', backAndForth: 6 }))).toMatchObject({ channel: 'phone', prompt: 'This is complex — would you prefer a phone call?' });
  });

  it('suggests chat for a technical issue on a written channel', () => {
    expect(suggestChannel(input({ issueType: 'technical', currentChannel: 'sms' }))).toEqual({
      channel: 'chat',
      reason: 'technical → chat',
      prompt: 'A live chat may be quicker for this — would you like to continue in chat?',
    });
  });

  it('suggests email for billing, from any other channel', () => {
    for (const currentChannel of ['chat', 'phone', 'sms'] as const) {
      expect(suggestChannel(input({ issueType: 'billing', currentChannel }))).toEqual({
        channel: 'email',
        reason: 'billing → email',
        prompt: 'We can send the details by email — would you like that?',
      });
    }
    expect(suggestChannel(input({ issueType: 'billing', currentChannel: 'email' }))).toBeNull();
  });

  it('never moves a caller down to chat', () => {
    expect(suggestChannel(input({ issueType: 'technical', currentChannel: 'phone', backAndForth: 20 }))).toBeNull();
    expect(suggestChannel(input({ issueType: 'technical', currentChannel: 'phone', priority: 'urgent' }))).toBeNull();
  });

  it('suggests nothing for a short, ordinary conversation', () => {
    expect(suggestChannel(input())).toBeNull();
  });

  it('does not ask a customer who prefers the channel they are on', () => {
    expect(suggestChannel(input({ issueType: 'technical', preferredChannel: 'email', backAndForth: 6 }))).toBeNull();
    expect(suggestChannel(input({ issueType: 'billing', currentChannel: 'chat', preferredChannel: 'chat' }))).toBeNull();
    expect(suggestChannel(input({ priority: 'urgent', currentChannel: 'chat', preferredChannel: 'chat' }))).toBeNull();
  });

  it('still asks about a call when it is urgent on a written channel the customer prefers', () => {
    expect(suggestChannel(input({ priority: 'urgent', preferredChannel: 'email' }))?.channel).toBe('phone');
  });

  it('offers the live channel the customer prefers instead of ours', () => {
    expect(suggestChannel(input({ priority: 'urgent', preferredChannel: 'chat' }))).toEqual({
      channel: 'chat',
      reason: 'urgent → chat (customer prefers Chat)',
      prompt: 'This is urgent — would you like to continue in a live chat?',
    });
    expect(suggestChannel(input({ issueType: 'technical', backAndForth: 5, preferredChannel: 'phone' }))?.channel).toBe('phone');
  });

  it('an urgent or complex matter falls back to the other live channel when one is unavailable; an issue-type hint does not', () => {
    expect(suggestChannel(input({ priority: 'urgent', unavailable: ['phone'] }))).toMatchObject({ channel: 'chat', reason: 'urgent → chat (Phone unavailable)' });
    expect(suggestChannel(input({ issueType: 'technical', unavailable: ['chat'] }))).toBeNull();
    expect(suggestChannel(input({ priority: 'urgent', unavailable: ['phone', 'chat'] }))).toBeNull();
  });

  it('takes its thresholds and issue channels from configuration', () => {
    const config = SuggestConfig.parse({ complexBackAndForth: 2, issueChannel: { account: 'phone' } });
    expect(suggestChannel(input({ backAndForth: 2 }), config)?.channel).toBe('phone');
    expect(suggestChannel(input({ issueType: 'account' }), config)).toMatchObject({ channel: 'phone', reason: 'account → phone' });
    expect(suggestChannel(input({ issueType: 'billing', currentChannel: 'chat' }), config)).toBeNull();
  });

  it('never suggests the current channel or an unavailable one (property)', () => {
    fc.assert(
      fc.property(
        fc.record({
          issueType: fc.constantFrom(...ISSUE_TYPES),
          currentChannel: fc.constantFrom(...CHANNELS),
          messageLength: fc.nat(3000),
          backAndForth: fc.nat(20),
          priority: fc.constantFrom(...PRIORITIES),
          preferredChannel: fc.option(fc.constantFrom(...CHANNELS), { nil: null }),
          unavailable: fc.subarray([...CHANNELS]),
        }),
        (i) => {
          const s = suggestChannel(i);
          if (s === null) return;
          expect(s.channel).not.toBe(i.currentChannel);
          expect(i.unavailable).not.toContain(s.channel);
          expect(suggestChannel(i)).toEqual(s);
        },
      ),
    );
  });
});
