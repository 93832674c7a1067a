// What the browser tests share: the content types a static host sends, and headless Chromium
// launched the way this machine needs it (no sandbox as root; no background network, which the
// closed network here refuses).

import { chromium } from 'playwright-core';

/** Content types by extension, as a plain static host sends them (anything else: octet-stream). */
export const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.wasm': 'application/wasm',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
};

/** Starts the system Chromium (or $CHROMIUM) headless. */
export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/**
 * Serves the folder `root` on a free local port, as a plain static host does (index.html for a
 * folder, 404 for anything missing); `seen(url)` is told every path asked for, and `headers(url)`
 * may add response headers (a Content-Security-Policy). Resolves to the server and its base URL.
 */
export async function serve(root, seen = () => {}, headers = () => ({})) {
  const { default: http } = await import('node:http');
  const { default: fs } = await import('node:fs');
  const { default: path } = await import('node:path');
  const server = http.createServer((req, res) => {
    const url = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    seen(url);
    let file = path.join(root, url);
    if (!file.startsWith(root)) { res.writeHead(400).end(); return; }
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
    fs.readFile(file, (err, data) => {
      if (err) { res.writeHead(404).end('not found'); return; }
      res.writeHead(200, {
        'Content-Type': MIME[path.extname(file)] || 'application/octet-stream',
        ...headers(url),
      }).end(data);
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, base: `http://127.0.0.1:${server.address().port}/` };
}

/** Asks the search box (`/`, then typing) for `query` and opens the first hit, whose title must match `title`. */
export async function openFirstHit(page, query, title) {
  await page.waitForSelector('.da-home');
  await page.keyboard.press('/');
  await page.keyboard.type(query);
  const first = page.locator('.da-hit-link').first();
  await first.waitFor();
  const { default: assert } = await import('node:assert/strict');
  assert.match(await first.innerText(), title);
  await first.click();
  await page.waitForSelector('.da-doc-body');
}

/**
 * Writes a second, tiny doc set into `dir` (title "Ops handbook", a quokka runbook), so two
 * embedded instances on one page can be told apart by their answers.
 */
export async function writeOpsDocs(dir) {
  const { default: fs } = await import('node:fs');
  const { default: path } = await import('node:path');
  fs.mkdirSync(path.join(dir, 'runbooks'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'docatlas.toml'), 'title = "Ops handbook"\nid = "ops-handbook"\n');
  fs.writeFileSync(path.join(dir, 'index.md'), '# Ops handbook\n\nHow the night shift keeps the quokka ledger balanced.\n');
  fs.writeFileSync(path.join(dir, 'runbooks', 'quokka-ledger.md'),
    '# Quokka ledger drift\n\nWhen the quokka ledger drifts, pause the nightly settlement job and page the ledger owner.\n');
}
