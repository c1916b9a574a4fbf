// The preload: puts the API generated from the contract on window.omni, and nothing else — no
// ipcRenderer, no generic send or invoke. It runs sandboxed, so it is bundled whole and requires
// only electron. Replies and events are validated here by createApi before the page sees them.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { z } from 'zod';
import { createApi, type RpcTransport } from '../shared/rpc';

// Must match src/main/electron/ipc.ts (a unit test checks); the preload may not import main.
const RPC_CHANNEL = 'omni:rpc';
const EVENT_CHANNEL = 'omni:event';

// Zod would probe `new Function` for its fast path, which the page's CSP reports as a violation.
z.config({ jitless: true });

type Listener = (name: string, payload: unknown) => void;
const listeners = new Set<Listener>();

ipcRenderer.on(EVENT_CHANNEL, (_event: IpcRendererEvent, name: unknown, payload: unknown) => {
  if (typeof name !== 'string') return;
  for (const listener of listeners) {
    try {
      listener(name, payload);
    } catch (e) {
      console.error(`A ${name} listener failed`, e);
    }
  }
});

const transport: RpcTransport = {
  async invoke(method, input) {
    try {
      return await ipcRenderer.invoke(RPC_CHANNEL, method, input);
    } catch {
      // Only when main has no handler (yet) or the channel broke: answer in the envelope.
      return { ok: false, error: { code: 'rpc/transport', message: 'The workspace could not reach Omni Desk; restart the app.' } };
    }
  },
  subscribe(listener) {
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  },
};

contextBridge.exposeInMainWorld('omni', createApi(transport));
