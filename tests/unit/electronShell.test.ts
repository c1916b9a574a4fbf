// The Electron shell's decisions, without Electron: the window's security flags, the URL and
// permission guards (over the real WHATWG URL parser), and the IPC binding's sender check.
import fs from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { buildWindowOptions, WINDOW_TITLE } from '../../src/main/electron/windowOptions';
import { configArgv, frameNavigationDecision, isAppOrigin, navigationDecision, permissionDecision, windowOpenDecision } from '../../src/main/electron/guards';
import {
  bindCoreToIpc,
  EVENT_CHANNEL,
  RPC_CHANNEL,
  rpcSenderProblem,
  senderOf,
  type FrameLike,
  type InvokeEventLike,
  type IpcMainLike,
} from '../../src/main/electron/ipc';
import type { Core } from '../../src/main/core';
import type { RpcResult } from '../../src/shared/rpc';

describe('the workspace window', () => {
  const options = buildWindowOptions({
    preloadPath: '/app/dist/preload/index.cjs',
    state: { bounds: { x: 40, y: 60, width: 1300, height: 850 }, maximized: false },
  });
  const prefs = options.webPreferences ?? {};

  it('isolates the page from the preload', () => expect(prefs.contextIsolation).toBe(true));
  it('runs the renderer in the sandbox', () => expect(prefs.sandbox).toBe(true));
  it('gives the page no Node.js', () => expect(prefs.nodeIntegration).toBe(false));
  it('gives workers no Node.js', () => expect(prefs.nodeIntegrationInWorker).toBe(false));
  it('gives subframes no Node.js', () => expect(prefs.nodeIntegrationInSubFrames).toBe(false));
  it('keeps web security on', () => expect(prefs.webSecurity).toBe(true));
  it('never runs insecure content', () => expect(prefs.allowRunningInsecureContent).toBe(false));
  it('has no <webview> tag', () => expect(prefs.webviewTag).toBe(false));
  it('enables no experimental features', () => expect(prefs.experimentalFeatures).toBe(false));
  it('loads the preload it is given', () => expect(prefs.preload).toBe('/app/dist/preload/index.cjs'));

  it('opens hidden, titled Omni Desk, at the restored bounds and no smaller than the minimum', () => {
    expect(options).toMatchObject({ title: WINDOW_TITLE, show: false, x: 40, y: 60, width: 1300, height: 850 });
    expect(WINDOW_TITLE).toBe('Omni Desk');
    expect(options.minWidth).toBeGreaterThanOrEqual(800);
    expect(options.minHeight).toBeGreaterThanOrEqual(500);
  });

  it('is centred when the restored state has no position', () => {
    const centred = buildWindowOptions({ preloadPath: '/p.cjs', state: { bounds: { width: 1280, height: 820 }, maximized: true } });
    expect(centred.center).toBe(true);
    expect(centred.x).toBeUndefined();
    expect(centred.y).toBeUndefined();
  });
});

describe('isAppOrigin', () => {
  it.each(['app://omni/index.html', 'app://omni', 'app://omni/', 'app://omni/queue/42?x=1#top', 'APP://OMNI/index.html'])(
    'accepts the workspace origin: %s',
    (url) => expect(isAppOrigin(url)).toBe(true),
  );

  it.each([
    'app://omni.evil/index.html',
    'app://evil.omni/',
    'app://omni@evil/',
    'app://user:pw@omni/',
    'app://omni:8080/',
    'app://omni./',
    'app://omni%2eevil/',
    'app:omni',
    'app:///omni/index.html',
    'apps://omni/',
    'https://omni/',
    'http://127.0.0.1:4870/',
    'file:///etc/passwd',
    'data:text/html,<script>alert(1)</script>',
    'javascript:alert(1)',
    'about:blank',
    'devtools://devtools/bundled/inspector.html',
    '',
    'app://omni\\evil/',
    'not a url',
  ])('rejects %s', (url) => expect(isAppOrigin(url)).toBe(false));

  it('rejects values that are not strings', () => {
    for (const value of [undefined, null, 42, {}, new URL('app://omni/')]) expect(isAppOrigin(value)).toBe(false);
  });
});

