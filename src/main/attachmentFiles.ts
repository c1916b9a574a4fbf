// Serving a fetched email's attachments at /attachments/<sha256>, shared by the headless HTTP server
// and Electron's app:// protocol. Only hashes a stored mail names are served (the core looks them
// up); images a browser shows safely are served inline (cid: images in the email frame), everything
// else as a download with Content-Disposition, and never sniffed.
import { staticSecurityHeaders } from './staticFiles';

export interface AttachmentFile {
  /** Absolute path of the stored content. */
  path: string;
  /** As the mail declared it; only used to pick an inline image type. */
  contentType: string;
  filename: string | null;
  /** The bytes, already opened, when the file on disk is sealed (a restricted channel); serve these instead of the path. */
  content?: Buffer;
}

export const ATTACHMENT_ROUTE = '/attachments/';

/** Raster images only: SVG can carry script and is downloaded like any other file. */
const INLINE_IMAGE_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/avif', 'image/bmp']);

/** The SHA-256 a request path names (`/attachments/<64 hex>`), or null when it is not the attachment route. */
export function attachmentShaOf(pathname: string): string | null {
  if (!pathname.startsWith(ATTACHMENT_ROUTE)) return null;
  const sha = pathname.slice(ATTACHMENT_ROUTE.length).toLowerCase();
  return /^[0-9a-f]{64}$/.test(sha) ? sha : null;
}

export function isAttachmentPath(pathname: string): boolean {
  return pathname.startsWith(ATTACHMENT_ROUTE);
}

/** RFC 6266 / 5987: an ASCII fallback and the UTF-8 name. */
function contentDisposition(kind: 'inline' | 'attachment', filename: string | null): string {
  const name = (filename ?? 'attachment').replace(/[\r\n"\\/]/g, '_').slice(0, 200) || 'attachment';
  const ascii = name.replace(/[^\x20-\x7e]/g, '_');
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

/** Status-200 headers for one attachment. */
export function attachmentHeaders(file: AttachmentFile, size: number): Record<string, string> {
  const declared = file.contentType.split(';')[0]!.trim().toLowerCase();
  const inline = INLINE_IMAGE_TYPES.has(declared);
  return {
    ...staticSecurityHeaders(),
    'Content-Type': inline ? declared : 'application/octet-stream',
    'Content-Disposition': contentDisposition(inline ? 'inline' : 'attachment', file.filename),
    'Content-Length': String(size),
    'X-Content-Type-Options': 'nosniff',
    // The email frame is sandboxed without allow-same-origin (an opaque origin), so its cid: images
    // are cross-origin requests; inline images must allow that. Downloads stay same-origin.
    'Cross-Origin-Resource-Policy': inline ? 'cross-origin' : 'same-origin',
    'Cache-Control': 'private, max-age=86400',
  };
}
