// The benchmark after bench/run has the tools, the corpus and build-index ready. For the Rust
// docs, then for generated corpora of BENCH_SIZES pages (gen.mjs): renders the pages to HTML for
// Pagefind, builds both sites (timed), makes the query set, measures sizes, runs the browser
// measurements; prints the markdown tables (results.json beside them).
//
// Environment: DOCATLAS_BENCH_CACHE (cache folder), BENCH_SEED (default 1614),
// BENCH_QUERIES (default 600), BENCH_BUILD_RUNS (default 5), BENCH_COLD_RUNS (default 3);
// for the size curve BENCH_SIZES (default 1000,5000,20000; empty for none), BENCH_GEN_SEED
// (default 1614), BENCH_BIG_QUERIES (default 300), BENCH_BIG_BUILD_RUNS (default 1),
// BENCH_BIG_COLD_RUNS (default 1).

import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parsePage, htmlPage } from './md.mjs';
import { makeQueries } from './queries.mjs';
import { measureBrowser, SLOW_NETWORK } from './browser.mjs';
import { generateCorpus, GENERATOR_VERSION } from './gen.mjs';
import { summarize, table, curveTable } from './report.mjs';

const BENCH = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const REPO = path.dirname(BENCH);
const CACHE = process.env.DOCATLAS_BENCH_CACHE || path.join(os.homedir(), '.cache', 'docatlas-bench');
const CORPUS = path.join(CACHE, 'corpus');
const BIN = process.env.DOCATLAS_BIN || path.join(REPO, 'target', 'release', 'build-index');
const SEED = Number(process.env.BENCH_SEED || 1614);
const QUERY_COUNT = Number(process.env.BENCH_QUERIES || 600);
const BUILD_RUNS = Number(process.env.BENCH_BUILD_RUNS || 5);
const COLD_RUNS = Number(process.env.BENCH_COLD_RUNS || 3);
const SIZES = (process.env.BENCH_SIZES ?? '1000,5000,20000').split(',').map((x) => x.trim()).filter(Boolean).map(Number);
const GEN_SEED = Number(process.env.BENCH_GEN_SEED || 1614);
const BIG_QUERIES = Number(process.env.BENCH_BIG_QUERIES || 300);
const BIG_BUILD_RUNS = Number(process.env.BENCH_BIG_BUILD_RUNS || 1);
const BIG_COLD_RUNS = Number(process.env.BENCH_BIG_COLD_RUNS || 1);
for (const n of SIZES) {
  if (!Number.isInteger(n) || n < 1) throw new Error(`BENCH_SIZES: ${n} is not a page count`);
}

const started = Date.now();
const log = (msg) => process.stderr.write(`bench [${((Date.now() - started) / 1000).toFixed(0).padStart(3)} s] ${msg}\n`);

function listMarkdown(root) {
  const out = [];
  (function walk(dir) {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      if (e.name.startsWith('.')) continue;
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && e.name.endsWith('.md')) out.push(path.relative(root, p).split(path.sep).join('/'));
    }
  })(root);
  return out.sort();
}

function listFiles(root, keep = () => true) {
  const out = [];
  (function walk(dir) {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (keep(path.relative(root, p))) out.push(p);
    }
  })(root);
  return out.sort();
}

