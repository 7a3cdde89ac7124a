//! How a disclosure request is closed: one outcome per application, one
//! variant per leaf row of 2021 表三 三、本年度办理结果 (ogi-domain.md §2.3,
//! §9). The keys are the canonical `t3` row keys of
//! `annual-report-keys.json`, so the annual report is a count of outcomes.

use serde::{Deserialize, Serialize};

/// The closing outcome of an application.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(into = "&'static str", try_from = "String")]
pub enum Outcome {
    /// 予以公开 (第三十六条第（一）项 已主动公开 / 第（二）项 可以公开)
    Disclosed,
    /// 部分公开 (第三十七条 区分处理)
    Partial,
    DenyStateSecret,
    DenyLawProhibited,
    DenySecurityStability,
    DenyThirdParty,
    DenyInternalAffairs,
    DenyProcessInfo,
    DenyEnforcementFile,
    /// \[R\] 行政查询事项: information obtainable through a dedicated
    /// statutory query procedure; cited as 第三十六条第（七）项 by analogy.
    DenyQueryMatter,
    /// 本机关不掌握: both 信息不存在 (第三十六条第（四）项) and 非本机关负责
    /// 公开 (第（五）项) land here.
    UnableNotHeld,
    UnableNeedsCreation,
    UnableStillUnclear,
    RejectPetition,
    RejectRepeat,
    RejectPublication,
    RejectExcessive,
    /// \[R\] 要求确认或重新出具已获取信息: no article of the 条例 names it.
    RejectConfirmReissue,
    OtherNoCorrection,
    OtherNoFee,
    /// 其他 (e.g. the applicant withdrew).
    OtherOther,
}

/// The reply-notice template family of an outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutcomeFamily {
    Disclose,
    Partial,
    Refuse,
    Unable,
    NotProcessed,
    Other,
}

impl OutcomeFamily {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Disclose => "disclose",
            Self::Partial => "partial",
            Self::Refuse => "refuse",
            Self::Unable => "unable",
            Self::NotProcessed => "not_processed",
            Self::Other => "other",
        }
    }

    /// The 表三 group heading.
    pub fn label(self) -> &'static str {
        match self {
            Self::Disclose => "予以公开",
            Self::Partial => "部分公开",
            Self::Refuse => "不予公开",
            Self::Unable => "无法提供",
            Self::NotProcessed => "不予处理",
            Self::Other => "其他处理",
        }
    }
}

impl Outcome {
    /// In 表三 order.
    pub const ALL: [Outcome; 21] = [
        Self::Disclosed,
        Self::Partial,
        Self::DenyStateSecret,
        Self::DenyLawProhibited,
        Self::DenySecurityStability,
        Self::DenyThirdParty,
        Self::DenyInternalAffairs,
        Self::DenyProcessInfo,
        Self::DenyEnforcementFile,
        Self::DenyQueryMatter,
        Self::UnableNotHeld,
        Self::UnableNeedsCreation,
        Self::UnableStillUnclear,
        Self::RejectPetition,
        Self::RejectRepeat,
        Self::RejectPublication,
        Self::RejectExcessive,
        Self::RejectConfirmReissue,
        Self::OtherNoCorrection,
        Self::OtherNoFee,
        Self::OtherOther,
    ];

