//! The publication deadline of 条例第二十六条: information to be disclosed
//! proactively is published within 20 working days of the day it was
//! formed or changed. Counting follows [`crate::clock`]: from the day after
//! the 形成/变更日期, on the official calendar, and a date in a year
//! without a loaded notice is an error, never a guess.

use crate::calendar::{CalendarError, WorkdayCalendar};
use crate::clock::{ClockError, Deadline, compute_due};
use chrono::{DateTime, FixedOffset, NaiveDate, Utc};

/// 条例第二十六条.
pub const PUBLICATION_WORKING_DAYS: u32 = 20;
/// The console warns this many working days ahead.
pub const DUE_SOON_WORKING_DAYS: u32 = 3;

/// The calendar day in Beijing time: publication dates, and the year of an
/// index number, are what a Chinese reader's calendar said.
pub fn china_date(t: DateTime<Utc>) -> NaiveDate {
    let beijing = FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset");
    t.with_timezone(&beijing).date_naive()
}

/// The due date, with its explanation ([`Deadline::explain`]).
pub fn publication_deadline(
    cal: &WorkdayCalendar,
    formed_on: NaiveDate,
) -> Result<Deadline, ClockError> {
    compute_due(cal, formed_on, PUBLICATION_WORKING_DAYS, &[])
}

/// Whether an item published on `published_on` met the deadline.
pub fn published_on_time(
    cal: &WorkdayCalendar,
    formed_on: NaiveDate,
    published_on: NaiveDate,
) -> Result<bool, ClockError> {
    Ok(published_on <= publication_deadline(cal, formed_on)?.due)
}

/// Where an unpublished item stands on `today`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DueStatus {
    /// More than [`DUE_SOON_WORKING_DAYS`] working days left.
    Open { working_days_left: u32 },
    /// Due within [`DUE_SOON_WORKING_DAYS`] working days; 0 = due today.
    DueSoon { working_days_left: u32 },
    /// Past its due date by this many working days (at least 1 calendar day).
    Overdue { working_days_late: u32 },
}

impl DueStatus {
    pub fn of(
        cal: &WorkdayCalendar,
        due: NaiveDate,
        today: NaiveDate,
    ) -> Result<Self, CalendarError> {
        if today > due {
            return Ok(Self::Overdue {
                working_days_late: cal.working_days_between(due, today)?,
            });
        }
        let left = cal.working_days_between(today, due)?;
        Ok(if left <= DUE_SOON_WORKING_DAYS {
            Self::DueSoon {
                working_days_left: left,
            }
        } else {
            Self::Open {
                working_days_left: left,
            }
        })
    }

    pub fn is_due_soon(self) -> bool {
        matches!(self, Self::DueSoon { .. })
    }

    pub fn is_overdue(self) -> bool {
        matches!(self, Self::Overdue { .. })
    }

    /// e.g. 还剩2个工作日 / 今日到期 / 已逾期3个工作日.
    pub fn label(self) -> String {
        match self {
            Self::Open {
                working_days_left: n,
            }
            | Self::DueSoon {
                working_days_left: n,
            } if n > 0 => {
                format!("还剩{n}个工作日")
            }
            Self::Open { .. } | Self::DueSoon { .. } => "今日到期".into(),
            Self::Overdue {
                working_days_late: 0,
            } => "已逾期".into(),
            Self::Overdue {
                working_days_late: n,
            } => format!("已逾期{n}个工作日"),
        }
    }
}

/// The window of the console's "due soon or overdue" list on `today`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DueWindow {
    pub today: NaiveDate,
    /// The last due date that counts as "due soon".
    pub horizon: NaiveDate,
    /// An item formed on or before this day is due on or before `horizon`
    /// (and one formed after it is not): the store filters on the stored
    /// 形成/变更日期, so no computed due date has to be kept up to date when
    /// an administrator loads a new calendar year.
    pub formed_cutoff: NaiveDate,
}

