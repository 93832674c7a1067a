// docatlas embedded in a real portal: a MkDocs Material site (tests/browser/material/, built here
// with the mkdocs-material that scripts/ensure-tools --browser pins into tools/mkdocs) with two
// instances on one page and an auto-height one on another, loaded the way the README tells a
// Material user to (extra_javascript: embed.js as a module; a <div data-docatlas> in the page's
// Markdown). Search, a page, an impact view, the shortcuts beside Material's own, a phone,
// Material's dark (slate) palette, its instant page loads, and both ways of style isolation:
// Material's page looks the same with and without docatlas in it.
//
// Run by scripts/test. Screenshots of each state go to $DOCATLAS_SHOTS when it is set.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launch, serve, writeOpsDocs } from './harness.mjs';

const REPO = path.resolve(import.meta.dirname, '..', '..');
const BIN = process.env.DOCATLAS_BIN || path.join(REPO, 'target', 'debug', 'build-index');
const PORTAL = path.join(REPO, 'examples', 'portal');
const MKDOCS = process.env.MKDOCS || path.join(REPO, 'tools', 'mkdocs', 'bin', 'mkdocs');
const SHOTS = process.env.DOCATLAS_SHOTS;

let root;
let site;
let server;
let base;
let browser;

before(async () => {
  if (!fs.existsSync(MKDOCS)) {
    // A missing tool must fail this test, never skip it: CI would go green without the check.
    throw new Error(`MkDocs Material is not installed (${MKDOCS} is missing): run ` +
      '`scripts/ensure-tools --browser`, which installs the pinned mkdocs-material into tools/mkdocs ' +
      '(or set MKDOCS to an mkdocs that has mkdocs-material)');
  }
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'docatlas-material-'));
  const src = path.join(root, 'material');
  fs.cpSync(path.join(import.meta.dirname, 'material'), src, { recursive: true });
  site = path.join(root, 'site');
  execFileSync(MKDOCS, ['build', '--strict', '--quiet', '--site-dir', site], {
    cwd: src, stdio: 'pipe', env: { ...process.env, NO_MKDOCS_2_WARNING: '1' },
  });
  // The docs sites go beside the portal's pages, where the page and mkdocs.yml point.
  const build = (docs, out) => execFileSync(BIN, ['build', docs, '--out', out, '--quiet'], { stdio: 'pipe' });
  build(PORTAL, path.join(site, 'docs', 'eng'));
  const ops = path.join(root, 'ops-src');
  await writeOpsDocs(ops);
  build(ops, path.join(site, 'docs', 'ops'));
  ({ server, base } = await serve(site));
  browser = await launch();
});

after(async () => {
  await browser?.close();
  server?.close();
  if (root) fs.rmSync(root, { recursive: true, force: true });
});

const DESKTOP = { viewport: { width: 1280, height: 900 } };
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };

/** A page of the portal in a context of its own; `problems` collects errors and failed requests. */
async function open(url, options = DESKTOP, { withoutDocatlas = false } = {}) {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  page.on('requestfailed', (r) => { if (!withoutDocatlas) problems.push(`failed: ${r.url()}`); });
  if (withoutDocatlas) await page.route('**/embed.js', (r) => r.abort());
  await page.goto(new URL(url, base).href);
  return { page, problems, close: () => context.close() };
}

async function shot(page, name) {
  if (SHOTS) await page.screenshot({ path: path.join(SHOTS, `material-${name}.png`), fullPage: true });
}

/** The instance in the element `#id`, once its docs are in. */
async function instance(page, id) {
  const handle = await page.waitForSelector(`#${id} iframe`);
  const frame = await handle.contentFrame();
  await frame.waitForFunction(() => window.docatlasAppReady === true);
  return frame;
}

async function searchIn(frame, query) {
  await frame.locator('.da-search-input').first().fill(query);
  await frame.waitForFunction((q) => document.body.innerText.includes(`for “${q}”`), query);
  return frame.$$eval('.da-hit-link', (ls) => ls.map((l) => l.textContent));
}

