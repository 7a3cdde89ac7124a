//! The bridge from the store to the full-text index (`gongkai-search`).
//!
//! The database is the source of truth; the index is derived from it and
//! may lag. Three paths keep it close:
//! - [`item_changed`]: called after a page action that changed an item on
//!   this node (publish, withdraw, correct): the item is re-read and
//!   upserted when public, deleted otherwise;
//! - [`CatchUp`]: every 30 s, items changed since the last round (on any
//!   node of a multi-node deployment) are re-synced the same way;
//! - [`rebuild`]: the whole public catalog, batch by batch (at start-up when
//!   the index is missing, outdated or damaged, and `gongkai reindex`).
//!
//! Search pages also drop hits that are no longer public before showing
//! them (see `portal::search`), so a lag never shows a withdrawn item.

use crate::AppState;
use chrono::{DateTime, Datelike, Duration, Utc};
use gongkai_core::Store;
use gongkai_core::item::ItemId;
use gongkai_core::item::query::{PublicItem, WorkQuery};
use gongkai_core::item::taxonomy::Taxonomy;
use gongkai_core::store::StoreError;
use gongkai_files::{FileKey, FileStore};
use gongkai_search::{SearchDoc, SearchError, SearchIndex};
use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::sync::Arc;

/// Attachment text beyond this many characters per item is not indexed:
/// a 500-page annex would otherwise dominate the index for little recall.
const ATTACHMENT_TEXT_MAX_CHARS: usize = 200_000;

/// Items read per store call while rebuilding (bodies included, so a batch
/// holds a few megabytes).
const REBUILD_BATCH: i64 = 500;

