//! HTML sanitising: the one place rendered Markdown passes before it reaches a reader's browser.
//!
//! Markdown allows raw HTML, so a page can carry `<script>`, `onerror=`, `javascript:` URLs and
//! worse. ammonia keeps a small allow-list of tags and attributes and drops everything else.

use std::sync::OnceLock;

use ammonia::Builder;

fn builder() -> &'static Builder<'static> {
    static B: OnceLock<Builder<'static>> = OnceLock::new();
    B.get_or_init(new_builder)
}

/// The allow-list. Output must not depend on which process runs it: ammonia appends the
/// attributes `set_tag_attribute_value` forces in the iteration order of a randomly seeded
/// `HashMap`, so with two forced attributes on one tag their order changed from one process to
/// the next (`<input disabled="" type="checkbox">` or `<input type="checkbox" disabled="">`,
/// issue 8). Hence at most ONE forced attribute per tag; others are allowed as written and
/// fixed up by the attribute filter, which keeps them in source order.
fn new_builder() -> Builder<'static> {
    let mut b = Builder::default();
    b.add_tags(["mark", "input"])
        .add_tag_attributes("h1", ["id"])
        .add_tag_attributes("h2", ["id"])
        .add_tag_attributes("h3", ["id"])
        .add_tag_attributes("h4", ["id"])
        .add_tag_attributes("h5", ["id"])
        .add_tag_attributes("h6", ["id"])
        .add_tag_attributes("code", ["class"])
        .add_tag_attributes("a", ["class"])
        .add_tag_attributes("span", ["class", "id"])
        // Admonitions and tabs (`corpus/expand.rs`) and the anchors pages place by hand
        // (`<a id="…">`, a tab's id).
        .add_tag_attributes("div", ["class", "id"])
        .add_tag_attributes("p", ["class"])
        .add_tag_attributes("details", ["class", "open"])
        .add_tag_attributes("a", ["id"])
        .add_tag_attributes("mark", ["class", "title"])
        .add_tag_attributes("input", ["checked", "disabled", "type"])
        .add_tag_attributes("th", ["style"])
        .add_tag_attributes("td", ["style"])
        // A task-list checkbox is the only input Markdown makes: force every input inert. Raw
        // HTML `<input>` without a type stays a (disabled) text box: only one attribute may be
        // forced, see above.
        .set_tag_attribute_value("input", "disabled", "")
        .attribute_filter(|element, attr, value| match (element, attr) {
            ("input", "type") => Some("checkbox".into()),
            ("input", "checked") => Some("".into()),
            // Table alignment is the only inline style pulldown-cmark writes.
            (_, "style") => match value {
                "text-align: left" | "text-align: center" | "text-align: right" => {
                    Some(value.into())
                }
                _ => None,
            },
            _ => Some(value.into()),
        })
        .url_schemes(["http", "https", "mailto"].into())
        .link_rel(Some("noopener noreferrer"));
    b
}

/// Returns `html` with everything outside the allow-list removed.
pub fn clean(html: &str) -> String {
    builder().clean(html).to_string()
}

#[cfg(test)]
mod tests {
    use super::clean;

    #[test]
    fn keeps_what_markdown_makes() {
        let html = "<h2 id=\"x\">T</h2><p><a href=\"#/doc/a.md\">a</a> <code class=\"language-rs\">x</code></p><table><tr><td style=\"text-align: right\">1</td></tr></table><input type=\"checkbox\" checked disabled>";
        let out = clean(html);
        for keep in [
            "id=\"x\"",
            "href=\"#/doc/a.md\"",
            "language-rs",
            "text-align: right",
            "checked",
        ] {
            assert!(out.contains(keep), "{keep} missing from {out}");
        }
    }

    /// Issue 8: `- [x] done` came out as `<input disabled="" type="checkbox" checked="">` in one
    /// process and `<input type="checkbox" disabled="" checked="">` in another. Every new
    /// builder has freshly seeded hash maps, so fresh builders stand in for fresh processes: with
    /// the old forced pair, 32 of them agreeing had a chance of 1 in 2^31.
    #[test]
    fn task_list_checkbox_disabled_type_checked_has_one_attribute_order() {
        let html = "<ul><li><input disabled=\"\" type=\"checkbox\" checked=\"\"/>\ndone</li>\
                    <li><input disabled=\"\" type=\"checkbox\"/>\nopen</li></ul><input>";
        let outputs: Vec<String> = (0..32)
            .map(|_| super::new_builder().clean(html).to_string())
            .collect();
        assert!(outputs.iter().all(|o| o == &outputs[0]), "{outputs:#?}");
        assert_eq!(
            outputs[0],
            "<ul><li><input disabled=\"\" type=\"checkbox\" checked=\"\">\ndone</li>\
             <li><input disabled=\"\" type=\"checkbox\">\nopen</li></ul><input disabled=\"\">"
        );
    }

    #[test]
    fn drops_script_handlers_and_bad_urls() {
        let out = clean("<script>alert(1)</script><img src=x onerror=alert(1)><a href=\"javascript:alert(1)\">x</a><td style=\"background:url(javascript:x)\"></td><input type=text onfocus=x autofocus>");
        for bad in [
            "<script",
            "alert(1)",
            "onerror",
            "javascript:",
            "background",
            "type=\"text\"",
            "onfocus",
        ] {
            assert!(!out.contains(bad), "{bad} survived in {out}");
        }
    }
}
