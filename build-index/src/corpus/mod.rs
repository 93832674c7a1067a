//! The corpus layer, the bottom of build-index: what every stage reads. Reading and decoding the
//! docs folder's files ([`read`], [`encoding`], [`config`]), front matter ([`frontmatter`]), the
//! parsed pages ([`markdown`], [`read::Page`], [`Corpus`]), link resolution ([`links`]), the
//! site's path layout ([`layout`]) and the diagnostics every stage reports ([`diagnostics`]).
//!
//! Nothing here names a stage (`entities`, `tracks`, `pipeline`), the site writer or the CLI:
//! the stages depend on this layer and on nothing beside it (`tests/layers.rs` checks it).

pub mod cache;
pub mod config;
pub mod diagnostics;
pub mod dialect;
pub mod encoding;
pub mod expand;
pub mod frontmatter;
pub mod layout;
pub mod links;
pub mod markdown;
pub mod paths;
pub(crate) mod read;
pub(crate) mod summary;

use std::collections::{BTreeMap, BTreeSet};

use docatlas_core::Audience;

use self::read::Page;

/// The pages of a build, looked up by path.
pub(crate) struct Corpus<'a> {
    /// Every page read, internal ones included (their links are checked too).
    pub all: BTreeMap<&'a str, &'a Page>,
    /// The pages this build ships: all of them for an internal build, else the public ones.
    pub included: BTreeMap<&'a str, &'a Page>,
    /// The docs folder's other files, which pages may link to.
    pub others: BTreeSet<&'a str>,
    /// Who the build is for.
    pub audience: Audience,
    /// The dialect's link rules and the pages' URLs.
    pub site: links::Sitemap<'a>,
}

impl<'a> Corpus<'a> {
    /// Looks up `pages` (and the docs folder's `others` files) for a build for `audience`.
    pub(crate) fn new(
        pages: &'a [Page],
        others: &'a [String],
        audience: Audience,
        dialect: dialect::Dialect,
    ) -> Self {
        Corpus {
            site: links::Sitemap::new(dialect, pages, others),
            all: pages.iter().map(|p| (p.path.as_str(), p)).collect(),
            included: pages
                .iter()
                .filter(|p| audience == Audience::Internal || !p.internal)
                .map(|p| (p.path.as_str(), p))
                .collect(),
            others: others.iter().map(String::as_str).collect(),
            audience,
        }
    }
}
