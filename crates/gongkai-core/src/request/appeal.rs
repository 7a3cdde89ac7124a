//! The 行政复议/行政诉讼 register: challenges to an agency's handling of
//! disclosure requests, which the annual report counts in 表四
//! (ogi-domain.md §2.4: 行政复议, 行政诉讼·未经复议直接起诉 and
//! 行政诉讼·复议后起诉, each as 结果维持 / 结果纠正 / 其他结果 / 尚未审结 /
//! 总计).
//!
//! A record belongs to one agency (the respondent) and may name the case it
//! is about; challenges that cannot be tied to a case in this system (filed
//! before it was in use, or about a request made elsewhere) are kept
//! standalone. Records hold no applicant data: the register names the
//! reviewing organ or court and its case reference, not the applicant.

use super::case::CaseId;
use crate::OrgId;
use crate::text::{self, FieldErrors};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

pub const ORGAN_MAX: usize = 100;
pub const REFERENCE_MAX: usize = 100;
pub const NOTE_MAX: usize = 1000;

/// Which kind of challenge (the three column groups of 表四).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AppealKind {
    /// 行政复议
    Reconsideration,
    /// 行政诉讼·未经复议直接起诉
    LitigationDirect,
    /// 行政诉讼·复议后起诉
    LitigationAfterReview,
}

impl AppealKind {
    pub const ALL: [AppealKind; 3] = [
        Self::Reconsideration,
        Self::LitigationDirect,
        Self::LitigationAfterReview,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Reconsideration => "reconsideration",
            Self::LitigationDirect => "litigation_direct",
            Self::LitigationAfterReview => "litigation_after_review",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Reconsideration => "行政复议",
            Self::LitigationDirect => "行政诉讼·未经复议直接起诉",
            Self::LitigationAfterReview => "行政诉讼·复议后起诉",
        }
    }

    /// What the deciding body is called, for form labels.
    pub fn organ_label(self) -> &'static str {
        match self {
            Self::Reconsideration => "复议机关",
            Self::LitigationDirect | Self::LitigationAfterReview => "审理法院",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s.trim())
    }

    fn index(self) -> usize {
        match self {
            Self::Reconsideration => 0,
            Self::LitigationDirect => 1,
            Self::LitigationAfterReview => 2,
        }
    }
}

/// The result columns of 表四. [`Pending`](Self::Pending) (尚未审结) is the
/// only result without a decision date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AppealResult {
    /// 结果维持 (复议维持 / 判决驳回诉讼请求)
    Upheld,
    /// 结果纠正 (撤销、变更、确认违法、责令履行 …)
    Corrected,
    /// 其他结果 (撤回、驳回复议申请、终止、调解 …)
    Other,
    /// 尚未审结
    Pending,
}

impl AppealResult {
    pub const ALL: [AppealResult; 4] = [Self::Upheld, Self::Corrected, Self::Other, Self::Pending];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Upheld => "upheld",
            Self::Corrected => "corrected",
            Self::Other => "other",
            Self::Pending => "pending",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Upheld => "结果维持",
            Self::Corrected => "结果纠正",
            Self::Other => "其他结果",
            Self::Pending => "尚未审结",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == s.trim())
    }

    fn index(self) -> usize {
        match self {
            Self::Upheld => 0,
            Self::Corrected => 1,
            Self::Other => 2,
            Self::Pending => 3,
        }
    }
}

/// A validated record as written to the store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppealDraft {
    /// The agency whose handling is challenged (被申请人 / 被告).
    pub org_id: OrgId,
    /// The disclosure request concerned, if it is in this system.
    pub case_id: Option<CaseId>,
    pub kind: AppealKind,
    /// 申请复议 / 起诉 date (the 表四 year is its year).
    pub filed_on: NaiveDate,
    /// 复议机关 or court.
    pub organ: String,
    /// The organ's case reference (复议案号 / 诉讼案号), e.g. （2025）青01行初12号.
    pub reference: Option<String>,
    /// Set exactly when `result` is not [`AppealResult::Pending`].
    pub decided_on: Option<NaiveDate>,
    pub result: AppealResult,
    /// Staff note; kept out of the audit log (it may name the applicant).
    pub note: Option<String>,
}

