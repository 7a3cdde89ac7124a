//! Full-text search over the public disclosure catalog (主动公开目录).
//!
//! The index is derived data: the database is the source of truth, and the
//! index can always be rebuilt from it ([`SearchIndex::rebuild`]). This
//! crate knows nothing of the store; callers hand it [`SearchDoc`]s.
//!
//! - [`normalise`]: the folding applied to documents and queries alike
//!   (NFKC width folding, 繁→简, lowercase) and the canonical forms of
//!   发文字号 and 索引号.
//! - [`SearchIndex`]: open/create/recover the index, write, rebuild, search
//!   (see its module for the threading model).
//! - [`Query`] → [`Results`]: filters, sort, paging, facets, highlighted
//!   segments and suggestions.
//!
//! `docs/search.md` describes the schema, the matching rules and the
//! benchmark.

mod analysis;
mod doc;
mod error;
mod facets;
mod highlight;
mod index;
pub mod normalise;
mod schema;
mod search;
mod suggest;

pub use doc::SearchDoc;
pub use error::SearchError;
pub use facets::{AgencyCount, Facets, ValueCount, YearCount};
pub use highlight::{SNIPPET_CHARS, Segment};
pub use index::{Opened, Rebuild, RebuildReason, SearchIndex};
pub use schema::SCHEMA_VERSION;
pub use search::{
    DEFAULT_LIMIT, Hit, MAX_LIMIT, MAX_OFFSET, MAX_QUERY_CHARS, Query, Results, Sort,
};
pub use suggest::{Suggestion, SuggestionKind};

#[doc(hidden)]
pub mod testing {
    //! Hooks for this crate's own tests.
    use std::path::Path;

    use crate::{Opened, SearchError};

    /// Opens `dir` as if this build's schema version were `version`.
    pub fn open_with_version(dir: &Path, version: u32) -> Result<Opened, SearchError> {
        crate::index::open_versioned(dir, version)
    }
}
