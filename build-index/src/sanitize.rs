//! HTML sanitising: the one place rendered Markdown passes before it reaches a reader's browser.
//!
//! Markdown allows raw HTML, so a page can carry `<script>`, `onerror=`, `javascript:` URLs and
//! worse. ammonia keeps a small allow-list of tags and attributes and drops everything else.

use std::sync::OnceLock;

use ammonia::Builder;

fn builder() -> &'static Builder<'static> {
    static B: OnceLock<Builder<'static>> = OnceLock::new();
    B.get_or_init(|| {
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
            .add_tag_attributes("span", ["class"])
            .add_tag_attributes("mark", ["class", "title"])
            .add_tag_attributes("input", ["checked"])
            .add_tag_attributes("th", ["style"])
            .add_tag_attributes("td", ["style"])
            // A task-list checkbox is the only input Markdown makes: force it inert.
            .set_tag_attribute_value("input", "type", "checkbox")
            .set_tag_attribute_value("input", "disabled", "")
            // Table alignment is the only inline style pulldown-cmark writes.
            .attribute_filter(|_, attr, value| {
                if attr == "style" {
                    return match value {
                        "text-align: left" | "text-align: center" | "text-align: right" => {
                            Some(value.into())
                        }
                        _ => None,
                    };
                }
                Some(value.into())
            })
            .url_schemes(["http", "https", "mailto"].into())
            .link_rel(Some("noopener noreferrer"));
        b
    })
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
