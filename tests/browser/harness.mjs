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
