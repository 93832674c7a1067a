// Headless-Chromium tests of the three places docatlas runs (issue 22): the single file opened
// from file://, two instances embedded in a hostile host page under a strict
// Content-Security-Policy with Trusted Types, and a site under a sub-path with deep links.
//
// Run by scripts/test, which builds build-index first.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launch, openFirstHit, serve, writeOpsDocs } from './harness.mjs';

const REPO = path.resolve(import.meta.dirname, '..', '..');
const BIN = process.env.DOCATLAS_BIN || path.join(REPO, 'target', 'debug', 'build-index');
const PORTAL = path.join(REPO, 'examples', 'portal');

// The policy the README gives a host (and a site) that allows nothing inline.
export const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; " +
  "img-src 'self' data:; connect-src 'self'";
const TRUSTED_TYPES = "; require-trusted-types-for 'script'; trusted-types docatlas";

let root;
let server;
let base;
let browser;
let single; // the single file, alone in its folder

function build(docs, ...args) {
  return execFileSync(BIN, ['build', docs, '--quiet', ...args], { stdio: 'pipe' });
}

before(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'docatlas-delivery-'));
  build(PORTAL, '--out', path.join(root, 'docs', 'eng'));
  const ops = path.join(root, 'ops-src');
  await writeOpsDocs(ops);
  build(ops, '--out', path.join(root, 'docs', 'ops'));
  fs.mkdirSync(path.join(root, 'tt'));
  fs.cpSync(path.join(root, 'docs', 'eng'), path.join(root, 'tt', 'eng'), { recursive: true });
  single = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'docatlas-single-')), 'portal.html');
  build(PORTAL, '--single-file', single);

  // A portal page with every generic rule a host stylesheet may have, in a folder of its own.
  fs.mkdirSync(path.join(root, 'portal'));
  fs.writeFileSync(path.join(root, 'portal', 'hostile.css'), `
    * { box-sizing: content-box !important; margin: 3px; }
    html, body { font-family: "Comic Sans MS", cursive; background: rgb(250, 240, 230); color: rgb(60, 20, 20); }
    div { padding: 7px; border: 2px dashed red; font-size: 21px; }
    a { color: rgb(0, 200, 0); text-transform: uppercase; }
    input, button { all: unset; background: black; }
    ul { list-style: square; }
    svg { display: none; }
    iframe { border: 9px solid red; width: 10px; height: 10px; }
    #ops { --docatlas-accent: rgb(200, 0, 100); }
    body.night #ops { --docatlas-accent: rgb(0, 120, 200); }
  `);
  fs.writeFileSync(path.join(root, 'portal', 'host.html'), `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Portal</title>
<link rel="icon" href="data:,"><link rel="stylesheet" href="hostile.css"></head>
<body>
  <h1 id="host-title">Team portal</h1>
  <p id="probe">Host text with <a id="probe-link" href="#keep">a host link</a>.</p>
  <div id="eng" data-docatlas data-bundle="/docs/eng/docatlas.bin" data-routing="hash" data-shortcuts></div>
  <div id="ops" data-docatlas data-bundle="/docs/ops/docatlas.bin" data-height="420px"></div>
  <script type="module" src="/docs/eng/embed.js"></script>
</body></html>`);

  // The same host styles around one auto-height instance.
  fs.writeFileSync(path.join(root, 'portal', 'auto.html'), `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Portal</title>
<link rel="icon" href="data:,"><link rel="stylesheet" href="hostile.css"></head>
<body>
  <h1 id="host-title">Team portal</h1>
  <div id="auto" data-docatlas data-bundle="/docs/eng/docatlas.bin" data-height="auto"></div>
  <p id="after">Host text after the instance.</p>
  <script type="module" src="/docs/eng/embed.js"></script>
</body></html>`);

  // Every file with the strict policy; the host page, the sites it embeds (/docs/) and one more
  // copy of the site (/tt/) with Trusted Types too.
  ({ server, base } = await serve(root, () => {}, (url) => ({
    // The embed's frames (/docs/…) run under Trusted Types as well as their host page.
    'Content-Security-Policy': CSP + (['/portal/', '/tt/', '/docs/'].some((p) => url.startsWith(p)) ? TRUSTED_TYPES : ''),
  })));
  browser = await launch();
});

