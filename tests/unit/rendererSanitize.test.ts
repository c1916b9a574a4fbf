// The parts of the email sanitizer that need no DOM: which URLs may load or be followed, CSS
// rewriting (escapes, image-set, @import), srcset, the frame's CSP and document. The DOMPurify
// pass itself runs in Chromium in tests/e2e/hostileEmail.spec.ts.
import { describe, expect, it } from 'vitest';
import {
  BLOCKED_IMAGE_SRC,
  buildEmailSrcdoc,
  cidImageUrl,
  classifyUrl,
  cssString,
  decideImage,
  emailFrameCsp,
  estimateHeight,
  parseSrcset,
  rewriteCss,
  rewriteSrcset,
  safeLinkHref,
  type UrlPolicy,
} from '../../src/renderer/src/email/sanitizeEmail';
import { EMAIL_FRAME_SANDBOX } from '../../src/renderer/src/email/EmailFrame';

const APP = 'http://127.0.0.1:4321';
const cids: Record<string, string> = { 'logo@x': '/attachments/abc', 'abs@x': `${APP}/attachments/def`, 'evil@x': 'https://evil.example/x.png', 'data@x': 'data:image/png;base64,AAAA' };
const blocked: UrlPolicy = { allowRemote: false, resolveCid: (cid) => cids[cid] ?? null, appOrigin: APP };
const allowed: UrlPolicy = { ...blocked, allowRemote: true };

describe('URLs in email', () => {
  it('classifies them the way the browser will read them', () => {
    expect(classifyUrl('https://a.example/x').kind).toBe('remote');
    expect(classifyUrl(' \tHTTP://a.example/x\n').kind).toBe('remote');
    expect(classifyUrl('//a.example/x')).toEqual({ kind: 'remote', url: 'https://a.example/x' });
    expect(classifyUrl('\\\\a.example\\x')).toEqual({ kind: 'remote', url: 'https://a.example/x' });
    expect(classifyUrl('java\nscript:alert(1)').kind).toBe('other');
    expect(classifyUrl('\u0000 javascript:alert(1)').kind).toBe('other');
    expect(classifyUrl('data:image/png;base64,AA').kind).toBe('data-image');
    expect(classifyUrl('data:image/svg+xml,<svg/>').kind).toBe('data-image');
    expect(classifyUrl('data:text/html,<script>').kind).toBe('other');
    expect(classifyUrl('cid:logo@x').kind).toBe('cid');
    expect(classifyUrl('relative/x.png').kind).toBe('relative');
  });

  it('lets links go to the web, mail and phone only', () => {
    expect(safeLinkHref('https://example.com/a?b')).toBe('https://example.com/a?b');
    expect(safeLinkHref('//example.com/a')).toBe('https://example.com/a');
    expect(safeLinkHref('mailto:jane@example.com')).toBe('mailto:jane@example.com');
    expect(safeLinkHref('tel:+15551234567')).toBe('tel:+15551234567');
    for (const bad of ['javascript:alert(1)', ' JaVaScRiPt:alert(1)', 'java\tscript:x', 'data:text/html,x', 'vbscript:x', 'file:///etc/passwd', '#top', 'relative', 'app://omni/index.html', 'blob:x']) {
      expect(safeLinkHref(bad), bad).toBeNull();
    }
  });

  it('resolves cid: images only to the app origin (or data: images)', () => {
    expect(cidImageUrl('cid:logo@x', blocked)).toBe(`${APP}/attachments/abc`);
    expect(cidImageUrl('cid:%3Clogo@x%3E', blocked)).toBe(`${APP}/attachments/abc`);
    expect(cidImageUrl('cid:abs@x', blocked)).toBe(`${APP}/attachments/def`);
    expect(cidImageUrl('cid:data@x', blocked)).toBe('data:image/png;base64,AAAA');
    expect(cidImageUrl('cid:evil@x', blocked)).toBeNull();
    expect(cidImageUrl('cid:unknown@x', blocked)).toBeNull();
    expect(cidImageUrl('cid:logo@x', { ...blocked, appOrigin: null })).toBeNull();
    expect(cidImageUrl('cid:logo@x', { ...blocked, resolveCid: () => { throw new Error('boom'); } })).toBeNull();
    expect(cidImageUrl('cid:x', { resolveCid: () => 'app://omni/a/1', appOrigin: 'app://omni' })).toBe('app://omni/a/1');
  });

  it('decides images: data and cid load, remote only when allowed, the rest never', () => {
    expect(decideImage('https://t.example/p.gif', blocked)).toEqual({ action: 'block-remote' });
    expect(decideImage('https://t.example/p.gif', allowed)).toEqual({ action: 'keep', url: 'https://t.example/p.gif' });
    expect(decideImage('cid:logo@x', blocked)).toEqual({ action: 'keep', url: `${APP}/attachments/abc` });
    expect(decideImage('relative.png', allowed)).toEqual({ action: 'drop' });
    expect(decideImage('javascript:x', allowed)).toEqual({ action: 'drop' });
  });
});

