//! Released documents (提供的政府信息): the files an agency provides to the
//! applicant with its reply (第三十六条第（二）项, 第三十七条 部分公开).
//!
//! The bytes live in the file store (`gongkai-files`, content addressed);
//! a [`CaseDocument`] is the record of one file on one case. The set is
//! edited while the case is open and frozen when it closes: after closing
//! it is the record of what was released, and the applicant can download
//! it from the status page if the outcome provides information
//! ([`releases_documents`]).
//!
//! Each upload is read by the pre-publication scanner ([`DocumentScan`]):
//! the record keeps whether the file is clean, where personal data or
//! classification markings were found (masked), or that its text could not
//! be read and a person must check it.

use crate::UserId;
use crate::audit::Actor;
use crate::item::NewAttachment;
use crate::request::case::CaseId;
use crate::request::outcome::{Outcome, OutcomeFamily};
use crate::scan::{self, FindingKind, Scanner};
use crate::store::StoreResult;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Most documents one case may carry (a reply rarely needs more; a larger
/// set can be merged into fewer files).
pub const CASE_DOCUMENTS_MAX: usize = 50;

/// One released file of a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseDocument {
    pub id: i64,
    pub case_id: CaseId,
    /// The cleaned upload name, shown and offered for download. It may
    /// carry personal data, so it stays out of audit summaries.
    pub name: String,
    /// Sniffed from the content at upload, never taken from the browser.
    pub media_type: String,
    pub size: i64,
    /// Lower-case hex SHA-256 of the bytes.
    pub sha256: String,
    /// Where the file store keeps the bytes (`sha256/ab/cd/<hex>`).
    pub storage_key: String,
    pub uploaded_by: Option<UserId>,
    pub uploaded_by_name: String,
    pub uploaded_at: DateTime<Utc>,
    /// What the scanner found when the file was uploaded.
    pub scan: DocumentScan,
}

impl CaseDocument {
    /// PDF, DOCX … for a link label.
    pub fn type_label(&self) -> &str {
        crate::item::attachment::media_type_label(&self.media_type).unwrap_or(&self.media_type)
    }
}

/// Most findings kept per document: a spreadsheet of ten thousand ID
/// numbers needs fixing as a whole, not a ten-thousand-line list.
pub const SCAN_FINDINGS_KEPT: usize = 100;

/// The scanner's verdict on a released document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ScanStatus {
    /// All text was read and nothing was found.
    Clean,
    /// All text was read and something was found.
    Findings,
    /// Some or all of the file could not be read as text (a scan, a
    /// picture, pages of outlines): a person must look at it. Findings in
    /// the part that was read are still listed.
    Unreadable,
}

impl ScanStatus {
    pub const ALL: [ScanStatus; 3] = [Self::Clean, Self::Findings, Self::Unreadable];

    /// Stable identifier (stored).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Clean => "clean",
            Self::Findings => "findings",
            Self::Unreadable => "unreadable",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// One finding as kept with a document: what, where, and the context with
/// the hit masked. The raw number is never kept — the record is shown to
/// every handler of the case and kept for years.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentFinding {
    /// A [`FindingKind`] key (`id_number`, `mobile`, `marking` …).
    pub kind: String,
    /// `【第 2 页】第 3 行第 5 字`, or `第 7 行第 5 字` without a page.
    pub place: String,
    /// `…前文【4301**********1234】后文…`.
    pub excerpt: String,
}

impl DocumentFinding {
    /// Chinese label of the kind.
    pub fn kind_label(&self) -> &str {
        FindingKind::parse(&self.kind).map_or(&self.kind, |k| k.label())
    }
}

/// The scan result of one document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentScan {
    pub status: ScanStatus,
    /// Number of findings, including those beyond [`SCAN_FINDINGS_KEPT`].
    pub total: u32,
    pub findings: Vec<DocumentFinding>,
    /// Why the text could not be read (for [`ScanStatus::Unreadable`]).
    pub detail: Option<String>,
}

impl DocumentScan {
    /// Scans the extracted `text` of a document. `unreadable` is the
    /// extraction's explanation when part or all of the file could not be
    /// read (`None` when every word was read).
    pub fn of(scanner: &Scanner, text: Option<&str>, unreadable: Option<String>) -> Self {
        let text = text.unwrap_or_default();
        let found = scanner.scan_field("文件", text);
        let findings = found
            .iter()
            .take(SCAN_FINDINGS_KEPT)
            .map(|f| DocumentFinding {
                kind: f.kind.as_str().to_string(),
                place: place(scanner, text, f),
                excerpt: masked_excerpt(f),
            })
            .collect();
        let status = match (&unreadable, found.is_empty()) {
            (Some(_), _) => ScanStatus::Unreadable,
            (None, true) => ScanStatus::Clean,
            (None, false) => ScanStatus::Findings,
        };
        Self {
            status,
            total: u32::try_from(found.len()).unwrap_or(u32::MAX),
            findings,
            detail: unreadable,
        }
    }
}

/// The excerpt with the proposed mask in place of the hit. Markings have
/// no mask and are shown as written: they are not personal data, and the
/// handler must see what to remove. Personal data in the context is
/// already starred by the scanner.
fn masked_excerpt(f: &scan::Finding) -> String {
    let hit = f.replacement.as_deref().unwrap_or(&f.excerpt.hit);
    format!("{}【{}】{}", f.excerpt.before, hit, f.excerpt.after)
}

