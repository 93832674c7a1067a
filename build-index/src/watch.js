/* docatlas serve --watch: reload on rebuild, keeping the route and the scroll; show the build's
   diagnostics. Injected into index.html only in watch mode. */
(function () {
  var KEY = 'docatlas:watch:scroll';
  var saved = null;
  try { saved = sessionStorage.getItem(KEY); sessionStorage.removeItem(KEY); } catch (e) {}
  if (saved !== null) {
    // The app renders its view after it loads (and may scroll to the top when it does): keep
    // putting the page back where it was for a moment, until the reader scrolls or types.
    var y = +saved, until = Date.now() + 3000, moved = false;
    ['wheel', 'keydown', 'touchstart', 'mousedown'].forEach(function (t) {
      addEventListener(t, function () { moved = true; }, { once: true, passive: true });
    });
    (function restore() {
      if (moved || Date.now() > until) return;
      if (Math.abs(scrollY - y) > 1 && document.documentElement.scrollHeight >= y + innerHeight) {
        scrollTo(0, y);
      }
      setTimeout(restore, 30);
    })();
  }
  var box = null;
  function el(tag, style, text) {
    var e = document.createElement(tag);
    if (style) e.setAttribute('style', style);
    if (text) e.textContent = text;
    return e;
  }
  function show(r) {
    if (box) { box.remove(); box = null; }
    if (r.ok && r.errors === 0) return;
    box = el('div', 'position:fixed;left:0;right:0;bottom:0;max-height:45vh;overflow:auto;z-index:2147483647;' +
      'background:#1e1e1e;color:#eee;font:13px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;' +
      'padding:10px 14px;border-top:3px solid ' + (r.ok ? '#d29922' : '#f85149'));
    box.setAttribute('role', 'alert');
    box.id = 'docatlas-watch-overlay';
    var head = el('div', 'display:flex;gap:1em;align-items:baseline;margin-bottom:6px');
    head.appendChild(el('strong', 'color:' + (r.ok ? '#d29922' : '#f85149'),
      r.ok ? r.errors + ' error' + (r.errors === 1 ? '' : 's') + ', ' + r.warnings + ' warning' +
        (r.warnings === 1 ? '' : 's') + ' in the last build'
        : 'The build failed; this is the last good site'));
    var close = el('button', 'margin-left:auto;background:none;color:inherit;border:1px solid #666;cursor:pointer', 'Dismiss');
    close.addEventListener('click', function () { box.remove(); box = null; });
    head.appendChild(close);
    box.appendChild(head);
    if (r.error) box.appendChild(el('pre', 'white-space:pre-wrap;margin:0 0 6px', r.error));
    (r.diagnostics || []).forEach(function (d) {
      box.appendChild(el('div', 'white-space:pre-wrap;color:' + (d.severity === 'error' ? '#ff7b72' : '#e3b341'),
        d.path + ':' + d.line + ':' + d.col + ': ' + d.severity + ': ' + d.message));
    });
    document.body.appendChild(box);
  }
  var source = new EventSource('__docatlas/events?gen=' + (window.__docatlasWatchGeneration || 0));
  source.addEventListener('report', function (e) { show(JSON.parse(e.data)); });
  source.addEventListener('reload', function () {
    try { sessionStorage.setItem(KEY, String(scrollY)); } catch (e) {}
    source.close();
    location.reload();
  });
})();