describe('srcset', () => {
  it('parses candidates with commas inside URLs and descriptors', () => {
    expect(parseSrcset('a.png 1x, b,c.png 2x,d.png')).toEqual([
      { url: 'a.png', descriptor: '1x' },
      { url: 'b,c.png', descriptor: '2x' },
      { url: 'd.png', descriptor: '' },
    ]);
  });

  it('drops a srcset with remote candidates when not allowed, counting it once', () => {
    expect(rewriteSrcset('https://t.example/a.png 1x, https://t.example/b.png 2x', blocked)).toEqual({ srcset: null, blocked: 1 });
    expect(rewriteSrcset('https://t.example/a.png 1x, cid:logo@x 2x', allowed)).toEqual({ srcset: `https://t.example/a.png 1x, ${APP}/attachments/abc 2x`, blocked: 0 });
    expect(rewriteSrcset('cid:logo@x 1x, https://t.example/b.png 2x', blocked)).toEqual({ srcset: `${APP}/attachments/abc 1x`, blocked: 1 });
  });
});

describe('CSS in email', () => {
  const css = (s: string, policy = blocked) => rewriteCss(s, policy);

  it('blocks url() however it is written', () => {
    for (const s of [
      'background: url(https://t.example/a.png)',
      "background: url('https://t.example/a.png')",
      'background: url( "https://t.example/a.png" )',
      'background: URL(https://t.example/a.png)',
      'background: u\\72l(https://t.example/a.png)',
      'background: \\75 \\72 \\6c (https://t.example/a.png)',
      'background: url(\\68ttps://t.example/a.png)',
      'background: url(//t.example/a.png)',
      'background: url(  https://t.example/a.png  )',
      'background/**/: url(https://t.example/a.png)',
    ]) {
      const r = css(s);
      expect(r.blocked, s).toBe(1);
      expect(r.css, s).not.toMatch(/t\.example/);
      expect(r.css, s).toContain('url("data:,")');
    }
  });

  it('blocks URLs in image-set() strings and remote strings that var() could carry there', () => {
    expect(css("background-image: image-set('https://t.example/a.png' 1x, \"https://t.example/b.png\" 2x)")).toEqual({
      css: 'background-image: image-set("data:," 1x, "data:," 2x)',
      blocked: 2,
    });
    expect(css("background-image: -webkit-image-set(url(https://t.example/a.png) 1x)").blocked).toBe(1);
    expect(css("--x: 'https://t.example/a.png'; background-image: image-set(var(--x) 1x)")).toEqual({ css: '--x: ""; background-image: image-set(var(--x) 1x)', blocked: 1 });
    expect(css("font-family: 'Helvetica Neue', sans-serif")).toEqual({ css: 'font-family: "Helvetica Neue", sans-serif', blocked: 0 });
  });

  it('drops @import always, counting a remote one', () => {
    expect(css('@import url("https://t.example/s.css"); a { color: red }')).toEqual({ css: ' a { color: red }', blocked: 1 });
    expect(css("@IMPORT 'https://t.example/s.css' screen; a{}")).toEqual({ css: ' a{}', blocked: 1 });
    expect(css('@\\69mport "https://t.example/s.css"; a{}').css).toBe(' a{}');
    expect(css('@import "https://t.example/s.css";', allowed)).toEqual({ css: '', blocked: 0 });
  });

  it('keeps data: and cid images, and remote ones when allowed, as safe quoted strings', () => {
    expect(css('background: url(cid:logo@x)').css).toBe(`background: url("${APP}/attachments/abc")`);
    expect(css('background: url(data:image/png;base64,AAAA) no-repeat').css).toBe('background: url("data:image/png;base64,AAAA") no-repeat');
    expect(css('background: url(https://t.example/a.png)', allowed)).toEqual({ css: 'background: url("https://t.example/a.png")', blocked: 0 });
    // A "(" makes an unquoted url() a bad-url token that ends at the first ")", as in the browser.
    expect(css('background: url(javascript:alert(1))', allowed).css).toBe('background: url("data:,"))');
  });

  it('cannot produce markup that closes the <style> element', () => {
    const r = css('a{background:url("\\3c /style\\3e \\3c script\\3e x()\\3c /script\\3e")} b{content:"</style>"} c < d {}', allowed);
    expect(r.css).not.toMatch(/<\/?(style|script)/i);
    expect(cssString('</style>')).toBe('"\\3c /style\\3e "');
  });

  it('drops comments and survives unterminated input', () => {
    expect(css('a{color:red}/* url(https://t.example/x) */').css).toBe('a{color:red} ');
    expect(css('a{background:url(https://t.example/x').blocked).toBe(1);
    expect(css('a{content:"unterminated').css).toBe('a{content:"unterminated"');
    expect(css('/* unterminated').css).toBe(' ');
  });
});

