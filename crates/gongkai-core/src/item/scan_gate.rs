//! How the pre-publication scanner's findings gate the workflow.
//!
//! The scanner (run by the caller on title, summary, body and attachment
//! text) produces findings; the caller records them on the version
//! together with the [`content_fingerprint`] of the content it scanned.
//! 通过审查, 领导审批 and 发布 are then allowed only when
//! * the recorded scan is of the current content (an edit makes it stale:
//!   the masked text must be scanned again — that is how "fixed" is proven),
//! * every finding of that scan has an override with a reason.
//!
//! Only a stable key, a kind, whether it blocks and an excerpt of each
//! finding are kept ([`ScanFinding`], built from a [`scan::Finding`]), so
//! the stored record does not change shape with the scanner's internals.

use super::attachment::Attachment;
use super::metadata::ItemDraft;
use crate::UserId;
use crate::scan;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

pub const OVERRIDE_REASON_MAX: usize = 500;

/// One finding of the scanner.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScanFinding {
    /// Stable across re-scans of the same text (an override refers to it).
    pub key: String,
    /// A [`scan::FindingKind`] key, e.g. `id_number`, `mobile`, `marking`.
    pub kind: String,
    /// False for notices the reviewer sees but need not resolve.
    #[serde(default = "yes")]
    pub blocks: bool,
    /// Where and what, with personal data masked.
    pub excerpt: String,
}

fn yes() -> bool {
    true
}

impl From<&scan::Finding> for ScanFinding {
    /// Keeps the place and the context, but shows the proposed mask instead
    /// of the matched number: the record is kept for years and copied into
    /// review evidence, and must not become a second copy of the data.
    fn from(f: &scan::Finding) -> Self {
        let hit = f.replacement.as_deref().unwrap_or(&f.excerpt.hit);
        Self {
            key: f.key.clone(),
            kind: f.kind.as_str().to_string(),
            blocks: f.blocks(),
            excerpt: format!(
                "{} {}：{}【{}】{}",
                f.field, f.location, f.excerpt.before, hit, f.excerpt.after
            ),
        }
    }
}

/// What the caller hands to the store after scanning.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScanReport {
    /// [`content_fingerprint`] of the content that was scanned.
    pub fingerprint: String,
    pub findings: Vec<ScanFinding>,
}

impl ScanReport {
    /// The report for findings of [`scan::scan`] over content with this fingerprint.
    pub fn new(fingerprint: String, findings: &[scan::Finding]) -> Self {
        Self {
            fingerprint,
            findings: findings.iter().map(ScanFinding::from).collect(),
        }
    }
}

/// The latest scan of a version, as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScanRecord {
    pub fingerprint: String,
    pub findings: Vec<ScanFinding>,
    pub scanned_at: DateTime<Utc>,
    pub scanned_by: String,
}

/// A reviewer's decision to publish despite a finding (e.g. a phone number
/// that is the office's own 咨询电话).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScanOverride {
    pub finding_key: String,
    pub reason: String,
    pub by: Option<UserId>,
    pub by_name: String,
    pub at: DateTime<Utc>,
}

/// Where a version stands with respect to the scanner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScanGate {
    /// Scanned in its current form, and every finding is overridden.
    Clear,
    NotScanned,
    /// Edited since the last scan.
    Stale,
    /// Blocking findings without an override (their keys, each once).
    Unresolved(Vec<String>),
}

/// A digest of everything the public will see and the scanner reads: the
/// text fields and the identity of every attachment's bytes.
pub fn content_fingerprint(meta: &ItemDraft, attachments: &[Attachment]) -> String {
    let mut h = Sha256::new();
    let mut field = |s: &str| {
        // Length-prefixed so that moving text between fields changes the digest.
        h.update((s.len() as u64).to_be_bytes());
        h.update(s.as_bytes());
    };
    field(&meta.title);
    field(&meta.summary);
    field(meta.body.as_str());
    field(&meta.issuers.join("\n"));
    field(meta.doc_number.as_deref().unwrap_or(""));
    field(&meta.keywords.join("\n"));
    for a in attachments {
        field(&a.name);
        field(&a.sha256);
    }
    hex::encode(h.finalize())
}

