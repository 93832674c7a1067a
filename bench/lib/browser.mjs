// Browser measurements in headless Chromium (playwright-core + the system Chromium):
// cold load (bytes and time from navigation to the first query's results) and warm per-query
// latency plus the top-10 results of every query, for docatlas and for Pagefind.

import { chromium } from 'playwright-core';
import { serve } from './serve.mjs';

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const TOP = 10;

// Pagefind's side: a page served beside its index that loads /pagefind/pagefind.js and, like a
// Pagefind UI, calls search(q) and then data() for the top results. `?q=` runs a first query at
// once and records when its results were in (ms since navigation start).
const PAGEFIND_HARNESS = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Pagefind bench harness</title></head>
<body>
<script type="module">
const pagefind = await import('/pagefind/pagefind.js');
window.__run = async (q, n) => {
  const t0 = performance.now();
  const r = await pagefind.search(q);
  const data = await Promise.all(r.results.slice(0, n).map((x) => x.data()));
  const ms = performance.now() - t0;
  return { ms, total: r.results.length, urls: data.map((d) => d.url) };
};
const q = new URLSearchParams(location.search).get('q');
if (q !== null) {
  const res = await window.__run(q, ${TOP});
  window.__first = { ...res, at: performance.now(),
    resources: performance.getEntriesByType('resource').map((e) => e.name) };
}
</script>
</body></html>
`;

// docatlas' side, injected before the app's scripts: on `docatlas:ready`, run the first query
// through the JS API and record when its results were in.
function oursInit({ q, top }) {
  const run = (query, n) => {
    const t0 = performance.now();
    let json;
    try {
      json = window.wasmBindings.search_json(query, n);
    } catch (e) {
      return { ms: performance.now() - t0, error: String(e && e.message || e), total: 0, hits: [] };
    }
    const ms = performance.now() - t0;
    const r = JSON.parse(json);
    return { ms, total: r.total, hits: r.hits.map((h) => ({ doc: h.doc, anchor: h.anchor })) };
  };
  window.__run = run;
  const first = () => {
    if (window.__first) return;
    const res = run(q, top);
    window.__first = { ...res, at: performance.now(),
      resources: performance.getEntriesByType('resource').map((e) => e.name) };
  };
  window.addEventListener('docatlas:ready', first);
  // In case the flag is set without the event reaching us (it should not happen).
  const poll = () => (window.docatlasReady === true ? first() : setTimeout(poll, 5));
  setTimeout(poll, 0);
}

/** One cold load in a fresh context: bytes received and time until the first results. */
async function coldLoad(browser, engine, base, q) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  const cdp = await context.newCDPSession(page);
  const requests = new Map(); // requestId → { url, bytes, done }
  cdp.on('Network.requestWillBeSent', (e) => {
    if (!requests.has(e.requestId)) {
      requests.set(e.requestId, { url: e.request.url, document: e.type === 'Document', bytes: 0, done: false });
    }
  });
  cdp.on('Network.loadingFinished', (e) => {
    const r = requests.get(e.requestId);
    if (r) Object.assign(r, { bytes: e.encodedDataLength, done: true });
  });
  cdp.on('Network.loadingFailed', (e) => {
    const r = requests.get(e.requestId);
    if (r) Object.assign(r, { failed: e.errorText, done: true });
  });
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  let url;
  if (engine === 'ours') {
    await page.addInitScript(oursInit, { q, top: TOP });
    url = base;
  } else {
    url = `${base}__bench.html?q=${encodeURIComponent(q)}`;
  }
  await page.goto(url, { waitUntil: 'commit' });
  const handle = await page.waitForFunction(() => window.__first, null, { timeout: 120_000, polling: 50 });
  const first = await handle.jsonValue();
  // Let the network events of what the page has already loaded arrive.
  await page.waitForTimeout(500);
  await cdp.send('Network.disable').catch(() => {});
  const needed = new Set(first.resources);
  let bytes = 0;
  let bytesAll = 0;
  const files = [];
  for (const r of requests.values()) {
    bytesAll += r.bytes;
    if (r.document || needed.has(r.url)) {
      bytes += r.bytes;
      files.push({ url: r.url.replace(base, '/'), bytes: r.bytes });
    }
  }
  if (first.error) problems.push(`first query failed: ${first.error}`);
  return { page, context, first, bytes, bytesAll, requests: files.length, files, problems };
}

/** Every query once, in the page of a finished cold load. */
async function warm(page, queries) {
  return page.evaluate(async ({ queries, top }) => {
    const out = [];
    for (const q of queries) out.push(await window.__run(q, top));
    return out;
  }, { queries, top: TOP });
}

/**
 * sites: { ours: dir, pagefind: dir }; queries: [{query, typo}].
 * Returns per engine: cold loads (gzip and identity servers), warm results for exact and typo.
 */
export async function measureBrowser({ sites, queries, coldRepeats = 3, log }) {
  const servers = {};
  for (const engine of ['ours', 'pagefind']) {
    const virtual = engine === 'pagefind' ? { '/__bench.html': { type: 'text/html; charset=utf-8', body: PAGEFIND_HARNESS } } : {};
    servers[engine] = {
      gzip: await serve(sites[engine], { gzip: true, virtual }),
      identity: await serve(sites[engine], { gzip: false, virtual }),
    };
  }
  // launch() gives the browser a fresh temporary profile (its own --user-data-dir, removed on
  // close); every cold load also gets a fresh context (empty cache and storage) on top.
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  const version = browser.version();
  const results = {};
  try {
    const firstQuery = queries[0].query;
    for (const engine of ['ours', 'pagefind']) {
      const r = { cold: {}, problems: [] };
      for (const mode of ['gzip', 'identity']) {
        const loads = [];
        for (let i = 0; i < coldRepeats; i++) {
          const load = await coldLoad(browser, engine, servers[engine][mode].base, firstQuery);
          r.problems.push(...load.problems);
          const keep = mode === 'gzip' && i === coldRepeats - 1;
          if (keep) {
            log(`${engine}: warm queries (${queries.length} exact, then ${queries.length} with a typo)`);
            const t0 = Date.now();
            r.exact = await warm(load.page, queries.map((q) => q.query));
            r.typo = await warm(load.page, queries.map((q) => q.typo));
            log(`${engine}: warm queries done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
          }
          await load.context.close();
          loads.push({ bytes: load.bytes, bytesAll: load.bytesAll, requests: load.requests, files: load.files, ms: load.first.at, total: load.first.total });
        }
        const ms = loads.map((l) => l.ms).sort((a, b) => a - b);
        r.cold[mode] = { ...loads[0], msMedian: ms[Math.floor(ms.length / 2)], msAll: loads.map((l) => l.ms), bytesAllRuns: loads.map((l) => l.bytes) };
        log(`${engine}: cold load (${mode} server): ${loads[0].bytes} bytes in ${loads[0].requests} requests, first results after ${r.cold[mode].msMedian.toFixed(0)} ms (median of ${coldRepeats})`);
      }
      results[engine] = r;
    }
  } finally {
    await browser.close();
    for (const s of Object.values(servers)) {
      await s.gzip.close();
      await s.identity.close();
    }
  }
  return { chromium: version, results };
}
