// The known-item query set, made mechanically from the corpus' headings with a seeded PRNG.
//
// Every `##`/`###` heading is a candidate query whose answer is its page (and its anchor the
// answer section). Skipped: fewer than 2 words or 8 characters; text that is a heading (any
// level) on more than one page; headings with no word of 5+ letters (so every query has a typo
// variant). A seeded shuffle picks the sample; each typo variant edits one 5+-letter word once.

/** mulberry32: a small, well-mixed 32-bit PRNG; same seed, same sequence, on every platform. */
export function prng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  next.int = (n) => Math.floor(next() * n);
  return next;
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';
const WORD = /^(\P{L}*)(\p{L}{5,})(\P{L}*)$/u; // a token whose letters form one 5+-letter run

export function typoCandidates(text) {
  const words = text.split(' ');
  const out = [];
  words.forEach((w, i) => {
    if (WORD.test(w)) out.push(i);
  });
  return out;
}

/** One edit to one 5+-letter word: deletion, insertion, substitution or adjacent transposition. */
export function makeTypo(text, rand) {
  const words = text.split(' ');
  const cands = typoCandidates(text);
  const wi = cands[rand.int(cands.length)];
  const [, pre, letters, post] = words[wi].match(WORD);
  const chars = [...letters];
  const kinds = ['deletion', 'insertion', 'substitution', 'transposition'];
  const kind = kinds[rand.int(4)];
  const lowerLetter = (avoid) => {
    let c;
    do c = LETTERS[rand.int(26)]; while (avoid.includes(c));
    return c;
  };
  let edited;
  switch (kind) {
    case 'deletion': {
      const p = rand.int(chars.length);
      edited = [...chars.slice(0, p), ...chars.slice(p + 1)];
      break;
    }
    case 'insertion': {
      const p = rand.int(chars.length + 1);
      edited = [...chars.slice(0, p), lowerLetter([]), ...chars.slice(p)];
      break;
    }
    case 'substitution': {
      const p = rand.int(chars.length);
      edited = [...chars];
      edited[p] = lowerLetter([chars[p].toLowerCase()]);
      break;
    }
    case 'transposition': {
      // Adjacent pairs of different letters (swapping equal letters changes nothing).
      const pairs = [];
      for (let p = 0; p + 1 < chars.length; p++) {
        if (chars[p].toLowerCase() !== chars[p + 1].toLowerCase()) pairs.push(p);
      }
      const p = pairs[rand.int(pairs.length)];
      edited = [...chars];
      [edited[p], edited[p + 1]] = [edited[p + 1], edited[p]];
      break;
    }
  }
  words[wi] = pre + edited.join('') + post;
  return { typo: words.join(' '), kind, word: letters };
}

const norm = (s) => s.toLowerCase().replace(/\s+/g, ' ').trim();

/**
 * pages: [{path, headings: [{depth, text, anchor}]}] in sorted path order.
 * Returns { eligible, queries: [{id, query, typo, typoKind, typoWord, doc, anchor, anchors}] }.
 */
export function makeQueries(pages, { seed, count }) {
  const pagesOf = new Map(); // normalised heading text → set of pages
  for (const p of pages) {
    for (const h of p.headings) {
      const k = norm(h.text);
      if (!pagesOf.has(k)) pagesOf.set(k, new Set());
      pagesOf.get(k).add(p.path);
    }
  }
  const candidates = [];
  for (const p of pages) {
    const done = new Set();
    for (const h of p.headings) {
      if (h.depth !== 2 && h.depth !== 3) continue;
      const text = h.text.replace(/\s+/g, ' ').trim();
      const k = norm(text);
      if (done.has(k)) continue;
      if (text.split(' ').length < 2 || [...text].length < 8) continue;
      if (pagesOf.get(k).size > 1) continue;
      if (typoCandidates(text).length === 0) continue;
      done.add(k);
      // Every anchor this text has on the page (a heading repeated on its own page).
      const anchors = p.headings.filter((x) => norm(x.text) === k).map((x) => x.anchor);
      candidates.push({ query: text, doc: p.path, anchor: h.anchor, anchors });
    }
  }
  const rand = prng(seed);
  const order = candidates.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = rand.int(i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  const picked = order.slice(0, Math.min(count, order.length));
  const typoRand = prng(seed ^ 0x5eed);
  const queries = picked.map((ci, id) => {
    const c = candidates[ci];
    const t = makeTypo(c.query, typoRand);
    return { id, query: c.query, typo: t.typo, typoKind: t.kind, typoWord: t.word, doc: c.doc, anchor: c.anchor, anchors: c.anchors };
  });
  return { eligible: candidates.length, queries };
}
