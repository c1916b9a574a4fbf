// New user-facing text must go into the language catalogs (src/renderer/src/i18n), not into a
// component: this scans every renderer component (TypeScript's own parser, not a regular
// expression) for JSX text with words and for labelling attributes written as literals.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = join(__dirname, '../../src/renderer/src');
const LABEL_ATTRIBUTES = new Set(['aria-label', 'aria-description', 'aria-roledescription', 'aria-valuetext', 'title', 'placeholder', 'alt', 'label']);
const WORDS = /\p{L}{2,}/u;

/** Literal text that is not language: the VIP badge reads the same in every language we ship. */
const ALLOWED = new Set(['VIP']);

function componentFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'i18n' ? [] : componentFiles(path);
    return entry.name.endsWith('.tsx') ? [path] : [];
  });
}

/** The text of a literal an attribute or a JSX child holds, or null for computed values. */
function literalText(node: ts.Node | undefined): string | null {
  if (!node) return null;
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isTemplateExpression(node)) return [node.head.text, ...node.templateSpans.map((s) => s.literal.text)].join(' ');
  if (ts.isJsxExpression(node)) return literalText(node.expression);
  return null;
}

/** Example values in placeholders are not language: an address, a host name, a URL. */
const EXAMPLE = /^([\w.+-]+@[\w.-]+|https?:\/\/\S+|[a-z0-9-]+(\.[a-z0-9-]+)+)$/i;

const isLanguage = (text: string): boolean => WORDS.test(text) && !ALLOWED.has(text.trim()) && !EXAMPLE.test(text.trim());

export function untranslated(source: string, fileName = 'x.tsx'): string[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
  const found: string[] = [];
  const where = (node: ts.Node) => file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1;
  const visit = (node: ts.Node): void => {
    if (ts.isJsxText(node) && isLanguage(node.text)) found.push(`${where(node)}: text "${node.text.trim()}"`);
    if (ts.isJsxExpression(node) && ts.isJsxElement(node.parent)) {
      const text = literalText(node.expression);
      if (text !== null && isLanguage(text)) found.push(`${where(node)}: text "${text.trim()}"`);
    }
    if (ts.isJsxAttribute(node) && LABEL_ATTRIBUTES.has(node.name.getText(file))) {
      const text = literalText(node.initializer);
      if (text !== null && isLanguage(text)) found.push(`${where(node)}: ${node.name.getText(file)}="${text.trim()}"`);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

describe('untranslated text in renderer components', () => {
  it('finds JSX words and literal labels, and lets translated ones pass', () => {
    expect(untranslated('const a = <p className="x">Loading the queue…</p>;')).toEqual(['1: text "Loading the queue…"']);
    expect(untranslated('const a = <button aria-label="Close dialog" title={`Open ${n}`} />;')).toHaveLength(2);
    expect(untranslated("const a = <p>{'Hello there'}</p>;")).toHaveLength(1);
    expect(untranslated("const a = <p aria-label={t('close')}>{t('greeting', { name })} · {count}</p>;")).toEqual([]);
    expect(untranslated('const a = <span className="badge">VIP</span>;')).toEqual([]);
    expect(untranslated('const a = <input placeholder="support@example.com" title="https://hub.example.com" />;')).toEqual([]);
  });

  it('no component shows a string outside the catalogs', () => {
    const problems = componentFiles(ROOT).flatMap((path) => untranslated(readFileSync(path, 'utf8'), path).map((p) => `${relative(ROOT, path)}:${p}`));
    expect(problems).toEqual([]);
  });
});
