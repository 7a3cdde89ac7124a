//! Organisations (机关): the agency tree every other record hangs off.

use crate::OrgId;
use crate::org_code::OrgCode;
use crate::text::{self, FieldErrors};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Administrative level of an agency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrgLevel {
    Province,
    City,
    County,
    Township,
}

impl OrgLevel {
    pub const ALL: [OrgLevel; 4] = [Self::Province, Self::City, Self::County, Self::Township];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Province => "province",
            Self::City => "city",
            Self::County => "county",
            Self::Township => "township",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Province => "省级",
            Self::City => "市级",
            Self::County => "县级",
            Self::Township => "乡级",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim();
        Self::ALL
            .into_iter()
            .find(|l| l.as_str() == s || l.label() == s || l.label().trim_end_matches('级') == s)
    }
}

/// What kind of agency this is. The kind decides which obligations apply
/// (e.g. governments publish their annual report by 31 March).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrgKind {
    /// 人民政府
    Government,
    /// 政府办公厅(室): the 政府信息公开工作主管部门 of its government.
    GeneralOffice,
    /// 工作部门
    Department,
    /// 乡镇人民政府 / 街道办事处
    TownshipStreet,
    /// 其他 (派出机构, 法律法规授权组织 …)
    Other,
}

impl OrgKind {
    pub const ALL: [OrgKind; 5] = [
        Self::Government,
        Self::GeneralOffice,
        Self::Department,
        Self::TownshipStreet,
        Self::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Government => "government",
            Self::GeneralOffice => "general_office",
            Self::Department => "department",
            Self::TownshipStreet => "township_street",
            Self::Other => "other",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Government => "人民政府",
            Self::GeneralOffice => "政府办公厅（室）",
            Self::Department => "工作部门",
            Self::TownshipStreet => "乡镇街道",
            Self::Other => "其他",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim();
        let alias = match s {
            "政府办公厅" | "政府办公室" | "政府办公厅(室)" | "办公厅" | "办公室" => {
                Some(Self::GeneralOffice)
            }
            "乡镇" | "街道" | "乡镇人民政府" | "街道办事处" => {
                Some(Self::TownshipStreet)
            }
            "部门" => Some(Self::Department),
            "政府" => Some(Self::Government),
            _ => None,
        };
        alias.or_else(|| {
            Self::ALL
                .into_iter()
                .find(|k| k.as_str() == s || k.label() == s)
        })
    }
}

/// Contact data of the agency's 政府信息公开工作机构 (条例第十二条).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfficeContact {
    /// 工作机构名称
    pub office_name: Option<String>,
    /// 办公地址
    pub address: Option<String>,
    /// 办公时间
    pub office_hours: Option<String>,
    /// 联系电话
    pub phone: Option<String>,
    /// 传真号码
    pub fax: Option<String>,
    /// 电子邮箱
    pub email: Option<String>,
    /// 互联网联系方式 (网站或在线申请地址)
    pub website: Option<String>,
    /// 邮政编码
    pub postcode: Option<String>,
}

/// An agency as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Organisation {
    pub id: OrgId,
    pub parent_id: Option<OrgId>,
    pub name: String,
    pub short_name: Option<String>,
    pub code: Option<OrgCode>,
    pub kind: OrgKind,
    pub level: OrgLevel,
    /// Display order among siblings (smaller first).
    pub sort_order: i32,
    /// Closed or merged agencies stay in the tree with `active = false`
    /// so that their published records keep an owner.
    pub active: bool,
    /// The agency that took over when this one merged or closed.
    pub successor_id: Option<OrgId>,
    pub contact: OfficeContact,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Organisation {
    /// Short name when set, else the full name.
    pub fn display_short(&self) -> &str {
        self.short_name.as_deref().unwrap_or(&self.name)
    }
}

/// The raw form/CSV input for creating or editing an organisation.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct OrgForm {
    pub name: String,
    pub short_name: String,
    pub code: String,
    pub kind: String,
    pub level: String,
    pub sort_order: String,
    pub active: bool,
    pub office_name: String,
    pub address: String,
    pub office_hours: String,
    pub phone: String,
    pub fax: String,
    pub email: String,
    pub website: String,
    pub postcode: String,
}

/// A validated organisation, ready to be stored. The parent is chosen
/// separately because creating and editing treat it differently.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgDraft {
    pub name: String,
    pub short_name: Option<String>,
    pub code: Option<OrgCode>,
    pub kind: OrgKind,
    pub level: OrgLevel,
    pub sort_order: i32,
    pub active: bool,
    pub successor_id: Option<OrgId>,
    pub contact: OfficeContact,
}

pub const NAME_MAX: usize = 100;
pub const SHORT_NAME_MAX: usize = 30;
const CONTACT_MAX: usize = 200;

