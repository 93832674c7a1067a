// Headless-Chromium tests of finding one's way, as in MkDocs Material or Docusaurus: the
// sidebar (reading tracks on the example portal; the folder tree on a large site with no
// reading order), the breadcrumb, the on-page table of contents, heading permalinks, previous /
// next within the track, the home page of a large site (folders and the root README, no
// whole-site track), the author's own `[x]` not counted as the reader's progress, the drawer
// on a phone (keyboard, no overflow), and axe-core on the new parts in light and dark.
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

const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };
const SMALL = { viewport: { width: 320, height: 640 }, isMobile: true, hasTouch: true };
const DESKTOP = { viewport: { width: 1366, height: 768 } };
const DOC = '#/doc/catalog/services.md';

let root;
let server;
let base;
let browser;

/** A site of 330 pages and no reading order: three module folders of reference pages, a
 *  guides folder with its own README, and a root README. */
function writeLargeSite(dir) {
  const put = (rel, text) => {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  };
  put('README.md', '# Widget reference\n\nThe root readme of the widget reference: start with the guides folder.\n');
  put('guides/README.md', '# Guides\n\nHow the guides are arranged.\n');
  put('guides/first-steps.md', '# First steps\n\nInstalling the widget tools.\n');
  for (const [mod, n] of [['alpha', 120], ['beta', 110], ['gamma', 97]]) {
    for (let i = 0; i < n; i++) {
      put(`modules/${mod}/cmd-${String(i).padStart(3, '0')}.md`,
        `# ${mod} command ${i}\n\nWhat ${mod} command ${i} does to a widget.\n\n## Syntax\n\nOne line.\n\n## Examples\n\nTwo lines.\n`);
    }
  }
}

before(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'docatlas-nav-'));
  const large = path.join(root, 'large-docs');
  writeLargeSite(large);
  execFileSync(BIN, ['build', PORTAL, '--out', path.join(root, 'site'), '--quiet'], { stdio: 'pipe' });
  execFileSync(BIN, ['build', large, '--out', path.join(root, 'large'), '--quiet'], { stdio: 'pipe' });
  let url;
  ({ server, base: url } = await serve(root));
  base = url;
  browser = await launch();
});

after(async () => {
  await browser?.close();
  server?.close();
  if (root) fs.rmSync(root, { recursive: true, force: true });
});

/** Opens `site` at `hash` in a new context and waits until the app shows the route. */
async function open(site, hash, options = DESKTOP) {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  await page.goto(`${base}${site}/${hash}`);
  await page.waitForFunction(() => !document.getElementById('da-search-first')
    && document.querySelector('.docatlas .da-main')
    && !document.querySelector('.docatlas .da-main .da-loading')
    && document.querySelector('.docatlas .da-main').innerText.trim().length > 20);
  return { page, problems, close: () => context.close() };
}

test('the sidebar lists the tracks, marks the open page, and works from the keyboard', async () => {
  const { page, problems, close } = await open('site', '#/doc/engineering/stack.md');
  const nav = page.getByRole('navigation', { name: 'Pages' });
  await nav.locator('a[aria-current="page"]').waitFor();
  assert.equal(await nav.locator('a[aria-current="page"]').innerText(), 'Stack');
  assert.ok(await nav.locator('summary', { hasText: 'Short on time' }).isVisible());
  // Tab from the content's last heading link back up is long; start at the skip link instead
  // and walk forward into the sidebar: its links are in the tab order, before main.
  await page.keyboard.press('Tab');
  let inSidebar = false;
  for (let i = 0; i < 12 && !inSidebar; i++) {
    await page.keyboard.press('Tab');
    inSidebar = await page.evaluate(() => !!document.activeElement.closest('#da-sidebar'));
  }
  assert.ok(inSidebar, 'the sidebar is reached with Tab');
  // A folded track opens with Enter on its summary, and its pages can be followed.
  const summary = nav.locator('summary', { hasText: 'Onboarding' });
  await summary.focus();
  await page.keyboard.press('Enter');
  const first = nav.locator('details:has(summary:text("Onboarding")) a').first();
  await first.waitFor();
  await first.focus();
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => location.hash.startsWith('#/doc/'));
  await nav.locator('a[aria-current="page"]').waitFor();
  assert.equal(await nav.locator('a[aria-current="page"]').innerText(), await first.innerText());
  // The page marked read in its box is ticked in the sidebar at once.
  await page.getByRole('button', { name: 'Mark as read' }).click();
  await nav.locator('li.da-read a[aria-current="page"]').waitFor();
  assert.deepEqual(problems, []);
  await close();
});

