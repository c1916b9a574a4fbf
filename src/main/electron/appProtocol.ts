// The app:// protocol that serves the built workspace (dist/renderer) to Electron windows: a
// privileged, standard, secure scheme with one host, so the page has a real origin (app://omni)
// that the guards can check. Files only under the root, the CSP on every response, no directory
// listings; electron itself is wired in main.ts, so everything here runs in plain Node tests.
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { CustomScheme } from 'electron';
import { contentTypeFor, resolveStaticFile, staticSecurityHeaders as baseHeaders, type PathApi } from '../staticFiles';
import { attachmentHeaders, attachmentShaOf, isAttachmentPath, type AttachmentFile } from '../attachmentFiles';

export const APP_SCHEME = 'app';
export const APP_HOST = 'omni';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/**
 * standard: a real origin, relative URLs and path normalisation; secure: treated like https
 * (secure context for getUserMedia); supportFetchAPI: the page may fetch its own assets;
 * codeCache: V8 caches the bundle between starts. No bypassCSP, no service workers, no CORS.
 */
export const APP_SCHEME_REGISTRATION: CustomScheme = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
};

/**
 * The file under `rootDir` that answers an app:// `url`, or null when the URL is not ours or its
 * path is refused by resolveStaticFile.
 */
export function resolveAppPath(rootDir: string, url: string, pathApi: PathApi = path): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (
    parsed.protocol !== `${APP_SCHEME}:` ||
    parsed.hostname.toLowerCase() !== APP_HOST ||
    parsed.port !== '' ||
    parsed.username !== '' ||
    parsed.password !== ''
  ) {
    return null;
  }
  return resolveStaticFile(rootDir, parsed.pathname, pathApi);
}

/** The path of an app:// URL on our host, or null. */
function appPathname(url: string): string | null {
  try {
    const parsed = new URL(url);
    return parsed.protocol === `${APP_SCHEME}:` && parsed.hostname.toLowerCase() === APP_HOST ? parsed.pathname : null;
  } catch {
    return null;
  }
}

function textResponse(status: number, text: string): Response {
  return new Response(text, { status, headers: { ...baseHeaders(), 'Content-Type': 'text/plain; charset=utf-8' } });
}

export interface AppProtocolOptions {
  /** dist/renderer of the app (inside app.asar when packaged; Electron's fs reads it). */
  rootDir: string;
  readFile?: (file: string) => Promise<Uint8Array>;
  log?: (line: string) => void;
  /** A fetched email's attachment by SHA-256 (the core's lookup), for app://omni/attachments/<sha256>. */
  attachment?: (sha256: string) => AttachmentFile | null;
}

/** The handler for `protocol.handle('app', …)`. */
export function createAppProtocolHandler(options: AppProtocolOptions): (request: Request) => Promise<Response> {
  const readFile = options.readFile ?? ((file: string) => fsp.readFile(file));
  const log = options.log ?? ((line: string) => console.warn(line));
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return new Response('Method not allowed', {
        status: 405,
        headers: { ...baseHeaders(), 'Content-Type': 'text/plain; charset=utf-8', Allow: 'GET, HEAD' },
      });
    }
    const pathname = appPathname(request.url);
    if (pathname !== null && isAttachmentPath(pathname)) {
      const sha = attachmentShaOf(pathname);
      const found = sha && options.attachment ? options.attachment(sha) : null;
      if (!found) return textResponse(404, 'Not found');
      let content: Uint8Array;
      try {
        content = found.content ?? (await readFile(found.path));
      } catch {
        return textResponse(404, 'Not found');
      }
      return new Response(request.method === 'HEAD' ? null : new Uint8Array(content), { status: 200, headers: attachmentHeaders(found, content.byteLength) });
    }
    const file = resolveAppPath(options.rootDir, request.url);
    if (file === null) return textResponse(404, 'Not found');
    let body: Uint8Array;
    try {
      body = await readFile(file);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'EISDIR' || code === 'ENOTDIR') return textResponse(404, 'Not found');
      log(`app:// could not read ${file}: ${(e as Error).message}`);
      return textResponse(500, 'The file could not be read');
    }
    const headers = { ...baseHeaders(), 'Content-Type': contentTypeFor(file), 'Content-Length': String(body.byteLength) };
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), { status: 200, headers });
  };
}
