//! From read pages to the bundle's documents: titles, summaries, reading times, kinds and
//! languages, and the rendered, sanitised HTML.

use std::collections::BTreeMap;

use docatlas_core::Doc;
use rayon::prelude::*;

use crate::corpus::config::Loaded;
use crate::corpus::diagnostics::Severity;
use crate::corpus::frontmatter;
use crate::corpus::links::{self, resolve, Target};
use crate::corpus::markdown::{self, RenderContext};
use crate::corpus::read::{Diags, Page};
use crate::corpus::Corpus;
use crate::sanitize;

/// Reading speed used when a page gives no read time.
pub const WORDS_PER_MINUTE: usize = 230;
/// Summaries taken from a page's first paragraph are cut to about this many characters.
const SUMMARY_CHARS: usize = 220;

/// Read times from pages tables (a `Read time` column), keyed by the page the row links to.
pub(crate) fn table_read_times(pages: &[Page]) -> BTreeMap<String, u32> {
    let mut minutes_of = BTreeMap::new();
    for page in pages {
        for table in &page.analysis.tables {
            let Some(col) = table
                .header
                .iter()
                .position(|c| c.text.to_lowercase().contains("read time"))
            else {
                continue;
            };
            for row in &table.rows {
                let minutes = row
                    .get(col)
                    .and_then(|c| frontmatter::parse_minutes(&c.text));
                let target =
                    row.iter()
                        .flat_map(|c| &c.links)
                        .find_map(|l| match resolve(&page.path, l) {
                            Target::Path { path, .. } => Some(path),
                            _ => None,
                        });
                if let (Some(m), Some(t)) = (minutes, target) {
                    minutes_of.entry(t).or_insert(m);
                }
            }
        }
    }
    minutes_of
}

/// Every page's title: front matter, else the first H1, else the name an mdBook `SUMMARY.md`
/// gives it (the Rust book's sections start at `##`), else the file name made readable.
pub(crate) fn titles<'a>(
    pages: &'a [Page],
    chapter_names: &BTreeMap<&str, String>,
) -> BTreeMap<&'a str, String> {
    pages
        .iter()
        .map(|p| {
            let untitled =
                p.fm.title.is_none() && p.analysis.first_h1.as_ref().is_none_or(|h| h.is_empty());
            let named = untitled
                .then(|| chapter_names.get(p.path.as_str()))
                .flatten();
            (
                p.path.as_str(),
                named.cloned().unwrap_or_else(|| title_of(p)),
            )
        })
        .collect()
}

/// Warns about pages that ship with the title of another (search results could not be told
/// apart).
pub(crate) fn check_duplicate_titles(
    corpus: &Corpus<'_>,
    titles: &BTreeMap<&str, String>,
    diags: &mut Diags,
) {
    let mut first_with_title: BTreeMap<&str, &str> = BTreeMap::new();
    for path in corpus.included.keys() {
        let Some(t) = titles.get(path).map(String::as_str) else {
            continue;
        };
        match first_with_title.get(t) {
            Some(first) => diags.push(path, (1, 1), Severity::Warning, format!(
                "title `{t}` is also the title of `{first}`; give pages distinct titles (front matter `title:`) so search results can be told apart"
            )),
            None => {
                first_with_title.insert(t, path);
            }
        }
    }
}

/// Renders and sanitises every included page, in parallel and in path order.
pub(crate) fn render(
    corpus: &Corpus<'_>,
    titles: &BTreeMap<&str, String>,
    table_minutes: &BTreeMap<String, u32>,
    cfg: &Loaded,
    cache: Option<&crate::corpus::cache::Cache>,
) -> Vec<Doc> {
    // What links resolve against, besides the page itself: which pages and files exist.
    let context = cache.map(|_| {
        let mut h = String::new();
        for p in corpus.included.keys().chain(corpus.others.iter()) {
            h.push_str(p);
            h.push('\n');
        }
        h.push_str(cfg.config.repo_url.as_deref().unwrap_or(""));
        docatlas_core::format::fnv1a64(h.as_bytes())
    });
    corpus
        .included
        .par_iter()
        .map(|(path, page)| {
            let key = context.map(|c| crate::corpus::cache::Cache::html_key(page.body(), c));
            let cached = cache.zip(key).and_then(|(c, k)| c.html(path, k));
            let html = cached.unwrap_or_else(|| {
                let rewrite = |dest: &str| links::rewrite(path, dest, corpus);
                let ctx = RenderContext {
                    anchors: page.analysis.anchors().map(String::from).collect(),
                    rewrite: &rewrite,
                    repo_url: cfg.config.repo_url.as_deref(),
                };
                let html = sanitize::clean(&markdown::render(page.body(), &ctx));
                if let Some((c, k)) = cache.zip(key) {
                    c.store_html(path, k, &html);
                }
                html
            });
            let title = titles.get(path).cloned().unwrap_or_default();
            make_doc(page, title, html, table_minutes.get(*path).copied())
        })
        .collect()
}

