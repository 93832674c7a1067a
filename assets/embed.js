// docatlas embed: a host page loads this file once, by its stable name,
//
//   <div data-docatlas data-bundle="/docs/eng/docatlas.bin"></div>
//   <script type="module" src="/docs/eng/embed.js"></script>
//
// and every element with `data-docatlas` becomes an instance of the docs app: the site next to
// this file (its index.html) in a frame of its own, reading the head named by `data-bundle`
// (default: the docatlas.bin next to this file; it must be on the site's origin). Each
// instance has its own state, search, reading progress (keyed by its site id) and history, and
// the frame isolates styles both ways: the host's rules never reach the app, the app's never
// reach the host. Nothing here writes inline script or style, or HTML from strings, so it runs
// under `script-src 'self'`, `style-src 'self'` and Trusted Types.
//
// Attributes on the element:
//   data-bundle="URL"     the head (docatlas.bin) of the docs this instance shows
//   data-routing="hash"   this instance owns the host's URL hash: deep links (#/doc/…, #/search?q=…)
//                         open in it, and the hash follows the reader (one instance per page)
//   data-shortcuts        `/`, Ctrl-K (⌘K), n, m, t typed outside every instance go to this one
//                         (a key typed inside an instance always goes to that instance only);
//                         a value picks some: data-shortcuts="/ ctrl-k m t" leaves `n` to the host
//                         (MkDocs Material's next page). A key the host page's own handlers
//                         took (preventDefault) is never forwarded.
//   data-height="CSS"     the frame's height (default: the element's own height if it has one,
//                         else min(80vh, 48rem)); "auto": the frame grows and shrinks with what
//                         the instance shows, so the host page scrolls and the frame never does
//   data-title="TEXT"     the frame's accessible name (default "Documentation")
//
// Theming: the custom properties --docatlas-fg, -muted, -bg, -soft, -border, -accent, -mark,
// -warn-bg, -warn, -on-accent, -font and -scheme, as the element's computed style has them (set
// them on the element, or on :root, in the host's own theme selectors), are handed into the
// frame, and again whenever the host's <html> or <body> changes a class or data attribute (a
// light/dark switch). Without --docatlas-scheme the frame takes the element's `color-scheme`
// (MkDocs Material's slate palette says `dark`), so a dark host page gets the app's dark
// defaults for whatever it does not set, whatever the reader's system prefers.
//
// Each element gets `docatlas:ready` (bubbling) when its docs are in, with the instance's route
// in `event.detail.hash`; `element.docatlasGo('#/search?q=refund')` moves an instance.

const SITE = new URL('./', import.meta.url);
const THEME = ['fg', 'muted', 'bg', 'soft', 'border', 'accent', 'mark', 'warn-bg', 'warn', 'on-accent', 'font', 'scheme'];
// An auto-height frame's height until its first report (then its content's).
const AUTO_START = '16rem';
let instances = [];
let hashOwner = null;

function cssSet(el, props) {
  // Inline !important: the host's generic rules (`iframe { border: … }`, `* { margin: … }`)
  // must not reshape the frame. CSSOM, not a style attribute: allowed by style-src 'self'.
  for (const [k, v] of Object.entries(props)) el.style.setProperty(k, v, 'important');
}

function mount(host) {
  // An element taken out and put back (its frame reloaded) is mounted afresh.
  if (instances.some((i) => i.host === host)) return;
  const auto = host.dataset.height === 'auto';
  const bundle = new URL(host.dataset.bundle || 'docatlas.bin', host.dataset.bundle ? document.baseURI : SITE);
  const src = new URL('index.html', SITE);
  src.searchParams.set('embed', '1');
  src.searchParams.set('bundle', bundle.href);
  // The frame talks only to this origin (its route, readiness), never to whoever frames it.
  src.searchParams.set('host', location.origin);
  if (auto) src.searchParams.set('height', 'auto');
  const owns = host.dataset.routing === 'hash' && hashOwner === null;
  if (host.dataset.routing === 'hash' && !owns) {
    console.warn('docatlas: only one instance can own the URL hash; this one routes in memory', host);
  }
  if (owns && location.hash.startsWith('#/')) src.hash = location.hash;
  const frame = document.createElement('iframe');
  frame.title = host.dataset.title || 'Documentation';
  frame.src = src.href;
  // Whether the element has a height of its own (a rule, a flex or grid cell) is measured with
  // nothing in it: an empty box of auto height has no content height, whatever its padding.
  host.replaceChildren();
  const pad = getComputedStyle(host);
  const own = host.clientHeight - parseFloat(pad.paddingTop) - parseFloat(pad.paddingBottom) > 0;
  const height = auto ? AUTO_START : host.dataset.height || (own ? '100%' : 'min(80vh, 48rem)');
  host.append(frame);
  cssSet(frame, {
    display: 'block', width: '100%', height, border: '0', margin: '0', padding: '0',
    'max-width': 'none', 'min-width': '0', 'box-sizing': 'border-box', background: 'transparent',
  });
  const instance = { host, frame, owns, auto, hash: '' };
  if (owns) hashOwner = instance;
  host.docatlasGo = (hash) => frame.contentWindow?.postMessage({ docatlas: 'go', hash }, SITE.origin);
  instances.push(instance);
}

