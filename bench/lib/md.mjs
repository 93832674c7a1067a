// Markdown → headings (with GitHub-style anchors) and → HTML for Pagefind, both from one
// `marked` parse, so the queries' expected sections and the HTML ids agree.
//
// Anchors follow docatlas' rule (build-index/src/markdown.rs): the heading's plain text (text and
// inline code, no HTML), lower-cased, letters/digits/`-`/`_` kept, whitespace to `-`, other
// punctuation dropped; an explicit `{#id}` wins; duplicates get -1, -2, …; empty → `section`.

import { Marked } from 'marked';

const ENTITIES = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

export function decodeEntities(s) {
  return s.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (m, e) => {
    if (e[0] === '#') {
      const n = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return Number.isFinite(n) ? String.fromCodePoint(n) : m;
    }
    return ENTITIES[e.toLowerCase()] ?? m;
  });
}

export function slug(text) {
  let out = '';
  for (const c of text.trim()) {
    if (/[\p{Alphabetic}\p{N}_-]/u.test(c)) out += c.toLowerCase();
    else if (/\s/u.test(c)) out += '-';
  }
  return out;
}

/** Plain text of inline tokens: text and code, no HTML tags (as docatlas reads a heading). */
export function inlineText(tokens) {
  let out = '';
  for (const t of tokens ?? []) {
    switch (t.type) {
      case 'text':
        out += t.tokens?.length ? inlineText(t.tokens) : decodeEntities(t.text);
        break;
      case 'escape':
        out += t.text;
        break;
      case 'codespan':
        out += decodeEntities(t.text);
        break;
      case 'html':
        break;
      case 'br':
        out += ' ';
        break;
      case 'image':
        out += t.text;
        break;
      default:
        out += t.tokens ? inlineText(t.tokens) : decodeEntities(t.text ?? '');
    }
  }
  return out;
}

const ATTRS = /\s*\{#([^\s}]+)[^}]*\}\s*$/;

function makeMarked() {
  const marked = new Marked({ gfm: true });
  marked.use({
    renderer: {
      heading(token) {
        const inner = this.parser.parseInline(token.tokens);
        return `<h${token.depth} id="${token.anchor}">${inner}</h${token.depth}>\n`;
      },
    },
  });
  return marked;
}

const MARKED = makeMarked();

/**
 * Parses one page. Returns { title, headings: [{depth, text, anchor}], html } where html is the
 * body with heading ids (the first `#` heading, which becomes the page's <h1>, left out).
 */
export function parsePage(src, fallbackTitle) {
  const tokens = MARKED.lexer(src);
  const seen = new Set();
  const headings = [];
  MARKED.walkTokens(tokens, (t) => {
    if (t.type !== 'heading') return;
    let explicit = null;
    const last = t.tokens?.[t.tokens.length - 1];
    if (last && last.type === 'text' && ATTRS.test(last.text)) {
      explicit = last.text.match(ATTRS)[1];
      last.text = last.text.replace(ATTRS, '');
      last.raw = last.text;
      if (last.tokens) last.tokens = undefined;
    }
    const text = inlineText(t.tokens).replace(/\s+/g, ' ').trim();
    const base = explicit ?? (slug(text) || 'section');
    let anchor = base;
    for (let n = 1; seen.has(anchor); n++) anchor = `${base}-${n}`;
    seen.add(anchor);
    t.anchor = anchor;
    headings.push({ depth: t.depth, text, anchor });
  });
  const h1Index = tokens.findIndex((t) => t.type === 'heading' && t.depth === 1);
  const h1 = h1Index >= 0 ? tokens[h1Index] : null;
  const title = (h1 && inlineText(h1.tokens).replace(/\s+/g, ' ').trim()) || fallbackTitle;
  return {
    title,
    titleAnchor: h1?.anchor ?? null,
    headings,
    render() {
      const body = h1Index >= 0 ? tokens.filter((_, i) => i !== h1Index) : tokens;
      body.links = tokens.links;
      return MARKED.parser(body);
    },
  };
}

export function escapeHtml(s) {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
}

/** A standalone HTML page for Pagefind: title in <h1>, content in <main data-pagefind-body>. */
export function htmlPage(page) {
  const id = page.titleAnchor ? ` id="${escapeHtml(page.titleAnchor)}"` : '';
  return `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>${escapeHtml(page.title)}</title></head>
<body>
<main data-pagefind-body>
<h1${id}>${escapeHtml(page.title)}</h1>
${page.render()}</main>
</body>
</html>
`;
}
