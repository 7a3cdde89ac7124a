//! Catalog page benchmark (not a timed test).
//!
//! ```text
//! cargo run --release -p gongkai-web --example catalog-bench -- --items 10000 --items 100000 \
//!     [--requests 200] [--warmup 20] [--batch 5000] [--keep DIR] [--no-search]
//! ```
//!
//! `--keep DIR` puts each size's data in `DIR/<size>` and keeps it; a later
//! run with the same `--keep` finds the catalog there and skips the import
//! (a million items take minutes to import), so a change to a query can be
//! measured on the same data. `--no-search` leaves out the index rebuild
//! and the search pages.
//!
//! For each size: a fresh SQLite store in a temporary directory (the same
//! `gongkai_store::open` the server uses), the organisations of the
//! synthetic 青岚市 (the city, its departments, districts, counties and
//! townships, with their default 栏目), and the synthetic catalog of the
//! search benchmark (`gongkai-search/examples/bench/corpus.rs`, so both
//! benchmarks measure the same items) imported through
//! `ItemStore::import_items` in batches. Then the whole router
//! (`gongkai_web::app`) answers requests through `tower::ServiceExt::oneshot`,
//! one at a time (one client, no network): each page is requested
//! `--warmup` times untimed and `--requests` times timed, and every answer
//! must be 200 with a complete body. The search index lives on disk as in
//! `gongkai serve` and is filled through `search_sync::rebuild`, the path a
//! server takes at start-up.
//!
//! Peak memory is the process's VmHWM, reset to the current resident size
//! through `/proc/self/clear_refs` at the start of each size, read after
//! each phase: it covers the store's connections and page cache, the
//! search index and the rendering, not a separate server process.

#[path = "../../gongkai-search/examples/bench/corpus.rs"]
mod corpus;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use chrono::Datelike;
use gongkai_core::audit::Actor;
use gongkai_core::item::column::Column;
use gongkai_core::item::query::CatalogCursor;
use gongkai_core::item::taxonomy::default_columns;
use gongkai_core::item::{IndexNo, ItemForm, LegacyItem};
use gongkai_core::org::{OrgForm, OrgKind, OrgLevel, Organisation};
use gongkai_core::{OrgId, Store};
use gongkai_search::{SearchDoc, SearchIndex};
use gongkai_web::{AppState, WebConfig, app, search_sync};
use http_body_util::BodyExt;
use tower::ServiceExt;

struct Args {
    sizes: Vec<u64>,
    requests: usize,
    warmup: usize,
    batch: u64,
    keep: Option<std::path::PathBuf>,
    search: bool,
}

fn parse_args() -> Args {
    let mut a = Args {
        sizes: Vec::new(),
        requests: 200,
        warmup: 20,
        batch: 5_000,
        keep: None,
        search: true,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut number = |what: &str| -> u64 {
            match it
                .next()
                .and_then(|v| v.replace('_', "").parse::<u64>().ok())
            {
                Some(n) if n > 0 => n,
                _ => {
                    eprintln!("错误：{arg} 需要{what}（正整数）");
                    std::process::exit(2);
                }
            }
        };
        match arg.as_str() {
            "--items" => a.sizes.push(number("条目数")),
            "--requests" => a.requests = number("请求次数") as usize,
            "--warmup" => a.warmup = number("预热次数") as usize,
            "--batch" => a.batch = number("每批导入条数"),
            "--keep" => match it.next() {
                Some(d) => a.keep = Some(d.into()),
                None => {
                    eprintln!("错误：--keep 需要目录");
                    std::process::exit(2);
                }
            },
            "--no-search" => a.search = false,
            "-h" | "--help" => {
                println!(
                    "用法：catalog-bench --items N [--items N …] [--requests 200] [--warmup 20] [--batch 5000] [--keep 目录] [--no-search]"
                );
                std::process::exit(0);
            }
            _ => {
                eprintln!("错误：未知参数 {arg}");
                std::process::exit(2);
            }
        }
    }
    if a.sizes.is_empty() {
        a.sizes = vec![10_000, 100_000];
    }
    a
}

mod proc_stats {
    pub fn reset_peak() {
        // "5" resets VmHWM to the current RSS (Linux ≥ 4.0).
        let _ = std::fs::write("/proc/self/clear_refs", "5");
    }

    fn status_mib(key: &str) -> f64 {
        let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
        status
            .lines()
            .find_map(|l| l.strip_prefix(key))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
            .map_or(f64::NAN, |kb| kb / 1024.0)
    }