/// The site title: `docatlas.toml`'s, else the root README's (or index's) title.
pub(crate) fn site_title(
    cfg: &Loaded,
    corpus: &Corpus<'_>,
    titles: &BTreeMap<&str, String>,
) -> String {
    if let Some(t) = &cfg.config.title {
        return t.clone();
    }
    ["README.md", "index.md"]
        .into_iter()
        .filter(|p| corpus.included.contains_key(p))
        .find_map(|p| titles.get(p).cloned())
        .unwrap_or_else(|| "Docs".to_string())
}

fn title_of(page: &Page) -> String {
    if let Some(t) = &page.fm.title {
        return t.clone();
    }
    if let Some(h1) = page.analysis.first_h1.as_ref().filter(|h| !h.is_empty()) {
        return h1.clone();
    }
    let file = page.path.rsplit('/').next().unwrap_or(&page.path);
    let stem = file.rsplit_once('.').map_or(file, |(s, _)| s);
    let stem = if stem.eq_ignore_ascii_case("readme") || stem.eq_ignore_ascii_case("index") {
        page.path.rsplit('/').nth(1).unwrap_or("Home")
    } else {
        stem
    };
    let words = stem.trim_start_matches(|c: char| c.is_ascii_digit() || c == '-' || c == '_');
    let words = if words.is_empty() { stem } else { words };
    let out: String = words.replace(['-', '_'], " ");
    let mut chars = out.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => out,
    }
}

fn make_doc(page: &Page, title: String, html: String, table_minutes: Option<u32>) -> Doc {
    let a = &page.analysis;
    let mut sections = a.sections.clone();
    if let Some(lead) = sections.first_mut() {
        lead.heading = title.clone();
    }
    // A page with no text before its first heading has an empty lead section: drop it, so search
    // hits always point at a real heading.
    if sections.len() > 1
        && sections
            .first()
            .is_some_and(|s| s.text.is_empty() && s.code.is_empty())
    {
        sections.remove(0);
    }
    for s in &mut sections {
        s.hash = docatlas_core::tracks::section_hash(&s.heading, &s.text, &s.code);
    }
    let summary = page.fm.description.clone().unwrap_or_else(|| {
        a.first_paragraph
            .as_deref()
            .map(shorten)
            .unwrap_or_default()
    });
    let words_minutes = u32::try_from(a.words.div_ceil(WORDS_PER_MINUTE)).unwrap_or(u32::MAX);
    let read_minutes = page
        .fm
        .read_minutes
        .or(table_minutes)
        .unwrap_or(words_minutes)
        .max(1);
    Doc {
        path: page.path.clone(),
        title,
        summary,
        kind: page.kind(),
        lang: page
            .fm
            .lang
            .clone()
            .or_else(|| infer_lang(&page.path))
            .or_else(|| script_lang(&sections).map(String::from))
            .or_else(|| detect_lang(&sections)),
        internal: page.internal,
        read_minutes,
        tags: page.fm.tags.clone(),
        facets: page.fm.facets.clone(),
        sections,
        tasks: a.tasks.clone(),
        html,
    }
}

/// Guesses English or German from the page's text, so the right stemmer indexes it.
fn detect_lang(sections: &[docatlas_core::Section]) -> Option<String> {
    let sample: String = sections
        .iter()
        .map(|s| s.text.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    docatlas_core::text::detect_lang(&sample).map(|l| match l {
        docatlas_core::text::Lang::En => "en".to_string(),
        docatlas_core::text::Lang::De => "de".to_string(),
    })
}

fn shorten(text: &str) -> String {
    if text.chars().count() <= SUMMARY_CHARS {
        return text.to_string();
    }
    let cut: String = text.chars().take(SUMMARY_CHARS).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(a, _)| a);
    format!("{}…", cut.trim_end_matches([',', ';', ':', '.']))
}

/// Language codes a folder or a file name's suffix is read as (`zh/`, `pt-BR/`, `pages.fr/`,
/// `index.ja.md`, `README.zh-CN.md`). Left out: codes that are also common folder names in
/// engineering docs (`ca` certificates, `hr`, `cs`, `id`, `is`, `no`, `be`, `am`, `as`, `hi`,
/// `my`, `to`...); under `i18n/` any code counts.
const LANG_DIRS: &[&str] = &[
    "ar", "bg", "bn", "da", "de", "el", "en", "es", "fa", "fi", "fr", "he", "hu", "hy", "it", "ja",
    "ka", "ko", "lt", "lv", "nl", "pl", "pt", "ro", "ru", "sk", "sl", "sr", "sv", "th", "tr", "uk",
    "vi", "zh",
];

