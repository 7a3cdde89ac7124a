//! The official working-day calendar (工作日): weekends and statutory
//! holidays are off, 调休 make-up weekend days are on, per the State Council
//! notices 国务院办公厅关于XXXX年部分节假日安排的通知.
//!
//! The calendar only knows the years it has data for. Any question about
//! a date outside them is an error ([`CalendarError::Unknown`]), never a
//! guess: a 20-working-day deadline that silently assumed Monday–Friday
//! would be wrong by a week around 春节 or 国庆.

use chrono::{Datelike, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// The calendar shipped with gongkai (data/cn-workday-calendar.toml).
pub const OFFICIAL_TOML: &str = include_str!("../data/cn-workday-calendar.toml");

/// From this day of December on, a date can be changed by the *next*
/// year's notice (2018-12-29..31 came with the 2019 notice, 2022-12-31
/// with the 2023 one), so such a date counts as known only when the next
/// year is loaded too.
pub const DECEMBER_SPILL_FROM_DAY: u32 = 25;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    /// The date lies in a year (or a late-December stretch) for which no
    /// notice is loaded.
    #[error(
        "{date} 所在年度的节假日安排尚未录入工作日历（需要 {missing_year} 年的国务院办公厅节假日安排通知）"
    )]
    Unknown { date: NaiveDate, missing_year: i32 },
    #[error("工作日历数据有误：{0}")]
    Data(String),
}

/// One year's notice as loaded. Serialises with dates as `YYYY-MM-DD`
/// (used for the `calendar.put` audit record).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct YearNotice {
    pub year: i32,
    /// Where the notice was published (one or more URLs or 文号).
    pub notice: String,
    pub off: BTreeSet<NaiveDate>,
    pub work: BTreeSet<NaiveDate>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WorkdayCalendar {
    years: BTreeMap<i32, YearNotice>,
    /// Status overrides by date, merged from all notices.
    off: BTreeSet<NaiveDate>,
    work: BTreeSet<NaiveDate>,
}

#[derive(Deserialize)]
struct RawYear {
    notice: String,
    // Spanned so that a bad date can be reported with its line number.
    #[serde(default)]
    off: Vec<toml::Spanned<String>>,
    #[serde(default)]
    work: Vec<toml::Spanned<String>>,
}

impl WorkdayCalendar {
    /// The calendar shipped with gongkai.
    pub fn official() -> Self {
        // The shipped file is checked by a unit test; failing here would be a build defect.
        Self::from_toml(OFFICIAL_TOML).unwrap_or_default()
    }

    /// The calendar in force: the shipped notices, with `stored` (years an
    /// administrator imported into the database, see
    /// [`CalendarStore`](crate::store::CalendarStore)) replacing shipped
    /// years of the same number — e.g. a corrected notice — and adding the
    /// years published after the release.
    pub fn effective(stored: &[YearNotice]) -> Result<Self, CalendarError> {
        let mut cal = Self::official();
        for year in stored {
            cal.add_year(year.clone())?;
        }
        Ok(cal)
    }

