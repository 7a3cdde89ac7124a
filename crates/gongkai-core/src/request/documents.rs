//! Released documents (提供的政府信息): the files an agency provides to the
//! applicant with its reply (第三十六条第（二）项, 第三十七条 部分公开).
//!
//! The bytes live in the file store (`gongkai-files`, content addressed);
//! a [`CaseDocument`] is the record of one file on one case. The set is
//! edited while the case is open and frozen when it closes: after closing
//! it is the record of what was released, and the applicant can download
//! it from the status page if the outcome provides information
//! ([`releases_documents`]).

use crate::UserId;
use crate::audit::Actor;
use crate::item::NewAttachment;
use crate::request::case::CaseId;
use crate::request::outcome::{Outcome, OutcomeFamily};
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
}

impl CaseDocument {
    /// PDF, DOCX … for a link label.
    pub fn type_label(&self) -> &str {
        crate::item::attachment::media_type_label(&self.media_type).unwrap_or(&self.media_type)
    }
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
    /// message; an unknown case is `NotFound`.
    async fn add_case_document(
        &self,
        actor: &Actor,
        case_id: CaseId,
        doc: &NewAttachment,
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
}
