// Parses fetched mail on worker threads (parseWorker.ts), so parsing overlaps with storing on the
// main thread. No mail is lost to a worker: one that dies or hangs is replaced, its mails are parsed
// again one by one, and a mail that stops a worker on its own is quarantined with the reason. When
// no worker can start (no built worker file and no TypeScript loader), mails are parsed inline.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { moduleDir } from '../../platform/moduleDir';
import { Worker } from 'node:worker_threads';
import { say } from '../../shared/serverErrors';
import { parseEmail, quarantineUnparsed, resolveLimits, type ParseEmailOptions, type ParseEmailResult } from './mime';
import type { ParseRequest, WorkerMessage } from './parseWorker';

/** Mails per message to a worker: few enough that a crash re-parses little, enough to keep round trips rare. */
const CHUNK_JOBS = 25;
const CHUNK_BYTES = 4 * 1024 * 1024;
/**
 * Chunks handed to one worker at a time. The rest wait in its queue, so it keeps parsing while this
 * thread is busy (a batch's commit holds it for tens of milliseconds) instead of waiting for the next.
 */
const CHUNKS_PER_WORKER = 8;

export interface ParsePoolOptions {
  /** Worker threads; 0 parses inline. Default: the available cores − 1, at least 1. */
  size?: number;
  /** The worker's script. Default: parseWorker.mjs beside this module (the built app), else parseWorker.ts through tsx (sources). */
  workerScript?: string | null;
  /** Workers end after this long without work, returning their memory. Default 10 s. */
  idleMs?: number;
  /**
   * Beyond parseEmail's own time box, per mail, before a worker counts as hung (a synchronous step
   * inside the parser that never yields) and is replaced. Default 10 s.
   */
  hangMarginMs?: number;
  log?: (line: string) => void;
}

/** A built worker file, or (sources) a small module that imports the TypeScript one. */
interface WorkerScript {
  file: string;
  eval: boolean;
}

interface Job {
  source: Buffer;
  options: ParseEmailOptions;
  /** Parsed alone after a worker died with it in hand: a second death quarantines it. */
  isolated: boolean;
  resolve: (result: ParseEmailResult) => void;
}

interface Chunk {
  id: number;
  jobs: Job[];
}

interface Slot {
  worker: Worker;
  ready: boolean;
  /** Handed over, oldest first; the first one is being parsed. */
  chunks: Chunk[];
  watchdog: NodeJS.Timeout | null;
  /** Why the pool ended this worker on purpose (idle, hung, closing), null while it should live. */
  ending: 'idle' | 'hung' | 'closing' | null;
}

export class ParsePool {
  private readonly size: number;
  private readonly script: WorkerScript | null;
  private readonly idleMs: number;
  private readonly slots = new Set<Slot>();
  private readonly queue: Job[] = [];
  private nextChunkId = 1;
  /** Set when a worker could not start: everything is parsed inline from then on. */
  private inline = false;
  private idleTimer: NodeJS.Timeout | null = null;
  private closed = false;
  /** A chunk is being parsed on this thread while no worker is ready yet. */
  private parsingHere = false;
  /** Who waits in warm() for a worker to be ready. */
  private warmed: Array<() => void> = [];

  constructor(private readonly o: ParsePoolOptions = {}) {
    this.size = Math.max(0, Math.floor(o.size ?? Math.max(1, os.availableParallelism() - 1)));
    this.script = o.workerScript === undefined ? defaultWorkerScript() : o.workerScript === null ? null : scriptFor(o.workerScript);
    this.idleMs = o.idleMs ?? 10_000;
    if (this.size === 0 || !this.script) this.inline = true;
  }

  /** Whether mails go to worker threads (false: parsed inline on this thread). */
  get usesWorkers(): boolean {
    return !this.inline;
  }

  /** Worker threads running now. */
  get workers(): number {
    return this.slots.size;
  }

  /** Parses each source with parseEmail's guarantees (never throws); results in the order given. */
  parse(jobs: ReadonlyArray<{ source: Buffer; options: ParseEmailOptions }>): Promise<ParseEmailResult[]> {
    if (this.inline || this.closed) return Promise.all(jobs.map((j) => parseEmail(j.source, j.options)));
    const results = jobs.map((j) => new Promise<ParseEmailResult>((resolve) => this.queue.push({ source: j.source, options: j.options, isolated: false, resolve })));
    this.pump();
    return Promise.all(results);
  }

  /** Starts the workers now rather than with the first mail; resolves once they are ready (or could not start). */
  async warm(): Promise<void> {
    if (this.inline || this.closed) return;
    while (!this.inline && this.slots.size < this.size) this.spawn();
    while (!this.inline && [...this.slots].some((s) => !s.ready)) await new Promise<void>((resolve) => this.warmed.push(resolve));
  }

  /** Ends the workers; mails still queued or in hand are parsed inline. */
  async close(): Promise<void> {
    this.closed = true;
    this.clearIdle();
    const ending = [...this.slots].map((slot) => this.end(slot, 'closing'));
    this.drainInline();
    await Promise.all(ending);
  }

