// What the shell lets in from outside, decided by pure functions over parsed URLs: where a window
// may navigate, what window.open may do, which permissions the page gets, and which command-line
// arguments reach the configuration. main.ts wires them to every webContents and session.
import { APP_HOST, APP_SCHEME } from './appProtocol';

function parse(url: unknown): URL | null {
  if (typeof url !== 'string' || url.length === 0 || url.length > 8192) return null;
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

function isAppUrl(u: URL): boolean {
  // Compared field by field: URL#origin is "null" for custom schemes, and look-alikes such as
  // app://omni.evil, app://omni@evil or app://omni:1 differ in exactly one of these fields.
  return (
    u.protocol === `${APP_SCHEME}:` &&
    u.hostname.toLowerCase() === APP_HOST &&
    u.port === '' &&
    u.username === '' &&
    u.password === ''
  );
}

/** True for URLs (or the origin string) on exactly app://omni, the workspace's own origin. */
export function isAppOrigin(url: unknown): boolean {
  const u = parse(url);
  return u !== null && isAppUrl(u);
}

export type NavigationDecision = 'allow' | 'prevent';

/** A window stays on the workspace: any navigation off the app origin is prevented. */
export function navigationDecision(url: unknown): NavigationDecision {
  return isAppOrigin(url) ? 'allow' : 'prevent';
}

/**
 * A frame inside the page may also show exactly `about:srcdoc`: the sandboxed frames that display
 * HTML email (no scripts, their own CSP). Nothing else, and never for the main frame.
 */
export function frameNavigationDecision(url: unknown, isMainFrame: boolean): NavigationDecision {
  if (!isMainFrame && url === 'about:srcdoc') return 'allow';
  return navigationDecision(url);
}

function isPhoneNumber(encoded: string): boolean {
  try {
    return /^\+?[\d\s().-]{3,32}$/.test(decodeURIComponent(encoded));
  } catch {
    return false;
  }
}

/** The shell never opens a second window for the page; what happens to the URL instead. */
export type WindowOpenDecision =
  | { action: 'deny'; handoff: 'browser'; url: string }
  | { action: 'deny'; handoff: 'mailto' | 'tel'; url: string }
  | { action: 'deny'; handoff: 'none' };

/**
 * window.open and target=_blank links: https pages go to the user's browser (shell.openExternal),
 * mailto: and tel: go to the app's own handlers (composer, softphone); everything else — http,
 * file, data, javascript, custom schemes, https with credentials — is dropped.
 */
export function windowOpenDecision(url: unknown): WindowOpenDecision {
  const u = parse(url);
  if (u === null) return { action: 'deny', handoff: 'none' };
  if (u.protocol === 'https:' && u.hostname !== '' && u.username === '' && u.password === '') {
    return { action: 'deny', handoff: 'browser', url: u.href };
  }
  if (u.protocol === 'mailto:' && u.pathname !== '') return { action: 'deny', handoff: 'mailto', url: u.href };
  if (u.protocol === 'tel:' && isPhoneNumber(u.pathname)) return { action: 'deny', handoff: 'tel', url: u.href };
  return { action: 'deny', handoff: 'none' };
}

/** The parts of Electron's permission request and check details the decision reads. */
export interface PermissionDetails {
  /** Permission requests: what getUserMedia asks for. */
  mediaTypes?: readonly string[] | undefined;
  /** Permission checks: the one kind of device checked. */
  mediaType?: string | undefined;
  isMainFrame?: boolean | undefined;
  /** Set for cross-origin subframes. */
  embeddingOrigin?: string | undefined;
}

/**
 * The softphone needs the microphone and nothing else: 'media' for audio only, asked by the
 * workspace's main frame on the app origin. Camera, screen, notifications, geolocation,
 * clipboard, devices, fullscreen, openExternal… are all refused.
 */
export function permissionDecision(permission: string, requestingUrl: string | null | undefined, details: PermissionDetails = {}): boolean {
  if (permission !== 'media') return false;
  if (!isAppOrigin(requestingUrl)) return false;
  if (details.isMainFrame === false) return false;
  if (details.embeddingOrigin !== undefined && !isAppOrigin(details.embeddingOrigin)) return false;
  if (details.mediaTypes !== undefined) {
    return details.mediaTypes.length > 0 && details.mediaTypes.every((t) => t === 'audio');
  }
  return details.mediaType === 'audio';
}

/**
 * The arguments for loadConfig: Electron's own (the executable, and the app path when run as
 * `electron .`) are skipped, and so are the omni:, tel: and mailto: links the OS starts the app
 * with and the process serial number old macOS adds — they are not options, and config rejects
 * unknown ones.
 */
export function configArgv(argv: readonly string[], isPackaged: boolean): string[] {
  return argv.slice(isPackaged ? 1 : 2).filter((arg) => !/^(omni|tel|mailto):/i.test(arg) && !arg.startsWith('-psn_'));
}
