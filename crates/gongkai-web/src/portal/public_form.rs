//! What protects the public forms (`/agency/{id}/apply`, `/status`), which
//! anyone may post without an account:
//!
//! * a double-submit token: the browser keeps a random secret in the
//!   `gk_form` cookie; every rendered form carries a fresh nonce and a tag
//!   binding it to that secret. A cross-site page can neither read the
//!   cookie nor forge the tag. The nonce is also the form's identity: the
//!   store keeps its hash unique, so posting the same form twice (a reload,
//!   a replay) creates nothing the second time;
//! * a question any citizen can answer (adding two numbers written in
//!   Chinese characters), derived from the nonce, so it needs no server
//!   state and works across several web nodes. It stops untargeted form
//!   robots, not a determined attacker; the rate limits bound the rest;
//! * fixed-window rate limits per client address and per contact, kept in
//!   process (like the sign-in limiter).

use crate::AppError;
use crate::console::auth::{constant_time_eq, cookie_value, random_token};
use axum::http::{HeaderMap, HeaderValue};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub const FORM_COOKIE: &str = "gk_form";

/// A form's hidden token: `nonce.tag`.
#[derive(Debug, Clone)]
pub struct FormToken {
    pub nonce: String,
    pub value: String,
}

fn tag(secret: &str, nonce: &str) -> String {
    let mut h = Sha256::new();
    h.update(b"gongkai-public-form\0");
    h.update(secret.as_bytes());
    h.update(b"\0");
    h.update(nonce.as_bytes());
    hex::encode(&h.finalize()[..16])
}

/// The browser's form secret and whether it must be (re)set as a cookie.
pub struct BrowserSecret {
    pub secret: String,
    pub set_cookie: Option<HeaderValue>,
}

impl BrowserSecret {
    /// Reuses the cookie if the browser has a well-formed one, so that
    /// forms open in several tabs all stay valid.
    pub fn from_headers(headers: &HeaderMap, secure: bool) -> Result<Self, AppError> {
        if let Some(s) = cookie_value(headers, FORM_COOKIE).filter(|s| well_formed(s)) {
            return Ok(Self {
                secret: s,
                set_cookie: None,
            });
        }
        let secret = random_token()?;
        let mut c = format!("{FORM_COOKIE}={secret}; Path=/; HttpOnly; SameSite=Strict");
        if secure {
            c.push_str("; Secure");
        }
        let header = HeaderValue::from_str(&c)
            .map_err(|e| AppError::Internal(format!("form cookie: {e}")))?;
        Ok(Self {
            secret,
            set_cookie: Some(header),
        })
    }

    /// A new token for one rendered form.
    pub fn issue(&self) -> Result<FormToken, AppError> {
        let nonce = random_token()?;
        let value = format!("{nonce}.{}", tag(&self.secret, &nonce));
        Ok(FormToken { nonce, value })
    }
}

/// Base64url tokens of `random_token`; anything else is ignored.
fn well_formed(s: &str) -> bool {
    (20..=64).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Checks a posted token against the browser's cookie; returns the nonce.
pub fn verify(headers: &HeaderMap, posted: &str) -> Option<String> {
    let secret = cookie_value(headers, FORM_COOKIE).filter(|s| well_formed(s))?;
    let (nonce, t) = posted.split_once('.')?;
    if !well_formed(nonce) {
        return None;
    }
    constant_time_eq(&tag(&secret, nonce), t).then(|| nonce.to_string())
}

// ---------- the question ----------

const DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];

/// The two addends (1–9) a nonce asks for.
fn addends(nonce: &str) -> (u32, u32) {
    let h = Sha256::digest(nonce.as_bytes());
    (u32::from(h[0] % 9) + 1, u32::from(h[1] % 9) + 1)
}

/// E.g. “三加五等于几？”
pub fn question(nonce: &str) -> String {
    let (a, b) = addends(nonce);
    format!("{}加{}等于几？", DIGITS[a as usize], DIGITS[b as usize])
}

/// Accepts Arabic digits (half or full width) or Chinese numerals up to 十八.
pub fn answer_ok(nonce: &str, answer: &str) -> bool {
    let (a, b) = addends(nonce);
    parse_small_number(answer) == Some(a + b)
}

fn parse_small_number(s: &str) -> Option<u32> {
    let s: String = s
        .trim()
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            c => c,
        })
        .collect();
    if !s.is_empty() && s.len() <= 2 && s.bytes().all(|b| b.is_ascii_digit()) {
        return s.parse().ok();
    }
    let digit = |c: char| {
        DIGITS
            .iter()
            .position(|d| d.starts_with(c))
            .map(|i| i as u32)
    };
    let chars: Vec<char> = s.chars().collect();
    match chars.as_slice() {
        ['两'] => Some(2),
        ['十'] => Some(10),
        [c] => digit(*c),
        ['十', c] => digit(*c).map(|d| 10 + d),
        _ => None,
    }
}

// ---------- rate limits ----------

/// A fixed-window counter per key, in process. The map forgets finished
/// windows once it grows large, so it cannot be grown without bound.
#[derive(Debug)]
pub struct Limiter {
    max: u32,
    window: Duration,
    buckets: Mutex<HashMap<String, (Instant, u32)>>,
}

