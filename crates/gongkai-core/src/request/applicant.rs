//! Who applies (条例第二十九条第二款第（一）项: 姓名或者名称、身份证明、
//! 联系方式), classified by the columns of 表三.

use serde::{Deserialize, Serialize};

/// 法人或其他组织 sub-types, as the columns of 表三.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrgApplicantType {
    /// 商业企业
    Commercial,
    /// 科研机构
    Research,
    /// 社会公益组织
    Nonprofit,
    /// 法律服务机构
    LegalService,
    /// 其他
    Other,
}

/// The applicant's type; decides the 表三 column the case is counted in.
/// Serialised as its column key (e.g. `"legal_service"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(into = "&'static str", try_from = "String")]
pub enum ApplicantKind {
    /// 自然人
    Natural,
    /// 法人或其他组织
    Organisation(OrgApplicantType),
}

impl ApplicantKind {
    /// In 表三 column order.
    pub const ALL: [ApplicantKind; 6] = [
        Self::Natural,
        Self::Organisation(OrgApplicantType::Commercial),
        Self::Organisation(OrgApplicantType::Research),
        Self::Organisation(OrgApplicantType::Nonprofit),
        Self::Organisation(OrgApplicantType::LegalService),
        Self::Organisation(OrgApplicantType::Other),
    ];

    /// The 2021 表三 column key (annual-report-keys.json `t3.cols`); also
    /// the form value.
    pub fn column_key(self) -> &'static str {
        match self {
            Self::Natural => "natural",
            Self::Organisation(OrgApplicantType::Commercial) => "commercial",
            Self::Organisation(OrgApplicantType::Research) => "research",
            Self::Organisation(OrgApplicantType::Nonprofit) => "nonprofit",
            Self::Organisation(OrgApplicantType::LegalService) => "legal_service",
            Self::Organisation(OrgApplicantType::Other) => "other_org",
        }
    }

    /// Label as in 表三 (the organisation ones under 法人或其他组织).
    pub fn label(self) -> &'static str {
        match self {
            Self::Natural => "自然人",
            Self::Organisation(OrgApplicantType::Commercial) => "商业企业",
            Self::Organisation(OrgApplicantType::Research) => "科研机构",
            Self::Organisation(OrgApplicantType::Nonprofit) => "社会公益组织",
            Self::Organisation(OrgApplicantType::LegalService) => "法律服务机构",
            Self::Organisation(OrgApplicantType::Other) => "其他组织",
        }
    }

    pub fn parse(key: &str) -> Option<Self> {
        let key = key.trim();
        Self::ALL
            .into_iter()
            .find(|k| k.column_key() == key || k.label() == key)
    }

    pub fn is_natural(self) -> bool {
        self == Self::Natural
    }
}

impl From<ApplicantKind> for &'static str {
    fn from(k: ApplicantKind) -> Self {
        k.column_key()
    }
}

impl TryFrom<String> for ApplicantKind {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        Self::parse(&s).ok_or_else(|| format!("未知的申请人类型：{s}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_keys_are_the_t3_columns_in_order() {
        let keys: Vec<&str> = ApplicantKind::ALL.iter().map(|k| k.column_key()).collect();
        assert_eq!(
            keys,
            [
                "natural",
                "commercial",
                "research",
                "nonprofit",
                "legal_service",
                "other_org"
            ]
        );
        for k in ApplicantKind::ALL {
            assert_eq!(ApplicantKind::parse(k.column_key()), Some(k));
            assert_eq!(ApplicantKind::parse(k.label()), Some(k));
        }
        assert_eq!(ApplicantKind::parse("total"), None);
        let json = serde_json::to_string(&ApplicantKind::ALL[4]).unwrap();
        assert_eq!(json, "\"legal_service\"");
        assert_eq!(
            serde_json::from_str::<ApplicantKind>(&json).unwrap(),
            ApplicantKind::ALL[4]
        );
    }
}
