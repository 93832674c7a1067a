//! One self-contained HTML file of a site (`build-index build DOCS --single-file FILE.html`):
//! both WebAssembly modules, their JavaScript glue, the CSS, the icon and every data file
//! inlined, so the file works opened from `file://`, copied anywhere, alone in its folder.
//!
//! Files are held as `docatlas_core::inline` defines: the stored (gzip) bytes in base64, each in
//! a `<script type="application/octet-stream">` element the browser never runs. The page's one
//! script is the site's loader (`assets/boot.js`), which imports the glue from `blob:` URLs and
//! decompresses with the browser's `DecompressionStream`; the app's data loading
//! (`docatlas_web::fetch`) reads the data files from the page. The file carries its own
//! Content-Security-Policy, with the hashes of its one script and its one style block.
//!
//! Attachments (`files/…`: images, PDFs) are held raw, not gzipped (their formats are
//! compressed already), with their media type, so the app turns each into a `data:` URL in the
//! page's HTML before it is drawn (`docatlas_core::inline::inline_files`).

use std::fmt::Write as _;
use std::path::Path;

use docatlas_core::inline::{encode_base64, ELEMENT_PREFIX, SINGLE_FILE_ID};
use rayon::prelude::*;

use crate::corpus::markdown::escape;
use crate::pipeline::Compiled;
use crate::site::{app_files, attachments, data_files, Gzip};
use crate::Error;

/// Above this size the build warns: browsers parse a page of a few hundred MB slowly (Chromium
/// took seconds per 100 MB of base64 text) and hold it in memory for as long as it is open.
pub const WARN_BYTES: u64 = 100 * 1024 * 1024;

/// What [`write`] produced.
#[derive(Debug, Clone)]
pub struct SingleFile {
    /// The file's size.
    pub bytes: u64,
    /// The Content-Security-Policy the file carries (and a host serving it needs).
    pub csp: String,
}

/// Writes the single file for `compiled` to `path` (through a temporary file beside it, renamed
/// into place, so a build that stops half-way leaves the earlier file whole).
pub fn write(compiled: &Compiled, docs_root: &Path, path: &Path) -> Result<SingleFile, Error> {
    let (html, csp) = render(compiled, docs_root)?;
    let io = |error| Error::Io {
        path: path.to_path_buf(),
        error,
    };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(io)?;
    }
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".docatlas-tmp");
    std::fs::write(&tmp, html.as_bytes()).map_err(io)?;
    std::fs::rename(&tmp, path).map_err(io)?;
    Ok(SingleFile {
        bytes: html.len() as u64,
        csp,
    })
}

/// The app's files the single file needs, found in the embedded app.
struct App {
    index: String,
    css: String,
    icon: Vec<u8>,
    boot: String,
    search: String,
    app: String,
}

fn app_file(name: &str) -> Option<&'static [u8]> {
    app_files()
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, bytes)| *bytes)
}

fn find_app() -> Result<App, Error> {
    let missing = |what: &str| {
        Error::App(format!(
            "the app compiled into build-index has no {what}; rebuild build-index"
        ))
    };
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    let index = text(app_file("index.html").ok_or_else(|| missing("index.html"))?);
    let attr = |name: &str| {
        let start = index
            .find(&format!("{name}=\""))?
            .checked_add(name.len())?
            .checked_add(2)?;
        let rest = index.get(start..)?;
        rest.get(..rest.find('"')?).map(str::to_string)
    };
    let boot_name = attr("src").filter(|s| s.contains("docatlas-boot-"));
    let boot_name = boot_name.ok_or_else(|| missing("loader script in index.html"))?;
    let boot =
        text(app_file(boot_name.trim_start_matches("./")).ok_or_else(|| missing(&boot_name))?);
    let mut css = String::new();
    for (name, bytes) in app_files() {
        if name.ends_with(".css") {
            css.push_str(&text(bytes));
            css.push('\n');
        }
    }
    Ok(App {
        css,
        icon: app_file("favicon.svg").unwrap_or_default().to_vec(),
        boot,
        search: attr("data-search").ok_or_else(|| missing("search module"))?,
        app: attr("data-app").ok_or_else(|| missing("app module"))?,
        index,
    })
}

/// `'sha256-…'` of `text`, as a CSP source.
fn csp_hash(text: &str) -> String {
    use sha2::Digest as _;
    format!(
        "'sha256-{}'",
        encode_base64(&sha2::Sha256::digest(text.as_bytes()))
    )
}

