//! Statutory clocks measured in working days, with suspensions, and the
//! explanation of every due date ("why is this the due date?").
//!
//! Counting rule (条例第三十三条, ogi-domain.md §5): the period starts on
//! the day after the start date (the receipt date, or the date a 补正 is
//! received); every working day after it counts, except the days of a
//! suspension (第三十二条/第三十四条 consultations, fee notices), and the
//! period ends on the working day on which the last day is counted.

use crate::calendar::{CalendarError, DayStatus, WorkdayCalendar};
use chrono::{Datelike, NaiveDate, Weekday};
use std::fmt::Write as _;

/// Days on which the clock stands still, both ends included: a
/// consultation sent on `from` and answered on `to` suspends `from..=to`,
/// and counting resumes on the day after `to`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suspension {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Why (e.g. 征求第三方意见), shown in the explanation.
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SegmentKind {
    /// Working days here count towards the period.
    Counting,
    /// The clock stood still.
    Suspended { reason: String },
}

/// A stretch of consecutive calendar days with one meaning.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    pub kind: SegmentKind,
    pub first_day: NaiveDate,
    pub last_day: NaiveDate,
    /// Working days in the stretch (counted ones for `Counting`, skipped ones for `Suspended`).
    pub working_days: u32,
    /// 调休 weekend days worked in the stretch.
    pub make_up_days: Vec<NaiveDate>,
    /// Holidays on weekdays in the stretch.
    pub holidays: Vec<NaiveDate>,
}

/// A computed due date and how it was reached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deadline {
    pub start: NaiveDate,
    pub working_days: u32,
    pub due: NaiveDate,
    pub segments: Vec<Segment>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClockError {
    #[error(transparent)]
    Calendar(#[from] CalendarError),
    #[error("暂停区间 {from} 至 {to} 无效：结束日期早于开始日期")]
    BadSuspension { from: NaiveDate, to: NaiveDate },
}

/// The due date `working_days` working days after `start`, not counting
/// suspended days.
pub fn compute_due(
    cal: &WorkdayCalendar,
    start: NaiveDate,
    working_days: u32,
    suspensions: &[Suspension],
) -> Result<Deadline, ClockError> {
    for s in suspensions {
        if s.to < s.from {
            return Err(ClockError::BadSuspension {
                from: s.from,
                to: s.to,
            });
        }
    }
    let suspended_by = |d: NaiveDate| suspensions.iter().find(|s| s.from <= d && d <= s.to);

    let mut segments: Vec<Segment> = Vec::new();
    let mut counted = 0;
    let mut day = start;
    while counted < working_days {
        day = day
            .succ_opt()
            .ok_or_else(|| CalendarError::Data("日期超出范围".into()))?;
        let working = cal.is_working_day(day)?;
        let kind = match suspended_by(day) {
            Some(s) => SegmentKind::Suspended {
                reason: s.reason.clone(),
            },
            None => SegmentKind::Counting,
        };
        if kind == SegmentKind::Counting && working {
            counted += 1;
        }
        let seg = match segments.last_mut() {
            Some(last) if last.kind == kind => last,
            _ => {
                segments.push(Segment {
                    kind,
                    first_day: day,
                    last_day: day,
                    working_days: 0,
                    make_up_days: Vec::new(),
                    holidays: Vec::new(),
                });
                segments.last_mut().expect("just pushed")
            }
        };
        seg.last_day = day;
        if working {
            seg.working_days += 1;
        }
        match cal.status(day) {
            DayStatus::MakeUpWorkday => seg.make_up_days.push(day),
            DayStatus::Holiday if !is_weekend(day) => seg.holidays.push(day),
            _ => {}
        }
    }
    Ok(Deadline {
        start,
        working_days,
        due: day,
        segments,
    })
}

fn is_weekend(d: NaiveDate) -> bool {
    matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

/// 星期一 … 星期日
pub fn weekday_label(d: NaiveDate) -> &'static str {
    match d.weekday() {
        Weekday::Mon => "星期一",
        Weekday::Tue => "星期二",
        Weekday::Wed => "星期三",
        Weekday::Thu => "星期四",
        Weekday::Fri => "星期五",
        Weekday::Sat => "星期六",
        Weekday::Sun => "星期日",
    }
}

impl Deadline {
    /// The explanation shown to staff and printed by `gongkai calendar due`.
    pub fn explain(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "起算日：{}（{}），自次日起计算 {} 个工作日",
            self.start,
            weekday_label(self.start),
            self.working_days
        );
        for s in &self.segments {
            match &s.kind {
                SegmentKind::Counting => {
                    let _ = write!(
                        out,
                        "计时  {} 至 {}：计入 {} 个工作日",
                        s.first_day, s.last_day, s.working_days
                    );
                }
                SegmentKind::Suspended { reason } => {
                    let _ = write!(
                        out,
                        "暂停  {} 至 {}：{}，其间 {} 个工作日不计入",
                        s.first_day, s.last_day, reason, s.working_days
                    );
                }
            }
            let mut notes = Vec::new();
            if !s.make_up_days.is_empty() {
                notes.push(format!("含调休上班日 {}", join_dates(&s.make_up_days)));
            }
            if !s.holidays.is_empty() {
                notes.push(format!("法定节假日 {} 不计", join_dates(&s.holidays)));
            }
            if !notes.is_empty() {
                let _ = write!(out, "（{}）", notes.join("；"));
            }
            out.push('\n');
        }
        let counted: u32 = self
            .segments
            .iter()
            .filter(|s| s.kind == SegmentKind::Counting)
            .map(|s| s.working_days)
            .sum();
        let _ = writeln!(
            out,
            "届满日：{}（{}），共计入 {} 个工作日",
            self.due,
            weekday_label(self.due),
            counted
        );
        out
    }
}

