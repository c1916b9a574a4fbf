// A headless desktop of its own for a spec that changes what the suite's shared workspace shows
// (a second agent, a hub with its own settings, a reply that moves a demo case): the built desktop as
// a process with its own data directory, port and built-in hub.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface DesktopProcess {
  process: ChildProcess;
  /** The workspace. */
  url: string;
  /** Its built-in hub's widget demo page (the hub's address is its origin). */
  widgetDemo: string;
  hubUrl: string;
  dataDir: string;
  stop(): Promise<void>;
}

export interface DesktopProcessOptions {
  /** The data directory's name prefix (in the OS temp directory). */
  name: string;
  /** Seed the demo center (default: an empty store). */
  demo?: boolean;
  /** The built-in hub's hub.config.json. */
  hubConfig?: Record<string, unknown>;
}

/** Starts the built headless desktop and waits for its addresses (30 s at most). */
export async function startDesktopProcess(o: DesktopProcessOptions): Promise<DesktopProcess> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `omni-e2e-${o.name}-`));
  if (o.hubConfig) {
    fs.mkdirSync(path.join(dataDir, 'hub'), { recursive: true });
    fs.writeFileSync(path.join(dataDir, 'hub', 'hub.config.json'), JSON.stringify(o.hubConfig));
  }
  const args = [path.resolve('dist/main/headless.js'), '--port', '0', '--hub-port', '0', '--data-dir', dataDir, ...(o.demo ? [] : ['--no-demo'])];
  const child = spawn(process.execPath, args, { env: { ...process.env, OMNI_HEADLESS_ENTRY: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const found = await new Promise<{ url: string; widgetDemo: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`The ${o.name} desktop did not start within 30 s:\n${output}`)), 30_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const ready = /Omni Desk is ready at (http:\/\/\S+)/.exec(output);
      const widget = /Chat widget demo[^:]*: (http:\/\/\S+)/.exec(output);
      if (ready && widget) {
        clearTimeout(timer);
        resolve({ url: ready[1]!, widgetDemo: widget[1]! });
      }
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`The ${o.name} desktop exited (${code}):\n${output}`));
    });
  });
  const stop = async () => {
    await new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
    });
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  return { process: child, dataDir, ...found, hubUrl: found.widgetDemo.replace(/\/widget\/demo$/, ''), stop };
}
