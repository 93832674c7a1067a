// The app's load-order and view benchmark (issue 20's "Size and speed"), in headless Chromium:
//
// 1. bytes before the first results, the query issued at `docatlas:ready`, docatlas against
//    Pagefind on the Rust docs (files as stored and through a gzip server; the cold load of
//    bench/lib/browser.mjs), and whether the app's wasm was among them;
// 2. first paint of a page's deep link against the home page, on Chromium's emulated networks
//    (20 Mbit/s + 40 ms, and DevTools' "Fast 3G"): when the page's text is on screen, and the
//    paint timing API's first contentful paint;
// 3. the impact view of the 300-node benchmark graph (bench/graph/gen.mjs, every node shown),
//    from the route change in the loaded app to its nodes in the DOM and to the next frame;
// 4. route changes between views already loaded once (their data fetched).
//
// It prints figures; it asserts nothing.
//
//   node bench/app/views.mjs RUST_DOCATLAS_SITE RUST_PAGEFIND_SITE GRAPH_SITE QUERY DOC_PATH

import { chromium } from 'playwright-core';
import { coldLoad } from '../lib/browser.mjs';
import { serve } from '../lib/serve.mjs';

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const RUNS = Number(process.env.BENCH_APP_RUNS || 3);
/** `impact`: only the 300-node impact view (step 3); unset: every step. */
const ONLY = process.env.BENCH_APP_ONLY || '';

/** The emulated networks of the deep-link runs (Fast 3G as Chromium DevTools defines it). */
const NETWORKS = [
  { name: '20 Mbit/s + 40 ms', latency: 40, down: 20e6 / 8, up: -1 },
  { name: 'Fast 3G', latency: 562.5, down: (1.6e6 * 0.9) / 8, up: (750e3 * 0.9) / 8 },
];

const [oursSite, pagefindSite, graphSite, query, docPath] = process.argv.slice(2);
const med = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const kib = (b) => `${(b / 1024).toFixed(1)} KiB`;
const ms = (x) => `${x.toFixed(1)} ms`;

const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
const out = {};
try {
  const step = async (name, f) => {
    out[name] = await f();
    console.error(`bench/app: ${name}: ${JSON.stringify(out[name])}`);
  };
  if (ONLY === 'impact') {
    await step('graph', graphView);
  } else {
    await step('bytes', firstResultBytes);
    await step('deepLink', deepLinkPaint);
    await step('graph', graphView);
    await step('routes', routeChanges);
  }
} finally {
  await browser.close();
}
report(out);

