//! The index on disk (or in memory), its life cycle and its writes.
//!
//! # Threading model
//!
//! A [`SearchIndex`] is `Send + Sync`; share one per process behind an
//! `Arc`. Searches run concurrently on the current reader and never wait
//! for writes. All writes go through one tantivy `IndexWriter` kept behind
//! a mutex: [`SearchIndex::upsert`] and [`SearchIndex::delete`] queue
//! changes, [`SearchIndex::commit`] makes them durable and reloads the
//! reader, so the next search sees them. Calls block (commit syncs files);
//! async callers run them on a blocking thread.
//!
//! A rebuild ([`SearchIndex::begin_rebuild`]) takes the writer out of the
//! mutex for its duration: searches keep seeing the old contents until the
//! rebuild commits, and upserts/deletes that arrive meanwhile are queued
//! and applied on top of the rebuilt contents when it finishes (or when it
//! is abandoned), so no change is lost or overtaken by older data.
//!
//! # Files
//!
//! Next to tantivy's files the directory holds `gongkai-index.txt`: the
//! [`SCHEMA_VERSION`] the files were written with and whether a complete
//! rebuild has ever finished. Opening an index of another version, an
//! unreadable one or one whose rebuild never finished recreates it empty (or
//! keeps it, for an unfinished rebuild) and says a rebuild is needed; the
//! caller starts anyway and rebuilds from the database.

use std::borrow::Borrow;
use std::fs;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use tantivy::collector::Count;
use tantivy::query::AllQuery;
use tantivy::schema::Schema;
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, TantivyError, Term};

use crate::doc::SearchDoc;
use crate::error::SearchError;
use crate::schema::{self, Fields, SCHEMA_VERSION};
use crate::suggest::PopularCache;

const MARKER: &str = "gongkai-index.txt";
/// tantivy refuses less than 15 MB per indexing thread.
const BUDGET_PER_THREAD: usize = 64 * 1024 * 1024;

/// Why an index was recreated empty and must be rebuilt from the database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RebuildReason {
    /// There was no index in the directory.
    Missing,
    /// The index was written by another schema version.
    SchemaChanged { found: Option<u32>, expected: u32 },
    /// The index files could not be read; the message says why.
    Corrupt(String),
    /// The index opened fine but no rebuild ever finished into it (the
    /// process stopped during or before the first rebuild).
    Incomplete,
}

impl std::fmt::Display for RebuildReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RebuildReason::Missing => write!(f, "搜索索引不存在，已新建空索引"),
            RebuildReason::SchemaChanged { found, expected } => match found {
                Some(v) => write!(f, "搜索索引版本为 {v}，当前版本为 {expected}，已新建空索引"),
                None => write!(f, "搜索索引版本未知，当前版本为 {expected}，已新建空索引"),
            },
            RebuildReason::Corrupt(why) => write!(f, "搜索索引已损坏（{why}），已新建空索引"),
            RebuildReason::Incomplete => write!(f, "搜索索引上次重建未完成"),
        }
    }
}

/// Result of [`SearchIndex::open_or_rebuild`].
pub struct Opened {
    pub index: SearchIndex,
    /// `Some` when the caller must fill the index with
    /// [`SearchIndex::rebuild`] (the index is usable, possibly empty).
    pub rebuild: Option<RebuildReason>,
}

enum Op {
    Upsert(Box<SearchDoc>),
    Delete(i64),
}

struct WriterSlot {
    /// `None` while a rebuild holds the writer.
    writer: Option<IndexWriter>,
    /// `Some` while a rebuild runs: changes to apply after it.
    queued: Option<Vec<Op>>,
}

/// The full-text index of the public catalog. See the module docs for the
/// threading model.
pub struct SearchIndex {
    pub(crate) fields: Fields,
    pub(crate) reader: IndexReader,
    slot: Mutex<WriterSlot>,
    dir: Option<PathBuf>,
    popular: Mutex<PopularCache>,
}

enum OpenFailure {
    Locked(String),
    Corrupt(String),
    SchemaMismatch,
}

impl SearchIndex {
    /// Opens the index in `dir`, creating the directory if needed. A
    /// missing, outdated or unreadable index is recreated empty and the
    /// result says a rebuild is needed. Only files tantivy or this crate
    /// wrote are ever deleted. Fails only when the directory itself cannot
    /// be used or another process holds the index.
    pub fn open_or_rebuild(dir: &Path) -> Result<Opened, SearchError> {
        open_versioned(dir, SCHEMA_VERSION)
    }

    /// A fresh index in memory (tests, and a fallback when the configured
    /// directory is unusable).
    pub fn in_memory() -> Result<SearchIndex, SearchError> {
        let (schema, fields) = schema::build();
        let index = Index::create_in_ram(schema);
        assemble(index, fields, None)
    }

