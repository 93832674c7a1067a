//! Definitions (functions, methods, classes) by file and by name: where a symbol a `file:line`
//! reference names is now.

use std::collections::HashMap;

use crate::facts::{Def, FileFacts};
use crate::walk::SourceFile;

/// Every parsed file's definitions.
#[derive(Debug, Clone, Default)]
pub(crate) struct SymbolIndex {
    by_file: HashMap<(usize, String), Vec<Def>>,
    by_name: HashMap<String, Vec<(usize, String, Def)>>,
}

impl SymbolIndex {
    /// Indexes the definitions of `files`.
    pub(crate) fn build(files: &[(SourceFile, FileFacts)]) -> Self {
        let mut ix = SymbolIndex::default();
        for (src, facts) in files {
            let mut defs = facts.defs.clone();
            defs.sort();
            defs.dedup();
            for d in &defs {
                ix.by_name.entry(d.name.clone()).or_default().push((
                    src.root,
                    src.rel.clone(),
                    d.clone(),
                ));
            }
            ix.by_file.insert((src.root, src.rel.clone()), defs);
        }
        ix
    }

    /// The definitions of one parsed file; `None` for a file that was not parsed.
    pub(crate) fn in_file(&self, root: usize, rel: &str) -> Option<&[Def]> {
        self.by_file
            .get(&(root, rel.to_string()))
            .map(Vec::as_slice)
    }

    /// Every definition of `name`, in file order.
    pub(crate) fn named(&self, name: &str) -> &[(usize, String, Def)] {
        self.by_name.get(name).map_or(&[], Vec::as_slice)
    }
}
