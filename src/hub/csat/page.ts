// The rating page behind an email survey's links: plain server-rendered HTML, no script, its one
// stylesheet served beside it (the CSP forbids inline styles). Every value is escaped here.
import type { ServerResponse } from 'node:http';
import { SCORE_LABELS } from '../../shared/csat';

export const CSAT_CSP = ["default-src 'none'", "style-src 'self'", "form-action 'self'", "base-uri 'none'", "frame-ancestors 'none'"].join('; ');

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export function sendPage(res: ServerResponse, status: number, html: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Security-Policy': CSAT_CSP,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
    // Nothing here for search engines: the pages belong to one customer each.
    'X-Robots-Tag': 'noindex',
    'Content-Length': String(Buffer.byteLength(html)),
    ...headers,
  });
  res.end(html);
}

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="/csat/assets/csat.css">
</head>
<body>
<main class="card">
${body}
</main>
</body>
</html>`;
}

export interface FormPage {
  title: string;
  /** What the conversation was about (the case subject), if known. */
  subject: string | null;
  /** Preselected: the score of the link clicked, else the current rating. */
  selected: number | null;
  /** The rating already given, when this is a change. */
  current: number | null;
  comment: string;
  action: string;
  error?: string | null;
}

export function formPage(p: FormPage): string {
  const options = [1, 2, 3, 4, 5]
    .map((score) => {
      const checked = p.selected === score ? ' checked' : '';
      return `<label class="score"><input type="radio" name="rating" value="${score}" required${checked}><span class="n">${score}</span><span class="label">${escapeHtml(SCORE_LABELS[score - 1]!.replace(/[()]/g, ''))}</span></label>`;
    })
    .join('\n');
  const about = p.subject ? `<p class="muted">About: ${escapeHtml(p.subject)}</p>` : '';
  const already = p.current !== null ? `<p class="note">You rated this conversation ${p.current} out of 5. You can change your rating below.</p>` : '';
  const error = p.error ? `<p class="error" role="alert">${escapeHtml(p.error)}</p>` : '';
  return layout(
    p.title,
    `<h1>${escapeHtml(p.title)}</h1>
${about}
${already}
${error}
<form method="post" action="${escapeHtml(p.action)}">
<fieldset>
<legend>Your rating, from 1 (very poor) to 5 (excellent)</legend>
<div class="scores">
${options}
</div>
</fieldset>
<label for="comment">Anything you would like to add? (optional)</label>
<textarea id="comment" name="comment" rows="4" maxlength="2000">${escapeHtml(p.comment)}</textarea>
<button type="submit">Send my rating</button>
</form>
<p class="muted small">Your rating is saved only when you press the button.</p>`,
  );
}

export function thanksPage(rating: number, changed: boolean): string {
  return layout(
    'Thank you',
    `<h1>Thank you!</h1>
<p role="status">${changed ? 'Your rating was updated' : 'Your rating was saved'}: ${rating} out of 5.</p>
<p class="muted">We read every answer. You can use the same link again to change it.</p>`,
  );
}

export function problemPage(heading: string, sentence: string): string {
  return layout(heading, `<h1>${escapeHtml(heading)}</h1>\n<p>${escapeHtml(sentence)}</p>`);
}

export const CSAT_CSS = `
:root { color-scheme: light dark; --ink: #1d2433; --muted: #5b6475; --bg: #f6f8fb; --card: #fff; --line: #d5dbe6; --brand: #3b4fd8; --error: #b42318; }
@media (prefers-color-scheme: dark) {
  :root { --ink: #e7eaf1; --muted: #a9b1c2; --bg: #12151c; --card: #1b2029; --line: #384152; --brand: #8d9cff; --error: #ff8a80; }
}
* { box-sizing: border-box; }
body { margin: 0; padding: 24px 16px; font: 16px/1.6 system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; color: var(--ink); background: var(--bg); }
.card { max-width: 560px; margin: 0 auto; background: var(--card); border: 1px solid var(--line); border-radius: 12px; padding: 24px; }
h1 { margin-top: 0; font-size: 1.6rem; }
.muted { color: var(--muted); }
.small { font-size: 0.9rem; }
.note { padding: 8px 12px; border-left: 4px solid var(--brand); }
.error { color: var(--error); font-weight: 600; }
fieldset { border: 0; padding: 0; margin: 0 0 16px; }
legend { font-weight: 600; margin-bottom: 8px; }
.scores { display: flex; gap: 8px; flex-wrap: wrap; }
.score { display: flex; flex-direction: column; align-items: center; gap: 2px; padding: 8px 10px; border: 1px solid var(--line); border-radius: 10px; cursor: pointer; min-width: 84px; }
.score .n { font-size: 1.3rem; font-weight: 700; }
.score .label { font-size: 0.8rem; color: var(--muted); }
.score:has(input:checked) { border-color: var(--brand); outline: 2px solid var(--brand); }
label[for="comment"] { display: block; font-weight: 600; margin-bottom: 4px; }
textarea { width: 100%; font: inherit; color: inherit; background: transparent; border: 1px solid var(--line); border-radius: 10px; padding: 8px 10px; }
button { margin-top: 16px; font: inherit; font-weight: 600; padding: 10px 18px; border-radius: 10px; border: 1px solid var(--brand); background: var(--brand); color: #fff; cursor: pointer; }
@media (prefers-color-scheme: dark) { button { color: #12151c; } }
:focus-visible { outline: 3px solid var(--brand); outline-offset: 2px; }
`;
