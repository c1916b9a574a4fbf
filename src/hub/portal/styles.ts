// The portal's one stylesheet, served as a file (/portal/assets/portal.css) so the pages' CSP can
// forbid inline styles. Kept in code so every build of the hub carries it without a file lookup.
export const PORTAL_CSS = `
:root {
  --ink: #1d2433;
  --muted: #5b6475;
  --line: #e3e7ef;
  --bg: #f6f8fb;
  --card: #ffffff;
  --brand: #3b4fd8;
  --brand-dark: #2a3aa8;
  --mark: #fff1a8;
  --radius: 12px;
  color-scheme: light;
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body {
  margin: 0;
  font: 16px/1.6 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  color: var(--ink);
  background: var(--bg);
  display: flex;
  flex-direction: column;
  min-height: 100vh;
}
main { flex: 1; outline: none; padding-bottom: 48px; }
a { color: var(--brand); text-underline-offset: 2px; }
a:hover { color: var(--brand-dark); }
:focus-visible { outline: 3px solid #9aa8ff; outline-offset: 2px; border-radius: 4px; }
.wrap { max-width: 1080px; margin: 0 auto; padding: 0 20px; }
.wrap.narrow { max-width: 760px; }
.visually-hidden {
  position: absolute !important; width: 1px; height: 1px; padding: 0; margin: -1px;
  overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0;
}
.skip-link { position: absolute; left: 12px; top: -48px; background: var(--card); padding: 8px 14px; border-radius: 8px; z-index: 10; }
.skip-link:focus { top: 12px; }
.muted { color: var(--muted); }

.site-header { background: var(--card); border-bottom: 1px solid var(--line); }
.header-row { display: flex; align-items: center; justify-content: space-between; gap: 16px; min-height: 64px; flex-wrap: wrap; padding-top: 8px; padding-bottom: 8px; }
.brand { display: inline-flex; align-items: center; gap: 10px; font-weight: 700; font-size: 1.1rem; color: var(--ink); text-decoration: none; }
.brand-mark { display: inline-grid; place-items: center; width: 30px; height: 30px; border-radius: 8px; background: var(--brand); color: #fff; font-weight: 800; }
.header-search { display: flex; gap: 8px; flex: 1 1 260px; max-width: 420px; }

input[type="search"] {
  flex: 1; min-width: 0; font: inherit; color: inherit; padding: 10px 14px;
  border: 1px solid #c9d0de; border-radius: 10px; background: #fff;
}
input[type="search"]:focus { border-color: var(--brand); outline: 3px solid rgba(59, 79, 216, 0.25); outline-offset: 0; }
button {
  font: inherit; font-weight: 600; padding: 10px 18px; border-radius: 10px; border: 1px solid var(--brand);
  background: var(--brand); color: #fff; cursor: pointer;
}
button:hover { background: var(--brand-dark); }

.hero { background: linear-gradient(135deg, #3b4fd8 0%, #6a3fd1 100%); color: #fff; padding: 56px 0 64px; margin-bottom: 36px; }
.hero h1 { margin: 0 0 8px; font-size: clamp(1.8rem, 4vw, 2.6rem); line-height: 1.2; }
.hero .lead { margin: 0 0 24px; opacity: 0.9; font-size: 1.1rem; }
.hero-search { display: flex; gap: 10px; max-width: 640px; background: #fff; padding: 8px; border-radius: 14px; box-shadow: 0 10px 30px rgba(20, 20, 60, 0.25); }
.hero-search input[type="search"] { border: none; font-size: 1.05rem; }
.hero-search input[type="search"]:focus { outline: none; }

h2 { font-size: 1.35rem; margin: 32px 0 16px; }
.cards { list-style: none; padding: 0; margin: 0; display: grid; grid-template-columns: repeat(auto-fill, minmax(280px, 1fr)); gap: 16px; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: var(--radius); padding: 18px 20px; transition: box-shadow 0.15s, transform 0.15s; }
.card:hover { box-shadow: 0 6px 20px rgba(29, 36, 51, 0.08); transform: translateY(-1px); }
.card h3 { margin: 0 0 6px; font-size: 1.05rem; }
.card h3 a { color: var(--ink); text-decoration: none; }
.card h3 a:hover { color: var(--brand); }
.card p { margin: 0 0 10px; color: var(--muted); font-size: 0.95rem; }

.tags { list-style: none; display: flex; flex-wrap: wrap; gap: 6px; padding: 0; margin: 8px 0 0; }
.tags li { font-size: 0.78rem; padding: 2px 10px; border-radius: 999px; background: #eef0fb; color: #3a45a0; }

.topics { align-items: start; display: grid; grid-template-columns: repeat(auto-fill, minmax(240px, 1fr)); gap: 16px; }
.topic { background: var(--card); border: 1px solid var(--line); border-radius: var(--radius); padding: 16px 20px; }
.topic h3 { margin: 0 0 8px; font-size: 1rem; text-transform: capitalize; }
.topic ul { margin: 0; padding-left: 18px; }
.topic li { margin: 4px 0; }

.breadcrumb ol { list-style: none; display: flex; flex-wrap: wrap; gap: 6px; padding: 0; margin: 24px 0 8px; font-size: 0.9rem; color: var(--muted); }
.breadcrumb li + li::before { content: "›"; margin-right: 6px; }
.page-title { font-size: 1.6rem; margin: 8px 0 24px; }

.results { list-style: none; padding: 0; margin: 0; display: grid; gap: 12px; }
.results > li { background: var(--card); border: 1px solid var(--line); border-radius: var(--radius); padding: 16px 20px; }
.results h2 { margin: 0 0 4px; font-size: 1.1rem; }
.snippet { margin: 0; color: var(--muted); }
mark { background: var(--mark); color: inherit; padding: 0 2px; border-radius: 3px; }
.empty { background: var(--card); border: 1px dashed #c9d0de; border-radius: var(--radius); padding: 20px 24px; }

.article { background: var(--card); border: 1px solid var(--line); border-radius: var(--radius); padding: 28px clamp(18px, 4vw, 40px); }
.article h1 { margin: 0 0 4px; font-size: clamp(1.6rem, 3.5vw, 2.1rem); line-height: 1.25; }
.article .meta { margin: 0 0 20px; color: var(--muted); font-size: 0.9rem; }
.article-body h2 { font-size: 1.25rem; margin: 28px 0 10px; }
.article-body h3 { font-size: 1.05rem; margin: 22px 0 8px; }
.article-body code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.9em; background: #f1f3f8; padding: 1px 5px; border-radius: 5px; }
.article-body pre { background: #1d2433; color: #e8ebf3; padding: 14px 16px; border-radius: 10px; overflow-x: auto; }
.article-body pre code { background: none; padding: 0; color: inherit; }
.article-body blockquote { margin: 16px 0; padding: 10px 16px; border-left: 4px solid var(--brand); background: #f3f5ff; border-radius: 0 8px 8px 0; }
.article-body table { border-collapse: collapse; width: 100%; margin: 16px 0; font-size: 0.95rem; }
.article-body th, .article-body td { border: 1px solid var(--line); padding: 8px 10px; text-align: left; }
.article-body th { background: #f6f8fb; }
.article-body img { max-width: 100%; height: auto; }

.feedback { margin-top: 20px; background: var(--card); border: 1px solid var(--line); border-radius: var(--radius); padding: 16px 24px; }
.feedback fieldset { border: none; padding: 0; margin: 0; display: flex; align-items: center; gap: 10px; flex-wrap: wrap; }
.feedback legend { float: left; margin-right: 8px; font-weight: 600; }
.feedback button { background: #fff; color: var(--brand); padding: 6px 18px; }
.feedback button:hover { background: #eef0fb; }
.feedback .contact { margin: 12px 0 0; color: var(--muted); }
.feedback [role="status"] { margin: 0; font-weight: 600; }

.site-footer { border-top: 1px solid var(--line); background: var(--card); color: var(--muted); font-size: 0.9rem; }
.site-footer p { margin: 0; padding: 20px 0; }

@media (max-width: 600px) {
  .hero { padding: 36px 0 40px; }
  .hero-search { flex-direction: column; }
  .header-search { max-width: none; }
}
@media (prefers-reduced-motion: reduce) {
  * { transition: none !important; }
}
`;