  // ---------------------------------------------------------------- dispatch

  private pump(): void {
    if (this.closed) return;
    if (this.inline) {
      this.drainInline();
      return;
    }
    this.clearIdle();
    while (this.queue.length > 0) {
      const slot = this.freeSlot();
      if (!slot) break;
      this.hand(slot, this.takeChunk());
    }
    if (this.queue.length > 0 && this.slots.size < this.size) this.spawn();
    // While the workers start (a second with TypeScript sources), the first mails need not wait.
    // A mail suspected of stopping a worker is never parsed here.
    if (this.queue.length > 0 && !this.queue[0]!.isolated && !this.parsingHere && ![...this.slots].some((s) => s.ready)) void this.parseHere(this.takeChunk());
    if (this.queue.length === 0 && [...this.slots].every((s) => s.chunks.length === 0)) this.armIdle();
  }

  /** The ready worker with the fewest chunks in hand, if one can take another. */
  private freeSlot(): Slot | null {
    // A mail under suspicion goes to a worker with nothing else in hand, and nothing follows it:
    // whatever stops that worker, it names that mail.
    const suspect = this.queue[0]?.isolated === true;
    let best: Slot | null = null;
    for (const slot of this.slots) {
      if (!slot.ready || slot.ending || slot.chunks.length >= (suspect ? 1 : CHUNKS_PER_WORKER)) continue;
      if (slot.chunks[0]?.jobs[0]?.isolated) continue;
      if (!best || slot.chunks.length < best.chunks.length) best = slot;
    }
    // Start another worker rather than queue behind a busy one, while the pool may grow.
    if (best && best.chunks.length > 0 && this.slots.size < this.size) return null;
    return best;
  }

  private takeChunk(): Chunk {
    // A mail under suspicion goes alone, so a second death names it exactly.
    if (this.queue[0]!.isolated) return { id: this.nextChunkId++, jobs: [this.queue.shift()!] };
    const jobs: Job[] = [];
    let bytes = 0;
    while (this.queue.length > 0 && !this.queue[0]!.isolated && jobs.length < CHUNK_JOBS && (jobs.length === 0 || bytes + this.queue[0]!.source.length <= CHUNK_BYTES)) {
      const job = this.queue.shift()!;
      bytes += job.source.length;
      jobs.push(job);
    }
    return { id: this.nextChunkId++, jobs };
  }

  private async parseHere(chunk: Chunk): Promise<void> {
    this.parsingHere = true;
    try {
      for (const job of chunk.jobs) job.resolve(await parseEmail(job.source, job.options));
    } finally {
      this.parsingHere = false;
    }
    this.pump();
  }

  private hand(slot: Slot, chunk: Chunk): void {
    slot.chunks.push(chunk);
    slot.worker.ref();
    const request: ParseRequest = { id: chunk.id, jobs: chunk.jobs.map((j) => ({ source: j.source, options: j.options })) };
    slot.worker.postMessage(request);
    if (slot.chunks.length === 1) this.watch(slot);
  }

  /** Times the chunk being parsed: each mail gets parseEmail's own time box plus a margin. */
  private watch(slot: Slot): void {
    if (slot.watchdog) clearTimeout(slot.watchdog);
    slot.watchdog = null;
    const head = slot.chunks[0];
    if (!head) return;
    const margin = this.o.hangMarginMs ?? 10_000;
    const ms = head.jobs.reduce((sum, j) => sum + resolveLimits(j.options).parseTimeoutMs + margin, 0);
    slot.watchdog = setTimeout(() => void this.end(slot, 'hung'), ms);
    slot.watchdog.unref();
  }

  // ---------------------------------------------------------------- workers

  private spawn(): void {
    const script = this.script!;
    let worker: Worker;
    try {
      worker = new Worker(script.file, { eval: script.eval });
    } catch (err) {
      this.giveUpWorkers(err);
      return;
    }
    // Alive while it has work (a pending parse keeps the process up); idle, it never holds the process open.
    const slot: Slot = { worker, ready: false, chunks: [], watchdog: null, ending: null };
    this.slots.add(slot);
    worker.on('message', (message: WorkerMessage) => this.onMessage(slot, message));
    let failure: unknown = null;
    worker.on('error', (err) => (failure ??= err));
    worker.on('exit', (code) => this.onExit(slot, failure ?? (code === 0 ? null : new Error(`exit code ${code}`))));
  }

  private onMessage(slot: Slot, message: WorkerMessage): void {
    if (message.t === 'ready') {
      slot.ready = true;
      if (slot.chunks.length === 0) slot.worker.unref();
      for (const resolve of this.warmed.splice(0)) resolve();
      this.pump();
      return;
    }
    const index = slot.chunks.findIndex((c) => c.id === message.id);
    if (index < 0) return;
    const [chunk] = slot.chunks.splice(index, 1);
    if (slot.chunks.length === 0) slot.worker.unref();
    chunk!.jobs.forEach((job, i) => job.resolve(revive(message.results[i]!)));
    this.watch(slot);
    this.pump();
  }