/** What Material draws, as computed styles: header, navigation, body text, headings, admonition. */
function materialLooks(page) {
  return page.evaluate(() => {
    const pick = (sel, props) => {
      const el = document.querySelector(sel);
      if (!el) return `${sel} missing`;
      const s = getComputedStyle(el);
      return Object.fromEntries(props.map((p) => [p, s[p]]));
    };
    return {
      body: pick('body', ['fontFamily', 'fontSize', 'backgroundColor', 'color', 'margin', 'overflowX']),
      header: pick('.md-header', ['backgroundColor', 'color', 'height', 'position', 'boxShadow', 'zIndex']),
      title: pick('.md-header__topic', ['fontFamily', 'fontSize', 'fontWeight']),
      nav: pick('.md-nav__link', ['color', 'fontSize', 'display', 'marginTop']),
      sidebar: pick('.md-sidebar--primary', ['width', 'position', 'top']),
      content: pick('.md-content__inner', ['marginLeft', 'marginRight', 'paddingTop', 'fontSize']),
      h1: pick('.md-typeset h1', ['fontFamily', 'fontSize', 'fontWeight', 'color', 'margin']),
      p: pick('.md-typeset p', ['fontFamily', 'fontSize', 'lineHeight', 'color', 'margin']),
      admonition: pick('.md-typeset .admonition', ['borderLeftColor', 'borderRadius', 'fontSize', 'padding']),
      footer: pick('.md-footer-meta', ['backgroundColor', 'color']),
      sheets: document.styleSheets.length,
      rootStyle: document.documentElement.getAttribute('style'),
      bodyStyle: document.body.getAttribute('style'),
    };
  });
}

