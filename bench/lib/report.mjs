// Relevance and latency figures from the browser runs, and the markdown table.

const TOP = 10;

/** Pagefind result URL (`/book/src/ch01.html`, `/x/` for x/index.html) → corpus path. */
export function pagefindDoc(url) {
  let p = url.split('#')[0].split('?')[0];
  try {
    p = decodeURI(p);
  } catch { /* keep as is */ }
  p = p.replace(/^\/+/, '');
  if (p === '' || p.endsWith('/')) p += 'index.html';
  return p.replace(/\.html$/, '.md');
}

/** Distinct pages, in rank order. */
function pagesOf(engine, r) {
  const docs = engine === 'ours' ? r.hits.map((h) => h.doc) : r.urls.map(pagefindDoc);
  return [...new Set(docs)].slice(0, TOP);
}

function pageRank(engine, r, q) {
  const i = pagesOf(engine, r).indexOf(q.doc);
  return i < 0 ? null : i + 1;
}

function sectionRank(r, q) {
  const i = r.hits.slice(0, TOP).findIndex((h) => h.doc === q.doc && q.anchors.includes(h.anchor));
  return i < 0 ? null : i + 1;
}

export function percentile(xs, p) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.max(0, Math.ceil(p * s.length) - 1)];
}

const mrr = (ranks) => ranks.reduce((a, r) => a + (r ? 1 / r : 0), 0) / ranks.length;
const recall = (ranks) => ranks.filter((r) => r).length / ranks.length;
const round = (x, d = 4) => Math.round(x * 10 ** d) / 10 ** d;

export function summarize({ queries, browser }) {
  const out = { perQuery: queries.map((q) => ({ id: q.id, query: q.query, typo: q.typo, doc: q.doc, anchor: q.anchor })) };
  for (const engine of ['ours', 'pagefind']) {
    const e = {};
    const allMs = [];
    for (const kind of ['exact', 'typo']) {
      const runs = browser[engine][kind];
      const ranks = runs.map((r, i) => pageRank(engine, r, queries[i]));
      const ms = runs.map((r) => r.ms);
      allMs.push(...ms);
      const s = {
        mrr10: round(mrr(ranks)),
        recall10: round(recall(ranks)),
        noResult: runs.filter((r) => r.total === 0).length,
        errors: runs.filter((r) => r.error).length,
        p50: round(percentile(ms, 0.5), 3),
        p95: round(percentile(ms, 0.95), 3),
        max: round(Math.max(...ms), 3),
      };
      let secRanks;
      if (engine === 'ours') {
        secRanks = runs.map((r, i) => sectionRank(r, queries[i]));
        s.sectionMrr10 = round(mrr(secRanks));
        s.sectionRecall10 = round(recall(secRanks));
      }
      e[kind] = s;
      runs.forEach((r, i) => {
        const pq = out.perQuery[i];
        pq[engine] ??= {};
        pq[engine][kind] = { rank: ranks[i], total: r.total, ms: round(r.ms, 3), top: pagesOf(engine, r).slice(0, 3) };
        if (secRanks) pq[engine][kind].sectionRank = secRanks[i];
        if (r.error) pq[engine][kind].error = r.error;
      });
    }
    e.latency = { p50: round(percentile(allMs, 0.5), 3), p95: round(percentile(allMs, 0.95), 3), queries: allMs.length };
    const cachedMs = [...(browser[engine].exactCached ?? []), ...(browser[engine].typoCached ?? [])].map((r) => r.ms);
    if (cachedMs.length) e.latencyCached = { p50: round(percentile(cachedMs, 0.5), 3), p95: round(percentile(cachedMs, 0.95), 3), queries: cachedMs.length };
    out[engine] = e;
  }
  return out;
}

const MiB = 2 ** 20;
const KiB = 1024;
function bytes(n) {
  if (n >= MiB) return `${(n / MiB).toFixed(2)} MiB`;
  if (n >= KiB) return `${(n / KiB).toFixed(1)} KiB`;
  return `${n} B`;
}
const secs = (ms) => `${(ms / 1000).toFixed(2)} s`;
const msFmt = (ms) => (ms < 10 ? `${ms.toFixed(2)} ms` : `${ms.toFixed(1)} ms`);
const num = (x) => x.toFixed(3);
function ratio(a, b) {
  if (!Number.isFinite(a) || !Number.isFinite(b) || b === 0) return '—';
  const r = a / b;
  return `${r >= 100 ? r.toFixed(0) : r >= 10 ? r.toFixed(1) : r.toFixed(2)}×`;
}

