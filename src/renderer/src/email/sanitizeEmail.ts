// Makes received HTML email safe to show: DOMPurify (HTML profile only: no SVG or MathML, no
// scripts, handlers, forms, frames or media) plus our URL policy — links open outside with no
// referrer, cid: images point at the app, and remote resources (img src/srcset, background, CSS
// url() in style attributes and <style>, stylesheets) are left out unless the agent allowed remote
// content for this sender, with a count for the "Remote images blocked (N)" bar. The CSS work is
// done on tokens, so escapes cannot hide a url(). The frame's CSP (emailFrameCsp) is the second
// line: whatever this misses still cannot load. The pure helpers below run without a DOM.
import DOMPurify, { type WindowLike } from 'dompurify';

export interface UrlPolicy {
  allowRemote: boolean;
  /** The app URL serving the part with this Content-ID (without angle brackets), or null. */
  resolveCid: (cid: string) => string | null;
  /** The origin allowed to serve cid images (the workspace's own); cid URLs elsewhere are refused. */
  appOrigin: string | null;
}

export interface SanitizeEmailOptions extends UrlPolicy {
  /** The window whose DOMParser parses the email; the renderer's own by default. */
  window?: WindowLike;
}

export interface SanitizedEmail {
  /** The email's <style> elements, for the frame's <head>. */
  head: string;
  /** The <body> start tag with its sanitized attributes (bgcolor, style…). */
  bodyTag: string;
  /** The body's sanitized markup. */
  body: string;
  /** Remote resources left out because remote content is not allowed for this sender. */
  blockedRemote: number;
  /** A height that shows most short emails whole; longer ones scroll inside the frame. */
  estimatedHeight: number;
}

// ------------------------------------------------------------------ URLs

export type UrlKind = 'remote' | 'data-image' | 'cid' | 'mailto' | 'tel' | 'relative' | 'other';

/** A placeholder where a remote image was: a light grey box, so the layout keeps its shape. */
export const BLOCKED_IMAGE_SRC =
  "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' width='16' height='16'%3E%3Crect width='16' height='16' fill='%23e8eaed'/%3E%3C/svg%3E";

/** What a browser would do with this URL: tabs and newlines vanish, C0 and spaces are trimmed. */
export function classifyUrl(raw: string): { kind: UrlKind; url: string } {
  // eslint-disable-next-line no-control-regex -- browsers strip these from URLs, so must we
  const url = raw.replace(/[\t\n\r]/g, '').replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, '');
  if (url.startsWith('//') || url.startsWith('\\\\') || url.startsWith('/\\') || url.startsWith('\\/')) {
    return { kind: 'remote', url: `https:${url.replace(/\\/g, '/')}` };
  }
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
  if (scheme === undefined) return { kind: 'relative', url };
  if (scheme === 'http' || scheme === 'https') return { kind: 'remote', url };
  if (scheme === 'cid') return { kind: 'cid', url };
  if (scheme === 'mailto') return { kind: 'mailto', url };
  if (scheme === 'tel') return { kind: 'tel', url };
  if (scheme === 'data' && /^data:image\/(png|gif|jpe?g|webp|avif|bmp|x-icon|vnd\.microsoft\.icon|svg\+xml)[;,]/i.test(url)) return { kind: 'data-image', url };
  return { kind: 'other', url };
}

