//! gongkai-web: the public portal (`/`), the staff console (`/console`)
//! and their shared plumbing. This crate knows HTTP and HTML; it never
//! writes SQL — everything goes through `gongkai_core::Store`.

pub mod api;
mod assets;
pub(crate) mod beijing;
pub mod console;
mod error;
mod layout;
pub mod portal;
pub mod search_sync;
mod security;

pub use beijing::Today;
pub use error::AppError;
pub use layout::Layout;

use axum::Router;
use gongkai_core::Store;
use std::sync::Arc;

/// Settings the web layer needs; filled from the configuration file by the binary.
#[derive(Debug, Clone, Default)]
pub struct WebConfig {
    /// The jurisdiction's name shown in the header (e.g. 青岚市人民政府).
    /// `None`: derived from the root organisation.
    pub site_name: Option<String>,
    /// Mark cookies `Secure` (set when the public URL is https).
    pub secure_cookies: bool,
    /// Show the "demo data" banner.
    pub demo: bool,
    /// Origins allowed to POST besides same-origin requests (reverse-proxy setups).
    pub trusted_origins: Vec<String>,
    /// The site's public address (e.g. `https://gk.example.gov.cn`), for the
    /// absolute URLs of Atom feeds and the sitemap. `None`: taken from the
    /// request's Host header (see `portal::feeds::base_url`).
    pub public_url: Option<String>,
}

/// Shared state of every handler.
#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn Store>,
    pub config: Arc<WebConfig>,
    pub login_limiter: Arc<console::auth::IpLimiter>,
    /// Rate limits of the public application and status forms.
    pub public_limits: Arc<portal::public_form::PublicLimits>,
    /// Where uploaded files (released documents, attachments) are kept.
    pub files: Arc<dyn gongkai_files::FileStore>,
    /// What an upload may be (`[storage] max_upload_mb`, accepted types).
    pub upload_limits: Arc<gongkai_files::UploadLimits>,
    /// The agency's current date (Beijing); tests may fix it.
    pub clock: Today,
    /// The full-text index of the public catalog (derived data; rebuilt
    /// from the store when missing). In memory unless `serve` opens the
    /// configured directory.
    pub search: Arc<gongkai_search::SearchIndex>,
}

impl AppState {
    pub fn new(store: Arc<dyn Store>, config: WebConfig) -> Self {
        Self {
            store,
            config: Arc::new(config),
            login_limiter: Arc::new(console::auth::IpLimiter::default()),
            public_limits: Arc::new(portal::public_form::PublicLimits::default()),
            // In memory until the binary sets the configured store: tests
            // and tools that build a state need no directory.
            files: Arc::new(gongkai_files::ObjectFileStore::in_memory()),
            upload_limits: Arc::new(gongkai_files::UploadLimits::default()),
            clock: Today::default(),
            search: Arc::new(
                gongkai_search::SearchIndex::in_memory()
                    .expect("an in-memory index with the built-in schema always opens"),
            ),
        }
    }

    /// The agency's current date: every "today" of the web layer (the
    /// date stamped on an online application, the latest date a case step
    /// may carry, what is overdue) comes from here.
    pub fn today(&self) -> chrono::NaiveDate {
        self.clock.get()
    }

    /// The same state with the configured file store and upload limits.
    pub fn with_search(mut self, index: Arc<gongkai_search::SearchIndex>) -> Self {
        self.search = index;
        self
    }

    pub fn with_files(
        mut self,
        files: Arc<dyn gongkai_files::FileStore>,
        limits: gongkai_files::UploadLimits,
    ) -> Self {
        self.files = files;
        self.upload_limits = Arc::new(limits);
        self
    }
}

/// The whole application: portal, console, static files, error pages and
/// the security layers around them.
pub fn app(state: AppState) -> Router {
    let routes = Router::new()
        .merge(portal::routes())
        .nest("/console", console::routes())
        .nest("/api", api::routes())
        .merge(assets::routes())
        .fallback(error::not_found);
    security::wrap(routes.with_state(state.clone()), &state.config)
}