/// Codes read only as a suffix (`pages.cs/`, `index.nb.md`: tldr-pages, MkDocs' i18n), where
/// no folder name is meant: the codes [`LANG_DIRS`] leaves out because a bare folder of that
/// name is common.
const LANG_SUFFIXES: &[&str] = &[
    "bs", "ca", "cs", "et", "hi", "hr", "id", "is", "lo", "mk", "ml", "mr", "ms", "nb", "ne", "nn",
    "no", "sq", "sw", "ta", "te", "ur", "uz",
];

/// A language code with an optional region or script (`zh`, `pt-br`, `zh_hans`), lower-cased
/// with `-`, when `seg` is one (of [`LANG_DIRS`], or any when `any`).
fn lang_code(seg: &str, any: bool) -> Option<String> {
    lang_code_in(seg, any, LANG_DIRS)
}

/// [`lang_code`] for the `NAME.CODE` forms, which also know [`LANG_SUFFIXES`].
fn suffix_lang(code: &str) -> Option<String> {
    lang_code(code, false).or_else(|| lang_code_in(code, false, LANG_SUFFIXES))
}

fn lang_code_in(seg: &str, any: bool, known: &[&str]) -> Option<String> {
    let seg = seg.to_ascii_lowercase().replace('_', "-");
    let (base, region) = seg
        .split_once('-')
        .map_or((seg.as_str(), None), |(b, r)| (b, Some(r)));
    let base_ok = (2..=3).contains(&base.len()) && base.bytes().all(|b| b.is_ascii_lowercase());
    let region_ok = region
        .is_none_or(|r| (2..=4).contains(&r.len()) && r.bytes().all(|b| b.is_ascii_alphanumeric()));
    let known = known.contains(&base) || (any && base.len() == 2);
    (base_ok && region_ok && known).then_some(seg.clone())
}

/// The language a page's path names: a folder named by a code (`zh/`, `pt-BR/`), any code
/// under `i18n/` (Docusaurus), a folder `NAME.CODE` (`pages.zh/`), or a file `NAME.CODE.md`
/// (MkDocs' i18n suffix, `README.zh-CN.md`).
fn infer_lang(path: &str) -> Option<String> {
    let segs: Vec<&str> = path.split('/').collect();
    let (file, folders) = segs.split_last()?;
    for (i, seg) in folders.iter().enumerate() {
        let after_i18n = i.checked_sub(1).and_then(|j| folders.get(j)) == Some(&"i18n");
        if let Some(code) = lang_code(seg, after_i18n) {
            return Some(code);
        }
        if let Some(code) = seg.rsplit_once('.').and_then(|(_, c)| suffix_lang(c)) {
            return Some(code);
        }
    }
    let stem = file.rsplit_once('.').map_or(*file, |(s, _)| s);
    stem.rsplit_once('.').and_then(|(_, c)| suffix_lang(c))
}

/// The language a page's script says, when most of its letters are of one script that names
/// one language (or, for Cyrillic, Arabic and the Han-based scripts, letters telling them
/// apart): `ja` for kana among Han, `ko`, `zh`, `ru` (`uk`, `sr`, `bg` by their own letters),
/// `el`, `hy`, `ka`, `ar` (`fa`, `ur`), `he`, `th`, `hi`, `bn`, `ta`. Latin text is left to
/// [`detect_lang`].
fn script_lang(sections: &[docatlas_core::Section]) -> Option<&'static str> {
    let mut n = ScriptCount::default();
    let text = sections
        .iter()
        .flat_map(|s| s.heading.chars().chain(s.text.chars()))
        .take(20_000);
    for c in text.filter(|c| c.is_alphabetic()) {
        n.add(c);
    }
    n.language()
}

/// Letters counted by script, and the letters that tell languages of one script apart.
#[derive(Default)]
struct ScriptCount {
    letters: usize,
    kana: usize,
    hangul: usize,
    han: usize,
    cyrillic: usize,
    greek: usize,
    armenian: usize,
    georgian: usize,
    arabic: usize,
    hebrew: usize,
    thai: usize,
    devanagari: usize,
    bengali: usize,
    tamil: usize,
    ukrainian: bool,
    /// ы or э: Russian (and Belarusian), never Bulgarian.
    russian: bool,
    /// ъ, frequent in Bulgarian.
    hard_sign: bool,
    serbian: bool,
    persian: bool,
    urdu: bool,
}

