//! gongkai-core: the domain of a 政府信息公开 platform.
//!
//! This crate holds the types, the rules of the 条例 and the storage
//! traits (ports). It performs no IO: no SQL, no HTTP, no files, no clock
//! reads. Callers pass "now" in, which keeps every rule testable.

pub mod annual_report;
pub mod audit;
pub mod authz;
pub mod calendar;
pub mod clock;
pub mod guide;
pub mod html;
pub mod item;
pub mod notify;
pub mod org;
pub mod org_code;
pub mod org_tree;
pub mod password;
pub mod policy_doc;
pub mod request;
pub mod scan;
pub mod session;
pub mod store;
pub mod text;
pub mod user;

pub use store::{Store, StoreError, StoreResult};

/// Database identifiers. Plain integers: both backends generate them.
pub type OrgId = i64;
pub type UserId = i64;
