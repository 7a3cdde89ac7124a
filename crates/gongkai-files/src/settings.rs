//! The `[storage]` section of `gongkai.toml`: where attachment bytes go
//! and how large an upload may be.

use std::fmt;
use std::path::{Path, PathBuf};

use gongkai_core::item::attachment::ATTACHMENT_MAX_BYTES;
use serde::{Deserialize, Serialize};

use crate::upload::UploadLimits;

/// Default upper bound of one uploaded attachment, in MiB.
pub const DEFAULT_MAX_UPLOAD_MB: u64 = 50;
const MIB: u64 = 1024 * 1024;

/// Which backend holds the files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StorageKind {
    /// A directory on this machine (default `<data-dir>/files`).
    #[default]
    Local,
    /// S3-compatible object storage, configured in `[storage.s3]`.
    S3,
}

/// `[storage]`. Unknown keys are rejected to catch typos.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct StorageSettings {
    pub kind: StorageKind,
    /// Directory of the local store; default `files/` in the data directory.
    pub path: Option<PathBuf>,
    /// Largest accepted upload, in MiB.
    pub max_upload_mb: u64,
    pub s3: Option<S3Settings>,
}

impl Default for StorageSettings {
    fn default() -> Self {
        Self {
            kind: StorageKind::Local,
            path: None,
            max_upload_mb: DEFAULT_MAX_UPLOAD_MB,
            s3: None,
        }
    }
}

/// `[storage.s3]`: an S3-compatible service (MinIO, 阿里云 OSS, 华为 OBS,
/// AWS S3).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct S3Settings {
    /// Service URL without the bucket, e.g. `https://oss-cn-hangzhou.aliyuncs.com`,
    /// `https://obs.cn-north-4.myhuaweicloud.com`, `http://127.0.0.1:9000`.
    /// Absent: AWS S3 in `region`.
    pub endpoint: Option<String>,
    pub bucket: String,
    /// Signing region, e.g. `cn-hangzhou`; MinIO accepts the default.
    #[serde(default = "default_region")]
    pub region: String,
    pub access_key_id: String,
    pub secret_access_key: String,
    /// `http://host/bucket/key` instead of `http://bucket.host/key`
    /// (MinIO needs it; OSS refuses it).
    #[serde(default)]
    pub path_style: bool,
    /// Permit a plain-http endpoint (a MinIO on the same host or network).
    #[serde(default)]
    pub allow_http: bool,
    /// Keys are stored under this prefix, e.g. `gongkai` → `gongkai/sha256/…`,
    /// so one bucket can serve several deployments.
    pub prefix: Option<String>,
}

fn default_region() -> String {
    "us-east-1".into()
}

// Hand-written so that the secret never reaches a log line or `check-config`.
impl fmt::Debug for S3Settings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("S3Settings")
            .field("endpoint", &self.endpoint)
            .field("bucket", &self.bucket)
            .field("region", &self.region)
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &"***")
            .field("path_style", &self.path_style)
            .field("allow_http", &self.allow_http)
            .field("prefix", &self.prefix)
            .finish()
    }
}

impl StorageSettings {
    /// Checks the section as a whole; the message names the key at fault
    /// and is meant to follow "配置有误：".
    pub fn validate(&self) -> Result<(), String> {
        let max_mb = (ATTACHMENT_MAX_BYTES as u64) / MIB;
        if !(1..=max_mb).contains(&self.max_upload_mb) {
            return Err(format!(
                "[storage] max_upload_mb 应在 1 到 {max_mb} 之间（当前为 {}）",
                self.max_upload_mb
            ));
        }
        match self.kind {
            StorageKind::Local => {
                // Files stored locally while the operator believes they go to
                // the bucket would be lost with the machine.
                if self.s3.is_some() {
                    return Err(
                        "已填写 [storage.s3]，但 [storage] kind = \"local\"：要使用对象存储请设置 kind = \"s3\"，否则删除 [storage.s3]"
                            .into(),
                    );
                }
                if let Some(path) = &self.path
                    && path.as_os_str().is_empty()
                {
                    return Err("[storage] path 不能为空".into());
                }
                Ok(())
            }
            StorageKind::S3 => {
                if self.path.is_some() {
                    return Err(
                        "[storage] kind = \"s3\" 时不使用 path，请删除 path 或改为 kind = \"local\""
                            .into(),
                    );
                }
                match &self.s3 {
                    Some(s3) => s3.validate(),
                    None => Err("[storage] kind = \"s3\" 时必须填写 [storage.s3]（endpoint、bucket、access_key_id、secret_access_key 等）".into()),
                }
            }
        }
    }

