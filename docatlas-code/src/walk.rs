//! Walking the code roots: `.gitignore` respected (inside a git repository or not), dependency
//! and build folders skipped, tests skipped unless asked for, every file listed in sorted order.

use std::path::{Path, PathBuf};

use crate::lang::Lang;

/// Folders that hold dependencies, build outputs or caches, never a project's own routes.
const SKIPPED_DIRS: &[&str] = &[
    "node_modules",
    "bower_components",
    "jspm_packages",
    "vendor",
    "third_party",
    "dist",
    "build",
    "out",
    "target",
    "coverage",
    "__pycache__",
    "site-packages",
    "venv",
    ".venv",
    ".tox",
    ".next",
    ".nuxt",
    ".svelte-kit",
    ".gradle",
];

/// Folders that hold tests (whose apps and mocks define routes nobody serves).
const TEST_DIRS: &[&str] = &[
    "test",
    "tests",
    "__tests__",
    "__mocks__",
    "testdata",
    "e2e",
    "integration-tests",
    "fixtures",
];

/// A source file to parse.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct SourceFile {
    /// Index of its root.
    pub root: usize,
    /// Path inside the root, `/`-separated.
    pub rel: String,
    pub lang: Lang,
}

/// Every file under the roots, sources or not, for `file:line` reference checks.
#[derive(Debug, Clone, Default)]
pub(crate) struct FileSet {
    /// The roots as given (display form, `/`-separated, no trailing slash).
    pub roots: Vec<String>,
    /// The roots as paths on disk.
    pub dirs: Vec<PathBuf>,
    /// `(root, path inside it)`, sorted.
    pub files: Vec<(usize, String)>,
    /// The texts, for sources given in memory ([`crate::extract_sources`]): nothing is read
    /// from disk then.
    pub memory: Option<std::collections::HashMap<String, String>>,
}

impl FileSet {
    /// The display path of a file: its root as given joined with its path inside.
    pub(crate) fn display(&self, root: usize, rel: &str) -> String {
        match self.roots.get(root).map(String::as_str) {
            None | Some("" | ".") => rel.to_string(),
            Some(r) => format!("{r}/{rel}"),
        }
    }

    /// A file's text (lossily decoded), from memory or disk; `None` if it cannot be read.
    pub(crate) fn read(&self, root: usize, rel: &str) -> Option<String> {
        match &self.memory {
            Some(m) => m.get(rel).cloned(),
            None => std::fs::read(self.disk(root, rel))
                .ok()
                .map(|b| String::from_utf8_lossy(&b).into_owned()),
        }
    }

    /// The file on disk.
    pub(crate) fn disk(&self, root: usize, rel: &str) -> PathBuf {
        self.dirs
            .get(root)
            .map_or_else(|| PathBuf::from(rel), |d| d.join(rel))
    }

    /// The files a reference to `path` (relative to some repository root) may mean: the path
    /// itself under a root, or a file whose path inside its root is a whole-segment suffix of
    /// it (a reference `services/api/src/x.ts` with the root `services/api`), longest first.
    pub(crate) fn find(&self, path: &str) -> Vec<(usize, String)> {
        let path = path.trim_start_matches("./").trim_start_matches('/');
        let mut found: Vec<(usize, String)> = self
            .files
            .iter()
            .filter(|(_, rel)| {
                rel == path
                    || path
                        .strip_suffix(rel.as_str())
                        .is_some_and(|head| head.ends_with('/'))
                    || rel
                        .strip_suffix(path)
                        .is_some_and(|head| head.ends_with('/'))
            })
            .cloned()
            .collect();
        // The closest spelling first: the same path, then the longest shared suffix.
        found.sort_by_key(|(root, rel)| (rel != path, std::cmp::Reverse(rel.len()), *root));
        found
    }
}

/// Why a walk failed.
#[derive(Debug, thiserror::Error)]
pub enum WalkError {
    /// A code root that is not a readable directory.
    #[error(
        "code root {path}: {source} (pass a directory that holds the code, e.g. --code ./services)"
    )]
    Root {
        /// The root as given.
        path: String,
        /// Why.
        source: std::io::Error,
    },
}

