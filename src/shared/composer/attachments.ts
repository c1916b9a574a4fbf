// What the composer may attach to a reply: which channels take files, how many and how large in
// total, and which files are refused as dangerous (by name and by the type read from their bytes).
// Pure rules; main sniffs the bytes and applies them again before anything is stored or sent.
import type { Channel } from '../domain';
import { formatBytes, say, type Said } from '../serverErrors';

export { formatBytes };

export interface AttachmentLimit {
  /** Most files on one reply. */
  maxFiles: number;
  /** Most bytes of all files of one reply together. */
  maxTotalBytes: number;
  /** The only types taken (read from the bytes); null: any type that is not dangerous. */
  types: readonly string[] | null;
  /** Which sentences name the reply: "one email", "one chat message", "one in-app message". */
  noun: 'Email' | 'Chat' | 'InApp';
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
  email: { maxFiles: 10, maxTotalBytes: 25 * MB, types: null, noun: 'Email' },
  chat: { maxFiles: 5, maxTotalBytes: 10 * MB, types: CHAT_TYPES, noun: 'Chat' },
  in_app: { maxFiles: 5, maxTotalBytes: 10 * MB, types: CHAT_TYPES, noun: 'InApp' },
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
export function refuseAttachment(file: { name: string; size: number; sniffedType?: string | null }): Said | null {
  const name = cleanAttachmentName(file.name);
  if (file.size <= 0) return say('attachmentEmpty', { name });
  if (file.size > MAX_ATTACHMENT_BYTES) return say('attachmentTooLarge', { name, size: file.size, max: MAX_ATTACHMENT_BYTES });
  const ext = extensionOf(name);
  if (DANGEROUS_EXTENSIONS.has(ext)) return say('attachmentDangerousExtension', { name, ext });
  if (file.sniffedType && DANGEROUS_TYPES.has(file.sniffedType)) return say('attachmentDangerousType', { name, type: file.sniffedType });
  return null;
}

/** Why these files cannot go on one reply of `channel` together, or null when they can. */
export function refuseAttachmentSet(channel: Channel, files: ReadonlyArray<{ size: number; contentType: string; name: string }>): Said | null {
  if (files.length === 0) return null;
  const limit = attachmentLimit(channel);
  if (!limit) return say('attachmentsNotOnChannel');
  if (files.length > limit.maxFiles) return say('attachmentsTooMany', { max: limit.maxFiles, over: files.length - limit.maxFiles });
  const odd = limit.types ? files.find((f) => !limit.types!.includes(f.contentType)) : undefined;
  if (odd) return say(limit.noun === 'InApp' ? 'attachmentNotForInApp' : 'attachmentNotForChat', { name: odd.name });
  const total = files.reduce((a, f) => a + f.size, 0);
  if (total > limit.maxTotalBytes) return say(`attachmentsTooLarge${limit.noun}`, { total, max: limit.maxTotalBytes });
  return null;
}
