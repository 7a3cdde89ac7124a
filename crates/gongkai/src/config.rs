//! Layered configuration: defaults < TOML file < `GONGKAI_*` env < flags.
//! figment records where each value came from, so its errors name the
//! file or variable at fault.

use crate::cli::GlobalOpts;
use anyhow::bail;
use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

/// Name of the configuration file looked up inside the data directory.
pub const CONFIG_FILE_NAME: &str = "gongkai.toml";

/// Keys read from `GONGKAI_*` variables. Listing them keeps unrelated
/// variables (GONGKAI_PASSWORD, GONGKAI_TEST_PG_URL …) out of the config.
const ENV_KEYS: [&str; 5] = ["db", "listen", "site_name", "public_url", "trusted_origins"];

/// The settings file format. Unknown keys are rejected to catch typos.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// Database URL; `None` means the SQLite file in the data directory.
    pub db: Option<String>,
    pub listen: String,
    /// Header name of the site; `None`: taken from the root organisation.
    pub site_name: Option<String>,
    /// The public URL as users reach it (behind a proxy); decides `Secure` cookies.
    pub public_url: Option<String>,
    /// Extra origins allowed to POST (reverse-proxy setups). One origin
    /// may be given as a plain string, several as a list.
    #[serde(deserialize_with = "one_or_many")]
    pub trusted_origins: Vec<String>,
    /// `[mail]`: where notifications to applicants go (SMTP or a directory).
    #[serde(default)]
    pub mail: gongkai_mail::MailSettings,
    /// `[storage]`: where uploaded files go (a local directory or S3) and
    /// how large an upload may be.
    #[serde(default)]
    pub storage: gongkai_files::StorageSettings,
}

fn one_or_many<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(String),
        Many(Vec<String>),
    }
    Ok(match OneOrMany::deserialize(d)? {
        OneOrMany::One(s) if s.trim().is_empty() => Vec::new(),
        OneOrMany::One(s) => vec![s],
        OneOrMany::Many(v) => v,
    })
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            db: None,
            listen: "127.0.0.1:8080".into(),
            site_name: None,
            public_url: None,
            trusted_origins: Vec::new(),
            mail: gongkai_mail::MailSettings::default(),
            storage: gongkai_files::StorageSettings::default(),
        }
    }
}

/// Values given on the command line; only the set ones override.
#[derive(Debug, Default, Serialize)]
pub struct FlagOverrides {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub db: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub listen: Option<String>,
}

/// The resolved configuration of one run.
#[derive(Debug, Clone)]
pub struct Config {
    pub data_dir: PathBuf,
    /// The file that was read, if any.
    pub config_file: Option<PathBuf>,
    pub settings: Settings,
}

impl Config {
    pub fn load(global: &GlobalOpts, flags: FlagOverrides) -> anyhow::Result<Self> {
        let config_file = match &global.config {
            Some(path) => {
                if !path.is_file() {
                    bail!("配置文件 {} 不存在或不是文件", path.display());
                }
                Some(path.clone())
            }
            None => {
                let default = global.data_dir.join(CONFIG_FILE_NAME);
                default.is_file().then_some(default)
            }
        };
        let mut figment = Figment::from(Serialized::defaults(Settings::default()));
        if let Some(path) = &config_file {
            figment = figment.merge(Toml::file_exact(path));
        }
        let flags = FlagOverrides {
            db: flags.db.or_else(|| global.db.clone()),
            ..flags
        };
        let settings: Settings = figment
            .merge(Env::prefixed("GONGKAI_").only(&ENV_KEYS))
            .merge(Serialized::defaults(flags))
            .extract()
            .map_err(|e| anyhow::anyhow!("配置有误：{e}"))?;
        parse_listen(&settings.listen)?;
        if let Some(url) = &settings.public_url
            && !(url.starts_with("http://") || url.starts_with("https://"))
        {
            bail!("配置有误：public_url 应以 http:// 或 https:// 开头（当前为 {url}）");
        }
        settings
            .storage
            .validate()
            .map_err(|e| anyhow::anyhow!("配置有误：{e}"))?;
        Ok(Self {
            data_dir: global.data_dir.clone(),
            config_file,
            settings,
        })
    }

    /// The database URL to open: the configured one, or the SQLite file in
    /// the data directory (which is created if missing).
    pub fn database_url(&self) -> anyhow::Result<String> {
        if let Some(url) = &self.settings.db {
            return Ok(url.clone());
        }
        // Creates the directory if missing.
        gongkai_store::sqlite_url_for_data_dir(&self.data_dir).map_err(|e| {
            anyhow::anyhow!(
                "无法确定数据目录 {} 中的数据库：{e}",
                self.data_dir.display()
            )
        })
    }

    pub fn listen_addr(&self) -> anyhow::Result<SocketAddr> {
        parse_listen(&self.settings.listen)
    }

    /// Cookies are marked `Secure` when users reach the site over https.
    pub fn secure_cookies(&self) -> bool {
        self.settings
            .public_url
            .as_deref()
            .is_some_and(|u| u.starts_with("https://"))
    }