    /// The directory of the local store.
    pub fn local_dir(&self, data_dir: &Path) -> PathBuf {
        self.path.clone().unwrap_or_else(|| data_dir.join("files"))
    }

    pub fn max_upload_bytes(&self) -> u64 {
        self.max_upload_mb * MIB
    }

    /// The limits [`crate::accept_upload`] applies under these settings.
    pub fn upload_limits(&self) -> UploadLimits {
        UploadLimits {
            max_bytes: self.max_upload_bytes(),
            ..UploadLimits::default()
        }
    }

    /// The effective section as TOML, the secret replaced by `***`.
    pub fn describe(&self, data_dir: &Path) -> String {
        let q = |v: &str| format!("{v:?}");
        let mut out = format!("[storage]\nmax_upload_mb = {}\n", self.max_upload_mb);
        match (self.kind, &self.s3) {
            (StorageKind::S3, Some(s3)) => {
                out.push_str("kind = \"s3\"\n[storage.s3]\n");
                out.push_str(&format!(
                    "endpoint = {}\nbucket = {}\nregion = {}\naccess_key_id = {}\nsecret_access_key = \"***\"\npath_style = {}\nallow_http = {}\nprefix = {}\n",
                    self.s3_endpoint_line(s3),
                    q(&s3.bucket),
                    q(&s3.region),
                    q(&s3.access_key_id),
                    s3.path_style,
                    s3.allow_http,
                    s3.prefix.as_deref().map(q).unwrap_or_else(|| "(未设置)".into()),
                ));
            }
            _ => {
                let path = self.local_dir(data_dir);
                out.push_str(&format!(
                    "kind = \"local\"\npath = {}{}\n",
                    q(&path.display().to_string()),
                    if self.path.is_none() {
                        "  # 默认：数据目录中的 files/"
                    } else {
                        ""
                    }
                ));
            }
        }
        out
    }

    fn s3_endpoint_line(&self, s3: &S3Settings) -> String {
        match &s3.endpoint {
            Some(e) => format!("{e:?}"),
            None => "(未设置：AWS S3)".into(),
        }
    }
}

impl S3Settings {
    pub fn validate(&self) -> Result<(), String> {
        self.bucket_url()?;
        let region_ok = !self.region.is_empty()
            && self
                .region
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !region_ok {
            return Err(format!(
                "[storage.s3] region 应为小写字母、数字和连字符，例如 cn-hangzhou（当前为 {:?}）",
                self.region
            ));
        }
        if self.access_key_id.trim().is_empty() || self.access_key_id.contains(char::is_whitespace)
        {
            return Err("[storage.s3] access_key_id 不能为空，也不能含空格".into());
        }
        if self.secret_access_key.trim().is_empty() {
            return Err("[storage.s3] secret_access_key 不能为空".into());
        }
        self.key_prefix()?;
        Ok(())
    }

    /// A copy with the secret replaced, for printing.
    pub fn redacted(&self) -> Self {
        Self {
            secret_access_key: "***".into(),
            ..self.clone()
        }
    }

