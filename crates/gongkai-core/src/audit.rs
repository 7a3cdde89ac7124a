//! The append-only audit log with a SHA-256 hash chain.
//!
//! Every record carries the hash of its predecessor; altering, deleting or
//! reordering any row breaks the chain at that point, and
//! [`verify_chain`] names the first broken link. The stores write the
//! record in the same transaction as the change it describes.

use crate::{OrgId, UserId};
use chrono::{DateTime, SubsecRound, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The hash that precedes the first record.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Who is making a change, and through which door.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    pub user_id: Option<UserId>,
    /// Login name, or a label such as `cli` for command-line changes.
    pub name: String,
    /// `console`, `cli`, `demo`, `system` …
    pub via: String,
}

impl Actor {
    pub fn user(user_id: UserId, username: &str) -> Self {
        Self {
            user_id: Some(user_id),
            name: username.into(),
            via: "console".into(),
        }
    }

    pub fn cli() -> Self {
        Self {
            user_id: None,
            name: "cli".into(),
            via: "cli".into(),
        }
    }

    pub fn system(label: &str) -> Self {
        Self {
            user_id: None,
            name: label.into(),
            via: "system".into(),
        }
    }

    /// A member of the public on the portal (e.g. submitting an
    /// application). Deliberately anonymous: the log must not carry the
    /// applicant's name or contact.
    pub fn public() -> Self {
        Self {
            user_id: None,
            name: "public".into(),
            via: "portal".into(),
        }
    }
}

/// A change to be recorded, as described by the code that makes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEvent {
    /// The organisation the change belongs to, for scoping the log.
    pub org_id: Option<OrgId>,
    /// Dotted verb, e.g. `org.create`, `user.grant`, `session.login`.
    pub action: String,
    /// `organisation`, `user`, `policy_doc`, …
    pub object_type: String,
    pub object_id: String,
    /// Before/after summary as JSON text (object with `before`/`after`).
    pub summary: String,
}

impl AuditEvent {
    /// An event whose summary holds the serialised state before and after.
    pub fn change<T: Serialize>(
        org_id: Option<OrgId>,
        action: &str,
        object_type: &str,
        object_id: impl ToString,
        before: Option<&T>,
        after: Option<&T>,
    ) -> Self {
        let summary = serde_json::json!({
            "before": before.map(|b| serde_json::to_value(b).unwrap_or_default()),
            "after": after.map(|a| serde_json::to_value(a).unwrap_or_default()),
        });
        Self {
            org_id,
            action: action.into(),
            object_type: object_type.into(),
            object_id: object_id.to_string(),
            summary: summary.to_string(),
        }
    }

    /// An event with a free-form JSON summary.
    pub fn note(
        org_id: Option<OrgId>,
        action: &str,
        object_type: &str,
        object_id: impl ToString,
        summary: serde_json::Value,
    ) -> Self {
        Self {
            org_id,
            action: action.into(),
            object_type: object_type.into(),
            object_id: object_id.to_string(),
            summary: summary.to_string(),
        }
    }
}

/// A stored audit record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRecord {
    /// 1, 2, 3 … without gaps.
    pub seq: i64,
    pub at: DateTime<Utc>,
    pub actor_user_id: Option<UserId>,
    pub actor_name: String,
    pub via: String,
    pub org_id: Option<OrgId>,
    pub action: String,
    pub object_type: String,
    pub object_id: String,
    pub summary: String,
    pub prev_hash: String,
    pub hash: String,
}

impl AuditRecord {
    /// Builds the record that follows `prev` (`None` for the first one).
    /// `at` is truncated to microseconds, the precision both databases keep.
    pub fn seal(
        prev: Option<(i64, &str)>,
        at: DateTime<Utc>,
        actor: &Actor,
        event: &AuditEvent,
    ) -> Self {
        let (prev_seq, prev_hash) = prev.unwrap_or((0, GENESIS_HASH));
        let mut r = Self {
            seq: prev_seq + 1,
            at: at.trunc_subsecs(6),
            actor_user_id: actor.user_id,
            actor_name: actor.name.clone(),
            via: actor.via.clone(),
            org_id: event.org_id,
            action: event.action.clone(),
            object_type: event.object_type.clone(),
            object_id: event.object_id.clone(),
            summary: event.summary.clone(),
            prev_hash: prev_hash.to_string(),
            hash: String::new(),
        };
        r.hash = r.compute_hash();
        r
    }