    /// Each loaded year (ascending) with where it comes from, for listings:
    /// a year is [`YearSource::Stored`] when `stored` has it.
    pub fn year_sources<'a>(&'a self, stored: &[YearNotice]) -> Vec<(&'a YearNotice, YearSource)> {
        self.years
            .values()
            .map(|y| {
                let source = if stored.iter().any(|s| s.year == y.year) {
                    YearSource::Stored
                } else {
                    YearSource::Shipped
                };
                (y, source)
            })
            .collect()
    }

    /// Parses the TOML format of `data/cn-workday-calendar.toml`: one table
    /// `[yYYYY]` per notice year with `notice`, `off` and `work` date lists.
    pub fn from_toml(text: &str) -> Result<Self, CalendarError> {
        let raw: BTreeMap<String, RawYear> =
            toml::from_str(text).map_err(|e| CalendarError::Data(e.to_string()))?;
        let mut cal = Self::default();
        for (key, y) in raw {
            let year = key
                .strip_prefix('y')
                .and_then(|s| s.parse::<i32>().ok())
                .ok_or_else(|| {
                    CalendarError::Data(format!("表名 [{key}] 应为 [y年份]，例如 [y2027]"))
                })?;
            let parse = |list: &[toml::Spanned<String>],
                         what: &str|
             -> Result<BTreeSet<NaiveDate>, CalendarError> {
                list.iter()
                    .map(|s| {
                        NaiveDate::parse_from_str(s.get_ref(), "%Y-%m-%d").map_err(|_| {
                            let start = s.span().start.min(text.len());
                            let line = text.as_bytes()[..start]
                                .iter()
                                .filter(|&&b| b == b'\n')
                                .count()
                                + 1;
                            CalendarError::Data(format!(
                                "第 {line} 行：[{key}] {what} 中的日期 “{}” 不是有效日期（格式应为 YYYY-MM-DD）",
                                s.get_ref()
                            ))
                        })
                    })
                    .collect()
            };
            let notice = YearNotice {
                year,
                notice: y.notice,
                off: parse(&y.off, "off")?,
                work: parse(&y.work, "work")?,
            };
            cal.add_year(notice)?;
        }
        Ok(cal)
    }

    /// Adds (or replaces) one year's notice.
    pub fn add_year(&mut self, notice: YearNotice) -> Result<(), CalendarError> {
        for d in &notice.off {
            if notice.work.contains(d) {
                return Err(CalendarError::Data(format!(
                    "{} 年通知中 {d} 同时被列为放假和上班",
                    notice.year
                )));
            }
            if !(notice.year - 1..=notice.year).contains(&d.year()) {
                return Err(CalendarError::Data(format!(
                    "{} 年通知中的日期 {d} 不属于该年度",
                    notice.year
                )));
            }
        }
        for d in &notice.work {
            if !(notice.year - 1..=notice.year).contains(&d.year()) {
                return Err(CalendarError::Data(format!(
                    "{} 年通知中的日期 {d} 不属于该年度",
                    notice.year
                )));
            }
        }
        self.years.insert(notice.year, notice);
        self.off = self
            .years
            .values()
            .flat_map(|y| y.off.iter().copied())
            .collect();
        self.work = self
            .years
            .values()
            .flat_map(|y| y.work.iter().copied())
            .collect();
        Ok(())
    }

    pub fn years(&self) -> impl Iterator<Item = &YearNotice> {
        self.years.values()
    }

    /// Whether the status of `date` is known from loaded notices.
    pub fn check_known(&self, date: NaiveDate) -> Result<(), CalendarError> {
        let y = date.year();
        if !self.years.contains_key(&y) {
            return Err(CalendarError::Unknown {
                date,
                missing_year: y,
            });
        }
        if date.month() == 12
            && date.day() >= DECEMBER_SPILL_FROM_DAY
            && !self.years.contains_key(&(y + 1))
        {
            return Err(CalendarError::Unknown {
                date,
                missing_year: y + 1,
            });
        }
        Ok(())
    }

    /// Whether `date` is a working day.
    pub fn is_working_day(&self, date: NaiveDate) -> Result<bool, CalendarError> {
        self.check_known(date)?;
        Ok(
            self.status(date) == DayStatus::Working
                || self.status(date) == DayStatus::MakeUpWorkday,
        )
    }

    /// Why a date is or is not a working day (for explanations).
    pub fn status(&self, date: NaiveDate) -> DayStatus {
        if self.work.contains(&date) {
            DayStatus::MakeUpWorkday
        } else if self.off.contains(&date) {
            DayStatus::Holiday
        } else if matches!(date.weekday(), Weekday::Sat | Weekday::Sun) {
            DayStatus::Weekend
        } else {
            DayStatus::Working
        }
    }

    /// The date on which `n` working days after `start` are complete: exactly
    /// `n` working days lie in `(start, result]`, and `result` is a working
    /// day. `n = 0` returns `start`.
    pub fn add_working_days(&self, start: NaiveDate, n: u32) -> Result<NaiveDate, CalendarError> {
        let mut d = start;
        let mut left = n;
        while left > 0 {
            d = d
                .succ_opt()
                .ok_or_else(|| CalendarError::Data("日期超出范围".into()))?;
            if self.is_working_day(d)? {
                left -= 1;
            }
        }
        Ok(d)
    }

    /// Number of working days in `(from, to]` (0 when `to <= from`).
    pub fn working_days_between(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<u32, CalendarError> {
        let mut n = 0;
        let mut d = from;
        while d < to {
            d = d
                .succ_opt()
                .ok_or_else(|| CalendarError::Data("日期超出范围".into()))?;
            if self.is_working_day(d)? {
                n += 1;
            }
        }
        Ok(n)
    }
}

/// Where a year of the effective calendar comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum YearSource {
    /// Shipped with this release (data/cn-workday-calendar.toml).
    Shipped,
    /// Imported by an administrator into the database.
    Stored,
}

