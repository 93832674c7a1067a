// Headless-Chromium tests of a built site: search box → page → internal link, anchors,
// embedding, the internal banner, and the error shown for a corrupt, wrong-version or missing bundle.
//
// Run by scripts/test, which builds build-index first. Needs Chromium (/usr/bin/chromium, or
// $CHROMIUM) and `npm ci` in this folder (scripts/ensure-tools --browser does both).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { MIME, launch, openFirstHit } from './harness.mjs';

const REPO = path.resolve(import.meta.dirname, '..', '..');
const BIN = process.env.DOCATLAS_BIN || path.join(REPO, 'target', 'debug', 'build-index');
const PORTAL = path.join(REPO, 'examples', 'portal');

let root; // served folder; sites live under sub-paths of it
let server;
let base; // http://127.0.0.1:PORT/
let browser;

function buildSite(out, ...extra) {
  execFileSync(BIN, ['build', PORTAL, '--out', out, '--quiet', ...extra], { stdio: 'pipe' });
}

function copySite(from, to, mutate) {
  fs.cpSync(from, to, { recursive: true });
  if (mutate) mutate(path.join(to, 'docatlas.bin'));
}

// The head as the app reads it: data files are stored gzip-compressed, and a plain one is read
// as well (a host may already have decoded it), so a mutated head is written back plain.
function mutateHead(bin, change) {
  const b = zlib.gunzipSync(fs.readFileSync(bin));
  change(b);
  fs.writeFileSync(bin, b);
}

