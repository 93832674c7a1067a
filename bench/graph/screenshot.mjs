// Makes docs/screenshot-impact.png: the impact view of the example portal's seat reservation
// feature in headless Chromium.
//
//   node bench/graph/screenshot.mjs SITE_DIR   (SITE_DIR: the example portal, built)

import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const repo = path.resolve(import.meta.dirname, '../..');
const require = createRequire(path.join(repo, 'tests/browser/package.json'));
const { chromium } = require('playwright-core');

const site = process.argv[2];
const MIME = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css' };
const server = http.createServer((req, res) => {
  let f = path.join(site, decodeURIComponent(new URL(req.url, 'http://x').pathname));
  if (fs.existsSync(f) && fs.statSync(f).isDirectory()) f = path.join(f, 'index.html');
  fs.readFile(f, (e, d) => e ? res.writeHead(404).end() : res.writeHead(200, { 'Content-Type': MIME[path.extname(f)] || 'application/octet-stream' }).end(d));
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
await page.goto(`http://127.0.0.1:${server.address().port}/#/impact/feature:refunds?up=1&down=3&kinds=service,table,route`);
await page.waitForSelector('.da-graph .da-node');
await page.hover('.da-node[data-id="service:payments"]');
await page.waitForSelector('.da-node.da-lit');
await page.screenshot({ path: path.join(repo, 'docs/screenshot-impact.png') });
await browser.close();
server.close();
console.log('wrote docs/screenshot-impact.png');
