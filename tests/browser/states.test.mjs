// Headless-Chromium tests of what a reader sees before the app and when something is not there:
// a page's deep link painted by the search-first module before the app's WebAssembly arrives;
// unknown ids, routes and pages said so with suggestions; zero results with looser forms that
// run on a click; loading lines only after 150 ms; no internal file name in any message; the
// graph's minimap and full labels on hover and focus.
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

/** The full app's files (`docatlas-<hash>.js`, `docatlas-<hash>_bg.wasm.gz`), not the module's. */
const APP_FILE = /\/docatlas-[0-9a-f]{16}(\.js|_bg\.wasm\.gz)$/;
/** A page or other data file's name as it is stored, which no message may show. */
const FILE_NAME = /[0-9a-f]{8,}\.bin|page\/|\.bin\b/;

let root;
let server;
let base;
let browser;

before(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'docatlas-states-'));
  execFileSync(BIN, ['build', PORTAL, '--out', path.join(root, 'site'), '--quiet'], { stdio: 'pipe' });
  let url;
  ({ server, base: url } = await serve(root));
  base = `${url}site/`;
  browser = await launch();
});

after(async () => {
  await browser?.close();
  server?.close();
  if (root) fs.rmSync(root, { recursive: true, force: true });
});

async function open(hash, { hold } = {}) {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  if (hold) await page.route(hold.match, async (route) => { hold.held.push(route); await hold.gate; await route.continue(); });
  await page.goto(`${base}${hash}`);
  return { page, problems, close: () => context.close() };
}

/** Waits until the full app shows its own view (the module's DOM gone, no loading line). */
const appShown = (page) => page.waitForFunction(() => window.docatlasAppReady === true
  && !document.getElementById('da-search-first')
  && !document.querySelector('.docatlas .da-loading')
  && document.querySelector('.docatlas .da-main')?.innerText.trim().length > 20);

const mainText = (page) => page.locator('.da-main').innerText();

test('a page deep link shows the page text before the app has been fetched; the app then takes over', async () => {
  const held = [];
  let release;
  const gate = new Promise((r) => { release = r; });
  const { page, problems, close } = await open('#/doc/catalog/services.md', { hold: { match: APP_FILE, held, gate } });
  // The module draws the page's HTML while the app's files are held back by the test.
  await page.waitForSelector('#da-search-first .da-doc-body h1, #da-search-first .da-doc-body h2');
  const text = await page.locator('#da-search-first .da-doc-body').innerText();
  assert.ok(text.length > 200, `the page's text is shown (${text.length} characters)`);
  assert.equal(await page.evaluate(() => window.docatlasAppReady), undefined, 'the app has not started');
  assert.ok(held.length <= 1, 'at most the app\'s JS was asked for, none of it answered');
  const h1 = await page.locator('#da-search-first .da-doc-body h1').innerText();
  assert.equal(await page.title(), h1, 'the tab names the page');
  // Released, the app loads and shows the same page as its own view.
  release();
  await appShown(page);
  assert.ok((await page.locator('.da-doc').innerText()).length > 200, 'the app shows the page');
  assert.equal(await page.locator('.da-doc-meta .da-path').innerText(), 'catalog/services.md');
  assert.deepEqual(problems, []);
  await close();
});

test('a reader who scrolled the module\'s page keeps their place when the app takes over', async () => {
  const held = [];
  let release;
  const gate = new Promise((r) => { release = r; });
  const { page, problems, close } = await open('#/doc/engineering/observability.md', { hold: { match: APP_FILE, held, gate } });
  await page.waitForSelector('#da-search-first .da-doc-body h2[id]');
  // Read down to the page's last section heading, then let the app in.
  const before = await page.evaluate(() => {
    const hs = [...document.querySelectorAll('#da-search-first .da-doc-body h2[id]')];
    const h = hs[hs.length - 1];
    window.scrollBy(0, h.getBoundingClientRect().top - 120);
    return { id: h.id, top: h.getBoundingClientRect().top, y: window.scrollY };
  });
  assert.ok(before.y > 200, `the page scrolled (${before.y} px)`);
  release();
  await appShown(page);
  await page.waitForTimeout(200);
  const after = await page.evaluate((id) => {
    const h = document.querySelector(`.docatlas .da-doc-body [id="${id}"]`);
    return h && h.getBoundingClientRect().top;
  }, before.id);
  assert.ok(after !== null, `the app's page has the heading #${before.id}`);
  assert.ok(Math.abs(after - before.top) <= 4, `heading #${before.id} at ${after} px, was at ${before.top} px`);
  assert.deepEqual(problems, []);
  await close();
});