describe('frameNavigationDecision', () => {
  it('lets an email frame inside the page show its srcdoc, and nothing else', () => {
    expect(frameNavigationDecision('about:srcdoc', false)).toBe('allow');
    expect(frameNavigationDecision('app://omni/index.html', false)).toBe('allow');
    expect(frameNavigationDecision('about:srcdoc', true)).toBe('prevent');
    expect(frameNavigationDecision('about:blank', false)).toBe('prevent');
    expect(frameNavigationDecision('https://tracker.example/p.gif', false)).toBe('prevent');
    expect(frameNavigationDecision('about:srcdoc#x', false)).toBe('prevent');
  });
});

describe('navigationDecision', () => {
  it('lets the workspace move between its own pages', () => {
    expect(navigationDecision('app://omni/index.html')).toBe('allow');
    expect(navigationDecision('app://omni/customers/7')).toBe('allow');
  });

  it.each(['https://example.com/', 'http://localhost:4870/', 'file:///C:/Windows/win.ini', 'app://omni.evil/', 'javascript:void(0)', 'data:,x', 'mailto:a@b.c', '%%%'])(
    'prevents a navigation to %s',
    (url) => expect(navigationDecision(url)).toBe('prevent'),
  );
});

describe('windowOpenDecision', () => {
  it('never opens a window, and hands https pages to the browser', () => {
    expect(windowOpenDecision('https://help.example.com/article?id=1')).toEqual({
      action: 'deny',
      handoff: 'browser',
      url: 'https://help.example.com/article?id=1',
    });
  });

  it('hands mailto: and tel: links to the app', () => {
    expect(windowOpenDecision('mailto:jane@example.com?subject=Hi')).toEqual({ action: 'deny', handoff: 'mailto', url: 'mailto:jane@example.com?subject=Hi' });
    expect(windowOpenDecision('tel:+1 (555) 010-0199')).toMatchObject({ action: 'deny', handoff: 'tel' });
  });

  it.each([
    'http://example.com/',
    'https://user:secret@example.com/',
    'file:///etc/passwd',
    'data:text/html,hi',
    'javascript:alert(1)',
    'app://omni/index.html',
    'omni://open',
    'ms-msdt:/id PCWDiagnostic',
    'smb://evil/share',
    'tel:javascript:alert(1)',
    'mailto:',
    'about:blank',
    '',
  ])('drops %s', (url) => expect(windowOpenDecision(url)).toEqual({ action: 'deny', handoff: 'none' }));
});

describe('permissionDecision', () => {
  const page = 'app://omni/index.html';

  it('gives the softphone the microphone', () => {
    expect(permissionDecision('media', page, { mediaTypes: ['audio'], isMainFrame: true })).toBe(true);
    expect(permissionDecision('media', 'app://omni', { mediaType: 'audio', isMainFrame: true })).toBe(true);
  });

  it('never gives the camera, alone or with the microphone', () => {
    expect(permissionDecision('media', page, { mediaTypes: ['video'], isMainFrame: true })).toBe(false);
    expect(permissionDecision('media', page, { mediaTypes: ['audio', 'video'], isMainFrame: true })).toBe(false);
    expect(permissionDecision('media', 'app://omni', { mediaType: 'video', isMainFrame: true })).toBe(false);
    expect(permissionDecision('media', 'app://omni', { mediaType: 'unknown', isMainFrame: true })).toBe(false);
    expect(permissionDecision('media', page, { mediaTypes: [], isMainFrame: true })).toBe(false);
    expect(permissionDecision('media', page, {})).toBe(false);
  });

  it('gives the microphone to no other origin and no subframe', () => {
    expect(permissionDecision('media', 'https://example.com/', { mediaTypes: ['audio'], isMainFrame: true })).toBe(false);
    expect(permissionDecision('media', 'app://omni.evil/', { mediaTypes: ['audio'], isMainFrame: true })).toBe(false);
    expect(permissionDecision('media', undefined, { mediaTypes: ['audio'], isMainFrame: true })).toBe(false);
    expect(permissionDecision('media', page, { mediaTypes: ['audio'], isMainFrame: false })).toBe(false);
    expect(permissionDecision('media', 'app://omni', { mediaType: 'audio', isMainFrame: true, embeddingOrigin: 'https://evil.example' })).toBe(false);
  });

  it.each([
    'notifications',
    'geolocation',
    'display-capture',
    'clipboard-read',
    'clipboard-sanitized-write',
    'fullscreen',
    'openExternal',
    'midiSysex',
    'pointerLock',
    'hid',
    'serial',
    'usb',
    'fileSystem',
    'speaker-selection',
    'window-management',
    'unknown',
  ])('refuses %s even to the workspace', (permission) => {
    expect(permissionDecision(permission, page, { mediaTypes: ['audio'], mediaType: 'audio', isMainFrame: true })).toBe(false);
  });
});

