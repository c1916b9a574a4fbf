// Serving the built workspace from disk, shared by the headless HTTP server and Electron's app://
// protocol: which file a request path names (never one outside the root), its type, and the
// security headers every response carries.
import path from 'node:path';
import { contentSecurityPolicy } from '../shared/csp';

export type PathApi = Pick<typeof path, 'resolve' | 'relative' | 'isAbsolute' | 'extname' | 'sep'>;

/** Segments that could leave the root or name something other than a plain file on some OS. */
function isSafeSegment(segment: string): boolean {
  return (
    segment.length > 0 &&
    // dot-files, "." and ".." (also when they arrived percent-encoded)
    !segment.startsWith('.') &&
    // separators, Windows drive and stream syntax, control characters
    // eslint-disable-next-line no-control-regex
    !/[/\\:\u0000-\u001f]/.test(segment) &&
    // Windows device names answer under any directory and with any extension
    !/^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$/i.test(segment)
  );
}

/**
 * The file under `rootDir` that answers a URL path (still percent-encoded), or null when the path
 * tries to leave the root or names something that is not a plain file. A path without an extension
 * is a route of the single-page app and gets index.html; whether the file exists is the caller's
 * question (a missing file is a 404).
 */
export function resolveStaticFile(rootDir: string, urlPathname: string, pathApi: PathApi = path): string | null {
  const segments: string[] = [];
  for (const raw of urlPathname.split('/')) {
    if (raw === '') continue;
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return null;
    }
    if (!isSafeSegment(segment)) return null;
    segments.push(segment);
  }
  const last = segments[segments.length - 1];
  if (last === undefined || pathApi.extname(last) === '') segments.splice(0, segments.length, 'index.html');

  const root = pathApi.resolve(rootDir);
  const file = pathApi.resolve(root, ...segments);
  const relative = pathApi.relative(root, file);
  if (relative === '' || relative.startsWith('..') || pathApi.isAbsolute(relative)) return null;
  return file;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.wav': 'audio/wav',
  '.mp3': 'audio/mpeg',
  '.ogg': 'audio/ogg',
  '.webm': 'audio/webm',
  '.wasm': 'application/wasm',
};

export function contentTypeFor(file: string): string {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/** Headers on every response of the workspace, errors included. */
/** `voiceSignaling`: the softphone's signaling origin (default Twilio's). */
export function staticSecurityHeaders(csp: { voiceSignaling?: string } = {}): Record<string, string> {
  return {
    'Content-Security-Policy': contentSecurityPolicy(csp),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Permissions-Policy': 'camera=(), geolocation=(), microphone=(self)',
    'Cache-Control': 'no-cache',
  };
}

