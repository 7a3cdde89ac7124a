//! gongkai-report: renders documents built by `gongkai-core`.
//!
//! Today that is the notices of a disclosure request
//! ([`gongkai_core::request::Notice`]): [`render_html`] gives an escaped,
//! printable HTML fragment (styled by [`LETTER_CSS`]) and [`render_docx`] a
//! Word file in 公文 style. The wording is never decided here — the core
//! builds it — so both formats always say the same thing.
//!
//! Pure: no IO; callers store or send the bytes.

pub mod docx;
pub mod html;

pub use docx::{RenderError, render_docx};
pub use html::{LETTER_CSS, render_html};