impl DueWindow {
    pub fn on(cal: &WorkdayCalendar, today: NaiveDate) -> Result<Self, CalendarError> {
        let horizon = cal.add_working_days(today, DUE_SOON_WORKING_DAYS)?;
        // Walk back from the horizon to its 20th working day d (counting
        // the horizon itself): exactly 20 working days lie in (d - 1, horizon],
        // so d - 1 is the latest formation date due by the horizon.
        let mut d = horizon;
        let mut counted = 0;
        loop {
            if cal.is_working_day(d)? {
                counted += 1;
                if counted == PUBLICATION_WORKING_DAYS {
                    break;
                }
            }
            d = d
                .pred_opt()
                .ok_or_else(|| CalendarError::Data("日期超出范围".into()))?;
        }
        let formed_cutoff = d
            .pred_opt()
            .ok_or_else(|| CalendarError::Data("日期超出范围".into()))?;
        Ok(Self {
            today,
            horizon,
            formed_cutoff,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn formed_before_national_day_2024_is_due_on_october_30() {
        // 09-29 (Sun) and 10-12 (Sat) are make-up working days; 10-01..07 are off.
        let cal = WorkdayCalendar::official();
        let dl = publication_deadline(&cal, d("2024-09-27")).unwrap();
        assert_eq!(dl.due, d("2024-10-30"));
        assert!(dl.explain().contains("含调休上班日 09-29"));
        assert!(published_on_time(&cal, d("2024-09-27"), d("2024-10-30")).unwrap());
        assert!(!published_on_time(&cal, d("2024-09-27"), d("2024-10-31")).unwrap());
    }

    #[test]
    fn an_unknown_year_is_an_error() {
        let cal = WorkdayCalendar::official();
        assert!(matches!(
            publication_deadline(&cal, d("2031-03-02")),
            Err(ClockError::Calendar(CalendarError::Unknown {
                missing_year: 2031,
                ..
            }))
        ));
    }

    #[test]
    fn due_status_around_the_deadline() {
        let cal = WorkdayCalendar::official();
        let due = d("2024-10-30"); // Wednesday
        let s = |today| DueStatus::of(&cal, due, d(today)).unwrap();
        assert_eq!(
            s("2024-10-24"),
            DueStatus::Open {
                working_days_left: 4
            }
        );
        assert_eq!(
            s("2024-10-25"),
            DueStatus::DueSoon {
                working_days_left: 3
            }
        );
        assert!(s("2024-10-25").is_due_soon());
        assert_eq!(
            s("2024-10-30"),
            DueStatus::DueSoon {
                working_days_left: 0
            }
        );
        assert_eq!(s("2024-10-30").label(), "今日到期");
        assert_eq!(
            s("2024-10-31"),
            DueStatus::Overdue {
                working_days_late: 1
            }
        );
        assert!(s("2024-11-04").is_overdue());
        assert_eq!(s("2024-11-04").label(), "已逾期3个工作日");
        assert_eq!(s("2024-10-28").label(), "还剩2个工作日");
    }

    #[test]
    fn the_due_window_across_national_day_2024() {
        let cal = WorkdayCalendar::official();
        // On 2024-10-25 (Fri) the horizon is 10-30 (Mon 28, Tue 29, Wed 30).
        // Formed on Saturday 09-28, counting starts on the make-up Sunday
        // 09-29 just as for 09-27, so 09-28 is the last formation date due by then.
        let w = DueWindow::on(&cal, d("2024-10-25")).unwrap();
        assert_eq!(w.horizon, d("2024-10-30"));
        assert_eq!(w.formed_cutoff, d("2024-09-28"));
        let due = |f| publication_deadline(&cal, d(f)).unwrap().due;
        assert_eq!(due("2024-09-28"), d("2024-10-30"));
        assert_eq!(due("2024-09-29"), d("2024-10-31"));
    }

    #[test]
    fn china_date_is_beijing_time() {
        let t = DateTime::parse_from_rfc3339("2024-10-30T16:30:00Z")
            .unwrap()
            .to_utc();
        assert_eq!(china_date(t), d("2024-10-31"));
        let t = DateTime::parse_from_rfc3339("2024-10-30T15:59:59Z")
            .unwrap()
            .to_utc();
        assert_eq!(china_date(t), d("2024-10-30"));
    }

    fn any_day() -> impl Strategy<Value = NaiveDate> {
        (0i64..2500).prop_map(|o| d("2019-03-01") + chrono::Duration::days(o))
    }

    proptest! {
        /// The cutoff splits formation dates exactly at "due by the horizon".
        #[test]
        fn the_cutoff_agrees_with_the_computed_due_dates(today in any_day(), back in 0i64..60) {
            let cal = WorkdayCalendar::official();
            let w = DueWindow::on(&cal, today).unwrap();
            let formed = today - chrono::Duration::days(back);
            let due = publication_deadline(&cal, formed).unwrap().due;
            prop_assert_eq!(formed <= w.formed_cutoff, due <= w.horizon);
        }
    }
}