    /// The hash over every field but `hash` itself.
    pub fn compute_hash(&self) -> String {
        let mut h = Sha256::new();
        let fields: [String; 11] = [
            self.seq.to_string(),
            self.at.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string(),
            self.actor_user_id
                .map(|i| i.to_string())
                .unwrap_or_default(),
            self.actor_name.clone(),
            self.via.clone(),
            self.org_id.map(|i| i.to_string()).unwrap_or_default(),
            self.action.clone(),
            self.object_type.clone(),
            self.object_id.clone(),
            self.summary.clone(),
            self.prev_hash.clone(),
        ];
        for f in fields {
            // Length-prefixing keeps field boundaries unambiguous.
            h.update((f.len() as u64).to_be_bytes());
            h.update(f.as_bytes());
        }
        hex::encode(h.finalize())
    }
}

/// Where a chain first fails verification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChainBreak {
    /// The record's content does not match its stored hash (it was edited).
    Altered { seq: i64 },
    /// The record does not follow the one before it (a row was deleted,
    /// inserted or reordered before it).
    Unlinked { seq: i64, expected_prev: String },
    /// Sequence numbers skip (rows missing).
    Gap { expected_seq: i64, found_seq: i64 },
    /// The chain ends before the recorded head (rows cut off the end).
    Truncated { last_seq: i64, head_seq: i64 },
}

impl std::fmt::Display for ChainBreak {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Altered { seq } => write!(
                f,
                "record {seq} was altered: its hash does not match its content"
            ),
            Self::Unlinked { seq, expected_prev } => write!(
                f,
                "record {seq} does not link to its predecessor (expected prev_hash {expected_prev})"
            ),
            Self::Gap {
                expected_seq,
                found_seq,
            } => write!(
                f,
                "records missing: expected seq {expected_seq}, found {found_seq}"
            ),
            Self::Truncated { last_seq, head_seq } => write!(
                f,
                "log ends at seq {last_seq} but the head says {head_seq}: records were removed from the end"
            ),
        }
    }
}

/// Incremental verifier, so that a large log can be checked page by page.
#[derive(Debug, Clone)]
pub struct ChainVerifier {
    expected_seq: i64,
    prev_hash: String,
}

impl Default for ChainVerifier {
    fn default() -> Self {
        Self {
            expected_seq: 1,
            prev_hash: GENESIS_HASH.into(),
        }
    }
}

impl ChainVerifier {
    pub fn push(&mut self, r: &AuditRecord) -> Result<(), ChainBreak> {
        if r.seq != self.expected_seq {
            return Err(ChainBreak::Gap {
                expected_seq: self.expected_seq,
                found_seq: r.seq,
            });
        }
        if r.compute_hash() != r.hash {
            return Err(ChainBreak::Altered { seq: r.seq });
        }
        if r.prev_hash != self.prev_hash {
            return Err(ChainBreak::Unlinked {
                seq: r.seq,
                expected_prev: self.prev_hash.clone(),
            });
        }
        self.expected_seq += 1;
        self.prev_hash = r.hash.clone();
        Ok(())
    }

    /// Number of records verified so far.
    pub fn verified(&self) -> i64 {
        self.expected_seq - 1
    }

    /// Compares the end of the chain with the separately stored head.
    pub fn finish(&self, head: Option<(i64, &str)>) -> Result<(), ChainBreak> {
        match head {
            Some((head_seq, head_hash)) => {
                if head_seq != self.verified() || head_hash != self.prev_hash {
                    Err(ChainBreak::Truncated {
                        last_seq: self.verified(),
                        head_seq,
                    })
                } else {
                    Ok(())
                }
            }
            None if self.verified() == 0 => Ok(()),
            None => Err(ChainBreak::Truncated {
                last_seq: self.verified(),
                head_seq: 0,
            }),
        }
    }
}

