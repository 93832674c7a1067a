// Headless-Chromium tests of the impact graph on the example portal: open a feature, see its
// services and tables, re-centre on a service by clicking it, open its runbook; keyboard
// re-centring, the node cap, the table view, exports, entity cards in search, the PII list.
//
// Run by scripts/test (`DOCATLAS_BIN=... node --test tests/browser/`).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launch, serve } from './harness.mjs';

const REPO = path.resolve(import.meta.dirname, '..', '..');
const BIN = process.env.DOCATLAS_BIN || path.join(REPO, 'target', 'debug', 'build-index');
const PORTAL = path.join(REPO, 'examples', 'portal');

let root;
let server;
let base;
let browser;
const requested = [];

before(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'docatlas-graph-'));
  execFileSync(BIN, ['build', PORTAL, '--out', path.join(root, 'site'), '--quiet'], { stdio: 'pipe' });
  let url;
  ({ server, base: url } = await serve(root, (u) => requested.push(u)));
  base = `${url}site/`;
  browser = await launch();
});

after(async () => {
  await browser?.close();
  server?.close();
  if (root) fs.rmSync(root, { recursive: true, force: true });
});

async function open(hash) {
  const page = await browser.newPage({ acceptDownloads: true });
  const problems = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  await page.goto(`${base}${hash}`);
  return { page, problems };
}

const nodeIds = (page) => page.$$eval('.da-graph .da-node', (ns) => ns.map((n) => n.getAttribute('data-id')));

test('open a feature, see its services and tables, click a service to re-centre, open its runbook', async () => {
  const { page, problems } = await open('#/impact/feature:refunds?up=1&down=2&cap=all');
  await page.waitForSelector('.da-graph .da-node');
  const ids = await nodeIds(page);
  assert.equal(ids[0], 'feature:refunds');
  for (const id of ['service:payments', 'service:booking-api', 'service:notifier', 'table:refunds', 'table:bookings']) {
    assert.ok(ids.includes(id), `${id} in ${ids}`);
  }
  // Services left of tables: laid out left to right by depth.
  const x = (id) => page.$eval(`.da-node[data-id="${id}"]`, (n) => n.getBoundingClientRect().x);
  assert.ok(await x('feature:refunds') < await x('service:payments'));
  assert.ok(await x('service:payments') < await x('table:refunds'));

  // An edge's relations are the browser's tooltip on it.
  const edge = page.locator('.da-graph .da-edge').first();
  await edge.dispatchEvent('mouseover');
  assert.match(await edge.evaluate((e) => e.querySelector('title')?.textContent ?? ''), /\w/);
  // Hovering a service lights the paths through it and dims the rest.
  await page.hover('.da-node[data-id="service:payments"]');
  await page.waitForSelector('.da-node[data-id="table:refunds"].da-lit');
  assert.ok(await page.$('.da-node[data-id="table:bookings"].da-dim'), 'a table of another service is dimmed');

  await page.click('.da-node[data-id="service:payments"]');
  await page.waitForFunction(() => location.hash.startsWith('#/impact/service:payments?up=1&down=2'));
  await page.waitForFunction(() => document.querySelector('.da-graph .da-node')?.getAttribute('data-id') === 'service:payments');
  const after = await nodeIds(page);
  assert.ok(after.includes('feature:refunds'), 'the feature is now upstream');
  assert.ok(after.includes('controller:webhookcontroller'));

  const runbook = page.locator('.da-runbooks a', { hasText: 'Payments webhook backlog' });
  await runbook.click();
  await page.waitForFunction(() => location.hash.startsWith('#/doc/runbooks/payments-webhook-backlog.md'));
  await page.waitForSelector('.da-doc-body h1');
  assert.deepEqual(problems, []);
  await page.close();
});

test('keyboard: nodes are focusable and Enter re-centres; the cap says how many more and expands', async () => {
  const { page, problems } = await open('#/impact/feature:seat-reservation');
  await page.waitForSelector('.da-graph .da-node');
  const capped = await page.textContent('.da-capped');
  assert.match(capped, /\d+ more not shown/);
  const before = (await nodeIds(page)).length;
  assert.equal(before, 40);
  await page.click('.da-capped button:has-text("Show all")');
  await page.waitForFunction(() => location.hash.includes('cap=all'));
  await page.waitForFunction((n) => document.querySelectorAll('.da-graph .da-node').length > n, before);
  assert.equal(await page.$('.da-capped'), null);

  await page.focus('.da-node[data-id="service:fleet"]');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => location.hash.startsWith('#/impact/service:fleet?'));
  await page.waitForFunction(() => document.querySelector('.da-graph .da-node')?.getAttribute('data-id') === 'service:fleet');
  assert.deepEqual(problems, []);
  await page.close();
});