after(async () => {
  await browser?.close();
  server?.close();
  if (root) fs.rmSync(root, { recursive: true, force: true });
  if (single) fs.rmSync(path.dirname(single), { recursive: true, force: true });
});

// A page that records errors and every CSP violation (in the page and its frames).
async function open(url, context = browser) {
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
    });
  });
  await page.goto(url);
  return { page, problems };
}

async function searchIn(frame, query) {
  // Once the app has taken over from the search-first module (whose box it replaces).
  await frame.waitForFunction(() => window.docatlasAppReady === true);
  await frame.locator('.da-search-input').first().fill(query);
  // The line above the results names the query once they are this query's.
  await frame.waitForFunction((q) => document.body.innerText.includes(`for “${q}”`), query);
}

const hitTitles = (frame) => frame.$$eval('.da-hit-link', (ls) => ls.map((l) => l.textContent));

test('the single file works from file:// alone in its folder: search, a page, an impact view with an export, a checklist tick kept over a reload', async () => {
  assert.deepEqual(fs.readdirSync(path.dirname(single)), ['portal.html']);
  const context = await browser.newContext();
  const { page, problems } = await open(`file://${single}`, context);
  const requests = [];
  page.on('request', (r) => requests.push(r.url()));
  await openFirstHit(page, 'webhook backlog', /Payments webhook backlog/);
  assert.match(await page.locator('.da-doc-body').first().innerText(), /\S/);

  await page.evaluate(() => { location.hash = '#/impact/feature:refunds?up=1&down=2&cap=all'; });
  await page.waitForSelector('.da-graph .da-node[data-id="service:payments"]');
  const [csv] = await Promise.all([page.waitForEvent('download'), page.click('.da-exports button:has-text("CSV")')]);
  const csvFile = path.join(root, 'impact.csv');
  await csv.saveAs(csvFile);
  assert.match(fs.readFileSync(csvFile, 'utf8'), /service:payments/);

  await page.evaluate(() => { location.hash = '#/tracks/short-on-time-read-these-first'; });
  const box = page.getByRole('checkbox', { name: 'Read “Stack”' });
  await box.check();
  await page.waitForFunction(() => document.querySelector('.da-track-progress')?.textContent.startsWith('1 of'));
  await page.reload();
  assert.equal(await page.getByRole('checkbox', { name: 'Read “Stack”' }).isChecked(), true);
  // Progress is keyed by the site's id (file:// pages share one storage origin).
  assert.ok(await page.evaluate(() => Object.keys(localStorage).includes('docatlas:progress:kestrel-engineering-portal')));
  // A copied deep link opens the same view in a fresh tab.
  const copied = await context.newPage();
  await copied.goto(`file://${single}#/doc/runbooks/payments-webhook-backlog.md`);
  await copied.waitForFunction(() => document.querySelector('.da-doc-meta .da-path')?.textContent === 'runbooks/payments-webhook-backlog.md');
  await copied.close();
  const elsewhere = requests.filter((u) => !u.startsWith('file://') && !u.startsWith('blob:') && !u.startsWith('data:'));
  assert.deepEqual(elsewhere, [], 'the single file asks nothing of the network');
  assert.deepEqual(problems, []);
  await context.close();
});

