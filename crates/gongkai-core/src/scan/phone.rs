//! Mainland mobile numbers: 11 digits `1[3-9]xxxxxxxxx`, written in one
//! piece or as `3-4-4` / `3-8` (with spaces or hyphens), optionally after
//! `+86` or `0086`. Only whole candidates count (see [`super::numbers`]):
//! eleven digits inside a longer run are never a phone number.

use super::numbers::Candidate;

pub(crate) fn check(c: &Candidate) -> bool {
    let d = c.digits.as_bytes();
    let grouped_ok = c.parts.len() == 1
        || (c.parts.first() == Some(&3) && c.parts.iter().skip(1).all(|p| *p >= 3));
    d.len() == 11
        && d.iter().all(u8::is_ascii_digit)
        && d.first() == Some(&b'1')
        && d.get(1).is_some_and(|b| (b'3'..=b'9').contains(b))
        && grouped_ok
}

/// `138****8000`.
pub(crate) fn mask(digits: &str) -> String {
    super::id::keep_ends(digits, 3, 4)
}
