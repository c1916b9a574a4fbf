// The team hub's command line: an admin creates an agent in the hub's data file (password from the
// environment or standard input), and that agent signs in to a hub started the way `npm run hub` does.
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { runAdmin, runHub } from '../../src/hub/main';
import type { Hub } from '../../src/hub/server';
import { login } from '../helpers/hub';
import { tempDir } from '../helpers/tempDir';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('hub administration', () => {
  it('an agent created with hub:admin signs in to a hub started with npm run hub', async () => {
    const d = tempDir('omni-hub-admin-');
    cleanups.push(d.remove);
    const env = { OMNI_HUB_DATA_DIR: d.dir, OMNI_HUB_PORT: '0' };

    const created = await runAdmin(['create-agent', '--username', 'ann', '--role', 'supervisor', '--name', 'Ann Lee'], env, Readable.from(['a long enough password\n']));
    expect(created).toMatch(/^Created supervisor ann \(Ann Lee\), id \d+\.$/);
    await expect(runAdmin(['create-agent', '--username', 'ann', '--name', 'Again'], { ...env, OMNI_HUB_PASSWORD: 'another long password' })).rejects.toMatchObject({
      code: 'agent/exists',
    });
    await expect(runAdmin(['create-agent', '--username', 'bob'], { ...env, OMNI_HUB_PASSWORD: 'short' })).rejects.toMatchObject({ code: 'agent/invalid' });
    await expect(runAdmin(['make-coffee'], env)).rejects.toThrow(/Usage: npm run hub:admin/);
    expect(await runAdmin(['list-agents'], env)).toMatch(/\tann\tsupervisor\tmid\tAnn Lee$/);

    const hub: Hub = await runHub([], env);
    cleanups.push(() => hub.close());
    const session = await login(hub.url, 'ann', 'a long enough password');
    expect(session.agent).toMatchObject({ username: 'ann', role: 'supervisor', displayName: 'Ann Lee' });
    // A team hub never hands out a session without a password.
    expect(() => hub.issueLocalAdminToken()).toThrow(/sign in with a user name and password/);
  });
});