/// A stored record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Appeal {
    pub id: i64,
    #[serde(flatten)]
    pub draft: AppealDraft,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// The form as submitted (all text), with the agency already resolved by
/// the caller (who checks its scope).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct AppealForm {
    #[serde(default)]
    pub case_id: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub filed_on: String,
    #[serde(default)]
    pub organ: String,
    #[serde(default)]
    pub reference: String,
    #[serde(default)]
    pub decided_on: String,
    #[serde(default)]
    pub result: String,
    #[serde(default)]
    pub note: String,
}

fn date_field(
    errors: &mut FieldErrors,
    field: &'static str,
    label: &str,
    value: &str,
    today: NaiveDate,
) -> Option<NaiveDate> {
    let v = value.trim();
    if v.is_empty() {
        return None;
    }
    match NaiveDate::parse_from_str(v, "%Y-%m-%d") {
        Ok(d) if d > today => {
            errors.add(field, format!("{label}不能晚于今天"));
            None
        }
        Ok(d) if d.year() < 2008 => {
            // The 条例 took effect on 2008-05-01; nothing earlier can be a
            // 政府信息公开 challenge.
            errors.add(field, format!("{label}不能早于2008年"));
            None
        }
        Ok(d) => Some(d),
        Err(_) => {
            errors.add(field, format!("{label}格式应为 YYYY-MM-DD"));
            None
        }
    }
}

impl AppealForm {
    /// Checks the form for `org_id`; `today` is the agency's date (no date
    /// may lie after it). Whether the case belongs to the agency is the
    /// store's check, inside its transaction.
    pub fn validate(&self, org_id: OrgId, today: NaiveDate) -> Result<AppealDraft, FieldErrors> {
        let mut errors = FieldErrors::new();
        let case_id = match self.case_id.trim() {
            "" => None,
            s => match s.parse::<CaseId>() {
                Ok(id) if id > 0 => Some(id),
                _ => {
                    errors.add("case_id", "关联申请的编号无效");
                    None
                }
            },
        };
        let kind = AppealKind::parse(&self.kind);
        if kind.is_none() {
            errors.add("kind", "请选择类型（行政复议或行政诉讼）");
        }
        let filed_on = date_field(
            &mut errors,
            "filed_on",
            "申请或起诉日期",
            &self.filed_on,
            today,
        );
        if filed_on.is_none() && errors.get("filed_on").is_none() {
            errors.add("filed_on", "请填写申请复议或起诉的日期");
        }
        let organ_label = kind.map_or("复议机关或法院", AppealKind::organ_label);
        let organ = text::required(&mut errors, "organ", organ_label, &self.organ, ORGAN_MAX);
        let reference = text::optional(
            &mut errors,
            "reference",
            "案号",
            &self.reference,
            REFERENCE_MAX,
        );
        let decided_on = date_field(
            &mut errors,
            "decided_on",
            "审结日期",
            &self.decided_on,
            today,
        );
        let result = AppealResult::parse(&self.result);
        match result {
            None => errors.add("result", "请选择结果"),
            Some(AppealResult::Pending) if !self.decided_on.trim().is_empty() => errors.add(
                "decided_on",
                "尚未审结的案件不应填写审结日期；已审结的请选择结果",
            ),
            Some(r) if r != AppealResult::Pending && self.decided_on.trim().is_empty() => {
                errors.add("decided_on", "已审结的案件请填写审结日期")
            }
            Some(_) => {}
        }
        if let (Some(f), Some(d)) = (filed_on, decided_on)
            && d < f
        {
            errors.add("decided_on", "审结日期不能早于申请或起诉日期");
        }
        let note = text::optional_text(&mut errors, "note", "备注", &self.note, NOTE_MAX);
        match (kind, filed_on, result) {
            (Some(kind), Some(filed_on), Some(result)) if errors.is_empty() => Ok(AppealDraft {
                org_id,
                case_id,
                kind,
                filed_on,
                organ,
                reference,
                decided_on: if result == AppealResult::Pending {
                    None
                } else {
                    decided_on
                },
                result,
                note: (!note.is_empty()).then_some(note),
            }),
            _ => Err(errors),
        }
    }

