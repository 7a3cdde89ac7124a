//! Content-addressed storage keys.

use std::fmt;

use sha2::{Digest, Sha256};

const PREFIX: &str = "sha256/";
/// `sha256/` + `ab/` + `cd/` + 64 hex digits.
const KEY_LEN: usize = PREFIX.len() + 3 + 3 + 64;

/// Where a file's bytes are stored: `sha256/ab/cd/<64 lower-case hex>`,
/// derived from the SHA-256 of the content. The two directory levels keep
/// any one directory of a local store small (65 536 buckets).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileKey(String);

impl FileKey {
    /// The key of `bytes`.
    pub fn of(bytes: &[u8]) -> Self {
        Self::from_sha256_hex(&hex::encode(Sha256::digest(bytes)))
            .expect("a SHA-256 digest is 64 hex digits")
    }

    /// The key for a known digest (lower-case hex, as stored with an
    /// attachment); `None` if it is not one.
    pub fn from_sha256_hex(hex: &str) -> Option<Self> {
        if !is_sha256_hex(hex) {
            return None;
        }
        Some(Self(format!("{PREFIX}{}/{}/{hex}", &hex[..2], &hex[2..4])))
    }

    /// Reads a key as recorded in the database. Anything but the exact
    /// canonical form is refused, so a stored key can never address a path
    /// outside the store.
    pub fn parse(key: &str) -> Option<Self> {
        if key.len() != KEY_LEN {
            return None;
        }
        let hex = key.strip_prefix(PREFIX)?.get(6..)?;
        let parsed = Self::from_sha256_hex(hex)?;
        (parsed.0 == key).then_some(parsed)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The SHA-256 of the content, lower-case hex.
    pub fn sha256_hex(&self) -> &str {
        &self.0[KEY_LEN - 64..]
    }
}

impl fmt::Display for FileKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

fn is_sha256_hex(s: &str) -> bool {
    s.len() == 64
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_is_the_digest_split_into_two_levels() {
        // SHA-256 of "abc".
        let k = FileKey::of(b"abc");
        assert_eq!(
            k.as_str(),
            "sha256/ba/78/ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(
            k.sha256_hex(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(FileKey::parse(k.as_str()), Some(k));
    }

    #[test]
    fn anything_but_the_canonical_form_is_refused() {
        let hex = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
        for bad in [
            String::new(),
            hex.to_string(),
            format!("sha256/ba/78/{}", hex.to_uppercase()),
            format!("sha256/ab/78/{hex}"),
            format!("sha256/ba/78/../{}", &hex[3..]),
            format!("/sha256/ba/78/{}", &hex[1..]),
            format!("sha256/ba/78/{hex}/"),
            format!("md5/ba/78/{hex}"),
        ] {
            assert_eq!(FileKey::parse(&bad), None, "{bad}");
        }
        assert_eq!(FileKey::from_sha256_hex("ba78"), None);
    }
}