    /// The effective configuration as TOML-like lines, secrets redacted.
    pub fn describe(&self) -> String {
        let s = &self.settings;
        let quote = |v: &str| format!("{v:?}");
        let opt = |v: &Option<String>| v.as_deref().map(quote).unwrap_or_else(|| "(未设置)".into());
        let db = match &s.db {
            Some(url) => quote(&gongkai_store::redact_url(url)),
            None => format!(
                "{}  # 默认：数据目录中的 SQLite 数据库",
                quote(&format!(
                    "sqlite://{}",
                    self.data_dir.join("gongkai.db").display()
                ))
            ),
        };
        let file = match &self.config_file {
            Some(p) => p.display().to_string(),
            None => format!(
                "(未使用：{} 不存在)",
                self.data_dir.join(CONFIG_FILE_NAME).display()
            ),
        };
        let origins: Vec<String> = s.trusted_origins.iter().map(|o| quote(o)).collect();
        let mail = match &s.mail.smtp {
            Some(smtp) => {
                let smtp = smtp.redacted();
                format!(
                    "[mail.smtp]\nhost = {}\nport = {}\nsecurity = {:?}\nusername = {}\npassword = {}\nca_file = {}\n",
                    quote(&smtp.host),
                    smtp.effective_port(),
                    format!("{:?}", smtp.security).to_lowercase(),
                    opt(&smtp.username),
                    opt(&smtp.password),
                    smtp.ca_file
                        .as_deref()
                        .map(|p| quote(&path_str(p)))
                        .unwrap_or_else(|| "(未设置)".into()),
                )
            }
            None => format!(
                "# 未配置 [mail.smtp]：通知邮件写入目录 {}\n",
                quote(&path_str(&self.mail_dir()))
            ),
        };
        format!(
            "# data_dir = {}\n# config_file = {}\ndb = {}\nlisten = {}\nsite_name = {}\npublic_url = {}\ntrusted_origins = [{}]\n# secure_cookies = {}\n[mail]\nfrom = {}\ninterval_secs = {}\n{}{}",
            quote(&path_str(&self.data_dir)),
            file,
            db,
            quote(&s.listen),
            opt(&s.site_name),
            opt(&s.public_url),
            origins.join(", "),
            self.secure_cookies(),
            quote(&s.mail.from),
            s.mail.interval_secs,
            mail,
            s.storage.describe(&self.data_dir),
        )
    }

    /// The file store `[storage]` describes (a local directory is created
    /// if missing; an S3 client does not contact the service yet).
    pub fn file_store(&self) -> anyhow::Result<gongkai_files::ObjectFileStore> {
        gongkai_files::ObjectFileStore::from_settings(&self.settings.storage, &self.data_dir)
            .map_err(|e| anyhow::anyhow!("{e}"))
    }

    /// Where `.eml` files go when no SMTP server is configured.
    pub fn mail_dir(&self) -> PathBuf {
        self.settings
            .mail
            .dir
            .clone()
            .unwrap_or_else(|| self.data_dir.join("mail-outbox"))
    }
}

fn path_str(p: &Path) -> String {
    p.display().to_string()
}

