//! Times as staff and applicants read them: Beijing time (UTC+8, no
//! daylight saving), because the 条例's days are Beijing days.

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};

fn offset() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset")
}

/// The agency's current date.
pub fn today() -> NaiveDate {
    Utc::now().with_timezone(&offset()).date_naive()
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
