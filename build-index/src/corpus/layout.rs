//! Where things are in a site folder, beyond the data files `docatlas_core::files` names: the
//! linked attachments' folder, and the folder a command means when given a site.

use std::path::Path;

/// Folder (with its trailing `/`) of the site under which the docs' non-Markdown files that pages
/// link to are copied, at their docs-relative paths. Links are rewritten to point there.
pub const FILES_DIR: &str = "files/";

/// Folder (with its trailing `/`) of the site under which the files of a Docusaurus site's
/// static folders that pages link to are copied, at their URL paths (`/img/x.png` is
/// `static/img/x.png`).
pub const STATIC_DIR: &str = docatlas_core::inline::STATIC_PREFIX;

/// The folder of a site given as its folder or its `docatlas.bin`.
pub fn site_dir(site: &Path) -> &Path {
    if site.is_dir() {
        site
    } else {
        site.parent().unwrap_or(site)
    }
}
