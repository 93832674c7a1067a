//! A page's title and HTML read straight from a page file's bytes, without building its
//! [`Doc`](crate::model::Doc)s: what the search-first module draws for a deep link before the
//! app loads. The module's WebAssembly is what a first search waits for, and decoding whole
//! pages (sections, tasks, facets) through serde cost it about 3 KiB gzipped; this walk of the
//! same postcard bytes costs a fraction of that. It follows `Doc`'s field order and types,
//! which `reads_what_serde_decodes` holds against serde's own decoding.

use crate::files::PAGE_MAGIC;
use crate::format::{unwrap, FormatError};

/// The title and sanitised HTML of the page at `path` in a page file (`None`: it holds no such
/// page); the error names what is wrong with the file.
pub fn page_html(bytes: &[u8], path: &str) -> Result<Option<(String, String)>, FormatError> {
    let payload = unwrap(PAGE_MAGIC, bytes)?;
    let mut w = Walk { b: payload, at: 0 };
    find(&mut w, path).ok_or_else(|| FormatError::Payload("a page does not decode".into()))
}

fn find(w: &mut Walk, path: &str) -> Option<Option<(String, String)>> {
    for _ in 0..w.varint()? {
        let this = w.str()?;
        let title = w.str()?;
        w.str()?; // summary
        w.opt_str()?; // kind
        w.opt_str()?; // lang
        w.byte()?; // internal
        w.varint()?; // read_minutes
        w.each(|w| w.str().map(drop))?; // tags
        w.each(|w| w.str().and_then(|_| w.str()).map(drop))?; // facets: key, value
        w.each(|w| {
            // sections: anchor, heading, level, text, code, defines, hash
            w.opt_str()?;
            w.str()?;
            w.byte()?;
            w.str()?;
            w.str()?;
            w.each(|w| w.str().map(drop))?;
            w.varint().map(drop)
        })?;
        w.each(|w| w.str().and_then(|_| w.byte()).and_then(|_| w.opt_str()))?; // tasks
        let html = w.str()?;
        if this == path {
            return Some(Some((title.to_string(), html.to_string())));
        }
    }
    Some(None)
}

/// A cursor over postcard bytes: varints (LEB128), length-prefixed strings, 0/1-tagged options.
struct Walk<'a> {
    b: &'a [u8],
    at: usize,
}

impl<'a> Walk<'a> {
    fn byte(&mut self) -> Option<u8> {
        let b = *self.b.get(self.at)?;
        self.at = self.at.checked_add(1)?;
        Some(b)
    }

    fn varint(&mut self) -> Option<u64> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            v |= u64::from(b & 0x7f).checked_shl(shift)?;
            if b & 0x80 == 0 {
                return Some(v);
            }
        }
        None
    }

    fn str(&mut self) -> Option<&'a str> {
        let n = usize::try_from(self.varint()?).ok()?;
        let end = self.at.checked_add(n)?;
        let s = std::str::from_utf8(self.b.get(self.at..end)?).ok()?;
        self.at = end;
        Some(s)
    }

    fn opt_str(&mut self) -> Option<()> {
        match self.byte()? {
            0 => Some(()),
            1 => self.str().map(drop),
            _ => None,
        }
    }

    /// A sequence: its length, then `f` for each element.
    fn each(&mut self, f: impl Fn(&mut Self) -> Option<()>) -> Option<()> {
        for _ in 0..self.varint()? {
            f(self)?;
        }
        Some(())
    }
}

#[cfg(test)]
mod tests {
    use super::page_html;
    use crate::files::PAGE_MAGIC;
    use crate::format::encode_payload;
    use crate::model::{Doc, Facet, Section, Task};

    fn doc(path: &str, long: bool) -> Doc {
        let s = |x: &str| if long { x.repeat(40) } else { x.to_string() };
        Doc {
            path: path.into(),
            title: format!("Title of {path} ✓"),
            summary: s("summary "),
            kind: long.then(|| "runbook".into()),
            lang: Some("de".into()),
            internal: long,
            read_minutes: if long { 300 } else { 1 },
            tags: vec![s("a"), "b".into()],
            facets: vec![Facet {
                key: "owner".into(),
                value: s("team-x"),
            }],
            sections: vec![
                Section::default(),
                Section {
                    anchor: Some("h".into()),
                    heading: s("Heading"),
                    level: 2,
                    text: s("text "),
                    code: s("code"),
                    defines: vec!["x".into()],
                    hash: u32::MAX,
                },
            ],
            tasks: vec![Task {
                text: s("do it"),
                done: true,
                anchor: None,
            }],
            html: format!("<h1>{path}</h1>{}", s("<p>body</p>")),
        }
    }

    #[test]
    fn reads_what_serde_decodes() {
        let docs = vec![doc("a.md", true), doc("b/c.md", false), doc("d.md", true)];
        let bytes = encode_payload(PAGE_MAGIC, &docs);
        for d in &docs {
            assert_eq!(
                page_html(&bytes, &d.path).unwrap(),
                Some((d.title.clone(), d.html.clone()))
            );
        }
        assert_eq!(page_html(&bytes, "nope.md").unwrap(), None);
        let mut cut = bytes.clone();
        cut.truncate(bytes.len() - 5);
        assert!(page_html(&cut, "d.md").is_err());
    }
}
