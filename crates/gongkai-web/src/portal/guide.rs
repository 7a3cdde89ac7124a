//! The 政府信息公开指南 as shown to the public, in the section order real
//! guides use. Only what staff entered is shown: empty text sections are
//! left out (and numbered around), missing contact fields are marked.

use gongkai_core::guide::GuideText;
use gongkai_core::org::Organisation;

/// Paragraphs of plain text; each paragraph is its lines. Templates
/// escape every line and join lines with `<br>`, so staff text never
/// becomes markup.
pub(crate) type Paragraphs = Vec<Vec<String>>;

/// Splits plain text at blank lines into paragraphs, keeping line breaks.
pub(crate) fn paragraphs(text: &str) -> Paragraphs {
    let mut out: Paragraphs = Vec::new();
    let mut current: Vec<String> = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
        } else {
            current.push(line.to_string());
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

pub(crate) struct GuideView {
    pub sections: Vec<Section>,
    pub contact: Vec<ContactRow>,
}

/// A numbered top-level section (一、二、…).
pub(crate) struct Section {
    pub heading: String,
    /// Set on the 工作机构 section, which renders the contact table.
    pub is_contact: bool,
    pub subsections: Vec<Subsection>,
}

/// `heading` is empty when the section has a single untitled body.
pub(crate) struct Subsection {
    pub heading: String,
    pub body: Paragraphs,
}

pub(crate) struct ContactRow {
    pub label: &'static str,
    pub value: Option<String>,
    /// `mailto:` or http(s) link target, when the value is one.
    pub href: Option<String>,
}

const NUMERALS: [&str; 6] = ["一", "二", "三", "四", "五", "六"];
const SUB_NUMERALS: [&str; 3] = ["（一）", "（二）", "（三）"];

impl GuideView {
    pub fn build(org: &Organisation, guide: &GuideText) -> Self {
        let mut raw: Vec<(&str, bool, Vec<Subsection>)> = Vec::new();
        let classify: Vec<Subsection> = [
            ("政府信息的分类", &guide.classification),
            ("编排体系", &guide.arrangement),
        ]
        .into_iter()
        .filter(|(_, t)| !t.trim().is_empty())
        .enumerate()
        .map(|(i, (h, t))| Subsection {
            heading: format!("{}{}", SUB_NUMERALS[i], h),
            body: paragraphs(t),
        })
        .collect();
        if !classify.is_empty() {
            raw.push(("信息分类与编排体系", false, classify));
        }
        for (heading, text) in [("获取方式", &guide.access)] {
            if !text.trim().is_empty() {
                raw.push((heading, false, untitled(text)));
            }
        }
        // The office section is always shown: its gaps are the visitor's
        // business (they need to know there is no fax number).
        raw.push(("政府信息公开工作机构", true, Vec::new()));
        if !guide.extra.trim().is_empty() {
            raw.push(("其他事项", false, untitled(&guide.extra)));
        }
        let sections = raw
            .into_iter()
            .enumerate()
            .map(|(i, (heading, is_contact, subsections))| Section {
                heading: format!("{}、{}", NUMERALS[i], heading),
                is_contact,
                subsections,
            })
            .collect();
        Self {
            sections,
            contact: contact_rows(org),
        }
    }
}

fn untitled(text: &str) -> Vec<Subsection> {
    vec![Subsection {
        heading: String::new(),
        body: paragraphs(text),
    }]
}

fn contact_rows(org: &Organisation) -> Vec<ContactRow> {
    let c = &org.contact;
    let row = |label, v: &Option<String>| ContactRow {
        label,
        value: v
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(String::from),
        href: None,
    };
    let mut email = row("电子邮箱", &c.email);
    email.href = email.value.as_ref().map(|v| format!("mailto:{v}"));
    let mut website = row("互联网联系方式", &c.website);
    // Only web links become clickable; anything else stays text so a
    // crafted value can never turn into a `javascript:` link.
    website.href = website
        .value
        .clone()
        .filter(|v| v.starts_with("https://") || v.starts_with("http://"));
    vec![
        row("工作机构名称", &c.office_name),
        row("办公地址", &c.address),
        row("办公时间", &c.office_hours),
        row("联系电话", &c.phone),
        row("传真号码", &c.fax),
        email,
        website,
        row("邮政编码", &c.postcode),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::portal::testing::org;
    use gongkai_core::org::{OrgKind, OrgLevel};

    #[test]
    fn paragraphs_split_at_blank_lines_and_keep_line_breaks() {
        let p = paragraphs("第一段\r\n第二行\n\n\n  第二段  \n");
        assert_eq!(p, vec![vec!["第一段", "第二行"], vec!["第二段"]]);
        assert!(paragraphs(" \n ").is_empty());
    }

    #[test]
    fn empty_texts_are_left_out_and_sections_renumbered() {
        let o = org(1, None, "青岚市教育局", OrgKind::Department, OrgLevel::City);
        let g = GuideText {
            arrangement: "按主题排列".into(),
            extra: "收费：不收取费用".into(),
            ..Default::default()
        };
        let v = GuideView::build(&o, &g);
        let heads: Vec<_> = v.sections.iter().map(|s| s.heading.as_str()).collect();
        assert_eq!(
            heads,
            [
                "一、信息分类与编排体系",
                "二、政府信息公开工作机构",
                "三、其他事项"
            ]
        );
        assert_eq!(v.sections[0].subsections[0].heading, "（一）编排体系");
        assert!(v.contact.iter().all(|r| r.value.is_none()));
    }

    #[test]
    fn only_web_addresses_become_links() {
        let mut o = org(1, None, "青岚市教育局", OrgKind::Department, OrgLevel::City);
        o.contact.website = Some("javascript:alert(1)".into());
        o.contact.email = Some("gkb@example.gov.cn".into());
        let v = GuideView::build(&o, &GuideText::default());
        let web = v
            .contact
            .iter()
            .find(|r| r.label == "互联网联系方式")
            .unwrap();
        assert_eq!(web.href, None);
        let mail = v.contact.iter().find(|r| r.label == "电子邮箱").unwrap();
        assert_eq!(mail.href.as_deref(), Some("mailto:gkb@example.gov.cn"));
    }
}
