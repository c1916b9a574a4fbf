// The rules of direction are enforced by ESLint; these tests prove the rules bite, so a
// configuration change cannot silently switch them off.
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint();

async function violations(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId?.startsWith('no-restricted')).map((m) => m.message);
}

describe('the dependency direction', () => {
  it('keeps Node, storage and the main process out of the renderer', async () => {
    expect(await violations('src/renderer/src/x.ts', `import fs from 'node:fs'; export const a = fs;`)).toHaveLength(1);
    expect(await violations('src/renderer/src/x.ts', `import Database from 'better-sqlite3'; export const a = Database;`)).toHaveLength(1);
    expect(await violations('src/renderer/src/x.ts', `import { createCore } from '../../main/core'; export const a = createCore;`)).toHaveLength(1);
    expect(await violations('src/renderer/src/x.ts', `import { requests } from '../../shared/contract'; export const a = requests;`)).toEqual([]);
  });

  it('keeps I/O, clocks and randomness out of src/shared', async () => {
    expect(await violations('src/shared/x.ts', `import fs from 'fs'; export const a = fs;`)).toHaveLength(1);
    expect(await violations('src/shared/x.ts', `export const now = () => Date.now();`)).toHaveLength(1);
    expect(await violations('src/shared/x.ts', `export const now = () => new Date();`)).toHaveLength(1);
    expect(await violations('src/shared/x.ts', `export const r = () => Math.random();`)).toHaveLength(1);
    expect(await violations('src/shared/x.ts', `export const f = () => fetch('https://example.com');`)).toHaveLength(1);
    expect(await violations('src/shared/x.ts', `import { Channel } from './domain'; export const at = (ms: number) => new Date(ms); export { Channel };`)).toEqual([]);
  });

  it('lets only the Electron shell import electron', async () => {
    expect(await violations('src/main/store/x.ts', `import { app } from 'electron'; export const a = app;`)).toHaveLength(1);
    expect(await violations('src/main/electron/x.ts', `import { app } from 'electron'; export const a = app;`)).toEqual([]);
  });

  it('keeps the hub independent of the desktop', async () => {
    expect(await violations('src/hub/x.ts', `import { Repository } from '../main/store/repository'; export const a = Repository;`)).toHaveLength(1);
    expect(await violations('src/hub/x.ts', `import { requests } from '../shared/contract'; export const a = requests;`)).toEqual([]);
  });

  it('lets the desktop start the embedded hub through one file and talk to it only over its socket', async () => {
    expect(await violations('src/main/core.ts', `import { createHub } from '../hub/server'; export const a = createHub;`)).toHaveLength(1);
    expect(await violations('src/main/hub/hubClient.ts', `import { HubStore } from '../../hub/store/hubStore'; export const a = HubStore;`)).toHaveLength(1);
    expect(await violations('src/main/hub/embeddedHub.ts', `import { createHub } from '../../hub/server'; export const a = createHub;`)).toEqual([]);
    expect(await violations('src/main/hub/embeddedHub.ts', `import { HubStore } from '../../hub/store/hubStore'; export const a = HubStore;`)).toHaveLength(1);
    expect(await violations('src/main/hub/hubClient.ts', `import { AgentServerFrame } from '../../shared/hub/agentProtocol'; export const a = AgentServerFrame;`)).toEqual([]);
    expect(await violations('src/main/core.ts', `import { createHubService } from './hub/hubService'; export const a = createHubService;`)).toEqual([]);
    expect(await violations('src/main/headless/main.ts', `import { prepareHub } from '../hub/hubConnection'; export const a = prepareHub;`)).toEqual([]);
    expect(await violations('src/main/headless/main.ts', `import { createHub } from '../../hub/server'; export const a = createHub;`)).toHaveLength(1);
    expect(await violations('src/main/store/x.ts', `import { app } from 'electron'; export const a = app;`)).toHaveLength(1);
  });
});