fn parse_listen(listen: &str) -> anyhow::Result<SocketAddr> {
    listen.trim().parse().map_err(|_| {
        anyhow::anyhow!(
            "配置有误：监听地址 listen = {listen:?} 无效，应为“IP:端口”，例如 127.0.0.1:8080"
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn global(dir: &Path) -> GlobalOpts {
        GlobalOpts {
            data_dir: dir.to_path_buf(),
            db: None,
            config: None,
        }
    }

    #[test]
    fn file_values_are_read_and_flags_win() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(CONFIG_FILE_NAME),
            "listen = \"0.0.0.0:9000\"\nsite_name = \"青岚市人民政府\"\npublic_url = \"https://gk.example.invalid\"\n",
        )
        .unwrap();
        let c = Config::load(&global(dir.path()), FlagOverrides::default()).unwrap();
        assert_eq!(c.settings.listen, "0.0.0.0:9000");
        assert_eq!(c.settings.site_name.as_deref(), Some("青岚市人民政府"));
        assert!(c.secure_cookies());
        let flags = FlagOverrides {
            listen: Some("127.0.0.1:7000".into()),
            ..Default::default()
        };
        let c = Config::load(&global(dir.path()), flags).unwrap();
        assert_eq!(c.listen_addr().unwrap().port(), 7000);
    }

    #[test]
    fn an_unknown_key_names_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(CONFIG_FILE_NAME);
        std::fs::write(&path, "lisen = \"0.0.0.0:9000\"\n").unwrap();
        let err = Config::load(&global(dir.path()), FlagOverrides::default())
            .unwrap_err()
            .to_string();
        assert!(err.contains("lisen"), "{err}");
        assert!(err.contains(&path.display().to_string()), "{err}");
    }

    #[test]
    fn a_bad_listen_address_is_rejected() {
        let dir = tempfile::tempdir().unwrap();
        let flags = FlagOverrides {
            listen: Some("localhost".into()),
            ..Default::default()
        };
        let err = Config::load(&global(dir.path()), flags).unwrap_err();
        assert!(err.to_string().contains("监听地址"));
    }

    #[test]
    fn mail_settings_are_read_and_the_smtp_password_is_redacted() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(CONFIG_FILE_NAME),
            "[mail]\nfrom = \"公开办 <gk@example.invalid>\"\n[mail.smtp]\nhost = \"smtp.example.invalid\"\nusername = \"gk\"\npassword = \"s3cret-pw\"\n",
        )
        .unwrap();
        let c = Config::load(&global(dir.path()), FlagOverrides::default()).unwrap();
        let smtp = c.settings.mail.smtp.as_ref().unwrap();
        assert_eq!(smtp.host, "smtp.example.invalid");
        assert_eq!(smtp.effective_port(), 587);
        let text = c.describe();
        assert!(!text.contains("s3cret-pw"), "{text}");
        assert!(text.contains("smtp.example.invalid"), "{text}");
        // Without [mail.smtp], mail goes to a directory, and the description says where.
        let other = tempfile::tempdir().unwrap();
        let c = Config::load(&global(other.path()), FlagOverrides::default()).unwrap();
        assert!(c.settings.mail.smtp.is_none());
        assert!(c.describe().contains("mail-outbox"), "{}", c.describe());
    }

    #[test]
    fn storage_defaults_to_files_in_the_data_directory() {
        let dir = tempfile::tempdir().unwrap();
        let c = Config::load(&global(dir.path()), FlagOverrides::default()).unwrap();
        assert_eq!(
            c.settings.storage,
            gongkai_files::StorageSettings::default()
        );
        let text = c.describe();
        assert!(text.contains("[storage]"), "{text}");
        let files = dir.path().join("files").display().to_string();
        assert!(text.contains(&files), "{text}");
        assert!(c.file_store().unwrap().description().contains(&files));
        assert!(dir.path().join("files").is_dir());
    }

    #[test]
    fn storage_settings_are_read_and_the_s3_secret_is_redacted() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(CONFIG_FILE_NAME),
            "[storage]\nkind = \"s3\"\nmax_upload_mb = 20\n[storage.s3]\nendpoint = \"http://127.0.0.1:9000\"\nbucket = \"qinglan-files\"\naccess_key_id = \"minio\"\nsecret_access_key = \"s3cret-key\"\npath_style = true\nallow_http = true\n",
        )
        .unwrap();
        let c = Config::load(&global(dir.path()), FlagOverrides::default()).unwrap();
        let storage = &c.settings.storage;
        assert_eq!(storage.kind, gongkai_files::StorageKind::S3);
        assert_eq!(storage.upload_limits().max_bytes, 20 * 1024 * 1024);
        assert_eq!(storage.s3.as_ref().unwrap().bucket, "qinglan-files");
        let text = c.describe();
        assert!(!text.contains("s3cret-key"), "{text}");
        assert!(text.contains("qinglan-files"), "{text}");
        // The binary is built with S3 support, so the client is created
        // (without contacting the service).
        assert!(
            c.file_store()
                .unwrap()
                .description()
                .contains("qinglan-files")
        );
    }

    #[test]
    fn bad_storage_settings_are_refused_naming_the_key() {
        for (toml, key) in [
            ("[storage]\nmax_upload_mb = 0\n", "max_upload_mb"),
            ("[storage]\nmax_upload_mb = 500\n", "max_upload_mb"),
            ("[storage]\nkind = \"s3\"\n", "[storage.s3]"),
            ("[storage]\nkind = \"ftp\"\n", "kind"),
            ("[storage]\npaht = \"/srv/files\"\n", "paht"),
            (
                "[storage]\nkind = \"s3\"\n[storage.s3]\nendpoint = \"http://minio.internal:9000\"\nbucket = \"files\"\naccess_key_id = \"k\"\nsecret_access_key = \"s\"\n",
                "allow_http",
            ),
            (
                "[storage]\n[storage.s3]\nbucket = \"files\"\naccess_key_id = \"k\"\nsecret_access_key = \"s\"\n",
                "kind = \"s3\"",
            ),
        ] {
            let dir = tempfile::tempdir().unwrap();
            std::fs::write(dir.path().join(CONFIG_FILE_NAME), toml).unwrap();
            let err = Config::load(&global(dir.path()), FlagOverrides::default())
                .unwrap_err()
                .to_string();
            assert!(err.starts_with("配置有误"), "{toml}: {err}");
            assert!(err.contains(key), "{toml}: {err}");
        }
    }

    #[test]
    fn the_db_password_is_redacted_in_the_description() {
        let dir = tempfile::tempdir().unwrap();
        let mut g = global(dir.path());
        g.db = Some("postgres://gk:s3cret-pw@db.internal:5432/gongkai".into());
        let c = Config::load(&g, FlagOverrides::default()).unwrap();
        let text = c.describe();
        assert!(!text.contains("s3cret-pw"), "{text}");
        assert!(text.contains("db.internal"), "{text}");
    }
}
