// Entry of the headless mode: the same service graph as the desktop, served to a browser on
// loopback. Started by `npm start` when the Electron runtime is missing, or `npm run start:headless`.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppError } from '../../shared/errors';
import { loadConfig } from '../config';
import { createCore, type Core } from '../core';
import { startHeadlessServer, type HeadlessServer } from './server';

export interface HeadlessRun {
  core: Core;
  server: HeadlessServer;
  stop(): Promise<void>;
}

export async function runHeadless(argv: readonly string[], env: NodeJS.ProcessEnv = process.env, rendererDir?: string): Promise<HeadlessRun> {
  const config = loadConfig({ argv, env });
  const { host, port } = config.headless;
  const url = port === 0 ? `http://${host.includes(':') ? `[${host}]` : host} on a free port` : `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  if (env.OMNI_ELECTRON_MISSING === '1') console.log(`Electron runtime is not installed; starting the headless mode at ${url}`);
  else console.log(`Starting the headless mode at ${url}`);

  // Listen first: a taken port is reported before any data file is opened or seeded.
  const server: HeadlessServer = await startHeadlessServer({
    host,
    port,
    rendererDir: rendererDir ?? path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../renderer'),
    log: (line) => console.error(line),
  });
  let core: Core;
  try {
    core = createCore(config, { mode: 'headless' });
  } catch (e) {
    await server.close();
    throw e;
  }
  server.attach(core);
  console.log(`Omni Desk is ready at ${server.url} (data: ${core.dataFile}). Press Ctrl+C to stop.`);
  return {
    core,
    server,
    async stop() {
      await server.close();
      core.close();
    },
  };
}

const isEntry = process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isEntry || process.env.OMNI_HEADLESS_ENTRY === '1') {
  runHeadless(process.argv.slice(2)).then(
    (run) => {
      const shutdown = () => void run.stop().then(() => process.exit(0));
      process.once('SIGINT', shutdown);
      process.once('SIGTERM', shutdown);
    },
    (e: unknown) => {
      console.error(e instanceof AppError ? e.message : e);
      process.exit(1);
    },
  );
}