    pub fn peak_mib() -> f64 {
        status_mib("VmHWM:")
    }

    pub fn rss_mib() -> f64 {
        status_mib("VmRSS:")
    }

    /// User + system CPU seconds of all threads so far.
    pub fn cpu_seconds() -> f64 {
        let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
        let rest = stat.rsplit_once(") ").map_or("", |(_, r)| r);
        let f: Vec<&str> = rest.split_whitespace().collect();
        let ticks = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
        (ticks(11) + ticks(12)) / 100.0
    }
}

/// splitmix64, for the random item ids and pages (fixed seed: every run
/// requests the same pages).
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        (z ^ (z >> 31)) % n.max(1)
    }
}

fn fail(what: &str, e: impl std::fmt::Display) -> ! {
    eprintln!("错误：{what}：{e}");
    std::process::exit(1);
}

/// The organisations of the corpus, created parents first, with the
/// default 栏目 of each.
struct Orgs {
    by_name: HashMap<String, (OrgId, Vec<Column>)>,
    agencies: Vec<OrgId>,
}

fn shape(name: &str) -> (&'static str, &'static str) {
    let county = name.contains('区') || name.contains('县');
    if name.ends_with("镇人民政府") || name.ends_with("乡人民政府") || name.ends_with("街道办事处")
    {
        ("township_street", "township")
    } else if name.ends_with("人民政府办公室") {
        ("general_office", if county { "county" } else { "city" })
    } else if name.ends_with("人民政府") {
        ("government", if county { "county" } else { "city" })
    } else {
        ("department", "city")
    }
}

async fn create_orgs(store: &dyn Store) -> Orgs {
    // Every agency of the corpus appears among its first few thousand items.
    let mut names: Vec<String> = Vec::new();
    for i in 0..5_000 {
        let d = corpus::item(i);
        if !names.contains(&d.org_name) {
            names.push(d.org_name);
        }
    }
    // The city government first, then the district and county governments,
    // then everyone else (whose parent is one of those).
    let rank = |n: &str| match shape(n) {
        ("government", "city") => 0,
        ("government", _) => 1,
        _ => 2,
    };
    names.sort_by_key(|n| rank(n));
    let cli = Actor::cli();
    let mut created: Vec<Organisation> = Vec::new();
    let mut by_name = HashMap::new();
    let mut agencies = Vec::new();
    for name in names {
        let (kind, level) = shape(&name);
        let parent = if rank(&name) == 0 {
            None
        } else {
            // The district or county whose name starts this one, else the city.
            created
                .iter()
                .filter(|o| o.kind == OrgKind::Government && o.level == OrgLevel::County)
                .find(|o| name.starts_with(o.name.trim_end_matches("人民政府")))
                .or_else(|| created.first())
        };
        let form = OrgForm {
            name: name.clone(),
            kind: kind.into(),
            level: level.into(),
            active: true,
            ..Default::default()
        };
        let draft = form
            .validate(parent.map(|p| p.level))
            .unwrap_or_else(|e| fail(&format!("机构 {name}"), format!("{e:?}")));
        let org = store
            .create_org(&cli, parent.map(|p| p.id), &draft)
            .await
            .unwrap_or_else(|e| fail(&format!("创建机构 {name}"), e));
        let columns = store
            .seed_item_columns(&cli, org.id, &default_columns(org.kind, org.level))
            .await
            .unwrap_or_else(|e| fail(&format!("栏目 {name}"), e));
        agencies.push(org.id);
        by_name.insert(name, (org.id, columns));
        created.push(org);
    }
    Orgs { by_name, agencies }
}

fn column_id(columns: &[Column], key: &str) -> i64 {
    columns
        .iter()
        .find(|c| c.key.as_deref() == Some(key))
        .or_else(|| columns.last())
        .map_or(0, |c| c.id)
}

