// The browser half of the graph benchmark: opens the impact view of the generated portal's
// largest impact in headless Chromium, every node shown, and reads how long the query and the
// layout took in the page (window.docatlasGraphTimings, set by the impact view). Re-centres on
// several entities and reports medians.
//
//   node bench/graph/browser.mjs SITE_DIR CENTRE_ID [more ids...]

import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(path.resolve(import.meta.dirname, '../../tests/browser/package.json'));
const { chromium } = require('playwright-core');

const [site, ...ids] = process.argv.slice(2);
const MIME = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css' };
const server = http.createServer((req, res) => {
  let f = path.join(site, decodeURIComponent(new URL(req.url, 'http://x').pathname));
  if (fs.existsSync(f) && fs.statSync(f).isDirectory()) f = path.join(f, 'index.html');
  fs.readFile(f, (e, d) => e ? res.writeHead(404).end() : res.writeHead(200, { 'Content-Type': MIME[path.extname(f)] || 'application/octet-stream' }).end(d));
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${server.address().port}/`;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const page = await browser.newPage();
const rows = [];
for (let round = 0; round < 3; round++) {
  for (const id of ids) {
    await page.goto(`${base}#/impact/${id}?up=all&down=all&cap=all`);
    await page.waitForFunction((id) => document.querySelector('.da-graph .da-node')?.getAttribute('data-id') === id, id);
    const t = await page.evaluate(() => window.docatlasGraphTimings);
    rows.push({ id, ...t });
  }
}
await browser.close();
server.close();
const med = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const biggest = rows.reduce((a, b) => (b.nodes > a.nodes ? b : a));
const sameAsBiggest = rows.filter((r) => r.id === biggest.id);
console.log(`browser (headless Chromium), impact view of ${biggest.id}, every node shown: ${biggest.nodes} nodes, ${biggest.edges} edges`);
console.log(`  impact query: ${med(sameAsBiggest.map((r) => r.impactMs)).toFixed(2)} ms (median of ${sameAsBiggest.length})`);
console.log(`  layout (view + layered layout): ${med(sameAsBiggest.map((r) => r.layoutMs)).toFixed(2)} ms (median of ${sameAsBiggest.length}); target under 50 ms`);
console.log(`  all ${rows.length} views: layout median ${med(rows.map((r) => r.layoutMs)).toFixed(2)} ms, max ${Math.max(...rows.map((r) => r.layoutMs)).toFixed(2)} ms`);