    /// Adds the item, replacing any earlier version with the same id.
    /// Visible to searches after the next [`commit`](Self::commit).
    pub fn upsert(&self, doc: &SearchDoc) -> Result<(), SearchError> {
        let mut slot = self.lock();
        if let Some(q) = slot.queued.as_mut() {
            q.push(Op::Upsert(Box::new(doc.clone())));
            return Ok(());
        }
        match slot.writer.as_mut() {
            Some(w) => apply(w, &self.fields, &Op::Upsert(Box::new(doc.clone()))),
            None => Err(SearchError::RebuildRunning),
        }
    }

    /// Removes the item (withdrawn, or no longer public). Removing an id
    /// that is not indexed is not an error.
    pub fn delete(&self, id: i64) -> Result<(), SearchError> {
        let mut slot = self.lock();
        if let Some(q) = slot.queued.as_mut() {
            q.push(Op::Delete(id));
            return Ok(());
        }
        match slot.writer.as_mut() {
            Some(w) => apply(w, &self.fields, &Op::Delete(id)),
            None => Err(SearchError::RebuildRunning),
        }
    }

    /// Makes every change so far durable and visible to the next search.
    /// During a rebuild the changes stay queued and become visible when the
    /// rebuild finishes.
    pub fn commit(&self) -> Result<(), SearchError> {
        let mut slot = self.lock();
        if slot.queued.is_some() {
            return Ok(());
        }
        if let Some(w) = slot.writer.as_mut() {
            w.commit()?;
        }
        self.reader.reload()?;
        Ok(())
    }

    /// Replaces the whole contents with `docs` in one commit.
    pub fn rebuild<D: Borrow<SearchDoc>>(
        &self,
        docs: impl IntoIterator<Item = D>,
    ) -> Result<u64, SearchError> {
        let mut r = self.begin_rebuild()?;
        for d in docs {
            r.add(d.borrow())?;
        }
        r.finish()
    }

    /// Starts a rebuild fed piece by piece (e.g. page by page from the
    /// database). Dropping the returned value without
    /// [`Rebuild::finish`] abandons it and keeps the old contents.
    pub fn begin_rebuild(&self) -> Result<Rebuild<'_>, SearchError> {
        let mut slot = self.lock();
        if slot.queued.is_some() {
            return Err(SearchError::RebuildRunning);
        }
        let Some(writer) = slot.writer.take() else {
            return Err(SearchError::RebuildRunning);
        };
        if let Err(e) = writer.delete_all_documents() {
            slot.writer = Some(writer);
            return Err(e.into());
        }
        slot.queued = Some(Vec::new());
        Ok(Rebuild {
            index: self,
            writer: Some(writer),
            added: 0,
        })
    }

    /// Number of items currently searchable.
    pub fn num_docs(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    pub(crate) fn popular_cache(&self) -> MutexGuard<'_, PopularCache> {
        self.popular.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn lock(&self) -> MutexGuard<'_, WriterSlot> {
        // A panic while holding the lock leaves the writer in a state
        // tantivy can still commit or roll back; keep serving.
        self.slot.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn mark_ready(&self) -> Result<(), SearchError> {
        match &self.dir {
            Some(d) => write_marker(d, SCHEMA_VERSION, true),
            None => Ok(()),
        }
    }
}

/// A rebuild in progress; see [`SearchIndex::begin_rebuild`].
pub struct Rebuild<'a> {
    index: &'a SearchIndex,
    writer: Option<IndexWriter>,
    added: u64,
}

impl Rebuild<'_> {
    pub fn add(&mut self, doc: &SearchDoc) -> Result<(), SearchError> {
        let Some(w) = self.writer.as_mut() else {
            return Err(SearchError::RebuildRunning);
        };
        w.add_document(doc.to_tantivy(&self.index.fields))?;
        self.added += 1;
        Ok(())
    }

    /// Commits the new contents (plus the changes queued meanwhile) and
    /// returns the number of items added.
    pub fn finish(mut self) -> Result<u64, SearchError> {
        let Some(mut writer) = self.writer.take() else {
            return Err(SearchError::RebuildRunning);
        };
        let mut slot = self.index.lock();
        let queued = slot.queued.take().unwrap_or_default();
        let result = (|| {
            for op in &queued {
                apply(&mut writer, &self.index.fields, op)?;
            }
            writer.commit()?;
            self.index.reader.reload()?;
            self.index.mark_ready()
        })();
        if result.is_err() {
            // Keep the old contents; the queued changes are re-applied on
            // top of them so they are not lost.
            let _ = writer.rollback();
            for op in &queued {
                let _ = apply(&mut writer, &self.index.fields, op);
            }
            let _ = writer.commit();
            let _ = self.index.reader.reload();
        }
        slot.writer = Some(writer);
        result.map(|()| self.added)
    }
}