impl OrgForm {
    /// Parses the form. `parent_level` is the level of the agency the new or
    /// edited one sits under; a child cannot sit above its parent.
    pub fn validate(&self, parent_level: Option<OrgLevel>) -> Result<OrgDraft, FieldErrors> {
        let mut e = FieldErrors::new();
        let name = text::required(&mut e, "name", "机构名称", &self.name, NAME_MAX);
        let short_name = text::optional(
            &mut e,
            "short_name",
            "机构简称",
            &self.short_name,
            SHORT_NAME_MAX,
        );
        let code = match text::clean_line(&self.code).as_str() {
            "" => None,
            c => match OrgCode::parse(c) {
                Ok(code) => Some(code),
                Err(err) => {
                    e.add("code", err.to_string());
                    None
                }
            },
        };
        let kind = OrgKind::parse(&self.kind);
        if kind.is_none() {
            e.add("kind", "请选择机构类型");
        }
        let level = OrgLevel::parse(&self.level);
        match (level, parent_level) {
            (None, _) => e.add("level", "请选择行政层级"),
            (Some(l), Some(p)) if l < p => e.add(
                "level",
                format!("下级机构的层级不能高于上级机构（{}）", p.label()),
            ),
            _ => {}
        }
        let sort_order = match self.sort_order.trim() {
            "" => 0,
            s => s.parse::<i32>().unwrap_or_else(|_| {
                e.add("sort_order", "排序号应为整数");
                0
            }),
        };
        let contact = OfficeContact {
            office_name: text::optional(
                &mut e,
                "office_name",
                "工作机构名称",
                &self.office_name,
                NAME_MAX,
            ),
            address: text::optional(&mut e, "address", "办公地址", &self.address, CONTACT_MAX),
            office_hours: text::optional(
                &mut e,
                "office_hours",
                "办公时间",
                &self.office_hours,
                CONTACT_MAX,
            ),
            phone: check_phone(&mut e, "phone", "联系电话", &self.phone),
            fax: check_phone(&mut e, "fax", "传真号码", &self.fax),
            email: text::optional_email(&mut e, &self.email, 120),
            website: check_website(&mut e, &self.website),
            postcode: text::optional_postcode(&mut e, &self.postcode),
        };
        let (Some(kind), Some(level)) = (kind, level) else {
            return Err(e);
        };
        e.into_result(OrgDraft {
            name,
            short_name,
            code,
            kind,
            level,
            sort_order,
            active: self.active,
            successor_id: None,
            contact,
        })
    }

    /// The form pre-filled from a stored organisation (for edit pages).
    pub fn from_org(o: &Organisation) -> Self {
        let s = |v: &Option<String>| v.clone().unwrap_or_default();
        Self {
            name: o.name.clone(),
            short_name: s(&o.short_name),
            code: o.code.as_ref().map(|c| c.to_string()).unwrap_or_default(),
            kind: o.kind.as_str().into(),
            level: o.level.as_str().into(),
            sort_order: o.sort_order.to_string(),
            active: o.active,
            office_name: s(&o.contact.office_name),
            address: s(&o.contact.address),
            office_hours: s(&o.contact.office_hours),
            phone: s(&o.contact.phone),
            fax: s(&o.contact.fax),
            email: s(&o.contact.email),
            website: s(&o.contact.website),
            postcode: s(&o.contact.postcode),
        }
    }
}

fn check_phone(e: &mut FieldErrors, field: &'static str, label: &str, v: &str) -> Option<String> {
    let v = text::optional(e, field, label, v, 60)?;
    let ok = v.chars().any(|c| c.is_ascii_digit())
        && v.chars()
            .all(|c| c.is_ascii_digit() || " -+()（）、，,;；转".contains(c));
    if !ok {
        e.add(
            field,
            format!("{label}只能包含数字、空格、“-”“+”、括号和“转”，多个号码用顿号分隔"),
        );
    }
    Some(v)
}

fn check_website(e: &mut FieldErrors, v: &str) -> Option<String> {
    let v = text::optional(e, "website", "互联网联系方式", v, CONTACT_MAX)?;
    if v.contains(' ') || !(v.starts_with("http://") || v.starts_with("https://")) {
        e.add(
            "website",
            "互联网联系方式应为以 http:// 或 https:// 开头的网址",
        );
    }
    Some(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> OrgForm {
        OrgForm {
            name: "青岚市交通运输局".into(),
            kind: "department".into(),
            level: "city".into(),
            active: true,
            phone: "0799-1234567".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_complete_form_validates() {
        let d = form().validate(None).unwrap();
        assert_eq!(d.kind, OrgKind::Department);
        assert_eq!(d.level, OrgLevel::City);
        assert_eq!(d.contact.phone.as_deref(), Some("0799-1234567"));
    }

    #[test]
    fn empty_name_and_bad_code_are_reported_per_field() {
        let mut f = form();
        f.name = " ".into();
        f.code = "11990100MB000000".into();
        let e = f.validate(None).unwrap_err();
        assert_eq!(e.get("name"), Some("请填写机构名称"));
        assert!(e.get("code").unwrap().contains("18位"));
    }

    #[test]
    fn over_long_name_is_rejected() {
        let mut f = form();
        f.name = "局".repeat(NAME_MAX + 1);
        let e = f.validate(None).unwrap_err();
        assert_eq!(e.get("name"), Some("机构名称不能超过100个字符"));
    }

    #[test]
    fn a_child_cannot_sit_above_its_parent() {
        let e = form().validate(Some(OrgLevel::County)).unwrap_err();
        assert!(e.get("level").unwrap().contains("县级"));
        assert!(form().validate(Some(OrgLevel::City)).is_ok());
    }

    #[test]
    fn bad_contact_data_is_reported() {
        let mut f = form();
        f.email = "gkb.example".into();
        f.website = "www.example.gov.cn".into();
        f.postcode = "12345".into();
        f.phone = "请拨打".into();
        let e = f.validate(None).unwrap_err();
        for field in ["email", "website", "postcode", "phone"] {
            assert!(e.get(field).is_some(), "{field} should be rejected");
        }
    }

    #[test]
    fn kinds_and_levels_parse_from_chinese_labels() {
        assert_eq!(OrgKind::parse("政府办公室"), Some(OrgKind::GeneralOffice));
        assert_eq!(OrgKind::parse("工作部门"), Some(OrgKind::Department));
        assert_eq!(OrgLevel::parse("县级"), Some(OrgLevel::County));
        assert_eq!(OrgLevel::parse("乡"), Some(OrgLevel::Township));
        assert_eq!(OrgLevel::parse("county"), Some(OrgLevel::County));
    }
}