test('a page has a breadcrumb of its folders, and a folder view lists its pages', async () => {
  const { page, problems, close } = await open('site', DOC);
  const crumb = page.getByRole('navigation', { name: 'Breadcrumb' });
  assert.deepEqual(await crumb.locator('li').allInnerTexts(), ['Home', 'catalog', 'Service catalog']);
  assert.equal(await crumb.locator('[aria-current="page"]').innerText(), 'Service catalog');
  await crumb.getByRole('link', { name: 'catalog' }).click();
  await page.waitForFunction(() => location.hash === '#/folder/catalog');
  await page.locator('.da-folder .da-page-list a', { hasText: 'Service catalog' }).waitFor();
  assert.match(await page.title(), /^catalog\//);
  assert.match(await page.locator('.da-folder').innerText(), /\d+ pages?\b/);
  assert.deepEqual(problems, []);
  await close();
});

test('the table of contents links scroll to their headings; headings carry permalinks', async () => {
  const { page, problems, close } = await open('site', DOC);
  const toc = page.getByRole('navigation', { name: 'On this page' });
  const links = toc.locator('a');
  assert.ok(await links.count() >= 3, 'a table of contents from the headings');
  // Beside the page on a wide screen.
  const tocBox = await toc.boundingBox();
  const bodyBox = await page.locator('.da-doc-body').last().boundingBox();
  assert.ok(tocBox.x >= bodyBox.x + bodyBox.width - 1, 'the contents are a column beside the page');
  // A heading in the middle of the page (the last ones cannot reach the top of the screen).
  const entry = links.nth(2);
  const href = await entry.getAttribute('href');
  const id = decodeURIComponent(href.split('#').pop());
  await entry.click();
  await page.waitForFunction((h) => location.hash === h, href);
  await page.waitForFunction((id) => {
    const r = document.getElementById(id).getBoundingClientRect();
    return scrollY > 0 && r.top >= 0 && r.top < innerHeight / 3;
  }, id);
  // The page stayed (no reload of the view): the reading box is the same element.
  assert.ok(await page.evaluate(() => !document.querySelector('.da-main .da-loading')));
  // Each heading has a permalink to its own address.
  const anchor = page.locator(`[id="${id}"] a.da-anchor`);
  assert.equal(await anchor.getAttribute('href'), href);
  assert.match(await anchor.innerText(), /Link to this section/);
  assert.deepEqual(problems, []);
  await close();
});

test('previous and next follow the track the page is in', async () => {
  const { page, problems, close } = await open('site', '#/doc/engineering/stack.md');
  const pager = page.getByRole('navigation', { name: 'Previous and next page' });
  await pager.waitFor();
  assert.match(await pager.innerText(), /Short on time/);
  const next = pager.locator('a[rel="next"]');
  const nextTitle = await next.locator('.da-pager-title').innerText();
  await next.click();
  await page.waitForFunction((t) => document.querySelector('.da-doc h1')?.textContent.includes(t), nextTitle);
  const prev = page.getByRole('navigation', { name: 'Previous and next page' }).locator('a[rel="prev"]');
  await prev.waitFor();
  assert.equal(await prev.locator('.da-pager-title').innerText(), 'Stack');
  assert.deepEqual(problems, []);
  await close();
});

test('a large site with no reading order: home shows its folders and README, no whole-site track', async () => {
  const { page, problems, close } = await open('large', '#/');
  await page.locator('.da-folder-list').waitFor();
  const folders = await page.locator('.da-folder-list li').allInnerTexts();
  assert.deepEqual(folders.map((f) => f.replace(/\s+/g, ' ').trim()), ['guides 2 pages', 'modules 327 pages']);
  await page.locator('.da-readme').waitFor();
  assert.match(await page.locator('.da-readme').innerText(), /root readme of the widget reference/);
  // The sidebar is the folder tree, folded; a folder unfolds with the keyboard.
  const nav = page.getByRole('navigation', { name: 'Pages' });
  const modules = nav.locator('summary', { hasText: 'modules' });
  await modules.focus();
  await page.keyboard.press('Enter');
  await nav.locator('summary', { hasText: 'alpha' }).waitFor();
  assert.equal(await nav.locator('a', { hasText: 'alpha command 0' }).count(), 0, 'sub-folders stay folded');
  // Nowhere a track of the whole site.
  for (const hash of ['#/', '#/tracks', '#/doc/modules/beta/cmd-005.md']) {
    await page.goto(`${base}large/${hash}`);
    await page.waitForFunction(() => document.querySelector('.da-main')?.innerText.length > 40
      && !document.querySelector('.da-main .da-loading'));
    await page.waitForTimeout(300);
    const text = await page.locator('.docatlas').innerText();
    assert.doesNotMatch(text, /of 330 pages/, hash);
  }
  // On a page, the folders holding it are unfolded, the page marked.
  const here = nav.locator('a[aria-current="page"]');
  await here.waitFor();
  assert.equal(await here.innerText(), 'beta command 5');
  assert.deepEqual(problems, []);
  await close();
});

test('views that start together share one fetch of the page list', async () => {
  // Home, the sidebar's folder tree and the folder counts all want pages.bin at once; on a large
  // site it is the biggest file after the index, so it must cross the network once.
  const context = await browser.newContext(DESKTOP);
  const page = await context.newPage();
  const lists = [];
  page.on('request', (r) => { if (new URL(r.url()).pathname.endsWith('/pages.bin')) lists.push(r.url()); });
  await page.goto(`${base}large/#/`);
  await page.locator('.da-folder-list').waitFor();
  await page.getByRole('navigation', { name: 'Pages' }).locator('summary', { hasText: 'modules' }).waitFor();
  await page.goto(`${base}large/#/folder/modules/gamma`);
  await page.locator('.da-main a', { hasText: 'gamma command' }).first().waitFor();
  assert.equal(lists.length, 1, `pages.bin fetched ${lists.length} times: ${lists.join(', ')}`);
  await context.close();
});

test("the author's own [x] is the page's content, not the reader's progress", async () => {
  const { page, problems, close } = await open('site', '#/tracks');
  await page.locator('.da-progress-tools').waitFor();
  assert.match(await page.locator('.da-progress-tools').innerText(), /0 pages read, 0 checklist items ticked/);
  const box = page.getByRole('checkbox', { name: 'Where the Kestrel repositories live and how to get read access.' });
  assert.equal(await box.isChecked(), false, "the reader has not ticked it");
  await box.check();
  await page.waitForFunction(() => /0 pages read, 1 checklist item ticked/.test(document.querySelector('.da-progress-tools').innerText));
  assert.deepEqual(problems, []);
  await close();
});

test('on a phone the sidebar is a drawer: Menu opens it, Escape shuts it, nothing overflows', async () => {
  for (const options of [PHONE, SMALL]) {
    const { page, problems, close } = await open('site', DOC, options);
    const width = options.viewport.width;
    const menu = page.getByRole('button', { name: 'Menu' });
    assert.equal(await page.locator('#da-sidebar').isVisible(), false, 'folded away');
    assert.equal(await menu.getAttribute('aria-expanded'), 'false');
    await menu.click();
    assert.equal(await menu.getAttribute('aria-expanded'), 'true');
    const drawer = await page.locator('#da-sidebar').boundingBox();
    assert.ok(drawer.x >= 0 && drawer.x + drawer.width <= width, `the drawer fits (${drawer.x}+${drawer.width})`);
    assert.ok(await page.evaluate(() => !!document.activeElement.closest('#da-sidebar')), 'focus in the drawer');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(overflow <= width, `${overflow} px wide at ${width}`);
    await page.keyboard.press('Escape');
    assert.equal(await page.locator('#da-sidebar').isVisible(), false);
    assert.ok(await page.evaluate(() => document.activeElement.classList.contains('da-menu')), 'focus back on Menu');
    // The breadcrumb, contents and pager fit too, and a link in the drawer shuts it.
    const fits = async (sel) => {
      const b = await page.locator(sel).first().boundingBox();
      assert.ok(b.x >= 0 && b.x + b.width <= width + 0.5, `${sel} at ${width}: ${b.x}+${b.width}`);
    };
    await fits('.da-breadcrumb');
    await fits('.da-toc');
    await menu.click();
    await page.locator('#da-sidebar a', { hasText: 'Stack' }).click();
    await page.waitForFunction(() => location.hash.includes('stack'));
    assert.equal(await page.locator('#da-sidebar').isVisible(), false, 'shut after a link');
    await page.locator('.da-pager a').first().waitFor();
    await fits('.da-pager');
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth) <= width);
    assert.deepEqual(problems, []);
    await close();
  }
  const { page, close } = await open('large', '#/doc/modules/alpha/cmd-001.md', PHONE);
  await page.getByRole('button', { name: 'Menu' }).click();
  await page.locator('#da-sidebar a[aria-current="page"]').waitFor();
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth) <= 390);
  await close();
});

