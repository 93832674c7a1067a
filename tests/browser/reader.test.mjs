// Headless-Chromium tests of what a reader meets first, on the example portal: every view on a
// phone (390×844: no sideways overflow, a search box wide enough to type in, on its own row of
// the header), the keyboard in the results (the chosen result stays in view; entity cards are
// reached with the arrows), the impact graph opening fitted on its centre with zoom and pan, and
// zero axe-core violations on every view in light and dark.
//
// Run by scripts/test (`DOCATLAS_BIN=... node --test tests/browser/`).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { launch, serve } from './harness.mjs';

const REPO = path.resolve(import.meta.dirname, '..', '..');
const BIN = process.env.DOCATLAS_BIN || path.join(REPO, 'target', 'debug', 'build-index');
const PORTAL = path.join(REPO, 'examples', 'portal');
const AXE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** One route of each view of the app. */
const VIEWS = {
  home: '#/',
  search: '#/search?q=payments',
  doc: '#/doc/catalog/services.md',
  folder: '#/folder/catalog',
  tracks: '#/tracks',
  track: '#/tracks/short-on-time-read-these-first',
  entities: '#/entities',
  entity: '#/entity/service:payments',
  impact: '#/impact/feature:refunds?up=1&down=2&cap=all',
  why: '#/why?from=feature:refunds&to=table:refunds',
  unknown: '#/runbook/redis-memory',
};

let root;
let server;
let base;
let browser;

before(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'docatlas-reader-'));
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

const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };
const DESKTOP = { viewport: { width: 1366, height: 768 } };

/** Opens `hash` in a new context and waits until the app shows the route's content. */
async function open(hash, options = DESKTOP) {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  await page.goto(`${base}${hash}`);
  await page.waitForFunction(() => !document.getElementById('da-search-first')
    && document.querySelector('.docatlas .da-main')
    && !document.querySelector('.docatlas .da-loading')
    && document.querySelector('.docatlas .da-main').innerText.trim().length > 20);
  return { page, problems, close: () => context.close() };
}

test('on a phone every view fits the screen and the search box is usable', async () => {
  for (const [name, hash] of Object.entries(VIEWS)) {
    const { page, problems, close } = await open(hash, PHONE);
    await page.waitForTimeout(200);
    const m = await page.evaluate(() => {
      const box = document.querySelector('.docatlas .da-search-input').getBoundingClientRect();
      const brand = document.querySelector('.docatlas .da-brand').getBoundingClientRect();
      return {
        scrollWidth: document.documentElement.scrollWidth,
        width: window.innerWidth,
        box: { left: box.left, right: box.right, width: box.width, height: box.height, top: box.top },
        brandBottom: brand.bottom,
      };
    });
    assert.ok(m.scrollWidth <= m.width, `${name}: the page is ${m.scrollWidth} px wide on a ${m.width} px screen`);
    assert.ok(m.box.left >= 0 && m.box.right <= m.width, `${name}: the search box is on screen (${m.box.left}–${m.box.right})`);
    assert.ok(m.box.width >= 300, `${name}: the search box is ${m.box.width} px wide`);
    assert.ok(m.box.height >= 44, `${name}: the search box is ${m.box.height} px tall, under a touch target`);
    assert.ok(m.box.top >= m.brandBottom - 1, `${name}: the header wraps, the box on a row of its own`);
    assert.deepEqual(problems, [], name);
    await close();
  }
});

test('on a phone the search box is reached by touch and answers', async () => {
  const { page, problems, close } = await open(VIEWS.home, PHONE);
  await page.tap('.docatlas .da-search-input');
  await page.keyboard.type('refund');
  await page.waitForSelector('.docatlas .da-hit');
  const first = await page.locator('.docatlas .da-hit').first().boundingBox();
  assert.ok(first.y < 844, `the first result is on the first screen (y=${first.y})`);
  assert.deepEqual(problems, []);
  await close();
});

