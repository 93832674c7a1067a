//! Facts pages state about themselves and by their links: a runbook (under `runbooks/` or
//! `kind: runbook`) is an entity that covers the services its front matter (`service`,
//! `services`) names, those its title or a heading names as a whole name, and those whose page
//! or section it links to; an ADR is an entity with a status that mentions what its
//! front matter names; any other page's `service`, `services`, `feature`, `features` and
//! `owner` keys, and its links to an entity's page, are mentions of that entity.

use std::collections::BTreeMap;
use std::sync::Arc;

use docatlas_core::graph::{self, Kind, Rel};

use super::merge::{Builder, Name, Src};
use super::{refs, tables};
use crate::corpus::links::Resolved;
use crate::corpus::read::Page;
use crate::corpus::Corpus;

/// Front matter keys that name entities, and the kinds they name.
const FM_KEYS: &[(&str, &[Kind])] = &[
    ("service", &[Kind::Service, Kind::Component]),
    ("services", &[Kind::Service, Kind::Component]),
    ("feature", &[Kind::Feature]),
    ("features", &[Kind::Feature]),
    ("owner", &[Kind::Team]),
];

/// What a page is, for the graph.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PageKind {
    Runbook,
    Adr,
    Other,
}

fn page_kind(page: &Page) -> PageKind {
    match page.kind().as_deref() {
        Some("runbook") => PageKind::Runbook,
        Some("adr") => PageKind::Adr,
        _ => PageKind::Other,
    }
}

/// The line of front matter key `key` (1-based), if the page has it.
fn fm_line(page: &Page, key: &str) -> Option<u32> {
    let head = page.text.get(..page.body_start)?;
    let i = head.lines().position(|l| {
        l.strip_prefix(key)
            .is_some_and(|rest| rest.trim_start().starts_with(':'))
    })?;
    u32::try_from(i.saturating_add(1)).ok()
}

fn at_line(file: u32, line: u32) -> Src {
    Src {
        file,
        line,
        col: 1,
        anchor: None,
    }
}

/// Where the page's title is written: its front matter `title:`, else its first H1, else line 1.
fn title_src(page: &Page, file: u32) -> Src {
    if page.fm.title.is_some() {
        if let Some(l) = fm_line(page, "title") {
            return at_line(file, l);
        }
    }
    let h1 = page
        .analysis
        .sections
        .iter()
        .zip(&page.analysis.section_starts)
        .find(|(s, _)| s.level == 1)
        .map(|(_, &off)| off);
    match h1 {
        Some(off) => {
            let (line, col) = page.line_col(off);
            Src {
                file,
                line: u32::try_from(line).unwrap_or(1),
                col: u32::try_from(col).unwrap_or(1),
                anchor: None,
            }
        }
        None => at_line(file, 1),
    }
}

/// The ADR's status: front matter `status`, else the first words under its `Status` heading.
fn adr_status(page: &Page) -> Option<String> {
    if let Some(f) = page.fm.facets.iter().find(|f| f.key == "status") {
        return Some(f.value.clone());
    }
    let s = page
        .analysis
        .sections
        .iter()
        .find(|s| s.heading.trim().eq_ignore_ascii_case("status"))?;
    let first = s.text.split(['.', '\n']).next()?.trim();
    (!first.is_empty()).then(|| first.to_string())
}

/// Reads the facts of every page the build includes into `b`; returns each page's file index.
pub(crate) fn extract<'a>(
    b: &mut Builder,
    corpus: &Corpus<'a>,
    titles: &BTreeMap<&str, String>,
) -> BTreeMap<&'a str, u32> {
    let mut files = BTreeMap::new();
    let mut homes = Homes::new();
    for (&path, page) in &corpus.included {
        let title = titles
            .get(path)
            .cloned()
            .unwrap_or_else(|| path.to_string());
        let file = b.file(path, Some(&title));
        files.insert(path, file);
        let kind = page_kind(page);
        let me = define_page(b, page, file, &title, kind);
        if let Some(me) = &me {
            homes.insert((path.to_string(), None), me.clone());
        }
        front_matter_facts(b, page, file, me.as_ref(), kind);
        tables::extract(b, page, file);
        code_refs(b, page);
        entity_homes(page, path, me.is_none(), &mut homes);
    }
    link_mentions(b, corpus, &files, &homes);
    files
}

/// Entities with a page (or a section) of their own, by (page, anchor): links there mention
/// them.
type Homes = BTreeMap<(String, Option<String>), Name>;

/// The runbook or ADR a page is, defined with its front matter as attributes; `None` for
/// other pages.
fn define_page(
    b: &mut Builder,
    page: &Page,
    file: u32,
    title: &str,
    kind: PageKind,
) -> Option<Name> {
    let me = match kind {
        PageKind::Runbook => Name::of(Kind::Runbook, title),
        PageKind::Adr => Name::of(Kind::Adr, title),
        PageKind::Other => return None,
    };
    let mut attrs: Vec<(String, String)> = page
        .fm
        .facets
        .iter()
        .filter(|f| !FM_KEYS.iter().any(|(k, _)| *k == f.key) && f.key != "audience")
        .map(|f| (f.key.clone(), f.value.clone()))
        .collect();
    if kind == PageKind::Adr && !attrs.iter().any(|(k, _)| k == "status") {
        if let Some(s) = adr_status(page) {
            attrs.push(("status".into(), s));
        }
    }
    let at = title_src(page, file);
    b.define_page(me.clone(), at.clone(), attrs, Some(file));
    if kind == PageKind::Runbook {
        b.covers_by_title(me.clone(), title, at);
        for (s, &off) in page
            .analysis
            .sections
            .iter()
            .zip(&page.analysis.section_starts)
        {
            if s.level > 1 && !s.heading.trim().is_empty() {
                let (line, col) = page.line_col(off);
                let at = Src {
                    file,
                    line: u32::try_from(line).unwrap_or(1),
                    col: u32::try_from(col).unwrap_or(1),
                    anchor: s.anchor.as_deref().map(Arc::from),
                };
                b.covers_by_title(me.clone(), &s.heading, at);
            }
        }
    }
    Some(me)
}