impl Limiter {
    pub fn new(max: u32, window: Duration) -> Self {
        Self {
            max,
            window,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    fn with_entry<T>(&self, key: &str, f: impl FnOnce(&mut (Instant, u32), u32) -> T) -> T {
        let now = Instant::now();
        let mut b = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        if b.len() > 10_000 {
            b.retain(|_, (start, _)| now.duration_since(*start) < self.window);
        }
        let entry = b.entry(key.to_string()).or_insert((now, 0));
        if now.duration_since(entry.0) >= self.window {
            *entry = (now, 0);
        }
        f(entry, self.max)
    }

    /// Counts one event for `key`; false when it exceeds the limit.
    pub fn allow(&self, key: &str) -> bool {
        self.with_entry(key, |e, max| {
            e.1 += 1;
            e.1 <= max
        })
    }

    /// True when `key` has used up its window (without counting anything).
    pub fn exhausted(&self, key: &str) -> bool {
        self.with_entry(key, |e, max| e.1 >= max)
    }
}

/// The public forms' limits.
#[derive(Debug)]
pub struct PublicLimits {
    /// Application form posts per client address (valid or not).
    pub apply_per_ip: Limiter,
    /// Stored applications per phone number and per e-mail address.
    pub apply_per_contact: Limiter,
    /// Failed status look-ups per client address.
    pub status_failures_per_ip: Limiter,
}

impl Default for PublicLimits {
    /// 30 form posts per address per hour (an honest applicant fixing
    /// errors needs a few); 10 applications per phone or e-mail per day
    /// (more can still be sent by post or handed in, and 第三十五条 lets the
    /// agency deal with mass requests); 10 wrong query codes per address
    /// per 15 minutes.
    fn default() -> Self {
        Self {
            apply_per_ip: Limiter::new(30, Duration::from_secs(3600)),
            apply_per_contact: Limiter::new(10, Duration::from_secs(24 * 3600)),
            status_failures_per_ip: Limiter::new(10, Duration::from_secs(15 * 60)),
        }
    }
}

/// The key for an address; unknown addresses share one bucket.
pub fn ip_key(ip: Option<std::net::IpAddr>) -> String {
    ip.map_or_else(|| "unknown".to_string(), |i| i.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::header;

    fn headers_with(secret: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            HeaderValue::from_str(&format!("{FORM_COOKIE}={secret}")).unwrap(),
        );
        h
    }

    #[test]
    fn tokens_verify_only_with_their_browser_secret() {
        let b = BrowserSecret::from_headers(&HeaderMap::new(), false).unwrap();
        let cookie = b.set_cookie.clone().unwrap();
        assert!(
            cookie
                .to_str()
                .unwrap()
                .contains("Path=/; HttpOnly; SameSite=Strict")
        );
        let t1 = b.issue().unwrap();
        let t2 = b.issue().unwrap();
        assert_ne!(t1.nonce, t2.nonce, "every form gets its own nonce");
        let h = headers_with(&b.secret);
        assert_eq!(verify(&h, &t1.value), Some(t1.nonce.clone()));
        assert_eq!(verify(&h, &t2.value), Some(t2.nonce));
        let other = headers_with(&random_token().unwrap());
        assert_eq!(verify(&other, &t1.value), None);
        assert_eq!(verify(&HeaderMap::new(), &t1.value), None);
        let forged = format!("{}.{}", t1.nonce, "0".repeat(32));
        assert_eq!(verify(&h, &forged), None);
        assert_eq!(verify(&h, ""), None);
        // A browser that already has the cookie keeps it.
        let again = BrowserSecret::from_headers(&h, false).unwrap();
        assert_eq!(again.secret, b.secret);
        assert!(again.set_cookie.is_none());
    }

    #[test]
    fn the_question_is_answerable_in_digits_or_characters() {
        let nonce = "fixed-nonce-for-the-test";
        let (a, b) = addends(nonce);
        let q = question(nonce);
        assert!(q.ends_with("等于几？"), "{q}");
        let sum = a + b;
        assert!((2..=18).contains(&sum));
        assert!(answer_ok(nonce, &sum.to_string()));
        assert!(answer_ok(nonce, &format!(" {sum} ")));
        let chinese = if sum < 10 {
            DIGITS[sum as usize].to_string()
        } else if sum == 10 {
            "十".to_string()
        } else {
            format!("十{}", DIGITS[(sum - 10) as usize])
        };
        assert!(answer_ok(nonce, &chinese), "{chinese}");
        assert!(!answer_ok(nonce, &(sum + 1).to_string()));
        assert!(!answer_ok(nonce, ""));
        assert_eq!(parse_small_number("１２"), Some(12));
        assert_eq!(parse_small_number("两"), Some(2));
        assert_eq!(parse_small_number("十八"), Some(18));
        assert_eq!(parse_small_number("123"), None);
    }

    #[test]
    fn limits_count_per_key_within_the_window() {
        let l = Limiter::new(2, Duration::from_secs(600));
        assert!(!l.exhausted("a"));
        assert!(l.allow("a") && l.allow("a"));
        assert!(l.exhausted("a"));
        assert!(!l.allow("a"));
        assert!(l.allow("b"));
        let short = Limiter::new(1, Duration::ZERO);
        assert!(
            short.allow("a") && short.allow("a"),
            "a new window each time"
        );
    }
}
