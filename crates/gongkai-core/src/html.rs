//! Staff-authored rich text. The only way to obtain a [`SafeHtml`] from
//! untrusted input is [`SafeHtml::sanitize`], so nothing unsanitised can
//! reach a template's `|safe` filter through the domain types.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SafeHtml(String);

impl SafeHtml {
    /// Cleans HTML with an allow-list (ammonia's defaults: no script, no
    /// event handlers, no style, links get `rel="noopener noreferrer"`).
    /// Plain text without tags is turned into paragraphs.
    pub fn sanitize(input: &str) -> Self {
        let input = input.replace("\r\n", "\n");
        let looks_like_html = input.contains('<') && input.contains('>');
        let html = if looks_like_html {
            input
        } else {
            input
                .split("\n\n")
                .map(|p| p.trim())
                .filter(|p| !p.is_empty())
                .map(|p| format!("<p>{}</p>", escape(p).replace('\n', "<br>")))
                .collect::<Vec<_>>()
                .join("\n")
        };
        Self(ammonia::clean(&html))
    }

    /// Wraps HTML that was sanitised when it was stored. Only the stores call
    /// this, when reading back what [`SafeHtml::sanitize`] produced.
    pub fn from_trusted_storage(s: String) -> Self {
        Self(s)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// True when no visible text is left.
    pub fn is_blank(&self) -> bool {
        let mut in_tag = false;
        for c in self.0.chars() {
            match c {
                '<' => in_tag = true,
                '>' => in_tag = false,
                c if !in_tag && !c.is_whitespace() => return false,
                _ => {}
            }
        }
        true
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_and_handlers_are_removed() {
        let h = SafeHtml::sanitize(r#"<p onclick="x()">正文</p><script>alert(1)</script>"#);
        assert_eq!(h.as_str(), "<p>正文</p>");
    }

    #[test]
    fn plain_text_becomes_paragraphs() {
        let h = SafeHtml::sanitize("第一条 总则\n说明\n\n第二条 & 附则");
        assert_eq!(
            h.as_str(),
            "<p>第一条 总则<br>说明</p>\n<p>第二条 &amp; 附则</p>"
        );
    }

    #[test]
    fn only_markup_is_blank() {
        assert!(SafeHtml::sanitize("<script>x</script>").is_blank());
        assert!(!SafeHtml::sanitize("<b>公开</b>").is_blank());
    }
}