// The host's theme for one instance: each --docatlas-* property its element computes.
function theme(instance) {
  const style = getComputedStyle(instance.host);
  const vars = {};
  for (const name of THEME) {
    const value = style.getPropertyValue(`--docatlas-${name}`).trim();
    if (value && value.length < 200) vars[name] = value;
  }
  // `normal` (the host says nothing) leaves the frame to the reader's system preference.
  if (!vars.scheme && /^(light|dark|light dark|dark light)$/.test(style.colorScheme)) vars.scheme = style.colorScheme;
  instance.frame.contentWindow?.postMessage({ docatlas: 'theme', vars }, SITE.origin);
  if (instance.auto) viewport(instance);
}

// An auto-height frame's viewport is its whole content, so the app's "part of the screen"
// sizes (the graph's box, the sidebar) are told the host's window height instead of 1vh.
function viewport(instance) {
  instance.frame.contentWindow?.postMessage({ docatlas: 'viewport', height: innerHeight }, SITE.origin);
}

function mountAll() {
  // A portal that swaps its page (client-side routing, MkDocs Material's instant loading)
  // takes instances away: they are forgotten, and the hash is free for the new page's owner.
  instances = instances.filter((i) => i.host.isConnected);
  if (hashOwner && !hashOwner.host.isConnected) hashOwner = null;
  for (const el of document.querySelectorAll('[data-docatlas]')) mount(el);
}

addEventListener('message', (ev) => {
  const instance = instances.find((i) => i.frame.contentWindow === ev.source);
  const m = ev.data;
  if (!instance || ev.origin !== SITE.origin || m === null || typeof m !== 'object') return;
  if (typeof m.hash === 'string') instance.hash = m.hash;
  if (m.docatlas === 'show' && Number.isFinite(m.top)) reveal(instance, m.top);
  if (m.docatlas === 'size' && instance.auto && Number.isFinite(m.height) && m.height > 0) {
    cssSet(instance.frame, { height: `${Math.ceil(m.height)}px` });
  }
  if (m.docatlas === 'hello' || m.docatlas === 'ready') theme(instance);
  if (m.docatlas === 'ready') {
    instance.host.dispatchEvent(new CustomEvent('docatlas:ready', { bubbles: true, detail: { hash: m.hash } }));
  }
  // The host's history already has the frame's step (frames share the tab's history), so the
  // host's URL is replaced, not pushed: Back walks the reader's steps once.
  if (instance.owns && typeof m.hash === 'string' && m.hash.startsWith('#/') && m.hash !== location.hash) {
    history.replaceState(history.state, '', m.hash);
  }
});

// The top of the host's window that a fixed or sticky bar (a portal's header) covers, at `x`.
function coveredTop(x) {
  for (let el = document.elementFromPoint(x, 0); el && el !== document.body; el = el.parentElement) {
    if (['fixed', 'sticky'].includes(getComputedStyle(el).position)) return Math.max(0, el.getBoundingClientRect().bottom);
  }
  return 0;
}

// The frame showed a page or heading `top` pixels below its top: the host page moves only when
// that place is out of its view (or under its header), and then puts the frame's top (its own
// header and search box) just below the host's header, or the place itself when both do not fit
// (far down an auto-height frame).
function reveal(instance, top) {
  const r = instance.frame.getBoundingClientRect();
  const y = r.top + Math.min(Math.max(0, top), r.height);
  const covered = coveredTop(r.left + r.width / 2);
  if (y >= covered && y <= innerHeight - 48) return;
  const to = y - r.top < innerHeight - covered - 48 ? r.top : y;
  scrollBy(0, to - covered);
}

// A deep link typed or followed on the host page goes to the instance that owns the hash.
addEventListener('hashchange', () => {
  if (hashOwner && location.hash.startsWith('#/') && location.hash !== hashOwner.hash) {
    hashOwner.host.docatlasGo(location.hash);
  }
});

function typing(target) {
  return target instanceof HTMLElement &&
    (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));
}

// Keys typed inside an instance stay in its frame by construction. Keys typed on the host page
// (outside any field) go to the instance marked data-shortcuts, never to all of them.
const SHORTCUTS = ['/', 'ctrl-k', 'n', 'm', 't'];
addEventListener('keydown', (ev) => {
  if (ev.defaultPrevented || ev.altKey || typing(ev.target)) return;
  const mod = ev.ctrlKey || ev.metaKey;
  const key = mod ? (ev.key === 'k' ? 'ctrl-k' : '') : ev.key;
  const target = instances.find((i) => i.host.hasAttribute('data-shortcuts') && i.host.isConnected);
  if (!target || !SHORTCUTS.includes(key)) return;
  const picked = target.host.dataset.shortcuts.trim().toLowerCase();
  if (picked && !picked.split(/\s+/).includes(key)) return;
  ev.preventDefault();
  target.frame.focus();
  target.frame.contentWindow?.postMessage(
    { docatlas: 'key', key: ev.key, ctrlKey: ev.ctrlKey, metaKey: ev.metaKey }, SITE.origin);
});

mountAll();
// Elements a portal renders later (client-side routing) become instances when they appear.
new MutationObserver(mountAll).observe(document.documentElement, { childList: true, subtree: true });
// A host's theme switch (MkDocs Material sets data-md-color-scheme on <body>) reaches every frame.
const rethemeAll = () => instances.forEach(theme);
new MutationObserver(rethemeAll).observe(document.documentElement, { attributes: true });
if (document.body) new MutationObserver(rethemeAll).observe(document.body, { attributes: true });
matchMedia('(prefers-color-scheme: dark)').addEventListener('change', rethemeAll);
addEventListener('resize', () => instances.filter((i) => i.auto).forEach(viewport));
