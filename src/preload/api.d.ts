// window.omni for the renderer: the API the preload exposes in Electron. It is absent in the
// headless mode, where the renderer builds the same API over its WebSocket transport.
import type { OmniApi } from '../shared/rpc';

declare global {
  interface Window {
    omni?: OmniApi;
  }
}

export {};
