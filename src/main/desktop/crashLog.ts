// The app's log file in the data folder: size-capped and rotated (omni-desk.log, omni-desk.1.log …,
// a fixed number kept), written synchronously so the line about a crash is on disk before anything
// else happens. Also the hooks that log and report uncaught errors in main instead of dying silently.
import fs from 'node:fs';
import path from 'node:path';

export interface RotatingLogOptions {
  dir: string;
  /** Base name; rotated files insert the generation: omni-desk.1.log. */
  name?: string;
  /** The current file never grows past this many bytes. */
  maxBytes?: number;
  /** Files kept in all, the current one included. */
  keep?: number;
  now?: () => number;
}

export type LogLevel = 'info' | 'warn' | 'error';

export const DEFAULT_LOG_NAME = 'omni-desk.log';

export class RotatingLog {
  readonly dir: string;
  readonly file: string;
  private readonly name: string;
  private readonly maxBytes: number;
  private readonly keep: number;
  private readonly now: () => number;
  private size: number;

  constructor(options: RotatingLogOptions) {
    this.dir = options.dir;
    this.name = options.name ?? DEFAULT_LOG_NAME;
    this.maxBytes = options.maxBytes ?? 1024 * 1024;
    this.keep = Math.max(1, options.keep ?? 5);
    this.now = options.now ?? Date.now;
    if (this.maxBytes < 256) throw new RangeError('A log file must be allowed at least 256 bytes.');
    this.file = path.join(this.dir, this.name);
    fs.mkdirSync(this.dir, { recursive: true });
    this.size = fileSize(this.file);
  }

  /** The file of generation n (0 is the current one). */
  generation(n: number): string {
    if (n === 0) return this.file;
    const ext = path.extname(this.name);
    return path.join(this.dir, `${this.name.slice(0, this.name.length - ext.length)}.${n}${ext}`);
  }

  /** The log files on disk, newest first. */
  files(): string[] {
    const found: string[] = [];
    for (let n = 0; n < this.keep; n++) if (fs.existsSync(this.generation(n))) found.push(this.generation(n));
    return found;
  }

  write(level: LogLevel, message: string): void {
    let line = `${new Date(this.now()).toISOString()} ${level.toUpperCase()} ${message.replace(/\r?\n/g, '\n    ')}\n`;
    let bytes = Buffer.byteLength(line);
    if (bytes > this.maxBytes) {
      // One enormous message (a dumped payload) must not defeat the cap.
      line = `${Buffer.from(line).subarray(0, this.maxBytes - 32).toString('utf8').replace(/\uFFFD$/, '')} … [cut]\n`;
      bytes = Buffer.byteLength(line);
    }
    if (this.size > 0 && this.size + bytes > this.maxBytes) this.rotate();
    fs.appendFileSync(this.file, line, { mode: 0o600 });
    this.size += bytes;
  }

  private rotate(): void {
    // Oldest first, so each rename lands on a name that was just freed.
    fs.rmSync(this.generation(this.keep - 1), { force: true });
    for (let n = this.keep - 2; n >= 0; n--) {
      const from = this.generation(n);
      if (fs.existsSync(from)) fs.renameSync(from, this.generation(n + 1));
    }
    this.size = 0;
  }
}

function fileSize(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

/** What the UI shows about an error in main: a code and a sentence, never a stack. */
export interface MainProblem {
  code: 'main/uncaught-exception' | 'main/unhandled-rejection';
  message: string;
  at: number;
}

export function describeError(e: unknown): string {
  if (e instanceof Error) return e.stack ?? `${e.name}: ${e.message}`;
  try {
    return `A non-error value was thrown: ${JSON.stringify(e)}`;
  } catch {
    return `A non-error value was thrown: ${String(e)}`;
  }
}

/** The parts of `process` the hooks use. */
export interface ProcessLike {
  on(event: 'uncaughtException', listener: (error: Error) => void): unknown;
  on(event: 'unhandledRejection', listener: (reason: unknown) => void): unknown;
  off(event: 'uncaughtException', listener: (error: Error) => void): unknown;
  off(event: 'unhandledRejection', listener: (reason: unknown) => void): unknown;
}

export interface CrashHooksOptions {
  log: Pick<RotatingLog, 'write'>;
  /** Tells the workspace (and the agent); called at most once per `quietMs` for the same message. */
  report: (problem: MainProblem) => void;
  now?: () => number;
  quietMs?: number;
}

/**
 * Logs every uncaught exception and unhandled rejection with its stack and reports it to the UI.
 * The process keeps running: the services are isolated enough that one failed callback is better
 * shown to the agent than turned into a vanished window and lost drafts. Returns the unhooking.
 */
export function installCrashHooks(proc: ProcessLike, options: CrashHooksOptions): () => void {
  const now = options.now ?? Date.now;
  const quietMs = options.quietMs ?? 10_000;
  const lastReported = new Map<string, number>();
  const handle = (code: MainProblem['code'], e: unknown) => {
    const what = code === 'main/uncaught-exception' ? 'Uncaught exception' : 'Unhandled promise rejection';
    try {
      options.log.write('error', `${what}: ${describeError(e)}`);
    } catch {
      // The disk is full or gone; the report below is all that is left.
    }
    // The error's own words; the workspace wraps them in its sentence ("Something went wrong in Omni Desk: …"), in the agent's language.
    const message = (e instanceof Error ? e.message : describeError(e)).slice(0, 200);
    const at = now();
    const last = lastReported.get(message);
    if (last !== undefined && at - last < quietMs) return;
    lastReported.set(message, at);
    try {
      options.report({ code, message, at });
    } catch {
      // Reporting must not throw back into the handler (that would end the process).
    }
  };
  const onException = (e: Error) => handle('main/uncaught-exception', e);
  const onRejection = (reason: unknown) => handle('main/unhandled-rejection', reason);
  proc.on('uncaughtException', onException);
  proc.on('unhandledRejection', onRejection);
  return () => {
    proc.off('uncaughtException', onException);
    proc.off('unhandledRejection', onRejection);
  };
}

/** Why a renderer went away, as Electron's render-process-gone details say. */
export type RendererGoneReason = 'clean-exit' | 'abnormal-exit' | 'killed' | 'crashed' | 'oom' | 'launch-failed' | 'integrity-failure' | (string & {});

/**
 * Reload the workspace after its renderer died, unless it keeps dying: more than `maxReloads`
 * within `windowMs` means something in the page itself is broken and a loop would only hide it.
 */
export class RendererRecovery {
  private reloads: number[] = [];

  constructor(private readonly maxReloads = 3, private readonly windowMs = 60_000) {}

  decide(reason: RendererGoneReason, now: number): 'reload' | 'give-up' | 'ignore' {
    if (reason === 'clean-exit') return 'ignore';
    this.reloads = this.reloads.filter((t) => now - t < this.windowMs);
    if (this.reloads.length >= this.maxReloads) return 'give-up';
    this.reloads.push(now);
    return 'reload';
  }
}
