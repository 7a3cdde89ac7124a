//! The queries, written once. This module is not part of the crate root:
//! `sqlite/mod.rs` and `postgres/mod.rs` each include it with
//! `#[path = "../shared/mod.rs"] mod shared;`, so everything below is
//! compiled twice, against each backend's concrete types (see the crate docs).
//!
//! The files here reach the backend only through the names imported below,
//! which the including backend module defines.

use super::{BACKEND, Conn, Db, DbRow, MIGRATOR, StoreImpl, lock_audit_head, ts};

mod annual_reports;
mod appeals;
mod audit;

/// Pushes `f(v1), f(v2), …` as bound parameters, for an `IN (…)` list
/// whose parentheses the caller writes (an empty list must be handled by
/// the caller: `IN ()` is not SQL).
fn push_list<I, T>(b: &mut sqlx::QueryBuilder<Db>, items: I, f: impl Fn(I::Item) -> T)
where
    I: IntoIterator,
    T: for<'t> sqlx::Encode<'t, Db> + sqlx::Type<Db>,
{
    let mut sep = b.separated(", ");
    for item in items {
        sep.push_bind(f(item));
    }
}
mod calendar;
mod docs;
mod items;
mod orgs;
mod outbox;
mod request_documents;
mod request_notices;
mod requests;
mod rows;
mod sessions;
mod store;
mod users;
