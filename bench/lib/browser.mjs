// Browser measurements in headless Chromium (playwright-core + the system Chromium):
// cold load (bytes and time from navigation to the first query's results, on localhost and on a
// throttled slow network) and warm per-query latency plus the top-10 results of every query, for
// docatlas and for Pagefind.

import { chromium } from 'playwright-core';
import { serve } from './serve.mjs';

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const TOP = 10;

/**
 * The slow network of the throttled cold loads: Chromium's own network throttling (DevTools
 * protocol, Network.emulateNetworkConditions), 20 Mbit/s down, 40 ms added to every request.
 */
export const SLOW_NETWORK = { downMbps: 20, latencyMs: 40 };

// Pagefind's side: a page served beside its index that loads /pagefind/pagefind.js and, like a
// Pagefind UI, calls search(q) and then data() for the top results. `?q=` runs a first query at
// once and records when its results were in (ms since navigation start).
const PAGEFIND_HARNESS = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Pagefind bench harness</title>
<link rel="icon" href="data:,"></head>
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
  window.__first = { ...res, at: performance.now() };
}
</script>
</body></html>
`;

// docatlas' side, injected before the app's scripts: on `docatlas:ready`, run the first query
// through the JS API (a Promise: it fetches the shards and text it needs) and record when its
// results were in.
function oursInit({ q, top }) {
  const run = async (query, n) => {
    const t0 = performance.now();
    let json;
    try {
      json = await window.wasmBindings.search_json(query, n);
    } catch (e) {
      return { ms: performance.now() - t0, error: String(e && e.message || e), total: 0, hits: [] };
    }
    const ms = performance.now() - t0;
    const r = JSON.parse(json);
    return { ms, total: r.total, hits: r.hits.map((h) => ({ doc: h.doc, anchor: h.anchor })) };
  };
  window.__run = run;
  let started = false;
  const first = async () => {
    if (started) return;
    started = true;
    const res = await run(q, top);
    window.__first = { ...res, at: performance.now() };
  };
  window.addEventListener('docatlas:ready', first);
  // In case the flag is set without the event reaching us (it should not happen).
  const poll = () => (window.docatlasReady === true ? first() : setTimeout(poll, 5));
  setTimeout(poll, 0);
}

/**
 * One cold load in a fresh context: bytes received and time until the first results.
 *
 * Bytes are counted two ways: Chromium's own figures for every request the page and its workers
 * made (Playwright's request.sizes(): response headers + encoded body, from the DevTools
 * protocol's Network.loadingFinished encodedDataLength), and what the server wrote to its sockets.
 * A page-level CDP session alone would miss Pagefind's Web Worker, which fetches its index.
 * Only requests started before the first results were in count. `throttle` ({ downMbps,
 * latencyMs }) runs the load on Chromium's simulated slow network.
 */
export async function coldLoad(browser, engine, server, q, { throttle = null } = {}) {
  const base = server.base;
  const context = await browser.newContext();
  const page = await context.newPage();
  if (throttle) {
    // On the page's target; Chromium applies a frame's conditions to its dedicated workers'
    // requests too (checked: Pagefind's worker fetches its index chunks as slowly).
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: throttle.latencyMs,
      downloadThroughput: (throttle.downMbps * 1e6) / 8,
      uploadThroughput: -1,
    });
  }
  const problems = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  const finished = [];
  const failed = [];
  context.on('requestfinished', (r) => finished.push(r.sizes().then((z) => ({ url: r.url(), start: r.timing().startTime, end: r.timing().startTime + r.timing().responseEnd, bytes: z.responseBodySize + z.responseHeadersSize }))));
  context.on('requestfailed', (r) => failed.push(`${r.url()}: ${r.failure()?.errorText}`));
  page.on('response', (r) => { if (r.status() >= 400) problems.push(`HTTP ${r.status()} for ${r.url()}`); });
  let url;
  if (engine === 'ours') {
    await page.addInitScript(oursInit, { q, top: TOP });
    url = base;
  } else {
    url = `${base}__bench.html?q=${encodeURIComponent(q)}`;
  }
  server.log.length = 0;
  await page.goto(url, { waitUntil: 'commit' });
  const handle = await page.waitForFunction(() => window.__first, null, { timeout: 120_000, polling: 50 });
  const first = await handle.jsonValue();
  const firstAt = await page.evaluate(() => performance.timeOrigin) + first.at;
  // Let the events of what the page has already loaded arrive.
  await page.waitForTimeout(500);
  const reqs = await Promise.all(finished);
  let bytes = 0;
  let bytesAll = 0;
  const chromiumFiles = [];
  for (const r of reqs) {
    bytesAll += r.bytes;
    if (r.start <= firstAt) {
      bytes += r.bytes;
      chromiumFiles.push({ url: r.url.replace(base, '/'), bytes: r.bytes, ms: Math.round(r.end - r.start) });
    }
  }
  const files = server.log.filter((e) => e.start <= firstAt).map((e) => ({ url: e.url, bytes: e.bytes }));
  const serverBytes = files.reduce((a, e) => a + e.bytes, 0);
  problems.push(...failed.map((f) => `request failed: ${f}`));
  if (first.error) problems.push(`first query failed: ${first.error}`);
  const slowest = reqs.filter((r) => r.start <= firstAt).reduce((a, r) => Math.max(a, r.end - r.start), 0);
  return { page, context, first, slowestRequestMs: slowest, chromiumBytes: bytes, chromiumBytesAll: bytesAll, serverBytes, requests: files.length, files, chromiumFiles, problems };
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
 * Returns per engine: cold loads (gzip and identity servers; `cold` on localhost, `coldSlow` on
 * the `throttle` network), warm results for exact and typo, first with files fetched on first use
 * and then again with them cached (`exactCached`, `typoCached`).
 */
export async function measureBrowser({ sites, queries, coldRepeats = 3, throttle = SLOW_NETWORK, log }) {
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
      const r = { cold: {}, coldSlow: {}, problems: [] };
      for (const mode of ['gzip', 'identity']) {
        const loads = [];
        for (let i = 0; i < coldRepeats; i++) {
          const load = await coldLoad(browser, engine, servers[engine][mode], firstQuery);
          r.problems.push(...load.problems);
          const keep = mode === 'gzip' && i === coldRepeats - 1;
          if (keep) {
            log(`${engine}: warm queries (${queries.length} exact, then ${queries.length} with a typo)`);
            const t0 = Date.now();
            r.exact = await warm(load.page, queries.map((q) => q.query));
            r.typo = await warm(load.page, queries.map((q) => q.typo));
            // The same queries again: every file either engine fetched on demand is cached now,
            // so this is the search code alone.
            r.exactCached = await warm(load.page, queries.map((q) => q.query));
            r.typoCached = await warm(load.page, queries.map((q) => q.typo));
            log(`${engine}: warm queries done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
          }
          await load.context.close();
          loads.push({ serverBytes: load.serverBytes, chromiumBytes: load.chromiumBytes, chromiumBytesAll: load.chromiumBytesAll, requests: load.requests, files: load.files, chromiumFiles: load.chromiumFiles, ms: load.first.at, total: load.first.total });
        }
        const ms = loads.map((l) => l.ms).sort((a, b) => a - b);
        r.cold[mode] = { ...loads[0], msMedian: ms[Math.floor(ms.length / 2)], msAll: loads.map((l) => l.ms), serverBytesRuns: loads.map((l) => l.serverBytes) };
        log(`${engine}: cold load (${mode} server): ${loads[0].serverBytes} bytes in ${loads[0].requests} requests, first results after ${r.cold[mode].msMedian.toFixed(0)} ms (median of ${coldRepeats})`);
        // The same cold load on a slow network (Chromium's throttling); the bytes are the same.
        const slow = [];
        for (let i = 0; i < coldRepeats; i++) {
          const load = await coldLoad(browser, engine, servers[engine][mode], firstQuery, { throttle });
          r.problems.push(...load.problems);
          await load.context.close();
          slow.push({ ms: load.first.at, serverBytes: load.serverBytes, requests: load.requests, slowestRequestMs: load.slowestRequestMs });
        }
        const slowMs = slow.map((l) => l.ms).sort((a, b) => a - b);
        r.coldSlow[mode] = { ...throttle, msMedian: slowMs[Math.floor(slowMs.length / 2)], msAll: slow.map((l) => l.ms), runs: slow };
        log(`${engine}: cold load (${mode} server, ${throttle.downMbps} Mbit/s, ${throttle.latencyMs} ms): first results after ${r.coldSlow[mode].msMedian.toFixed(0)} ms (median of ${coldRepeats})`);
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