    /// The URL that addresses the bucket: `https://bucket.host` (virtual
    /// hosted) or `https://host/bucket` (path style).
    pub fn bucket_url(&self) -> Result<String, String> {
        let b = &self.bucket;
        let bucket_ok = (3..=63).contains(&b.len())
            && b.bytes()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-' || c == b'.')
            && b.starts_with(|c: char| c.is_ascii_alphanumeric())
            && b.ends_with(|c: char| c.is_ascii_alphanumeric())
            && !b.contains("..");
        if !bucket_ok {
            return Err(format!(
                "[storage.s3] bucket 应为 3–63 个小写字母、数字、连字符或点，且以字母或数字开头和结尾（当前为 {b:?}）"
            ));
        }
        let Some(endpoint) = &self.endpoint else {
            let region = &self.region;
            return Ok(if self.path_style {
                format!("https://s3.{region}.amazonaws.com/{b}")
            } else {
                format!("https://{b}.s3.{region}.amazonaws.com")
            });
        };
        let bad = || {
            format!(
                "[storage.s3] endpoint 应为服务地址，如 https://oss-cn-hangzhou.aliyuncs.com 或 http://127.0.0.1:9000，不含存储桶名和路径（当前为 {endpoint:?}）"
            )
        };
        let (scheme, rest) = endpoint.split_once("://").ok_or_else(bad)?;
        let host = rest.strip_suffix('/').unwrap_or(rest);
        let host_ok = !host.is_empty()
            && host.bytes().all(|c| {
                c.is_ascii_alphanumeric() || matches!(c, b'.' | b'-' | b':' | b'[' | b']')
            })
            && !host.starts_with([':', '.', '-']);
        if !host_ok {
            return Err(bad());
        }
        match scheme {
            "https" => {}
            "http" if self.allow_http => {}
            "http" => {
                return Err(format!(
                    "[storage.s3] endpoint 使用了不加密的 http（{endpoint}）：仅在本机或内网的 MinIO 上可以这样做，此时请同时设置 allow_http = true"
                ));
            }
            _ => return Err(bad()),
        }
        Ok(if self.path_style {
            format!("{scheme}://{host}/{b}")
        } else {
            format!("{scheme}://{b}.{host}")
        })
    }

