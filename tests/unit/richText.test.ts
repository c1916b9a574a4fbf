// In-app rich text: Markdown rendered with raw HTML off and only http(s)/mailto links, hostile
// input inert; and the composer's toolbar edits (bold, italic, code, link, bullets, list Enter).
import { describe, expect, it } from 'vitest';
import { continueList, insertLink, isRichChannel, isRichMessage, renderMarkdown, toggleBullets, toggleWrap } from '../../src/shared/composer/richText';

describe('rendering an in-app message', () => {
  it('renders bold, italic, links, bulleted lists and inline code', () => {
    expect(renderMarkdown('**Order shipped** — _today_, see [tracking](https://track.example/1042) or `ORD-1042`\n\n- one\n- two')).toBe(
      '<p><strong>Order shipped</strong> — <em>today</em>, see <a href="https://track.example/1042" target="_blank" rel="noopener noreferrer nofollow">tracking</a> or <code>ORD-1042</code></p>\n<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n',
    );
    expect(renderMarkdown('[mail us](mailto:help@fernhill.example)')).toContain('<a href="mailto:help@fernhill.example"');
  });

  it('keeps hostile Markdown inert: script links, raw HTML, images, relative and data links stay text', () => {
    const html = renderMarkdown(
      '[a](javascript:alert(1)) [b](JaVaScRiPt:alert(1)) [c](jav&#x61;script:alert(1)) [d](data:text/html,<script>x</script>) [e](/relative) [f](vbscript:x)\n' +
        '<script>alert(1)</script> <img src=x onerror=alert(1)> <a href="javascript:x">x</a>',
    );
    expect(html).not.toMatch(/<a /);
    expect(html).not.toMatch(/<(script|img|iframe)/i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('&lt;a href=&quot;javascript:x&quot;&gt;');
    // An image is never loaded: at most a link to it.
    expect(renderMarkdown('![i](https://x.example/i.png)')).not.toContain('<img');
  });

  it('only in-app agent messages are rich', () => {
    expect(isRichChannel('in_app')).toBe(true);
    for (const c of ['email', 'chat', 'sms', 'messenger', 'instagram', 'x', 'portal'] as const) expect(isRichChannel(c)).toBe(false);
    expect(isRichMessage({ channel: 'in_app', direction: 'out', authorType: 'agent' })).toBe(true);
    expect(isRichMessage({ channel: 'in_app', direction: 'in', authorType: 'customer' })).toBe(false);
    expect(isRichMessage({ channel: 'chat', direction: 'out', authorType: 'agent' })).toBe(false);
  });
});

describe('the toolbar', () => {
  it('wraps the selection in bold, italic or code, and unwraps it again', () => {
    const bold = toggleWrap('make this loud', 5, 9, '**');
    expect(bold).toEqual({ text: 'make **this** loud', start: 7, end: 11 });
    expect(toggleWrap(bold.text, bold.start, bold.end, '**')).toEqual({ text: 'make this loud', start: 5, end: 9 });
    expect(toggleWrap('ab', 1, 1, '_')).toEqual({ text: 'a_text_b', start: 2, end: 6 });
    expect(toggleWrap('run npm ci', 4, 10, '`').text).toBe('run `npm ci`');
  });

  it('links the selection, or the address itself without one', () => {
    expect(insertLink('see the guide', 8, 13, 'https://kb.example/guide')).toEqual({ text: 'see the [guide](https://kb.example/guide)', start: 9, end: 14 });
    expect(insertLink('', 0, 0, 'https://kb.example/a b').text).toBe('[https://kb.example/a b](https://kb.example/a%20b)');
  });

  it('makes lines a bulleted list and back', () => {
    const on = toggleBullets('intro\nfirst\nsecond', 6, 18);
    expect(on.text).toBe('intro\n- first\n- second');
    expect(toggleBullets(on.text, on.start, on.end).text).toBe('intro\nfirst\nsecond');
  });

  it('Enter continues a list, and Enter on an empty bullet ends it', () => {
    expect(continueList('- milk', 6)).toEqual({ text: '- milk\n- ', start: 9, end: 9 });
    expect(continueList('- milk\n- ', 9)).toEqual({ text: '- milk\n', start: 7, end: 7 });
    expect(continueList('plain', 5)).toBeNull();
  });
});
