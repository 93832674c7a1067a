// A larger corpus made from the Rust docs, for the size curve: N pages, the docs copied as often
// as needed under renamed folders (copy01/, copy02/, …) with about one word in eight perturbed
// by a copy-specific suffix (seeded PRNG), so vocabulary and postings grow the way a bigger real
// corpus's would instead of repeating the same terms. The first copy is the docs as they are, so
// N ≤ 1,632 is a subset of the Rust docs.
//
// A port of the session's /tmp/curve/gen.py (same walk order, same rule); its PRNG is mulberry32
// (queries.mjs) rather than Python's, so the perturbed words differ from that script's output.

import fs from 'node:fs';
import path from 'node:path';
import { prng } from './queries.mjs';

/** Bumped when the generated text changes, so cached corpora are regenerated. */
export const GENERATOR_VERSION = 1;

/** The .md files under `root` in os.walk order: a folder's files sorted, then its sorted subfolders. */
function walkMarkdown(root) {
  const out = [];
  (function walk(dir) {
    const entries = fs.readdirSync(dir, { withFileTypes: true });
    const files = entries.filter((e) => e.isFile() && e.name.endsWith('.md')).map((e) => e.name).sort();
    const dirs = entries.filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => e.name).sort();
    for (const f of files) out.push(path.relative(root, path.join(dir, f)).split(path.sep).join('/'));
    for (const d of dirs) walk(path.join(dir, d));
  })(root);
  return out;
}

// A lower-case ASCII word of 5+ letters standing alone (Python's Unicode-aware \b: not beside
// another letter, digit or underscore).
const WORD = /(?<![\p{L}\p{N}_])([a-z]{5,})(?![\p{L}\p{N}_])/gu;

/**
 * Writes `count` pages generated from the Markdown under `src` into `dst` (replaced), with the
 * PRNG seeded by `seed`. Returns the number of pages written.
 */
export function generateCorpus(src, dst, count, seed) {
  const files = walkMarkdown(src);
  if (files.length === 0) throw new Error(`no Markdown pages in ${src}`);
  const rand = prng(seed);
  const tmp = `${dst}.tmp`;
  fs.rmSync(tmp, { recursive: true, force: true });
  let written = 0;
  for (let copy = 0; written < count; copy++) {
    for (const rel of files) {
      if (written >= count) break;
      let text = fs.readFileSync(path.join(src, rel), 'utf8');
      let out;
      if (copy > 0) {
        const suffix = `x${copy}`;
        text = text.replace(WORD, (w) => (rand() < 0.125 ? w + suffix : w));
        out = path.join(tmp, `copy${String(copy).padStart(2, '0')}`, rel);
      } else {
        out = path.join(tmp, rel);
      }
      fs.mkdirSync(path.dirname(out), { recursive: true });
      fs.writeFileSync(out, text);
      written++;
    }
  }
  fs.rmSync(dst, { recursive: true, force: true });
  fs.renameSync(tmp, dst);
  return written;
}
