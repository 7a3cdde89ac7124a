//! What a change of the working-day calendar does: the dates whose status
//! changes, and the open cases whose reply due date moves (or becomes
//! computable because a missing year arrives). Pure functions over two
//! calendars, used by the import preview and by the calendar page.

use crate::portal::request_view::cn_date;
use chrono::NaiveDate;
use gongkai_core::calendar::{WorkdayCalendar, YearNotice};
use gongkai_core::clock::weekday_label;
use gongkai_core::request::case::{CaseStatus, RequestCase};
use gongkai_core::request::case_clock::ClockPolicy;
use std::collections::BTreeSet;

/// One date whose status differs between the two calendars.
pub(super) struct DateChange {
    pub date: String,
    pub weekday: &'static str,
    pub before: &'static str,
    pub after: &'static str,
}

/// One imported year as the preview shows it.
pub(super) struct YearChange {
    pub year: i32,
    /// 新增 or 替换.
    pub verb: &'static str,
    pub notice: String,
    pub off: usize,
    pub work: usize,
    pub changes: Vec<DateChange>,
}

/// A date's status label, or "尚无数据" when `cal` has no notice for it.
fn label(cal: &WorkdayCalendar, d: NaiveDate) -> &'static str {
    if cal.check_known(d).is_ok() {
        cal.status(d).label()
    } else {
        "尚无数据"
    }
}

/// The years of `imported` against the calendar `before` they are added
/// to, giving `after`.
pub(super) fn year_changes(
    before: &WorkdayCalendar,
    after: &WorkdayCalendar,
    imported: &[YearNotice],
) -> Vec<YearChange> {
    imported
        .iter()
        .map(|y| {
            let old = before.years().find(|o| o.year == y.year);
            // Only listed dates can change status: the rest follow the weekday.
            let mut dates: BTreeSet<NaiveDate> = y.off.union(&y.work).copied().collect();
            if let Some(o) = old {
                dates.extend(o.off.iter().chain(&o.work).copied());
            }
            let changes = dates
                .into_iter()
                .filter_map(|d| {
                    let (b, a) = (label(before, d), label(after, d));
                    (b != a).then(|| DateChange {
                        date: cn_date(d),
                        weekday: weekday_label(d),
                        before: b,
                        after: a,
                    })
                })
                .collect();
            YearChange {
                year: y.year,
                verb: if old.is_some() { "替换" } else { "新增" },
                notice: y.notice.clone(),
                off: y.off.len(),
                work: y.work.len(),
                changes,
            }
        })
        .collect()
}

/// A case's reply due date on a calendar.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Due {
    Date(NaiveDate),
    /// No reply deadline runs (awaiting 补正).
    NotRunning,
    /// The calendar lacks a year the deadline reaches into.
    Unknown,
}

impl Due {
    fn text(&self) -> String {
        match self {
            Due::Date(d) => cn_date(*d),
            Due::NotRunning => "等待补正，暂无答复期限".into(),
            Due::Unknown => "无法计算（缺少节假日安排）".into(),
        }
    }
}

/// `None` for cases without a clock (receipt not yet confirmed) or whose
/// events cannot be replayed (the case page shows that problem).
fn reply_due(case: &RequestCase, cal: &WorkdayCalendar, today: NaiveDate) -> Option<Due> {
    let clock = case.clock(ClockPolicy::default())?.ok()?;
    Some(match clock.status(cal, today) {
        Ok(s) => s.reply.map_or(Due::NotRunning, |r| Due::Date(r.due)),
        Err(_) => Due::Unknown,
    })
}

/// One open case whose reply due date differs between two calendars.
pub(super) struct MovedCase {
    pub id: i64,
    pub number: String,
    pub org_id: gongkai_core::OrgId,
    pub before: String,
    pub after: String,
    /// The due date could not be computed before (a year was missing).
    pub first_computable: bool,
}

/// The open cases of `cases` whose reply due date on `today` differs
/// between `before` and `after`, in the order given.
pub(super) fn moved_cases(
    cases: &[RequestCase],
    before: &WorkdayCalendar,
    after: &WorkdayCalendar,
    today: NaiveDate,
) -> Vec<MovedCase> {
    cases
        .iter()
        .filter(|c| c.status != CaseStatus::Closed)
        .filter_map(|c| {
            let b = reply_due(c, before, today)?;
            let a = reply_due(c, after, today)?;
            (a != b).then(|| MovedCase {
                id: c.id,
                number: c.number.clone(),
                org_id: c.org_id,
                first_computable: b == Due::Unknown && matches!(a, Due::Date(_)),
                before: b.text(),
                after: a.text(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn a_new_year_lists_its_dates_as_previously_unknown() {
        let before = WorkdayCalendar::official();
        let y2027 = YearNotice {
            year: 2027,
            notice: "测试通知".into(),
            off: [d("2027-01-01")].into(),
            work: BTreeSet::new(),
        };
        let mut after = before.clone();
        after.add_year(y2027.clone()).unwrap();
        let ch = year_changes(&before, &after, &[y2027]);
        assert_eq!(ch.len(), 1);
        assert_eq!(ch[0].verb, "新增");
        assert_eq!(ch[0].changes.len(), 1);
        assert_eq!(ch[0].changes[0].before, "尚无数据");
        assert_eq!(ch[0].changes[0].after, "法定节假日");
    }

    #[test]
    fn a_replaced_year_lists_only_the_dates_that_change() {
        let before = WorkdayCalendar::official();
        let mut y2026 = before.years().find(|y| y.year == 2026).cloned().unwrap();
        y2026.off.remove(&d("2026-10-07"));
        y2026.off.insert(d("2026-11-16"));
        let mut after = before.clone();
        after.add_year(y2026.clone()).unwrap();
        let ch = year_changes(&before, &after, &[y2026]);
        assert_eq!(ch[0].verb, "替换");
        let got: Vec<(&str, &str, &str)> = ch[0]
            .changes
            .iter()
            .map(|c| (c.date.as_str(), c.before, c.after))
            .collect();
        assert_eq!(
            got,
            [
                ("2026年10月07日", "法定节假日", "工作日"),
                ("2026年11月16日", "工作日", "法定节假日"),
            ]
        );
    }
}
