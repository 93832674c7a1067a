// Headless-Chromium tests of reading tracks and progress: ticks survive a reload, a rebuild from
// reordered docs and an edit (which shows "updated since you read it"); the keys; export, reset
// and import; a shared link; progress in memory when storage is blocked; two sites on one origin.
//
// Run by scripts/test, which builds build-index first. Needs Chromium (/usr/bin/chromium, or
// $CHROMIUM) and `npm ci` in this folder (scripts/ensure-tools --browser does both).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { MIME, launch } from './harness.mjs';

const REPO = path.resolve(import.meta.dirname, '..', '..');
const BIN = process.env.DOCATLAS_BIN || path.join(REPO, 'target', 'debug', 'build-index');

let root; // served folder
let docs; // an editable copy of the example portal
let server;
let base; // http://127.0.0.1:PORT/
let browser;
let context; // one browser profile: its localStorage is the reader's progress

const CORE = '#/tracks/short-on-time-read-these-first';

function build(from, out) {
  execFileSync(BIN, ['build', from, '--out', out, '--quiet'], { stdio: 'pipe' });
}

function edit(file, change) {
  const p = path.join(docs, file);
  fs.writeFileSync(p, change(fs.readFileSync(p, 'utf8')));
}

before(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'docatlas-tracks-'));
  docs = path.join(root, 'docs-src');
  fs.cpSync(path.join(REPO, 'examples', 'portal'), docs, { recursive: true });
  build(docs, path.join(root, 'site'));
  build(path.join(REPO, 'tests', 'fixtures', 'tracks-plain'), path.join(root, 'other'));
  server = http.createServer((req, res) => {
    const url = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    let file = path.join(root, url);
    if (!file.startsWith(root)) { res.writeHead(400).end(); return; }
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
    fs.readFile(file, (err, data) => {
      if (err) { res.writeHead(404).end('not found'); return; }
      res.writeHead(200, { 'Content-Type': MIME[path.extname(file)] || 'application/octet-stream' }).end(data);
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${server.address().port}/`;
  browser = await launch();
  context = await browser.newContext({ acceptDownloads: true });
});

after(async () => {
  await browser?.close();
  server?.close();
  if (root) fs.rmSync(root, { recursive: true, force: true });
});

async function open(url, ctx = context) {
  const page = await ctx.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  await page.goto(url);
  return { page, problems };
}

/** Titles of the current track's items, each with whether its box is ticked. */
async function items(page) {
  await page.waitForSelector('.da-track-item');
  return page.locator('.da-track-item').evaluateAll((lis) => lis.map((li) => [
    li.querySelector('a').textContent, li.querySelector('input').checked,
  ]));
}

const progressText = (page) => page.locator('.da-track .da-track-progress').first().innerText();

test('ticked pages and checklist items survive a reload, and count on the home page', async () => {
  const { page, problems } = await open(`${base}site/${CORE}`);
  assert.deepEqual((await items(page)).map(([t]) => t),
    ['Stack', 'Architecture', 'Flows', 'API', 'Observability', 'Runbooks']);
  assert.equal(await progressText(page), '0 of 6 pages read · 29 min left of 29');
  await page.getByRole('checkbox', { name: 'Read “Stack”' }).check();
  await page.getByRole('checkbox', { name: 'Read “Architecture”' }).check();
  await page.waitForFunction(() => document.querySelector('.da-track-progress')?.textContent.startsWith('2 of 6'));
  // Keyboard focus stays on the box just ticked, though the list re-rendered.
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute('aria-label')), 'Read “Architecture”');
  await page.getByRole('checkbox', { name: 'Which service to open first when a booking, payment or refund misbehaves.' }).check();

  await page.reload();
  assert.deepEqual((await items(page)).filter(([, done]) => done).map(([t]) => t), ['Stack', 'Architecture']);
  assert.equal(await progressText(page), '2 of 6 pages read · 18 min left of 29');
  assert.equal(await page.getByRole('checkbox', { name: 'Which service to open first when a booking, payment or refund misbehaves.' }).isChecked(), true);
  assert.match(await page.locator('.da-next-box').innerText(), /Next up: Flows/);

  await page.goto(`${base}site/#/`);
  const card = page.locator('.da-tracks-summary .da-track-card').first();
  await card.waitFor();
  assert.match(await card.innerText(), /2 of 6 pages read/);
  assert.deepEqual(problems, []);
  await page.close();
});

test('keys: m marks the open page, n opens the next unread one, never while typing', async () => {
  const { page, problems } = await open(`${base}site/#/doc/engineering/flows.md`);
  await page.waitForSelector('.da-doc-body');
  await page.getByRole('button', { name: 'Mark as read' }).waitFor();
  await page.keyboard.press('m');
  await page.locator('.da-read-badge').waitFor();
  assert.match(await page.locator('.da-toast').innerText(), /Marked “Flows” as read/);
  // In the search box, n is a letter: it searches, it does not open a page.
  await page.keyboard.press('/');
  await page.keyboard.type('n');
  assert.equal(await page.locator('.da-search-input').inputValue(), 'n');
  await page.waitForFunction(() => location.hash === '#/search?q=n');
  await page.locator('.da-search-input').blur();
  await page.evaluate(() => { location.hash = '#/doc/engineering/flows.md'; });
  await page.locator('.da-read-badge').waitFor();
  await page.keyboard.press('n');
  await page.waitForFunction(() => location.hash === '#/doc/engineering/api.md');
  // The page says where it sits and what is next.
  await page.locator('.da-reading .da-links').first().waitFor();
  assert.match(await page.locator('.da-reading').innerText(), /Short on time\? Read these first\s*page 4 of 6, 3 read/);
  assert.deepEqual(problems, []);
  await page.close();
});

test('a rebuild from reordered, extended and retitled docs keeps every tick', async () => {
  edit('README.md', (t) => t
    .replace('1. [Stack](engineering/stack.md)', '1. [Pager basics](engineering/pager.md): what to do in the first five minutes.\n1. [Stack](engineering/stack.md)')
    .replace(/2\. \[Architecture\]\(engineering\/architecture\.md\)(.*)\n3\. \[Flows\]\(engineering\/flows\.md\)(.*)\n/,
      '2. [Flows](engineering/flows.md)$2\n3. [Architecture](engineering/architecture.md)$1\n'));
  fs.writeFileSync(path.join(docs, 'engineering', 'pager.md'),
    '---\ntitle: Pager basics\n---\n\n# Pager basics\n\nAcknowledge, open the runbook, then tell the channel.\n');
  edit('engineering/stack.md', (t) => t.replace('title: Stack', 'title: Stack and versions'));
  build(docs, path.join(root, 'site'));

  const { page, problems } = await open(`${base}site/${CORE}`);
  assert.deepEqual(await items(page), [
    ['Pager basics', false],
    ['Stack and versions', true],
    ['Flows', true],
    ['Architecture', true],
    ['API', false],
    ['Observability', false],
    ['Runbooks', false],
  ]);
  assert.match(await page.locator('.da-next-box').innerText(), /Next up: Pager basics/);
  assert.deepEqual(problems, []);
  await page.close();
});

test('a page edited after it was read says so, with the changed section marked', async () => {
  edit('engineering/architecture.md', (t) => t.replace('## Responsibilities\n',
    '## Responsibilities\n\nThe fleet service now also owns vessel maintenance windows.\n'));
  build(docs, path.join(root, 'site'));

  const { page, problems } = await open(`${base}site/#/doc/engineering/architecture.md`);
  const notice = page.locator('.da-updated');
  await notice.waitFor();
  assert.match(await notice.innerText(), /Updated since you read it\.[\s\S]*Responsibilities/);
  await page.waitForSelector('.da-doc-body [id="responsibilities"][data-da-changed]');
  assert.equal(await page.locator('.da-doc-body [data-da-changed]').count(), 1, 'only the edited section');
  await page.goto(`${base}site/${CORE}`);
  const item = page.locator('.da-track-item', { hasText: 'Architecture' });
  await item.waitFor();
  assert.match(await item.innerText(), /updated since you read it/);
  // Reading it again clears the notice.
  await page.goto(`${base}site/#/doc/engineering/architecture.md`);
  await page.getByRole('button', { name: 'Mark as read again' }).click();
  await page.locator('.da-updated').waitFor({ state: 'detached' });
  await page.waitForFunction(() => !document.querySelector('.da-doc-body [data-da-changed]'));
  assert.deepEqual(problems, []);
  await page.close();
});

test('export, reset and import bring the progress back; so does a shared link', async () => {
  const { page, problems } = await open(`${base}site/#/tracks`);
  await page.waitForSelector('.da-progress-tools');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export to a file' }).click(),
  ]);
  assert.equal(download.suggestedFilename(), 'docatlas-progress-kestrel-engineering-portal.json');
  const file = path.join(root, 'progress.json');
  await download.saveAs(file);
  const saved = JSON.parse(fs.readFileSync(file, 'utf8'));
  assert.equal(saved.format, 'docatlas-progress');
  assert.equal(saved.site, 'kestrel-engineering-portal');
  assert.equal(saved.pages['engineering/flows.md'].read, true);
  assert.ok(Object.values(saved.checks).some((c) => c.done));

  await page.getByRole('button', { name: 'Share as a link' }).click();
  const link = await page.locator('.da-share-link').inputValue();
  assert.match(link, /#\/tracks\?import=p[\w-]+$/);

  const reset = async () => {
    await page.getByRole('button', { name: 'Reset…' }).click();
    await page.getByRole('button', { name: 'Yes, reset' }).click();
    await page.waitForFunction(() => document.querySelector('.da-track-card .da-track-progress')?.textContent.startsWith('0 of 7'));
  };
  await reset();
  await page.reload();
  await page.waitForSelector('.da-track-card');
  assert.match(await page.locator('.da-track-card').first().innerText(), /0 of 7 pages read/, 'reset also cleared storage');

  await page.locator('.da-file input[type=file]').setInputFiles(file);
  await page.waitForFunction(() => document.querySelector('.da-track-card .da-track-progress')?.textContent.startsWith('3 of 7'));
  assert.match(await page.locator('.da-toast').innerText(), /Imported: \d+ pages/);

  await reset();
  await page.goto(link);
  await page.getByRole('button', { name: 'Merge into my progress' }).click();
  await page.waitForFunction(() => location.hash === '#/tracks');
  await page.waitForFunction(() => document.querySelector('.da-track-card .da-track-progress')?.textContent.startsWith('3 of 7'));
  await page.goto(`${base}site/${CORE}`);
  assert.equal((await items(page)).filter(([, done]) => done).length, 3);
  assert.deepEqual(problems, []);
  await page.close();
});

test('two sites on one origin keep separate progress', async () => {
  const { page } = await open(`${base}other/#/tracks`);
  const card = page.locator('.da-track-card').first();
  await card.waitFor();
  assert.match(await card.innerText(), /Plain docs[\s\S]*0 of 5 pages read/);
  const keys = await page.evaluate(() => Object.keys(localStorage).sort());
  assert.deepEqual(keys, ['docatlas:progress:kestrel-engineering-portal']);
  await page.locator('.da-track-card a.da-track-title').click();
  await page.getByRole('checkbox', { name: 'Read “Apple”' }).check();
  await page.waitForFunction(() => Object.keys(localStorage).length === 2);
  assert.ok(await page.evaluate(() => localStorage.getItem('docatlas:progress:plain-docs').includes('apple.md')));
  assert.ok(!(await page.evaluate(() => localStorage.getItem('docatlas:progress:kestrel-engineering-portal').includes('apple.md'))));
  await page.close();
});

test('with storage blocked, progress is kept in memory and the page says so', async () => {
  const blocked = await browser.newContext();
  await blocked.addInitScript(() => {
    Object.defineProperty(window, 'localStorage', {
      get() { throw new DOMException('The operation is insecure.', 'SecurityError'); },
    });
  });
  const { page, problems } = await open(`${base}site/${CORE}`, blocked);
  const notice = page.locator('.da-notice');
  await notice.waitFor();
  assert.match(await notice.innerText(), /kept in memory only/);
  await page.getByRole('checkbox', { name: 'Read “Flows”' }).check();
  await page.waitForFunction(() => document.querySelector('.da-track-progress')?.textContent.startsWith('1 of 7'));
  assert.deepEqual(problems, []);
  await blocked.close();
});