/// The front matter keys that name entities (`owner`, `service`...): relations of the page's
/// own entity `me`, or mentions on other pages.
fn front_matter_facts(b: &mut Builder, page: &Page, file: u32, me: Option<&Name>, kind: PageKind) {
    for &(key, kinds) in FM_KEYS {
        let Some(f) = page.fm.facets.iter().find(|f| f.key == key) else {
            continue;
        };
        let at = at_line(file, fm_line(page, key).unwrap_or(1));
        for value in f
            .value
            .split(',')
            .map(str::trim)
            .filter(|v| !refs::is_placeholder(v))
        {
            let (kinds, name) = refs::parse(value, kinds);
            let them = Name::any(kinds, &name);
            match (me, key) {
                (Some(me), "owner") => b.relate(them, Rel::Owns, me.clone(), at.clone()),
                (Some(me), "service" | "services") if kind == PageKind::Runbook => {
                    b.relate(me.clone(), Rel::Covers, them, at.clone())
                }
                (Some(me), _) => b.relate(me.clone(), Rel::Mentions, them, at.clone()),
                (None, _) => b.mention(them, at.clone()),
            }
        }
    }
}

/// A page that defines one table by its columns is that table's page (unless it is a runbook
/// or ADR, `other_page` false); a heading named like an entity the page's tables define is that
/// entity's section.
fn entity_homes(page: &Page, path: &str, other_page: bool, homes: &mut Homes) {
    let here = tables::defined_here(page);
    let defs: Vec<&(&[Kind], String)> = here.iter().filter(|(k, _)| *k == [Kind::Table]).collect();
    if other_page && defs.len() == 1 && page.analysis.tables.iter().any(is_table_def) {
        if let Some((kinds, name)) = defs.first() {
            homes.insert((path.to_string(), None), Name::any(kinds, name));
        }
    }
    for s in &page.analysis.sections {
        let Some(anchor) = &s.anchor else { continue };
        let hs = graph::slug(&s.heading);
        if let Some((kinds, name)) = here.iter().find(|(_, n)| graph::slug(n) == hs) {
            homes
                .entry((path.to_string(), Some(anchor.clone())))
                .or_insert_with(|| Name::any(kinds, name));
        }
    }
}

/// Every link to an entity's page or section mentions the entity (and, from a runbook or ADR,
/// relates the page's entity to it).
fn link_mentions(b: &mut Builder, corpus: &Corpus<'_>, files: &BTreeMap<&str, u32>, homes: &Homes) {
    for (&path, page) in &corpus.included {
        let Some(&file) = files.get(path) else {
            continue;
        };
        let me = homes
            .get(&(path.to_string(), None))
            .filter(|_| page_kind(page) != PageKind::Other);
        for link in &page.analysis.links {
            let Resolved::Page {
                path: target,
                anchor,
            } = corpus.resolve(path, &link.dest, true)
            else {
                continue;
            };
            if target == path {
                continue;
            }
            let home = anchor
                .as_ref()
                .and_then(|a| homes.get(&(target.to_string(), Some(a.clone()))))
                .or_else(|| homes.get(&(target.to_string(), None)));
            let Some(home) = home else { continue };
            let (line, col) = page.line_col(link.offset);
            let at = Src {
                file,
                line: u32::try_from(line).unwrap_or(1),
                col: u32::try_from(col).unwrap_or(1),
                anchor: page.analysis.anchor_at(link.offset).map(Arc::from),
            };
            if let Some(me) = me.filter(|me| *me != home) {
                // A runbook that links to a service's page or section is about that service.
                let covers = page_kind(page) == PageKind::Runbook
                    && home.kinds.first() == Some(&Kind::Service);
                let rel = if covers { Rel::Covers } else { Rel::Mentions };
                b.relate(me.clone(), rel, home.clone(), at.clone());
            }
            b.mention(home.clone(), at);
        }
    }
}

/// Lines that pair a handler method with its place in the code, as inline code spans:
/// `` `BookingController.create`: `services/booking-api/src/bookings.controller.ts:42` ``.
fn code_refs(b: &mut Builder, page: &Page) {
    for line in page.body().lines() {
        let spans: Vec<&str> = line.split('`').skip(1).step_by(2).collect();
        let Some((first, rest)) = spans.split_first() else {
            continue;
        };
        let is_method = first.split_once('.').is_some_and(|(a, m)| {
            !a.is_empty()
                && !m.is_empty()
                && a.chars()
                    .chain(m.chars())
                    .all(|c| c.is_alphanumeric() || c == '_')
        });
        if !is_method {
            continue;
        }
        if let Some(code) = rest
            .iter()
            .find(|s| crate::corpus::markdown::parse_code_ref(s).is_some())
        {
            b.code_ref(first, code.trim());
        }
    }
}

fn is_table_def(t: &crate::corpus::markdown::Table) -> bool {
    t.header
        .first()
        .is_some_and(|h| h.text.trim().to_lowercase().starts_with("table:"))
        || t.caption
            .as_deref()
            .is_some_and(|c| c.trim().to_lowercase().starts_with("table:"))
}
