// Writes the softphone's sounds into assets/sounds as small WAV files (8 kHz, 16-bit mono): the
// ringtone, the outgoing ring-back, the hang-up tone and the DTMF key tones (their standard
// frequency pairs). The Voice SDK would otherwise fetch its sounds from Twilio's CDN, which
// delays the incoming event when offline. Run once: `node scripts/makeSounds.mjs`.
import fs from 'node:fs';
import path from 'node:path';

const RATE = 8000;
const dir = path.resolve('assets/sounds');
fs.mkdirSync(dir, { recursive: true });

/** Sums of sines, each segment [seconds, [Hz…]] (no Hz: silence), with 5 ms fades against clicks. */
function render(segments, gain = 0.3) {
  const samples = [];
  for (const [seconds, freqs] of segments) {
    const n = Math.round(seconds * RATE);
    const fade = Math.min(40, n / 2);
    for (let i = 0; i < n; i++) {
      let v = 0;
      for (const f of freqs) v += Math.sin((2 * Math.PI * f * i) / RATE);
      v = freqs.length ? (v / freqs.length) * gain : 0;
      const edge = Math.min(1, i / fade, (n - 1 - i) / fade);
      samples.push(Math.round(v * edge * 32767));
    }
  }
  const data = Buffer.alloc(samples.length * 2);
  samples.forEach((s, i) => data.writeInt16LE(s, i * 2));
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVE', 8);
  header.write('fmt ', 12);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(RATE, 24);
  header.writeUInt32LE(RATE * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36);
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

const write = (name, segments, gain) => fs.writeFileSync(path.join(dir, `${name}.wav`), render(segments, gain));

// A two-burst ring (North American cadence, shortened), the ring-back tone, a falling hang-up tone.
write('incoming', [[0.4, [440, 480]], [0.2, []], [0.4, [440, 480]], [1.0, []]]);
write('outgoing', [[1.0, [440, 480]], [1.0, []]], 0.2);
write('disconnect', [[0.15, [620]], [0.15, [480]]], 0.25);
const DTMF = { 1: [697, 1209], 2: [697, 1336], 3: [697, 1477], 4: [770, 1209], 5: [770, 1336], 6: [770, 1477], 7: [852, 1209], 8: [852, 1336], 9: [852, 1477], s: [941, 1209], 0: [941, 1336], h: [941, 1477] };
for (const [key, freqs] of Object.entries(DTMF)) write(`dtmf${key}`, [[0.12, freqs]], 0.25);
