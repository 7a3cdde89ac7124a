//! Password hashing (Argon2id, OWASP parameters) and the password policy.
//!
//! Hashing is CPU-bound: call these from `spawn_blocking` in async code.

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};

pub const MIN_LEN: usize = 10;
pub const MAX_LEN: usize = 128;

/// Checks the password policy; the message is shown next to the field.
pub fn check_policy(password: &str) -> Result<(), String> {
    let n = password.chars().count();
    if n < MIN_LEN {
        return Err(format!("密码至少需要{MIN_LEN}个字符"));
    }
    if n > MAX_LEN {
        return Err(format!("密码不能超过{MAX_LEN}个字符"));
    }
    let has_letter = password.chars().any(|c| c.is_alphabetic());
    let has_digit = password.chars().any(|c| c.is_ascii_digit());
    if !(has_letter && has_digit) {
        return Err("密码须同时包含字母和数字".into());
    }
    Ok(())
}

/// A PHC-format Argon2id hash with a fresh random salt.
pub fn hash(password: &str) -> Result<String, String> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| format!("password hashing failed: {e}"))
}

/// Verifies `password` against a stored hash. A malformed hash verifies as false.
pub fn verify(password: &str, stored: &str) -> bool {
    match PasswordHash::new(stored) {
        Ok(parsed) => Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}

/// A valid hash of a random password, verified against when a login names
/// an unknown user so that response time does not reveal which names exist.
pub fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| hash("decoy-password-0").unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_then_verify() {
        let h = hash("correct horse 42").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify("correct horse 42", &h));
        assert!(!verify("correct horse 43", &h));
        assert!(!verify("anything", "not a hash"));
    }

    #[test]
    fn policy() {
        assert!(check_policy("short1").is_err());
        assert!(check_policy("onlyletterslong").is_err());
        assert!(check_policy("12345678901").is_err());
        assert!(check_policy("gongkai-demo-2026").is_ok());
    }
}