before(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'docatlas-browser-'));
  const site = path.join(root, 'docs', 'site');
  buildSite(site);
  buildSite(path.join(root, 'internal'), '--audience', 'internal');
  copySite(site, path.join(root, 'corrupt'), (bin) => mutateHead(bin, (b) => { b[b.length - 3] ^= 0xff; }));
  copySite(site, path.join(root, 'badgzip'), (bin) => {
    const b = fs.readFileSync(bin);
    b[b.length - 6] ^= 0xff; // inside the gzip trailer's CRC
    fs.writeFileSync(bin, b);
  });
  copySite(site, path.join(root, 'wrongversion'), (bin) => mutateHead(bin, (b) => { b[8] = 7; }));
  copySite(site, path.join(root, 'missing'), (bin) => fs.rmSync(bin));
  // Data files are in the build's folder, data/HASH/.
  copySite(site, path.join(root, 'nopage'), (bin) => {
    const data = path.join(path.dirname(bin), 'data');
    for (const build of fs.readdirSync(data)) fs.rmSync(path.join(data, build, 'page'), { recursive: true });
  });
  // A host page embedding the app in a [data-docatlas] element, beside its own content.
  const index = fs.readFileSync(path.join(site, 'index.html'), 'utf8');
  const host = index
    .replace(/<body>[\s\S]*<\/body>/, `<body>
      <h1 id="host-title">Team portal</h1>
      <div id="host-slot" data-docatlas data-bundle="docatlas.bin"></div>
      <p id="host-footer">Host footer</p>
    </body>`);
  fs.writeFileSync(path.join(site, 'host.html'), host);

  // Any static server must do: this one is plain Node, not build-index's.
  server = http.createServer((req, res) => {
    const url = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    let file = path.join(root, url);
    if (!file.startsWith(root)) { res.writeHead(400).end(); return; }
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
    fs.readFile(file, (err, data) => {
      if (err) { res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found'); return; }
      res.writeHead(200, { 'Content-Type': MIME[path.extname(file)] || 'application/octet-stream' }).end(data);
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${server.address().port}/`;
  browser = await launch();
});

after(async () => {
  await browser?.close();
  server?.close();
  if (root) fs.rmSync(root, { recursive: true, force: true });
});

async function open(url) {
  const page = await browser.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  await page.goto(url);
  return { page, problems };
}

test('opens a page through the search box and follows an internal link (under a sub-path)', async () => {
  const { page, problems } = await open(`${base}docs/site/`);
  await openFirstHit(page, 'webhook backlog', /Payments webhook backlog/);
  assert.match(await page.evaluate(() => location.hash), /^#\/doc\/runbooks\/payments-webhook-backlog\.md/);

  const link = page.locator('.da-doc-body a[href^="#/doc/"]:not(.da-anchor)').first();
  const href = await link.getAttribute('href');
  const target = href.slice('#/doc/'.length).split('#')[0];
  await link.click();
  await page.waitForFunction((t) => location.hash.startsWith(`#/doc/${t}`), target);
  await page.waitForFunction((t) => document.querySelector('.da-doc-meta .da-path')?.textContent === t, target);
  assert.deepEqual(problems, []);
  await page.close();
});

test('keyboard: type, move with the arrows, Enter opens the hit at its section with matches highlighted', async () => {
  const { page, problems } = await open(`${base}docs/site/`);
  await page.waitForSelector('.da-home');
  await page.keyboard.press('Control+k');
  await page.keyboard.type('redis memory');
  await page.waitForFunction(() => document.querySelectorAll('.da-hit').length >= 2);
  assert.equal(await page.locator('.da-hit.da-selected').count(), 1);
  // The hit's link is the listbox option the combobox names (issue 20: ARIA combobox).
  const firstSelected = await page.locator('.da-hit').nth(0).locator('[role=option]').getAttribute('aria-selected');
  assert.equal(firstSelected, 'true');
  await page.keyboard.press('ArrowDown');
  await page.waitForFunction(() => document.querySelectorAll('.da-hit')[1].classList.contains('da-selected'));
  const href = await page.locator('.da-hit').nth(1).locator('a.da-hit-link').getAttribute('href');
  assert.match(href, /#[^#]+$/, 'the second hit points at a section anchor');
  await page.keyboard.press('Enter');
  await page.waitForSelector('.da-doc-body');
  const hash = await page.evaluate(() => location.hash);
  assert.equal(decodeURIComponent(hash), decodeURIComponent(href));
  const anchor = decodeURIComponent(href.split('#').pop());
  await page.waitForFunction((a) => {
    const r = document.querySelector(`[id="${a}"]`)?.getBoundingClientRect();
    return r && r.top >= 0 && r.top < window.innerHeight;
  }, anchor);
  assert.ok(await page.locator('.da-doc-body mark.da-hl').count() > 0, 'matches are highlighted on the page');
  // Esc in the box clears it.
  await page.keyboard.press('/');
  await page.keyboard.press('Escape');
  assert.equal(await page.locator('.da-search-input').inputValue(), '');
  assert.deepEqual(problems, []);
  await page.close();
});

test('facet chips narrow the results', async () => {
  const { page } = await open(`${base}docs/site/#/search?q=${encodeURIComponent('database ')}`);
  await page.waitForSelector('.da-hit');
  const before = await page.locator('.da-hit').count();
  const chip = page.locator('.da-chip', { hasText: /^kind: runbook \(\d+\)$/ });
  const label = await chip.innerText();
  const n = Number(label.match(/\((\d+)\)/)[1]);
  await chip.click();
  await page.waitForFunction(() => decodeURIComponent(location.hash).includes('kind:runbook'));
  await page.waitForFunction((n) => document.querySelectorAll('.da-hit').length === n, n);
  assert.ok(n < before, `${n} runbooks among ${before} hits`);
  await page.close();
});

test('search-first: results come before the full app, which then takes over with the same query and focus', async () => {
  const page = await browser.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  const requests = [];
  page.on('request', (r) => requests.push(new URL(r.url()).pathname.replace('/docs/site/', '')));
  // Hold the full app's JavaScript until the search-first results are on screen.
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  // Trunk names the app by a hash written without leading zeros: 15 or 16 digits, or fewer.
  const isApp = (f) => /^docatlas-[0-9a-f]+(\.js|_bg\.wasm\.gz)$/.test(f);
  await page.route(/\/docatlas-[0-9a-f]+\.js$/, async (route) => { await held; await route.continue(); });
  await page.goto(`${base}docs/site/#/search?q=${encodeURIComponent('refund webhook')}`);
  await page.waitForSelector('#da-search-first .da-hit');
  assert.ok(await page.locator('#da-search-first .da-hit').count() > 0);
  // The JS API answers from the search-first module too.
  const json = JSON.parse(await page.evaluate(() => window.wasmBindings.search_json('refund webhook', 3)));
  assert.ok(json.hits.length > 0);
  // The app was asked for only after the first search's data files.
  const firstApp = requests.findIndex(isApp);
  const lastData = requests.findLastIndex((f) => /^(data\/[0-9a-f]+\/)?(index|postings|text|typo)\//.test(f));
  assert.ok(firstApp === -1 || firstApp > lastData, `requests in order: ${requests.join(', ')}`);
  assert.ok(!requests.some((f) => /_bg\.wasm\.gz$/.test(f) && isApp(f)), 'the app wasm waits for its JS');
  // Type on in the search-first box, then let the app in: it keeps the query and the focus.
  await page.locator('#da-search-first .da-search-input').click();
  await page.keyboard.press('End');
  await page.keyboard.type(' retry');
  await page.waitForFunction(() => decodeURIComponent(location.hash).includes('webhook retry'));
  release();
  await page.waitForFunction(() => window.docatlasAppReady === true);
  await page.waitForFunction(() => !document.getElementById('da-search-first'));
  await page.waitForSelector('.da-results-summary');
  assert.equal(await page.locator('.da-search-input').count(), 1);
  assert.equal(await page.locator('.da-search-input').inputValue(), 'refund webhook retry');
  await page.waitForFunction(() => document.activeElement?.classList.contains('da-search-input'));
  assert.match(await page.locator('.da-results-summary').innerText(), /for “refund webhook retry”/);
  assert.deepEqual(problems, []);
  await page.close();
});

test('load order: a first query asked a moment after docatlas:ready is answered before the app loads', async () => {
  const page = await browser.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  const requests = [];
  page.on('request', (r) => requests.push(new URL(r.url()).pathname.replace('/docs/site/', '')));
  // A host script that asks its first query 100 ms after the head is in (the reader or a
  // script a little late): the app must not start loading in between.
  await page.addInitScript(() => {
    addEventListener('docatlas:ready', () => setTimeout(async () => {
      const json = JSON.parse(await window.wasmBindings.search_json('refund webhook', 5));
      window.__hits = json.hits.length;
    }, 100));
  });
  await page.goto(`${base}docs/site/`);
  await page.waitForFunction(() => window.__hits > 0);
  await page.waitForFunction(() => window.docatlasAppReady === true);
  await page.waitForSelector('.da-home');
  const isApp = (f) => /^docatlas-[0-9a-f]+(\.js|_bg\.wasm\.gz)$/.test(f);
  const firstApp = requests.findIndex(isApp);
  const lastData = requests.findLastIndex((f) => /^(data\/[0-9a-f]+\/)?(index|postings|text|typo)\//.test(f));
  assert.ok(lastData >= 0 && firstApp > lastData, `requests in order: ${requests.join(', ')}`);
  assert.deepEqual(problems, []);
  await page.close();
});

test('search-first: a result opened while the app loads opens once it is in', async () => {
  const page = await browser.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  await page.route(/\/docatlas-[0-9a-f]+\.js$/, async (route) => { await held; await route.continue(); });
  await page.goto(`${base}docs/site/#/search?q=${encodeURIComponent('refund webhook')}`);
  await page.waitForSelector('#da-search-first .da-hit');
  await page.locator('#da-search-first .da-search-input').focus();
  await page.keyboard.press('ArrowDown');
  await page.waitForSelector('#da-search-first .da-hit:nth-child(2).da-selected');
  const href = await page.locator('#da-search-first .da-hit:nth-child(2) a').getAttribute('href');
  await page.keyboard.press('Enter');
  await page.waitForFunction((h) => location.hash === h, href);
  release();
  await page.waitForSelector('.da-doc-body');
  assert.equal(await page.locator('#da-search-first').count(), 0);
  assert.deepEqual(problems, []);
  await page.close();
});

test('the app searches with the search-first module\'s engine: no file is fetched twice', async () => {
  const page = await browser.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  const data = [];
  page.on('request', (r) => {
    const f = new URL(r.url()).pathname.replace('/docs/site/', '');
    if (/^(docatlas\.bin|facets\.bin|(index|postings|text|typo)\/)/.test(f)) data.push(f);
  });
  await page.goto(`${base}docs/site/#/search?q=${encodeURIComponent('refund webhook')}`);
  await page.waitForFunction(() => window.docatlasAppReady === true && !document.getElementById('da-search-first'));
  // The app's own results page (with facet chips), then a page opened from it, highlighted.
  await page.waitForSelector('.da-chip');
  assert.ok(await page.locator('.da-hit').count() > 0);
  await page.locator('.da-hit-link').first().click();
  await page.waitForSelector('.da-doc-body mark.da-hl');
  const twice = data.filter((f, i) => data.indexOf(f) !== i);
  assert.deepEqual(twice, [], `fetched: ${data.join(', ')}`);
  assert.equal(data.filter((f) => f === 'docatlas.bin').length, 1);
  assert.deepEqual(problems, []);
  await page.close();
});

test('when the search-first module cannot start, the app still shows pages and says why search is missing', async () => {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  await page.route(/\/docatlas-search-[0-9a-f]+_bg\.wasm\.gz$/, (route) => route.fulfill({ status: 500, body: 'down' }));
  await page.goto(`${base}docs/site/#/doc/catalog/services.md`);
  await page.waitForSelector('.da-doc-body');
  await page.locator('.da-search-input').fill('refund');
  await page.waitForSelector('.da-error');
  assert.match(await page.locator('.da-error').innerText(), /search is unavailable: the search module of this site did not start/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('`build-index serve` answers every parallel fetch: results, then the app', async () => {
  const child = spawn(BIN, ['serve', path.join(root, 'docs', 'site'), '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    const url = await new Promise((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d) => {
        out += d;
        const m = out.match(/http:\/\/[^\s]+\//);
        if (m) resolve(m[0]);
      });
      child.on('exit', (code) => reject(new Error(`serve exited (${code}): ${out}`)));
    });
    const { page, problems } = await open(`${url}#/search?q=refund`);
    await page.waitForSelector('.da-hit');
    await page.waitForFunction(() => window.docatlasAppReady === true && !document.getElementById('da-search-first'));
    await page.waitForSelector('.da-results-summary');
    assert.match(await page.locator('.da-results-summary').innerText(), /pages? for “refund”/);
    assert.deepEqual(problems, []);
    await page.close();
  } finally {
    child.kill();
  }
});

test('search-first: a page route shows the page, then loads the full app, which takes over', async () => {
  const { page, problems } = await open(`${base}docs/site/#/doc/catalog/services.md`);
  await page.waitForSelector('.da-doc-body');
  await page.waitForFunction(() => window.docatlasAppReady === true && !document.getElementById('da-search-first'));
  await page.waitForSelector('.da-doc-body');
  assert.deepEqual(problems, []);
  await page.close();
});

test('a #/doc/<path>#<anchor> route scrolls the heading into view', async () => {
  const { page } = await open(`${base}docs/site/#/doc/catalog/routes.md#handlers-in-code`);
  const heading = page.locator('[id="handlers-in-code"]');
  await heading.waitFor();
  await page.waitForFunction(() => {
    const r = document.querySelector('[id="handlers-in-code"]').getBoundingClientRect();
    // Scrolled (the heading is far down the page) and the heading is on screen.
    return window.scrollY > 0 && r.top >= 0 && r.bottom <= window.innerHeight;
  });
  await page.close();
});

test('a view still loading when the reader moves on is dropped: the newest route is what shows', async () => {
  const page = await browser.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  // Hold the page file, so the page view is still waiting when the reader opens the tracks.
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  await page.route(/\/page\/[0-9a-f]+\.bin$/, async (route) => { await held; await route.continue(); });
  await page.goto(`${base}docs/site/#/doc/catalog/routes.md`);
  await page.waitForSelector('.docatlas .da-loading');
  await page.evaluate(() => { location.hash = '#/tracks'; });
  await page.waitForSelector('.da-tracks h1');
  const late = page.waitForResponse(/\/page\/[0-9a-f]+\.bin$/);
  release();
  await late;
  // Time for the page view to decode, build and (wrongly) show itself, were it not dropped.
  await page.waitForTimeout(500);
  assert.equal(await page.locator('.da-doc').count(), 0);
  assert.equal(await page.locator('.da-tracks h1').count(), 1);
  // The page file it fetched is kept: going back shows the page straight away.
  await page.goBack();
  await page.waitForSelector('.da-doc-body');
  assert.deepEqual(problems, []);
  await page.close();
});

test('search results show highlighted snippets and typo corrections', async () => {
  const { page } = await open(`${base}docs/site/#/search?q=${encodeURIComponent('refnds ')}`);
  await page.waitForSelector('.da-hit');
  assert.match(await page.locator('.da-corrected').innerText(), /refunds/);
  assert.ok(await page.locator('.da-snippet mark').count() > 0);
  await page.close();
});

test('the JS API answers exactly as `build-index search --json` does', async () => {
  const { page } = await open(`${base}docs/site/`);
  await page.waitForFunction(() => window.docatlasReady === true);
  for (const q of ['POST /api/v1/bookings', 'refnds', 'Datenbankmigration', '予約']) {
    const inBrowser = JSON.parse(await page.evaluate((q) => window.wasmBindings.search_json(q, 5), q));
    const native = JSON.parse(execFileSync(BIN, ['search', path.join(root, 'docs', 'site'), q, '--json', '--limit', '5']));
    assert.deepEqual(inBrowser, native, q);
    assert.ok(native.hits.length > 0, `${q} finds something`);
  }
  await page.close();
});

test('embedded in a host page, the app fills only its [data-docatlas] element', async () => {
  const { page, problems } = await open(`${base}docs/site/host.html`);
  await page.waitForSelector('#host-slot .docatlas .da-home');
  assert.equal(await page.locator('#host-title').innerText(), 'Team portal');
  assert.equal(await page.locator('#host-footer').innerText(), 'Host footer');
  assert.equal(await page.locator('body > .docatlas').count(), 0);
  assert.deepEqual(problems, []);
  await page.close();
});

test('an internal build shows a banner on internal pages', async () => {
  const { page } = await open(`${base}internal/#/doc/ops/oncall-rota.md`);
  await page.waitForSelector('.da-doc-body');
  assert.match(await page.locator('.da-banner').innerText(), /Internal/);
  await page.close();
});

test('pages load on demand: opening one fetches its own page file; with none, the page is missing, not a file name', async () => {
  const { page } = await open(`${base}docs/site/#/doc/catalog/routes.md`);
  await page.waitForSelector('.da-doc-body');
  const fetched = [];
  page.on('request', (r) => { if (r.url().includes('/page/')) fetched.push(r.url()); });
  await page.evaluate(() => { location.hash = '#/doc/catalog/services.md'; });
  await page.waitForFunction(() => document.querySelector('.da-doc-meta .da-path')?.textContent === 'catalog/services.md');
  await page.waitForSelector('.da-doc-body');
  assert.equal(fetched.length, 1, `one page file for the page opened: ${fetched}`);
  await page.close();

  // Page files gone but the page list intact: a site uploaded in part, said as such (not "no
  // such page"), and never by the page file's name.
  const broken = await open(`${base}nopage/#/doc/README.md`);
  const msg = broken.page.locator('.da-error .da-error-message');
  await msg.waitFor();
  assert.match(await msg.innerText(), /^The page README\.md is in this site's page list, but its file is not on the server .*uploaded in part/);
  assert.doesNotMatch(await broken.page.locator('.da-error').innerText(), /\.bin|[0-9a-f]{16}/);
  // The rest of the site still works: search does not need page files.
  assert.equal(await broken.page.locator('.da-search-input').count(), 1);
  await broken.page.close();
});

test('a search fetches the shards and text it needs, not the site', async () => {
  const { page, problems } = await open(`${base}docs/site/`);
  // The full app loads once the head is in; wait for it, so its files are not counted here.
  await page.waitForFunction(() => window.docatlasAppReady === true);
  const fetched = [];
  page.on('request', (r) => fetched.push(new URL(r.url()).pathname.replace('/docs/site/', '')));
  const json = JSON.parse(await page.evaluate(() => window.wasmBindings.search_json('refund webhook', 5)));
  assert.ok(json.hits.length > 0);
  assert.ok(fetched.length > 0 && fetched.length <= 12, `${fetched}`);
  for (const f of fetched) assert.match(f.replace(/^data\/[0-9a-f]+\//, ''), /^(index|postings|text|typo)\//, `a search reads only search files: ${f}`);
  // Asked again, everything is in memory.
  fetched.length = 0;
  await page.evaluate(() => window.wasmBindings.search_json('refund webhook', 5));
  assert.deepEqual(fetched, []);
  assert.deepEqual(problems, []);
  await page.close();
});

test('opened from file://, the page says how to serve it instead of staying blank', async () => {
  const { page } = await open(`file://${path.join(root, 'docs', 'site', 'index.html')}`);
  const warning = page.locator('#docatlas-file-warning');
  await warning.waitFor();
  assert.match(await warning.innerText(), /build-index serve/);
  await page.close();
});

for (const [dir, expected] of [
  ['corrupt', /corrupt/],
  ['badgzip', /corrupt: it does not decompress/],
  ['wrongversion', /version 7, but this docatlas reads version \d+/],
  ['missing', /404/],
]) {
  test(`a ${dir} bundle shows an error that names the problem`, async () => {
    const { page } = await open(`${base}${dir}/`);
    const msg = page.locator('.da-error-message');
    await msg.waitFor();
    assert.match(await msg.innerText(), expected);
    await page.close();
  });
}
