// How build-index's cost grows with the input (issue 26, points 3 and 4): for generated inputs
// at two sizes ten times apart, runs each command under GNU time and prints a markdown table of
// wall time, CPU time (user + system), peak RSS and output bytes per size, the ratio large/small, and PASS/FAIL against
// the bar (≤ 12× time and memory for 10× the input). It reports, it does not assert.
//
// Inputs (made once under $DOCATLAS_BENCH_CACHE/scale/, reused while the generator is unchanged):
//   chain-N  catalog-info.yaml: Components c0 … c(N-1), each `dependsOn` the next
//   cycle-N  the same, and c(N-1) dependsOn c0
//   table-R  catalog.md: one `| Service | Owner | Database Tables |` table of R rows
// Commands: `build` of each; `impact SITE service:c0 --json` of the chain and the cycle;
// `check` of the table.
//
// Environment: DOCATLAS_BIN (the build-index to measure), DOCATLAS_BENCH_CACHE,
// BENCH_SCALE_CHAIN (default 1000,10000), BENCH_SCALE_ROWS (default 20000,200000),
// BENCH_SCALE_RUNS (default 3: runs per command and size, median time; a command whose first
// run takes over 20 s runs once), BENCH_SCALE_MAX_RSS_MIB (default 4096) and
// BENCH_SCALE_TIMEOUT_S (default 300): a run above either is killed and reported as such, so a
// quadratic blow-up cannot take a shared machine's memory.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const BENCH = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const REPO = path.dirname(BENCH);
const CACHE = path.join(process.env.DOCATLAS_BENCH_CACHE || path.join(os.homedir(), '.cache', 'docatlas-bench'), 'scale');
const BIN = process.env.DOCATLAS_BIN || path.join(REPO, 'target', 'release', 'build-index');
const RUNS = Number(process.env.BENCH_SCALE_RUNS || 3);
const MAX_RSS_KIB = Number(process.env.BENCH_SCALE_MAX_RSS_MIB || 4096) * 1024;
const TIMEOUT_MS = Number(process.env.BENCH_SCALE_TIMEOUT_S || 300) * 1000;
const BAR = 12;
// Bumped when an input's text changes, so cached inputs are made again.
const GENERATOR_VERSION = '1';

function sizes(name, fallback) {
  const list = (process.env[name] ?? fallback).split(',').map((x) => x.trim()).filter(Boolean).map(Number);
  if (list.length !== 2 || list.some((n) => !Number.isInteger(n) || n < 2)) {
    throw new Error(`${name}: give two sizes (integers ≥ 2), small then large, e.g. ${fallback}; got ${process.env[name]}`);
  }
  return list;
}
const CHAIN = sizes('BENCH_SCALE_CHAIN', '1000,10000');
const ROWS = sizes('BENCH_SCALE_ROWS', '20000,200000');
if (!Number.isInteger(RUNS) || RUNS < 1) throw new Error(`BENCH_SCALE_RUNS: ${process.env.BENCH_SCALE_RUNS} is not a run count`);

const started = Date.now();
const log = (msg) => process.stderr.write(`scale [${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${msg}\n`);

// ---- inputs ----

function chainYaml(n, cycle) {
  const parts = [];
  for (let i = 0; i < n; i += 1) {
    const next = i + 1 < n ? i + 1 : cycle ? 0 : null;
    parts.push(
      '---\napiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n' +
        `  name: c${i}\nspec:\n  type: service\n  lifecycle: production\n  owner: group:team${i % 50}\n` +
        (next === null ? '' : `  dependsOn: [component:c${next}]\n`),
    );
  }
  return parts.join('');
}

function tableMd(rows) {
  const lines = ['# Catalog', '', '| Service | Owner | Database Tables |', '|---|---|---|'];
  for (let i = 0; i < rows; i += 1) lines.push(`| svc${i} | team${i % 50} | tbl${i} |`);
  return lines.join('\n') + '\n';
}

