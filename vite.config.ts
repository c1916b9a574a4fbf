// Builds the renderer (the workspace UI) into dist/renderer. Relative asset URLs let the same build
// load from Electron's app:// protocol and from the headless HTTP server.
import { defineConfig } from 'vite';

export default defineConfig({
  root: 'src/renderer',
  base: './',
  build: {
    outDir: '../../dist/renderer',
    emptyOutDir: true,
    target: 'chrome120',
    sourcemap: true,
    // One bundle is right for a workspace served from disk or loopback; no network to split for.
    chunkSizeWarningLimit: 1500,
  },
});