/** Runs a command under /usr/bin/time -v: wall clock (ms, from here) and peak RSS (KiB). */
function timed(logs, name, cmd, args) {
  fs.mkdirSync(logs, { recursive: true });
  const logFile = path.join(logs, `${name}.log`);
  const timeFile = path.join(logs, `${name}.time`);
  const fd = fs.openSync(logFile, 'w');
  const t0 = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-v', '-o', timeFile, cmd, ...args], { stdio: ['ignore', fd, fd] });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  fs.closeSync(fd);
  if (r.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} exited with ${r.status}; see ${logFile}:\n${fs.readFileSync(logFile, 'utf8').slice(-2000)}`);
  }
  const time = fs.readFileSync(timeFile, 'utf8');
  const rss = Number(time.match(/Maximum resident set size \(kbytes\): (\d+)/)[1]);
  return { ms, rssKiB: rss };
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function buildStats(runs) {
  return { msMedian: median(runs.map((r) => r.ms)), rssMaxKiB: Math.max(...runs.map((r) => r.rssKiB)), runs };
}

function sizes(files, root) {
  let raw = 0;
  let gz = 0;
  let gzSmallest = 0;
  const list = [];
  for (const f of files) {
    const b = fs.readFileSync(f);
    const g = zlib.gzipSync(b, { level: 9 }).length;
    raw += b.length;
    gz += g;
    gzSmallest += Math.min(g, b.length);
    list.push(path.relative(root, f));
  }
  return { files: list.length, raw, gzip: gz, gzipOrRaw: gzSmallest, list: list.length > 20 ? undefined : list };
}

/** A digest of this folder's rendering code and `marked`'s version: cached HTML is stale when it changes. */
function rendererStamp() {
  const h = crypto.createHash('sha256');
  h.update(fs.readFileSync(path.join(BENCH, 'lib', 'md.mjs')));
  h.update(fs.readFileSync(path.join(BENCH, 'node_modules', 'marked', 'package.json')));
  return h.digest('hex').slice(0, 16);
}

/** A digest of a corpus: every page's path, size and modification time. */
function corpusStamp(corpus, pages) {
  const h = crypto.createHash('sha256');
  for (const rel of pages) {
    const st = fs.statSync(path.join(corpus, rel));
    h.update(`${rel}\0${st.size}\0${st.mtimeMs}\n`);
  }
  return h.digest('hex').slice(0, 16);
}

/**
 * Markdown → HTML for Pagefind (not timed as part of Pagefind's build), kept in `htmlDir` with
 * the pages' headings (`pages.json`) while the corpus and the renderer are unchanged.
 * Returns [{path, title, headings}].
 */
function renderHtml(corpus, pages, htmlDir) {
  const stamp = `${corpusStamp(corpus, pages)} ${rendererStamp()}`;
  const stampFile = path.join(htmlDir, '.bench-stamp');
  const pagesFile = path.join(htmlDir, '.bench-pages.json');
  if (fs.existsSync(stampFile) && fs.readFileSync(stampFile, 'utf8') === stamp && fs.existsSync(pagesFile)) {
    log(`HTML for Pagefind: ${pages.length} pages cached in ${htmlDir}`);
    return JSON.parse(fs.readFileSync(pagesFile, 'utf8'));
  }
  const t0 = Date.now();
  fs.rmSync(htmlDir, { recursive: true, force: true });
  const parsed = [];
  for (const rel of pages) {
    const src = fs.readFileSync(path.join(corpus, rel), 'utf8');
    const page = parsePage(src, path.basename(rel, '.md'));
    const out = path.join(htmlDir, rel.replace(/\.md$/, '.html'));
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, htmlPage(page));
    parsed.push({ path: rel, title: page.title, headings: page.headings });
  }
  fs.writeFileSync(pagesFile, JSON.stringify(parsed));
  fs.writeFileSync(stampFile, stamp);
  log(`rendered ${pages.length} pages to HTML for Pagefind in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return parsed;
}