test('two instances in a MkDocs Material page: search, a page, an impact view, the shortcuts; Material looks as it did', async () => {
  const without = await open('engineering/', DESKTOP, { withoutDocatlas: true });
  await without.page.waitForSelector('.md-header');
  const looks = await materialLooks(without.page);
  await without.close();

  const { page, problems, close } = await open('engineering/');
  const eng = await instance(page, 'eng');
  const ops = await instance(page, 'ops');
  assert.deepEqual(await materialLooks(page), looks, 'Material draws its page as it does without docatlas');

  // Material's rules (`.md-typeset iframe`, `* { box-sizing }`, its 125% root font) do not
  // reshape the frames: the width of the text column, the height asked for, no border.
  const boxes = await page.evaluate(() => ['eng', 'ops'].map((id) => {
    const el = document.getElementById(id);
    const f = el.querySelector('iframe');
    const r = f.getBoundingClientRect();
    return { width: r.width, column: el.getBoundingClientRect().width, height: r.height,
      border: getComputedStyle(f).borderTopWidth, rem: parseFloat(getComputedStyle(document.documentElement).fontSize) };
  }));
  for (const b of boxes) {
    assert.equal(b.border, '0px');
    assert.ok(Math.abs(b.width - b.column) < 1 && b.width > 500, `frame ${JSON.stringify(b)}`);
  }
  assert.equal(Math.round(boxes[1].height), Math.round(26 * boxes[1].rem), 'data-height="26rem" in the host\'s rem');
  // The app inside draws with its own rules: the header a flex row, the box its own radius.
  assert.equal(await eng.$eval('.da-header', (h) => getComputedStyle(h).display), 'flex');
  assert.equal(await eng.$eval('.da-search-input', (i) => getComputedStyle(i).borderTopLeftRadius), '6px');

  // Each instance answers from its own bundle.
  assert.ok((await searchIn(eng, 'webhook backlog')).some((t) => /Payments webhook backlog/.test(t)));
  assert.ok((await searchIn(ops, 'quokka ledger')).some((t) => /Quokka ledger drift/.test(t)));
  assert.ok(!(await searchIn(ops, 'webhook backlog')).some((t) => /webhook/i.test(t)));
  await shot(page, 'search');

  // A page: the instance that owns the hash puts its route in Material's URL, and the host
  // page keeps the frame's top in view below Material's header (not under it).
  const hit = eng.locator('.da-hit-link', { hasText: 'Payments webhook backlog' }).first();
  await hit.scrollIntoViewIfNeeded();
  const scrolled = await page.evaluate(() => scrollY);
  await hit.click();
  await eng.waitForSelector('.da-doc-body');
  await page.waitForFunction(() => location.hash.startsWith('#/doc/runbooks/payments-webhook-backlog.md'));
  // The frame's own page scrolls to the page's top; the portal stays where the reader had it
  // (the frame's top was in view), not moved to put the frame under Material's sticky header.
  assert.equal(await page.evaluate(() => scrollY), scrolled, 'the portal did not move');
  assert.equal(await eng.evaluate(() => document.querySelector('.da-doc').getBoundingClientRect().top < 200), true);
  // Scrolled down so the frame's top is out of view, a page opened from a hit at its bottom is
  // brought into view: the frame's top just below Material's header, the page (or the section
  // the hit names) in view.
  await eng.evaluate(() => { location.hash = '#/search?q=runbook'; });
  await eng.waitForSelector('.da-hit-link');
  await page.evaluate(() => scrollTo(0, document.querySelector('#eng iframe').getBoundingClientRect().top + scrollY + 400));
  await eng.locator('.da-hit-link').last().click();
  await eng.waitForSelector('.da-doc-body');
  await page.waitForTimeout(100);
  const view = await page.evaluate(() => ({
    header: document.querySelector('.md-header').getBoundingClientRect().bottom,
    frame: document.querySelector('#eng iframe').getBoundingClientRect().top,
  }));
  const shown = await eng.evaluate(() => {
    const anchor = decodeURIComponent(location.hash.split('#')[2] || '');
    return ((anchor && document.getElementById(anchor)) || document.querySelector('.da-doc')).getBoundingClientRect().top;
  });
  assert.ok(Math.abs(view.frame - view.header) < 1, `the frame's top (${view.frame}) is just below Material's header (${view.header})`);
  assert.ok(view.frame + shown > view.header && view.frame + shown < 900 - 48, `the page shown is in view (${view.frame + shown})`);
  await shot(page, 'page');

  // An impact view, asked for by the host page's script; the host's URL follows.
  await page.evaluate(() => document.getElementById('eng').docatlasGo('#/impact/feature:refunds?up=1&down=2'));
  await eng.waitForSelector('.da-graph .da-node[data-id="feature:refunds"]');
  await page.waitForFunction(() => location.hash.startsWith('#/impact/feature:refunds'));
  await shot(page, 'impact');

  // Shortcuts. Material's own keys stay Material's: `/` on the host opens Material's search,
  // and no instance takes it too.
  await page.click('h1');
  await page.keyboard.press('/');
  await page.waitForFunction(() => document.querySelector('[data-md-toggle="search"]')?.checked === true);
  assert.equal(await eng.evaluate(() => document.hasFocus()), false);
  await page.keyboard.press('Escape');
  await page.waitForFunction(() => document.querySelector('[data-md-toggle="search"]')?.checked === false);
  // A docatlas key Material does not use (`t`, the tracks) goes to the data-shortcuts instance.
  await page.click('h1');
  await page.keyboard.press('t');
  await eng.waitForFunction(() => location.hash.startsWith('#/tracks'));
  assert.doesNotMatch(await ops.evaluate(() => location.hash), /tracks/);
  // Inside an instance, `/` is that instance's: its box, not Material's search.
  await ops.click('.da-brand');
  await ops.waitForFunction(() => !location.hash.startsWith('#/search'));
  await page.keyboard.press('/');
  await ops.waitForFunction(() => document.activeElement?.classList.contains('da-search-input'));
  assert.equal(await page.evaluate(() => document.querySelector('[data-md-toggle="search"]').checked), false);
  assert.equal(await eng.evaluate(() => document.hasFocus()), false);

  assert.deepEqual(await materialLooks(page), looks, 'Material draws its page as it did');
  assert.deepEqual(problems, []);
  await close();

  // A copied portal URL opens the owning instance on the same view.
  const copied = await open('engineering/#/impact/feature:refunds?up=1&down=2');
  await (await instance(copied.page, 'eng')).waitForSelector('.da-graph .da-node[data-id="feature:refunds"]');
  assert.deepEqual(copied.problems, []);
  await copied.close();
});

test('Material on a phone (390×844): the instance fits the column, search and a page work, nothing overflows sideways', async () => {
  const { page, problems, close } = await open('engineering/', PHONE);
  const eng = await instance(page, 'eng');
  const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - innerWidth);
  assert.ok((await searchIn(eng, 'refund webhook')).length > 0);
  assert.equal(await overflow(), 0, 'the portal scrolls sideways');
  assert.equal(await eng.evaluate(() => document.documentElement.scrollWidth - innerWidth), 0, 'the instance scrolls sideways');
  const frame = await page.$eval('#eng iframe', (f) => f.getBoundingClientRect().toJSON());
  assert.ok(frame.left >= 0 && frame.right <= 390 && frame.width > 300, `frame ${JSON.stringify(frame)}`);
  // No height asked for: min(80vh, 48rem), not an iframe's default 150px.
  assert.equal(Math.round(frame.height), Math.round(0.8 * 844));
  await shot(page, 'phone-search');
  await eng.locator('.da-hit-link').first().click();
  await eng.waitForSelector('.da-doc-body');
  assert.equal(await overflow(), 0);
  await shot(page, 'phone-page');
  assert.deepEqual(problems, []);
  await close();
});