/** `${scheme}://${host}` of an absolute URL, computed by hand: URL#origin is "null" for app://. */
function originOf(url: string): string | null {
  const m = /^([a-z][a-z0-9+.-]*):\/\/([^/?#\s]+)/i.exec(url);
  return m ? `${m[1]!.toLowerCase()}://${m[2]!.toLowerCase()}` : null;
}

/** The app URL for a cid: reference, when resolveCid names one on the app's own origin. */
export function cidImageUrl(cidUrl: string, policy: Pick<UrlPolicy, 'resolveCid' | 'appOrigin'>): string | null {
  let cid = cidUrl.replace(/^cid:/i, '');
  try {
    cid = decodeURIComponent(cid);
  } catch {
    // keep it as written
  }
  cid = cid.replace(/^<|>$/g, '').trim();
  if (cid === '') return null;
  let resolved: string | null;
  try {
    resolved = policy.resolveCid(cid);
  } catch {
    return null;
  }
  if (typeof resolved !== 'string' || resolved === '') return null;
  if (/^data:image\//i.test(resolved)) return resolved;
  if (policy.appOrigin === null) return null;
  const absolute = /^[a-z][a-z0-9+.-]*:/i.test(resolved) ? resolved : `${policy.appOrigin.replace(/\/+$/, '')}/${resolved.replace(/^\/+/, '')}`;
  return originOf(absolute) === policy.appOrigin.toLowerCase().replace(/\/+$/, '') ? absolute : null;
}

type ImageDecision = { action: 'keep'; url: string } | { action: 'block-remote' } | { action: 'drop' };

/** Where an image URL (img src, background, CSS url()) may point. */
export function decideImage(raw: string, policy: UrlPolicy): ImageDecision {
  const { kind, url } = classifyUrl(raw);
  if (kind === 'data-image') return { action: 'keep', url };
  if (kind === 'cid') {
    const resolved = cidImageUrl(url, policy);
    return resolved === null ? { action: 'drop' } : { action: 'keep', url: resolved };
  }
  if (kind === 'remote') return policy.allowRemote ? { action: 'keep', url } : { action: 'block-remote' };
  return { action: 'drop' };
}

/** Where a link may go: the web (in the browser, no referrer), mail and phone; nothing else. */
export function safeLinkHref(raw: string): string | null {
  const { kind, url } = classifyUrl(raw);
  return kind === 'remote' || kind === 'mailto' || kind === 'tel' ? url : null;
}

/** srcset candidates (URL plus descriptor), following the HTML parsing rules closely enough. */
export function parseSrcset(value: string): { url: string; descriptor: string }[] {
  const out: { url: string; descriptor: string }[] = [];
  let i = 0;
  while (i < value.length) {
    while (i < value.length && /[\s,]/.test(value[i]!)) i++;
    if (i >= value.length) break;
    let url = '';
    while (i < value.length && !/\s/.test(value[i]!)) url += value[i++];
    let descriptor = '';
    if (url.endsWith(',')) {
      url = url.replace(/,+$/, '');
    } else {
      let depth = 0;
      while (i < value.length) {
        const ch = value[i]!;
        if (ch === '(') depth++;
        else if (ch === ')') depth = Math.max(0, depth - 1);
        else if (ch === ',' && depth === 0) {
          i++;
          break;
        }
        descriptor += ch;
        i++;
      }
    }
    if (url) out.push({ url, descriptor: descriptor.trim() });
  }
  return out;
}

/** A srcset with only the candidates the policy keeps, or null (and a blocked count) when none may load. */
export function rewriteSrcset(value: string, policy: UrlPolicy): { srcset: string | null; blocked: number } {
  const kept: string[] = [];
  let blocked = 0;
  for (const c of parseSrcset(value)) {
    const d = decideImage(c.url, policy);
    if (d.action === 'keep') kept.push(`${d.url.replace(/[\s,]/g, encodeURIComponent)}${c.descriptor ? ` ${c.descriptor}` : ''}`);
    else if (d.action === 'block-remote') blocked = 1;
  }
  return { srcset: kept.length > 0 ? kept.join(', ') : null, blocked };
}

// ------------------------------------------------------------------ CSS

/** Functions whose string arguments are URLs. */
const URL_STRING_FUNCTIONS = new Set(['image-set', '-webkit-image-set', 'image', 'cross-fade', '-webkit-cross-fade', 'src']);

function isHex(ch: string | undefined): boolean {
  return ch !== undefined && /[0-9a-f]/i.test(ch);
}

function isNameChar(ch: string | undefined): boolean {
  return ch !== undefined && (/[a-z0-9_-]/i.test(ch) || ch.charCodeAt(0) >= 0x80);
}

/** Reads a CSS escape at css[i] === '\\'; returns the character and the index after it. */
function readEscape(css: string, i: number): { ch: string; next: number } {
  let j = i + 1;
  if (j >= css.length) return { ch: '\ufffd', next: j };
  if (isHex(css[j])) {
    let hex = '';
    while (hex.length < 6 && isHex(css[j])) hex += css[j++];
    if (css[j] === '\r' && css[j + 1] === '\n') j += 2;
    else if (css[j] !== undefined && /[ \t\n\r\f]/.test(css[j]!)) j++;
    const cp = parseInt(hex, 16);
    return { ch: cp === 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) ? '\ufffd' : String.fromCodePoint(cp), next: j };
  }
  return { ch: css[j]!, next: j + 1 };
}

/** An identifier at css[i]: its decoded name and the index after it (escapes decoded). */
function readName(css: string, i: number): { name: string; next: number } {
  let name = '';
  let j = i;
  while (j < css.length) {
    const ch = css[j];
    if (isNameChar(ch)) {
      name += ch;
      j++;
    } else if (ch === '\\' && css[j + 1] !== '\n' && css[j + 1] !== '\r' && css[j + 1] !== '\f') {
      const e = readEscape(css, j);
      name += e.ch;
      j = e.next;
    } else break;
  }
  return { name, next: j };
}

function startsName(css: string, i: number): boolean {
  const ch = css[i];
  if (ch === undefined) return false;
  if (/[a-z_]/i.test(ch) || ch.charCodeAt(0) >= 0x80) return true;
  if (ch === '\\') return css[i + 1] !== '\n' && css[i + 1] !== undefined;
  if (ch === '-') return startsName(css, i + 1) || css[i + 1] === '-';
  return false;
}

/** A string token at css[i] (a quote): its value and the index after it; a newline ends it (bad string). */
function readString(css: string, i: number): { value: string; next: number } {
  const quote = css[i];
  let value = '';
  let j = i + 1;
  while (j < css.length) {
    const ch = css[j]!;
    if (ch === quote) return { value, next: j + 1 };
    if (ch === '\n' || ch === '\r' || ch === '\f') return { value, next: j };
    if (ch === '\\') {
      if (css[j + 1] === '\n' || css[j + 1] === '\f') {
        j += 2;
        continue;
      }
      if (css[j + 1] === '\r') {
        j += css[j + 2] === '\n' ? 3 : 2;
        continue;
      }
      const e = readEscape(css, j);
      value += e.ch;
      j = e.next;
      continue;
    }
    value += ch;
    j++;
  }
  return { value, next: j };
}

/** The argument of url( starting at css[i] (just after the parenthesis): its value and the index after ")". */
function readUrlArgument(css: string, i: number): { value: string; next: number; bad: boolean } {
  let j = i;
  while (j < css.length && /[ \t\n\r\f]/.test(css[j]!)) j++;
  if (css[j] === '"' || css[j] === "'") {
    const s = readString(css, j);
    j = s.next;
    while (j < css.length && /[ \t\n\r\f]/.test(css[j]!)) j++;
    if (css[j] === ')') return { value: s.value, next: j + 1, bad: false };
    // Anything else before ")" makes it an invalid function: skip to the closing parenthesis.
    const close = css.indexOf(')', j);
    return { value: s.value, next: close === -1 ? css.length : close + 1, bad: true };
  }
  let value = '';
  let bad = false;
  while (j < css.length) {
    const ch = css[j]!;
    if (ch === ')') return { value, next: j + 1, bad };
    if (ch === '\\') {
      const e = readEscape(css, j);
      value += e.ch;
      j = e.next;
      continue;
    }
    if (/[ \t\n\r\f]/.test(ch)) {
      while (j < css.length && /[ \t\n\r\f]/.test(css[j]!)) j++;
      if (css[j] === ')') return { value, next: j + 1, bad };
      bad = true;
      continue;
    }
    if (ch === '"' || ch === "'" || ch === '(') bad = true;
    value += ch;
    j++;
  }
  return { value, next: j, bad };
}

/** A CSS string literal that is safe inside a <style> element and an attribute. */
export function cssString(value: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are escaped, not kept raw
  return `"${value.replace(/[\\"<>&\n\r\f\u0000-\u001f\u007f]/g, (ch) => `\\${ch.charCodeAt(0).toString(16)} `)}"`;
}

const BLOCKED_CSS_URL = 'url("data:,")';

/**
 * Rewrites every URL in a style sheet or a style attribute: url(), src(), string URLs inside
 * image-set() and friends, and @import rules (always removed: the frame never loads style sheets).
 * Kept URLs are re-serialized as quoted strings; blocked ones become an empty data: URL. Comments
 * are dropped. Returns the CSS and how many remote URLs were blocked.
 */
export function rewriteCss(css: string, policy: UrlPolicy): { css: string; blocked: number } {
  let out = '';
  let blocked = 0;
  let i = 0;
  /** Depth of parentheses at which a URL-string function started, or -1. */
  const urlFunctionDepths: number[] = [];
  let depth = 0;

  /** The URL as a CSS string when it may load, else null (a remote one counted as blocked). */
  const imageUrl = (raw: string): string | null => {
    const d = decideImage(raw, policy);
    if (d.action === 'keep') return cssString(d.url);
    if (d.action === 'block-remote') blocked++;
    return null;
  };

  while (i < css.length) {
    const ch = css[i]!;
    if (ch === '/' && css[i + 1] === '*') {
      const end = css.indexOf('*/', i + 2);
      i = end === -1 ? css.length : end + 2;
      out += ' ';
      continue;
    }
    if (ch === '"' || ch === "'") {
      const s = readString(css, i);
      if (urlFunctionDepths.length > 0) {
        out += imageUrl(s.value) ?? '"data:,"';
      } else if (!policy.allowRemote && classifyUrl(s.value).kind === 'remote') {
        // A remote URL in a plain string can still reach image-set() through var(): blank it.
        blocked++;
        out += '""';
      } else {
        out += cssString(s.value);
      }
      i = s.next;
      continue;
    }
    if (ch === '@') {
      const { name, next } = readName(css, i + 1);
      if (name.toLowerCase() === 'import') {
        // Drop the whole rule, counting a remote target as blocked.
        let j = next;
        let target = '';
        while (j < css.length && css[j] !== ';') {
          if (css[j] === '"' || css[j] === "'") {
            const s = readString(css, j);
            target ||= s.value;
            j = s.next;
          } else if (/^url\(/i.test(css.slice(j, j + 4))) {
            const u = readUrlArgument(css, j + 4);
            target ||= u.value;
            j = u.next;
          } else j++;
        }
        if (!policy.allowRemote && classifyUrl(target).kind === 'remote') blocked++;
        i = j + 1;
        continue;
      }
      out += css.slice(i, next);
      i = next;
      continue;
    }
    if (ch === '\\' || startsName(css, i)) {
      const { name, next } = readName(css, i);
      if (next === i) {
        out += ch;
        i++;
        continue;
      }
      const lower = name.toLowerCase();
      if (css[next] === '(') {
        if (lower === 'url') {
          const u = readUrlArgument(css, next + 1);
          // An invalid url() loads nothing in a browser either; it is replaced all the same.
          const kept = u.bad ? null : imageUrl(u.value);
          out += kept === null ? BLOCKED_CSS_URL : `url(${kept})`;
          i = u.next;
          continue;
        }
        if (URL_STRING_FUNCTIONS.has(lower)) urlFunctionDepths.push(depth);
        depth++;
        out += `${lower === 'src' ? 'src' : css.slice(i, next)}(`;
        i = next + 1;
        continue;
      }
      out += css.slice(i, next);
      i = next;
      continue;
    }
    if (ch === '(') depth++;
    if (ch === ')') {
      depth = Math.max(0, depth - 1);
      if (urlFunctionDepths.length > 0 && urlFunctionDepths[urlFunctionDepths.length - 1] === depth) urlFunctionDepths.pop();
    }
    // "<" only appears in CSS by mistake; escaped, it can never close the <style> element.
    out += ch === '<' ? '\\3c ' : ch;
    i++;
  }
  return { css: out, blocked };
}

// ------------------------------------------------------------------ the frame document

export const DEFAULT_REMOTE_SOURCES: readonly string[] = Object.freeze(['https:']);

/** A CSP source expression we are willing to write into the policy. */
function isSafeSource(source: string): boolean {
  return /^([a-z][a-z0-9+.-]*:(\/\/[a-z0-9.-]+(:\d{1,5})?|\/\/\[[0-9a-f:.]+\](:\d{1,5})?)?)$/i.test(source);
}

/**
 * The policy inside the email frame: nothing loads but data: and cid images from the app's own
 * origin, remote images only when allowed, inline styles, data: fonts. No scripts, frames, forms.
 */
export function emailFrameCsp(options: { allowRemote: boolean; appOrigin: string | null; remoteSources?: readonly string[] }): string {
  const img = ['data:'];
  if (options.appOrigin && isSafeSource(options.appOrigin)) img.push(options.appOrigin);
  if (options.allowRemote) img.push(...(options.remoteSources ?? DEFAULT_REMOTE_SOURCES).filter(isSafeSource));
  return [`default-src 'none'`, `img-src ${img.join(' ')}`, `style-src 'unsafe-inline'`, `font-src data:`, `base-uri 'none'`, `form-action 'none'`].join('; ');
}

const FRAME_CSS =
  'html{color-scheme:light}body{margin:0;padding:12px 16px;font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2328;background:#fff;overflow-wrap:anywhere}' +
  'img{max-width:100%;height:auto}table{max-width:100%}pre{white-space:pre-wrap}blockquote{margin:0 0 0 .8em;padding-left:.8em;border-left:3px solid #d0d7de;color:#57606a}';

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * The srcdoc of the email frame. The CSP <meta> comes first so it covers everything after it;
 * no referrer leaves with an allowed image, no DNS is prefetched for links, links open outside.
 */
export function buildEmailSrcdoc(email: Pick<SanitizedEmail, 'head' | 'bodyTag' | 'body'>, csp: string): string {
  return (
    '<!DOCTYPE html><html><head>' +
    `<meta http-equiv="Content-Security-Policy" content="${escapeAttribute(csp)}">` +
    '<meta charset="utf-8"><meta name="referrer" content="no-referrer"><meta http-equiv="x-dns-prefetch-control" content="off">' +
    `<base target="_blank"><style>${FRAME_CSS}</style>${email.head}</head>${email.bodyTag}${email.body}</body></html>`
  );
}

/** A frame height from what the email holds: text, block breaks and images; clamped. */
export function estimateHeight(stats: { textChars: number; blocks: number; images: number }, min = 96, max = 640): number {
  const lines = stats.blocks + Math.ceil(stats.textChars / 90);
  return Math.round(Math.min(max, Math.max(min, 32 + lines * 21 + stats.images * 120)));
}

// ------------------------------------------------------------------ the sanitizer (needs a DOM)

const FORBID_TAGS = [
  'form', 'input', 'button', 'select', 'option', 'optgroup', 'textarea', 'datalist', 'output',
  'audio', 'video', 'source', 'track', 'picture', 'canvas', 'template', 'slot', 'dialog', 'content', 'shadow', 'element', 'decorator',
  'link', 'meta', 'base', 'iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'portal', 'noscript', 'script', 'svg', 'math',
];
const FORBID_ATTR = ['ping', 'download', 'action', 'formaction', 'srcdoc', 'autofocus', 'popover', 'popovertarget', 'popovertargetaction', 'command', 'commandfor', 'autoplay', 'poster', 'integrity', 'nonce', 'crossorigin', 'is'];

const BLOCK_TAGS = new Set(['P', 'DIV', 'BR', 'TR', 'LI', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'BLOCKQUOTE', 'PRE', 'HR', 'TABLE']);

/** Sanitizes one HTML email for EmailFrame. Throws only when there is no DOM to parse with. */
export function sanitizeEmail(html: string, options: SanitizeEmailOptions): SanitizedEmail {
  const win = options.window ?? window;
  const purify = DOMPurify(win);
  if (!purify.isSupported) throw new Error('HTML email needs a DOM to be sanitized.');
  const policy: UrlPolicy = { allowRemote: options.allowRemote, resolveCid: options.resolveCid, appOrigin: options.appOrigin };
  let blocked = 0;

  purify.addHook('uponSanitizeElement', (node, data) => {
    // <link rel=stylesheet> is always removed; a remote one counts as blocked content.
    if (data.tagName === 'link' && node.nodeType === 1) {
      const el = node as Element;
      if (/\bstylesheet\b/i.test(el.getAttribute('rel') ?? '') && !policy.allowRemote && classifyUrl(el.getAttribute('href') ?? '').kind === 'remote') blocked++;
    }
  });

  purify.addHook('afterSanitizeAttributes', (node) => {
    if (node.nodeType !== 1) return;
    const el = node as Element;
    const tag = el.nodeName.toLowerCase();

    const style = el.getAttribute('style');
    if (style !== null) {
      const r = rewriteCss(style, policy);
      blocked += r.blocked;
      if (r.css.trim()) el.setAttribute('style', r.css);
      else el.removeAttribute('style');
    }

    const background = el.getAttribute('background');
    if (background !== null) {
      const d = decideImage(background, policy);
      if (d.action === 'keep') el.setAttribute('background', d.url);
      else {
        if (d.action === 'block-remote') blocked++;
        el.removeAttribute('background');
      }
    }

    if (tag === 'img') {
      const src = el.getAttribute('src');
      const srcset = el.getAttribute('srcset');
      let remoteBlocked = false;
      if (srcset !== null) {
        const r = rewriteSrcset(srcset, policy);
        if (r.blocked) remoteBlocked = true;
        if (r.srcset) el.setAttribute('srcset', r.srcset);
        else el.removeAttribute('srcset');
      }
      el.removeAttribute('sizes');
      const d = src === null ? null : decideImage(src, policy);
      if (d?.action === 'keep') {
        el.setAttribute('src', d.url);
      } else {
        if (d?.action === 'block-remote') remoteBlocked = true;
        if (src !== null || remoteBlocked) el.setAttribute('src', BLOCKED_IMAGE_SRC);
      }
      if (remoteBlocked) blocked++;
      el.setAttribute('referrerpolicy', 'no-referrer');
    }

    if (tag === 'a' || tag === 'area') {
      const href = el.getAttribute('href');
      const safe = href === null ? null : safeLinkHref(href);
      if (safe === null) el.removeAttribute('href');
      else el.setAttribute('href', safe);
      el.setAttribute('target', '_blank');
      el.setAttribute('rel', 'noopener noreferrer');
    }
  });

  const root = purify.sanitize(html, {
    WHOLE_DOCUMENT: true,
    RETURN_DOM: true,
    USE_PROFILES: { html: true },
    FORBID_TAGS,
    FORBID_ATTR,
    ALLOW_DATA_ATTR: false,
    ALLOW_UNKNOWN_PROTOCOLS: false,
    KEEP_CONTENT: true,
  }) as HTMLElement;

  // <style> elements: their text is CSS, rewritten like style attributes.
  for (const el of Array.from(root.querySelectorAll('style'))) {
    const r = rewriteCss(el.textContent ?? '', policy);
    blocked += r.blocked;
    el.textContent = r.css;
  }

  const doc = root.ownerDocument;
  const headEl = root.querySelector('head');
  const bodyEl = root.querySelector('body') ?? doc.body;
  const head = headEl ? Array.from(headEl.querySelectorAll('style')).map((s) => s.outerHTML).join('') : '';
  const attributes = bodyEl ? Array.from(bodyEl.attributes).map((a) => ` ${a.name}="${escapeAttribute(a.value)}"`) : [];
  const body = bodyEl ? bodyEl.innerHTML : '';
  const stats = {
    textChars: bodyEl?.textContent?.length ?? 0,
    blocks: bodyEl ? Array.from(bodyEl.querySelectorAll('*')).filter((e) => BLOCK_TAGS.has(e.nodeName)).length : 0,
    images: bodyEl ? bodyEl.querySelectorAll('img').length : 0,
  };
  return { head, bodyTag: `<body${attributes.join('')}>`, body, blockedRemote: blocked, estimatedHeight: estimateHeight(stats) };
}