    /// The prefix without surrounding slashes, checked; `None` if unset.
    pub fn key_prefix(&self) -> Result<Option<String>, String> {
        let Some(p) = &self.prefix else {
            return Ok(None);
        };
        let p = p.trim_matches('/');
        if p.is_empty() {
            return Ok(None);
        }
        let ok = p.split('/').all(|seg| {
            !seg.is_empty()
                && seg != "."
                && seg != ".."
                && seg
                    .bytes()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'-' | b'_'))
        });
        if !ok {
            return Err(format!(
                "[storage.s3] prefix 只能由字母、数字、点、连字符、下划线和 / 组成，且不能含 . 或 .. 段（当前为 {p:?}）"
            ));
        }
        Ok(Some(p.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn minio() -> S3Settings {
        S3Settings {
            endpoint: Some("http://127.0.0.1:9000".into()),
            bucket: "gongkai-files".into(),
            region: default_region(),
            access_key_id: "minioadmin".into(),
            secret_access_key: "s3cret-value".into(),
            path_style: true,
            allow_http: true,
            prefix: None,
        }
    }

    #[test]
    fn default_is_local_with_50_mb() {
        let s: StorageSettings = toml::from_str("").unwrap();
        assert_eq!(s, StorageSettings::default());
        assert_eq!(s.kind, StorageKind::Local);
        assert_eq!(s.max_upload_bytes(), 50 * 1024 * 1024);
        assert_eq!(
            s.local_dir(Path::new("/srv/gk")),
            Path::new("/srv/gk/files")
        );
        assert_eq!(s.upload_limits().max_bytes, 50 * 1024 * 1024);
        s.validate().unwrap();
    }

    #[test]
    fn an_s3_section_parses_and_validates() {
        let s: StorageSettings = toml::from_str(
            r#"
            kind = "s3"
            max_upload_mb = 20
            [s3]
            endpoint = "https://oss-cn-hangzhou.aliyuncs.com"
            bucket = "qinglan-gongkai"
            region = "cn-hangzhou"
            access_key_id = "LTAI5t"
            secret_access_key = "very-secret"
            prefix = "/gongkai/"
            "#,
        )
        .unwrap();
        s.validate().unwrap();
        let s3 = s.s3.as_ref().unwrap();
        assert_eq!(
            s3.bucket_url().unwrap(),
            "https://qinglan-gongkai.oss-cn-hangzhou.aliyuncs.com"
        );
        assert_eq!(s3.key_prefix().unwrap().as_deref(), Some("gongkai"));
        assert_eq!(s.max_upload_bytes(), 20 * 1024 * 1024);
    }

    #[test]
    fn unknown_keys_and_kinds_are_refused() {
        assert!(toml::from_str::<StorageSettings>("knd = \"local\"").is_err());
        assert!(toml::from_str::<StorageSettings>("kind = \"ftp\"").is_err());
        let typo = "kind = \"s3\"\n[s3]\nbucket = \"b1b\"\naccess_key_id = \"a\"\nsecret_access_key = \"s\"\npathstyle = true\n";
        assert!(toml::from_str::<StorageSettings>(typo).is_err());
    }

    #[test]
    fn the_secret_is_never_printed() {
        let s = StorageSettings {
            kind: StorageKind::S3,
            s3: Some(minio()),
            ..StorageSettings::default()
        };
        let debug = format!("{s:?}");
        assert!(!debug.contains("s3cret-value"), "{debug}");
        assert!(debug.contains("minioadmin"));
        let described = s.describe(Path::new("/srv/gk"));
        assert!(!described.contains("s3cret-value"), "{described}");
        assert!(described.contains("secret_access_key = \"***\""));
        assert!(described.contains("endpoint = \"http://127.0.0.1:9000\""));
        assert_eq!(minio().redacted().secret_access_key, "***");
    }

    #[test]
    fn path_style_and_virtual_hosted_urls() {
        let mut s = minio();
        assert_eq!(
            s.bucket_url().unwrap(),
            "http://127.0.0.1:9000/gongkai-files"
        );
        s.path_style = false;
        s.endpoint = Some("https://obs.cn-north-4.myhuaweicloud.com/".into());
        assert_eq!(
            s.bucket_url().unwrap(),
            "https://gongkai-files.obs.cn-north-4.myhuaweicloud.com"
        );
        s.endpoint = None;
        s.region = "cn-north-1".into();
        assert_eq!(
            s.bucket_url().unwrap(),
            "https://gongkai-files.s3.cn-north-1.amazonaws.com"
        );
    }

    #[test]
    fn bad_s3_settings_name_the_key() {
        let check = |f: &dyn Fn(&mut S3Settings), needle: &str| {
            let mut s = minio();
            f(&mut s);
            let err = s.validate().unwrap_err();
            assert!(err.contains(needle), "{needle}: {err}");
        };
        check(&|s| s.allow_http = false, "allow_http = true");
        check(&|s| s.endpoint = Some("127.0.0.1:9000".into()), "endpoint");
        check(&|s| s.endpoint = Some("ftp://host".into()), "endpoint");
        check(
            &|s| s.endpoint = Some("https://host/bucket".into()),
            "endpoint",
        );
        check(
            &|s| s.endpoint = Some("https://user@host".into()),
            "endpoint",
        );
        check(&|s| s.bucket = "My_Bucket".into(), "bucket");
        check(&|s| s.bucket = "ab".into(), "bucket");
        check(&|s| s.region = String::new(), "region");
        check(&|s| s.access_key_id = " ".into(), "access_key_id");
        check(
            &|s| s.secret_access_key = String::new(),
            "secret_access_key",
        );
        check(&|s| s.prefix = Some("a/../b".into()), "prefix");
    }

    #[test]
    fn kind_and_sections_must_agree() {
        let local_with_s3 = StorageSettings {
            s3: Some(minio()),
            ..StorageSettings::default()
        };
        assert!(
            local_with_s3
                .validate()
                .unwrap_err()
                .contains("kind = \"s3\"")
        );
        let s3_without_section = StorageSettings {
            kind: StorageKind::S3,
            ..StorageSettings::default()
        };
        assert!(
            s3_without_section
                .validate()
                .unwrap_err()
                .contains("[storage.s3]")
        );
        let too_big = StorageSettings {
            max_upload_mb: 101,
            ..StorageSettings::default()
        };
        assert!(too_big.validate().unwrap_err().contains("max_upload_mb"));
        let zero = StorageSettings {
            max_upload_mb: 0,
            ..StorageSettings::default()
        };
        assert!(zero.validate().is_err());
    }
}
