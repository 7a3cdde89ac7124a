//! The canonical metadata of one version of a catalog item (ogi-domain.md
//! §8.2: the union of the blocks real 政府信息公开 pages show), the raw
//! form it is entered through, and its validation with Chinese messages.
//!
//! What is *not* here because it is not typed in: the 索引号 (generated at
//! first publication, see [`super::index_no`]), the 发布机构 (the item's
//! organisation), the 发布日期 (the day of first publication) and the
//! attachments (uploaded separately, see [`super::attachment`]).

use super::ItemId;
use super::taxonomy::Taxonomy;
use crate::html::SafeHtml;
use crate::text::{self, FieldErrors};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

pub const TITLE_MAX: usize = 200;
pub const SUMMARY_MAX: usize = 500;
pub const BODY_MAX_BYTES: usize = 2_000_000;
pub const ISSUER_MAX: usize = 100;
pub const ISSUERS_MAX: usize = 10;
/// Refusal of a 废止依据 on an item that is not 废止 (console form, import
/// file and store say the same).
pub const REPEAL_LINK_NEEDS_REPEALED: &str = "只有已废止的信息才关联废止它的信息";
pub const DOC_NUMBER_MAX: usize = 100;
pub const KEYWORD_MAX: usize = 20;
pub const KEYWORDS_MAX: usize = 10;

/// What the 发文字号 field holds when a document has none.
pub const NO_DOC_NUMBER: &str = "无文号";

/// Implements `ALL`, `as_str` (stable storage key), `label` (Chinese) and
/// `parse` (either of the two) for a field-less enum.
macro_rules! keyed_enum {
    ($t:ident, [$(($v:ident, $key:literal, $label:literal)),* $(,)?]) => {
        impl $t {
            pub const ALL: &'static [$t] = &[$($t::$v),*];

            pub fn as_str(self) -> &'static str {
                match self { $($t::$v => $key),* }
            }

            pub fn label(self) -> &'static str {
                match self { $($t::$v => $label),* }
            }

            pub fn parse(s: &str) -> Option<Self> {
                let s = s.trim();
                Self::ALL.iter().copied().find(|x| x.as_str() == s || x.label() == s)
            }
        }
    };
}
pub(crate) use keyed_enum;

/// 公开方式. Only 主动公开 items appear in the public catalog and run the
/// 20-working-day clock of 条例第二十六条; the other two are recorded so
/// that the catalog of an agency's information is complete for staff.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DisclosureMode {
    Proactive,
    OnRequest,
    Exempt,
}

keyed_enum!(
    DisclosureMode,
    [
        (Proactive, "proactive", "主动公开"),
        (OnRequest, "on_request", "依申请公开"),
        (Exempt, "exempt", "不予公开"),
    ]
);

/// 文件类型, as the annual report counts documents (表二 第二十条第（一）项:
/// 规章 and 行政规范性文件 made, repealed and in force).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocKind {
    /// 规章
    Rule,
    /// 行政规范性文件
    Normative,
    /// 其他
    Other,
}

keyed_enum!(
    DocKind,
    [
        (Rule, "rule", "规章"),
        (Normative, "normative", "行政规范性文件"),
        (Other, "other", "其他"),
    ]
);

/// The three values of 有效性, without their dates (for filters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ValidityKind {
    Effective,
    Expired,
    Repealed,
}

keyed_enum!(
    ValidityKind,
    [
        (Effective, "effective", "有效"),
        (Expired, "expired", "失效"),
        (Repealed, "repealed", "废止"),
    ]
);

/// 有效性.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Validity {
    /// 有效
    Effective,
    /// 失效 (e.g. a 有效期 ran out), with the day it stopped applying if known.
    Expired { on: Option<NaiveDate> },
    /// 废止, with the 废止日期 and — when there is one — the item that
    /// repealed it (issue 3: "a 废止 must link the item that abolishes it").
    Repealed { on: NaiveDate, by: Option<ItemId> },
}

impl Validity {
    pub fn kind(&self) -> ValidityKind {
        match self {
            Self::Effective => ValidityKind::Effective,
            Self::Expired { .. } => ValidityKind::Expired,
            Self::Repealed { .. } => ValidityKind::Repealed,
        }
    }

    /// 失效日期 / 废止日期.
    pub fn date(&self) -> Option<NaiveDate> {
        match self {
            Self::Effective => None,
            Self::Expired { on } => *on,
            Self::Repealed { on, .. } => Some(*on),
        }
    }