/** 1. Bytes before the first results, as bench/run counts them, and the app's wasm among them? */
async function firstResultBytes() {
  const PAGEFIND_HARNESS = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>h</title></head><body>
<script type="module">
const pagefind = await import('/pagefind/pagefind.js');
const q = new URLSearchParams(location.search).get('q');
const r = await pagefind.search(q);
const data = await Promise.all(r.results.slice(0, 10).map((x) => x.data()));
window.__first = { total: r.results.length, at: performance.now(), n: data.length };
</script></body></html>`;
  const rows = {};
  for (const [engine, site] of [['ours', oursSite], ['pagefind', pagefindSite]]) {
    for (const gzip of [false, true]) {
      const virtual = engine === 'pagefind' ? { '/__bench.html': { type: 'text/html; charset=utf-8', body: PAGEFIND_HARNESS } } : {};
      const server = await serve(site, { gzip, virtual });
      const runs = [];
      for (let i = 0; i < RUNS; i++) {
        const load = await coldLoad(browser, engine, server, query);
        const app = load.files.some((f) => /\/docatlas-[0-9a-f]{16}_bg\.wasm(\.gz)?$/.test(f.url));
        runs.push({ bytes: load.serverBytes, app, ms: load.first.at, problems: load.problems });
        await load.context.close();
      }
      await server.close();
      rows[`${engine}/${gzip ? 'gzip' : 'identity'}`] = {
        bytes: med(runs.map((r) => r.bytes)),
        bytesAll: runs.map((r) => r.bytes),
        appRaced: runs.filter((r) => r.app).length,
        runs: runs.length,
        problems: runs.flatMap((r) => r.problems),
      };
    }
  }
  return rows;
}

/** When `selector` first has text on screen, ms since navigation start, and the page's FCP. */
async function paintAt(server, hash, selector, network) {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false, latency: network.latency, downloadThroughput: network.down, uploadThroughput: network.up,
  });
  await page.addInitScript((sel) => {
    const seen = () => {
      const el = document.querySelector(sel);
      const has = el && (el.tagName === 'INPUT' || el.textContent.trim().length > 0);
      if (has && window.__shown === undefined) {
        // The frame after the text arrived is when it is on screen.
        const at = performance.now();
        requestAnimationFrame(() => { window.__shown = { inDom: at, painted: performance.now() }; });
        return true;
      }
      return false;
    };
    new MutationObserver(() => seen()).observe(document, { childList: true, subtree: true });
  }, selector);
  await page.goto(`${server.base}${hash}`, { waitUntil: 'commit' });
  await page.waitForFunction(() => window.__shown, null, { timeout: 120_000, polling: 50 });
  const r = await page.evaluate(() => ({
    ...window.__shown,
    fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null,
    appWasmAt: performance.getEntriesByType('resource').find((e) => /\/docatlas-[0-9a-f]{16}_bg\.wasm/.test(e.name))?.startTime ?? null,
  }));
  await context.close();
  return r;
}

/** 2. A page's deep link against the home page, per network. */
async function deepLinkPaint() {
  const server = await serve(oursSite, { gzip: false });
  const rows = [];
  try {
    for (const network of NETWORKS) {
      for (const [what, hash, sel] of [
        ['home page (search box)', '#/', '.da-search-input'],
        ['home page (its page list, from the app)', '#/', '.da-home h1'],
        [`page deep link (#/doc/${docPath}: its text)`, `#/doc/${docPath}`, '.da-doc-body'],
      ]) {
        const runs = [];
        for (let i = 0; i < RUNS; i++) runs.push(await paintAt(server, hash, sel, network));
        rows.push({
          network: network.name,
          what,
          painted: med(runs.map((r) => r.painted)),
          fcp: med(runs.map((r) => r.fcp ?? NaN)),
          appWasmAt: med(runs.map((r) => r.appWasmAt ?? Infinity)),
        });
      }
    }
  } finally {
    await server.close();
  }
  return rows;
}

/** Milliseconds from setting `hash` in the loaded app to `selector` in the DOM, and to the next frame. */
async function switchTo(page, hash, selector) {
  return page.evaluate(async ({ hash, selector }) => {
    const done = new Promise((resolve) => {
      const t0 = performance.now();
      const check = () => {
        const el = document.querySelector(selector);
        if (!el) return false;
        const inDom = performance.now() - t0;
        obs.disconnect();
        requestAnimationFrame(() => setTimeout(() => resolve({ inDom, painted: performance.now() - t0 }), 0));
        return true;
      };
      const obs = new MutationObserver(check);
      obs.observe(document, { childList: true, subtree: true, attributes: true });
      location.hash = hash;
      check();
    });
    return done;
  }, { hash, selector });
}

async function loadedApp(site, hash) {
  const server = await serve(site, { gzip: false });
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  const page = await context.newPage();
  await page.goto(`${server.base}${hash}`);
  await page.waitForFunction(() => window.docatlasAppReady === true && !document.getElementById('da-search-first'));
  return { page, close: async () => { await context.close(); await server.close(); } };
}

/** 3. The 300-node impact view, laid out and shown, in the loaded app (graph.bin fetched). */
async function graphView() {
  const { page, close } = await loadedApp(graphSite, '#/entities');
  const ids = await page.$$eval('.da-entity-link, a[href^="#/entity/"]', (as) => [...new Set(as.map((a) => decodeURIComponent(a.getAttribute('href').replace('#/entity/', ''))))]);
  // The largest impact: the one with the most nodes, every node shown.
  let best = null;
  for (const id of ids.slice(0, 400)) {
    await switchTo(page, `#/impact/${id}?up=all&down=all&cap=all&view=graph`, `.da-graph .da-centre[data-id="${id}"]`);
    const t = await page.evaluate(() => window.docatlasGraphTimings);
    if (!best || t.nodes > best.nodes) best = { id, ...t };
  }
  const runs = [];
  for (let i = 0; i < 7; i++) {
    await switchTo(page, '#/entities', '.da-entities, .da-entity-link');
    const r = await switchTo(page, `#/impact/${best.id}?up=all&down=all&cap=all&view=graph`, `.da-graph .da-centre[data-id="${best.id}"]`);
    runs.push({ ...r, ...(await page.evaluate(() => window.docatlasGraphTimings)) });
  }
  await close();
  return {
    id: best.id, nodes: best.nodes, edges: best.edges,
    inDom: med(runs.map((r) => r.inDom)), painted: med(runs.map((r) => r.painted)),
    layout: med(runs.map((r) => r.impactMs + r.layoutMs)),
  };
}

