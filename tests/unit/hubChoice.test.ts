// Which hub a desktop starts with: the choice made in the settings wins over the configuration's
// team hub, unless the configuration changed since; without a choice, the configuration decides.
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { effectiveHubChoice, type SavedHubChoice } from '../../src/main/hub/hubChoice';
import { DesktopHubSettings } from '../../src/main/hub/hubSettings';
import { normalizeHubUrl } from '../../src/main/hub/remoteHub';

const switcherFor = (input: z.input<typeof DesktopHubSettings>) => {
  const settings = DesktopHubSettings.parse(input);
  return {
    settings,
    configured: () =>
      settings.url !== null && settings.username !== null
        ? ({ mode: 'team', url: settings.url, username: settings.username } as const)
        : settings.embedded.enabled
          ? ({ mode: 'embedded' } as const)
          : ({ mode: 'none' } as const),
  };
};

const team = (url: string, username: string, configured: SavedHubChoice['configured'] = { url: null, username: null }): SavedHubChoice => ({ mode: 'team', url, username, configured });

describe('the hub a desktop starts with', () => {
  it('is the configuration’s when nothing was chosen in the settings', () => {
    expect(effectiveHubChoice(undefined, switcherFor({}))).toEqual({ choice: { mode: 'embedded' }, source: 'config' });
    expect(effectiveHubChoice(undefined, switcherFor({ embedded: { enabled: false } }))).toEqual({ choice: { mode: 'none' }, source: 'config' });
    expect(effectiveHubChoice(undefined, switcherFor({ url: 'https://hub.example.com', username: 'sam' })).choice).toEqual({ mode: 'team', url: 'https://hub.example.com', username: 'sam' });
  });

  it('is the team hub signed in to from the settings, over the configuration', () => {
    expect(effectiveHubChoice(team('https://team.example.com', 'sam'), switcherFor({}))).toEqual({
      choice: { mode: 'team', url: 'https://team.example.com', username: 'sam' },
      source: 'workspace',
    });
    const configured = { url: 'https://old.example.com', username: 'sam' };
    expect(effectiveHubChoice({ mode: 'embedded', configured }, switcherFor(configured))).toEqual({ choice: { mode: 'embedded' }, source: 'workspace' });
  });

  it('is the configuration’s again once its hub.url or hub.username changed after the choice', () => {
    const saved = team('https://team.example.com', 'sam', { url: null, username: null });
    expect(effectiveHubChoice(saved, switcherFor({ url: 'https://new.example.com', username: 'lee' }))).toEqual({
      choice: { mode: 'team', url: 'https://new.example.com', username: 'lee' },
      source: 'config',
    });
  });

  it('keeps --no-hub: a built-in choice does not start the built-in hub at start', () => {
    expect(effectiveHubChoice({ mode: 'embedded', configured: { url: null, username: null } }, switcherFor({ embedded: { enabled: false } })).choice).toEqual({ mode: 'none' });
  });
});

describe('a hub address', () => {
  it('has one spelling, so its local rows keep one key', () => {
    expect(normalizeHubUrl(' https://hub.example.com/ ')).toBe('https://hub.example.com');
    expect(normalizeHubUrl('https://hub.example.com/desk/?x=1#y')).toBe('https://hub.example.com/desk');
    expect(normalizeHubUrl('HTTP://Hub.Example.com:8080')).toBe('http://hub.example.com:8080');
  });

  it('is refused when it is not http(s) or carries credentials', () => {
    expect(() => normalizeHubUrl('ftp://hub.example.com')).toThrow(/http:\/\/ or https:\/\//);
    expect(() => normalizeHubUrl('https://sam:secret@hub.example.com')).toThrow(/Leave the user name and password out/);
    expect(() => normalizeHubUrl('hub.example.com')).toThrow(/not an address/);
  });
});
