// `build-index serve DOCS --watch` in headless Chromium: an edit to the open page is shown
// after the automatic reload, on the same route and scroll position; a broken link shows the
// error overlay, and fixing it removes the overlay. Prints the time from saving the file to the
// edit being on screen (median of several edits): the figure in the README.
//
// By default on a copy of the example portal. `DOCATLAS_WATCH_DOCS=DIR DOCATLAS_WATCH_PAGE=REL`
// measures the same on another docs folder (the Rust docs: see the README's figure).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launch } from './harness.mjs';

const REPO = path.resolve(import.meta.dirname, '..', '..');
const BIN = process.env.DOCATLAS_BIN || path.join(REPO, 'target', 'debug', 'build-index');
const SOURCE = process.env.DOCATLAS_WATCH_DOCS || path.join(REPO, 'examples', 'portal');
const PAGE = process.env.DOCATLAS_WATCH_PAGE || 'catalog/routes.md';
const EDITS = Number(process.env.DOCATLAS_WATCH_EDITS || 5);

let dir;
let server;
let url;
let browser;
/** The server's `rebuilt in N ms` figures, in order. */
const rebuilds = [];

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'docatlas-watch-'));
  fs.cpSync(SOURCE, path.join(dir, 'docs'), { recursive: true });
  server = spawn(BIN, ['serve', path.join(dir, 'docs'), '--watch', '--port', '0', '--out', path.join(dir, 'site')], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Diagnostics are not this test's business; the rebuild lines give the server's share of the
  // figure (`rebuilt in N ms`).
  let err = '';
  server.stderr.on('data', (d) => {
    err += d;
    let i;
    while ((i = err.indexOf('\n')) >= 0) {
      const m = err.slice(0, i).match(/^rebuilt in (\d+) ms/);
      if (m) rebuilds.push(Number(m[1]));
      err = err.slice(i + 1);
    }
  });
  url = await new Promise((resolve, reject) => {
    let out = '';
    server.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/http:\/\/[0-9.:]+\//);
      if (m) resolve(m[0]);
    });
    server.on('exit', (code) => reject(new Error(`serve --watch exited with ${code}: ${out}`)));
  });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  server?.kill();
  fs.rmSync(dir, { recursive: true, force: true });
});

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Polls `fn` in the page until it returns something truthy; survives the reloads in between. */
async function until(page, fn, arg, ms = 30000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    try {
      const v = await page.evaluate(fn, arg);
      if (v) return v;
    } catch {
      // The page is reloading: its context went away.
    }
    await sleep(10);
  }
  throw new Error(`timed out waiting for ${fn}`);
}

test('an edit is on screen after the automatic reload, same route and scroll', async () => {
  const page = await browser.newPage({ viewport: { width: 1000, height: 500 } });
  const route = `#/doc/${PAGE}`;
  await page.goto(url + route);
  await page.waitForSelector('.da-doc-body');
  const file = path.join(dir, 'docs', PAGE);
  // The page's leading title is drawn in a body of its own, above the reading box: any body.
  const shown = (w) => [...document.querySelectorAll('.da-doc-body')].some((b) => b.textContent.includes(w));
  const times = [];
  // Where the time goes: save → the reloaded page's navigation start (debounce, rebuild, the
  // event), of which the rebuild itself; navigation start → the edit drawn (the page's load).
  const toNavigation = [];
  const rebuildMs = [];
  const load = [];
  for (let i = 0; i < EDITS; i++) {
    // The full app takes over from the search-first module after the page loads: scroll once
    // it has, and has drawn the page.
    await until(page, () => window.docatlasAppReady === true);
    await until(page, () => { window.scrollTo(0, 300); return window.scrollY === 300; });
    await sleep(300);
    const before = await page.evaluate(() => window.scrollY);
    const word = `watchedit${i}x${process.pid}`;
    const built = rebuilds.length;
    const start = Date.now();
    fs.appendFileSync(file, `\n\nEdited on save: ${word}.\n`);
    await until(page, shown, word);
    const end = Date.now();
    times.push(end - start);
    const origin = await page.evaluate(() => performance.timeOrigin);
    toNavigation.push(Math.round(origin - start));
    load.push(Math.round(end - origin));
    if (rebuilds.length > built) rebuildMs.push(rebuilds[rebuilds.length - 1]);
    assert.equal(await page.evaluate(() => location.hash), route, 'the route is kept');
    await until(page, (y) => Math.abs(window.scrollY - y) < 2, before, 5000);
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
  times.sort((a, b) => a - b);
  console.log(`serve --watch, ${SOURCE} (${PAGE}): save → edit on screen, median ${times[times.length >> 1]} ms, max ${times[times.length - 1]} ms over ${EDITS} edits`);
  console.log(`  of which save → reloaded page's navigation start median ${median(toNavigation)} ms (rebuild median ${median(rebuildMs)} ms), navigation → edit drawn median ${median(load)} ms; per edit: ${times.map((_, i) => `${toNavigation[i]}+${load[i]}`).join(', ')}`);
  await page.close();
});

test('a broken link shows the error overlay; fixing it removes it', { skip: !!process.env.DOCATLAS_WATCH_DOCS }, async () => {
  const page = await browser.newPage();
  await page.goto(url + `#/doc/${PAGE}`);
  await page.waitForSelector('.da-doc-body');
  const file = path.join(dir, 'docs', PAGE);
  const good = fs.readFileSync(file, 'utf8');
  fs.writeFileSync(file, good + '\n\nSee [the missing page](no-such-page.md).\n');
  const text = await until(page, () => document.getElementById('docatlas-watch-overlay')?.textContent);
  assert.match(text, /1 error/);
  assert.match(text, /broken link `no-such-page\.md`/);
  fs.writeFileSync(file, good);
  await until(page, () => document.querySelector('.da-doc-body') && !document.getElementById('docatlas-watch-overlay'));
  await page.close();
});