test('the app is asked for only after the deep-linked page file has arrived', async () => {
  const { page, problems, close } = await open('#/doc/catalog/routes.md');
  const order = [];
  page.on('requestfinished', (r) => order.push(r.url()));
  await appShown(page);
  const times = await page.evaluate(() => performance.getEntriesByType('resource')
    .map((e) => ({ name: e.name, start: e.startTime, end: e.responseEnd })));
  const pageFile = times.find((t) => t.name.includes('/page/'));
  const app = times.find((t) => /\/docatlas-[0-9a-f]{16}_bg\.wasm\.gz$/.test(t.name));
  assert.ok(pageFile && app, JSON.stringify(times.map((t) => t.name)));
  assert.ok(app.start >= pageFile.end, `app wasm asked for at ${app.start} ms, page file in at ${pageFile.end} ms`);
  // The page file's folder comes from the head the module loads anyway, not a second fetch of it.
  const heads = times.filter((t) => /\/docatlas\.bin(\.gz)?$/.test(new URL(t.name).pathname));
  assert.equal(heads.length, 1, `the head fetched ${heads.length} times`);
  assert.deepEqual(problems, []);
  await close();
});

test('a missing page says it is not in this site, offers a search for its name, and names no file', async () => {
  const { page, problems, close } = await open('#/doc/ops/deploy-guide.md');
  await appShown(page);
  assert.equal(await page.locator('.da-error h1').innerText(), 'This page is not in this site');
  const text = await mainText(page);
  assert.match(text, /ops\/deploy-guide\.md/);
  assert.doesNotMatch(text, FILE_NAME);
  await page.click('a.da-search-for');
  await page.waitForFunction(() => decodeURIComponent(location.hash) === '#/search?q=deploy guide');
  await page.waitForSelector('.da-hit');
  // The browser's own log line for the page file's 404 is expected; nothing else.
  assert.deepEqual(problems.filter((p) => !/status of 404/.test(p)), []);
  await close();
});

test('an unknown entity id says so with the nearest ids and a search for its name', async () => {
  let { page, problems, close } = await open('#/impact/feature:refundz');
  await appShown(page);
  assert.match(await page.locator('.da-error h1').innerText(), /No entity feature:refundz/);
  const near = await page.$$eval('.da-near a', (as) => as.map((a) => a.textContent));
  assert.ok(near.some((n) => /refunds/i.test(n)), `nearest ids: ${near}`);
  assert.match(await page.locator('a.da-search-for').innerText(), /Search the docs for “refundz”/);
  assert.deepEqual(problems, []);
  await close();

  // Nothing close: it says so, and still offers the search; the why view does the same.
  ({ page, problems, close } = await open('#/why?from=feature:refunds&to=table:qqxqzz'));
  await appShown(page);
  const text = await mainText(page);
  assert.match(text, /No entity table:qqxqzz/);
  assert.match(text, /No id is close to this one|Nearest ids/);
  assert.match(await page.locator('a.da-search-for').innerText(), /“qqxqzz”/);
  assert.doesNotMatch(text, FILE_NAME);
  assert.deepEqual(problems, []);
  await close();
});

