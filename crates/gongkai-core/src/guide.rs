//! The 政府信息公开指南 (条例第十二条) of an agency: which elements it must
//! contain, and which of them are still missing.

use crate::org::Organisation;
use crate::text::{self, FieldErrors};
use serde::{Deserialize, Serialize};

/// The editable texts of a guide. Contact data comes from the organisation.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GuideText {
    /// 政府信息的分类: how the agency's information is classified.
    pub classification: String,
    /// 编排体系: how the catalog is arranged.
    pub arrangement: String,
    /// 获取方式: how to obtain information (主动公开 channels, 依申请公开 procedure).
    pub access: String,
    /// Anything else the agency wants to say (监督和救济, 收费 …).
    pub extra: String,
}

pub const GUIDE_TEXT_MAX: usize = 20_000;

impl GuideText {
    pub fn validate(form: &GuideText) -> Result<GuideText, FieldErrors> {
        let mut e = FieldErrors::new();
        let g = GuideText {
            classification: text::optional_text(
                &mut e,
                "classification",
                "信息分类",
                &form.classification,
                GUIDE_TEXT_MAX,
            ),
            arrangement: text::optional_text(
                &mut e,
                "arrangement",
                "编排体系",
                &form.arrangement,
                GUIDE_TEXT_MAX,
            ),
            access: text::optional_text(&mut e, "access", "获取方式", &form.access, GUIDE_TEXT_MAX),
            extra: text::optional_text(&mut e, "extra", "其他事项", &form.extra, GUIDE_TEXT_MAX),
        };
        e.into_result(g)
    }
}

/// The elements 条例第十二条 requires in every 公开指南.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum GuideElement {
    Classification,
    Arrangement,
    Access,
    OfficeName,
    Address,
    OfficeHours,
    Phone,
    Fax,
    InternetContact,
}

impl GuideElement {
    pub const ALL: [GuideElement; 9] = [
        Self::Classification,
        Self::Arrangement,
        Self::Access,
        Self::OfficeName,
        Self::Address,
        Self::OfficeHours,
        Self::Phone,
        Self::Fax,
        Self::InternetContact,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Self::Classification => "政府信息的分类",
            Self::Arrangement => "编排体系",
            Self::Access => "获取方式",
            Self::OfficeName => "政府信息公开工作机构名称",
            Self::Address => "办公地址",
            Self::OfficeHours => "办公时间",
            Self::Phone => "联系电话",
            Self::Fax => "传真号码",
            Self::InternetContact => "互联网联系方式",
        }
    }

    /// Where staff fix a missing element: the guide text or the organisation record.
    pub fn edited_in_guide(self) -> bool {
        matches!(
            self,
            Self::Classification | Self::Arrangement | Self::Access
        )
    }

    fn present(self, org: &Organisation, guide: &GuideText) -> bool {
        let has = |v: &Option<String>| v.as_deref().is_some_and(|s| !s.trim().is_empty());
        let c = &org.contact;
        match self {
            Self::Classification => !guide.classification.trim().is_empty(),
            Self::Arrangement => !guide.arrangement.trim().is_empty(),
            Self::Access => !guide.access.trim().is_empty(),
            Self::OfficeName => has(&c.office_name),
            Self::Address => has(&c.address),
            Self::OfficeHours => has(&c.office_hours),
            Self::Phone => has(&c.phone),
            Self::Fax => has(&c.fax),
            // An e-mail address or a website both satisfy 互联网联系方式.
            Self::InternetContact => has(&c.email) || has(&c.website),
        }
    }
}

/// The required elements the agency's guide lacks, in statutory order.
pub fn missing_elements(org: &Organisation, guide: &GuideText) -> Vec<GuideElement> {
    GuideElement::ALL
        .into_iter()
        .filter(|e| !e.present(org, guide))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::org::{OfficeContact, OrgKind, OrgLevel};
    use chrono::Utc;

    fn org(contact: OfficeContact) -> Organisation {
        Organisation {
            id: 1,
            parent_id: None,
            name: "青岚市人民政府办公室".into(),
            short_name: None,
            code: None,
            kind: OrgKind::GeneralOffice,
            level: OrgLevel::City,
            sort_order: 0,
            active: true,
            successor_id: None,
            contact,
            created_at: Utc::now(),
            updated_at: Utc::now(),
        }
    }

    #[test]
    fn an_empty_guide_misses_everything() {
        let m = missing_elements(&org(OfficeContact::default()), &GuideText::default());
        assert_eq!(m, GuideElement::ALL.to_vec());
    }

    #[test]
    fn a_complete_guide_misses_nothing_and_email_counts_as_internet_contact() {
        let contact = OfficeContact {
            office_name: Some("青岚市人民政府办公室政务公开科".into()),
            address: Some("青岚市政府大院1号".into()),
            office_hours: Some("工作日 9:00-12:00, 13:30-17:30".into()),
            phone: Some("0799-1234567".into()),
            fax: Some("0799-1234568".into()),
            email: Some("gkb@example.gov.cn".into()),
            ..Default::default()
        };
        let guide = GuideText {
            classification: "按主题分类".into(),
            arrangement: "按发布时间排列".into(),
            access: "网站查阅或依申请".into(),
            extra: String::new(),
        };
        assert!(missing_elements(&org(contact.clone()), &guide).is_empty());
        let no_fax = OfficeContact {
            fax: None,
            ..contact
        };
        assert_eq!(
            missing_elements(&org(no_fax), &guide),
            vec![GuideElement::Fax]
        );
    }
}