    /// The form filled with a stored record, for editing.
    pub fn from_draft(d: &AppealDraft) -> Self {
        Self {
            case_id: d.case_id.map(|c| c.to_string()).unwrap_or_default(),
            kind: d.kind.as_str().into(),
            filed_on: d.filed_on.to_string(),
            organ: d.organ.clone(),
            reference: d.reference.clone().unwrap_or_default(),
            decided_on: d.decided_on.map(|x| x.to_string()).unwrap_or_default(),
            result: d.result.as_str().into(),
            note: d.note.clone().unwrap_or_default(),
        }
    }
}

impl AppealDraft {
    /// The invariants the form enforces, re-checked by the store so that no
    /// caller (CLI, demo, import) can store an inconsistent record.
    pub fn check(&self, today: NaiveDate) -> Result<(), String> {
        if self.filed_on > today {
            return Err("申请或起诉日期不能晚于今天".into());
        }
        if text::clean_line(&self.organ).is_empty() {
            return Err("请填写复议机关或法院".into());
        }
        match (self.result, self.decided_on) {
            (AppealResult::Pending, Some(_)) => Err("尚未审结的案件不应有审结日期".into()),
            (AppealResult::Pending, None) => Ok(()),
            (_, None) => Err("已审结的案件须有审结日期".into()),
            (_, Some(d)) if d < self.filed_on => Err("审结日期不能早于申请或起诉日期".into()),
            (_, Some(d)) if d > today => Err("审结日期不能晚于今天".into()),
            (_, Some(_)) => Ok(()),
        }
    }

    /// The result as it stood at the end of `as_of`: a record decided
    /// later was still 尚未审结 then.
    pub fn result_as_of(&self, as_of: NaiveDate) -> AppealResult {
        match self.decided_on {
            Some(d) if d <= as_of => self.result,
            _ => AppealResult::Pending,
        }
    }
}

/// 表四 of one year: the number of records per (kind, result).
///
/// Counting rule (documented in docs/requests.md): a record counts in the
/// year it was **filed**, with its result **as of 31 December** of that
/// year — one decided later, or not yet, counts as 尚未审结. A later year's
/// report does not count it again, so every challenge is in exactly one
/// report.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct AppealTally {
    counts: [[i64; 4]; 3],
}

impl AppealTally {
    pub fn add(&mut self, kind: AppealKind, result: AppealResult, n: i64) {
        self.counts[kind.index()][result.index()] += n;
    }

    pub fn get(&self, kind: AppealKind, result: AppealResult) -> i64 {
        self.counts[kind.index()][result.index()]
    }

    /// 总计 of one kind.
    pub fn total(&self, kind: AppealKind) -> i64 {
        self.counts[kind.index()].iter().sum()
    }