/// The gate for a version with this content, scan and overrides.
pub fn scan_gate(
    current_fingerprint: &str,
    scan: Option<&ScanRecord>,
    overrides: &[ScanOverride],
) -> ScanGate {
    let Some(scan) = scan else {
        return ScanGate::NotScanned;
    };
    if scan.fingerprint != current_fingerprint {
        return ScanGate::Stale;
    }
    let mut open: Vec<String> = Vec::new();
    for f in scan.findings.iter().filter(|f| f.blocks) {
        if !overrides.iter().any(|o| o.finding_key == f.key) && !open.contains(&f.key) {
            open.push(f.key.clone());
        }
    }
    if open.is_empty() {
        ScanGate::Clear
    } else {
        ScanGate::Unresolved(open)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::html::SafeHtml;
    use crate::item::metadata::{DisclosureMode, DocKind, Validity};
    use chrono::NaiveDate;

    fn meta(body: &str) -> ItemDraft {
        ItemDraft {
            title: "关于公布低保对象名单的公告".into(),
            summary: "公布名单".into(),
            body: SafeHtml::sanitize(body),
            issuers: vec!["青岚市民政局".into()],
            doc_number: None,
            written_on: None,
            formed_on: NaiveDate::from_ymd_opt(2024, 9, 27).unwrap(),
            topic: "civil_affairs".into(),
            column_id: 1,
            genre: "announcement".into(),
            keywords: vec![],
            disclosure: DisclosureMode::Proactive,
            doc_kind: DocKind::Other,
            validity: Validity::Effective,
        }
    }

    fn record(fp: &str, keys: &[&str]) -> ScanRecord {
        ScanRecord {
            fingerprint: fp.into(),
            findings: keys
                .iter()
                .map(|k| ScanFinding {
                    key: (*k).into(),
                    kind: "id_number".into(),
                    blocks: true,
                    excerpt: "4301**********1234".into(),
                })
                .collect(),
            scanned_at: DateTime::from_timestamp(1_700_000_000, 0).unwrap(),
            scanned_by: "reviewer".into(),
        }
    }

    fn overrule(key: &str) -> ScanOverride {
        ScanOverride {
            finding_key: key.into(),
            reason: "为本机关公开的咨询电话".into(),
            by: Some(3),
            by_name: "reviewer".into(),
            at: DateTime::from_timestamp(1_700_000_100, 0).unwrap(),
        }
    }

    #[test]
    fn the_fingerprint_follows_the_visible_content() {
        let a = content_fingerprint(&meta("张三 430102199003071234"), &[]);
        let b = content_fingerprint(&meta("张三 4301**********1234"), &[]);
        assert_ne!(a, b);
        assert_eq!(
            a,
            content_fingerprint(&meta("张三 430102199003071234"), &[])
        );
        let mut m = meta("x");
        m.column_id = 9; // not visible text: no re-scan needed
        assert_eq!(
            content_fingerprint(&m, &[]),
            content_fingerprint(&meta("x"), &[])
        );
        let att = Attachment {
            id: 1,
            name: "名单.pdf".into(),
            media_type: "application/pdf".into(),
            size: 10,
            sha256: "b".repeat(64),
            storage_key: "k".into(),
        };
        assert_ne!(
            content_fingerprint(&meta("x"), &[att]),
            content_fingerprint(&meta("x"), &[])
        );
    }

    #[test]
    fn the_gate_needs_a_current_scan_with_every_finding_overridden() {
        assert_eq!(scan_gate("fp", None, &[]), ScanGate::NotScanned);
        assert_eq!(
            scan_gate("fp2", Some(&record("fp", &[])), &[]),
            ScanGate::Stale
        );
        assert_eq!(
            scan_gate("fp", Some(&record("fp", &[])), &[]),
            ScanGate::Clear
        );
        let r = record("fp", &["id:1", "tel:2"]);
        assert_eq!(
            scan_gate("fp", Some(&r), &[overrule("tel:2")]),
            ScanGate::Unresolved(vec!["id:1".into()])
        );
        assert_eq!(
            scan_gate("fp", Some(&r), &[overrule("tel:2"), overrule("id:1")]),
            ScanGate::Clear
        );
    }

    #[test]
    fn notices_do_not_block_and_repeated_keys_count_once() {
        let mut r = record("fp", &["id:1", "id:1"]);
        r.findings.push(ScanFinding {
            key: "mark:1".into(),
            kind: "marking".into(),
            blocks: false,
            excerpt: "机密文件".into(),
        });
        assert_eq!(
            scan_gate("fp", Some(&r), &[]),
            ScanGate::Unresolved(vec!["id:1".into()])
        );
    }

    #[test]
    fn a_scanner_finding_is_kept_without_the_number_itself() {
        let text = "申请人身份证号430104199001011230，已办结。";
        let findings = scan::scan(&[("正文", text)], &scan::ScanConfig::default());
        let report = ScanReport::new("fp".into(), &findings);
        assert_eq!(report.findings.len(), 1);
        let f = &report.findings[0];
        assert_eq!(f.kind, "id_number");
        assert!(f.blocks);
        assert_eq!(f.key, findings[0].key);
        assert!(f.excerpt.starts_with("正文 第 1 行第"), "{}", f.excerpt);
        assert!(f.excerpt.contains("4301**********1230"), "{}", f.excerpt);
        assert!(!f.excerpt.contains("430104199001011230"), "{}", f.excerpt);
    }
}
