// The app's log on real files in a temp folder: size cap, rotation, how many files are kept, and
// that an uncaught error in main is logged and reported instead of ending the process silently.
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { installCrashHooks, RendererRecovery, RotatingLog, type MainProblem, type ProcessLike } from '../../src/main/desktop/crashLog';

let dir: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'omni-log-'));
});

afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const read = (file: string) => fs.readFileSync(file, 'utf8');
const T0 = Date.UTC(2026, 0, 15, 10, 0, 0);

describe('the rotating log file', () => {
  it('writes timestamped lines to omni-desk.log in the folder it is given, creating it', () => {
    const log = new RotatingLog({ dir: path.join(dir, 'logs'), now: () => T0 });
    log.write('info', 'Omni Desk starting');
    log.write('error', 'Uncaught exception: Error: boom\n    at x (y.js:1:1)');
    expect(read(path.join(dir, 'logs', 'omni-desk.log'))).toBe(
      '2026-01-15T10:00:00.000Z INFO Omni Desk starting\n2026-01-15T10:00:00.000Z ERROR Uncaught exception: Error: boom\n        at x (y.js:1:1)\n',
    );
  });

  it('never lets the current file grow past the cap and rotates into numbered files, newest first', () => {
    const log = new RotatingLog({ dir, maxBytes: 1000, keep: 3, now: () => T0 });
    for (let i = 0; i < 100; i++) log.write('info', `line ${String(i).padStart(3, '0')} ${'x'.repeat(40)}`);
    const files = log.files();
    expect(files.map((f) => path.basename(f))).toEqual(['omni-desk.log', 'omni-desk.1.log', 'omni-desk.2.log']);
    for (const f of files) expect(fs.statSync(f).size).toBeLessThanOrEqual(1000);
    // Nothing beyond `keep` files stays on disk.
    expect(fs.readdirSync(dir).sort()).toEqual(['omni-desk.1.log', 'omni-desk.2.log', 'omni-desk.log']);
    // The newest line is in the current file; the generations hold older lines in order.
    expect(read(files[0]!)).toContain('line 099');
    const lineNumbers = (f: string) => [...read(f).matchAll(/line (\d{3})/g)].map((m) => Number(m[1]));
    const [current, one, two] = files.map(lineNumbers);
    expect(Math.max(...two!)).toBeLessThan(Math.min(...one!));
    expect(Math.max(...one!)).toBeLessThan(Math.min(...current!));
    // Consecutive: rotation lost no line between the kept files.
    expect([...two!, ...one!, ...current!]).toEqual(Array.from({ length: two!.length + one!.length + current!.length }, (_, i) => two![0]! + i));
  });

  it('continues the existing file after a restart and rotates it when it is full', () => {
    fs.writeFileSync(path.join(dir, 'omni-desk.log'), 'x'.repeat(900));
    const log = new RotatingLog({ dir, maxBytes: 1000, keep: 2, now: () => T0 });
    log.write('info', 'after restart '.repeat(10));
    expect(read(path.join(dir, 'omni-desk.1.log'))).toBe('x'.repeat(900));
    expect(read(path.join(dir, 'omni-desk.log'))).toContain('after restart');
  });

  it('cuts one oversized message to the cap instead of exceeding it', () => {
    const log = new RotatingLog({ dir, maxBytes: 1024, now: () => T0 });
    log.write('error', `payload ${'é'.repeat(5000)}`);
    const text = read(log.file);
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(1024);
    expect(text).toContain('[cut]');
    expect(text).not.toContain('\uFFFD');
  });

  it('keeps one file when asked to keep one', () => {
    const log = new RotatingLog({ dir, maxBytes: 300, keep: 1, now: () => T0 });
    for (let i = 0; i < 20; i++) log.write('info', `entry ${i} ${'y'.repeat(30)}`);
    expect(fs.readdirSync(dir)).toEqual(['omni-desk.log']);
    expect(read(log.file)).toContain('entry 19');
  });

  it('refuses a cap too small to hold a line', () => {
    expect(() => new RotatingLog({ dir, maxBytes: 10 })).toThrow(/at least 256 bytes/);
  });
});

describe('uncaught errors in main', () => {
  function setup(now = () => T0) {
    const proc = new EventEmitter();
    const log = new RotatingLog({ dir, now });
    const reports: MainProblem[] = [];
    const unhook = installCrashHooks(proc as unknown as ProcessLike, { log, report: (p) => reports.push(p), now });
    return { proc, log, reports, unhook };
  }

  it('an uncaught exception is logged with its stack and reported to the workspace in a sentence', () => {
    const { proc, log, reports } = setup();
    proc.emit('uncaughtException', new TypeError('Cannot read properties of undefined'));
    const text = read(log.file);
    expect(text).toContain('ERROR Uncaught exception: TypeError: Cannot read properties of undefined');
    expect(text).toMatch(/\n {4,}at /);
    expect(reports).toEqual([
      {
        code: 'main/uncaught-exception',
        // the error's own words: the workspace says them inside its own sentence, in the agent's language
        message: 'Cannot read properties of undefined',
        at: T0,
      },
    ]);
  });

  it('an unhandled rejection with a non-error value is logged and reported too', () => {
    const { proc, log, reports } = setup();
    proc.emit('unhandledRejection', { reason: 'socket closed' });
    expect(read(log.file)).toContain('Unhandled promise rejection: A non-error value was thrown: {"reason":"socket closed"}');
    expect(reports[0]).toMatchObject({ code: 'main/unhandled-rejection', message: 'A non-error value was thrown: {"reason":"socket closed"}' });
  });

  it('a storm of the same error is logged every time but reported once per quiet period', () => {
    let now = T0;
    const { proc, log, reports } = setup(() => now);
    for (let i = 0; i < 5; i++) proc.emit('uncaughtException', new Error('same'));
    now += 11_000;
    proc.emit('uncaughtException', new Error('same'));
    expect(reports).toHaveLength(2);
    expect(read(log.file).match(/Uncaught exception/g)).toHaveLength(6);
  });

  it('a failing report does not throw back into the process', () => {
    const proc = new EventEmitter();
    const log = new RotatingLog({ dir });
    installCrashHooks(proc as unknown as ProcessLike, { log, report: () => { throw new Error('window gone'); } });
    expect(() => proc.emit('uncaughtException', new Error('boom'))).not.toThrow();
    expect(read(log.file)).toContain('boom');
  });

  it('unhooking removes the listeners', () => {
    const { proc, unhook } = setup();
    expect(proc.listenerCount('uncaughtException')).toBe(1);
    unhook();
    expect(proc.listenerCount('uncaughtException')).toBe(0);
    expect(proc.listenerCount('unhandledRejection')).toBe(0);
  });
});

describe('a renderer that went away', () => {
  it('is reloaded after a crash, but not in a loop', () => {
    const recovery = new RendererRecovery(3, 60_000);
    expect(recovery.decide('crashed', T0)).toBe('reload');
    expect(recovery.decide('oom', T0 + 1000)).toBe('reload');
    expect(recovery.decide('killed', T0 + 2000)).toBe('reload');
    expect(recovery.decide('crashed', T0 + 3000)).toBe('give-up');
    // A minute later the page gets another chance.
    expect(recovery.decide('crashed', T0 + 61_000)).toBe('reload');
  });

  it('is left alone when it exited cleanly', () => {
    expect(new RendererRecovery().decide('clean-exit', T0)).toBe('ignore');
  });
});