    /// The 2021 表三 row key (annual-report-keys.json `formats.2021.tables.t3.rows`).
    pub fn key(self) -> &'static str {
        match self {
            Self::Disclosed => "disclosed",
            Self::Partial => "partial",
            Self::DenyStateSecret => "deny.state_secret",
            Self::DenyLawProhibited => "deny.law_prohibited",
            Self::DenySecurityStability => "deny.security_stability",
            Self::DenyThirdParty => "deny.third_party",
            Self::DenyInternalAffairs => "deny.internal_affairs",
            Self::DenyProcessInfo => "deny.process_info",
            Self::DenyEnforcementFile => "deny.enforcement_file",
            Self::DenyQueryMatter => "deny.query_matter",
            Self::UnableNotHeld => "unable.not_held",
            Self::UnableNeedsCreation => "unable.needs_creation",
            Self::UnableStillUnclear => "unable.still_unclear",
            Self::RejectPetition => "reject.petition",
            Self::RejectRepeat => "reject.repeat",
            Self::RejectPublication => "reject.publication",
            Self::RejectExcessive => "reject.excessive",
            Self::RejectConfirmReissue => "reject.confirm_reissue",
            Self::OtherNoCorrection => "other.no_correction",
            Self::OtherNoFee => "other.no_fee",
            Self::OtherOther => "other.other",
        }
    }

    /// The 2019 trial format has a single 其他处理 row `other`.
    pub fn key_2019(self) -> &'static str {
        match self.family() {
            OutcomeFamily::Other => "other",
            _ => self.key(),
        }
    }

    pub fn parse(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|o| o.key() == key.trim())
    }

    /// Label for staff screens, with the group heading.
    pub fn label(self) -> &'static str {
        match self {
            Self::Disclosed => "予以公开",
            Self::Partial => "部分公开",
            Self::DenyStateSecret => "不予公开·属于国家秘密",
            Self::DenyLawProhibited => "不予公开·其他法律行政法规禁止公开",
            Self::DenySecurityStability => "不予公开·危及“三安全一稳定”",
            Self::DenyThirdParty => "不予公开·保护第三方合法权益",
            Self::DenyInternalAffairs => "不予公开·属于三类内部事务信息",
            Self::DenyProcessInfo => "不予公开·属于四类过程性信息",
            Self::DenyEnforcementFile => "不予公开·属于行政执法案卷",
            Self::DenyQueryMatter => "不予公开·属于行政查询事项",
            Self::UnableNotHeld => "无法提供·本机关不掌握相关政府信息",
            Self::UnableNeedsCreation => "无法提供·没有现成信息需要另行制作",
            Self::UnableStillUnclear => "无法提供·补正后申请内容仍不明确",
            Self::RejectPetition => "不予处理·信访举报投诉类申请",
            Self::RejectRepeat => "不予处理·重复申请",
            Self::RejectPublication => "不予处理·要求提供公开出版物",
            Self::RejectExcessive => "不予处理·无正当理由大量反复申请",
            Self::RejectConfirmReissue => "不予处理·要求行政机关确认或重新出具已获取信息",
            Self::OtherNoCorrection => "其他处理·申请人无正当理由逾期不补正",
            Self::OtherNoFee => "其他处理·申请人逾期未按收费通知要求缴纳费用",
            Self::OtherOther => "其他处理·其他",
        }
    }

    pub fn family(self) -> OutcomeFamily {
        use Outcome::*;
        match self {
            Disclosed => OutcomeFamily::Disclose,
            Partial => OutcomeFamily::Partial,
            DenyStateSecret
            | DenyLawProhibited
            | DenySecurityStability
            | DenyThirdParty
            | DenyInternalAffairs
            | DenyProcessInfo
            | DenyEnforcementFile
            | DenyQueryMatter => OutcomeFamily::Refuse,
            UnableNotHeld | UnableNeedsCreation | UnableStillUnclear => OutcomeFamily::Unable,
            RejectPetition | RejectRepeat | RejectPublication | RejectExcessive
            | RejectConfirmReissue => OutcomeFamily::NotProcessed,
            OtherNoCorrection | OtherNoFee | OtherOther => OutcomeFamily::Other,
        }
    }

    /// The provision(s) cited in the reply notice, or `None` where no
    /// provision names the case and the handler must state the basis in
    /// the reason text. The mapping follows ogi-domain.md §2.3/§9, which
    /// calls it "my interpretation, commonly used in practice, not an
    /// official annotation"; entries whose [`Outcome::basis_verified`] is
    /// false are additionally marked \[R\] there.
    pub fn legal_basis(self) -> Option<&'static str> {
        use Outcome::*;
        Some(match self {
            Disclosed => "《中华人民共和国政府信息公开条例》第三十六条第（一）项、第（二）项",
            Partial => "《中华人民共和国政府信息公开条例》第三十七条",
            DenyStateSecret | DenyLawProhibited | DenySecurityStability => {
                "《中华人民共和国政府信息公开条例》第十四条"
            }
            DenyThirdParty => "《中华人民共和国政府信息公开条例》第十五条",
            DenyInternalAffairs => "《中华人民共和国政府信息公开条例》第十六条第一款",
            DenyProcessInfo | DenyEnforcementFile => {
                "《中华人民共和国政府信息公开条例》第十六条第二款"
            }
            DenyQueryMatter => "《中华人民共和国政府信息公开条例》第三十六条第（七）项",
            UnableNotHeld => "《中华人民共和国政府信息公开条例》第三十六条第（四）项、第（五）项",
            UnableNeedsCreation => "《中华人民共和国政府信息公开条例》第三十八条",
            UnableStillUnclear => "《中华人民共和国政府信息公开条例》第三十条",
            RejectPetition => "《中华人民共和国政府信息公开条例》第三十九条第一款",
            RejectRepeat => "《中华人民共和国政府信息公开条例》第三十六条第（六）项",
            RejectPublication => "《中华人民共和国政府信息公开条例》第三十九条第二款",
            RejectExcessive => "《中华人民共和国政府信息公开条例》第三十五条",
            OtherNoCorrection => "《中华人民共和国政府信息公开条例》第三十条",
            // [R] The article number inside the 办法 (第六条?) was not retrieved.
            OtherNoFee => "《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）",
            RejectConfirmReissue | OtherOther => return None,
        })
    }

    /// False for the mappings ogi-domain.md marks \[R\] (not found in a source).
    pub fn basis_verified(self) -> bool {
        !matches!(
            self,
            Self::DenyQueryMatter | Self::RejectConfirmReissue | Self::OtherNoFee
        )
    }
}