/** 4. Route changes between views loaded once (their data fetched), on the Rust docs. */
async function routeChanges() {
  const views = [
    ['home', '#/', '.da-home h1'],
    ['page', `#/doc/${docPath}`, '.da-doc-body'],
    ['search', `#/search?q=${encodeURIComponent(query)}`, '.da-hit'],
    ['tracks', '#/tracks', '.da-tracks, .da-track'],
  ];
  const { page, close } = await loadedApp(oursSite, '#/');
  for (const [, hash, sel] of views) await switchTo(page, hash, sel);
  const rows = [];
  for (let round = 0; round < 5; round++) {
    for (let i = 0; i < views.length; i++) {
      const [from] = views[i];
      const [to, hash, sel] = views[(i + 1) % views.length];
      rows.push({ pair: `${from} → ${to}`, ...(await switchTo(page, hash, sel)) });
    }
  }
  await close();
  const pairs = [...new Set(rows.map((r) => r.pair))];
  return pairs.map((pair) => {
    const rs = rows.filter((r) => r.pair === pair);
    return { pair, inDom: med(rs.map((r) => r.inDom)), painted: med(rs.map((r) => r.painted)) };
  });
}

function report(o) {
  if (ONLY === 'impact') {
    reportGraph(o.graph);
    return;
  }
  const b = o.bytes;
  console.log('## Bytes before the first results (query issued at docatlas:ready, Rust docs)\n');
  console.log('| server | docatlas | Pagefind | ratio | runs where the app\'s wasm came before the results |');
  console.log('|---|---:|---:|---:|---:|');
  for (const mode of ['identity', 'gzip']) {
    const ours = b[`ours/${mode}`];
    const theirs = b[`pagefind/${mode}`];
    console.log(`| ${mode === 'gzip' ? 'gzip server' : 'no compression'} | ${kib(ours.bytes)} | ${kib(theirs.bytes)} | ${(ours.bytes / theirs.bytes).toFixed(2)}× | ${ours.appRaced} of ${ours.runs} |`);
  }
  console.log(`\nquery: ${JSON.stringify(query)}; median of ${RUNS} cold loads each`);
  console.log('\n## First paint: a page deep link against the home page (Rust docs, no compression)\n');
  console.log('| network | what | on screen | first contentful paint | app wasm asked for at |');
  console.log('|---|---|---:|---:|---:|');
  for (const r of o.deepLink) {
    console.log(`| ${r.network} | ${r.what} | ${ms(r.painted)} | ${ms(r.fcp)} | ${Number.isFinite(r.appWasmAt) ? ms(r.appWasmAt) : 'not yet'} |`);
  }
  reportGraph(o.graph);
  console.log('\n## Route changes between loaded views (Rust docs; median of 5)\n');
  console.log('| change | in the DOM | next frame |');
  console.log('|---|---:|---:|');
  for (const r of o.routes) console.log(`| ${r.pair} | ${ms(r.inDom)} | ${ms(r.painted)} |`);
  const problems = Object.values(b).flatMap((r) => r.problems);
  if (problems.length) console.log(`\nproblems: ${[...new Set(problems)].slice(0, 10).join('; ')}`);
}

function reportGraph(g) {
  console.log(`\n## Impact view of the 300-node benchmark graph (${g.id}: ${g.nodes} nodes, ${g.edges} edges, every node shown)\n`);
  console.log(`route change → nodes in the DOM ${ms(g.inDom)}, → next frame ${ms(g.painted)} (median of 7; query + layout ${ms(g.layout)}); target 50 ms`);
}