/// Lists every file under `roots`; `tests` keeps test files and folders.
pub(crate) fn walk(
    roots: &[PathBuf],
    tests: bool,
) -> Result<(FileSet, Vec<SourceFile>), WalkError> {
    let mut set = FileSet::default();
    let mut sources = Vec::new();
    for (i, root) in roots.iter().enumerate() {
        let shown = root.to_string_lossy().replace('\\', "/");
        let shown = shown.trim_end_matches('/').to_string();
        match std::fs::metadata(root) {
            Ok(m) if m.is_dir() => {}
            Ok(_) => {
                return Err(WalkError::Root {
                    path: shown,
                    source: std::io::Error::other("not a directory"),
                })
            }
            Err(source) => {
                return Err(WalkError::Root {
                    path: shown,
                    source,
                })
            }
        }
        set.roots.push(shown);
        set.dirs.push(root.clone());
        let walker = ignore::WalkBuilder::new(root)
            .hidden(true)
            .git_ignore(true)
            .git_exclude(true)
            .require_git(false)
            .follow_links(false)
            .sort_by_file_name(|a, b| a.cmp(b))
            .filter_entry(move |e| {
                let is_dir = e.file_type().is_some_and(|t| t.is_dir());
                let name = e.file_name().to_string_lossy();
                !(is_dir
                    && e.depth() > 0
                    && (SKIPPED_DIRS.contains(&name.as_ref())
                        || (!tests && TEST_DIRS.contains(&name.as_ref()))))
            })
            .build();
        for entry in walker.flatten() {
            if !entry.file_type().is_some_and(|t| t.is_file()) {
                continue;
            }
            let Ok(rel) = entry.path().strip_prefix(root) else {
                continue;
            };
            let rel = rel_string(rel);
            if let Some(lang) = Lang::of(&rel) {
                if tests || !is_test_file(&rel) {
                    sources.push(SourceFile {
                        root: i,
                        rel: rel.clone(),
                        lang,
                    });
                }
            }
            set.files.push((i, rel));
        }
    }
    set.files.sort();
    sources.sort();
    Ok((set, sources))
}

fn rel_string(p: &Path) -> String {
    p.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Test sources by name: `x.test.ts`, `x.spec.js`, `x_test.go`, `test_x.py`, `x_test.py`,
/// `conftest.py`, `XTest.java`, `XTests.java`, `XIT.java`.
pub(crate) fn is_test_file(rel: &str) -> bool {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    let stem = name.split('.').next().unwrap_or(name);
    name.contains(".test.")
        || name.contains(".spec.")
        || name.contains(".e2e-spec.")
        || name.ends_with("_test.go")
        || (name.ends_with(".py")
            && (stem.starts_with("test_") || stem.ends_with("_test") || stem == "conftest"))
        || (name.ends_with(".java")
            && (stem.ends_with("Test") || stem.ends_with("Tests") || stem.ends_with("IT")))
        || rel.split('/').any(|seg| TEST_DIRS.contains(&seg))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_files_by_name() {
        for t in [
            "src/users.test.ts",
            "src/users.spec.js",
            "app/e2e/x.e2e-spec.ts",
            "pkg/users_test.go",
            "app/test_users.py",
            "app/users_test.py",
            "conftest.py",
            "src/test/java/a/UsersControllerTest.java",
            "src/__tests__/a.js",
        ] {
            assert!(is_test_file(t), "{t}");
        }
        for t in [
            "src/users.ts",
            "pkg/users.go",
            "app/testing_utils.py",
            "src/latest.ts",
            "src/Contest.java",
        ] {
            assert!(!is_test_file(t), "{t}");
        }
    }

    #[test]
    fn references_find_files_by_suffix() {
        let set = FileSet {
            roots: vec!["../api".into()],
            dirs: vec![PathBuf::from("../api")],
            files: vec![(0, "src/users.ts".into()), (0, "users.ts".into())],
            memory: None,
        };
        assert_eq!(set.find("src/users.ts")[0], (0, "src/users.ts".into()));
        assert_eq!(
            set.find("services/api/src/users.ts")[0],
            (0, "src/users.ts".into())
        );
        assert!(set.find("src/xusers.ts").is_empty());
        assert_eq!(set.display(0, "src/users.ts"), "../api/src/users.ts");
    }
}