    pub fn repealed_by(&self) -> Option<ItemId> {
        match self {
            Self::Repealed { by, .. } => *by,
            _ => None,
        }
    }
}

/// The metadata of one version of an item, validated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemDraft {
    /// 标题 (信息名称)
    pub title: String,
    /// 内容概述 (条例第十二条 names it as a catalog element)
    pub summary: String,
    /// 正文, sanitised. May be blank when the content is in attachments.
    pub body: SafeHtml,
    /// 发文机关: one, or several for a 联合发文. Free names, because joint
    /// issuers are often outside the platform's organisation tree.
    pub issuers: Vec<String>,
    /// 发文字号; `None` is shown as 无文号.
    pub doc_number: Option<String>,
    /// 成文日期
    pub written_on: Option<NaiveDate>,
    /// 形成/变更日期: starts the 20-working-day clock of 条例第二十六条.
    pub formed_on: NaiveDate,
    /// 主题分类, a [`Topic`](super::taxonomy::Topic) key.
    pub topic: String,
    /// 公开目录栏目 (a column of the agency's tree).
    pub column_id: i64,
    /// 体裁, a [`Genre`](super::taxonomy::Genre) key.
    pub genre: String,
    /// 关键词
    pub keywords: Vec<String>,
    /// 公开方式
    pub disclosure: DisclosureMode,
    /// 文件类型
    pub doc_kind: DocKind,
    /// 有效性
    pub validity: Validity,
}

impl ItemDraft {
    /// 发文字号 as displayed.
    pub fn doc_number_label(&self) -> &str {
        self.doc_number.as_deref().unwrap_or(NO_DOC_NUMBER)
    }
}

/// The raw item form. List fields are single strings: 发文机关 one per line
/// (or separated by 、；;), 关键词 separated by spaces, commas or 、.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ItemForm {
    pub title: String,
    pub summary: String,
    pub body: String,
    pub issuers: String,
    pub doc_number: String,
    pub written_on: String,
    pub formed_on: String,
    pub topic: String,
    pub column_id: String,
    pub genre: String,
    pub keywords: String,
    pub disclosure: String,
    pub doc_kind: String,
    /// A [`ValidityKind`] key or label.
    pub validity: String,
    /// 失效日期 / 废止日期.
    pub validity_on: String,
    /// Id of the item that repealed this one (optional).
    pub repealed_by: String,
}

fn parse_date(e: &mut FieldErrors, field: &'static str, value: &str) -> Option<NaiveDate> {
    match value.trim() {
        "" => None,
        s => match NaiveDate::parse_from_str(s, "%Y-%m-%d") {
            Ok(d) => Some(d),
            Err(_) => {
                e.add(field, "日期格式应为 YYYY-MM-DD，例如 2024-03-01");
                None
            }
        },
    }
}

fn parse_id(e: &mut FieldErrors, field: &'static str, label: &str, value: &str) -> Option<i64> {
    match value.trim() {
        "" => None,
        s => match s.parse::<i64>() {
            Ok(n) if n > 0 => Some(n),
            _ => {
                e.add(field, format!("{label}无效"));
                None
            }
        },
    }
}

/// Splits a list field on the separators people type in Chinese forms,
/// trims and de-duplicates (keeping the first occurrence).
fn split_list(value: &str, separators: &[char]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for part in value.split(|c: char| separators.contains(&c)) {
        let p = text::clean_line(part);
        if !p.is_empty() && !out.contains(&p) {
            out.push(p);
        }
    }
    out
}

const ISSUER_SEPARATORS: &[char] = &['\n', '\r', '、', '；', ';'];
const KEYWORD_SEPARATORS: &[char] = &[
    ' ', '\u{3000}', '\t', '\n', '\r', ',', '，', '、', ';', '；',
];

impl ItemForm {
    /// Validates against the shipped taxonomy.
    pub fn validate(&self) -> Result<ItemDraft, FieldErrors> {
        self.validate_with(Taxonomy::shipped())
    }