impl Drop for Rebuild<'_> {
    fn drop(&mut self) {
        let Some(mut writer) = self.writer.take() else {
            return;
        };
        let mut slot = self.index.lock();
        let queued = slot.queued.take().unwrap_or_default();
        let outcome = (|| -> Result<(), SearchError> {
            writer.rollback()?;
            for op in &queued {
                apply(&mut writer, &self.index.fields, op)?;
            }
            if !queued.is_empty() {
                writer.commit()?;
                self.index.reader.reload()?;
            }
            Ok(())
        })();
        if let Err(e) = outcome {
            tracing::error!(error = %e, "abandoning the search index rebuild failed");
        }
        slot.writer = Some(writer);
    }
}

fn apply(w: &mut IndexWriter, f: &Fields, op: &Op) -> Result<(), SearchError> {
    match op {
        Op::Upsert(doc) => {
            w.delete_term(Term::from_field_i64(f.id, doc.id));
            w.add_document(doc.to_tantivy(f))?;
        }
        Op::Delete(id) => {
            w.delete_term(Term::from_field_i64(f.id, *id));
        }
    }
    Ok(())
}

fn threads() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .clamp(1, 4)
}

fn writer_for(index: &Index) -> Result<IndexWriter, TantivyError> {
    let threads = threads();
    index.writer_with_num_threads(threads, threads * BUDGET_PER_THREAD)
}

fn assemble(
    mut index: Index,
    fields: Fields,
    dir: Option<PathBuf>,
) -> Result<SearchIndex, SearchError> {
    schema::register_tokenizers(&index);
    // One query searches the segments on all cores: at a million items a
    // common word matches tens of thousands of them, and counting them
    // for the total and the facets is most of the work.
    if threads() > 1 {
        index.set_multithread_executor(threads())?;
    }
    let writer = writer_for(&index).map_err(locked_or)?;
    let reader = index
        .reader_builder()
        .reload_policy(ReloadPolicy::Manual)
        .try_into()?;
    Ok(SearchIndex {
        fields,
        reader,
        slot: Mutex::new(WriterSlot {
            writer: Some(writer),
            queued: None,
        }),
        dir,
        popular: Mutex::new(PopularCache::new()),
    })
}

fn locked_or(e: TantivyError) -> SearchError {
    match e {
        TantivyError::LockFailure(lock, msg) => {
            SearchError::Locked(msg.unwrap_or_else(|| format!("{lock:?}")))
        }
        other => SearchError::Index(other),
    }
}

pub(crate) fn open_versioned(dir: &Path, version: u32) -> Result<Opened, SearchError> {
    fs::create_dir_all(dir).map_err(|e| SearchError::io(dir, e))?;
    let marker = read_marker(dir);
    let has_meta = dir.join("meta.json").exists();
    let (schema, fields) = schema::build();

    if !has_meta {
        // Segment files without their meta.json are unusable leftovers.
        wipe(dir)?;
        let index = create(dir, schema, fields, version)?;
        return Ok(Opened {
            index,
            rebuild: Some(RebuildReason::Missing),
        });
    }
    let found = marker.as_ref().and_then(|m| m.version);
    if found != Some(version) {
        wipe(dir)?;
        let index = create(dir, schema, fields, version)?;
        return Ok(Opened {
            index,
            rebuild: Some(RebuildReason::SchemaChanged {
                found,
                expected: version,
            }),
        });
    }
    match open_existing(dir, &schema, fields) {
        Ok(index) => {
            let ready = marker.is_some_and(|m| m.ready);
            Ok(Opened {
                index,
                rebuild: (!ready).then_some(RebuildReason::Incomplete),
            })
        }
        Err(OpenFailure::Locked(m)) => Err(SearchError::Locked(m)),
        Err(OpenFailure::SchemaMismatch) => {
            wipe(dir)?;
            let index = create(dir, schema, fields, version)?;
            Ok(Opened {
                index,
                rebuild: Some(RebuildReason::SchemaChanged {
                    found,
                    expected: version,
                }),
            })
        }
        Err(OpenFailure::Corrupt(why)) => {
            tracing::warn!(dir = %dir.display(), why = %why, "search index unreadable; recreating it");
            wipe(dir)?;
            let index = create(dir, schema, fields, version)?;
            Ok(Opened {
                index,
                rebuild: Some(RebuildReason::Corrupt(why)),
            })
        }
    }
}

