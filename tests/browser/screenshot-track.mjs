// Makes docs/screenshot-track.png, the README's picture of a reading track: the example portal's
// first track with two pages read. Not a test (node --test does not pick it up); run it after
// `cargo build -p build-index`:
//
//   DOCATLAS_BIN=target/debug/build-index node tests/browser/screenshot-track.mjs

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

const REPO = path.resolve(import.meta.dirname, '..', '..');
const BIN = process.env.DOCATLAS_BIN || path.join(REPO, 'target', 'debug', 'build-index');
const OUT = path.join(REPO, 'docs', 'screenshot-track.png');

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
try {
  const page = await browser.newPage({ viewport: { width: 1000, height: 860 }, colorScheme: 'light' });
  await page.goto(`${base}#/tracks/short-on-time-read-these-first`);
  for (const title of ['Stack', 'Architecture']) {
    await page.getByRole('checkbox', { name: `Read “${title}”` }).check();
  }
  await page.waitForFunction(() => document.querySelector('.da-track-progress')?.textContent.startsWith('2 of 6'));
  await page.mouse.click(990, 850); // move focus off the last box, for a clean picture
  await page.screenshot({ path: OUT });
  console.log(`wrote ${path.relative(REPO, OUT)}`);
} finally {
  await browser.close();
  server.close();
  fs.rmSync(site, { recursive: true, force: true });
}
