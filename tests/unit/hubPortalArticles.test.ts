import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { isAllowedLink, markdownText, parseArticleFile, PortalArticleError, renderMarkdown } from '../../src/hub/portal/articles';
import { parseKbFiles } from '../../src/hub/portal/kbFiles';
import { ftsQuery } from '../../src/hub/portal/store';
import { escapeHtml, snippetParts } from '../../src/hub/portal/pages';

const article = (front: string, body = 'Body text.') => `---\n${front}\n---\n${body}\n`;

function problemOf(file: string, content: string): PortalArticleError {
  try {
    parseArticleFile(file, content);
  } catch (e) {
    if (e instanceof PortalArticleError) return e;
    throw e;
  }
  throw new Error('expected the article to be refused');
}

describe('knowledge-base article rendering', () => {
  it('shows raw HTML in an article as text, never as markup', () => {
    const html = renderMarkdown('Hello <script>alert(1)</script> and <img src=x onerror=alert(2)>\n\n<iframe src="https://evil.example"></iframe>');
    expect(html).not.toMatch(/<script|<img|<iframe/i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&lt;iframe');
  });

  it('drops javascript:, data: and other non-web links but keeps http(s), mailto and relative ones', () => {
    const html = renderMarkdown(
      [
        '[bad](javascript:alert(1))',
        '[tricky](JaVaScRiPt:alert(1))',
        '[spaced](java\tscript:alert(1))',
        '[data](data:text/html;base64,PHNjcmlwdD4=)',
        '[vb](vbscript:msgbox)',
        '![img](data:image/svg+xml;base64,AAAA)',
        '<javascript:alert(3)>',
        '[web](https://example.com/help)',
        '[mail](mailto:help@example.com)',
        '[other article](refunds)',
      ].join('\n\n'),
    );
    expect(html).not.toMatch(/href="\s*(javascript|vbscript|data):/i);
    expect(html).not.toMatch(/src="data:/i);
    expect(html).toContain('<a href="https://example.com/help" rel="noopener noreferrer nofollow">web</a>');
    expect(html).toContain('<a href="mailto:help@example.com">mail</a>');
    expect(html).toContain('<a href="refunds">other article</a>');
    // A refused link stays visible as text, so the reader sees what the author wrote.
    expect(html).toContain('[bad](javascript:alert(1))');
  });

  it('decides links by their scheme, ignoring case and hidden whitespace', () => {
    expect(isAllowedLink('https://a.example')).toBe(true);
    expect(isAllowedLink('HTTP://a.example')).toBe(true);
    expect(isAllowedLink('mailto:x@y.example')).toBe(true);
    expect(isAllowedLink('/portal/articles/refunds')).toBe(true);
    expect(isAllowedLink('#section')).toBe(true);
    expect(isAllowedLink(' javascript:alert(1)')).toBe(false);
    expect(isAllowedLink('java\nscript:alert(1)')).toBe(false);
    expect(isAllowedLink('file:///etc/passwd')).toBe(false);
    expect(isAllowedLink('ftp://a.example')).toBe(false);
  });

  it('indexes the words of an article without its markup', () => {
    const text = markdownText('# Reset\n\nClick **Forgot password?** then [the link](https://x.example).\n\n```\ncode here\n```\n\n| a | b |\n| - | - |\n| cell | `E401` |');
    expect(text).toContain('Reset');
    expect(text).toContain('Click Forgot password? then the link.');
    expect(text).toContain('code here');
    expect(text).toContain('E401');
    expect(text).not.toMatch(/[*#[\]|`]/);
  });
});

describe('knowledge-base front matter', () => {
  it('reads title, slug, tags, summary and the updated date', () => {
    const a = parseArticleFile('billing/Refunds.md', article('title: Refunds\ntags: [billing, refunds]\nsummary: How refunds work.\nupdated: 2026-03-02'));
    expect(a).toMatchObject({ slug: 'refunds', title: 'Refunds', tags: ['billing', 'refunds'], summary: 'How refunds work.', updatedAt: Date.UTC(2026, 2, 2) });
    const b = parseArticleFile('x.md', article('title: X\nslug: custom-slug\nupdated: "2026-03-02T10:00:00+01:00"'));
    expect(b).toMatchObject({ slug: 'custom-slug', tags: [], summary: null, updatedAt: Date.UTC(2026, 2, 2, 9) });
  });

  it('names the file and the field when the front matter is wrong', () => {
    const missing = problemOf('kb/refunds.md', article('tags: [billing]\nupdated: 2026-03-02'));
    expect(missing.code).toBe('portal/front-matter');
    expect(missing.message).toMatch(/^kb\/refunds\.md: .*title/);

    const badDate = problemOf('kb/shipping.md', article('title: Shipping\nupdated: next tuesday'));
    expect(badDate.message).toMatch(/^kb\/shipping\.md: .*updated/);

    const badSlug = problemOf('kb/a.md', article('title: A\nslug: Not A Slug\nupdated: 2026-01-01'));
    expect(badSlug.message).toMatch(/^kb\/a\.md: .*slug/);

    const unknown = problemOf('kb/b.md', article('title: B\nupdated: 2026-01-01\ntitel: typo'));
    expect(unknown.message).toMatch(/^kb\/b\.md: .*titel/);

    const yaml = problemOf('kb/c.md', article('title: [unclosed\nupdated: 2026-01-01'));
    expect(yaml.message).toMatch(/^kb\/c\.md: the front matter cannot be read/);

    const none = problemOf('kb/d.md', '# Just markdown\n');
    expect(none.message).toMatch(/^kb\/d\.md: the file has no front matter/);
  });

  it('never runs front matter written as code', () => {
    const g = globalThis as { portalFrontMatterRan?: boolean };
    const e = problemOf('kb/evil.md', '---js\n{ title: (globalThis.portalFrontMatterRan = true, "x"), updated: "2026-01-01" }\n---\nbody\n');
    expect(e.message).toMatch(/^kb\/evil\.md: /);
    expect(g.portalFrontMatterRan).toBeUndefined();
  });

  it('loads the good files of a folder, and reports bad files and duplicate slugs by name', () => {
    const { articles, problems } = parseKbFiles([
      { name: 'a.md', content: article('title: A\nupdated: 2026-01-01') },
      { name: 'broken.md', content: article('updated: 2026-01-01') },
      { name: 'sub/a.md', content: article('title: Another A\nupdated: 2026-01-01') },
    ]);
    expect(articles.map((a) => [a.slug, a.file])).toEqual([['a', 'a.md']]);
    expect(problems).toEqual([
      expect.objectContaining({ file: 'broken.md', code: 'portal/front-matter' }),
      { file: 'sub/a.md', code: 'portal/duplicate-slug', message: 'sub/a.md: the slug "a" is already used by a.md; this file was skipped.' },
    ]);
  });

  it('parses every article shipped in kb/ without a problem', () => {
    const dir = path.resolve('kb');
    const files = fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.md') && f !== 'README.md')
      .map((name) => ({ name, content: fs.readFileSync(path.join(dir, name), 'utf8') }));
    const { articles, problems } = parseKbFiles(files);
    expect(problems).toEqual([]);
    expect(articles.length).toBeGreaterThanOrEqual(12);
    // Every relative link between articles names an article that exists.
    const slugs = new Set(articles.map((a) => a.slug));
    for (const a of articles) {
      for (const [, target] of a.bodyHtml.matchAll(/href="([a-z0-9-]+)"/g)) expect(slugs, `${a.file} links to ${target}`).toContain(target);
    }
  });
});

describe('portal search text', () => {
  it('turns what a visitor types into prefix terms without FTS operators', () => {
    expect(ftsQuery('pass', true)).toBe('"pass"*');
    expect(ftsQuery('How do I reset my password?', true)).toBe('"reset"* AND "password"*');
    expect(ftsQuery('refund OR "x" NEAR(y) -z*', false)).toBe('"refund"* OR "x"* OR "near"* OR "y"* OR "z"*');
    expect(ftsQuery('how do I', true)).toBe('"how"* AND "do"* AND "i"*');
    expect(ftsQuery('  ?! ', true)).toBeNull();
  });

  it('splits a snippet into marked and plain pieces and escapes HTML', () => {
    expect(snippetParts('Click \uE000Forgot\uE001 <b>now</b>')).toEqual([
      { text: 'Click ', match: false },
      { text: 'Forgot', match: true },
      { text: ' <b>now</b>', match: false },
    ]);
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
});