/** The docs folder of one input, made unless the cache holds this generator's version of it. */
function input(name, file, make) {
  const dir = path.join(CACHE, name);
  const stamp = path.join(dir, '.generator');
  if (fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === GENERATOR_VERSION) return dir;
  log(`generating ${name}`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(path.join(dir, 'docs'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'docs', file), make());
  fs.writeFileSync(stamp, GENERATOR_VERSION);
  return dir;
}

// ---- measuring ----

function childrenOf(pid) {
  try {
    return fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

function rssKib(pid) {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

function dirBytes(dir) {
  let total = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    total += e.isDirectory() ? dirBytes(p) : fs.statSync(p).size;
  }
  return total;
}

/**
 * One run of build-index ARGS under GNU time: wall time (ms), peak RSS (KiB, GNU time's %M) and
 * the bytes it printed (stdout, stderr), counted as they stream so a huge output is never held.
 * A run over the RSS cap or the timeout is killed (by its pid) and comes back with `killed`.
 */
function runOnce(args) {
  return new Promise((resolve, reject) => {
    const timeFile = path.join(CACHE, '.time');
    fs.rmSync(timeFile, { force: true });
    const t0 = process.hrtime.bigint();
    const child = spawn('/usr/bin/time', ['-f', '%M %U %S', '-o', timeFile, BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = 0;
    let stderr = 0;
    let tail = '';
    child.stdout.on('data', (b) => { stdout += b.length; });
    child.stderr.on('data', (b) => { stderr += b.length; tail = (tail + b.toString()).slice(-2000); });
    let killed = null;
    let polledKib = 0;
    const poll = setInterval(() => {
      for (const pid of childrenOf(child.pid)) {
        const kib = rssKib(pid);
        polledKib = Math.max(polledKib, kib);
        const ms = Number(process.hrtime.bigint() - t0) / 1e6;
        if (!killed && (kib > MAX_RSS_KIB || ms > TIMEOUT_MS)) {
          killed = kib > MAX_RSS_KIB ? `RSS over ${MAX_RSS_KIB / 1024} MiB` : `over ${TIMEOUT_MS / 1000} s`;
          try { process.kill(pid, 'SIGKILL'); } catch { /* already gone */ }
        }
      }
    }, 50);
    child.on('error', reject);
    child.on('close', (code) => {
      clearInterval(poll);
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      let kib = polledKib;
      let cpuMs = ms;
      try {
        const lines = fs.readFileSync(timeFile, 'utf8').trim().split('\n');
        const [maxKib, user, sys] = lines[lines.length - 1].split(' ').map(Number);
        kib = Math.max(kib, maxKib || 0);
        if (Number.isFinite(user) && Number.isFinite(sys)) cpuMs = (user + sys) * 1000;
      } catch { /* time wrote nothing: keep the polled peak and the wall time */ }
      resolve({ ms, cpuMs, kib, stdout, stderr, code, killed, tail });
    });
  });
}

/** RUNS runs (one when the first is slow or killed): median time, largest RSS, the last output. */
async function measure(label, args, { site } = {}) {
  const runs = [];
  for (let i = 0; i < RUNS; i += 1) {
    const r = await runOnce(args);
    if (site) r.site = fs.existsSync(site) ? dirBytes(site) : 0;
    runs.push(r);
    const what = r.killed ? `killed (${r.killed})` : `exit ${r.code}`;
    log(`${label}: ${(r.ms / 1000).toFixed(2)} s (CPU ${(r.cpuMs / 1000).toFixed(2)} s), ${(r.kib / 1024).toFixed(0)} MiB, ${r.stdout + r.stderr} bytes printed, ${what}`);
    if (r.killed || r.cpuMs > 20000) break;
  }
  const times = runs.map((r) => r.ms).sort((a, b) => a - b);
  const cpu = runs.map((r) => r.cpuMs).sort((a, b) => a - b);
  const last = runs[runs.length - 1];
  const bad = runs.find((r) => r.killed) || runs.find((r) => r.code !== 0 && !(args[0] === 'check' && r.code === 1));
  if (bad && !bad.killed) log(`${label}: exit ${bad.code}; its last words:\n${bad.tail}`);
  return {
    ms: times[Math.floor((times.length - 1) / 2)],
    cpuMs: cpu[Math.floor((cpu.length - 1) / 2)],
    kib: Math.max(...runs.map((r) => r.kib)),
    // What the row's "output" means: the JSON for impact, the site for build, the diagnostics for check.
    output: site ? last.site : args[0] === 'impact' ? last.stdout : last.stdout + last.stderr,
    printed: last.stdout + last.stderr,
    code: last.code,
    killed: bad ? bad.killed || `exit ${bad.code}` : null,
    runs: runs.length,
  };
}

// ---- report ----

const secs = (ms) => (ms >= 10000 ? `${(ms / 1000).toFixed(1)} s` : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);
const mib = (kib) => `${(kib / 1024).toFixed(kib >= 102400 ? 0 : 1)} MiB`;
function bytes(n) {
  if (n >= 1024 ** 3) return `${(n / 1024 ** 3).toFixed(2)} GiB`;
  if (n >= 1024 ** 2) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${n} B`;
}
/** Below this CPU time of the small run its CPU ratio is noise (GNU time's 10 ms steps). */
const CPU_FLOOR_MS = 100;
const ratio = (a, b) => `${(b / a).toFixed(1)}×`;

function row(input, command, small, large) {
  const cell = (m, f) => (m.killed ? `${f} (${m.killed})` : f);
  // A killed large run is a lower bound: its figures so far already show the ratio at least.
  const lower = large.killed ? '≥ ' : '';
  // CPU time (user + system) decides: on a shared machine wall time measures the other load.
  // GNU time counts CPU in 10 ms steps, so a run of a few milliseconds reads as 0 s (a ratio of
  // Infinity): below CPU_FLOOR_MS the wall time decides, and the CPU ratio cell says so.
  const cpuReadable = small.cpuMs >= CPU_FLOOR_MS && large.cpuMs > 0;
  const timeX = cpuReadable ? large.cpuMs / small.cpuMs : large.ms / small.ms;
  const memX = large.kib / small.kib;
  const pass = !small.killed && !large.killed && timeX <= BAR && memX <= BAR;
  return `| ${input} | \`${command}\` | ${cell(small, secs(small.ms))} | ${secs(small.cpuMs)} | ${mib(small.kib)} | ${bytes(small.output)} | ` +
    `${cell(large, secs(large.ms))} | ${secs(large.cpuMs)} | ${mib(large.kib)} | ${large.killed && !large.output ? 'none before the kill' : lower + bytes(large.output)} | ` +
    `${lower}${ratio(small.ms, large.ms)} | ${cpuReadable ? lower + ratio(small.cpuMs, large.cpuMs) : 'under 10 ms resolution: wall decides'} | ${lower}${ratio(small.kib, large.kib)} | ` +
    `${large.killed && !large.output ? '—' : lower + ratio(small.output || 1, large.output || 1)} | ${pass ? 'PASS' : 'FAIL'} |`;
}

// ---- main ----

async function main() {
  fs.mkdirSync(CACHE, { recursive: true });
  const version = await runOnce(['--version']);
  if (version.code !== 0) throw new Error(`${BIN} --version failed: is DOCATLAS_BIN a build-index?`);
  const results = [];
  const cases = [
    ...['chain', 'cycle'].map((kind) => ({
      kind,
      input: `\`dependsOn\` ${kind} of N components (catalog-info.yaml)`,
      sizes: CHAIN,
      make: (n) => input(`${kind}-${n}`, 'catalog-info.yaml', () => chainYaml(n, kind === 'cycle')),
      commands: (dir) => [
        ['build', ['build', path.join(dir, 'docs'), '--out', path.join(dir, 'site')], { site: path.join(dir, 'site') }],
        ['impact SITE service:c0 --json', ['impact', path.join(dir, 'site'), 'service:c0', '--json']],
      ],
    })),
    {
      kind: 'table',
      input: 'catalog table of N rows (columns Service, Owner, Database Tables; catalog.md)',
      sizes: ROWS,
      make: (n) => input(`table-${n}`, 'catalog.md', () => tableMd(n)),
      commands: (dir) => [
        ['build', ['build', path.join(dir, 'docs'), '--out', path.join(dir, 'site')], { site: path.join(dir, 'site') }],
        ['check', ['check', path.join(dir, 'docs')]],
      ],
    },
  ];
  const lines = [];
  for (const c of cases) {
    const [small, large] = c.sizes;
    const dirs = c.sizes.map((n) => c.make(n));
    const names = c.commands(dirs[0]).map(([name]) => name);
    for (let k = 0; k < names.length; k += 1) {
      const m = [];
      for (let s = 0; s < 2; s += 1) {
        const [name, args, opts] = c.commands(dirs[s])[k];
        m.push(await measure(`${c.kind} ${c.sizes[s]}: ${name}`, args, opts));
      }
      results.push({ input: c.kind, command: names[k], sizes: c.sizes, small: m[0], large: m[1] });
      lines.push(row(`${c.input}: ${small.toLocaleString('en')} → ${large.toLocaleString('en')}`, names[k], m[0], m[1]));
    }
  }
  const out = [];
  out.push(`| input: small → large | command | small: time | small: CPU | small: peak RSS | small: output | large: time | large: CPU | large: peak RSS | large: output | time × | CPU × | memory × | output × | ≤ ${BAR}× CPU time and memory |`);
  out.push('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|');
  out.push(...lines);
  out.push('');
  out.push(`${BIN} (${await versionText()}); ${os.cpus().length} CPUs, load average ${os.loadavg()[0].toFixed(1)} at the end. ` +
    `Time: wall clock, median of up to ${RUNS} runs; CPU: user + system time (GNU time's %U + %S), median, which decides PASS since wall time on a shared machine measures the other load; peak RSS: GNU time's %M (largest of the runs). Output: the JSON (impact), the site folder (build), the printed diagnostics (check). ` +
    `A run killed at ${MAX_RSS_KIB / 1024} MiB RSS or ${TIMEOUT_MS / 1000} s (BENCH_SCALE_MAX_RSS_MIB, BENCH_SCALE_TIMEOUT_S) makes its ratios lower bounds (≥) and the row FAIL.`);
  process.stdout.write(out.join('\n') + '\n');
  fs.writeFileSync(path.join(BENCH, 'scale-results.json'), JSON.stringify({ bin: BIN, date: new Date().toISOString(), results }, null, 2) + '\n');
  log(`done in ${((Date.now() - started) / 1000).toFixed(0)} s; details in bench/scale-results.json`);
}

function versionText() {
  return new Promise((resolve) => {
    const child = spawn(BIN, ['--version'], { stdio: ['ignore', 'pipe', 'ignore'] });
    let text = '';
    child.stdout.on('data', (b) => { text += b; });
    child.on('close', () => resolve(text.trim().replace(/^\S+\s*/, '')));
  });
}

main().catch((e) => {
  process.stderr.write(`scale: ${e.stack || e}\n`);
  process.exit(1);
});
