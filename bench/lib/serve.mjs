// A small static file server for the benchmark: 127.0.0.1, a random port, correct MIME types,
// optional gzip (level 9, like the size figures) for every response it makes smaller, and
// cross-origin isolation headers so performance.now() has fine (5 µs) resolution.

import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * Serves `root`. Options: gzip (compress when the client accepts it and it helps), virtual
 * ({ '/url': { type, body } } served from memory). Resolves to { base, log, close }; log lists
 * every response: { url, start (epoch ms), bytes written, headers included }.
 */
export async function serve(root, { gzip = false, virtual = {} } = {}) {
  const cache = new Map(); // file → { raw, gz }
  const log = []; // { url, start (epoch ms), bytes written for the response, headers included }
  const server = http.createServer((req, res) => {
    const entry = { url: req.url, start: Date.now(), bytes: 0 };
    const before = req.socket.bytesWritten;
    res.on('finish', () => {
      entry.bytes = req.socket.bytesWritten - before;
      log.push(entry);
    });
    let url;
    try {
      url = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    } catch {
      res.writeHead(400).end();
      return;
    }
    const headers = {
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Embedder-Policy': 'require-corp',
      'Cache-Control': 'no-cache',
    };
    let body;
    let type;
    let key;
    if (virtual[url]) {
      ({ body, type } = virtual[url]);
      body = Buffer.from(body);
      key = `virtual:${url}`;
    } else {
      let file = path.join(root, url);
      if (file !== root && !file.startsWith(root + path.sep)) {
        res.writeHead(400).end();
        return;
      }
      try {
        if (fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
        body = fs.readFileSync(file);
      } catch {
        res.writeHead(404, { ...headers, 'Content-Type': 'text/plain' }).end('not found');
        return;
      }
      type = MIME[path.extname(file).toLowerCase()] || 'application/octet-stream';
      key = file;
    }
    headers['Content-Type'] = type;
    if (gzip && /\bgzip\b/.test(req.headers['accept-encoding'] || '')) {
      let entry = cache.get(key);
      if (!entry || !entry.raw.equals(body)) {
        entry = { raw: body, gz: zlib.gzipSync(body, { level: 9 }) };
        cache.set(key, entry);
      }
      if (entry.gz.length < body.length) {
        headers['Content-Encoding'] = 'gzip';
        headers.Vary = 'Accept-Encoding';
        body = entry.gz;
      }
    }
    headers['Content-Length'] = body.length;
    res.writeHead(200, headers);
    res.end(req.method === 'HEAD' ? undefined : body);
  });
  server.keepAliveTimeout = 5000;
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    base: `http://127.0.0.1:${server.address().port}/`,
    log,
    close: () => new Promise((resolve) => { server.close(resolve); server.closeAllConnections(); }),
  };
}