test('the single file shows a page\'s image and offers its PDF from file://, with no request for either', async () => {
  const docs = fs.mkdtempSync(path.join(os.tmpdir(), 'docatlas-attach-'));
  fs.mkdirSync(path.join(docs, 'diagrams'));
  // A 1x1 PNG, and a name with a space and an ampersand (escaped twice in the page's HTML).
  fs.writeFileSync(path.join(docs, 'diagrams', 'flow chart.png'), Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64'));
  fs.writeFileSync(path.join(docs, 'diagrams', 'r&d spec.pdf'), '%PDF-1.4\n%%EOF\n');
  fs.writeFileSync(path.join(docs, 'index.md'), '# Attachments\n\nThe flow: ![Flow](diagrams/flow%20chart.png)\n\n' +
    'The [spec](<diagrams/r&d spec.pdf>).\n');
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'docatlas-attach-out-')), 'attach.html');
  build(docs, '--single-file', file);
  const context = await browser.newContext();
  const failed = [];
  context.on('requestfailed', (r) => failed.push(r.url()));
  const { page, problems } = await open(`file://${file}#/doc/index.md`, context);
  await page.waitForFunction(() => window.docatlasAppReady === true);
  const img = page.locator('.da-doc-body img').first();
  await page.waitForFunction(() => document.querySelector('.da-doc-body img')?.complete);
  assert.ok(await img.evaluate((i) => i.naturalWidth > 0), 'the image is drawn');
  assert.match(await img.getAttribute('src'), /^data:image\/png;base64,/);
  const link = page.locator('.da-doc-body a:has-text("spec")');
  assert.match(await link.getAttribute('href'), /^data:application\/pdf;base64,/);
  assert.equal(await link.getAttribute('download'), 'r&d spec.pdf');
  assert.deepEqual(failed, [], 'no request failed (none was made for the attachments)');
  assert.deepEqual(problems, []);
  await context.close();
  fs.rmSync(docs, { recursive: true, force: true });
  fs.rmSync(path.dirname(file), { recursive: true, force: true });
});

test('the single file shows a Docusaurus static image linked from the site root (`/img/…`), with no request for it', async () => {
  const project = fs.mkdtempSync(path.join(os.tmpdir(), 'docatlas-static-'));
  fs.mkdirSync(path.join(project, 'docs'));
  fs.mkdirSync(path.join(project, 'static', 'img'), { recursive: true });
  fs.writeFileSync(path.join(project, 'docusaurus.config.js'), "module.exports = { title: 'Canal' };\n");
  fs.writeFileSync(path.join(project, 'static', 'img', 'lock.png'), Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64'));
  fs.writeFileSync(path.join(project, 'docs', 'intro.md'), '# Locks\n\nThe gate: ![Gate](/img/lock.png)\n');
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'docatlas-static-out-')), 'canal.html');
  build(path.join(project, 'docs'), '--single-file', file);
  const context = await browser.newContext();
  const failed = [];
  context.on('requestfailed', (r) => failed.push(r.url()));
  const { page, problems } = await open(`file://${file}#/doc/intro.md`, context);
  await page.waitForFunction(() => window.docatlasAppReady === true);
  await page.waitForFunction(() => document.querySelector('.da-doc-body img')?.complete);
  const img = page.locator('.da-doc-body img').first();
  assert.ok(await img.evaluate((i) => i.naturalWidth > 0), 'the image is drawn');
  assert.match(await img.getAttribute('src'), /^data:image\/png;base64,/);
  assert.deepEqual(failed, [], 'no request failed (none was made for the image)');
  assert.deepEqual(problems, []);
  await context.close();
  fs.rmSync(project, { recursive: true, force: true });
  fs.rmSync(path.dirname(file), { recursive: true, force: true });
});