test('keyboard: the chosen result stays in view, and the arrows reach the entity cards', async () => {
  const { page, problems, close } = await open('#/search?q=payments');
  await page.waitForSelector('.da-entity-card');
  const hits = await page.locator('.da-hit').count();
  const cards = await page.locator('.da-entity-card').count();
  assert.ok(hits >= 10 && cards >= 2, `${hits} hits, ${cards} cards`);
  await page.focus('.docatlas .da-search-input');
  // The box is a combobox naming the chosen option.
  const active = () => page.$eval('.docatlas .da-search-input', (i) => i.getAttribute('aria-activedescendant'));
  assert.equal(await page.$eval('.docatlas .da-search-input', (i) => i.getAttribute('role')), 'combobox');
  assert.equal(await active(), 'da-hit-0');
  const inView = (sel) => page.$eval(sel, (el) => {
    const r = el.getBoundingClientRect();
    const header = document.querySelector('.docatlas .da-header').getBoundingClientRect().bottom;
    return { top: r.top, bottom: r.bottom, header, height: window.innerHeight };
  });
  for (let i = 1; i < hits; i++) {
    await page.keyboard.press('ArrowDown');
    await page.waitForFunction((i) => document.querySelectorAll('.da-hit')[i].classList.contains('da-selected'), i);
    const r = await inView('.da-hit.da-selected');
    assert.ok(r.top >= r.header - 1 && r.bottom <= r.height + 1,
      `hit ${i} is in view below the header: ${r.top}–${r.bottom} (header ${r.header}, viewport ${r.height})`);
    assert.equal(await active(), `da-hit-${i}`);
    assert.equal(await page.locator('.da-hit.da-selected a').getAttribute('aria-selected'), 'true');
  }
  // Down from the last result wraps to the first card; up from the first result is the last card.
  await page.keyboard.press('ArrowDown');
  await page.waitForSelector('.da-entity-card.da-selected');
  assert.equal(await active(), 'da-card-0');
  assert.equal(await page.locator('.da-hit.da-selected').count(), 0, 'no result is chosen with a card');
  const r = await inView('.da-entity-card.da-selected');
  assert.ok(r.top >= r.header - 1 && r.bottom <= r.height + 1, `the card is in view: ${r.top}–${r.bottom}`);
  for (let i = 0; i < cards; i++) await page.keyboard.press('ArrowDown');
  await page.waitForFunction(() => document.querySelectorAll('.da-hit')[0].classList.contains('da-selected'));
  await page.keyboard.press('ArrowUp');
  await page.waitForFunction((c) => document.querySelectorAll('.da-entity-card')[c - 1].classList.contains('da-selected'), cards);
  const href = await page.locator('.da-entity-card.da-selected .da-card-title').getAttribute('href');
  await page.keyboard.press('Enter');
  await page.waitForFunction((h) => location.hash === h, href);
  await page.waitForSelector('.da-impact');
  assert.deepEqual(problems, []);
  await close();
});

/** The drawing's box and where the centre node and every node are drawn, in page pixels. */
const graphGeometry = (page) => page.evaluate(() => {
  const box = document.querySelector('.da-graph-box').getBoundingClientRect();
  const rect = (el) => { const r = el.getBoundingClientRect(); return { x: r.x, y: r.y, w: r.width, h: r.height }; };
  return {
    box: rect(document.querySelector('.da-graph-box')),
    centre: rect(document.querySelector('.da-graph .da-centre rect')),
    nodes: [...document.querySelectorAll('.da-graph .da-node rect')].map(rect),
    inside: (() => {
      const b = box;
      return [...document.querySelectorAll('.da-graph .da-node rect')].every((n) => {
        const r = n.getBoundingClientRect();
        return r.left >= b.left - 1 && r.right <= b.right + 1 && r.top >= b.top - 1 && r.bottom <= b.bottom + 1;
      });
    })(),
  };
});

const centreInBox = (g) => g.centre.x >= g.box.x && g.centre.x + g.centre.w <= g.box.x + g.box.w
  && g.centre.y >= g.box.y && g.centre.y + g.centre.h <= g.box.y + g.box.h;