impl YearSource {
    pub fn label(self) -> &'static str {
        match self {
            Self::Shipped => "内置",
            Self::Stored => "已导入",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayStatus {
    Working,
    Weekend,
    Holiday,
    MakeUpWorkday,
}

impl DayStatus {
    pub fn label(self) -> &'static str {
        match self {
            Self::Working => "工作日",
            Self::Weekend => "周末",
            Self::Holiday => "法定节假日",
            Self::MakeUpWorkday => "调休上班日",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn the_shipped_calendar_loads_every_year() {
        let cal = WorkdayCalendar::from_toml(OFFICIAL_TOML).unwrap();
        let years: Vec<i32> = cal.years().map(|y| y.year).collect();
        assert_eq!(years, (2019..=2026).collect::<Vec<_>>());
    }

    #[test]
    fn make_up_saturday_counts_and_weekday_holiday_does_not() {
        let cal = WorkdayCalendar::official();
        assert_eq!(cal.status(d("2024-09-29")), DayStatus::MakeUpWorkday); // Sunday
        assert!(cal.is_working_day(d("2024-10-12")).unwrap()); // Saturday
        assert!(!cal.is_working_day(d("2024-10-01")).unwrap()); // Tuesday, 国庆
        assert!(!cal.is_working_day(d("2024-10-05")).unwrap()); // Saturday
        assert!(cal.is_working_day(d("2024-10-08")).unwrap());
    }

    #[test]
    fn december_dates_from_the_next_notice_are_honoured() {
        let cal = WorkdayCalendar::official();
        assert_eq!(cal.status(d("2022-12-31")), DayStatus::Holiday);
        assert_eq!(cal.status(d("2018-12-29")), DayStatus::MakeUpWorkday);
    }

    #[test]
    fn unknown_years_are_errors_not_guesses() {
        let cal = WorkdayCalendar::official();
        assert_eq!(
            cal.is_working_day(d("2027-03-01")),
            Err(CalendarError::Unknown {
                date: d("2027-03-01"),
                missing_year: 2027
            })
        );
        assert_eq!(
            cal.is_working_day(d("2026-12-28")),
            Err(CalendarError::Unknown {
                date: d("2026-12-28"),
                missing_year: 2027
            })
        );
        assert!(cal.is_working_day(d("2026-12-24")).unwrap());
        assert!(matches!(
            cal.add_working_days(d("2026-12-01"), 20),
            Err(CalendarError::Unknown {
                missing_year: 2027,
                ..
            })
        ));
    }

    #[test]
    fn bad_data_is_rejected_with_a_message() {
        let e = WorkdayCalendar::from_toml("[y2027]\nnotice = \"x\"\noff = [\"2027-13-01\"]\n")
            .unwrap_err();
        assert!(e.to_string().contains("2027-13-01"));
        let e = WorkdayCalendar::from_toml(
            "[y2027]\nnotice = \"x\"\noff = [\"2027-01-01\"]\nwork = [\"2027-01-01\"]\n",
        )
        .unwrap_err();
        assert!(e.to_string().contains("同时"));
        let e = WorkdayCalendar::from_toml("[year2027]\nnotice = \"x\"\n").unwrap_err();
        assert!(e.to_string().contains("y2027"));
    }

    #[test]
    fn bad_dates_name_their_line() {
        let e = WorkdayCalendar::from_toml(
            "[y2027]\nnotice = \"x\"\noff = [\"2027-01-01\",\n  \"2027-02-30\"]\n",
        )
        .unwrap_err();
        assert!(e.to_string().contains("第 4 行"), "{e}");
        assert!(e.to_string().contains("2027-02-30"), "{e}");
    }

    #[test]
    fn stored_years_override_and_extend_the_shipped_ones() {
        // A stored 2026 that (fictionally) moves 国庆 off 10-07 to a work day.
        let shipped_2026 = WorkdayCalendar::official()
            .years()
            .find(|y| y.year == 2026)
            .cloned()
            .unwrap();
        let mut corrected = shipped_2026.clone();
        corrected.notice = "更正通知".into();
        corrected.off.remove(&d("2026-10-07"));
        let y2027 = YearNotice {
            year: 2027,
            notice: "2027 年通知".into(),
            off: [d("2027-01-01")].into(),
            work: BTreeSet::new(),
        };
        let stored = [corrected.clone(), y2027.clone()];
        let cal = WorkdayCalendar::effective(&stored).unwrap();

        assert!(cal.is_working_day(d("2026-10-07")).unwrap());
        assert!(
            !WorkdayCalendar::official()
                .is_working_day(d("2026-10-07"))
                .unwrap()
        );
        assert!(!cal.is_working_day(d("2027-01-01")).unwrap());
        assert!(cal.is_working_day(d("2026-12-28")).unwrap());
        assert!(cal.check_known(d("2028-01-03")).is_err());

        let sources = cal.year_sources(&stored);
        let years: Vec<(i32, YearSource)> = sources.iter().map(|(y, s)| (y.year, *s)).collect();
        assert_eq!(years.first(), Some(&(2019, YearSource::Shipped)));
        assert_eq!(
            &years[years.len() - 2..],
            &[(2026, YearSource::Stored), (2027, YearSource::Stored)]
        );
        assert_eq!(sources[sources.len() - 2].0, &corrected);

        // A stored year that breaks the rules makes the whole calendar an error.
        let mut bad = y2027;
        bad.work.insert(d("2027-01-01"));
        assert!(WorkdayCalendar::effective(&[bad]).is_err());
    }

    #[test]
    fn adding_a_year_extends_coverage() {
        let mut cal = WorkdayCalendar::official();
        cal.add_year(YearNotice {
            year: 2027,
            notice: "test".into(),
            off: [d("2027-01-01")].into(),
            work: BTreeSet::new(),
        })
        .unwrap();
        assert!(cal.is_working_day(d("2026-12-28")).unwrap());
        assert!(!cal.is_working_day(d("2027-01-01")).unwrap());
    }
}