/** The generated corpus of `n` pages in the cache, made (again) when missing or made differently. */
function generatedCorpus(n, rustSource) {
  const dir = path.join(CACHE, `gen-${n}`);
  const corpus = path.join(dir, 'corpus');
  const want = JSON.stringify({ generator: GENERATOR_VERSION, seed: GEN_SEED, pages: n, from: rustSource });
  const stampFile = path.join(dir, 'corpus.source');
  if (!(fs.existsSync(stampFile) && fs.readFileSync(stampFile, 'utf8') === want && fs.existsSync(corpus))) {
    const t0 = Date.now();
    fs.mkdirSync(dir, { recursive: true });
    fs.rmSync(stampFile, { force: true });
    const written = generateCorpus(CORPUS, corpus, n, GEN_SEED);
    fs.writeFileSync(stampFile, want);
    log(`generated ${written} pages into ${corpus} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
  return { dir, corpus };
}

/**
 * Everything for one corpus: HTML, builds (alternating engines), queries, sizes, browser.
 * opts: { label, corpus, dir (its sites, logs and queries.json), source, buildRuns, queryCount,
 * coldRuns, npxRun (also time Pagefind once through its npx wrapper) }.
 */
async function measureCorpus(opts) {
  const { label, corpus, dir, buildRuns, queryCount, coldRuns } = opts;
  const partStarted = Date.now();
  const ourSite = path.join(dir, 'site-docatlas');
  const htmlDir = path.join(dir, 'site-pagefind');
  const logs = path.join(dir, 'logs');
  const pages = listMarkdown(corpus);
  if (pages.length === 0) throw new Error(`no Markdown pages in ${corpus}; run bench/run`);
  log(`${label}: ${pages.length} pages from ${opts.source}`);
  const parsed = renderHtml(corpus, pages, htmlDir);

  // Builds, alternating docatlas and Pagefind so that background load hits both alike.
  // Pagefind runs as its platform binary (what `npx pagefind` execs), then once via npx.
  const { resolveBinaryPath } = await import(pathToFileURL(path.join(BENCH, 'node_modules', 'pagefind', 'lib', 'resolveBinary.js')));
  const pfBin = resolveBinaryPath(['pagefind_extended', 'pagefind']);
  const pfVersion = JSON.parse(fs.readFileSync(path.join(BENCH, 'node_modules', 'pagefind', 'package.json'), 'utf8')).version;
  const ours = [];
  const pf = [];
  const mb = (r) => `${(r.ms / 1000).toFixed(2)} s, ${(r.rssKiB / 1024).toFixed(0)} MiB peak RSS`;
  for (let i = 0; i < buildRuns; i++) {
    ours.push(timed(logs, 'build-docatlas', BIN, ['build', corpus, '--out', ourSite, '--quiet']));
    log(`${label}: docatlas build ${i + 1}/${buildRuns}: ${mb(ours[i])}`);
    fs.rmSync(path.join(htmlDir, 'pagefind'), { recursive: true, force: true });
    pf.push(timed(logs, 'build-pagefind', pfBin, ['--site', htmlDir]));
    log(`${label}: Pagefind build ${i + 1}/${buildRuns}: ${mb(pf[i])}`);
  }
  const oursSummary = fs.readFileSync(path.join(logs, 'build-docatlas.log'), 'utf8').split('\n').filter((l) => /^built /.test(l)).pop() ?? '';
  let pfNpx;
  let pfLogName = 'build-pagefind';
  if (opts.npxRun) {
    fs.rmSync(path.join(htmlDir, 'pagefind'), { recursive: true, force: true });
    pfNpx = timed(logs, 'build-pagefind-npx', path.join(BENCH, 'node_modules', '.bin', 'pagefind'), ['--site', htmlDir]);
    pfLogName = 'build-pagefind-npx';
    log(`${label}: Pagefind build via the npx wrapper (not in the table): ${mb(pfNpx)}`);
  }
  const pfLog = fs.readFileSync(path.join(logs, `${pfLogName}.log`), 'utf8');
  const pfIndexed = Number((pfLog.match(/Indexed (\d+) pages?/) || [])[1] ?? NaN);

  // Queries: the same rule on every corpus, from its own headings.
  const { eligible, queries } = makeQueries(parsed, { seed: SEED, count: queryCount });
  const queryFile = path.join(dir, 'queries.json');
  fs.writeFileSync(queryFile, JSON.stringify({ seed: SEED, eligible, queries }, null, 1));
  log(`${label}: queries: ${queries.length} sampled (seed ${SEED}) of ${eligible} eligible headings; written to ${queryFile}`);
  if (queries.length < Math.min(queryCount, 100)) throw new Error(`${label}: only ${queries.length} queries`);

  // Sizes. Search data: docatlas' bundle; Pagefind's index, metadata and fragments. Code apart:
  // docatlas' app (JS, WASM, CSS, index.html); Pagefind's pagefind.js, its worker and the English
  // WASM (what a search loads; the optional UI bundles and highlighter are not counted anywhere).
  const PF = path.join(htmlDir, 'pagefind');
  const pfCode = (rel) => /^pagefind(-worker)?\.js$|^wasm\.en\.pagefind$/.test(rel);
  const pfUnused = (rel) => /\.(js|css)$|^wasm\./.test(rel);
  const size = {
    ours: sizes(listFiles(ourSite, (rel) => /\.bin$/.test(rel)), ourSite),
    pagefind: sizes(listFiles(PF, (rel) => !pfUnused(rel)), PF),
    oursCode: sizes(listFiles(ourSite, (rel) => /\.(js|wasm|css|html)(\.gz)?$/.test(rel)), ourSite),
    oursWasm: sizes(listFiles(ourSite, (rel) => /\.wasm(\.gz)?$/.test(rel)), ourSite),
    // The search-first module (what the first results wait for) and the full app, apart.
    oursWasmFirst: sizes(listFiles(ourSite, (rel) => /^docatlas-search-.*\.wasm(\.gz)?$/.test(rel)), ourSite),
    oursWasmApp: sizes(listFiles(ourSite, (rel) => /\.wasm(\.gz)?$/.test(rel) && !rel.startsWith('docatlas-search-')), ourSite),
    oursHead: sizes(listFiles(ourSite, (rel) => rel === 'docatlas.bin'), ourSite),
    pagefindCode: sizes(listFiles(PF, pfCode), PF),
  };
  log(`${label}: search data: docatlas ${size.ours.raw} B (${size.ours.gzip} gzip), Pagefind ${size.pagefind.raw} B in ${size.pagefind.files} files`);

  const browser = await measureBrowser({ sites: { ours: ourSite, pagefind: htmlDir }, queries, coldRepeats: coldRuns, throttle: SLOW_NETWORK, log: (m) => log(`${label}: ${m}`) });
  const summary = summarize({ queries, browser: browser.results });
  const problems = { ours: [...new Set(browser.results.ours.problems)], pagefind: [...new Set(browser.results.pagefind.problems)] };
  for (const [engine, list] of Object.entries(problems)) {
    for (const p of list) log(`${label}: warning: ${engine}: ${p}`);
  }
  const seconds = Math.round((Date.now() - partStarted) / 1000);
  log(`${label}: done in ${seconds} s`);
  return {
    chromium: browser.chromium,
    corpus: { source: opts.source, pages: pages.length, pagefindIndexed: pfIndexed, docatlasSummary: oursSummary },
    queries: { seed: SEED, count: queries.length, eligible, file: queryFile },
    build: { ours: buildStats(ours), pagefind: { ...buildStats(pf), viaNpx: pfNpx, version: pfVersion, binary: path.relative(BENCH, pfBin) } },
    size,
    cold: { ours: browser.results.ours.cold, pagefind: browser.results.pagefind.cold },
    coldSlow: { ours: browser.results.ours.coldSlow, pagefind: browser.results.pagefind.coldSlow },
    summary,
    problems,
    seconds,
  };
}

async function main() {
  // The docatlas sources bench/run just built build-index from.
  const git = (...args) => spawnSync('git', ['-C', REPO, ...args], { encoding: 'utf8' }).stdout?.trim() ?? '';
  let commit = git('rev-parse', '--short', 'HEAD') + (git('status', '--porcelain', '--untracked-files=no') ? ' (with uncommitted changes)' : '');
  // A build-index from elsewhere (DOCATLAS_BIN) was not built from this checkout: name it instead.
  if (process.env.DOCATLAS_BIN) commit = `${BIN} (built ${fs.statSync(BIN).mtime.toISOString().slice(0, 16)} UTC)`;
  const loadAtStart = os.loadavg();
  const rustSource = fs.existsSync(path.join(CACHE, 'corpus.source')) ? fs.readFileSync(path.join(CACHE, 'corpus.source'), 'utf8').trim() : 'unknown';

  // The Rust docs: every figure, with the full query set and repeated builds.
  const rust = await measureCorpus({ label: 'Rust docs', corpus: CORPUS, dir: CACHE, source: rustSource, buildRuns: BUILD_RUNS, queryCount: QUERY_COUNT, coldRuns: COLD_RUNS, npxRun: true });

  // The size curve: generated corpora, fewer queries and build runs (knobs above).
  const curve = [];
  for (const n of SIZES) {
    const { dir, corpus } = generatedCorpus(n, rustSource);
    const source = `the Rust docs copied to ${n} pages, about 1 word in 8 perturbed per copy (bench/lib/gen.mjs, seed ${GEN_SEED})`;
    const r = await measureCorpus({ label: `${n} pages`, corpus, dir, source, buildRuns: BIG_BUILD_RUNS, queryCount: BIG_QUERIES, coldRuns: BIG_COLD_RUNS, npxRun: false });
    delete r.chromium;
    curve.push(r);
  }

  const result = {
    date: new Date().toISOString(),
    machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, memGiB: Math.round(os.totalmem() / 2 ** 30), loadAvgAtStart: loadAtStart, loadAvgAtEnd: os.loadavg(), node: process.version, chromium: rust.chromium },
    docatlas: { commit },
    slowNetwork: SLOW_NETWORK,
    ...rust,
    curve,
  };
  delete result.chromium;
  fs.writeFileSync(path.join(BENCH, 'results.json'), JSON.stringify(result, null, 1));
  log(`done in ${((Date.now() - started) / 1000).toFixed(0)} s; details in bench/results.json`);
  let out = table(result, { corpusName: 'the Rust docs', targets: 'rust' });
  if (curve.length) {
    const big = curve[curve.length - 1];
    out += `\n### ${big.corpus.pages} generated pages\n\n`;
    out += table({ ...big, date: result.date, machine: result.machine, docatlas: result.docatlas }, { corpusName: `${big.corpus.pages} generated pages`, targets: big.corpus.pages >= 20000 ? 'big' : null });
    out += `\n### Size curve\n\n${curveTable(result)}`;
  }
  process.stdout.write(out);
}

main().catch((e) => {
  process.stderr.write(`bench: error: ${e.stack || e}\n`);
  process.exit(1);
});