test('the impact graph opens fitted on its centre, zooms, pans and fits again', async () => {
  // A large view opens on the centre at a readable scale (fitted, its labels would be specks).
  let { page, problems, close } = await open(VIEWS.impact);
  await page.waitForSelector('.da-graph .da-node');
  await page.waitForTimeout(150);
  let g = await graphGeometry(page);
  const natural = Number(await page.getAttribute('.da-graph .da-centre rect', 'width'));
  assert.ok(g.nodes.length > 25, `${g.nodes.length} nodes`);
  assert.ok(centreInBox(g), `the centre node is in the box: ${JSON.stringify(g.centre)} in ${JSON.stringify(g.box)}`);
  assert.ok(g.centre.w >= natural * 0.6, `readable: drawn ${g.centre.w} px wide of ${natural}`);
  assert.ok(g.box.y + g.box.h <= 768 + 400 && g.box.h >= 300, `the box is about a screen tall (${g.box.h})`);
  assert.deepEqual(problems, []);
  await close();

  // A smaller one opens whole, fitted.
  ({ page, problems, close } = await open('#/impact/service:payments?up=1&down=1'));
  await page.waitForSelector('.da-graph .da-node');
  await page.waitForTimeout(150);
  g = await graphGeometry(page);
  assert.ok(g.inside, 'every node is inside the box: the whole drawing is fitted');
  assert.ok(centreInBox(g));
  // Zoom in with the button: nodes grow; the wheel zooms too.
  const w0 = g.centre.w;
  await page.click('button[aria-label="Zoom in"]');
  g = await graphGeometry(page);
  assert.ok(g.centre.w > w0 * 1.2, `zoomed in: ${w0} → ${g.centre.w}`);
  const w1 = g.centre.w;
  await page.mouse.move(g.box.x + g.box.w / 2, g.box.y + g.box.h / 2);
  await page.mouse.wheel(0, 300);
  g = await graphGeometry(page);
  assert.ok(g.centre.w < w1, `the wheel zooms out: ${w1} → ${g.centre.w}`);
  // Drag to pan.
  const x0 = g.centre.x;
  await page.mouse.move(g.box.x + 20, g.box.y + 20);
  await page.mouse.down();
  await page.mouse.move(g.box.x + 120, g.box.y + 60, { steps: 5 });
  await page.mouse.up();
  g = await graphGeometry(page);
  assert.ok(Math.abs(g.centre.x - (x0 + 100)) < 2, `dragged 100 px right: ${x0} → ${g.centre.x}`);
  // Fit brings every node back in.
  await page.click('button[aria-label="Zoom in"]');
  await page.click('button[aria-label="Zoom in"]');
  assert.ok(!(await graphGeometry(page)).inside, 'zoomed in, some nodes are outside the box');
  await page.click('button:text-is("Fit")');
  assert.ok((await graphGeometry(page)).inside, 'Fit shows the whole drawing again');
  assert.deepEqual(problems, []);
  await close();
});

test('the impact graph is one tab stop; arrows move between nodes; focus stays on re-centre', async () => {
  const { page, problems, close } = await open(VIEWS.impact);
  await page.waitForSelector('.da-graph .da-node');
  const stops = await page.$$eval('.da-graph .da-node', (ns) => ns.filter((n) => n.getAttribute('tabindex') === '0').length);
  assert.equal(stops, 1, 'one node is in the tab order');
  await page.focus('.da-graph .da-node[tabindex="0"]');
  assert.equal(await page.evaluate(() => document.activeElement.classList.contains('da-centre')), true);
  await page.keyboard.press('ArrowRight');
  const focused = await page.evaluate(() => document.activeElement.getAttribute('data-id'));
  assert.ok(focused && focused !== 'feature:refunds', `→ moves to a downstream node (${focused})`);
  await page.keyboard.press('ArrowDown');
  const next = await page.evaluate(() => document.activeElement.getAttribute('data-id'));
  assert.ok(next && next !== focused, `↓ moves within the column (${next})`);
  assert.equal(await page.$$eval('.da-graph .da-node[tabindex="0"]', (ns) => ns.length), 1);
  await page.keyboard.press('Enter');
  await page.waitForFunction((id) => location.hash.startsWith(`#/impact/${id}`), next);
  await page.waitForFunction((id) => document.querySelector('.da-graph .da-centre')?.getAttribute('data-id') === id
    && document.activeElement?.getAttribute('data-id') === id, next);
  assert.deepEqual(problems, []);
  await close();
});

test('on a phone the impact view opens as the table, and the graph still fits when asked for', async () => {
  const { page, problems, close } = await open('#/impact/feature:refunds?up=1&down=2', PHONE);
  await page.waitForSelector('.da-impact-table');
  assert.equal(await page.locator('.da-graph').count(), 0);
  await page.tap('button:text-is("Graph")');
  await page.waitForFunction(() => location.hash.includes('view=graph'));
  await page.waitForSelector('.da-graph .da-node');
  await page.waitForTimeout(150);
  let g = await graphGeometry(page);
  assert.ok(centreInBox(g), 'the centre node is in the phone box');
  assert.ok(g.box.x >= 0 && g.box.x + g.box.w <= 390 && g.box.h > 200, `box ${g.box.w}×${g.box.h}`);
  await page.tap('button:text-is("Fit")');
  g = await graphGeometry(page);
  assert.ok(g.inside, 'Fit shows the whole drawing in the phone box');
  assert.deepEqual(problems, []);
  await close();
});