test('an unknown route says so and offers a search for its words', async () => {
  const { page, problems, close } = await open('#/runbooks/payment-outage');
  await appShown(page);
  const text = await mainText(page);
  assert.match(text, /Nothing at this address/);
  assert.match(text, /#\/runbooks\/payment-outage/);
  const search = page.locator('a', { hasText: 'Search for' });
  assert.match(await search.innerText(), /payment outage/);
  assert.deepEqual(problems, []);
  await close();
});

test('zero results offer looser forms that run on a click, in the module and in the app', async () => {
  // A phrase no page has: the words loose, or either word, do find pages.
  const { page, problems, close } = await open('#/search?q=%22refund%20gateway%22');
  // First the search-first module's results (before or after the app, the markup is the same).
  await page.waitForSelector('.da-no-results a');
  const forms = await page.$$eval('.da-no-results li a', (as) => as.map((a) => a.textContent));
  assert.deepEqual(forms, ['refund gateway', 'refund OR gateway'], `suggested: ${forms}`);
  assert.match(await page.locator('.da-no-results').innerText(), /not as a phrase: \d+ pages?/);
  await appShown(page);
  await page.waitForSelector('.da-no-results li a');
  await page.click('.da-no-results li a >> nth=1');
  await page.waitForFunction(() => decodeURIComponent(location.hash) === '#/search?q=refund OR gateway');
  await page.waitForSelector('.da-hit');
  assert.match(await page.locator('.da-results-summary').innerText(), /\d+ pages? for “refund OR gateway”/);
  // A word in no page, even with a typo forgiven: it says so, and offers the page list.
  await page.evaluate(() => { location.hash = '#/search?q=qqxqzzwv'; });
  await page.waitForSelector('.da-no-results a[href="#/"]');
  assert.match(await page.locator('.da-no-results').innerText(), /Nothing matches/);
  assert.deepEqual(problems, []);
  await close();
});

test('a loading line shows only once a wait has lasted 150 ms', async () => {
  const { page, problems, close } = await open('#/');
  await appShown(page);
  // The next page file is answered after 1.2 s.
  await page.route(/\/page\//, async (route) => {
    await new Promise((r) => setTimeout(r, 1200));
    await route.continue();
  });
  const seen = await page.evaluate(async () => {
    location.hash = '#/doc/catalog/events.md';
    const look = () => {
      const el = document.querySelector('.docatlas .da-loading');
      return el ? getComputedStyle(el).visibility : 'none';
    };
    await new Promise((r) => setTimeout(r, 60));
    const early = look();
    await new Promise((r) => setTimeout(r, 300));
    return { early, late: look() };
  });
  assert.deepEqual(seen, { early: 'hidden', late: 'visible' });
  await appShown(page);
  assert.deepEqual(problems, []);
  await close();
});

test('the graph: full labels on hover and on keyboard focus; a minimap of a large view moves it', async () => {
  const { page, problems, close } = await open('#/impact/feature:refunds?up=1&down=2&cap=all');
  await page.waitForSelector('.da-graph .da-node');
  await page.waitForTimeout(150);
  // Hover: the whole name and id, over the drawing (the drawn label may be cut short).
  const node = page.locator('.da-graph .da-node:not(.da-centre)').first();
  const id = await node.getAttribute('data-id');
  await node.hover();
  const tip = page.locator('.da-node-tip');
  await tip.waitFor();
  assert.ok((await tip.innerText()).includes(`(${id})`), `the tip names ${id}: ${await tip.innerText()}`);
  await page.mouse.move(0, 0);
  await tip.waitFor({ state: 'detached' });
  // Keyboard focus shows it too.
  await page.focus('.da-graph .da-node[tabindex="0"]');
  await page.keyboard.press('ArrowRight');
  const focused = await page.evaluate(() => document.activeElement.getAttribute('data-id'));
  await tip.waitFor();
  assert.ok((await tip.innerText()).includes(`(${focused})`));
  // The view opens on its centre (it does not fit at a readable scale): the minimap shows,
  // with the part in view; a click on it moves the view there.
  const mini = page.locator('.da-minimap');
  assert.ok(await mini.isVisible(), 'a drawing larger than its box has a minimap');
  const before = await page.getAttribute('.da-viewport', 'transform');
  let box = await mini.boundingBox();
  await mini.click({ position: { x: box.width - 4, y: box.height - 4 } });
  box = await mini.boundingBox();
  const afterClick = await page.getAttribute('.da-viewport', 'transform');
  assert.notEqual(afterClick, before, 'the click moved the view');
  const view = await page.locator('.da-minimap-view').boundingBox();
  assert.ok(view.y + view.height / 2 > box.y + box.height / 2, `the rectangle follows to the clicked corner: ${JSON.stringify(view)} in ${JSON.stringify(box)}`);
  // Fitted, it fits: no minimap.
  await page.click('button:text-is("Fit")');
  assert.equal(await mini.isVisible(), false);
  assert.deepEqual(problems, []);
  await close();
});