/// Verifies a whole chain held in memory.
pub fn verify_chain(records: &[AuditRecord], head: Option<(i64, &str)>) -> Result<i64, ChainBreak> {
    let mut v = ChainVerifier::default();
    for r in records {
        v.push(r)?;
    }
    v.finish(head)?;
    Ok(v.verified())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(n: usize) -> Vec<AuditRecord> {
        let actor = Actor::user(7, "admin");
        let mut out: Vec<AuditRecord> = Vec::new();
        for i in 0..n {
            let ev = AuditEvent::note(
                Some(1),
                "org.update",
                "organisation",
                i,
                serde_json::json!({"i": i}),
            );
            let prev = out.last().map(|r| (r.seq, r.hash.as_str()));
            let at =
                DateTime::<Utc>::from_timestamp(1_700_000_000 + i as i64, 123_456_789).unwrap();
            out.push(AuditRecord::seal(prev, at, &actor, &ev));
        }
        out
    }

    fn head(c: &[AuditRecord]) -> Option<(i64, &str)> {
        c.last().map(|r| (r.seq, r.hash.as_str()))
    }

    #[test]
    fn an_intact_chain_verifies() {
        let c = chain(5);
        assert_eq!(verify_chain(&c, head(&c)), Ok(5));
        assert_eq!(c[0].prev_hash, GENESIS_HASH);
        assert_eq!(c[0].at.timestamp_subsec_nanos(), 123_456_000);
    }

    #[test]
    fn an_edited_row_is_found() {
        let mut c = chain(5);
        let h = c[4].hash.clone();
        c[2].summary = r#"{"i":99}"#.into();
        assert_eq!(
            verify_chain(&c, Some((5, &h))),
            Err(ChainBreak::Altered { seq: 3 })
        );
    }

    #[test]
    fn a_rehashed_edit_still_breaks_the_next_link() {
        let mut c = chain(5);
        let h = c[4].hash.clone();
        c[2].actor_name = "someone-else".into();
        c[2].hash = c[2].compute_hash();
        assert!(matches!(
            verify_chain(&c, Some((5, &h))),
            Err(ChainBreak::Unlinked { seq: 4, .. })
        ));
    }

    #[test]
    fn a_deleted_row_is_found() {
        let mut c = chain(5);
        let h = c[4].hash.clone();
        c.remove(1);
        assert_eq!(
            verify_chain(&c, Some((5, &h))),
            Err(ChainBreak::Gap {
                expected_seq: 2,
                found_seq: 3
            })
        );
    }

    #[test]
    fn a_cut_off_tail_is_found() {
        let mut c = chain(5);
        let h = c[4].hash.clone();
        c.truncate(3);
        assert_eq!(
            verify_chain(&c, Some((5, &h))),
            Err(ChainBreak::Truncated {
                last_seq: 3,
                head_seq: 5
            })
        );
    }
}

/// Why verifying a stored log failed.
#[derive(Debug, thiserror::Error)]
pub enum VerifyError {
    #[error("{0}")]
    Broken(ChainBreak),
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
}

/// Walks the whole stored log in pages and checks every link and the head.
/// Returns the number of records verified.
pub async fn verify_store(store: &dyn crate::store::AuditStore) -> Result<i64, VerifyError> {
    const PAGE: i64 = 1000;
    let mut v = ChainVerifier::default();
    let mut after = 0;
    loop {
        let page = store.audit_after(after, PAGE).await?;
        for r in &page {
            v.push(r).map_err(VerifyError::Broken)?;
            after = r.seq;
        }
        if (page.len() as i64) < PAGE {
            break;
        }
    }
    let head = store.audit_head().await?;
    v.finish(head.as_ref().map(|(s, h)| (*s, h.as_str())))
        .map_err(VerifyError::Broken)?;
    Ok(v.verified())
}
