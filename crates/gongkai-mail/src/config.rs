//! The `[mail]` section of `gongkai.toml`.

use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// Where notifications go. Without `[mail.smtp]` they are written as
/// `.eml` files to `dir` (default: `mail-outbox/` in the data directory),
/// so nothing is lost before a mail server is configured.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MailSettings {
    /// The sender, e.g. `青岚市政务公开办公室 <gongkai@qinglan.gov.cn>`.
    pub from: String,
    pub smtp: Option<SmtpSettings>,
    /// Directory for `.eml` files when `smtp` is absent.
    pub dir: Option<PathBuf>,
    /// Seconds between dispatcher runs in `gongkai serve`.
    pub interval_secs: u64,
}

impl Default for MailSettings {
    fn default() -> Self {
        Self {
            from: "政府信息公开 <noreply@localhost>".into(),
            smtp: None,
            dir: None,
            interval_secs: 30,
        }
    }
}

#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SmtpSettings {
    pub host: String,
    /// Defaults by `security`: 587 (starttls), 465 (tls), 25 (none).
    pub port: Option<u16>,
    #[serde(default)]
    pub security: Security,
    pub username: Option<String>,
    pub password: Option<String>,
    /// A PEM file with the CA that signed the relay's certificate (agency
    /// relays often use a private CA); added to the public roots.
    pub ca_file: Option<PathBuf>,
    #[serde(default = "default_timeout")]
    pub timeout_secs: u64,
}

fn default_timeout() -> u64 {
    30
}

// Hand-written so that the password never reaches a log line or `check-config`.
impl std::fmt::Debug for SmtpSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpSettings")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("security", &self.security)
            .field("username", &self.username)
            .field("password", &self.password.as_ref().map(|_| "***"))
            .field("ca_file", &self.ca_file)
            .field("timeout_secs", &self.timeout_secs)
            .finish()
    }
}

impl SmtpSettings {
    pub fn effective_port(&self) -> u16 {
        self.port.unwrap_or(match self.security {
            Security::Starttls => 587,
            Security::Tls => 465,
            Security::None => 25,
        })
    }

    /// A copy with the password replaced, for printing.
    pub fn redacted(&self) -> Self {
        Self {
            password: self.password.as_ref().map(|_| "***".into()),
            ..self.clone()
        }
    }
}

/// How the connection to the relay is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Security {
    /// Plain connection upgraded with STARTTLS, which is required.
    #[default]
    Starttls,
    /// TLS from the first byte (SMTPS).
    Tls,
    /// No encryption: only for a relay on the same host or network.
    None,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_is_never_printed() {
        let s = SmtpSettings {
            host: "smtp.example.gov.cn".into(),
            port: None,
            security: Security::Starttls,
            username: Some("gongkai".into()),
            password: Some("s3cret-pw".into()),
            ca_file: None,
            timeout_secs: 30,
        };
        assert!(!format!("{s:?}").contains("s3cret-pw"));
        assert_eq!(s.redacted().password.as_deref(), Some("***"));
        assert_eq!(s.effective_port(), 587);
    }

    #[test]
    fn parses_from_toml_and_rejects_typos() {
        let s: MailSettings =
            toml_from("from = \"公开办 <a@b.cn>\"\n[smtp]\nhost = \"h\"\nsecurity = \"tls\"\n")
                .unwrap();
        let smtp = s.smtp.unwrap();
        assert_eq!(smtp.security, Security::Tls);
        assert_eq!(smtp.effective_port(), 465);
        assert_eq!(s.interval_secs, 30);
        assert!(toml_from("[smtp]\nhots = \"h\"\n").is_err());
    }

    fn toml_from(s: &str) -> Result<MailSettings, String> {
        // The binary reads settings through figment; serde's behaviour is the same.
        serde_json::to_value(toml_value(s)?)
            .map_err(|e| e.to_string())
            .and_then(|v| serde_json::from_value(v).map_err(|e| e.to_string()))
    }

    fn toml_value(s: &str) -> Result<toml::Value, String> {
        s.parse::<toml::Table>()
            .map(toml::Value::Table)
            .map_err(|e| e.to_string())
    }
}