test('axe-core finds no violation in the sidebar, drawer, contents, pager and folder views', async () => {
  const views = [
    ['site', DOC, DESKTOP, false], ['site', DOC, PHONE, true], ['site', '#/folder/catalog', DESKTOP, false],
    ['large', '#/', DESKTOP, false], ['large', '#/folder/modules/gamma', DESKTOP, false],
    ['large', '#/doc/modules/gamma/cmd-010.md', PHONE, true],
  ];
  for (const scheme of ['light', 'dark']) {
    for (const [site, hash, options, drawer] of views) {
      const { page, close } = await open(site, hash, { ...options, colorScheme: scheme });
      if (drawer) await page.getByRole('button', { name: 'Menu' }).click();
      await page.waitForTimeout(300);
      await page.addScriptTag({ content: AXE });
      const violations = await page.evaluate(async () => {
        const r = await window.axe.run(document, { resultTypes: ['violations'] });
        return r.violations.map((v) => `${v.id} (${v.nodes.length}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
      });
      assert.deepEqual(violations, [], `${site}${hash} ${scheme}${drawer ? ' drawer' : ''}`);
      await close();
    }
  }
});

test('at 1200×760 the entity cards are one strip and the first page hit is above the fold', async () => {
  const { page, problems, close } = await open('site', '#/search?q=payments', { viewport: { width: 1200, height: 760 } });
  await page.waitForSelector('.da-entity-card');
  const cards = await page.locator('.da-entity-card').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().top));
  assert.ok(cards.length >= 2, `${cards.length} cards`);
  assert.ok(cards.every((t) => Math.abs(t - cards[0]) < 1), 'the cards share one row');
  const hit = await page.locator('.da-hit').first().boundingBox();
  assert.ok(hit.y + hit.height <= 760, `the first hit ends at y=${hit.y + hit.height}`);
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth) <= 1200);
  assert.deepEqual(problems, []);
  await close();
});
