// Makes the README's pictures in docs/: searching, a page, a reading track with two pages read,
// and the impact view, at 1200 px, and search and the impact view on a phone (390×844). Not a
// test (node --test does not pick it up); run it after `cargo build -p build-index`:
//
//   DOCATLAS_BIN=target/debug/build-index node tests/browser/screenshots.mjs

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

const REPO = path.resolve(import.meta.dirname, '..', '..');
const BIN = process.env.DOCATLAS_BIN || path.join(REPO, 'target', 'debug', 'build-index');
const out = (name) => path.join(REPO, 'docs', `screenshot-${name}.png`);

const site = fs.mkdtempSync(path.join(os.tmpdir(), 'docatlas-shot-'));
execFileSync(BIN, ['build', path.join(REPO, 'examples', 'portal'), '--out', site, '--quiet']);
const MIME = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css' };
const server = http.createServer((req, res) => {
  const url = decodeURIComponent(new URL(req.url, 'http://x').pathname);
  const file = path.join(site, url.endsWith('/') ? `${url}index.html` : url);
  fs.readFile(file, (err, data) => {
    if (err) { res.writeHead(404).end(); return; }
    res.writeHead(200, { 'Content-Type': MIME[path.extname(file)] || 'application/octet-stream' }).end(data);
  });
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${server.address().port}/`;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
});
/** Opens `hash` and waits until the app (not the search-first module) shows it. */
async function show(page, hash, ready) {
  await page.goto(`${base}${hash}`);
  await page.waitForFunction(() => !document.getElementById('da-search-first'));
  await page.waitForSelector(ready);
  await page.waitForTimeout(300);
}
async function shot(page, name) {
  await page.screenshot({ path: out(name) });
  console.log(`wrote ${path.relative(REPO, out(name))}`);
}
try {
  const desk = await browser.newPage({ viewport: { width: 1200, height: 760 }, colorScheme: 'light' });
  await show(desk, '#/search?q=refunds', '.da-entity-card');
  await shot(desk, 'search');
  await show(desk, '#/doc/runbooks/payments-webhook-backlog.md', '.da-doc-body h1');
  await shot(desk, 'page');
  await show(desk, '#/impact/feature:refunds?up=1&down=2', '.da-graph .da-node');
  await shot(desk, 'impact');

  const track = await browser.newPage({ viewport: { width: 1000, height: 860 }, colorScheme: 'light' });
  await show(track, '#/tracks/short-on-time-read-these-first', '.da-track-items');
  for (const title of ['Stack', 'Architecture']) {
    await track.getByRole('checkbox', { name: `Read “${title}”` }).check();
  }
  await track.waitForFunction(() => document.querySelector('.da-track-progress')?.textContent.startsWith('2 of 6'));
  await track.mouse.click(990, 850); // move focus off the last box, for a clean picture
  await shot(track, 'track');

  const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, colorScheme: 'dark' });
  await show(phone, '#/search?q=payments', '.da-hit');
  await shot(phone, 'phone-search');
  await show(phone, '#/impact/feature:refunds?up=1&down=2&view=graph', '.da-graph .da-node');
  await shot(phone, 'phone-impact');
} finally {
  await browser.close();
  server.close();
  fs.rmSync(site, { recursive: true, force: true });
}