    /// The 15 cells of 表四 in print order: for 复议, 直接起诉, 复议后起诉
    /// each 维持, 纠正, 其他, 尚未审结, 总计.
    pub fn cells(&self) -> [i64; 15] {
        let mut out = [0; 15];
        for kind in AppealKind::ALL {
            let base = kind.index() * 5;
            for result in AppealResult::ALL {
                out[base + result.index()] = self.get(kind, result);
            }
            out[base + 4] = self.total(kind);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn form() -> AppealForm {
        AppealForm {
            case_id: "17".into(),
            kind: "reconsideration".into(),
            filed_on: "2025-03-04".into(),
            organ: "青岚市人民政府".into(),
            reference: "青政复〔2025〕31号".into(),
            decided_on: "2025-05-20".into(),
            result: "upheld".into(),
            note: "  复议维持原答复  ".into(),
        }
    }

    const TODAY: &str = "2026-01-10";

    #[test]
    fn a_complete_form_validates() {
        let a = form().validate(5, d(TODAY)).unwrap();
        assert_eq!(a.org_id, 5);
        assert_eq!(a.case_id, Some(17));
        assert_eq!(a.kind, AppealKind::Reconsideration);
        assert_eq!(a.decided_on, Some(d("2025-05-20")));
        assert_eq!(a.note.as_deref(), Some("复议维持原答复"));
        assert_eq!(a.check(d(TODAY)), Ok(()));
        assert_eq!(AppealForm::from_draft(&a).validate(5, d(TODAY)), Ok(a));
    }

    #[test]
    fn pending_needs_no_decision_date_and_refuses_one() {
        let mut f = form();
        f.result = "pending".into();
        let e = f.clone().validate(5, d(TODAY)).unwrap_err();
        assert!(e.get("decided_on").unwrap().contains("尚未审结"));
        f.decided_on.clear();
        let a = f.validate(5, d(TODAY)).unwrap();
        assert_eq!((a.result, a.decided_on), (AppealResult::Pending, None));
    }

    #[test]
    fn a_decided_result_needs_its_date() {
        let mut f = form();
        f.decided_on.clear();
        let e = f.validate(5, d(TODAY)).unwrap_err();
        assert_eq!(e.get("decided_on"), Some("已审结的案件请填写审结日期"));
    }

    #[test]
    fn dates_are_checked() {
        let mut f = form();
        f.filed_on = "2026-01-11".into();
        let e = f.validate(5, d(TODAY)).unwrap_err();
        assert_eq!(e.get("filed_on"), Some("申请或起诉日期不能晚于今天"));
        let mut f = form();
        f.decided_on = "2025-03-03".into();
        let e = f.validate(5, d(TODAY)).unwrap_err();
        assert_eq!(e.get("decided_on"), Some("审结日期不能早于申请或起诉日期"));
        let mut f = form();
        f.decided_on = "2025/05/20".into();
        assert!(f.validate(5, d(TODAY)).is_err());
        let mut f = form();
        f.filed_on.clear();
        let e = f.validate(5, d(TODAY)).unwrap_err();
        assert_eq!(e.get("filed_on"), Some("请填写申请复议或起诉的日期"));
    }

    #[test]
    fn required_choices_and_lengths() {
        let f = AppealForm {
            case_id: "x".into(),
            organ: "院".repeat(ORGAN_MAX + 1),
            ..Default::default()
        };
        let e = f.validate(5, d(TODAY)).unwrap_err();
        for field in ["case_id", "kind", "filed_on", "organ", "result"] {
            assert!(e.get(field).is_some(), "{field}");
        }
        let mut f = form();
        f.organ = "  ".into();
        let e = f.validate(5, d(TODAY)).unwrap_err();
        assert_eq!(e.get("organ"), Some("请填写复议机关"));
    }

    #[test]
    fn check_refuses_inconsistent_drafts() {
        let mut a = form().validate(5, d(TODAY)).unwrap();
        a.result = AppealResult::Pending;
        assert!(a.check(d(TODAY)).is_err());
        a.decided_on = None;
        assert!(a.check(d(TODAY)).is_ok());
        a.result = AppealResult::Corrected;
        assert!(a.check(d(TODAY)).is_err());
        a.decided_on = Some(d("2025-01-01"));
        assert!(a.check(d(TODAY)).is_err());
        a.decided_on = Some(d("2026-02-01"));
        assert!(a.check(d(TODAY)).is_err());
    }

    #[test]
    fn results_as_of_a_year_end() {
        let a = form().validate(5, d(TODAY)).unwrap();
        assert_eq!(a.result_as_of(d("2025-12-31")), AppealResult::Upheld);
        assert_eq!(a.result_as_of(d("2025-05-19")), AppealResult::Pending);
    }

    #[test]
    fn tally_cells_follow_table_four() {
        let mut t = AppealTally::default();
        t.add(AppealKind::Reconsideration, AppealResult::Upheld, 6);
        t.add(AppealKind::Reconsideration, AppealResult::Pending, 1);
        t.add(AppealKind::LitigationDirect, AppealResult::Corrected, 2);
        t.add(AppealKind::LitigationAfterReview, AppealResult::Other, 3);
        assert_eq!(t.cells(), [6, 0, 0, 1, 7, 0, 2, 0, 0, 2, 0, 0, 3, 0, 3]);
    }
}