impl ScriptCount {
    fn add(&mut self, c: char) {
        self.letters = self.letters.saturating_add(1);
        let bucket = match u32::from(c) {
            0x3040..=0x30FF => &mut self.kana,
            0x1100..=0x11FF | 0x3130..=0x318F | 0xAC00..=0xD7AF => &mut self.hangul,
            0x3400..=0x4DBF | 0x4E00..=0x9FFF => &mut self.han,
            0x0400..=0x04FF => &mut self.cyrillic,
            0x0370..=0x03FF | 0x1F00..=0x1FFF => &mut self.greek,
            0x0530..=0x058F => &mut self.armenian,
            0x10A0..=0x10FF => &mut self.georgian,
            0x0600..=0x06FF => &mut self.arabic,
            0x0590..=0x05FF => &mut self.hebrew,
            0x0E00..=0x0E7F => &mut self.thai,
            0x0900..=0x097F => &mut self.devanagari,
            0x0980..=0x09FF => &mut self.bengali,
            0x0B80..=0x0BFF => &mut self.tamil,
            _ => return,
        };
        *bucket = bucket.saturating_add(1);
        self.ukrainian |= matches!(c, 'і' | 'ї' | 'є' | 'ґ' | 'І' | 'Ї' | 'Є' | 'Ґ');
        self.russian |= matches!(c, 'ы' | 'э' | 'Ы' | 'Э');
        self.hard_sign |= matches!(c, 'ъ' | 'Ъ');
        self.serbian |= matches!(c, 'ђ' | 'ћ' | 'џ' | 'љ' | 'њ' | 'Ђ' | 'Ћ' | 'Џ' | 'Љ' | 'Њ');
        self.persian |= matches!(c, 'پ' | 'چ' | 'ژ' | 'گ');
        self.urdu |= matches!(c, 'ٹ' | 'ڈ' | 'ڑ' | 'ے');
    }

