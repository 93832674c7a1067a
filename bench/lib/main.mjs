// The benchmark after bench/run has the tools, the corpus and build-index ready:
// renders the pages to HTML for Pagefind, builds both sites (timed), makes the query set, measures
// sizes, runs the browser measurements, and prints the markdown table (results.json beside it).
//
// Environment: DOCATLAS_BENCH_CACHE (cache folder), BENCH_SEED (default 1614),
// BENCH_QUERIES (default 600), BENCH_BUILD_RUNS (default 5), BENCH_COLD_RUNS (default 3).

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parsePage, htmlPage } from './md.mjs';
import { makeQueries } from './queries.mjs';
import { measureBrowser } from './browser.mjs';
import { summarize, table } from './report.mjs';

const BENCH = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const REPO = path.dirname(BENCH);
const CACHE = process.env.DOCATLAS_BENCH_CACHE || path.join(os.homedir(), '.cache', 'docatlas-bench');
const CORPUS = path.join(CACHE, 'corpus');
const OURSITE = path.join(CACHE, 'site-docatlas');
const HTMLDIR = path.join(CACHE, 'site-pagefind');
const LOGS = path.join(CACHE, 'logs');
const BIN = process.env.DOCATLAS_BIN || path.join(REPO, 'target', 'release', 'build-index');
const SEED = Number(process.env.BENCH_SEED || 1614);
const QUERY_COUNT = Number(process.env.BENCH_QUERIES || 600);
const BUILD_RUNS = Number(process.env.BENCH_BUILD_RUNS || 5);
const COLD_RUNS = Number(process.env.BENCH_COLD_RUNS || 3);

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
function timed(name, cmd, args) {
  fs.mkdirSync(LOGS, { recursive: true });
  const logFile = path.join(LOGS, `${name}.log`);
  const timeFile = path.join(LOGS, `${name}.time`);
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

async function main() {
  // The docatlas sources bench/run just built build-index from.
  const git = (...args) => spawnSync('git', ['-C', REPO, ...args], { encoding: 'utf8' }).stdout?.trim() ?? '';
  const commit = git('rev-parse', '--short', 'HEAD') + (git('status', '--porcelain', '--untracked-files=no') ? ' (with uncommitted changes)' : '');
  const pages = listMarkdown(CORPUS);
  if (pages.length === 0) throw new Error(`no Markdown pages in ${CORPUS}; run bench/run`);
  const corpusSource = fs.existsSync(path.join(CACHE, 'corpus.source')) ? fs.readFileSync(path.join(CACHE, 'corpus.source'), 'utf8').trim() : 'unknown';
  log(`corpus: ${pages.length} pages from ${corpusSource}`);

  // 1. Markdown → HTML for Pagefind (not timed as part of Pagefind's build)
  const t0 = Date.now();
  fs.rmSync(HTMLDIR, { recursive: true, force: true });
  const parsed = [];
  for (const rel of pages) {
    const src = fs.readFileSync(path.join(CORPUS, rel), 'utf8');
    const page = parsePage(src, path.basename(rel, '.md'));
    const out = path.join(HTMLDIR, rel.replace(/\.md$/, '.html'));
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, htmlPage(page));
    parsed.push({ path: rel, title: page.title, headings: page.headings });
  }
  log(`rendered ${pages.length} pages to HTML for Pagefind in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

  // 2. Builds, alternating docatlas and Pagefind so that background load hits both alike.
  //    Pagefind runs as its platform binary (what `npx pagefind` execs), then once via npx.
  const { resolveBinaryPath } = await import(pathToFileURL(path.join(BENCH, 'node_modules', 'pagefind', 'lib', 'resolveBinary.js')));
  const pfBin = resolveBinaryPath(['pagefind_extended', 'pagefind']);
  const pfVersion = JSON.parse(fs.readFileSync(path.join(BENCH, 'node_modules', 'pagefind', 'package.json'), 'utf8')).version;
  const ours = [];
  const pf = [];
  const mb = (r) => `${(r.ms / 1000).toFixed(2)} s, ${(r.rssKiB / 1024).toFixed(0)} MiB peak RSS`;
  for (let i = 0; i < BUILD_RUNS; i++) {
    ours.push(timed('build-docatlas', BIN, ['build', CORPUS, '--out', OURSITE, '--quiet']));
    log(`docatlas build ${i + 1}/${BUILD_RUNS}: ${mb(ours[i])}`);
    fs.rmSync(path.join(HTMLDIR, 'pagefind'), { recursive: true, force: true });
    pf.push(timed('build-pagefind', pfBin, ['--site', HTMLDIR]));
    log(`Pagefind build ${i + 1}/${BUILD_RUNS}: ${mb(pf[i])}`);
  }
  const oursSummary = fs.readFileSync(path.join(LOGS, 'build-docatlas.log'), 'utf8').split('\n').filter((l) => /^built /.test(l)).pop() ?? '';
  fs.rmSync(path.join(HTMLDIR, 'pagefind'), { recursive: true, force: true });
  const pfNpx = timed('build-pagefind-npx', path.join(BENCH, 'node_modules', '.bin', 'pagefind'), ['--site', HTMLDIR]);
  log(`Pagefind build via the npx wrapper (not in the table): ${mb(pfNpx)}`);
  const pfLog = fs.readFileSync(path.join(LOGS, 'build-pagefind-npx.log'), 'utf8');
  const pfIndexed = Number((pfLog.match(/Indexed (\d+) pages?/) || [])[1] ?? NaN);

  // 3. Queries
  const { eligible, queries } = makeQueries(parsed, { seed: SEED, count: QUERY_COUNT });
  fs.writeFileSync(path.join(CACHE, 'queries.json'), JSON.stringify({ seed: SEED, eligible, queries }, null, 1));
  log(`queries: ${queries.length} sampled (seed ${SEED}) of ${eligible} eligible headings; written to ${path.join(CACHE, 'queries.json')}`);
  if (queries.length < 500) throw new Error('fewer than 500 queries');

  // 4. Sizes
  // Search data: docatlas' bundle; Pagefind's index, metadata and fragments. Code apart:
  // docatlas' app (JS, WASM, CSS, index.html); Pagefind's pagefind.js, its worker and the English
  // WASM (what a search loads; the optional UI bundles and highlighter are not counted anywhere).
  const PF = path.join(HTMLDIR, 'pagefind');
  const pfCode = (rel) => /^pagefind(-worker)?\.js$|^wasm\.en\.pagefind$/.test(rel);
  const pfUnused = (rel) => /\.(js|css)$|^wasm\./.test(rel);
  const size = {
    ours: sizes(listFiles(OURSITE, (rel) => /\.bin$/.test(rel)), OURSITE),
    pagefind: sizes(listFiles(PF, (rel) => !pfUnused(rel)), PF),
    oursCode: sizes(listFiles(OURSITE, (rel) => /\.(js|wasm|css|html)$/.test(rel)), OURSITE),
    pagefindCode: sizes(listFiles(PF, pfCode), PF),
  };
  log(`search data: docatlas ${size.ours.raw} B (${size.ours.gzip} gzip), Pagefind ${size.pagefind.raw} B in ${size.pagefind.files} files`);

  // 5. Browser
  const browser = await measureBrowser({ sites: { ours: OURSITE, pagefind: HTMLDIR }, queries, coldRepeats: COLD_RUNS, log });

  // 6. Report
  const summary = summarize({ queries, browser: browser.results });
  const result = {
    date: new Date().toISOString(),
    machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, memGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, chromium: browser.chromium },
    docatlas: { commit },
    corpus: { source: corpusSource, pages: pages.length, pagefindIndexed: pfIndexed, docatlasSummary: oursSummary },
    queries: { seed: SEED, count: queries.length, eligible, file: path.join(CACHE, 'queries.json') },
    build: { ours: buildStats(ours), pagefind: { ...buildStats(pf), viaNpx: pfNpx, version: pfVersion, binary: path.relative(BENCH, pfBin) } },
    size,
    cold: { ours: browser.results.ours.cold, pagefind: browser.results.pagefind.cold },
    summary,
    problems: { ours: [...new Set(browser.results.ours.problems)], pagefind: [...new Set(browser.results.pagefind.problems)] },
  };
  fs.writeFileSync(path.join(BENCH, 'results.json'), JSON.stringify(result, null, 1));
  for (const [engine, list] of Object.entries(result.problems)) {
    for (const p of list) log(`warning: ${engine}: ${p}`);
  }
  log(`done in ${((Date.now() - started) / 1000).toFixed(0)} s; details in bench/results.json`);
  process.stdout.write(table(result));
}

main().catch((e) => {
  process.stderr.write(`bench: error: ${e.stack || e}\n`);
  process.exit(1);
});
