// The demo page: a fictional coffee shop's web page that embeds the widget exactly as a customer's
// site would (one script tag), so the chat can be tried from a browser with nothing else running.

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const PRODUCTS = [
  { name: 'Morning Ridge', notes: 'Milk chocolate, hazelnut, brown sugar', price: '$16', tone: '#8a5a3b' },
  { name: 'Kiambu Peaberry', notes: 'Blackcurrant, grapefruit, cane sugar', price: '$21', tone: '#a0452e' },
  { name: 'Night Shift Decaf', notes: 'Cocoa, toasted almond, molasses', price: '$17', tone: '#4b3a2f' },
];

/** The signed-in user of the in-app demo: the page plays the product's backend and signs the id. */
export interface DemoUser {
  id: string;
  hash: string;
  name: string;
  email: string;
}

export function demoPage(org: string, user: DemoUser | null = null): string {
  const userAttrs = user
    ? ` data-user-id="${escapeHtml(user.id)}" data-user-hash="${escapeHtml(user.hash)}" data-user-name="${escapeHtml(user.name)}" data-user-email="${escapeHtml(user.email)}"`
    : '';
  const signedIn = user ? `<span class="who">Signed in as ${escapeHtml(user.name)} (in-app demo)</span>` : '';
  const cards = PRODUCTS.map(
    (p) => `<article class="card"><div class="bag" style="background:${p.tone}"><span>${escapeHtml(p.name)}</span></div>
      <h3>${escapeHtml(p.name)}</h3><p>${escapeHtml(p.notes)}</p><div class="row"><strong>${p.price}</strong><button type="button">Add to cart</button></div></article>`,
  ).join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Fernhill Coffee — small-batch roasters</title>
<style>
  * { box-sizing: border-box; }
  body { margin: 0; font-family: Georgia, 'Times New Roman', serif; color: #2b211b; background: #fbf7f2; }
  header { display: flex; align-items: center; justify-content: space-between; padding: 18px 48px; border-bottom: 1px solid #eadfd3; }
  header b { font-size: 22px; letter-spacing: .5px; }
  .who { font-family: system-ui, sans-serif; font-size: 13px; color: #5d4d42; }
  nav a { margin-left: 24px; color: #2b211b; text-decoration: none; font-family: system-ui, sans-serif; font-size: 14px; }
  .hero { padding: 64px 48px 40px; max-width: 760px; }
  .hero h1 { font-size: 44px; margin: 0 0 12px; font-weight: normal; }
  .hero p { font-size: 18px; line-height: 1.6; color: #5d4d42; font-family: system-ui, sans-serif; }
  .grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(240px, 1fr)); gap: 24px; padding: 0 48px 80px; max-width: 1000px; }
  .card { background: #fff; border: 1px solid #eadfd3; border-radius: 14px; padding: 16px; font-family: system-ui, sans-serif; }
  .bag { height: 150px; border-radius: 10px; display: flex; align-items: flex-end; padding: 12px; color: #fff; font-family: Georgia, serif; }
  .card h3 { margin: 14px 0 4px; font-size: 17px; }
  .card p { margin: 0 0 14px; color: #6b5a4e; font-size: 14px; }
  .row { display: flex; justify-content: space-between; align-items: center; }
  .row button { border: 1px solid #2b211b; background: none; border-radius: 999px; padding: 6px 14px; cursor: pointer; }
  footer { padding: 24px 48px; color: #8a7a6e; font-family: system-ui, sans-serif; font-size: 13px; border-top: 1px solid #eadfd3; }
</style>
</head>
<body>
<header><b>Fernhill Coffee</b>${signedIn}<nav><a href="#">Shop</a><a href="#">Subscriptions</a><a href="#">Brew guides</a><a href="#">Cart (0)</a></nav></header>
<main>
  <section class="hero"><h1>Roasted on Tuesday, in your cup by Friday.</h1>
  <p>Small-batch coffee from farms we visit every year. Questions about an order, grind size or your subscription? Our team is one click away — try the chat in the corner.</p></section>
  <section class="grid" aria-label="Coffees">${cards}</section>
</main>
<footer>Fernhill Coffee is a fictional shop: this page demonstrates the Omni Desk chat widget.</footer>
<script src="/widget.js" data-org="${escapeHtml(org)}"${userAttrs} async></script>
</body>
</html>`;
}
