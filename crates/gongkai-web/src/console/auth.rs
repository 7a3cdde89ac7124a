//! Sign-in, sessions, CSRF tokens and login throttling.

/// Per-IP limiter for sign-in attempts (in-process; the per-account
/// lockout lives in the database and works across nodes).
#[derive(Debug, Default)]
pub struct IpLimiter {}