/// Where a finding is, counted from the nearest section heading the text
/// extraction writes (`【第 2 页】`, `【页眉】`, `工作表「名单」`), so the
/// handler can find it in the file. A heading may itself hold personal data
/// (a sheet named after a person), so it is masked like the text.
fn place(scanner: &Scanner, text: &str, f: &scan::Finding) -> String {
    let before = text.get(..f.span.start).unwrap_or_default();
    let heading = before
        .rsplit('\n')
        .skip(1)
        .enumerate()
        .find(|(_, line)| is_heading(line.trim()));
    match heading {
        Some((lines_between, line)) => {
            let line = line.trim();
            let hits = scanner.scan_field("标题", line);
            format!(
                "{} 第 {} 行第 {} 字",
                scan::mask_all(line, &hits),
                lines_between + 1,
                f.location.column
            )
        }
        None => f.location.to_string(),
    }
}

fn is_heading(line: &str) -> bool {
    (line.starts_with('【') && line.ends_with('】'))
        || (line.starts_with("工作表「") && line.ends_with('」'))
}

/// Whether a case closed with `outcome` gives its documents to the
/// applicant: 予以公开 and 部分公开 provide information; every other
/// outcome provides none, so nothing is offered even if files were
/// uploaded before the decision changed.
pub fn releases_documents(outcome: Outcome) -> bool {
    matches!(
        outcome.family(),
        OutcomeFamily::Disclose | OutcomeFamily::Partial
    )
}

/// The released documents of disclosure cases. Audit records name the
/// case number, the document id, its size and type — never the file name.
#[async_trait]
pub trait CaseDocumentStore: Send + Sync {
    /// Adds a document (checked like an attachment: name, type, size,
    /// digest, key) to an open case, in one transaction with its
    /// `request.document_add` audit record. A closed case, or one that
    /// already has [`CASE_DOCUMENTS_MAX`], is `Invalid` with the Chinese
    /// message; an unknown case is `NotFound`. `scan` is the scanner's
    /// result for the bytes, kept with the row (the audit record names
    /// only its status).
    async fn add_case_document(
        &self,
        actor: &Actor,
        case_id: CaseId,
        doc: &NewAttachment,
        scan: &DocumentScan,
    ) -> StoreResult<CaseDocument>;
    /// The documents of a case in upload order (by id).
    async fn list_case_documents(&self, case_id: CaseId) -> StoreResult<Vec<CaseDocument>>;
    /// One document, only if it belongs to `case_id`.
    async fn get_case_document(
        &self,
        case_id: CaseId,
        doc_id: i64,
    ) -> StoreResult<Option<CaseDocument>>;
    /// Removes a document from an open case (`Invalid` once closed;
    /// `NotFound` if it is not this case's), with a
    /// `request.document_remove` audit record. Returns what was removed.
    /// The bytes stay in the file store: they are content addressed and
    /// may be shared with other rows.
    async fn remove_case_document(
        &self,
        actor: &Actor,
        case_id: CaseId,
        doc_id: i64,
    ) -> StoreResult<CaseDocument>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_disclosing_outcomes_release_documents() {
        let releasing: Vec<Outcome> = Outcome::ALL
            .into_iter()
            .filter(|o| releases_documents(*o))
            .collect();
        assert_eq!(releasing, [Outcome::Disclosed, Outcome::Partial]);
    }

    fn id_number() -> String {
        let body = "43010419900101123";
        format!(
            "{body}{}",
            crate::request::id_doc::resident_id_check_char(body).unwrap()
        )
    }

    #[test]
    fn findings_keep_the_place_and_a_masked_excerpt_only() {
        let id = id_number();
        let text = format!("【第 1 页】\n答复\n【第 2 页】\n名单\n申请人身份证号{id}，已核实");
        let s = DocumentScan::of(&Scanner::new(&Default::default()), Some(&text), None);
        assert_eq!(s.status, ScanStatus::Findings);
        assert_eq!(s.total, 1);
        let f = &s.findings[0];
        assert_eq!(f.kind, "id_number");
        assert_eq!(f.kind_label(), "身份证号码");
        assert_eq!(f.place, "【第 2 页】 第 2 行第 8 字");
        assert_eq!(
            f.excerpt,
            format!("申请人身份证号【4301**********{}】，已核实", &id[14..])
        );
        let json = serde_json::to_string(&s).unwrap();
        assert!(!json.contains(&id), "{json}");
        assert!(!json.contains(&id[4..14]), "{json}");
    }

    #[test]
    fn clean_unreadable_and_many_findings() {
        let scanner = Scanner::new(&Default::default());
        let clean = DocumentScan::of(&scanner, Some("经审核，现予以公开。"), None);
        assert_eq!(clean.status, ScanStatus::Clean);
        assert!(clean.findings.is_empty());
        let image = DocumentScan::of(&scanner, None, Some("未能提取文字：图片".into()));
        assert_eq!(image.status, ScanStatus::Unreadable);
        assert_eq!(image.detail.as_deref(), Some("未能提取文字：图片"));
        let many: String = (0..150).map(|_| format!("{}\n", id_number())).collect();
        let s = DocumentScan::of(&scanner, Some(&many), None);
        assert_eq!(s.total, 150);
        assert_eq!(s.findings.len(), SCAN_FINDINGS_KEPT);
        // A sheet named after a person's number is masked in the place too.
        let sheet = format!("工作表「{}」\n电话13800138000", id_number());
        let s = DocumentScan::of(&scanner, Some(&sheet), None);
        assert_eq!(s.findings.len(), 2);
        assert!(
            s.findings[1].place.starts_with("工作表「4301**********"),
            "{:?}",
            s.findings[1]
        );
        assert!(!serde_json::to_string(&s).unwrap().contains(&id_number()));
    }
}
