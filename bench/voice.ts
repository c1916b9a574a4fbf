// Screen-pop latency: from the Voice SDK's `incoming` event to the caller's profile and context
// painted, in Chromium with the real @twilio/voice-sdk against the signaling stand-in, on a center
// of 1,000,000 events and 100,000 customers. Each call rings a customer with a phone number (the
// lookup by E.164, their open case, last message per channel, the email brief), then the caller
// hangs up. The figure is the page's own `screen-pop` performance measure (mark at `incoming`,
// mark on the first frame after the pop rendered). `OMNI_BENCH_ONLY=voice npm run bench`.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS } from '../playwright.config';
import { seedDemoCenter } from '../src/main/demo/seed';
import { openDatabase } from '../src/main/store/database';
import { Repository } from '../src/main/store/repository';
import { startTwilioVoiceStandin } from '../tests/helpers/twilioVoiceStandin';
import type { BenchRow } from './common';

const API_KEY_SECRET = 'bench-api-key-secret-0123456789';

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export async function bench(o: { events: number; customers: number; calls: number }): Promise<BenchRow[]> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'omni-bench-voice-'));
  const rows: BenchRow[] = [];
  const standin = await startTwilioVoiceStandin({ apiKeySecret: API_KEY_SECRET });
  try {
    const t0 = performance.now();
    const db = openDatabase(path.join(tmp, 'omni-desk.sqlite'));
    const repo = new Repository(db);
    const stats = seedDemoCenter(repo, { seed: 11, now: Date.now(), customers: o.customers, conversations: Math.round(o.events / 6.25), events: o.events });
    // Callers: customers with a phone number, spread over the whole table.
    const phones = db
      .prepare(`SELECT value FROM identities WHERE kind = 'phone' AND id % ? = 0 ORDER BY id LIMIT ?`)
      .all(Math.max(1, Math.floor(stats.customers / (o.calls * 4))), o.calls) as Array<{ value: string }>;
    db.close();
    rows.push({ figure: 'voice center', value: `${stats.events.toLocaleString('en-US')} events, ${stats.customers.toLocaleString('en-US')} customers in ${((performance.now() - t0) / 1000).toFixed(1)} s` });

    fs.mkdirSync(path.join(tmp, 'hub'), { recursive: true });
    fs.writeFileSync(
      path.join(tmp, 'hub', 'hub.config.json'),
      JSON.stringify({
        channels: { twilio: { accountSid: `AC${'1'.repeat(32)}`, authToken: 'bench-auth-token' } },
        voice: { credentials: { apiKeySid: `SK${'2'.repeat(32)}`, apiKeySecret: API_KEY_SECRET, twimlAppSid: `AP${'3'.repeat(32)}` } },
      }),
    );
    fs.writeFileSync(path.join(tmp, 'omni-desk.config.json'), JSON.stringify({ voice: { signalingHost: standin.host, insecureSignaling: true } }));

    const child = spawn(process.execPath, ['dist/main/headless.js', '--port', '0', '--hub-port', '0', '--data-dir', tmp, '--no-demo'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [...CHROMIUM_ARGS, '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', '--autoplay-policy=no-user-gesture-required'],
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          const m = /ready at (http:\/\/\S+?) /.exec(out);
          if (m) resolve(m[1]!);
        });
        child.once('exit', (code) => reject(new Error(`the headless workspace exited with ${code}: ${out}`)));
      });
      const context = await browser.newContext({ permissions: ['microphone'] });
      const agent = await context.newPage();
      await agent.goto(url);
      await agent.getByText('Ready for calls').waitFor({ state: 'visible', timeout: 60_000 });
      const identity = standin.registered()[0];
      if (!identity) throw new Error('the softphone did not register with the stand-in');
      const caller = await context.newPage();
      await caller.goto(standin.callerPageUrl);
      await caller.locator('#state').getByText('ready').waitFor();
      // The agent's window in front, as at the desk (a background tab gets no animation frames).
      await agent.bringToFront();

      const samples: number[] = [];
      const data: number[] = [];
      const pop = agent.getByRole('alert', { name: 'Incoming call' });
      for (const [i, { value }] of phones.entries()) {
        const call = await standin.ring(identity, value, { caller: value });
        await pop.getByRole('textbox', { name: 'Call notes' }).waitFor({ state: 'visible' });
        await agent.waitForFunction((n) => performance.getEntriesByName('screen-pop').length > n, i);
        samples.push(await agent.evaluate(() => performance.getEntriesByName('screen-pop').at(-1)!.duration));
        data.push(await agent.evaluate(() => performance.getEntriesByName('screen-pop-data').at(-1)?.duration ?? NaN));
        standin.hangUpFromCaller(call.callSid);
        await pop.waitFor({ state: 'hidden' });
      }
      rows.push({
        figure: `screen pop: SDK incoming → profile and context painted (${samples.length} calls, real SDK in Chromium)`,
        value: `p50 ${percentile(samples, 50).toFixed(1)} ms, p95 ${percentile(samples, 95).toFixed(1)} ms`,
        target: 'p95 < 50 ms',
      });
      rows.push({ figure: 'screen pop: of which the screenPop request (incoming → data in the page)', value: `p50 ${percentile(data, 50).toFixed(1)} ms, p95 ${percentile(data, 95).toFixed(1)} ms` });
    } finally {
      await browser.close();
      child.kill('SIGTERM');
    }
  } finally {
    await standin.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  return rows;
}
