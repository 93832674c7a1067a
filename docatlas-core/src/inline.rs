//! How a single-file site (`build-index build --single-file`) holds its files: each file's stored
//! bytes (gzip-compressed, as on disk) in base64, as the text of a
//! `<script type="application/octet-stream">` element whose `id` is [`ELEMENT_PREFIX`] and the
//! file's site path. The page marks itself with an element of id [`SINGLE_FILE_ID`]. Written by
//! build-index, read by the browser (`docatlas_web::fetch`, and the page's loader for the
//! WebAssembly), defined here once.

/// The `id` of the element that marks a single-file page.
pub const SINGLE_FILE_ID: &str = "docatlas-single";

/// The start of an inlined file's element `id`; the file's site path follows
/// (`docatlas-file:index/0003.bin`).
pub const ELEMENT_PREFIX: &str = "docatlas-file:";

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard base64 with padding (what the browser's `atob` reads).
pub fn encode_base64(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3).saturating_mul(4));
    for chunk in bytes.chunks(3) {
        let b = |i: usize| u32::from(chunk.get(i).copied().unwrap_or(0));
        let n = (b(0) << 16) | (b(1) << 8) | b(2);
        let digit = |shift: u32| {
            char::from(
                ALPHABET
                    .get(((n >> shift) & 63) as usize)
                    .copied()
                    .unwrap_or(b'A'),
            )
        };
        out.push(digit(18));
        out.push(digit(12));
        out.push(if chunk.len() > 1 { digit(6) } else { '=' });
        out.push(if chunk.len() > 2 { digit(0) } else { '=' });
    }
    out
}

fn value(c: u8) -> Option<u32> {
    Some(u32::from(match c {
        b'A'..=b'Z' => c.wrapping_sub(b'A'),
        b'a'..=b'z' => c.wrapping_sub(b'a').wrapping_add(26),
        b'0'..=b'9' => c.wrapping_sub(b'0').wrapping_add(52),
        b'+' => 62,
        b'/' => 63,
        _ => return None,
    }))
}

/// The bytes of [`encode_base64`]'s text; whitespace is skipped, anything else that is not
/// base64 is an error naming its offset.
pub fn decode_base64(text: &str) -> Result<Vec<u8>, String> {
    let mut out = Vec::with_capacity((text.len() / 4).saturating_mul(3));
    let (mut acc, mut bits) = (0u32, 0u32);
    for (at, c) in text.bytes().enumerate() {
        if c.is_ascii_whitespace() {
            continue;
        }
        if c == b'=' {
            break;
        }
        let v = value(c).ok_or_else(|| format!("byte {at} is not base64"))?;
        acc = (acc << 6) | v;
        bits = bits.saturating_add(6);
        if bits >= 8 {
            bits = bits.saturating_sub(8);
            out.push(((acc >> bits) & 0xff) as u8);
            acc &= !u32::MAX.wrapping_shl(bits);
        }
    }
    Ok(out)
}

/// Where a page's attachments (images, PDFs) are, relative to the site: its HTML names them
/// `files/<path>`. A single file holds each one raw (already compressed formats), base64, in an
/// element of `id` [`ELEMENT_PREFIX`] + site path that says its type in `data-type`.
pub const FILES_PREFIX: &str = "files/";

/// Where the files a Docusaurus site serves at its root (`static/img/x.png`, linked as
/// `/img/x.png`) are, relative to the site: held and inlined as [`FILES_PREFIX`]'s are.
pub const STATIC_PREFIX: &str = "static/";

/// The next `="files/` or `="static/` of `html`: where it starts.
fn next_attachment(html: &str) -> Option<usize> {
    const NEEDLES: [&str; 2] = ["=\"files/", "=\"static/"];
    NEEDLES.iter().filter_map(|n| html.find(n)).min()
}

/// `html` with each `src="files/…"` and `href="files/…"` (and `static/…`) replaced by the `data:` URL that
/// `data_url` gives for the file's site path (`&amp;` and percent-escapes undone, any `#…`
/// dropped): a single file's policy allows no request, and an `<img>` starts loading as soon
/// as its HTML is parsed, so the URL has to be rewritten in the text. A link also gets
/// `download`, as browsers refuse to open a `data:` URL in a tab. What `data_url` has no URL
/// for stays as it is.
pub fn inline_files(html: &str, mut data_url: impl FnMut(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some((before, after)) = next_attachment(rest).map(|at| rest.split_at(at)) {
        let value = after.get(2..).unwrap_or("");
        let Some((value, tail)) = value.split_once('"') else {
            break;
        };
        out.push_str(before);
        let link = before.ends_with(" href");
        let path = value
            .split('#')
            .next()
            .unwrap_or(value)
            .replace("&amp;", "&");
        let path = crate::text::percent_decode(&path);
        match (link || before.ends_with(" src"))
            .then(|| data_url(&path))
            .flatten()
        {
            Some(url) => {
                out.push_str("=\"");
                out.push_str(&url);
                out.push('"');
                if link {
                    let name = path.rsplit('/').next().unwrap_or("");
                    out.push_str(" download=\"");
                    out.push_str(&crate::text::escape(name));
                    out.push('"');
                }
            }
            None => {
                out.push_str("=\"");
                out.push_str(value);
                out.push('"');
            }
        }
        rest = tail;
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attachments_become_data_urls_and_links_downloads() {
        let html = "<p><img src=\"files/img/a%20b.png\" alt=\"x\"> <a href=\"files/r&amp;d.pdf#page=2\">spec</a> \
                    <a href=\"files/gone.zip\">gone</a> <a title=\"files/x.png\">t</a> <a href=\"#/doc/x.md\">p</a> \
                    <img src=\"static/img/logo.svg\"></p>";
        let mut asked = Vec::new();
        let out = inline_files(html, |path| {
            asked.push(path.to_string());
            (path != "files/gone.zip").then(|| format!("data:t;base64,{}", path.len()))
        });
        assert_eq!(
            asked,
            [
                "files/img/a b.png",
                "files/r&d.pdf",
                "files/gone.zip",
                "static/img/logo.svg"
            ]
        );
        assert_eq!(
            out,
            "<p><img src=\"data:t;base64,17\" alt=\"x\"> <a href=\"data:t;base64,13\" download=\"r&amp;d.pdf\">spec</a> \
             <a href=\"files/gone.zip\">gone</a> <a title=\"files/x.png\">t</a> <a href=\"#/doc/x.md\">p</a> \
             <img src=\"data:t;base64,19\"></p>"
        );
        assert_eq!(
            inline_files("<img src=\"files/x", |_| None),
            "<img src=\"files/x"
        );
    }

    #[test]
    fn base64_round_trips_every_length_and_byte() {
        let bytes: Vec<u8> = (0..=255u8).chain((0..=255u8).rev()).collect();
        for len in 0..bytes.len() {
            let text = encode_base64(&bytes[..len]);
            assert_eq!(text.len() % 4, 0);
            assert_eq!(decode_base64(&text).unwrap(), &bytes[..len], "length {len}");
        }
    }

    #[test]
    fn base64_matches_the_standard_and_says_where_it_breaks() {
        assert_eq!(encode_base64(b"docatlas"), "ZG9jYXRsYXM=");
        assert_eq!(encode_base64(b"ok?"), "b2s/");
        assert_eq!(decode_base64("ZG9j\nYXRs YXM=").unwrap(), b"docatlas");
        assert_eq!(decode_base64("ZG9*").unwrap_err(), "byte 3 is not base64");
    }
}