/// Why a sync or rebuild failed.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error("store: {0}")]
    Store(#[from] StoreError),
    #[error("search index: {0}")]
    Index(#[from] SearchError),
    #[error("index task: {0}")]
    Task(String),
}

/// The canonical public path of an item page.
pub fn item_url(id: ItemId) -> String {
    format!("/items/{id}")
}

/// One public item as the index sees it: body flattened to plain text,
/// taxonomy values as the catalog's Chinese labels, attachment text read
/// from the file store (unreadable or missing files contribute nothing).
pub async fn search_doc(
    files: &Arc<dyn FileStore>,
    item: &PublicItem,
    org_name: &str,
    column_name: &str,
) -> SearchDoc {
    let tax = Taxonomy::shipped();
    let m = &item.meta;
    SearchDoc {
        id: item.id,
        org_id: item.org_id,
        org_name: org_name.to_string(),
        column_id: Some(m.column_id),
        column_name: column_name.to_string(),
        title: m.title.clone(),
        summary: m.summary.clone(),
        body: html_to_text(m.body.as_str()),
        attachment_text: attachment_text(files, item).await,
        index_no: item.index_no.as_str().to_string(),
        doc_nos: m.doc_number.iter().cloned().collect(),
        topic: tax.topic_name(&m.topic).to_string(),
        genre: tax.genre_name(&m.genre).to_string(),
        file_type: m.doc_kind.label().to_string(),
        validity: m.validity.kind().label().to_string(),
        keywords: m.keywords.clone(),
        written: m.written_on,
        published: item.published_on,
        year: item.published_on.year(),
        url: item_url(item.id),
    }
}

async fn attachment_text(files: &Arc<dyn FileStore>, item: &PublicItem) -> String {
    let mut out = String::new();
    for a in &item.attachments {
        let Some(key) = FileKey::parse(&a.storage_key) else {
            continue;
        };
        let bytes = match files.get(&key).await {
            Ok(b) => b,
            Err(e) => {
                tracing::warn!(item = item.id, attachment = a.id, error = %e, "attachment not readable for the index");
                continue;
            }
        };
        let name = a.name.clone();
        let text = tokio::task::spawn_blocking(move || {
            gongkai_import::extract::extract_text(&name, &bytes).text
        })
        .await
        .ok()
        .flatten();
        if let Some(t) = text {
            if !out.is_empty() {
                out.push('\n');
            }
            out.push_str(&t);
            if out.chars().count() > ATTACHMENT_TEXT_MAX_CHARS {
                out = out.chars().take(ATTACHMENT_TEXT_MAX_CHARS).collect();
                break;
            }
        }
    }
    out
}

/// Names needed to describe an item: its agency and its column.
async fn names(store: &dyn Store, item: &PublicItem) -> Result<(String, String), StoreError> {
    let org = store
        .get_org(item.org_id)
        .await?
        .map(|o| o.name)
        .unwrap_or_default();
    let column = store
        .list_item_columns(item.org_id)
        .await?
        .into_iter()
        .find(|c| c.id == item.meta.column_id)
        .map(|c| c.name)
        .unwrap_or_default();
    Ok((org, column))
}

/// Brings one item's index entry in line with the store: upsert when the
/// item is public, delete otherwise, then commit. Never fails the caller:
/// the page action that changed the item already succeeded, and the
/// catch-up task or the next rebuild repairs a failed sync.
pub async fn item_changed(state: &AppState, id: ItemId) {
    if let Err(e) = sync_item(state.store.as_ref(), &state.files, &state.search, id).await {
        tracing::error!(item = id, error = %e, "search index not updated");
    }
}

async fn sync_item(
    store: &dyn Store,
    files: &Arc<dyn FileStore>,
    index: &Arc<SearchIndex>,
    id: ItemId,
) -> Result<(), SyncError> {
    sync_items(store, files, index, &[id]).await
}

/// Brings the entries of `ids` in line with the store, with one commit
/// (a commit syncs files, so a catch-up round pays for it once).
async fn sync_items(
    store: &dyn Store,
    files: &Arc<dyn FileStore>,
    index: &Arc<SearchIndex>,
    ids: &[ItemId],
) -> Result<(), SyncError> {
    let mut changes = Vec::with_capacity(ids.len());
    for &id in ids {
        let doc = match store.get_public_item(id).await? {
            Some(item) => {
                let (org, column) = names(store, &item).await?;
                Some(search_doc(files, &item, &org, &column).await)
            }
            None => None,
        };
        changes.push((id, doc));
    }
    let index = index.clone();
    tokio::task::spawn_blocking(move || {
        for (id, doc) in changes {
            match doc {
                Some(d) => index.upsert(&d)?,
                None => index.delete(id)?,
            }
        }
        index.commit()
    })
    .await
    .map_err(|e| SyncError::Task(e.to_string()))??;
    Ok(())
}

/// Replaces the index contents with the whole public catalog, read page
/// by page; returns the number of items indexed. Searches keep seeing the
/// old contents until the end, and changes synced meanwhile are kept.
pub async fn rebuild(
    store: &dyn Store,
    files: &Arc<dyn FileStore>,
    index: &Arc<SearchIndex>,
) -> Result<u64, SyncError> {
    // The rebuild handle borrows the index and blocks on writes, so it
    // lives on a blocking thread fed through a channel. It is finished only
    // on `None` (the whole catalog was read): if reading fails, the handle
    // is dropped and the index keeps its old contents rather than a part.
    let (tx, mut rx) = tokio::sync::mpsc::channel::<Option<SearchDoc>>(64);
    let writer_index = index.clone();
    let writer = tokio::task::spawn_blocking(move || -> Result<Option<u64>, SearchError> {
        let mut r = writer_index.begin_rebuild()?;
        while let Some(msg) = rx.blocking_recv() {
            match msg {
                Some(doc) => r.add(&doc)?,
                None => return r.finish().map(Some),
            }
        }
        Ok(None)
    });

    let fed = feed_catalog(store, files, &tx).await;
    if fed.is_ok() {
        // The writer may have stopped on an error already; then this send
        // fails and its error is reported below.
        let _ = tx.send(None).await;
    }
    drop(tx);
    let written = writer.await.map_err(|e| SyncError::Task(e.to_string()))?;
    fed?;
    match written? {
        Some(n) => Ok(n),
        None => Err(SyncError::Task(
            "rebuild stopped before the end of the catalog".into(),
        )),
    }
}

/// Sends every public item to the rebuild writer, in id order, a batch at
/// a time (keyset: each batch costs the same however far the walk is).
async fn feed_catalog(
    store: &dyn Store,
    files: &Arc<dyn FileStore>,
    tx: &tokio::sync::mpsc::Sender<Option<SearchDoc>>,
) -> Result<(), SyncError> {
    let orgs: HashMap<_, _> = store
        .list_orgs()
        .await?
        .into_iter()
        .map(|o| (o.id, o.name))
        .collect();
    let mut columns: HashMap<i64, HashMap<i64, String>> = HashMap::new();
    let mut after = 0;
    loop {
        let batch = store.list_public_items(after, REBUILD_BATCH).await?;
        let Some(last) = batch.last() else {
            return Ok(());
        };
        after = last.id;
        for item in batch {
            if let Entry::Vacant(slot) = columns.entry(item.org_id) {
                let cols = store.list_item_columns(item.org_id).await?;
                slot.insert(cols.into_iter().map(|c| (c.id, c.name)).collect());
            }
            let org = orgs.get(&item.org_id).cloned().unwrap_or_default();
            let column = columns
                .get(&item.org_id)
                .and_then(|c| c.get(&item.meta.column_id))
                .cloned()
                .unwrap_or_default();
            let doc = search_doc(files, &item, &org, &column).await;
            if tx.send(Some(doc)).await.is_err() {
                // The writer stopped on an error; the caller reports it.
                return Ok(());
            }
        }
    }
}

/// Publishes every item whose scheduled time has come, as the system,
/// and syncs each one to the index. Returns how many were published.
///
/// With several nodes the same item may be due on all of them: the
/// transition is re-checked inside the store's transaction, so only one
/// wins and the others get a refusal, which is normal.
pub async fn publish_due(state: &AppState, now: DateTime<Utc>) -> usize {
    let due = match state.store.list_scheduled_items(now).await {
        Ok(ids) => ids,
        Err(e) => {
            tracing::error!(error = %e, "scheduled items not listed");
            return 0;
        }
    };
    let actor = gongkai_core::audit::Actor::system("定时发布");
    let mut published = 0;
    for id in due {
        match state
            .store
            .transition_item(
                &actor,
                id,
                &gongkai_core::item::workflow::ItemCommand::PublishScheduled,
                now,
            )
            .await
        {
            Ok(_) => {
                published += 1;
                tracing::info!(item = id, "scheduled item published");
                item_changed(state, id).await;
            }
            Err(
                e @ (StoreError::Invalid(_) | StoreError::Conflict { .. } | StoreError::NotFound),
            ) => {
                tracing::debug!(item = id, error = %e, "scheduled item not published here (another node was first?)");
            }
            Err(e) => tracing::error!(item = id, error = %e, "scheduled publication failed"),
        }
    }
    published
}

/// How far back each catch-up round looks beyond its watermark: the
/// store's clock on another node (or a transaction that committed late)
/// may stamp a change slightly earlier than one already seen.
const CATCH_UP_MARGIN: Duration = Duration::minutes(2);

/// Items listed per page while catching up.
const CATCH_UP_PAGE: i64 = 100;

/// The periodic re-sync of items changed since the last round.
pub struct CatchUp {
    watermark: DateTime<Utc>,
    /// Changes already synced within the margin, so the overlap costs no
    /// second sync: item id → the `updated_at` that was synced.
    seen: HashMap<ItemId, DateTime<Utc>>,
}

impl CatchUp {
    /// Starts catching up from `since` (the moment the index was known to
    /// be current, e.g. when the server started its rebuild).
    pub fn new(since: DateTime<Utc>) -> Self {
        Self {
            watermark: since,
            seen: HashMap::new(),
        }
    }

    /// One round: re-syncs every item whose last change is newer than the
    /// watermark (minus the margin); returns how many were synced.
    pub async fn round(&mut self, state: &AppState) -> Result<usize, SyncError> {
        let org_ids: Vec<_> = state
            .store
            .list_orgs()
            .await?
            .into_iter()
            .map(|o| o.id)
            .collect();
        if org_ids.is_empty() {
            return Ok(0);
        }
        let stop = self.watermark - CATCH_UP_MARGIN;
        let mut newest = self.watermark;
        let mut changed = Vec::new();
        let mut offset = 0;
        'pages: loop {
            let page = state
                .store
                .list_work_items(&WorkQuery {
                    org_ids: org_ids.clone(),
                    states: Vec::new(),
                    limit: CATCH_UP_PAGE,
                    offset,
                })
                .await?;
            if page.entries.is_empty() {
                break;
            }
            offset += page.entries.len() as i64;
            for w in page.entries {
                if w.updated_at < stop {
                    break 'pages;
                }
                newest = newest.max(w.updated_at);
                if self.seen.get(&w.id) != Some(&w.updated_at) {
                    changed.push((w.id, w.updated_at));
                }
            }
        }
        // In chunks, so a long absence (a bulk import while this node was
        // down) neither holds every document in memory nor loses all
        // progress on one error.
        for chunk in changed.chunks(CATCH_UP_PAGE as usize) {
            let ids: Vec<ItemId> = chunk.iter().map(|(id, _)| *id).collect();
            sync_items(state.store.as_ref(), &state.files, &state.search, &ids).await?;
            self.seen.extend(chunk.iter().copied());
        }
        self.watermark = newest;
        let keep_from = self.watermark - CATCH_UP_MARGIN;
        self.seen.retain(|_, at| *at >= keep_from);
        Ok(changed.len())
    }

    /// Runs a round every `every` until the process ends; failures are
    /// logged and retried next round (the watermark only moves on success).
    pub async fn run(mut self, state: AppState, every: std::time::Duration) {
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        tick.tick().await;
        loop {
            tick.tick().await;
            match self.round(&state).await {
                Ok(0) => {}
                Ok(n) => tracing::debug!(items = n, "search index caught up"),
                Err(e) => tracing::warn!(error = %e, "search catch-up failed; retrying next round"),
            }
        }
    }
}