/// The policy of a single file: its one script and style by hash, the glue from `blob:`, no
/// network at all, and Trusted Types with the app's one policy (`docatlas_web::trusted`).
fn policy(script: &str, style: &str) -> String {
    format!(
        "default-src 'none'; script-src {} blob: 'wasm-unsafe-eval'; style-src {}; img-src data:; \
         connect-src 'none'; base-uri 'none'; form-action 'none'; \
         require-trusted-types-for 'script'; trusted-types docatlas",
        csp_hash(script),
        csp_hash(style)
    )
}

/// The file's text and its policy.
fn render(compiled: &Compiled, docs_root: &Path) -> Result<(String, String), Error> {
    let app = find_app()?;
    let title = escape(&compiled.bundle.site.title);
    let boot = format!("\n{}\n", app.boot);
    let css = format!("\n{}\n", app.css);
    if boot.contains("</script") || css.contains("</style") {
        return Err(Error::App(
            "the app's loader or CSS cannot be inlined (it closes its own tag)".into(),
        ));
    }
    let csp = policy(&boot, &css);
    let lang = if app.index.contains("<html lang=\"en\">") {
        "en"
    } else {
        ""
    };
    let mut html = format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"{csp}\">\n<title>{title}</title>\n\
         <link rel=\"icon\" type=\"image/svg+xml\" href=\"data:image/svg+xml;base64,{}\">\n\
         <style>{css}</style>\n<meta id=\"{SINGLE_FILE_ID}\" name=\"docatlas\" content=\"single-file\">\n\
         </head>\n<body>\n<noscript>docatlas needs JavaScript and WebAssembly to show these docs.</noscript>\n",
        encode_base64(&app.icon),
    );
    for (name, stored) in packed_files(compiled, &app)? {
        let _ = writeln!(
            html,
            "<script type=\"application/octet-stream\" id=\"{ELEMENT_PREFIX}{}\">{}</script>",
            escape(&name),
            encode_base64(&stored)
        );
    }
    for (name, source) in attachments(compiled, docs_root) {
        let bytes = std::fs::read(&source).map_err(|error| Error::Io {
            path: source.clone(),
            error,
        })?;
        let _ = writeln!(
            html,
            "<script type=\"application/octet-stream\" id=\"{ELEMENT_PREFIX}{}\" data-type=\"{}\">{}</script>",
            escape(&name),
            media_type(&name),
            encode_base64(&bytes)
        );
    }
    let _ = write!(
        html,
        "<script data-search=\"{}\" data-app=\"{}\">{boot}</script>\n</body>\n</html>\n",
        escape(&app.search),
        escape(&app.app)
    );
    Ok((html, csp))
}

/// The media type of an attachment, by its extension, for its `data:` URL: what a browser
/// needs to show an image (an unknown type is offered as a download only).
fn media_type(name: &str) -> &'static str {
    let ext = name
        .rsplit_once('.')
        .map_or("", |(_, e)| e)
        .to_ascii_lowercase();
    match ext.as_str() {
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "svg" => "image/svg+xml",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "txt" | "log" => "text/plain",
        "csv" => "text/csv",
        "json" => "application/json",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        _ => "application/octet-stream",
    }
}

/// Every file the page reads, by name, as stored (gzip): the two modules' glue and WebAssembly,
/// and the site's data files, compressed in parallel and kept in site order.
fn packed_files(compiled: &Compiled, app: &App) -> Result<Vec<(String, Vec<u8>)>, Error> {
    let mut files = Vec::new();
    for module in [&app.search, &app.app] {
        let js = format!("{module}.js");
        let wasm = format!("{module}_bg.wasm.gz");
        let missing = |f: &str| {
            Error::App(format!(
                "the app compiled into build-index has no {f}; rebuild build-index"
            ))
        };
        files.push((
            js.clone(),
            Gzip::new().compress(app_file(&js).ok_or_else(|| missing(&js))?),
        ));
        files.push((
            wasm.clone(),
            app_file(&wasm).ok_or_else(|| missing(&wasm))?.to_vec(),
        ));
    }
    let data: Vec<(String, Vec<u8>)> = data_files(compiled)
        .into_par_iter()
        .map_init(Gzip::new, |gz, (name, bytes)| {
            let packed = gz.compress(&bytes);
            (name, packed)
        })
        .collect();
    files.extend(data);
    Ok(files)
}
