//! `docatlas.toml`: optional settings at the root of the docs folder.

use std::path::Path;

use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::Deserialize;

use crate::Error;

/// The config file's name, looked up in the docs root.
pub const CONFIG_FILE: &str = "docatlas.toml";

/// Settings from `docatlas.toml`; every key is optional.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Site title shown in the app header and the browser tab.
    pub title: Option<String>,
    /// Names the site's reading progress in readers' browsers (a localStorage key), so two
    /// portals on one origin never share it. Default: made from the title. Set it once and
    /// keep it: changing it (or, without it, the title) starts readers' progress afresh.
    pub id: Option<String>,
    /// URL template for code references, with `{path}` and `{line}`:
    /// `https://git.example.com/org/repo/blob/main/{path}#L{line}`.
    pub repo_url: Option<String>,
    /// Globs (relative to the docs root) of files to read; default: every Markdown file.
    #[serde(default)]
    pub include: Vec<String>,
    /// Globs of files to skip, applied after `include`.
    #[serde(default)]
    pub exclude: Vec<String>,
    /// `[code]`: the code whose routes and socket events the docs' inventory is checked against
    /// (`build-index check`, `build`, `serve --watch`).
    #[serde(default)]
    pub code: CodeConfig,
    /// Whose conventions the docs follow: `mdbook`, `mkdocs`, `docusaurus` or `plain`.
    /// Default: found from `book.toml`, `mkdocs.yml` or `docusaurus.config.*` beside or
    /// above the docs folder.
    pub dialect: Option<String>,
}

/// The `[code]` table of `docatlas.toml`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CodeConfig {
    /// Code folders, relative to the docs root (`["../services"]`). `--code` on the command line
    /// replaces them.
    #[serde(default)]
    pub roots: Vec<String>,
    /// Deliberate exceptions: `"GET /healthz"`, `"/metrics"` (any method), `"GET /internal/**"`
    /// (everything below), `"events: ping"`, `"events: debug:*"`.
    #[serde(default)]
    pub ignore: Vec<toml::Spanned<String>>,
    /// Read test files and folders too (`*.test.ts`, `tests/`...); off by default, since test
    /// apps define routes nobody serves.
    #[serde(default)]
    pub include_tests: bool,
}

/// A loaded config with its globs compiled.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The settings as written.
    pub config: Config,
    /// Each `[code] ignore` entry with its 1-based line and column in `docatlas.toml`, so a rule
    /// that is malformed or matches nothing is reported where it is written.
    pub code_ignore: Vec<(String, usize, usize)>,
    /// `dialect`, read.
    pub tool: Option<super::dialect::Tool>,
    include: Option<GlobSet>,
    exclude: GlobSet,
}

impl Loaded {
    /// Whether a docs-relative path passes the include and exclude globs.
    pub fn wants(&self, rel: &str) -> bool {
        self.include.as_ref().is_none_or(|g| g.is_match(rel)) && !self.exclude.is_match(rel)
    }
}

/// Said after a config error: every key the file may hold.
const VALID_KEYS: &str =
    "valid keys are title, id, repo_url, include, exclude, dialect, and in [code]: roots, ignore, include_tests";

/// Reads `docatlas.toml` from `root`, or defaults when there is none.
pub fn load(root: &Path) -> Result<Loaded, Error> {
    let path = root.join(CONFIG_FILE);
    let mut code_ignore = Vec::new();
    let config = match std::fs::read_to_string(&path) {
        Ok(text) => {
            let config = toml::from_str::<Config>(&text).map_err(|e| {
                let (line, col) = e.span().map_or((1, 1), |s| {
                    crate::corpus::diagnostics::LineIndex::new(&text).line_col(&text, s.start)
                });
                Error::Config {
                    path: path.clone(),
                    line,
                    col,
                    message: format!("{}; {VALID_KEYS}", e.message()),
                }
            })?;
            let lines = crate::corpus::diagnostics::LineIndex::new(&text);
            for rule in &config.code.ignore {
                let (line, col) = lines.line_col(&text, rule.span().start);
                code_ignore.push((rule.get_ref().clone(), line, col));
            }
            config
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Config::default(),
        Err(error) => return Err(Error::Io { path, error }),
    };
    let globs = |list: &[String], key: &str| -> Result<GlobSet, Error> {
        let mut b = GlobSetBuilder::new();
        for g in list {
            b.add(Glob::new(g).map_err(|e| Error::Config {
                path: path.clone(),
                line: 1,
                col: 1,
                message: format!("bad glob `{g}` in `{key}`: {e}"),
            })?);
        }
        b.build().map_err(|e| Error::Config {
            path: path.clone(),
            line: 1,
            col: 1,
            message: e.to_string(),
        })
    };
    let include = if config.include.is_empty() {
        None
    } else {
        Some(globs(&config.include, "include")?)
    };
    let exclude = globs(&config.exclude, "exclude")?;
    let tool = match config.dialect.as_deref() {
        None => None,
        Some(name) => Some(super::dialect::Tool::parse(name).ok_or_else(|| Error::Config {
            path: path.clone(),
            line: 1,
            col: 1,
            message: format!(
                "unknown dialect `{name}`; write one of mdbook, mkdocs, docusaurus, plain (or leave it out to detect it)"
            ),
        })?),
    };
    Ok(Loaded {
        config,
        code_ignore,
        tool,
        include,
        exclude,
    })
}