export function table(res) {
  const s = res.summary;
  const o = s.ours;
  const p = s.pagefind;
  const n = res.queries.count;
  const rows = [
    [`build time (wall clock, median of ${res.build.ours.runs.length})`, res.build.ours.msMedian, res.build.pagefind.msMedian, secs],
    ['build peak RSS', res.build.ours.rssMaxKiB * KiB, res.build.pagefind.rssMaxKiB * KiB, (x) => `${(x / MiB).toFixed(0)} MiB`],
    ['search data size (gzip -9)', res.size.ours.gzipOrRaw, res.size.pagefind.gzipOrRaw, bytes],
    ['search data size (raw)', res.size.ours.raw, res.size.pagefind.raw, bytes],
    ['search code size: JS + WASM (gzip -9)', res.size.oursCode.gzipOrRaw, res.size.pagefindCode.gzipOrRaw, bytes],
    ['cold load → first results: bytes (gzip server)', res.cold.ours.gzip.serverBytes, res.cold.pagefind.gzip.serverBytes, bytes],
    ['cold load → first results: bytes (no compression)', res.cold.ours.identity.serverBytes, res.cold.pagefind.identity.serverBytes, bytes],
    ['cold load → first results: time (gzip server, localhost)', res.cold.ours.gzip.msMedian, res.cold.pagefind.gzip.msMedian, msFmt],
    [`warm query p50 (${o.latency.queries} queries)`, o.latency.p50, p.latency.p50, msFmt],
    [`warm query p95 (${o.latency.queries} queries)`, o.latency.p95, p.latency.p95, msFmt],
    ...(o.latencyCached && p.latencyCached ? [
      ['warm query p50, same queries again (files cached)', o.latencyCached.p50, p.latencyCached.p50, msFmt],
      ['warm query p95, same queries again (files cached)', o.latencyCached.p95, p.latencyCached.p95, msFmt],
    ] : []),
    ['MRR@10 exact', o.exact.mrr10, p.exact.mrr10, num],
    ['recall@10 exact', o.exact.recall10, p.exact.recall10, num],
    ['MRR@10 typo', o.typo.mrr10, p.typo.mrr10, num],
    ['recall@10 typo', o.typo.recall10, p.typo.recall10, num],
    ['typo queries with no result', o.typo.noResult, p.typo.noResult, (x) => `${x} of ${n}`],
  ];
  let t = '| figure | docatlas | Pagefind | ratio (ours/theirs) |\n|---|---:|---:|---:|\n';
  for (const [name, a, b, f] of rows) t += `| ${name} | ${f(a)} | ${f(b)} | ${ratio(a, b)} |\n`;
  t += `| section MRR@10 exact / typo (docatlas only) | ${num(o.exact.sectionMrr10)} / ${num(o.typo.sectionMrr10)} | — | — |\n`;

  const c = res.corpus;
  t += `\ndocatlas at ${res.docatlas.commit}. Corpus: ${c.pages} pages (${c.source}); Pagefind ${res.build.pagefind.version} indexed ${c.pagefindIndexed}. `;
  t += `${n} heading queries (seed ${res.queries.seed}, of ${res.queries.eligible} eligible), each also with one typo. `;
  t += `Chromium ${res.machine.chromium}, ${res.machine.cpus} CPUs, Node ${res.machine.node}.\n`;

  const targets = [
    ['warm browser query p95 ≤ 2 ms', o.latency.p95 <= 2, msFmt(o.latency.p95)],
    ["MRR@10 (exact) ≥ Pagefind's", o.exact.mrr10 >= p.exact.mrr10, `${num(o.exact.mrr10)} vs ${num(p.exact.mrr10)}`],
    ['typo recall@10 ≥ 0.8', o.typo.recall10 >= 0.8, num(o.typo.recall10)],
    ["first-query bytes ≤ Pagefind's (gzip server)", res.cold.ours.gzip.serverBytes <= res.cold.pagefind.gzip.serverBytes, `${bytes(res.cold.ours.gzip.serverBytes)} vs ${bytes(res.cold.pagefind.gzip.serverBytes)}`],
    ['build at least 2× faster than Pagefind', res.build.ours.msMedian * 2 <= res.build.pagefind.msMedian, `${secs(res.build.ours.msMedian)} vs ${secs(res.build.pagefind.msMedian)}`],
  ];
  t += '\nTargets (issue 3):\n\n';
  for (const [name, ok, v] of targets) t += `- ${ok ? 'met' : 'MISSED'}: ${name} (${v})\n`;
  return t;
}