impl From<Outcome> for &'static str {
    fn from(o: Outcome) -> Self {
        o.key()
    }
}

impl TryFrom<String> for Outcome {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        Self::parse(&s).ok_or_else(|| format!("未知的办理结果：{s}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    /// The t3 result rows of annual-report-keys.json (2021 format), minus
    /// the rows that are not outcomes (new, carried_in, result_total, carried_out).
    const T3_RESULT_ROWS: [&str; 21] = [
        "disclosed",
        "partial",
        "deny.state_secret",
        "deny.law_prohibited",
        "deny.security_stability",
        "deny.third_party",
        "deny.internal_affairs",
        "deny.process_info",
        "deny.enforcement_file",
        "deny.query_matter",
        "unable.not_held",
        "unable.needs_creation",
        "unable.still_unclear",
        "reject.petition",
        "reject.repeat",
        "reject.publication",
        "reject.excessive",
        "reject.confirm_reissue",
        "other.no_correction",
        "other.no_fee",
        "other.other",
    ];

    #[test]
    fn keys_are_exactly_the_t3_result_rows_in_order() {
        let keys: Vec<&str> = Outcome::ALL.iter().map(|o| o.key()).collect();
        assert_eq!(keys, T3_RESULT_ROWS);
    }

    /// Checks against the canonical key file itself (a copy of
    /// /work/shared/domain/annual-report-keys.json kept in `data/`).
    #[test]
    fn keys_match_the_canonical_key_file() {
        let json: serde_json::Value =
            serde_json::from_str(include_str!("../../data/annual-report-keys.json")).unwrap();
        let t3 = &json["formats"]["2021"]["tables"]["t3"];
        let rows: BTreeSet<&str> = t3["rows"]
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .filter(|k| !["new", "carried_in", "result_total", "carried_out"].contains(k))
            .collect();
        let ours: BTreeSet<&str> = Outcome::ALL.iter().map(|o| o.key()).collect();
        assert_eq!(ours, rows);
        let cols: BTreeSet<&str> = t3["cols"]
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .filter(|k| *k != "total")
            .collect();
        let kinds: BTreeSet<&str> = crate::request::ApplicantKind::ALL
            .iter()
            .map(|k| k.column_key())
            .collect();
        assert_eq!(kinds, cols);
    }

    #[test]
    fn keys_round_trip_and_are_unique() {
        let set: BTreeSet<&str> = Outcome::ALL.iter().map(|o| o.key()).collect();
        assert_eq!(set.len(), Outcome::ALL.len());
        for o in Outcome::ALL {
            assert_eq!(Outcome::parse(o.key()), Some(o));
            let json = serde_json::to_string(&o).unwrap();
            assert_eq!(json, format!("\"{}\"", o.key()));
            assert_eq!(serde_json::from_str::<Outcome>(&json).unwrap(), o);
        }
        assert_eq!(Outcome::parse("deny.unknown"), None);
    }

    #[test]
    fn family_sizes_match_the_table() {
        let count = |f| Outcome::ALL.iter().filter(|o| o.family() == f).count();
        assert_eq!(count(OutcomeFamily::Disclose), 1);
        assert_eq!(count(OutcomeFamily::Partial), 1);
        assert_eq!(count(OutcomeFamily::Refuse), 8);
        assert_eq!(count(OutcomeFamily::Unable), 3);
        assert_eq!(count(OutcomeFamily::NotProcessed), 5);
        assert_eq!(count(OutcomeFamily::Other), 3);
        for o in Outcome::ALL {
            assert!(o.label().starts_with(o.family().label()), "{o:?}");
        }
    }

    #[test]
    fn legal_bases_follow_the_domain_mapping() {
        assert!(
            Outcome::DenyThirdParty
                .legal_basis()
                .unwrap()
                .ends_with("第十五条")
        );
        assert!(
            Outcome::RejectRepeat
                .legal_basis()
                .unwrap()
                .ends_with("第三十六条第（六）项")
        );
        assert!(
            Outcome::UnableNeedsCreation
                .legal_basis()
                .unwrap()
                .ends_with("第三十八条")
        );
        assert_eq!(Outcome::RejectConfirmReissue.legal_basis(), None);
        assert!(!Outcome::DenyQueryMatter.basis_verified());
        assert!(Outcome::DenyStateSecret.basis_verified());
    }

    #[test]
    fn the_2019_format_folds_other_rows() {
        assert_eq!(Outcome::OtherNoFee.key_2019(), "other");
        assert_eq!(Outcome::RejectRepeat.key_2019(), "reject.repeat");
    }
}