describe('the email frame', () => {
  it('is sandboxed without scripts and without same-origin', () => {
    expect(EMAIL_FRAME_SANDBOX.split(' ').sort()).toEqual(['allow-popups', 'allow-popups-to-escape-sandbox']);
  });

  it('has a policy that allows remote images only when the sender is allowed', () => {
    expect(emailFrameCsp({ allowRemote: false, appOrigin: APP })).toBe(`default-src 'none'; img-src data: ${APP}; style-src 'unsafe-inline'; font-src data:; base-uri 'none'; form-action 'none'`);
    expect(emailFrameCsp({ allowRemote: true, appOrigin: 'app://omni' })).toBe(`default-src 'none'; img-src data: app://omni https:; style-src 'unsafe-inline'; font-src data:; base-uri 'none'; form-action 'none'`);
    // Nothing can be smuggled into the policy through the origin or the sources.
    expect(emailFrameCsp({ allowRemote: true, appOrigin: "http://x; script-src 'unsafe-inline'", remoteSources: ['https:', "'unsafe-eval'", '*'] })).toBe(
      `default-src 'none'; img-src data: https:; style-src 'unsafe-inline'; font-src data:; base-uri 'none'; form-action 'none'`,
    );
  });

  it('puts the policy first in the document and escapes it', () => {
    const doc = buildEmailSrcdoc({ head: '<style>p{}</style>', bodyTag: '<body bgcolor="#fff">', body: '<p>hi</p>' }, `default-src 'none'; img-src "x"`);
    expect(doc.startsWith('<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" content="default-src \'none\'; img-src &quot;x&quot;">')).toBe(true);
    expect(doc).toContain('<meta name="referrer" content="no-referrer">');
    expect(doc).toContain('<base target="_blank">');
    expect(doc.endsWith('<style>p{}</style></head><body bgcolor="#fff"><p>hi</p></body></html>')).toBe(true);
  });

  it('estimates a height from the content, within bounds', () => {
    expect(estimateHeight({ textChars: 0, blocks: 0, images: 0 })).toBe(96);
    expect(estimateHeight({ textChars: 900, blocks: 4, images: 0 })).toBe(32 + 14 * 21);
    expect(estimateHeight({ textChars: 100_000, blocks: 500, images: 20 })).toBe(640);
  });

  it('has a grey placeholder for blocked images that is a data: image', () => {
    expect(classifyUrl(BLOCKED_IMAGE_SRC).kind).toBe('data-image');
  });
});
