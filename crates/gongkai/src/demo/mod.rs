//! The demo jurisdiction 青岚市: a fictional prefecture-level city with
//! three districts/counties, used for trying the platform out.
//!
//! The data lives in `crates/gongkai/demo/*.toml` (embedded at compile
//! time); `plan` turns it into validated drafts, `seed` writes them through
//! the store traits so that every row is audited like any other change.

mod catalog;
mod catalog_workflow;
mod data;
mod notice_settings;
pub mod requests;
mod seed;

pub use seed::{credentials_table, seed, working_accounts};
