//! The code inventory as a whole: the routes, events and what could not be resolved, with the
//! files and definitions under the roots that `file:line` references are checked against.

use serde::Serialize;

use crate::model::{Event, Framework, Route, Skipped, Unresolved};

/// Everything extracted from the code roots.
#[derive(Debug, Clone, Default, Serialize)]
pub struct CodeInventory {
    /// The code roots, as given.
    pub roots: Vec<String>,
    /// Source files parsed.
    pub files_parsed: usize,
    /// Routes, sorted by place.
    pub routes: Vec<Route>,
    /// Events, sorted by place.
    pub events: Vec<Event>,
    /// What could not be resolved, sorted by place.
    pub unresolved: Vec<Unresolved>,
    /// Source files not parsed (too large, unreadable), with why.
    pub skipped: Vec<Skipped>,
    /// Every file under the roots (sources or not), for checking `file:line` references.
    #[serde(skip)]
    pub(crate) files: crate::walk::FileSet,
    /// Definitions (functions, methods, classes) of every parsed file.
    #[serde(skip)]
    pub(crate) symbols: crate::symbols::SymbolIndex,
}

impl CodeInventory {
    /// How many routes each framework defines, by framework order.
    pub fn routes_per_framework(&self) -> Vec<(Framework, usize)> {
        count(self.routes.iter().map(|r| r.framework))
    }

    /// How many events each framework defines, by framework order.
    pub fn events_per_framework(&self) -> Vec<(Framework, usize)> {
        count(self.events.iter().map(|e| e.framework))
    }
}

fn count(it: impl Iterator<Item = Framework>) -> Vec<(Framework, usize)> {
    let mut m = std::collections::BTreeMap::new();
    for f in it {
        let n: &mut usize = m.entry(f).or_default();
        *n = n.saturating_add(1);
    }
    m.into_iter().collect()
}