/// The corpus item as an import from an earlier site brings it: the same
/// title, texts, 索引号, 文号, dates and classifications.
fn legacy_item(d: &SearchDoc, orgs: &Orgs) -> LegacyItem {
    let (org_id, columns) = &orgs.by_name[&d.org_name];
    let doc_number = d.doc_nos.first().cloned().unwrap_or_default();
    // 规章 and 行政规范性文件 always carry a 文号; the corpus gives some none.
    let doc_kind = if doc_number.is_empty() {
        "其他"
    } else {
        d.file_type.as_str()
    };
    let column = match d.column_name.as_str() {
        "政策文件" if doc_kind == "其他" => "policy_other",
        "政策文件" => "policy_normative",
        "规划计划" => "plans",
        "财政信息" => "finance_budget",
        "公示公告" => "key_livelihood",
        "人事信息" => "personnel",
        _ => "statutory_other",
    };
    // The taxonomy has no 公示; such items are filed as 其他.
    let genre = if d.genre == "公示" {
        "其他"
    } else {
        d.genre.as_str()
    };
    let formed = d.written.unwrap_or(d.published);
    let validity_on = match d.validity.as_str() {
        "失效" | "废止" => (d.published + chrono::Duration::days(3 * 365))
            .format("%Y-%m-%d")
            .to_string(),
        _ => String::new(),
    };
    // Paragraphs of two sentences, as a notice is laid out.
    let sentences: Vec<&str> = d.body.split_inclusive('。').collect();
    let mut body = String::with_capacity(d.body.len() + 64);
    for pair in sentences.chunks(2) {
        body.push_str("<p>");
        body.push_str(&pair.concat());
        body.push_str("</p>");
    }
    if !d.attachment_text.is_empty() {
        body.push_str("<p>");
        body.push_str(&d.attachment_text);
        body.push_str("</p>");
    }
    let summary = if d.summary.is_empty() {
        sentences.first().map_or(d.title.clone(), |s| {
            s.rsplit_once('：').map_or(*s, |(_, rest)| rest).to_string()
        })
    } else {
        d.summary.clone()
    };
    let form = ItemForm {
        title: d.title.clone(),
        summary,
        body,
        issuers: d.org_name.clone(),
        doc_number,
        written_on: d
            .written
            .map(|w| w.format("%Y-%m-%d").to_string())
            .unwrap_or_default(),
        formed_on: formed.format("%Y-%m-%d").to_string(),
        topic: d.topic.clone(),
        column_id: column_id(columns, column).to_string(),
        genre: genre.into(),
        keywords: d.keywords.join(" "),
        disclosure: "proactive".into(),
        doc_kind: doc_kind.into(),
        validity: d.validity.clone(),
        validity_on,
        repealed_by: String::new(),
    };
    let meta = form
        .validate()
        .unwrap_or_else(|e| fail(&format!("条目 {}", d.index_no), format!("{e:?}")));
    LegacyItem {
        org_id: *org_id,
        index_no: IndexNo::legacy(&d.index_no)
            .unwrap_or_else(|e| fail(&format!("索引号 {}", d.index_no), format!("{e:?}"))),
        published_on: d.published,
        meta,
        attachments: Vec::new(),
        repealed_by_index_no: None,
    }
}

fn encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// One timed GET: status and body size.
async fn get(app: &Router, path: &str) -> (StatusCode, usize) {
    let req = Request::get(path)
        .body(Body::empty())
        .unwrap_or_else(|e| fail(path, e));
    let resp = app
        .clone()
        .oneshot(req)
        .await
        .unwrap_or_else(|e| fail(path, e));
    let status = resp.status();
    let body = resp
        .into_body()
        .collect()
        .await
        .unwrap_or_else(|e| fail(path, e))
        .to_bytes();
    (status, body.len())
}

/// Fails unless `path` answers 200 with `needle` in its body.
async fn expect(app: &Router, path: &str, needle: &str) {
    let req = Request::get(path)
        .body(Body::empty())
        .unwrap_or_else(|e| fail(path, e));
    let resp = app
        .clone()
        .oneshot(req)
        .await
        .unwrap_or_else(|e| fail(path, e));
    let status = resp.status();
    let body = resp
        .into_body()
        .collect()
        .await
        .unwrap_or_else(|e| fail(path, e))
        .to_bytes();
    if status != StatusCode::OK || !String::from_utf8_lossy(&body).contains(needle) {
        fail(path, format!("{status}, “{needle}” not in the page"));
    }
}

struct Row {
    what: String,
    example: String,
    times: Vec<Duration>,
    bytes: usize,
    peak: f64,
}

