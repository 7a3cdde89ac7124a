//! A notice as an HTML fragment for screen and print.
//!
//! The fragment is self-contained (no script, no external resource, no
//! inline style — the CSP forbids them) and every text is escaped, so the
//! web layer may embed it as is. Its look comes from [`LETTER_CSS`], which
//! the web layer serves with its stylesheet. Classes:
//!
//! ```text
//! article.letter[data-kind]      the whole notice (kind: receipt, correction,
//!                                extension, fee, reply)
//!   header.letter-head
//!     h2.letter-title            > span.letter-agency + span.letter-doc-title
//!     p.letter-number            文号 (absent on a receipt without one)
//!   p.letter-to                  主送: "张三："
//!   p.letter-para[data-role]     one paragraph; role: facts, decision, reasons,
//!                                legal_basis, item, deadline, fee, payment,
//!                                remedy, note (.letter-item on list entries)
//!   div.letter-attachments       附件 list, one p each
//!   footer.letter-sign           p.letter-sign-agency, p.letter-sign-date
//! ```
//!
//! The title is an `<h2>`: the page that embeds the fragment owns the `<h1>`.

use gongkai_core::request::notice::{Notice, Role};
use std::fmt::Write as _;

/// A4 print and screen styles of the `.letter` classes (GB/T 9704
/// proportions: 仿宋 三号 body, 小标宋 二号 title, 28pt lines, A4 margins
/// 37/26/35/28 mm). Font names are requests: the browser substitutes what
/// the reader's computer has.
pub const LETTER_CSS: &str = r#"/* gongkai-report: printed notices (.letter). */
.letter {
  max-width: 156mm; margin: 0 auto; padding: 24px 0; color: #000; background: #fff;
  font-family: "FangSong_GB2312", "仿宋_GB2312", "FangSong", "STFangsong", "仿宋", "Noto Serif CJK SC", serif;
  font-size: 16pt; line-height: 28pt;
}
.letter-head { margin-bottom: 1em; }
.letter-title {
  margin: 0 0 .5em; text-align: center; font-weight: bold; font-size: 22pt; line-height: 1.5;
  font-family: "方正小标宋简体", "FZXiaoBiaoSong-B05S", "STZhongsong", "SimSun", "宋体", "Noto Serif CJK SC", serif;
}
.letter-title span { display: block; }
.letter-number { margin: 0; text-align: center; }
.letter-to { margin: 0; }
.letter-para { margin: 0; text-indent: 2em; text-align: justify; }
.letter-attachments { margin-top: 28pt; }
.letter-attachments p { margin: 0; padding-left: 5em; text-indent: -3em; }
.letter-sign { margin-top: 56pt; text-align: right; padding-right: 4em; }
.letter-sign p { margin: 0; }
@media (max-width: 600px) {
  .letter { font-size: 1.05rem; line-height: 1.8; padding: 12px 0; }
  .letter-title { font-size: 1.35rem; }
  .letter-sign { padding-right: 0; }
}
@media print {
  @page { size: A4; margin: 37mm 26mm 35mm 28mm; }
  .letter { max-width: none; padding: 0; }
}
"#;

/// `notice` as an escaped HTML fragment (see the module documentation).
pub fn render_html(notice: &Notice) -> String {
    let mut out = String::with_capacity(4096);
    let _ = write!(
        out,
        "<article class=\"letter\" data-kind=\"{}\" lang=\"zh-CN\">\n<header class=\"letter-head\">\n<h2 class=\"letter-title\"><span class=\"letter-agency\">{}</span><span class=\"letter-doc-title\">{}</span></h2>\n",
        notice.kind.as_str(),
        escape(&notice.agency),
        escape(notice.title())
    );
    if let Some(n) = &notice.doc_number {
        let _ = writeln!(out, "<p class=\"letter-number\">{}</p>", escape(n));
    }
    out.push_str("</header>\n");
    let _ = writeln!(
        out,
        "<p class=\"letter-to\">{}：</p>",
        escape(&notice.addressee)
    );
    for p in &notice.paragraphs {
        let class = if p.role == Role::Item {
            "letter-para letter-item"
        } else {
            "letter-para"
        };
        let _ = writeln!(
            out,
            "<p class=\"{class}\" data-role=\"{}\">{}</p>",
            p.role.as_str(),
            escape(&p.text)
        );
    }
    if !notice.attachments.is_empty() {
        out.push_str("<div class=\"letter-attachments\">\n");
        for (i, a) in notice.numbered_attachments().iter().enumerate() {
            let label = if i == 0 { "附件：" } else { "" };
            let _ = writeln!(out, "<p>{label}{}</p>", escape(a));
        }
        out.push_str("</div>\n");
    }
    let _ = write!(
        out,
        "<footer class=\"letter-sign\">\n<p class=\"letter-sign-agency\">{}</p>\n<p class=\"letter-sign-date\"><time datetime=\"{}\">{}</time></p>\n</footer>\n</article>\n",
        escape(&notice.agency),
        notice.issued_on.format("%Y-%m-%d"),
        escape(&notice.date_text())
    );
    out
}

/// Escapes text for element content and double-quoted attributes.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            escape(r#"<a href="x">'&'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
    }
}
