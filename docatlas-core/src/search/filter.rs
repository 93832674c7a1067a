//! `key:value` filters on page metadata, and facet counts over the matching pages.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::phrase::has_phrase;
use crate::files::{FacetField, FacetTable, FacetValue};
use crate::query::Filter;
use crate::sort;
use crate::text::{fold, words};

/// A facet value and how many matching pages have it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FacetCount {
    /// `kind`, `tag`, `lang`, or a front matter key (lower case).
    pub key: String,
    /// The value.
    pub value: String,
    /// Matching pages with this value.
    pub count: usize,
}

/// The values of page `doc`.
fn values_of(table: &FacetTable, doc: u32) -> impl Iterator<Item = &FacetValue> {
    table
        .docs
        .get(usize::try_from(doc).unwrap_or(usize::MAX))
        .into_iter()
        .flatten()
        .filter_map(|&id| table.values.get(usize::try_from(id).ok()?))
}

/// Whether page `doc` passes a metadata filter (any but `title:`, which the index answers).
pub fn metadata_holds(table: &FacetTable, doc: u32, f: &Filter) -> bool {
    let want = fold(f.value.trim());
    let want_words = words(&f.value);
    let eq = |v: &str| fold(v.trim()) == want;
    let holds = values_of(table, doc).any(|v| match (v.field, f.key.as_str()) {
        (FacetField::Tag, "tag") | (FacetField::Kind, "kind") => eq(&v.value),
        (FacetField::Lang, "lang") => eq(&v.value) || v.value.split('-').next().is_some_and(eq),
        (FacetField::Front { .. }, key) if !matches!(key, "tag" | "kind" | "lang") => {
            v.key.eq_ignore_ascii_case(key)
                && (eq(&v.value) || v.value.split(',').any(eq) || has_phrase(&v.value, &want_words))
        }
        _ => false,
    });
    holds != f.negated
}

/// Facet values among `matching` pages, with counts, in [`FacetField::rank`] order (kinds,
/// languages, front matter keys offered as chips, tags) and within each the most common first.
pub fn facet_counts(table: &FacetTable, matching: impl Iterator<Item = u32>) -> Vec<FacetCount> {
    let mut counts: BTreeMap<u32, usize> = BTreeMap::new();
    for d in matching {
        for &id in table
            .docs
            .get(usize::try_from(d).unwrap_or(usize::MAX))
            .into_iter()
            .flatten()
        {
            let e = counts.entry(id).or_default();
            *e = e.saturating_add(1);
        }
    }
    let mut out: Vec<(FacetField, FacetCount)> = counts
        .into_iter()
        .filter_map(|(id, count)| {
            let v = table.values.get(usize::try_from(id).ok()?)?;
            if v.field == (FacetField::Front { chip: false }) {
                return None;
            }
            let field = match v.field {
                FacetField::Front { .. } => FacetField::Front { chip: true },
                f => f,
            };
            Some((
                field,
                FacetCount {
                    key: v.key.to_lowercase(),
                    value: v.value.clone(),
                    count,
                },
            ))
        })
        .collect();
    sort::sort_by(&mut out, &mut |a, b| {
        a.0.rank()
            .cmp(&b.0.rank())
            .then(b.1.count.cmp(&a.1.count))
            .then(a.1.key.cmp(&b.1.key))
            .then(a.1.value.cmp(&b.1.value))
    });
    out.into_iter().map(|(_, f)| f).collect()
}
