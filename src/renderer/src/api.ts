// Picks how the workspace reaches the main process: the preload's API in Electron, else the
// headless WebSocket on the host that served this page. Everything else imports getApi().
// window.omni's type is declared by src/preload/api.d.ts (in the project's tsconfig).
import { createApi, type OmniApi } from '../../shared/rpc';
import { createWsTransport, type WsTransport } from './transport/wsTransport';

export interface ApiHandle {
  api: OmniApi;
  mode: 'electron' | 'headless';
  /** The WebSocket transport in headless mode; null when the preload carries the calls. */
  transport: WsTransport | null;
}

let handle: ApiHandle | null = null;

/** ws(s)://host/api on the host and port that served the page. */
export function headlessUrl(loc: Pick<Location, 'protocol' | 'host'>): string {
  return `${loc.protocol === 'https:' ? 'wss' : 'ws'}://${loc.host}/api`;
}

function pickTransport(): ApiHandle {
  if (typeof window !== 'undefined' && window.omni) return { api: window.omni, mode: 'electron', transport: null };
  const transport = createWsTransport({ url: headlessUrl(window.location) });
  return { api: createApi(transport), mode: 'headless', transport };
}

export function getApiHandle(): ApiHandle {
  handle ??= pickTransport();
  return handle;
}

export function getApi(): OmniApi {
  return getApiHandle().api;
}

/** For tests and for hosts that build their own API: replaces the picked one. */
export function installApi(api: OmniApi, transport: WsTransport | null = null): ApiHandle {
  handle = { api, mode: transport ? 'headless' : 'electron', transport };
  return handle;
}
