// The widget's look, applied inside its Shadow DOM so neither side's CSS leaks into the other.
// One accent colour comes from the org's settings (--omni-accent on the host element).
export const WIDGET_CSS = `
:host { --accent: var(--omni-accent, #4f46e5); --ink: #1f2330; --muted: #6b7080; --line: #e6e8ef; --bg: #f6f7fb; }
/* The host is reset with all: initial (against the page's CSS), so the font is set below it. */
.panel, .launcher { font: 14px/1.45 system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif; color: var(--ink); text-align: left; }
*, *::before, *::after { box-sizing: border-box; }
[hidden] { display: none !important; }
button { font: inherit; cursor: pointer; }
button:focus-visible, a:focus-visible, textarea:focus-visible, input:focus-visible, .log:focus-visible { outline: 2px solid var(--accent); outline-offset: 2px; }
.sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.launcher { position: fixed; right: 20px; bottom: 20px; width: 60px; height: 60px; border-radius: 50%; border: 0; background: var(--accent);
  color: #fff; box-shadow: 0 8px 24px rgba(20, 24, 40, .25); display: grid; place-items: center; transition: transform .15s ease; }
.launcher:hover { transform: scale(1.05); }
.launcher svg { width: 28px; height: 28px; fill: #fff; }
.launcher svg.x { fill: none; stroke: #fff; stroke-width: 2.4; stroke-linecap: round; width: 24px; height: 24px; }
.badge { position: absolute; top: -2px; right: -2px; min-width: 20px; height: 20px; padding: 0 6px; border-radius: 10px; background: #e5484d;
  color: #fff; font-size: 12px; font-weight: 600; line-height: 20px; text-align: center; border: 2px solid #fff; }
.panel { position: fixed; right: 20px; bottom: 92px; width: 380px; height: min(620px, calc(100vh - 120px)); display: flex; flex-direction: column;
  background: #fff; border-radius: 18px; overflow: hidden; box-shadow: 0 18px 50px rgba(20, 24, 40, .22), 0 2px 6px rgba(20, 24, 40, .08);
  animation: rise .18s ease-out; }
@keyframes rise { from { opacity: 0; transform: translateY(12px); } to { opacity: 1; transform: none; } }
header { display: flex; align-items: center; gap: 12px; padding: 16px 16px 18px; color: #fff;
  background: linear-gradient(135deg, var(--accent), color-mix(in srgb, var(--accent) 70%, #000)); }
.avatar { width: 40px; height: 40px; border-radius: 50%; background: rgba(255, 255, 255, .22); display: grid; place-items: center; font-weight: 700; font-size: 18px; }
.who { flex: 1; min-width: 0; }
h2 { margin: 0; font-size: 16px; font-weight: 650; }
.status { margin: 2px 0 0; font-size: 12.5px; opacity: .88; }
.status::before { content: ''; display: inline-block; width: 8px; height: 8px; border-radius: 50%; background: #4ade80; margin-right: 6px; }
.status.off::before { background: #c3c7d1; }
.icon-btn { border: 0; background: none; width: 36px; height: 36px; border-radius: 10px; display: grid; place-items: center; color: inherit; flex: none; }
.icon-btn svg { width: 20px; height: 20px; fill: none; stroke: currentColor; stroke-width: 2; stroke-linecap: round; stroke-linejoin: round; }
.close:hover { background: rgba(255, 255, 255, .16); }
.banner { background: #fff7e6; color: #8a5300; font-size: 12.5px; padding: 6px 16px; border-bottom: 1px solid #f3e2bf; }
.body { flex: 1; overflow-y: auto; background: var(--bg); display: flex; flex-direction: column; }
.log { padding: 16px 14px 6px; display: flex; flex-direction: column; gap: 10px; }
.msg { display: flex; flex-direction: column; max-width: 82%; }
.msg.visitor { align-self: flex-end; align-items: flex-end; }
.msg.agent, .msg.system { align-self: flex-start; }
.bubble { padding: 9px 13px; border-radius: 16px; background: #fff; border: 1px solid var(--line); white-space: pre-wrap; overflow-wrap: anywhere; }
.bubble p { margin: 0; }
.bubble .rich { white-space: normal; }
.bubble .rich p + p, .bubble .rich p + ul, .bubble .rich p + ol, .bubble .rich ul + p, .bubble .rich ol + p { margin-top: 6px; }
.bubble .rich ul, .bubble .rich ol { margin: 4px 0; padding-left: 20px; }
.bubble .rich a { color: inherit; text-decoration: underline; }
.bubble .rich code { font: 12.5px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; padding: 1px 4px; border-radius: 4px; background: rgb(0 0 0 / 6%); }
.msg.visitor .bubble { background: var(--accent); color: #fff; border-color: transparent; border-bottom-right-radius: 5px; }
.msg.agent .bubble { border-bottom-left-radius: 5px; }
.msg.pending .bubble { opacity: .7; }
.meta { font-size: 11.5px; color: var(--muted); margin: 3px 6px 0; }
.file { display: block; margin-top: 6px; color: inherit; text-decoration: underline; font-size: 13px; }
.file img { display: block; max-width: 220px; max-height: 180px; border-radius: 10px; }
.notice { align-self: center; font-size: 12px; color: var(--muted); background: #eceef4; padding: 3px 10px; border-radius: 999px; }
.suggest { margin: 6px 14px 10px; background: #fff; border: 1px solid var(--line); border-radius: 14px; padding: 10px 14px; }
.suggest p { margin: 0 0 6px; font-size: 12.5px; color: var(--muted); }
.suggest ul { margin: 0; padding: 0; list-style: none; }
.suggest li { padding: 6px 0; border-top: 1px solid var(--line); }
.suggest li:first-child { border-top: 0; }
.suggest a { color: var(--accent); font-weight: 600; text-decoration: none; }
.suggest span { display: block; font-size: 12.5px; color: var(--muted); }
.card { margin: 8px 14px 14px; background: #fff; border: 1px solid var(--line); border-radius: 14px; padding: 14px; display: flex; flex-direction: column; gap: 6px; }
.card-title { margin: 0; font-weight: 650; font-size: 15px; }
.hint { margin: 0 0 4px; color: var(--muted); font-size: 13px; }
.card label { font-size: 12.5px; color: var(--muted); margin-top: 4px; }
.card input, .card textarea { font: inherit; border: 1px solid var(--line); border-radius: 10px; padding: 8px 10px; resize: vertical; color: var(--ink); }
.primary { margin-top: 8px; border: 0; border-radius: 10px; padding: 9px 14px; background: var(--accent); color: #fff; font-weight: 600; }
.primary:disabled { opacity: .5; cursor: default; }
.stars { display: flex; gap: 4px; }
.star { border: 0; background: none; font-size: 28px; line-height: 1; color: #d3d6df; padding: 2px; }
.star.on, .star:hover { color: #f5a524; }
.typing { min-height: 0; padding: 0 16px; font-size: 12.5px; color: var(--muted); background: var(--bg); }
.typing:not(:empty) { padding: 2px 16px 6px; }
.error { padding: 0 16px; font-size: 13px; color: #b42318; background: #fff; }
.error:not(:empty) { padding: 8px 16px; background: #fef3f2; border-top: 1px solid #fecdca; }
.composer { border-top: 1px solid var(--line); padding: 10px 10px 8px 14px; background: #fff; }
.composer .row { display: flex; align-items: flex-end; gap: 4px; }
.composer textarea { flex: 1; border: 0; resize: none; font: inherit; padding: 8px 0; max-height: 120px; color: var(--ink); background: none; }
.composer textarea:focus { outline: none; }
.composer .icon-btn { color: var(--muted); }
.composer .icon-btn:hover { background: var(--bg); color: var(--ink); }
.send { color: var(--accent) !important; }
.chips { display: flex; flex-wrap: wrap; gap: 6px; }
.chip { display: inline-flex; align-items: center; gap: 6px; font-size: 12.5px; background: var(--bg); border: 1px solid var(--line); border-radius: 999px; padding: 3px 4px 3px 10px; margin-bottom: 6px; }
.chip button { border: 0; background: none; color: var(--muted); font-size: 15px; line-height: 1; padding: 0 6px; }
.brand { margin: 0; padding: 0 0 8px; text-align: center; font-size: 11px; color: #a3a7b4; background: #fff; }
@media (max-width: 480px) {
  .panel { right: 0; bottom: 0; width: 100vw; height: 100vh; border-radius: 0; }
  .launcher.open { display: none; }
}
`;