  private onExit(slot: Slot, failure: unknown): void {
    if (slot.watchdog) clearTimeout(slot.watchdog);
    this.slots.delete(slot);
    for (const resolve of this.warmed.splice(0)) resolve();
    const why = slot.ending;
    if (!slot.ready && why === null) {
      // It never got as far as loading the parser: no worker will; parse here instead.
      this.giveUpWorkers(failure);
      return;
    }
    const [head, ...rest] = slot.chunks;
    slot.chunks = [];
    // Chunks not started yet go back to the front of the line as they were.
    this.queue.unshift(...rest.flatMap((c) => c.jobs));
    if (head) {
      if (head.jobs.length === 1 && head.jobs[0]!.isolated) {
        void this.quarantineJob(head.jobs[0]!, why === 'hung' ? 'hung' : failure);
      } else {
        // One of these stopped the worker (or none did: memory, a kill): each is tried alone once more.
        this.queue.unshift(...head.jobs.map((j) => ({ ...j, isolated: true })));
        this.o.log?.(`mail parser: a worker ${why === 'hung' ? 'hung' : `stopped (${describe(failure)})`}; parsing its ${head.jobs.length} mail(s) again one by one.`);
      }
    }
    if (why === 'closing' || this.closed) this.drainInline();
    else this.pump();
  }

  private async quarantineJob(job: Job, failure: unknown): Promise<void> {
    const limits = resolveLimits(job.options);
    const result =
      failure === 'hung'
        ? await quarantineUnparsed(job.source, 'timeout', say('quarantineParserHung', { seconds: Math.round(limits.parseTimeoutMs / 1000) }))
        : await quarantineUnparsed(job.source, 'parser-crashed', say('quarantineParserStopped', { error: describe(failure) }));
    this.o.log?.(`mail parser: a message stopped the parser twice; quarantined (${result.reason})`);
    job.resolve(result);
  }

  private end(slot: Slot, why: NonNullable<Slot['ending']>): Promise<number> {
    slot.ending ??= why;
    return slot.worker.terminate();
  }

  private giveUpWorkers(err: unknown): void {
    if (!this.inline) this.o.log?.(`mail parser: no worker thread could start (${describe(err)}); parsing on the main thread.`);
    this.inline = true;
    for (const resolve of this.warmed.splice(0)) resolve();
    this.drainInline();
  }

  private drainInline(): void {
    for (const job of this.queue.splice(0)) void parseEmail(job.source, job.options).then(job.resolve);
  }

  private armIdle(): void {
    if (this.idleTimer || this.slots.size === 0) return;
    this.idleTimer = setTimeout(() => {
      this.idleTimer = null;
      for (const slot of this.slots) if (slot.chunks.length === 0) void this.end(slot, 'idle');
    }, this.idleMs);
    this.idleTimer.unref();
  }

  private clearIdle(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }
}

let shared: ParsePool | null = null;

/** The pool every ingest shares unless it is given its own: one set of workers for all accounts. */
export function sharedParsePool(): ParsePool {
  shared ??= new ParsePool();
  return shared;
}

/** A structured clone turns Buffers into plain Uint8Arrays: attachment contents become Buffers again. */
function revive(result: ParseEmailResult): ParseEmailResult {
  if (result.kind === 'parsed') {
    for (const a of result.attachments) {
      const c = a.content as Uint8Array;
      if (!Buffer.isBuffer(c)) a.content = Buffer.from(c.buffer, c.byteOffset, c.byteLength);
    }
  }
  return result;
}

function describe(err: unknown): string {
  if (err === null || err === undefined) return 'it exited';
  const e = err as { code?: string; message?: string };
  if (e.code === 'ERR_WORKER_OUT_OF_MEMORY') return 'out of memory';
  return (e.message ?? String(err)).split('\n')[0]!.slice(0, 200);
}

function scriptFor(file: string): WorkerScript | null {
  if (!/\.[cm]?ts$/.test(file)) return { file, eval: false };
  // TypeScript sources (development, tests, the benchmark) are imported through tsx's API, when it
  // is installed: a worker's entry does not pass through the hooks `--import tsx` registers.
  try {
    const api = createRequire(path.join(thisDir() ?? path.dirname(file), 'parsePool.ts')).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs');
    if (!fs.existsSync(api)) return null;
    const code = `import(${JSON.stringify(pathToFileURL(api).href)}).then(({ tsImport }) => tsImport(${JSON.stringify(pathToFileURL(file).href)}, ${JSON.stringify(pathToFileURL(file).href)}))`;
    return { file: code, eval: true };
  } catch {
    return null;
  }
}

/** parseWorker.mjs next to the bundle (dist/main), else parseWorker.ts next to this source file. */
function defaultWorkerScript(): WorkerScript | null {
  const dir = thisDir();
  if (!dir) return null;
  for (const name of ['parseWorker.mjs', 'parseWorker.ts']) {
    const file = path.join(dir, name);
    if (fs.existsSync(file)) return scriptFor(file);
  }
  return null;
}

function thisDir(): string | null {
  return moduleDir(import.meta.url);
}