test('two instances in a hostile host page under a strict CSP and Trusted Types: each answers from its own bundle, the host is untouched', async () => {
  const { page, problems } = await open(`${base}portal/host.html#keep`);
  const style = () => page.evaluate(() => {
    const s = (sel, props) => props.map((p) => getComputedStyle(document.querySelector(sel))[p]);
    return [s('body', ['fontFamily', 'backgroundColor', 'color', 'margin']), s('#probe', ['fontSize', 'margin']),
      s('#probe-link', ['color', 'textTransform']), s('#host-title', ['fontFamily', 'margin'])];
  });
  const before = await style();
  const frame = async (id) => {
    const handle = await page.waitForSelector(`#${id} iframe`);
    const f = await handle.contentFrame();
    await f.waitForSelector('.da-search-input');
    return f;
  };
  const eng = await frame('eng');
  const ops = await frame('ops');

  // The frames keep their shape against `iframe { border: 9px; width: 10px }`.
  const box = await page.$eval('#ops iframe', (f) => [getComputedStyle(f).borderTopWidth, f.getBoundingClientRect().width,
    f.getBoundingClientRect().height]);
  assert.equal(box[0], '0px');
  assert.ok(box[1] > 300 && Math.round(box[2]) === 420, `ops frame box ${box}`);
  // The app's own styles inside: not the host's font, buttons or inputs.
  assert.doesNotMatch(await ops.$eval('.da-search-input', (i) => getComputedStyle(i).fontFamily), /Comic/);

  await searchIn(ops, 'quokka ledger');
  assert.ok((await hitTitles(ops)).some((t) => /Quokka ledger drift/.test(t)));
  await searchIn(ops, 'webhook backlog');
  assert.ok(!(await hitTitles(ops)).some((t) => /webhook/i.test(t)), 'the ops instance knows nothing of the portal');
  await searchIn(eng, 'webhook backlog');
  assert.ok((await hitTitles(eng)).some((t) => /Payments webhook backlog/.test(t)));
  await searchIn(eng, 'quokka');
  assert.ok(!(await hitTitles(eng)).some((t) => /quokka/i.test(t)), 'the portal instance knows nothing of ops');
  assert.deepEqual(await style(), before, 'the host page looks as it did');
  assert.deepEqual(problems, []);

  // The host's theme (custom properties) reaches the instance it is set for, and only that one,
  // again when the host switches theme by a class on <body>.
  const linkColor = (f) => f.$eval('.docatlas', (d) => getComputedStyle(d).getPropertyValue('--da-accent').trim());
  await ops.waitForFunction(() => getComputedStyle(document.querySelector('.docatlas')).getPropertyValue('--da-accent').trim() === 'rgb(200, 0, 100)');
  assert.notEqual(await linkColor(eng), 'rgb(200, 0, 100)');
  await page.evaluate(() => document.body.classList.add('night'));
  await ops.waitForFunction(() => getComputedStyle(document.querySelector('.docatlas')).getPropertyValue('--da-accent').trim() === 'rgb(0, 120, 200)');
  await page.evaluate(() => document.body.classList.remove('night'));
  await ops.waitForFunction(() => getComputedStyle(document.querySelector('.docatlas')).getPropertyValue('--da-accent').trim() === 'rgb(200, 0, 100)');
  assert.deepEqual(await style(), before, 'the host page looks as it did');

  // The instance that owns the hash shows a deep link; the other instance never moves the host URL.
  await page.evaluate(() => { location.hash = '#/doc/runbooks/payments-webhook-backlog.md'; });
  await eng.waitForFunction(() => document.querySelector('.da-doc-meta .da-path')?.textContent === 'runbooks/payments-webhook-backlog.md');
  assert.equal(await page.evaluate(() => location.hash), '#/doc/runbooks/payments-webhook-backlog.md');
  await searchIn(ops, 'nightly settlement');
  assert.equal(await page.evaluate(() => location.hash), '#/doc/runbooks/payments-webhook-backlog.md');

  // A copied host URL opens the owning instance on the same view.
  const copied = await open(`${base}portal/host.html#/impact/feature:refunds?up=1&down=2`);
  const copiedEng = await (await copied.page.waitForSelector('#eng iframe')).contentFrame();
  await copiedEng.waitForSelector('.da-graph .da-node[data-id="feature:refunds"]');
  assert.deepEqual(copied.problems, []);
  await copied.page.close();

  // `/` typed on the host goes to the instance marked data-shortcuts, and only to it.
  await page.click('#host-title');
  await page.keyboard.press('/');
  await eng.waitForFunction(() => document.activeElement?.classList.contains('da-search-input'));
  assert.equal(await ops.evaluate(() => document.hasFocus()), false);
  assert.deepEqual(problems, []);
  await page.close();
});

