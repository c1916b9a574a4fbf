import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/main/config';
import { parseHubConfig } from '../../src/hub/server';
import { tempDir } from '../helpers/tempDir';

describe('satisfaction survey settings', () => {
  const dirs: Array<ReturnType<typeof tempDir>> = [];
  afterEach(() => dirs.splice(0).forEach((d) => d.remove()));
  const load = (file: unknown) => {
    const d = tempDir();
    dirs.push(d);
    fs.writeFileSync(path.join(d.dir, 'omni-desk.config.json'), JSON.stringify(file));
    return loadConfig({ argv: [], env: {}, dataDir: d.dir });
  };

  it('the desktop sends the email survey by default, and its text may name only {subject}', () => {
    expect(load({}).csat.email).toEqual({ enabled: true, text: 'Thank you for contacting us about "{subject}". How did we do? Click the number that fits best:' });
    expect(load({ csat: { email: { enabled: false } } }).csat.email.enabled).toBe(false);
    expect(() => load({ csat: { email: { text: 'Hi {name}, rate us' } } })).toThrow(/csat\.email\.text: names \{name\}, which does not exist; it can use \{subject\}/);
  });

  it('the hub asks on every text channel by default, not twice within 7 days, and refuses a short link secret', () => {
    const hub = parseHubConfig({ dataDir: '/tmp/hub' });
    expect(hub.csat).toMatchObject({ enabled: true, quietDays: 7, linkTtlDays: 30, replyWindowHours: 72, linkSecret: '' });
    expect([hub.csat.sms.enabled, hub.csat.messenger.enabled, hub.csat.instagram.enabled, hub.csat.x.enabled]).toEqual([true, true, true, true]);
    expect(() => parseHubConfig({ dataDir: '/tmp/hub', csat: { linkSecret: 'short' } })).toThrow(/csat\.linkSecret: must be at least 32 characters/);
    expect(() => parseHubConfig({ dataDir: '/tmp/hub', csat: { quietDays: -1 } })).toThrow(/csat\.quietDays/);
  });
});
