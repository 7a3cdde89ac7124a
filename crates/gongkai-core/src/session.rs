//! Console sessions and the login throttle (rules only; storage is a port).

use crate::UserId;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

/// A stored session. The cookie carries a random token; only its SHA-256
/// (`id_hash`) is stored, so a copy of the database cannot be replayed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionRecord {
    pub id_hash: String,
    pub user_id: UserId,
    /// Synchronizer token embedded in every console form.
    pub csrf_token: String,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

/// How long sessions live and how failed logins are throttled.
#[derive(Debug, Clone, Copy)]
pub struct SessionPolicy {
    /// Idle timeout: a session unused this long expires.
    pub idle: Duration,
    /// Absolute lifetime regardless of activity.
    pub absolute: Duration,
}

impl Default for SessionPolicy {
    fn default() -> Self {
        Self {
            idle: Duration::hours(2),
            absolute: Duration::hours(12),
        }
    }
}

impl SessionPolicy {
    /// The expiry after activity at `now`.
    pub fn expiry_after_activity(
        &self,
        created_at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> DateTime<Utc> {
        (now + self.idle).min(created_at + self.absolute)
    }
}

/// Failed-login bookkeeping for one login name. Kept for unknown names too,
/// so that a lockout does not reveal whether an account exists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginThrottle {
    /// The normalised login name.
    pub key: String,
    pub failures: i32,
    pub window_start: DateTime<Utc>,
    pub locked_until: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Copy)]
pub struct LockoutPolicy {
    /// Failures within `window` that trigger a lock.
    pub max_failures: i32,
    pub window: Duration,
    pub lock_for: Duration,
}

impl Default for LockoutPolicy {
    fn default() -> Self {
        Self {
            max_failures: 5,
            window: Duration::minutes(15),
            lock_for: Duration::minutes(15),
        }
    }
}

impl LockoutPolicy {
    pub fn is_locked(&self, t: Option<&LoginThrottle>, now: DateTime<Utc>) -> bool {
        t.and_then(|t| t.locked_until)
            .is_some_and(|until| until > now)
    }

    /// The throttle state after one more failure at `now`.
    pub fn after_failure(
        &self,
        key: &str,
        prev: Option<&LoginThrottle>,
        now: DateTime<Utc>,
    ) -> LoginThrottle {
        let fresh = LoginThrottle {
            key: key.to_string(),
            failures: 1,
            window_start: now,
            locked_until: None,
        };
        let mut t = match prev {
            Some(p) if now - p.window_start <= self.window && !self.lock_expired(p, now) => {
                p.clone()
            }
            _ => return self.lock_if_needed(fresh, now),
        };
        t.failures += 1;
        self.lock_if_needed(t, now)
    }

    fn lock_expired(&self, t: &LoginThrottle, now: DateTime<Utc>) -> bool {
        t.locked_until.is_some_and(|u| u <= now)
    }

    fn lock_if_needed(&self, mut t: LoginThrottle, now: DateTime<Utc>) -> LoginThrottle {
        if t.failures >= self.max_failures {
            t.locked_until = Some(now + self.lock_for);
        }
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_failures_lock_for_fifteen_minutes() {
        let p = LockoutPolicy::default();
        let t0 = DateTime::<Utc>::from_timestamp(1_700_000_000, 0).unwrap();
        let mut t: Option<LoginThrottle> = None;
        for i in 0..5 {
            assert!(
                !p.is_locked(t.as_ref(), t0),
                "not locked before failure {i}"
            );
            t = Some(p.after_failure("zhangsan", t.as_ref(), t0 + Duration::seconds(i)));
        }
        assert!(p.is_locked(t.as_ref(), t0 + Duration::minutes(1)));
        assert!(!p.is_locked(t.as_ref(), t0 + Duration::minutes(16)));
        // After the lock expires the count starts again.
        let after = p.after_failure("zhangsan", t.as_ref(), t0 + Duration::minutes(16));
        assert_eq!(after.failures, 1);
        assert_eq!(after.locked_until, None);
    }

    #[test]
    fn failures_outside_the_window_do_not_accumulate() {
        let p = LockoutPolicy::default();
        let t0 = DateTime::<Utc>::from_timestamp(1_700_000_000, 0).unwrap();
        let t = p.after_failure("a", None, t0);
        let t = p.after_failure("a", Some(&t), t0 + Duration::minutes(30));
        assert_eq!(t.failures, 1);
    }

    #[test]
    fn idle_expiry_never_passes_the_absolute_lifetime() {
        let p = SessionPolicy::default();
        let t0 = DateTime::<Utc>::from_timestamp(1_700_000_000, 0).unwrap();
        assert_eq!(p.expiry_after_activity(t0, t0), t0 + Duration::hours(2));
        assert_eq!(
            p.expiry_after_activity(t0, t0 + Duration::hours(11)),
            t0 + Duration::hours(12)
        );
    }
}
