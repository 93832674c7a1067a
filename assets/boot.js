// docatlas' loader: a classic script file (no inline code anywhere, so a site works under
// `script-src 'self' 'wasm-unsafe-eval'`), written into the site as docatlas-boot-HASH.js.
//
// index.html names the two WebAssembly modules on this script's tag: data-search (the
// search-first module) and data-app (the full app); each is NAME.js (wasm-bindgen's glue) and
// NAME_bg.wasm.gz (its WebAssembly, gzip-compressed). Files are found next to this script, not
// the page, so a host page anywhere can load it. The search-first module starts first; it calls
// window.docatlasLoadApp() for the full app once no search waits for its files, or at once on a
// route it cannot show.
//
// In a single-file build (`build-index build --single-file`) every file is inlined, gzip then
// base64, in a <script type="application/octet-stream" id="docatlas-file:NAME"> element, and
// the page has an element #docatlas-single: the glue modules are imported from blob: URLs and
// the data files are read by the app itself (docatlas_web::fetch).
//
// In an embedded frame (embed.js, `?embed` in the URL) it also tells the host page where the
// reader is (for data-routing="hash") and takes the host's shortcuts and deep links.
(function () {
  'use strict';
  var me = document.currentScript;
  var single = document.getElementById('docatlas-single') !== null;

  if (location.protocol === 'file:' && !single) {
    // Browsers refuse module scripts and data fetches to a folder opened from file://: say
    // what to do instead of showing a blank page.
    document.addEventListener('DOMContentLoaded', function () {
      var p = document.createElement('p');
      p.id = 'docatlas-file-warning';
      p.textContent = 'This docatlas site must be served over http(s); browsers block it when opened ' +
        'from a file. Run `build-index serve` on this folder (or use any static web server) and open ' +
        'the URL it prints, or build one self-contained file with `build-index build DOCS --single-file docs.html`.';
      document.body.appendChild(p);
    });
    return;
  }

  var GZIP = [0x1f, 0x8b];
  function isGzip(b) { return b[0] === GZIP[0] && b[1] === GZIP[1]; }

  function inlined(name) {
    var el = document.getElementById('docatlas-file:' + name);
    if (el === null) throw new Error('docatlas: ' + name + ' is missing from this file; rebuild it');
    var text = atob(el.textContent.trim());
    var bytes = new Uint8Array(text.length);
    for (var i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
    return bytes;
  }

  async function bytesOf(name) {
    if (single) return inlined(name);
    var url = new URL(name, me.src);
    var resp = await fetch(url);
    if (!resp.ok) throw new Error('docatlas: could not fetch ' + url + ': ' + resp.status);
    return new Uint8Array(await resp.arrayBuffer());
  }

  // A host that already sent Content-Encoding: gzip hands over plain bytes: used as they are.
  function plain(b) {
    return isGzip(b) ? new Blob([b]).stream().pipeThrough(new DecompressionStream('gzip')) : b;
  }

  async function wasm(name) {
    return new Response(plain(await bytesOf(name + '_bg.wasm.gz')), {
      headers: { 'Content-Type': 'application/wasm' },
    });
  }

  async function glue(name) {
    if (!single) return import(new URL(name + '.js', me.src).href);
    var text = await new Response(plain(inlined(name + '.js'))).text();
    return import(URL.createObjectURL(new Blob([text], { type: 'text/javascript' })));
  }

  // The app starts only once the module has started (or failed to): it asks the module for the
  // head and for its searches (window.docatlasSearch).
  var searchStarted;
  var searchGlue = null;
  var started = new Promise(function (resolve) { searchStarted = resolve; });
  window.docatlasLoadApp = function () {
    if (!window.docatlasApp) {
      window.docatlasApp = (async function () {
        var app = await glue(me.dataset.app);
        await started;
        // One Trusted Types policy per page: the app writes HTML with the module's.
        if (searchGlue && app.docatlasTakePolicy) app.docatlasTakePolicy(searchGlue.docatlasGivePolicy());
        var instance = await app.default({ module_or_path: wasm(me.dataset.app) });
        dispatchEvent(new CustomEvent('TrunkApplicationStarted', { detail: { wasm: instance } }));
        return app;
      })();
    }
    return window.docatlasApp;
  };

  (async function () {
    try {
      var search = await glue(me.dataset.search);
      searchGlue = search;
      await search.default({ module_or_path: wasm(me.dataset.search) });
      // The page's one search engine: the JS API, and the app's search (it has none of its own).
      window.wasmBindings = window.docatlasSearch = search;
    } catch (e) {
      console.error('docatlas: the search-first module did not start; loading the app', e);
      window.docatlasLoadApp();
    }
    searchStarted();
  })();

  if (new URLSearchParams(location.search).has('embed') && window.parent !== window) frame();

  // Inside embed.js's frame: the host page owns deep links when it asked for them, and sends
  // the shortcuts typed outside any instance to the one marked data-shortcuts.
  function frame() {
    var host = window.parent;
    // embed.js names its page's origin; messages go there only (the route is the reader's).
    var hostOrigin = null;
    try {
      var named = new URLSearchParams(location.search).get('host') || '';
      if (named !== 'null' && new URL(named).origin === named) hostOrigin = named;
    } catch (e) { /* not an origin: this frame tells nothing */ }
    function tell(what) {
      if (hostOrigin) host.postMessage(Object.assign({ docatlas: what }, arguments[1] || {}), hostOrigin);
    }
    var THEME = ['fg', 'muted', 'bg', 'soft', 'border', 'accent', 'mark', 'warn-bg', 'warn', 'on-accent', 'font', 'scheme'];
    var root = document.documentElement;
    addEventListener('hashchange', function () { tell('route', { hash: location.hash }); });
    addEventListener('docatlas:ready', function () { tell('ready', { hash: location.hash }); });
    tell('hello');
    root.setAttribute('data-da-embed', '');
    // The app puts a page's top or a heading at the top of the view through this (host.rs's
    // show_at_top), not scrollIntoView, which scrolls the host page as well: only this frame's
    // page scrolls, and the host brings the place into its own view if it is out of it.
    window.docatlasShow = function (el) {
      var margin = parseFloat(getComputedStyle(el).scrollMarginTop) || 0;
      scrollTo(0, Math.max(0, el.getBoundingClientRect().top + scrollY - margin));
      tell('show', { top: Math.max(0, el.getBoundingClientRect().top - margin) });
    };
    // data-height="auto": the page is as tall as what it shows (page.css drops its 100% height
    // and its scroll bar), and the host sets the frame to that height each time it changes.
    if (new URLSearchParams(location.search).get('height') === 'auto') {
      root.setAttribute('data-da-height', 'auto');
      var told = 0;
      new ResizeObserver(function () {
        var h = Math.ceil(root.getBoundingClientRect().height);
        if (h !== told) { told = h; tell('size', { height: h }); }
      }).observe(root);
    }
    addEventListener('message', function (ev) {
      var m = ev.data;
      if (ev.source !== host || ev.origin !== hostOrigin || m === null || typeof m !== 'object') return;
      if (m.docatlas === 'theme' && m.vars && typeof m.vars === 'object') {
        // CSSOM, not a style attribute: allowed under style-src 'self'. Custom properties only.
        THEME.forEach(function (name) {
          var v = m.vars[name];
          if (typeof v === 'string' && v.length < 200) root.style.setProperty('--docatlas-' + name, v);
          else root.style.removeProperty('--docatlas-' + name);
        });
      } else if (m.docatlas === 'viewport' && typeof m.height === 'number' && m.height > 0) {
        // What 1vh is on the host's screen, for the sizes the app gives in parts of the screen.
        root.style.setProperty('--da-vh', (m.height / 100) + 'px');
      } else if (m.docatlas === 'go' && typeof m.hash === 'string' && m.hash.startsWith('#/') && m.hash !== location.hash) {
        location.hash = m.hash;
      } else if (m.docatlas === 'key' && typeof m.key === 'string') {
        window.focus();
        dispatchEvent(new KeyboardEvent('keydown', {
          key: m.key, ctrlKey: !!m.ctrlKey, metaKey: !!m.metaKey, bubbles: true, cancelable: true,
        }));
      }
    });
  }
})();