test('axe-core finds no violation on any view, light or dark', async () => {
  const found = [];
  for (const colorScheme of ['light', 'dark']) {
    for (const [name, hash] of Object.entries(VIEWS)) {
      const { page, close } = await open(hash, { ...DESKTOP, colorScheme });
      await page.waitForTimeout(300);
      await page.addScriptTag({ content: AXE });
      const violations = await page.evaluate(async () => {
        const r = await window.axe.run(document, { resultTypes: ['violations'] });
        return r.violations.map((v) => `${v.id} (${v.nodes.length}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
      });
      for (const v of violations) found.push(`${colorScheme} ${name}: ${v}`);
      await close();
    }
  }
  assert.deepEqual(found, []);
});

test('document.title names the view: each route its own, a page its title', async () => {
  const titles = {};
  for (const [name, hash] of Object.entries(VIEWS)) {
    const { page, close } = await open(hash);
    if (name === 'doc') await page.waitForFunction(() => document.title.startsWith('Service catalog'));
    titles[name] = await page.title();
    await close();
  }
  const site = titles.home;
  assert.ok(site.length > 0);
  for (const [name, t] of Object.entries(titles)) {
    if (name !== 'home') assert.ok(t.endsWith(` · ${site}`) && t !== site, `${name}: ${t}`);
  }
  assert.equal(new Set(Object.values(titles)).size, Object.keys(titles).length, JSON.stringify(titles));
  assert.match(titles.search, /payments/);
  assert.match(titles.impact, /feature:refunds/);
});

test('reactive: a page marked read in its box counts at once in the tracks page and the home page, no reload', async () => {
  const { page, problems, close } = await open('#/doc/engineering/stack.md');
  await page.evaluate(() => { window.__sameDocument = true; });
  const box = page.locator('.da-reading');
  await box.getByRole('button', { name: 'Mark as read' }).click();
  await box.getByRole('button', { name: 'Mark as unread' }).waitFor();
  await page.evaluate(() => { location.hash = '#/tracks'; });
  const card = page.locator('.da-track-card', { hasText: 'Short on time' });
  await card.waitFor();
  assert.match(await card.innerText(), /1 of 6 pages read/);
  await page.evaluate(() => { location.hash = '#/'; });
  await page.locator('.da-home .da-track-card').first().waitFor();
  assert.match(await page.locator('.da-home .da-track-card').first().innerText(), /1 of 6 pages read/);
  // Unmarked from the track's own list, the page's box follows.
  await page.evaluate(() => { location.hash = '#/tracks/short-on-time-read-these-first'; });
  await page.getByRole('checkbox', { name: 'Read “Stack”' }).uncheck();
  await page.evaluate(() => { location.hash = '#/doc/engineering/stack.md'; });
  await page.locator('.da-reading').getByRole('button', { name: 'Mark as read' }).waitFor();
  assert.equal(await page.evaluate(() => window.__sameDocument), true, 'never reloaded');
  assert.deepEqual(problems, []);
  await close();
});

test('a page shows its title first, the reading box below it', async () => {
  const { page, problems, close } = await open('#/doc/engineering/stack.md');
  await page.locator('.da-reading').waitFor();
  const [h1, box] = await Promise.all([
    page.locator('.da-doc h1').first().boundingBox(),
    page.locator('.da-reading').boundingBox(),
  ]);
  assert.ok(box.y >= h1.y + h1.height, `the box (y=${box.y}) is below the title (bottom ${h1.y + h1.height})`);
  assert.deepEqual(problems, []);
  await close();
});

test('an address that names no view says so and offers a search for its words', async () => {
  const { page, problems, close } = await open(VIEWS.unknown);
  assert.match(await page.locator('.da-main h1').innerText(), /Nothing at this address/);
  assert.equal(await page.locator('.da-home').count(), 0, 'not the home page');
  await page.locator('a', { hasText: 'Search for “runbook redis memory”' }).click();
  await page.waitForSelector('.da-hit');
  assert.deepEqual(problems, []);
  await close();
});

test('a skip link is the first stop and moves the focus to the content; the header has a nav landmark', async () => {
  const { page, problems, close } = await open(VIEWS.doc);
  await page.evaluate(() => document.activeElement?.blur());
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Skip to content');
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement.classList.contains('da-main')), true);
  assert.equal(await page.locator('.docatlas header nav[aria-label="Site"] a.da-brand').count(), 1);
  assert.deepEqual(problems, []);
  await close();
});
