// Carries the contract over Electron IPC: one invoke channel for every request and one event
// channel for everything the core emits. A call is answered only for the main frame of a window
// the shell created, showing the app origin; the reply is always an RpcResult envelope, never a
// thrown error. Electron objects come in as parameters, so tests drive it with plain fakes.
import type { Core } from '../core';
import type { ErrorInfo } from '../../shared/errors';
import type { RpcResult } from '../../shared/rpc';
import { isAppOrigin } from './guards';

/** The same two names are spelled out in src/preload/index.ts (the preload may not import main). */
export const RPC_CHANNEL = 'omni:rpc';
export const EVENT_CHANNEL = 'omni:event';

/** The parts of Electron's WebFrameMain the check reads. */
export interface FrameLike {
  readonly url: string;
  readonly parent: FrameLike | null;
  readonly processId: number;
  readonly routingId: number;
}

/** The parts of Electron's IpcMainInvokeEvent the check reads. */
export interface InvokeEventLike {
  readonly sender: { readonly id: number; readonly mainFrame: FrameLike };
  readonly senderFrame: FrameLike | null;
}

export interface RpcSender {
  webContentsId: number;
  /** Null when the frame navigated away or was destroyed before the call arrived. */
  frameUrl: string | null;
  isMainFrame: boolean;
}

export function senderOf(event: InvokeEventLike): RpcSender {
  const frame = event.senderFrame;
  if (frame === null) return { webContentsId: event.sender.id, frameUrl: null, isMainFrame: false };
  const main = event.sender.mainFrame;
  return {
    webContentsId: event.sender.id,
    frameUrl: frame.url,
    // Distinct WebFrameMain objects for one frame share processId and routingId.
    isMainFrame: frame.parent === null && frame.processId === main.processId && frame.routingId === main.routingId,
  };
}

const forbidden = (message: string): ErrorInfo => ({ code: 'rpc/forbidden', message });

/** Null when the sender may call the core, else the reason it may not. */
export function rpcSenderProblem(sender: RpcSender, isOurWebContents: (id: number) => boolean): ErrorInfo | null {
  if (!isOurWebContents(sender.webContentsId)) return forbidden('This page is not an Omni Desk window.');
  if (sender.frameUrl === null) return forbidden('The calling frame is gone.');
  if (!sender.isMainFrame) return forbidden('Only the workspace itself may call Omni Desk, not a frame inside it.');
  if (!isAppOrigin(sender.frameUrl)) return forbidden('Only the Omni Desk workspace may call Omni Desk.');
  return null;
}

/** The parts of Electron's ipcMain the binding uses. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: InvokeEventLike, ...args: unknown[]) => Promise<unknown>): void;
  removeHandler(channel: string): void;
}

/** The parts of a WebContents that receives events. */
export interface EventReceiver {
  isDestroyed(): boolean;
  send(channel: string, ...args: unknown[]): void;
}

export interface ShellWindows {
  /** True for the webContents of a window the shell created and has not yet seen closed. */
  isOurs(webContentsId: number): boolean;
  /** The webContents of the live windows, to send events to. */
  targets(): Iterable<EventReceiver>;
}

export interface IpcBindingOptions {
  core: Pick<Core, 'dispatch' | 'subscribe'>;
  ipcMain: IpcMainLike;
  windows: ShellWindows;
  log?: (line: string) => void;
}

/** Binds the core to IPC; returns the unbinding (handler removed, events unsubscribed). */
export function bindCoreToIpc({ core, ipcMain, windows, log = (line) => console.warn(line) }: IpcBindingOptions): () => void {
  ipcMain.handle(RPC_CHANNEL, async (event, method, input): Promise<RpcResult> => {
    try {
      const sender = senderOf(event);
      const problem = rpcSenderProblem(sender, (id) => windows.isOurs(id));
      if (problem) {
        log(`Refused ${String(method).slice(0, 100)} from ${sender.frameUrl ?? 'a closed frame'}: ${problem.message}`);
        return { ok: false, error: problem };
      }
      return await core.dispatch(method, input, { transport: 'ipc' });
    } catch (e) {
      log(`IPC call failed: ${(e as Error).message}`);
      return { ok: false, error: { code: 'internal', message: 'The call failed unexpectedly; the details are in the log.' } };
    }
  });
  const unsubscribe = core.subscribe((name, payload) => {
    for (const target of windows.targets()) {
      if (target.isDestroyed()) continue;
      try {
        target.send(EVENT_CHANNEL, name, payload);
      } catch (e) {
        log(`Could not deliver ${name} to a window: ${(e as Error).message}`);
      }
    }
  });
  return () => {
    ipcMain.removeHandler(RPC_CHANNEL);
    unsubscribe();
  };
}
