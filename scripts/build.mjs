// Builds every bundle: the renderer with Vite, then main (Electron), the headless entry and the
// preload with esbuild. Native and Node-side packages stay external to main; the sandboxed
// preload gets everything bundled, since it can require nothing but electron.
import { build as viteBuild } from 'vite';
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const quiet = process.argv.includes('--quiet');
const started = Date.now();

await viteBuild({ configFile: 'vite.config.ts', logLevel: quiet ? 'silent' : 'warn' });

const common = { bundle: true, sourcemap: true, target: 'node20', logLevel: 'warning' };
await Promise.all([
  build({ ...common, entryPoints: ['src/main/headless/main.ts'], outfile: 'dist/main/headless.js', platform: 'node', format: 'esm', packages: 'external' }),
  // CommonJS for Electron: import.meta is empty there, and the modules that need their folder ask
  // src/platform/moduleDir.ts, which takes __dirname in this bundle (so esbuild's warning is moot).
  build({ ...common, entryPoints: ['src/main/electron/main.ts'], outfile: 'dist/main/electron.cjs', platform: 'node', format: 'cjs', packages: 'external', logOverride: { 'empty-import-meta': 'silent' } }),
  // The mail parser's worker thread (src/main/email/parsePool.ts looks for it beside the main bundles).
  build({ ...common, entryPoints: ['src/main/email/parseWorker.ts'], outfile: 'dist/main/parseWorker.mjs', platform: 'node', format: 'esm', packages: 'external' }),
  build({ ...common, entryPoints: ['src/preload/index.ts'], outfile: 'dist/preload/index.cjs', platform: 'node', format: 'cjs', external: ['electron'], target: 'chrome120' }),
  // The chat widget runs on customers' pages: one small self-contained script for current browsers.
  build({ entryPoints: ['src/widget/widget.ts'], outfile: 'dist/widget/widget.js', bundle: true, minify: true, format: 'iife', platform: 'browser', target: ['chrome100', 'firefox100', 'safari15', 'edge100'], logLevel: 'warning' }),
]);

if (!quiet) console.log(`Built renderer, main, headless and preload in ${Date.now() - started} ms.`);
const widget = readFileSync('dist/widget/widget.js');
if (!quiet) console.log(`Widget script dist/widget/widget.js: ${(widget.length / 1024).toFixed(1)} KiB, ${(gzipSync(widget, { level: 9 }).length / 1024).toFixed(1)} KiB gzipped.`);