    /// Validates against a given 主题分类/体裁 taxonomy. Every problem is
    /// reported at once, each next to its field.
    pub fn validate_with(&self, tax: &Taxonomy) -> Result<ItemDraft, FieldErrors> {
        let mut e = FieldErrors::new();
        let title = text::required(&mut e, "title", "标题", &self.title, TITLE_MAX);
        let summary =
            text::optional_text(&mut e, "summary", "内容概述", &self.summary, SUMMARY_MAX);
        if summary.is_empty() {
            e.add("summary", "请填写内容概述");
        }
        let body = if self.body.len() > BODY_MAX_BYTES {
            e.add("body", "正文过长（不超过2MB），请将长文作为附件上传");
            SafeHtml::sanitize("")
        } else {
            SafeHtml::sanitize(&self.body)
        };
        if !self.body.trim().is_empty() && body.is_blank() && e.get("body").is_none() {
            e.add("body", "正文清理不安全内容后为空，请检查");
        }

        let issuers = split_list(&self.issuers, ISSUER_SEPARATORS);
        if issuers.is_empty() {
            e.add("issuers", "请填写发文机关");
        } else if issuers.len() > ISSUERS_MAX {
            e.add("issuers", format!("发文机关最多{ISSUERS_MAX}个"));
        } else if let Some(long) = issuers.iter().find(|i| text::char_len(i) > ISSUER_MAX) {
            e.add(
                "issuers",
                format!("发文机关“{long}”过长（不超过{ISSUER_MAX}个字符）"),
            );
        }

        let doc_number = text::optional(
            &mut e,
            "doc_number",
            "发文字号",
            &self.doc_number,
            DOC_NUMBER_MAX,
        )
        .filter(|n| n != NO_DOC_NUMBER);
        let written_on = parse_date(&mut e, "written_on", &self.written_on);
        let formed_on = parse_date(&mut e, "formed_on", &self.formed_on);
        if formed_on.is_none() && e.get("formed_on").is_none() {
            e.add(
                "formed_on",
                "请填写形成或变更日期（自该日起20个工作日内公开）",
            );
        }

        let topic = match self.topic.trim() {
            "" => {
                e.add("topic", "请选择主题分类");
                None
            }
            t => match tax.topic(t) {
                Some(x) => Some(x.key.clone()),
                None => {
                    e.add("topic", "主题分类不在可选范围内");
                    None
                }
            },
        };
        let column_id = parse_id(&mut e, "column_id", "公开目录栏目", &self.column_id);
        if column_id.is_none() && e.get("column_id").is_none() {
            e.add("column_id", "请选择公开目录栏目");
        }
        let genre = match self.genre.trim() {
            "" => {
                e.add("genre", "请选择体裁");
                None
            }
            g => match tax.genre(g) {
                Some(x) => Some(x.key.clone()),
                None => {
                    e.add("genre", "体裁不在可选范围内");
                    None
                }
            },
        };

        let keywords = split_list(&self.keywords, KEYWORD_SEPARATORS);
        if keywords.len() > KEYWORDS_MAX {
            e.add("keywords", format!("关键词最多{KEYWORDS_MAX}个"));
        } else if let Some(long) = keywords.iter().find(|k| text::char_len(k) > KEYWORD_MAX) {
            e.add(
                "keywords",
                format!("关键词“{long}”过长（每个不超过{KEYWORD_MAX}个字符）"),
            );
        }

        let disclosure = DisclosureMode::parse(&self.disclosure);
        if disclosure.is_none() {
            e.add("disclosure", "请选择公开方式");
        }
        let doc_kind = DocKind::parse(&self.doc_kind);
        match doc_kind {
            None => e.add("doc_kind", "请选择文件类型"),
            // 规章 carry a 令 number and 行政规范性文件 are 统一编号 (国办发〔2018〕37号 [R]).
            Some(k @ (DocKind::Rule | DocKind::Normative))
                if doc_number.is_none() && e.get("doc_number").is_none() =>
            {
                e.add("doc_number", format!("{}应填写发文字号", k.label()));
            }
            _ => {}
        }

        let validity_on = parse_date(&mut e, "validity_on", &self.validity_on);
        let repealed_by = parse_id(&mut e, "repealed_by", "废止依据信息编号", &self.repealed_by);
        let validity = match ValidityKind::parse(&self.validity) {
            None => {
                e.add("validity", "请选择有效性");
                None
            }
            Some(ValidityKind::Effective) => {
                if !self.validity_on.trim().is_empty() {
                    e.add("validity_on", "有效的信息不填写失效或废止日期");
                }
                if !self.repealed_by.trim().is_empty() {
                    e.add("repealed_by", REPEAL_LINK_NEEDS_REPEALED);
                }
                Some(Validity::Effective)
            }
            Some(ValidityKind::Expired) => {
                if !self.repealed_by.trim().is_empty() {
                    e.add("repealed_by", REPEAL_LINK_NEEDS_REPEALED);
                }
                Some(Validity::Expired { on: validity_on })
            }
            Some(ValidityKind::Repealed) => match validity_on {
                Some(on) => Some(Validity::Repealed {
                    on,
                    by: repealed_by,
                }),
                None => {
                    if e.get("validity_on").is_none() {
                        e.add("validity_on", "请填写废止日期");
                    }
                    None
                }
            },
        };
        if let (Some(on), Some(formed)) = (validity.as_ref().and_then(Validity::date), formed_on)
            && on < written_on.unwrap_or(formed)
        {
            e.add("validity_on", "失效或废止日期不能早于成文日期");
        }

        let (Some(formed_on), Some(topic), Some(column_id), Some(genre)) =
            (formed_on, topic, column_id, genre)
        else {
            return Err(e);
        };
        let (Some(disclosure), Some(doc_kind), Some(validity)) = (disclosure, doc_kind, validity)
        else {
            return Err(e);
        };
        e.into_result(ItemDraft {
            title,
            summary,
            body,
            issuers,
            doc_number,
            written_on,
            formed_on,
            topic,
            column_id,
            genre,
            keywords,
            disclosure,
            doc_kind,
            validity,
        })
    }