fn join_dates(ds: &[NaiveDate]) -> String {
    ds.iter()
        .map(|d| d.format("%m-%d").to_string())
        .collect::<Vec<_>>()
        .join("、")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn due(start: &str, n: u32) -> NaiveDate {
        compute_due(&WorkdayCalendar::official(), d(start), n, &[])
            .unwrap()
            .due
    }

    /// Real dates across 春节, 国庆, 劳动节 and 调休 weekends. Each expected
    /// date was checked by counting the days against the notice of its year
    /// (and cross-checked with an independent script over the same data).
    #[test]
    fn real_calendar_cases() {
        let cases: &[(&str, u32, &str, &str)] = &[
            // Formed 2024-09-27 (Fri): 09-29 (Sun) and 10-12 (Sat) are make-up days, 10-01..07 off.
            (
                "2024-09-27",
                20,
                "2024-10-30",
                "国庆 2024 with two make-up days",
            ),
            (
                "2024-09-27",
                1,
                "2024-09-29",
                "a make-up Sunday is the first working day",
            ),
            (
                "2024-09-30",
                1,
                "2024-10-08",
                "the week of 国庆 does not count",
            ),
            ("2024-10-10", 2, "2024-10-12", "a make-up Saturday counts"),
            // 春节 2024: 02-10..17 off, 02-04 (Sun) and 02-18 (Sun) worked.
            ("2024-02-01", 20, "2024-03-05", "春节 2024"),
            (
                "2024-02-08",
                1,
                "2024-02-09",
                "除夕 2024 (02-09) was a working day",
            ),
            (
                "2024-02-09",
                1,
                "2024-02-18",
                "first working day after 春节 2024 is a make-up Sunday",
            ),
            // 春节 2025: 01-28..02-04 off, 01-26 (Sun) and 02-08 (Sat) worked.
            ("2025-01-20", 20, "2025-02-21", "春节 2025"),
            (
                "2025-01-24",
                1,
                "2025-01-26",
                "make-up Sunday before 春节 2025",
            ),
            // 国庆 2025: 10-01..08 off, 09-28 (Sun) and 10-11 (Sat) worked.
            ("2025-09-26", 20, "2025-10-30", "国庆 and 中秋 2025"),
            // 劳动节 2025: 05-01..05 off, 04-27 (Sun) worked.
            (
                "2025-04-25",
                5,
                "2025-05-06",
                "劳动节 2025 after a make-up Sunday",
            ),
            // 2020: 春节 extended to 02-02; the 02-01 make-up Saturday was cancelled.
            ("2020-01-23", 1, "2020-02-03", "春节 2020 extension"),
            // 2023 notice: 2022-12-31 off (a Saturday anyway), 2023-01-02 off.
            ("2022-12-30", 1, "2023-01-03", "元旦 2023"),
            // 2026: 春节 02-15..23 off, 02-14 (Sat) and 02-28 (Sat) worked.
            (
                "2026-02-13",
                1,
                "2026-02-14",
                "make-up Saturday before 春节 2026",
            ),
            ("2026-02-14", 1, "2026-02-24", "春节 2026"),
            ("2026-02-01", 20, "2026-03-05", "春节 2026 over 20 days"),
            // An ordinary stretch: 20 working days are four weeks.
            ("2026-03-02", 20, "2026-03-30", "no holidays"),
            ("2026-03-06", 0, "2026-03-06", "zero days"),
        ];
        for (start, n, expected, why) in cases {
            assert_eq!(due(start, *n), d(expected), "{why}: {start} + {n}");
        }
    }

    #[test]
    fn a_suspension_extends_by_the_working_days_it_covers() {
        let cal = WorkdayCalendar::official();
        let s = Suspension {
            from: d("2026-03-09"),
            to: d("2026-03-13"),
            reason: "征求第三方意见".into(),
        };
        let dl = compute_due(&cal, d("2026-03-02"), 20, &[s]).unwrap();
        assert_eq!(dl.due, d("2026-04-07")); // 03-30 + 5 working days, skipping 清明 04-04..06
        assert_eq!(dl.segments.len(), 3);
        assert_eq!(dl.segments[1].working_days, 5);
    }

    #[test]
    fn the_explanation_lists_each_segment() {
        let cal = WorkdayCalendar::official();
        let s = Suspension {
            from: d("2024-10-09"),
            to: d("2024-10-11"),
            reason: "征求第三方意见".into(),
        };
        let dl = compute_due(&cal, d("2024-09-27"), 20, &[s]).unwrap();
        let expected = "\
起算日：2024-09-27（星期五），自次日起计算 20 个工作日
计时  2024-09-28 至 2024-10-08：计入 3 个工作日（含调休上班日 09-29；法定节假日 10-01、10-02、10-03、10-04、10-07 不计）
暂停  2024-10-09 至 2024-10-11：征求第三方意见，其间 3 个工作日不计入
计时  2024-10-12 至 2024-11-04：计入 17 个工作日（含调休上班日 10-12）
届满日：2024-11-04（星期一），共计入 20 个工作日
";
        assert_eq!(dl.explain(), expected);
    }

    #[test]
    fn a_reversed_suspension_is_an_error() {
        let cal = WorkdayCalendar::official();
        let s = Suspension {
            from: d("2024-10-09"),
            to: d("2024-10-01"),
            reason: "x".into(),
        };
        assert!(matches!(
            compute_due(&cal, d("2024-09-27"), 20, &[s]),
            Err(ClockError::BadSuspension { .. })
        ));
    }

    fn any_start() -> impl Strategy<Value = NaiveDate> {
        // Starts whose 40-working-day horizon stays inside 2019-01-01..2026-11-30.
        (0i64..2800).prop_map(|o| d("2019-01-01") + chrono::Duration::days(o))
    }

    proptest! {
        #[test]
        fn due_is_a_working_day_with_exactly_n_working_days_before_it(start in any_start(), n in 1u32..=40) {
            let cal = WorkdayCalendar::official();
            let dl = compute_due(&cal, start, n, &[]).unwrap();
            prop_assert!(cal.is_working_day(dl.due).unwrap());
            prop_assert_eq!(cal.working_days_between(start, dl.due).unwrap(), n);
            prop_assert_eq!(cal.working_days_between(start, dl.due.pred_opt().unwrap()).unwrap(), n - 1);
        }

        #[test]
        fn a_suspension_never_moves_the_due_date_earlier(
            start in any_start(), n in 1u32..=20, off in 0i64..30, len in 0i64..20,
        ) {
            let cal = WorkdayCalendar::official();
            let plain = compute_due(&cal, start, n, &[]).unwrap();
            let from = start + chrono::Duration::days(off);
            let s = Suspension { from, to: from + chrono::Duration::days(len), reason: "t".into() };
            let with = compute_due(&cal, start, n, &[s]).unwrap();
            prop_assert!(with.due >= plain.due);
            prop_assert!(cal.is_working_day(with.due).unwrap());
        }

        #[test]
        fn counting_segments_add_up_to_n(start in any_start(), n in 1u32..=20, off in 0i64..30, len in 0i64..10) {
            let cal = WorkdayCalendar::official();
            let from = start + chrono::Duration::days(off);
            let s = Suspension { from, to: from + chrono::Duration::days(len), reason: "t".into() };
            let dl = compute_due(&cal, start, n, &[s]).unwrap();
            let counted: u32 = dl.segments.iter().filter(|s| s.kind == SegmentKind::Counting).map(|s| s.working_days).sum();
            prop_assert_eq!(counted, n);
            prop_assert_eq!(dl.segments.last().map(|s| s.last_day), Some(dl.due));
        }
    }
}