test('Material\'s dark (slate) palette: the instances are dark too, and follow Material\'s palette toggle', async () => {
  // The reader's system says light; Material is switched to slate by its toggle, as a reader does.
  const { page, problems, close } = await open('engineering/', { ...DESKTOP, colorScheme: 'light' });
  const eng = await instance(page, 'eng');
  const colours = (frame) => frame.evaluate(() => {
    const app = document.querySelector('.docatlas');
    const header = document.querySelector('.da-header');
    return { scheme: getComputedStyle(app).colorScheme, bg: getComputedStyle(app).backgroundColor,
      header: getComputedStyle(header).backgroundColor, brand: getComputedStyle(document.querySelector('.da-brand')).color };
  });
  const light = await colours(eng);
  assert.equal(light.scheme, 'light');
  await page.click('label[for="__palette_1"]');
  await page.waitForFunction(() => document.body.dataset.mdColorScheme === 'slate');
  await eng.waitForFunction(() => getComputedStyle(document.querySelector('.docatlas')).colorScheme === 'dark');
  await eng.waitForTimeout(50);
  const dark = await colours(eng);
  const hostBg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  assert.equal(dark.bg, hostBg, 'the instance has Material\'s slate background');
  const luminance = (rgb) => {
    const [r, g, b] = rgb.match(/[\d.]+/g).map(Number);
    return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
  };
  assert.ok(luminance(dark.header) < 0.3, `a dark header (${dark.header})`);
  assert.ok(luminance(dark.brand) > 0.6, `light text on it (${dark.brand})`);
  await shot(page, 'dark');
  // And back.
  await page.click('label[for="__palette_0"]');
  await eng.waitForFunction(() => getComputedStyle(document.querySelector('.docatlas')).colorScheme === 'light');
  assert.deepEqual(problems, []);
  await close();
});

test('Material\'s instant page loads: instances on a page reached by a link mount, and the hash owner is the new page\'s', async () => {
  const { page, problems, close } = await open('');
  const ready = (id) => page.waitForFunction((i) => document.querySelector(`#${i} iframe`)?.contentWindow?.docatlasAppReady === true, id);
  await page.click('.md-nav__link[href$="engineering/"]');
  await ready('eng');
  await page.click('.md-nav__link[href$="auto/"]');
  await ready('auto');
  await page.goBack();
  await ready('eng');
  // The instance of the page now shown owns the hash (the one of the first visit is gone).
  const eng = await (await page.$('#eng iframe')).contentFrame();
  await page.evaluate(() => document.getElementById('eng').docatlasGo('#/doc/runbooks/payments-webhook-backlog.md'));
  await eng.waitForFunction(() => document.querySelector('.da-doc-meta .da-path')?.textContent === 'runbooks/payments-webhook-backlog.md');
  await page.waitForFunction(() => location.hash === '#/doc/runbooks/payments-webhook-backlog.md');
  assert.deepEqual(problems, []);
  await close();
});

test('data-height="auto" in Material: the frame is as tall as what the instance shows, and the portal scrolls', async () => {
  const { page, problems, close } = await open('auto/');
  const auto = await instance(page, 'auto');
  await auto.waitForSelector('.da-home');
  const fits = async () => {
    // Once the host has the frame's last reported height.
    await page.waitForFunction(() => {
      const f = document.querySelector('#auto iframe');
      return Math.abs(f.getBoundingClientRect().height - Math.ceil(f.contentDocument.documentElement.getBoundingClientRect().height)) < 1;
    });
    return auto.evaluate(() => ({ height: innerHeight, scroll: document.documentElement.scrollHeight }));
  };
  const home = await fits();
  assert.ok(home.height > 900, `the home lists every page (${home.height}px)`);
  assert.ok(home.scroll <= home.height, 'no scroll inside the frame');
  await searchIn(auto, 'xyzzyqx');
  const none = await fits();
  assert.ok(none.height < home.height && none.height < 600, `shrinks to an empty result (${none.height}px)`);
  await shot(page, 'auto');
  assert.deepEqual(problems, []);
  await close();
});