test('data-height="auto" under a strict CSP and Trusted Types: the frame is as tall as what it shows, grows and shrinks with it, never scrolls itself', async () => {
  const { page, problems } = await open(`${base}portal/auto.html`);
  const frame = await (await page.waitForSelector('#auto iframe')).contentFrame();
  await frame.waitForSelector('.da-home');
  // Once the host has set the frame to its content's last reported height.
  const fits = async () => {
    await page.waitForFunction(() => {
      const f = document.querySelector('#auto iframe');
      const content = Math.ceil(f.contentDocument.documentElement.getBoundingClientRect().height);
      return Math.abs(f.getBoundingClientRect().height - content) < 1 && content > 100;
    });
    return frame.evaluate(() => ({ height: innerHeight, overflow: document.documentElement.scrollHeight - innerHeight }));
  };
  const home = await fits();
  assert.ok(home.height > 1500, `the home's page list, whole (${home.height}px; the hostile iframe rule says 10px)`);
  assert.ok(home.overflow <= 0, 'nothing to scroll inside the frame');
  await searchIn(frame, 'xyzzyqx');
  const none = await fits();
  assert.ok(none.height < 600, `shrunk to the empty result (${none.height}px)`);
  // The host's text follows the frame's bottom.
  const after = await page.$eval('#after', (p) => p.getBoundingClientRect().top - document.querySelector('#auto iframe').getBoundingClientRect().bottom);
  assert.ok(after >= 0 && after < 40, `host text right below the frame (${after}px)`);
  // Sizes in parts of the screen follow the host's window, not the frame's (which is its
  // content): the impact graph's box is min(70% of the window, 44rem), not a loop that grows.
  await page.evaluate(() => document.getElementById('auto').docatlasGo('#/impact/feature:refunds'));
  await frame.waitForSelector('.da-graph .da-node');
  await fits();
  const [box, want] = [await frame.$eval('.da-graph-box', (b) => b.getBoundingClientRect().height),
    await page.evaluate(() => Math.min(0.7 * innerHeight, 44 * 16))];
  assert.ok(Math.abs(box - want) < 2, `graph box ${box}px, want ${want}px`);
  assert.deepEqual(problems, []);
  await page.close();
});

test('a site under a sub-path with a strict CSP: deep links to a search, a page and an impact view', async () => {
  const at = (hash) => `${base}docs/eng/${hash}`;
  let { page, problems } = await open(at('#/search?q=refund+webhook'));
  await page.waitForSelector('.da-hit');
  assert.ok((await hitTitles(page)).length > 0);
  await page.goto(at('#/doc/runbooks/payments-webhook-backlog.md'));
  await page.reload();
  await page.waitForFunction(() => document.querySelector('.da-doc-meta .da-path')?.textContent === 'runbooks/payments-webhook-backlog.md');
  await page.goto(at('#/impact/feature:refunds?up=1&down=2'));
  await page.reload();
  await page.waitForSelector('.da-graph .da-node[data-id="feature:refunds"]');
  assert.deepEqual(problems, []);
  await page.close();
});

test('a site under Trusted Types (one policy, docatlas): a page with highlights, search, tracks and an impact view, no violation', async () => {
  const { page, problems } = await open(`${base}tt/eng/#/doc/runbooks/payments-webhook-backlog.md?q=webhook`);
  await page.waitForSelector('.da-doc-body mark.da-hl');
  await page.evaluate(() => { location.hash = '#/search?q=redis+memory'; });
  await page.waitForSelector('.da-hit');
  await page.evaluate(() => { location.hash = '#/tracks/short-on-time-read-these-first'; });
  await page.getByRole('checkbox', { name: 'Read “Stack”' }).check();
  await page.evaluate(() => { location.hash = '#/impact/feature:refunds'; });
  await page.waitForSelector('.da-graph .da-node');
  assert.deepEqual(problems, []);
  await page.close();
});

test('a rebuild into the folder of an open tab: the tab still searches the docs it opened, a reload shows the new ones', async () => {
  const docs = path.join(root, 'deploy-src');
  fs.cpSync(PORTAL, docs, { recursive: true });
  const site = path.join(root, 'deploy');
  build(docs, '--out', site);
  const { page, problems } = await open(`${base}deploy/#/search?q=webhook+backlog`);
  await page.waitForSelector('.da-hit');
  fs.writeFileSync(path.join(docs, 'zebra-drill.md'), '# Zebra crossing drill\n\nEvery quarter the zebra drill checks that failover works.\n');
  build(docs, '--out', site);
  // The open tab: its head names the previous build's files, which are still there.
  await searchIn(page, 'redis memory');
  assert.ok((await hitTitles(page)).some((t) => /Redis memory/i.test(t)), 'the open tab still searches');
  await searchIn(page, 'zebra drill');
  assert.ok(!(await hitTitles(page)).some((t) => /Zebra/.test(t)), 'the open tab keeps the docs it opened');
  await page.reload();
  await page.waitForSelector('.da-hit');
  assert.ok((await hitTitles(page)).some((t) => /Zebra crossing drill/.test(t)), 'a reload shows the new docs');
  assert.deepEqual(problems, []);
  await page.close();
});