test('the table view and the exports hold exactly what is shown', async () => {
  const { page, problems } = await open('#/impact/service:payments?up=1&down=1');
  await page.waitForSelector('.da-graph .da-node');
  const shown = (await nodeIds(page)).length;
  const [csv] = await Promise.all([page.waitForEvent('download'), page.click('.da-exports button:has-text("CSV")')]);
  const text = fs.readFileSync(await csv.path(), 'utf8');
  assert.equal(text.trim().split('\n').length, shown + 1, text);
  assert.match(text, /^id,kind,name,direction,depth,path\nservice:payments,service,payments,centre,0/);
  const [svg] = await Promise.all([page.waitForEvent('download'), page.click('.da-exports button:has-text("SVG")')]);
  const svgText = fs.readFileSync(await svg.path(), 'utf8');
  assert.match(svgText, /<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  assert.equal((svgText.match(/class="da-node[ "]/g) || []).length, shown);
  // A viewer of the file sees each node's full label and each edge's relations as tooltips.
  assert.equal((svgText.match(/<g class="da-node[^>]*><title>[^<]+<\/title>/g) || []).length, shown);
  const edgesShown = await page.$$eval('.da-graph .da-edge', (es) => es.length);
  assert.equal((svgText.match(/<path [^>]*class="da-edge"[^>]*><title>[^<]+<\/title>/g) || []).length, edgesShown);
  const [mmd] = await Promise.all([page.waitForEvent('download'), page.click('.da-exports button:has-text("Mermaid")')]);
  assert.match(fs.readFileSync(await mmd.path(), 'utf8'), /^flowchart LR/);

  await page.click('.da-mode button:has-text("Table")');
  await page.waitForFunction(() => location.hash.includes('view=table'));
  await page.waitForSelector('.da-impact-table');
  assert.equal(await page.$$eval('.da-impact-table tbody tr', (r) => r.length), shown);

  // Kind filter in the URL: only tables besides the centre.
  await page.goto(`${base}#/impact/service:payments?up=1&down=1&kinds=table`);
  await page.waitForFunction(() => location.hash.includes('kinds=table'));
  await page.waitForFunction(() => [...document.querySelectorAll('.da-graph .da-node')].slice(1).every((n) => n.getAttribute('data-id').startsWith('table:')));
  assert.deepEqual(problems, []);
  await page.close();
});

test('search shows entity cards without the first search waiting for the graph', async () => {
  requested.length = 0;
  const { page, problems } = await open('');
  await page.waitForSelector('.da-home');
  assert.ok(!requested.some((u) => u.endsWith('graph.bin')), 'graph.bin is not fetched to show the home page');
  await page.keyboard.press('/');
  await page.keyboard.type('refunds');
  await page.waitForSelector('.da-hit');
  const card = page.locator('.da-entity-card', { hasText: 'table:refunds' });
  await card.waitFor();
  assert.match(await card.textContent(), /owner.*payments.*Team Ledger/s);
  await card.locator('.da-card-title').click();
  await page.waitForFunction(() => location.hash.startsWith('#/impact/table:refunds'));
  await page.waitForSelector('.da-graph .da-node');
  assert.deepEqual(problems, []);
  await page.close();
});

test('the entity list answers which endpoints handle PII; an entity page shows where it is declared', async () => {
  const { page, problems } = await open('#/entities?kind=route&attr=pii%3Dyes');
  await page.waitForSelector('.da-entity-table tbody tr');
  // 13 from catalog/routes.md, one only in catalog/apis/openapi.payments.yaml.
  assert.equal(await page.$$eval('.da-entity-table tbody tr', (r) => r.length), 14);
  await page.goto(`${base}#/entity/route:post-api-v1-bookings`);
  await page.waitForSelector('.da-entity h1');
  const text = await page.textContent('.da-entity');
  assert.match(text, /catalog\/routes\.md:19/);
  assert.match(text, /BookingController/);
  assert.match(text, /Owner/);
  const code = await page.getAttribute('.da-attrs a.da-coderef', 'href');
  assert.match(code, /bookings\.controller\.ts#L42$/);
  await page.goto(`${base}#/why?from=feature:refunds&to=table:refunds`);
  await page.waitForSelector('.da-paths li');
  assert.match(await page.textContent('.da-paths'), /owns table/);
  assert.deepEqual(problems, []);
  await page.close();
});