fn create(
    dir: &Path,
    schema: Schema,
    fields: Fields,
    version: u32,
) -> Result<SearchIndex, SearchError> {
    let index = Index::create_in_dir(dir, schema)?;
    let si = assemble(index, fields, Some(dir.to_path_buf()))?;
    write_marker(dir, version, false)?;
    Ok(si)
}

/// Opens and reads a little of every segment: tantivy opens lazily, and a
/// damaged file would otherwise only fail (or panic) at the first search.
fn open_existing(dir: &Path, schema: &Schema, fields: Fields) -> Result<SearchIndex, OpenFailure> {
    let attempt = catch_unwind(AssertUnwindSafe(|| -> Result<SearchIndex, OpenFailure> {
        let corrupt = |e: TantivyError| OpenFailure::Corrupt(e.to_string());
        let index = Index::open_in_dir(dir).map_err(corrupt)?;
        if index.schema() != *schema {
            return Err(OpenFailure::SchemaMismatch);
        }
        let si = assemble(index, fields, Some(dir.to_path_buf())).map_err(|e| match e {
            SearchError::Locked(m) => OpenFailure::Locked(m),
            other => OpenFailure::Corrupt(other.to_string()),
        })?;
        probe(&si).map_err(corrupt)?;
        Ok(si)
    }));
    match attempt {
        Ok(r) => r,
        Err(panic) => {
            let msg = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_else(|| "读取索引文件时出错".to_string());
            Err(OpenFailure::Corrupt(msg))
        }
    }
}

fn probe(si: &SearchIndex) -> Result<(), TantivyError> {
    let searcher = si.reader.searcher();
    for seg in searcher.segment_readers() {
        if seg.max_doc() > 0 {
            let store = seg.get_store_reader(1)?;
            let _first: TantivyDocument = store.get(0)?;
        }
        let inverted = seg.inverted_index(si.fields.grams)?;
        let mut terms = inverted.terms().stream()?;
        terms.advance();
        let _ = seg.fast_fields().u64("date_key")?;
    }
    searcher.search(&AllQuery, &Count)?;
    Ok(())
}

struct Marker {
    version: Option<u32>,
    ready: bool,
}

fn read_marker(dir: &Path) -> Option<Marker> {
    let text = fs::read_to_string(dir.join(MARKER)).ok()?;
    let mut m = Marker {
        version: None,
        ready: false,
    };
    for line in text.lines() {
        match line.split_once(' ') {
            Some(("schema", v)) => m.version = v.trim().parse().ok(),
            Some(("state", s)) => m.ready = s.trim() == "ready",
            _ => {}
        }
    }
    Some(m)
}

fn write_marker(dir: &Path, version: u32, ready: bool) -> Result<(), SearchError> {
    let text = format!(
        "schema {version}\nstate {}\n",
        if ready { "ready" } else { "empty" }
    );
    let tmp = dir.join(format!("{MARKER}.tmp"));
    fs::write(&tmp, text).map_err(|e| SearchError::io(&tmp, e))?;
    let path = dir.join(MARKER);
    fs::rename(&tmp, &path).map_err(|e| SearchError::io(&path, e))
}

/// Deletes the files tantivy and this crate put in `dir`, nothing else: a
/// misconfigured path must not cost anyone their files.
fn wipe(dir: &Path) -> Result<(), SearchError> {
    let entries = fs::read_dir(dir).map_err(|e| SearchError::io(dir, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| SearchError::io(dir, e))?;
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        if is_index_file(name) && entry.path().is_file() {
            let p = entry.path();
            fs::remove_file(&p).map_err(|e| SearchError::io(&p, e))?;
        }
    }
    Ok(())
}

fn is_index_file(name: &str) -> bool {
    const FIXED: &[&str] = &[
        "meta.json",
        ".managed.json",
        ".tantivy-meta.lock",
        ".tantivy-writer.lock",
        MARKER,
    ];
    if FIXED.contains(&name) {
        return true;
    }
    // Segment files: 32 hex digits (the segment id), a dot, an extension.
    let (stem, _ext) = name.split_once('.').unwrap_or((name, ""));
    stem.len() == 32 && stem.bytes().all(|b| b.is_ascii_hexdigit()) && name.len() > 33
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_index_files_are_wiped() {
        assert!(is_index_file("meta.json"));
        assert!(is_index_file(".managed.json"));
        assert!(is_index_file("0123456789abcdef0123456789abcdef.store"));
        assert!(is_index_file("0123456789abcdef0123456789abcdef.12.del"));
        assert!(!is_index_file("0123456789abcdef0123456789abcdef"));
        assert!(!is_index_file("gongkai.db"));
        assert!(!is_index_file("config.toml"));
        assert!(!is_index_file("0123456789abcdefg123456789abcdef.store"));
    }
}
