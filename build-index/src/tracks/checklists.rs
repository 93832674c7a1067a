//! Checklists: a page's task-list items (`- [ ]`, `- [x]`) grouped under the heading they sit
//! under ("What you'll know after reading"), with ids from the page path and each item's text.

use std::collections::BTreeSet;

use docatlas_core::tracks::{self as core, Checklist, Entry};
use docatlas_core::Doc;

/// A checklist before its page is numbered.
pub(super) struct Found {
    pub path: String,
    title: String,
    anchor: Option<String>,
    items: Vec<Entry>,
}

impl Found {
    pub fn into_checklist(self, page: u32) -> Checklist {
        Checklist {
            id: core::checklist_id(&self.path, self.anchor.as_deref()),
            title: self.title,
            page,
            anchor: self.anchor,
            items: self.items,
        }
    }
}

/// The checklists of every page, in page order, each heading's items together.
pub(super) fn extract(docs: &[Doc]) -> Vec<Found> {
    let mut out = Vec::new();
    for doc in docs.iter().filter(|d| !d.tasks.is_empty()) {
        let first = out.len();
        let mut ids = BTreeSet::new();
        for task in doc.tasks.iter().filter(|t| !t.text.is_empty()) {
            // Two items with the same text on one page: the second gets `-2`, and so on.
            let base = core::entry_id(&doc.path, &task.text);
            let mut id = base.clone();
            let mut n = 1u32;
            while !ids.insert(id.clone()) {
                n = n.saturating_add(1);
                id = format!("{base}-{n}");
            }
            let entry = Entry {
                id,
                text: task.text.clone(),
                done: task.done,
            };
            let list = out
                .get_mut(first..)
                .and_then(|lists: &mut [Found]| lists.iter_mut().find(|l| l.anchor == task.anchor));
            match list {
                Some(l) => l.items.push(entry),
                None => out.push(Found {
                    path: doc.path.clone(),
                    title: heading(doc, task.anchor.as_deref()),
                    anchor: task.anchor.clone(),
                    items: vec![entry],
                }),
            }
        }
    }
    out
}

/// The heading text of the section with `anchor`, or the page title.
fn heading(doc: &Doc, anchor: Option<&str>) -> String {
    anchor
        .and_then(|a| doc.sections.iter().find(|s| s.anchor.as_deref() == Some(a)))
        .map_or_else(|| doc.title.clone(), |s| s.heading.clone())
}

#[cfg(test)]
mod tests {
    use super::*;
    use docatlas_core::{Section, Task};

    fn task(text: &str, done: bool, anchor: Option<&str>) -> Task {
        Task {
            text: text.into(),
            done,
            anchor: anchor.map(String::from),
        }
    }

    #[test]
    fn items_group_under_their_heading_with_stable_distinct_ids() {
        let doc = Doc {
            path: "runbooks/db.md".into(),
            title: "Database".into(),
            sections: vec![Section {
                anchor: Some("checks".into()),
                heading: "Checks".into(),
                ..Section::default()
            }],
            tasks: vec![
                task("Before any heading", false, None),
                task("Look at the pool", true, Some("checks")),
                task("Restart", false, Some("after")),
                task("Look at the pool", false, Some("checks")),
            ],
            ..Doc::default()
        };
        let lists: Vec<Checklist> = extract(&[doc])
            .into_iter()
            .map(|f| f.into_checklist(0))
            .collect();
        let shape: Vec<(&str, &str, usize)> = lists
            .iter()
            .map(|c| (c.id.as_str(), c.title.as_str(), c.items.len()))
            .collect();
        assert_eq!(
            shape,
            [
                ("runbooks/db", "Database", 1),
                ("runbooks/db#checks", "Checks", 2),
                ("runbooks/db#after", "Database", 1),
            ]
        );
        let checks = &lists[1].items;
        assert!(checks[0].done);
        assert_eq!(checks[1].id, format!("{}-2", checks[0].id));
    }
}