    /// The form pre-filled from stored metadata, for the edit page.
    pub fn from_draft(d: &ItemDraft) -> Self {
        let date = |x: Option<NaiveDate>| x.map(|d| d.to_string()).unwrap_or_default();
        Self {
            title: d.title.clone(),
            summary: d.summary.clone(),
            body: d.body.as_str().to_string(),
            issuers: d.issuers.join("\n"),
            doc_number: d.doc_number.clone().unwrap_or_default(),
            written_on: date(d.written_on),
            formed_on: d.formed_on.to_string(),
            topic: d.topic.clone(),
            column_id: d.column_id.to_string(),
            genre: d.genre.clone(),
            keywords: d.keywords.join(" "),
            disclosure: d.disclosure.as_str().into(),
            doc_kind: d.doc_kind.as_str().into(),
            validity: d.validity.kind().as_str().into(),
            validity_on: date(d.validity.date()),
            repealed_by: d
                .validity
                .repealed_by()
                .map(|i| i.to_string())
                .unwrap_or_default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn form() -> ItemForm {
        ItemForm {
            title: "青岚市人民政府办公室关于印发青岚市政务公开工作要点的通知".into(),
            summary: "印发2024年政务公开工作要点，明确重点任务和责任分工。".into(),
            body: "各区县人民政府，市政府各部门：\n\n现将工作要点印发给你们，请认真贯彻执行。"
                .into(),
            issuers: "青岚市人民政府办公室".into(),
            doc_number: "青政办发〔2024〕12号".into(),
            written_on: "2024-09-26".into(),
            formed_on: "2024-09-27".into(),
            topic: "general".into(),
            column_id: "7".into(),
            genre: "notice".into(),
            keywords: "政务公开 工作要点，2024".into(),
            disclosure: "proactive".into(),
            doc_kind: "normative".into(),
            validity: "effective".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_complete_form_validates() {
        let d = form().validate().unwrap();
        assert_eq!(d.formed_on, NaiveDate::from_ymd_opt(2024, 9, 27).unwrap());
        assert_eq!(d.keywords, vec!["政务公开", "工作要点", "2024"]);
        assert_eq!(d.issuers, vec!["青岚市人民政府办公室"]);
        assert_eq!(d.doc_kind, DocKind::Normative);
        assert_eq!(d.validity, Validity::Effective);
        assert!(d.body.as_str().starts_with("<p>各区县人民政府"));
        assert_eq!(d.column_id, 7);
    }

    #[test]
    fn labels_are_accepted_as_well_as_keys() {
        let mut f = form();
        f.topic = "综合政务".into();
        f.genre = "通知".into();
        f.disclosure = "主动公开".into();
        f.doc_kind = "其他".into();
        f.doc_number = "无文号".into();
        f.validity = "有效".into();
        let d = f.validate().unwrap();
        assert_eq!(d.topic, "general");
        assert_eq!(d.genre, "notice");
        assert_eq!(d.doc_number, None);
        assert_eq!(d.doc_number_label(), "无文号");
    }

    #[test]
    fn joint_issuers_are_split_and_deduplicated() {
        let mut f = form();
        f.issuers = "青岚市财政局\n青岚市审计局、青岚市财政局；青岚市税务局".into();
        assert_eq!(
            f.validate().unwrap().issuers,
            vec!["青岚市财政局", "青岚市审计局", "青岚市税务局"]
        );
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let e = ItemForm::default().validate().unwrap_err();
        for field in [
            "title",
            "summary",
            "issuers",
            "formed_on",
            "topic",
            "column_id",
            "genre",
            "disclosure",
            "doc_kind",
            "validity",
        ] {
            assert!(e.get(field).is_some(), "{field}");
        }
        assert_eq!(
            e.get("formed_on"),
            Some("请填写形成或变更日期（自该日起20个工作日内公开）")
        );
    }

    #[test]
    fn unknown_taxonomy_values_and_bad_dates_are_refused() {
        let mut f = form();
        f.topic = "天气".into();
        f.genre = "小说".into();
        f.written_on = "2024/09/26".into();
        f.column_id = "-3".into();
        let e = f.validate().unwrap_err();
        assert_eq!(e.get("topic"), Some("主题分类不在可选范围内"));
        assert_eq!(e.get("genre"), Some("体裁不在可选范围内"));
        assert_eq!(
            e.get("written_on"),
            Some("日期格式应为 YYYY-MM-DD，例如 2024-03-01")
        );
        assert_eq!(e.get("column_id"), Some("公开目录栏目无效"));
    }

    #[test]
    fn normative_documents_need_a_doc_number() {
        let mut f = form();
        f.doc_number = "无文号".into();
        assert_eq!(
            f.validate().unwrap_err().get("doc_number"),
            Some("行政规范性文件应填写发文字号")
        );
        f.doc_kind = "other".into();
        assert!(f.validate().is_ok());
    }

    #[test]
    fn repeal_needs_a_date_and_may_link_the_repealing_item() {
        let mut f = form();
        f.validity = "repealed".into();
        assert_eq!(
            f.validate().unwrap_err().get("validity_on"),
            Some("请填写废止日期")
        );
        f.validity_on = "2025-06-30".into();
        f.repealed_by = "42".into();
        let d = f.validate().unwrap();
        assert_eq!(
            d.validity,
            Validity::Repealed {
                on: NaiveDate::from_ymd_opt(2025, 6, 30).unwrap(),
                by: Some(42)
            }
        );
        assert_eq!(d.validity.kind(), ValidityKind::Repealed);
        f.validity_on = "2024-01-01".into();
        assert_eq!(
            f.validate().unwrap_err().get("validity_on"),
            Some("失效或废止日期不能早于成文日期")
        );
    }

    #[test]
    fn an_effective_item_has_no_end_date_or_repealer() {
        let mut f = form();
        f.validity_on = "2025-01-01".into();
        f.repealed_by = "3".into();
        let e = f.validate().unwrap_err();
        assert_eq!(e.get("validity_on"), Some("有效的信息不填写失效或废止日期"));
        assert_eq!(
            e.get("repealed_by"),
            Some("只有已废止的信息才关联废止它的信息")
        );
    }

    #[test]
    fn limits_are_counted_in_characters() {
        let mut f = form();
        f.keywords = (0..11)
            .map(|i| format!("词{i}"))
            .collect::<Vec<_>>()
            .join(" ");
        assert_eq!(
            f.validate().unwrap_err().get("keywords"),
            Some("关键词最多10个")
        );
        f.keywords = "公".repeat(KEYWORD_MAX);
        assert!(f.validate().is_ok());
        f.title = "文".repeat(TITLE_MAX + 1);
        assert_eq!(
            f.validate().unwrap_err().get("title"),
            Some("标题不能超过200个字符")
        );
    }

    #[test]
    fn script_only_bodies_are_refused_but_empty_bodies_are_allowed() {
        let mut f = form();
        f.body = "<script>alert(1)</script>".into();
        assert_eq!(
            f.validate().unwrap_err().get("body"),
            Some("正文清理不安全内容后为空，请检查")
        );
        f.body = String::new();
        assert!(f.validate().unwrap().body.is_blank());
    }

    #[test]
    fn the_form_round_trips_through_a_draft() {
        let mut f = form();
        f.issuers = "青岚市财政局\n青岚市审计局".into();
        f.validity = "repealed".into();
        f.validity_on = "2025-06-30".into();
        f.repealed_by = "42".into();
        let d = f.validate().unwrap();
        assert_eq!(ItemForm::from_draft(&d).validate().unwrap(), d);
    }
}