describe('configArgv', () => {
  it('passes the options after the app path when run as `electron .`', () => {
    expect(configArgv(['/x/electron', '.', '--data-dir', '/tmp/d', '--no-demo'], false)).toEqual(['--data-dir', '/tmp/d', '--no-demo']);
  });

  it('passes the options after the executable when packaged', () => {
    expect(configArgv(['C:\\Program Files\\Omni Desk\\Omni Desk.exe', '--port=4999'], true)).toEqual(['--port=4999']);
  });

  it('leaves out omni:// links and the macOS process serial number', () => {
    expect(configArgv(['/Omni Desk', 'omni://case/42', '-psn_0_12345', '--no-demo'], true)).toEqual(['--no-demo']);
  });

  it('keeps unknown options, so the configuration can say which one is wrong', () => {
    expect(configArgv(['/Omni Desk', '--colour=blue'], true)).toEqual(['--colour=blue']);
  });
});

// ------------------------------------------------------------------ IPC

function frame(url: string, ids: { processId?: number; routingId?: number; parent?: FrameLike | null } = {}): FrameLike {
  return { url, parent: ids.parent ?? null, processId: ids.processId ?? 7, routingId: ids.routingId ?? 1 };
}

function invokeEvent(webContentsId: number, senderFrame: FrameLike | null, mainFrame = frame('app://omni/index.html')): InvokeEventLike {
  return { sender: { id: webContentsId, mainFrame }, senderFrame };
}

describe('the IPC sender check', () => {
  const ours = (id: number) => id === 1;

  it('lets the main frame of our window on the app origin call the core', () => {
    const sender = senderOf(invokeEvent(1, frame('app://omni/index.html')));
    expect(sender).toEqual({ webContentsId: 1, frameUrl: 'app://omni/index.html', isMainFrame: true });
    expect(rpcSenderProblem(sender, ours)).toBeNull();
  });

  it('refuses a webContents the shell did not create', () => {
    expect(rpcSenderProblem(senderOf(invokeEvent(2, frame('app://omni/index.html'))), ours)?.code).toBe('rpc/forbidden');
  });

  it('refuses a frame that is gone', () => {
    expect(rpcSenderProblem(senderOf(invokeEvent(1, null)), ours)?.code).toBe('rpc/forbidden');
  });

  it('refuses a subframe, even one on the app origin', () => {
    const main = frame('app://omni/index.html');
    const child = frame('app://omni/index.html', { routingId: 2, parent: main });
    expect(rpcSenderProblem(senderOf(invokeEvent(1, child, main)), ours)?.code).toBe('rpc/forbidden');
  });

  it('refuses a top frame that is not the current main frame', () => {
    const stale = frame('app://omni/index.html', { processId: 3, routingId: 9 });
    expect(senderOf(invokeEvent(1, stale)).isMainFrame).toBe(false);
  });

  it.each(['https://example.com/', 'file:///index.html', 'app://omni.evil/index.html', 'about:blank', ''])(
    'refuses the main frame when it shows %s',
    (url) => {
      const main = frame(url);
      expect(rpcSenderProblem(senderOf(invokeEvent(1, main, main)), ours)?.code).toBe('rpc/forbidden');
    },
  );
});