    fn language(&self) -> Option<&'static str> {
        // A few words of another script (a name, a quoted term) do not make a page that language.
        let most = |k: usize| self.letters >= 20 && k.saturating_mul(2) > self.letters;
        let by_script = [
            (
                most(self.kana.saturating_add(self.han)) && self.kana > 0,
                "ja",
            ),
            (most(self.hangul), "ko"),
            (most(self.han), "zh"),
            (most(self.cyrillic), self.cyrillic_language()),
            (most(self.greek), "el"),
            (most(self.armenian), "hy"),
            (most(self.georgian), "ka"),
            (most(self.arabic), self.arabic_language()),
            (most(self.hebrew), "he"),
            (most(self.thai), "th"),
            (most(self.devanagari), "hi"),
            (most(self.bengali), "bn"),
            (most(self.tamil), "ta"),
        ];
        by_script.into_iter().find(|(yes, _)| *yes).map(|(_, l)| l)
    }

    /// Which language of Cyrillic script the letters seen so far tell.
    fn cyrillic_language(&self) -> &'static str {
        if self.ukrainian {
            "uk"
        } else if self.serbian {
            "sr"
        } else if self.hard_sign && !self.russian {
            "bg"
        } else {
            "ru"
        }
    }

    /// Which language of Arabic script the letters seen so far tell.
    fn arabic_language(&self) -> &'static str {
        if self.urdu {
            "ur"
        } else if self.persian {
            "fa"
        } else {
            "ar"
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::corpus::dialect::Tool;
    use crate::corpus::expand::{expand, Context};
    use crate::corpus::markdown::{self, RenderContext, Rewrite};

    /// The HTML a reader gets for `body` in `tool`'s dialect, sanitised.
    fn page_html(tool: Tool, body: &str) -> String {
        let cx = Context {
            tool,
            root: std::path::Path::new("."),
            path: "a.md",
            snippets: None,
        };
        let expanded = expand(body, &cx, &mut Vec::new()).map_or(body.to_string(), |e| e.text);
        let analysis = markdown::analyze_as(&expanded, tool);
        let rewrite = |_: &str| Rewrite::TextOnly;
        let ctx = RenderContext {
            anchors: analysis.anchors().map(String::from).collect(),
            rewrite: &rewrite,
            repo_url: None,
        };
        crate::sanitize::clean(&markdown::render(&expanded, &ctx))
    }

    fn section(text: &str) -> docatlas_core::Section {
        docatlas_core::Section {
            text: text.into(),
            ..docatlas_core::Section::default()
        }
    }

    #[test]
    fn a_page_path_names_its_language_by_each_tools_convention() {
        let lang = |p: &str| super::infer_lang(p);
        assert_eq!(lang("zh/guide.md").as_deref(), Some("zh"));
        assert_eq!(lang("docs/pt-BR/intro.md").as_deref(), Some("pt-br"));
        assert_eq!(lang("zh_CN/intro.md").as_deref(), Some("zh-cn"));
        assert_eq!(lang("pages.fr/index.md").as_deref(), Some("fr"));
        // tldr-pages' folders whose bare names are also folder words (`cs/`, `id/`, `no/`).
        for (p, code) in [
            ("pages.cs/common/tar.md", "cs"),
            ("pages.id/linux/ls.md", "id"),
            ("pages.no/common/cd.md", "no"),
            ("pages.ca/common/cd.md", "ca"),
            ("guide/index.nb.md", "nb"),
        ] {
            assert_eq!(lang(p).as_deref(), Some(code), "{p}");
        }
        assert_eq!(lang("guide/index.ja.md").as_deref(), Some("ja"));
        assert_eq!(lang("README.zh-CN.md").as_deref(), Some("zh-cn"));
        assert_eq!(
            lang("i18n/cs/docusaurus-plugin-content-docs/current/a.md").as_deref(),
            Some("cs")
        );
        // Folder names that are words in engineering docs, and dotted names that are no code.
        for p in [
            "ca/rotate.md",
            "hr/leave.md",
            "cs/notes.md",
            "id/tokens.md",
            "v1.2/a.md",
            "a.md",
        ] {
            assert_eq!(lang(p), None, "{p}");
        }
        assert_eq!(lang("ops/runbook.v2.md"), None);
    }

    #[test]
    fn a_page_in_one_script_is_that_scripts_language() {
        let of = |t: &str| super::script_lang(&[section(t)]);
        assert_eq!(
            of("東京の天気は晴れです。明日も晴れるでしょう。ログを確認してください。"),
            Some("ja")
        );
        assert_eq!(
            of("서비스가 응답하지 않으면 먼저 로그를 확인하고 재시작하세요."),
            Some("ko")
        );
        assert_eq!(
            of("如果服务没有响应，请先检查日志，然后重新启动服务。"),
            Some("zh")
        );
        assert_eq!(
            of("Если сервис не отвечает, сначала проверьте журнал и перезапустите его."),
            Some("ru")
        );
        assert_eq!(
            of("Якщо сервіс не відповідає, спочатку перевірте журнал і перезапустіть його."),
            Some("uk")
        );
        assert_eq!(
            of("Αν η υπηρεσία δεν απαντά, ελέγξτε πρώτα το αρχείο καταγραφής."),
            Some("el")
        );
        assert_eq!(
            of("إذا لم تستجب الخدمة، تحقق من السجل أولاً ثم أعد تشغيلها."),
            Some("ar")
        );
        assert_eq!(
            of("אם השירות אינו מגיב, בדקו קודם את היומן ואז הפעילו אותו מחדש."),
            Some("he")
        );
        // Latin text, and a Latin page quoting a few words of another script, are left alone.
        assert_eq!(
            of("If the service does not answer, check the log first, then restart it."),
            None
        );
        assert_eq!(
            of("The Tokyo office (東京) runs the nightly settlement job for every region."),
            None
        );
        assert_eq!(of("短い"), None);
    }

    #[test]
    fn admonitions_and_tabs_reach_the_reader_as_boxes_and_panels() {
        let html = page_html(
            Tool::MkDocs,
            "# T\n\n!!! danger \"Live wire\"\n\n    Switch *off* first.\n\n???+ tip\n    Open by default.\n\n=== \"Linux\"\n\n    Use apt.\n",
        );
        for want in [
            "<div class=\"da-admonition da-admonition-danger\">",
            "<p class=\"da-admonition-title\">Live wire</p>",
            "<em>off</em>",
            "<details class=\"da-admonition da-admonition-tip\" open=\"\">",
            "<summary>Tip</summary>",
            "<div class=\"da-tab\" id=\"t--linux\">",
            "<p class=\"da-tab-label\">Linux</p>",
        ] {
            assert!(html.contains(want), "{want} missing from {html}");
        }
        assert!(
            !html.contains("<pre>"),
            "indented content is not a code block: {html}"
        );

        let html = page_html(Tool::Docusaurus, ":::note\n\nPlain **words**.\n\n:::\n");
        assert!(
            html.contains("<div class=\"da-admonition da-admonition-note\">"),
            "{html}"
        );
        assert!(
            html.contains("<strong>words</strong>") && !html.contains(":::"),
            "{html}"
        );
    }
}