/// Plain text of stored (sanitised) HTML: tags dropped, block ends and
/// `<br>` as line breaks, the entities the sanitiser emits decoded.
pub fn html_to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        out.push_str(&decode_entities(&rest[..lt]));
        let Some(gt) = rest[lt..].find('>') else {
            rest = "";
            break;
        };
        let tag = rest[lt + 1..lt + gt].trim().to_ascii_lowercase();
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        let breaks = matches!(
            name.as_str(),
            "br" | "p"
                | "div"
                | "li"
                | "tr"
                | "h1"
                | "h2"
                | "h3"
                | "h4"
                | "h5"
                | "h6"
                | "table"
                | "ul"
                | "ol"
                | "blockquote"
                | "pre"
        );
        if breaks && (tag.starts_with('/') || name == "br") && !out.ends_with('\n') {
            out.push('\n');
        } else if matches!(name.as_str(), "td" | "th") && tag.starts_with('/') {
            out.push(' ');
        }
        rest = &rest[lt + gt + 1..];
    }
    out.push_str(&decode_entities(rest));
    out.trim().to_string()
}

fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let tail = &rest[amp..];
        let decoded = tail.find(';').filter(|&semi| semi <= 10).and_then(|semi| {
            let ent = &tail[1..semi];
            let c = match ent {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some(' '),
                _ => ent
                    .strip_prefix("#x")
                    .or_else(|| ent.strip_prefix("#X"))
                    .and_then(|h| u32::from_str_radix(h, 16).ok())
                    .or_else(|| ent.strip_prefix('#').and_then(|d| d.parse().ok()))
                    .and_then(char::from_u32),
            };
            c.map(|c| (c, semi + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &tail[len..];
            }
            None => {
                out.push('&');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_becomes_plain_text_with_line_breaks() {
        let t = html_to_text("<p>第一段&amp;说明</p><p>第二段<br>换行 &lt;b&gt; &#20013;</p>");
        assert_eq!(t, "第一段&说明\n第二段\n换行 <b> 中");
    }

    #[test]
    fn stray_ampersands_survive() {
        assert_eq!(html_to_text("A & B &unknown; C"), "A & B &unknown; C");
    }
}
