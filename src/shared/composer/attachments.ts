// What the composer may attach to a reply: which channels take files, how many and how large in
// total, and which files are refused as dangerous (by name and by the type read from their bytes).
// Pure rules; main sniffs the bytes and applies them again before anything is stored or sent.
import type { Channel } from '../domain';

export interface AttachmentLimit {
  /** Most files on one reply. */
  maxFiles: number;
  /** Most bytes of all files of one reply together. */
  maxTotalBytes: number;
  /** The only types taken (read from the bytes); null: any type that is not dangerous. */
  types: readonly string[] | null;
  /** "one email", "one chat message": for the sentences. */
  noun: string;
}

const MB = 1024 * 1024;

/** What the hub's widget takes by default (its `allowedUploadTypes`, `maxUploadBytes`). */
const CHAT_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'application/pdf'];

/**
 * Channels whose replies carry files. Email: 25 MB together (what Gmail and Microsoft 365 accept
 * from a sender). Website and in-app chat: through the hub's widget uploads (pictures and PDF, 10 MB).
 * Others (SMS, social): none; the composer does not offer the button.
 */
export const ATTACHMENT_LIMITS: Partial<Record<Channel, AttachmentLimit>> = {
  email: { maxFiles: 10, maxTotalBytes: 25 * MB, types: null, noun: 'one email' },
  chat: { maxFiles: 5, maxTotalBytes: 10 * MB, types: CHAT_TYPES, noun: 'one chat message' },
  in_app: { maxFiles: 5, maxTotalBytes: 10 * MB, types: CHAT_TYPES, noun: 'one in-app message' },
};

/** The largest single file the composer stages (the largest total of any channel). */
export const MAX_ATTACHMENT_BYTES = 25 * MB;
/** Bytes per staged chunk: a chunk in base64 fits well inside one 1 MiB transport frame. */
export const ATTACHMENT_CHUNK_BYTES = 512 * 1024;

export function attachmentLimit(channel: Channel): AttachmentLimit | null {
  return ATTACHMENT_LIMITS[channel] ?? null;
}

/**
 * Names that run code when opened (Windows, macOS, Linux, scripts, shortcuts, installers, Office
 * macro formats). Mail providers refuse these; so does the composer.
 */
const DANGEROUS_EXTENSIONS = new Set([
  'ade', 'adp', 'apk', 'app', 'appx', 'bat', 'cab', 'chm', 'cmd', 'com', 'cpl', 'dll', 'dmg', 'docm', 'exe', 'hta', 'inf', 'ins', 'isp',
  'iso', 'jar', 'js', 'jse', 'ksh', 'lib', 'lnk', 'mde', 'msc', 'msi', 'msix', 'msp', 'mst', 'nsh', 'pif', 'ps1', 'psm1', 'reg', 'scr',
  'sct', 'sh', 'shb', 'sys', 'vb', 'vbe', 'vbs', 'vxd', 'wsc', 'wsf', 'wsh', 'xlsm', 'pptm', 'command', 'run', 'bin', 'elf', 'deb', 'rpm',
]);

/** Types file-type reports for executables, installers and disk images, whatever the file is named. */
const DANGEROUS_TYPES = new Set([
  'application/x-msdownload',
  'application/x-dosexec',
  'application/vnd.microsoft.portable-executable',
  'application/x-elf',
  'application/x-mach-binary',
  'application/x-msi',
  'application/x-ms-installer',
  'application/java-archive',
  'application/x-apple-diskimage',
  'application/x-iso9660-image',
  'application/vnd.android.package-archive',
  'application/x-sh',
  'application/x-shellscript',
  'application/x-deb',
  'application/x-rpm',
  'application/x-ms-shortcut',
  'application/x-bat',
]);

/** The lowercase extension of a file name ("" when it has none). */
export function extensionOf(name: string): string {
  const base = name.replace(/\\/g, '/').split('/').pop() ?? '';
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot + 1).trim().toLowerCase() : '';
}

/** Text formats have no byte signature; their type comes from the name. Everything else unknown is octet-stream. */
const TEXT_TYPES: Record<string, string> = {
  txt: 'text/plain', log: 'text/plain', csv: 'text/csv', tsv: 'text/tab-separated-values', md: 'text/markdown', json: 'application/json',
  xml: 'application/xml', ics: 'text/calendar', vcf: 'text/vcard', yaml: 'text/plain', yml: 'text/plain',
};

/** The type of a file whose bytes file-type did not recognise. */
export function typeForUnsniffed(name: string): string {
  return TEXT_TYPES[extensionOf(name)] ?? 'application/octet-stream';
}

/** "312 KB", "4.5 MB". */
export function formatBytes(bytes: number): string {
  if (bytes >= MB) {
    const mb = bytes / MB;
    return `${Number.isInteger(mb) ? mb : mb.toFixed(1)} MB`;
  }
  return `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

/** A file name safe to show and to put in a MIME header: no path, no control characters, at most 200 characters. */
export function cleanAttachmentName(name: string): string {
  const base = name.replace(/\\/g, '/').split('/').pop() ?? '';
  // eslint-disable-next-line no-control-regex
  const clean = base.replace(/[\u0000-\u001f\u007f"]/g, '').trim().slice(0, 200);
  return clean || 'attachment';
}

/**
 * Why this file cannot be attached, or null when it can. `sniffedType` is what the bytes are
 * (file-type), null when they match no known signature (text, CSV, …); unknown is allowed.
 */
export function refuseAttachment(file: { name: string; size: number; sniffedType?: string | null }): string | null {
  const name = cleanAttachmentName(file.name);
  if (file.size <= 0) return `“${name}” is empty; there is nothing to attach.`;
  if (file.size > MAX_ATTACHMENT_BYTES) return `“${name}” is ${formatBytes(file.size)}; a file can be at most ${formatBytes(MAX_ATTACHMENT_BYTES)}.`;
  const ext = extensionOf(name);
  if (DANGEROUS_EXTENSIONS.has(ext)) {
    return `“${name}” is a .${ext} file, which can run programs when opened; such files are not sent. Put it in a shared folder and send the link instead.`;
  }
  if (file.sniffedType && DANGEROUS_TYPES.has(file.sniffedType)) {
    return `“${name}” is a program or installer (${file.sniffedType}), whatever its name says; such files are not sent. Put it in a shared folder and send the link instead.`;
  }
  return null;
}

/** Why these files cannot go on one reply of `channel` together, or null when they can. */
export function refuseAttachmentSet(channel: Channel, files: ReadonlyArray<{ size: number; contentType: string; name: string }>): string | null {
  if (files.length === 0) return null;
  const limit = attachmentLimit(channel);
  if (!limit) return `Files cannot be sent on this channel; only email and chat replies carry attachments.`;
  if (files.length > limit.maxFiles) return `At most ${limit.maxFiles} files can go on one reply; remove ${files.length - limit.maxFiles}.`;
  const odd = limit.types ? files.find((f) => !limit.types!.includes(f.contentType)) : undefined;
  if (odd) return `“${odd.name}” cannot go in ${limit.noun}: chats take pictures (PNG, JPEG, GIF, WebP) and PDF files. Send it by email instead.`;
  const total = files.reduce((a, f) => a + f.size, 0);
  if (total > limit.maxTotalBytes) {
    return `The attachments add up to ${formatBytes(total)}; ${limit.noun} can carry at most ${formatBytes(limit.maxTotalBytes)}. Remove some, or share a link instead.`;
  }
  return null;
}