type Handler = (event: InvokeEventLike, ...args: unknown[]) => Promise<unknown>;

function fakeIpcMain() {
  const handlers = new Map<string, Handler>();
  const ipcMain: IpcMainLike = {
    handle: (channel, listener) => void handlers.set(channel, listener),
    removeHandler: (channel) => void handlers.delete(channel),
  };
  return { ipcMain, handlers };
}

function fakeCore() {
  let listener: ((name: string, payload: unknown) => void) | null = null;
  const dispatch = vi.fn(async (method: unknown): Promise<RpcResult> => ({ ok: true, value: { called: method } }));
  const core = {
    dispatch,
    subscribe: (l: (name: string, payload: unknown) => void) => {
      listener = l;
      return () => {
        listener = null;
      };
    },
  } as unknown as Pick<Core, 'dispatch' | 'subscribe'>;
  return { core, dispatch, emit: (name: string, payload: unknown) => listener?.(name, payload), subscribed: () => listener !== null };
}

describe('bindCoreToIpc', () => {
  function setup() {
    const { ipcMain, handlers } = fakeIpcMain();
    const { core, dispatch, emit, subscribed } = fakeCore();
    const live = { isDestroyed: () => false, send: vi.fn() };
    const dead = { isDestroyed: () => true, send: vi.fn() };
    const unbind = bindCoreToIpc({ core, ipcMain, windows: { isOurs: (id) => id === 1, targets: () => [live, dead] }, log: () => {} });
    const call = (event: InvokeEventLike, method: unknown, input: unknown) => handlers.get(RPC_CHANNEL)!(event, method, input);
    return { handlers, dispatch, emit, subscribed, live, dead, unbind, call };
  }

  it('answers the workspace with the core’s envelope, marked as an IPC call', async () => {
    const { call, dispatch } = setup();
    await expect(call(invokeEvent(1, frame('app://omni/index.html')), 'appInfo', {})).resolves.toEqual({ ok: true, value: { called: 'appInfo' } });
    expect(dispatch).toHaveBeenCalledWith('appInfo', {}, { transport: 'ipc' });
  });

  it('answers a forbidden sender with rpc/forbidden and never reaches the core', async () => {
    const { call, dispatch } = setup();
    const result = (await call(invokeEvent(1, frame('https://evil.example/')), 'sendReply', { body: 'x' })) as RpcResult;
    expect(result).toMatchObject({ ok: false, error: { code: 'rpc/forbidden' } });
    expect(dispatch).not.toHaveBeenCalled();
  });

  it('turns a failure inside the binding into an envelope instead of a rejection', async () => {
    const { call, dispatch } = setup();
    dispatch.mockRejectedValueOnce(new Error('boom'));
    await expect(call(invokeEvent(1, frame('app://omni/')), 'appInfo', {})).resolves.toMatchObject({ ok: false, error: { code: 'internal' } });
  });

  it('sends core events to live windows only', () => {
    const { emit, live, dead } = setup();
    emit('queueChanged', { at: 1 });
    expect(live.send).toHaveBeenCalledWith(EVENT_CHANNEL, 'queueChanged', { at: 1 });
    expect(dead.send).not.toHaveBeenCalled();
  });

  it('unbinds the handler and the event subscription', () => {
    const { handlers, subscribed, unbind } = setup();
    expect(handlers.has(RPC_CHANNEL)).toBe(true);
    unbind();
    expect(handlers.has(RPC_CHANNEL)).toBe(false);
    expect(subscribed()).toBe(false);
  });
});

describe('the preload', () => {
  const source = fs.readFileSync(new URL('../../src/preload/index.ts', import.meta.url), 'utf8');

  it('uses the channels main listens on', () => {
    expect(source).toContain(`'${RPC_CHANNEL}'`);
    expect(source).toContain(`'${EVENT_CHANNEL}'`);
  });

  it('exposes only the generated API on window.omni', () => {
    const exposures = [...source.matchAll(/exposeInMainWorld\((.*)\);/g)].map((m) => m[1]);
    expect(exposures).toEqual(["'omni', createApi(transport)"]);
  });
});
