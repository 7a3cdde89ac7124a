//! Times as staff and applicants read them: Beijing time (UTC+8, no
//! daylight saving), because the 条例's days are Beijing days.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, Utc};
use std::sync::Arc;
use std::sync::atomic::{AtomicI32, Ordering};

fn offset() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset")
}

/// The agency's current date, as every handler reads it (`AppState::today`).
///
/// Beijing time by default. A test may fix it and move it along a story
/// ([`Today::set`]): the public form stamps an online application with
/// today's date and no step of a case may be dated after today, so a test
/// that drives a whole case over HTTP on fixed past dates moves "today"
/// with it. Clones share the setting, so the test keeps a handle to the
/// state it gave the router. The server never sets it.
#[derive(Debug, Clone, Default)]
pub struct Today(Arc<AtomicI32>);

impl Today {
    /// The fixed date if one is set (days since 0001-01-01; 0 = none),
    /// else today in Beijing.
    pub fn get(&self) -> NaiveDate {
        match self.0.load(Ordering::Relaxed) {
            0 => Utc::now().with_timezone(&offset()).date_naive(),
            days => NaiveDate::from_num_days_from_ce_opt(days).unwrap_or_default(),
        }
    }

    /// The current instant for stored timestamps (workflow steps, the
    /// default of a scheduled publication): the real clock, moved onto the
    /// fixed day when a test fixed one, so that a record's Beijing date is
    /// always [`Today::get`].
    pub fn now(&self) -> DateTime<Utc> {
        let real = Utc::now();
        match self.0.load(Ordering::Relaxed) {
            0 => real,
            _ => {
                let time = real.with_timezone(&offset()).time();
                self.get()
                    .and_time(time)
                    .and_local_timezone(offset())
                    .single()
                    .map_or(real, |t| t.with_timezone(&Utc))
            }
        }
    }

    /// Fixes "today" (`None`: the real date again).
    pub fn set(&self, date: Option<NaiveDate>) {
        self.0
            .store(date.map_or(0, |d| d.num_days_from_ce()), Ordering::Relaxed);
    }
}

/// `2026-03-02 14:05`
pub fn minute(t: DateTime<Utc>) -> String {
    t.with_timezone(&offset())
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

/// `2026-03-02 14:05:09`
pub fn second(t: DateTime<Utc>) -> String {
    t.with_timezone(&offset())
        .format("%Y-%m-%d %H:%M:%S")
        .to_string()
}