/// Requests `paths` in turn, `warmup` untimed then `n` timed; every answer
/// must be 200.
async fn measure(app: &Router, what: &str, paths: &[String], warmup: usize, n: usize) -> Row {
    for i in 0..warmup {
        let p = &paths[i % paths.len()];
        let (status, _) = get(app, p).await;
        if status != StatusCode::OK {
            fail(p, status);
        }
    }
    let mut times = Vec::with_capacity(n);
    let mut bytes = 0;
    for i in 0..n {
        let p = &paths[i % paths.len()];
        let t = Instant::now();
        let (status, len) = get(app, p).await;
        times.push(t.elapsed());
        if status != StatusCode::OK {
            fail(p, status);
        }
        bytes += len;
    }
    times.sort();
    // Progress on stderr: a large catalog takes minutes per page kind.
    eprintln!("  {what}: p50 {:.2} ms", ms(pct(&times, 0.50)));
    Row {
        what: what.into(),
        example: paths[0].clone(),
        times,
        bytes: bytes / n.max(1),
        peak: proc_stats::peak_mib(),
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn pct(times: &[Duration], p: f64) -> Duration {
    let i = ((times.len() as f64 * p).ceil() as usize).clamp(1, times.len()) - 1;
    times[i]
}

/// Creates the organisations and imports `size` corpus items.
async fn import(
    store: &dyn Store,
    size: u64,
    a: &Args,
    data: &std::path::Path,
    rss_start: f64,
) -> (Orgs, Vec<i64>) {
    let orgs = create_orgs(store).await;
    let cli = Actor::cli();
    let (t0, cpu0) = (Instant::now(), proc_stats::cpu_seconds());
    let mut ids = Vec::with_capacity(size as usize);
    let mut next = 0;
    while next < size {
        let end = (next + a.batch).min(size);
        let batch: Vec<LegacyItem> = (next..end)
            .map(|i| legacy_item(&corpus::item(i), &orgs))
            .collect();
        ids.extend(
            store
                .import_items(&cli, &batch)
                .await
                .unwrap_or_else(|e| fail("导入", e)),
        );
        next = end;
    }
    let (import_s, import_cpu) = (t0.elapsed().as_secs_f64(), proc_stats::cpu_seconds() - cpu0);
    let import_peak = proc_stats::peak_mib();
    let db_mib = dir_mib(data);
    println!(
        "import: {size} items in {import_s:.1} s = {:.0} items/s ({:.0} per CPU second, generation included); \
         {} organisations; database {db_mib:.0} MiB; peak RSS {import_peak:.0} MiB (start {rss_start:.0} MiB)",
        size as f64 / import_s,
        size as f64 / import_cpu.max(0.001),
        orgs.agencies.len(),
    );
    (orgs, ids)
}

/// The organisations and item ids of a catalog an earlier `--keep` run
/// imported, or `None` when `dir` holds no complete catalog of `size` items.
async fn reuse(store: &dyn Store, size: u64) -> Option<(Orgs, Vec<i64>)> {
    let first = corpus::item(0).index_no;
    let last = corpus::item(size - 1).index_no;
    let first = store.find_item_by_index_no(&first).await.ok()??;
    let last = store.find_item_by_index_no(&last).await.ok()??;
    // One import in corpus order gives consecutive ids.
    if last - first + 1 != size as i64 {
        return None;
    }
    let mut list = store.list_orgs().await.ok()?;
    list.sort_by_key(|o| o.id);
    let mut by_name = HashMap::new();
    let mut agencies = Vec::new();
    for o in list {
        let columns = store.list_item_columns(o.id).await.ok()?;
        agencies.push(o.id);
        by_name.insert(o.name, (o.id, columns));
    }
    Some((Orgs { by_name, agencies }, (first..=last).collect()))
}

async fn run(size: u64, a: &Args) {
    let (_tmp, data) = match &a.keep {
        Some(root) => {
            let d = root.join(size.to_string());
            std::fs::create_dir_all(&d).unwrap_or_else(|e| fail(&d.display().to_string(), e));
            (None, d)
        }
        None => {
            let t = tempfile::tempdir().unwrap_or_else(|e| fail("临时目录", e));
            let d = t.path().to_path_buf();
            (Some(t), d)
        }
    };
    let url =
        gongkai_store::sqlite_url_for_data_dir(&data).unwrap_or_else(|e| fail("数据库地址", e));
    let store: Arc<dyn Store> = gongkai_store::open(&url)
        .await
        .unwrap_or_else(|e| fail("打开数据库", e));
    proc_stats::reset_peak();
    let rss_start = proc_stats::rss_mib();
    println!("\n## {size} items\n");

    let (orgs, ids) = match reuse(store.as_ref(), size).await {
        Some(kept) => {
            println!(
                "import: skipped, {size} items kept in {} ({:.0} MiB)",
                data.display(),
                dir_mib(&data)
            );
            kept
        }
        None => import(store.as_ref(), size, a, &data, rss_start).await,
    };

    let opened =
        SearchIndex::open_or_rebuild(&data.join("search")).unwrap_or_else(|e| fail("搜索索引", e));
    let config = WebConfig {
        public_url: Some("https://gk.example.gov.cn/".into()),
        ..Default::default()
    };
    let state = AppState::new(store.clone(), config).with_search(Arc::new(opened.index));
    let app = app(state.clone());
    let (n, w) = (a.requests, a.warmup);
    let mut rng = Rng(size);
    let mut rows = Vec::new();

    // The pages measured must show the catalog, not an empty state.
    let first = corpus::item(0).title;
    expect(&app, &format!("/items/{}", ids[0]), &first).await;
    expect(&app, "/catalog", "/items/").await;
    expect(
        &app,
        &format!("/agency/{}/catalog", orgs.agencies[0]),
        "/items/",
    )
    .await;
    // Page numbers reach the newest CATALOG_COUNT_CAP matches (500 pages).
    let pages = size.div_ceil(20).min(500);
    rows.push(measure(&app, "/catalog page 1", &["/catalog".into()], w, n).await);
    let deep = 200.min(pages);
    rows.push(
        measure(
            &app,
            &format!("/catalog page {deep}"),
            &[format!("/catalog?page={deep}")],
            w,
            n,
        )
        .await,
    );
    rows.push(
        measure(
            &app,
            &format!("/catalog deepest page ({pages})"),
            &[format!("/catalog?page={pages}")],
            w,
            n,
        )
        .await,
    );
    let topics = [
        "general",
        "finance",
        "science_education",
        "civil_affairs",
        "urban_environment",
        "health_sports",
        "agriculture",
        "labour_personnel",
    ];
    let filtered: Vec<String> = (0..16)
        .map(|i| {
            format!(
                "/catalog?topic={}&year={}",
                topics[i % topics.len()],
                2015 + (i * 3) % 11
            )
        })
        .collect();
    rows.push(measure(&app, "/catalog ?topic=&year=", &filtered, w, n).await);
    let kinds: Vec<String> = (0..8)
        .map(|i| {
            format!(
                "/catalog?kind=normative&validity=effective&year={}",
                2016 + i
            )
        })
        .collect();
    rows.push(measure(&app, "/catalog ?kind=&validity=&year=", &kinds, w, n).await);
    let column_keys: Vec<String> = ["policy", "plans", "finance_budget", "personnel"]
        .iter()
        .map(|k| format!("/catalog?column={k}"))
        .collect();
    rows.push(
        measure(
            &app,
            "/catalog ?column= (key, every agency)",
            &column_keys,
            w,
            n,
        )
        .await,
    );
    let agency_pages: Vec<String> = orgs
        .agencies
        .iter()
        .map(|id| format!("/agency/{id}/catalog"))
        .collect();
    rows.push(measure(&app, "/agency/{id}/catalog", &agency_pages, w, n).await);
    let agency_deep: Vec<String> = orgs
        .agencies
        .iter()
        .map(|id| format!("/agency/{id}/catalog?page=10"))
        .collect();
    rows.push(measure(&app, "/agency/{id}/catalog page 10", &agency_deep, w, n).await);
    let items: Vec<String> = (0..n + w)
        .map(|_| format!("/items/{}", ids[rng.below(size) as usize]))
        .collect();
    rows.push(measure(&app, "/items/{id} (random)", &items, w, n).await);
    let feeds: Vec<String> = orgs
        .agencies
        .iter()
        .map(|id| format!("/agency/{id}/feed.atom"))
        .collect();
    rows.push(measure(&app, "/agency/{id}/feed.atom", &feeds, w, n).await);
    rows.push(
        measure(
            &app,
            "/catalog/feed.atom",
            &["/catalog/feed.atom".into()],
            w,
            n,
        )
        .await,
    );
    let api_pages: Vec<String> = (0..n + w)
        .map(|_| format!("/api/v1/items?page={}", 1 + rng.below(pages.min(500))))
        .collect();
    rows.push(measure(&app, "/api/v1/items?page= (1–500)", &api_pages, w, n).await);
    // Keyset pages anywhere in the catalog, however deep.
    let api_after: Vec<String> = (0..n + w)
        .map(|_| {
            let k = rng.below(size);
            let cursor = CatalogCursor {
                published_on: corpus::item(k).published,
                id: ids[k as usize],
            };
            format!("/api/v1/items?after={}", cursor.encode())
        })
        .collect();
    rows.push(measure(&app, "/api/v1/items?after= (anywhere)", &api_after, w, n).await);

    rows.push(measure(&app, "/sitemap.xml", &["/sitemap.xml".into()], w, n).await);
    let parts = size.div_ceil(10_000);
    let sitemap_parts: Vec<String> = (0..n + w)
        .map(|_| format!("/sitemaps/items-{}.xml", 1 + rng.below(parts)))
        .collect();
    rows.push(
        measure(
            &app,
            "/sitemaps/items-{n}.xml (any part)",
            &sitemap_parts,
            w,
            n,
        )
        .await,
    );

    if a.search {
        let (t0, cpu0) = (Instant::now(), proc_stats::cpu_seconds());
        let indexed = search_sync::rebuild(state.store.as_ref(), &state.files, &state.search)
            .await
            .unwrap_or_else(|e| fail("重建搜索索引", e));
        let (index_s, index_cpu) = (t0.elapsed().as_secs_f64(), proc_stats::cpu_seconds() - cpu0);
        if indexed != size {
            fail("重建搜索索引", format!("indexed {indexed} of {size} items"));
        }
        println!(
            "search_sync::rebuild: {indexed} items in {index_s:.1} s = {:.0} items/s ({:.0} per CPU second); \
             index {:.0} MiB; peak RSS {:.0} MiB",
            indexed as f64 / index_s,
            indexed as f64 / index_cpu.max(0.001),
            dir_mib(&data.join("search")),
            proc_stats::peak_mib(),
        );
        expect(
            &app,
            &format!("/search?q={}", encode(&first)),
            &format!("/items/{}", ids[0]),
        )
        .await;
        let searches: Vec<String> = corpus::queries()
            .iter()
            .map(|q| format!("/search?q={}", encode(q)))
            .collect();
        rows.push(measure(&app, "/search?q= (50 queries)", &searches, w, n).await);
        let agency_searches: Vec<String> = corpus::queries()
            .iter()
            .zip(orgs.agencies.iter().cycle())
            .map(|(q, id)| format!("/agency/{id}/search?q={}", encode(q)))
            .collect();
        rows.push(measure(&app, "/agency/{id}/search?q=", &agency_searches, w, n).await);
    }

    println!(
        "\n| page | example | p50 ms | p99 ms | mean ms | KiB | peak RSS MiB |\n|---|---|---:|---:|---:|---:|---:|"
    );
    for r in &rows {
        let mean = r.times.iter().sum::<Duration>() / r.times.len().max(1) as u32;
        println!(
            "| {} | `{}` | {:.2} | {:.2} | {:.2} | {:.1} | {:.0} |",
            r.what,
            r.example,
            ms(pct(&r.times, 0.50)),
            ms(pct(&r.times, 0.99)),
            ms(mean),
            r.bytes as f64 / 1024.0,
            r.peak,
        );
    }
    println!(
        "\npeak RSS for this size: {:.0} MiB (VmHWM; {:.0} MiB resident now)",
        proc_stats::peak_mib(),
        proc_stats::rss_mib()
    );
}

fn dir_mib(p: &std::path::Path) -> f64 {
    let mut total = 0u64;
    if let Ok(rd) = std::fs::read_dir(p) {
        for e in rd.flatten() {
            match e.metadata() {
                Ok(m) if m.is_dir() => total += (dir_mib(&e.path()) * 1_048_576.0) as u64,
                Ok(m) => total += m.len(),
                Err(_) => {}
            }
        }
    }
    total as f64 / 1_048_576.0
}

#[tokio::main]
async fn main() {
    let a = parse_args();
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!(
        "# catalog-bench: {cores} cores, load average {} at start; {} timed requests per page after {} warm-up, one client",
        load.split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" "),
        a.requests,
        a.warmup
    );
    let today = chrono::Utc::now().date_naive();
    println!(
        "(run on {}-{:02}-{:02})",
        today.year(),
        today.month(),
        today.day()
    );
    for &size in &a.sizes {
        run(size, &a).await;
    }
}
