//! Search benchmark (not a timed test).
//!
//! ```text
//! cargo run --release -p gongkai-search --example search-bench -- --items 10000 --items 100000 \
//!     [--rounds 10] [--dir PATH] [--no-baseline] [--per-query] [--keep]
//! ```
//!
//! For each size: generates the synthetic catalog (`corpus.rs`) in memory,
//! builds the tantivy index on disk through `SearchIndex::rebuild`, runs the
//! 50 fixed queries `--rounds` times through `SearchIndex::search` (first
//! page of 20, relevance order, with total, facets, highlighted title and
//! snippet, and suggestions when nothing is found) and reports indexing
//! throughput, p50/p99 latency, queries/s for one client and for two
//! clients at once, index size and peak memory. The baseline in the same run is SQLite FTS5 (sqlx's bundled
//! SQLite) over jieba-pre-segmented text: top 20 by bm25 with `snippet()`,
//! plus the total count, for the same 50 queries.
//!
//! Throughput is reported twice: per wall-clock second, and per CPU second
//! of the whole process (all threads, from `/proc/self/stat`), which stays
//! meaningful when other work shares the machine. Peak memory is the rise
//! of the process's VmHWM over its resident size at the start of the phase
//! (the generated corpus is resident before), reset through
//! `/proc/self/clear_refs`; it includes index pages mapped from disk.
//! Catalog page render time is not measured here: the catalog pages do not
//! exist yet.

mod corpus;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use gongkai_search::normalise::normalise;
use gongkai_search::{Query, SearchDoc, SearchIndex};
use jieba_rs::Jieba;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
use sqlx::{ConnectOptions, Connection, Row, SqliteConnection};

struct Args {
    sizes: Vec<u64>,
    rounds: usize,
    dir: Option<PathBuf>,
    baseline: bool,
    per_query: bool,
    keep: bool,
}

fn parse_args() -> Args {
    let mut a = Args {
        sizes: Vec::new(),
        rounds: 10,
        dir: None,
        baseline: true,
        per_query: false,
        keep: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let bad = |what: &str| -> ! {
            eprintln!("错误：{arg} 需要{what}");
            std::process::exit(2);
        };
        match arg.as_str() {
            "--items" => match it.next().and_then(|v| v.replace('_', "").parse().ok()) {
                Some(n) if n > 0 => a.sizes.push(n),
                _ => bad("一个正整数"),
            },
            "--rounds" => match it.next().and_then(|v| v.parse().ok()) {
                Some(n) if n > 0 => a.rounds = n,
                _ => bad("一个正整数"),
            },
            "--dir" => match it.next() {
                Some(v) => a.dir = Some(PathBuf::from(v)),
                None => bad("一个目录"),
            },
            "--no-baseline" => a.baseline = false,
            "--per-query" => a.per_query = true,
            "--keep" => a.keep = true,
            _ => {
                eprintln!(
                    "错误：未知参数 {arg}（可用：--items N --rounds N --dir 目录 --no-baseline --per-query --keep）"
                );
                std::process::exit(2);
            }
        }
    }
    if a.sizes.is_empty() {
        a.sizes.push(10_000);
    }
    a
}

/// Memory and CPU readings of this process (Linux `/proc`).
mod proc {
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
        // Fields after the parenthesised command name; utime and stime are
        // fields 14 and 15 (1-based) of the whole line.
        let rest = stat.rsplit_once(") ").map_or("", |(_, r)| r);
        let f: Vec<&str> = rest.split_whitespace().collect();
        let ticks = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
        (ticks(11) + ticks(12)) / 100.0
    }
}

fn dir_mib(p: &Path) -> f64 {
    let mut total = 0u64;
    if let Ok(rd) = std::fs::read_dir(p) {
        for e in rd.flatten() {
            if let Ok(m) = e.metadata() {
                total += if m.is_dir() { 0 } else { m.len() };
            }
        }
    }
    total as f64 / (1024.0 * 1024.0)
}

#[derive(Default)]
struct Latency {
    samples: Vec<Duration>,
    total: Duration,
}

impl Latency {
    fn pct(&self, p: f64) -> f64 {
        let mut v = self.samples.clone();
        v.sort();
        if v.is_empty() {
            return f64::NAN;
        }
        let idx = ((v.len() as f64 * p).ceil() as usize).clamp(1, v.len()) - 1;
        v[idx].as_secs_f64() * 1000.0
    }
    fn qps(&self) -> f64 {
        self.samples.len() as f64 / self.total.as_secs_f64()
    }
}

/// One engine at one size.
#[derive(Default)]
struct Figures {
    index_wall: f64,
    index_cpu: f64,
    index_mib: f64,
    index_peak: f64,
    search: Latency,
    search_peak: f64,
    /// Queries/s with two clients searching at once (all cores busy).
    qps2: f64,
    /// Per query: (text, total hits, median ms).
    per_query: Vec<(String, usize, f64)>,
}

impl Figures {
    fn mean_hits(&self) -> f64 {
        let n = self.per_query.len().max(1) as f64;
        self.per_query.iter().map(|q| q.1 as f64).sum::<f64>() / n
    }
}

fn measure<F: FnMut(&str) -> usize>(
    queries: &[String],
    rounds: usize,
    mut run: F,
) -> (Latency, Vec<(String, usize, f64)>) {
    // Warm-up pass, also giving the hit counts.
    let hits: Vec<usize> = queries.iter().map(|q| run(q)).collect();
    let mut lat = Latency::default();
    let mut by_query: Vec<Vec<Duration>> = vec![Vec::new(); queries.len()];
    let all = Instant::now();
    for _ in 0..rounds {
        for (k, q) in queries.iter().enumerate() {
            let t = Instant::now();
            std::hint::black_box(run(q));
            let d = t.elapsed();
            lat.samples.push(d);
            by_query[k].push(d);
        }
    }
    lat.total = all.elapsed();
    let per = queries
        .iter()
        .zip(hits)
        .zip(by_query)
        .map(|((q, h), mut d)| {
            d.sort();
            let med = d
                .get(d.len() / 2)
                .map_or(f64::NAN, |x| x.as_secs_f64() * 1000.0);
            (q.clone(), h, med)
        })
        .collect();
    (lat, per)
}

fn run_tantivy(dir: &Path, corpus: &[SearchDoc], queries: &[String], rounds: usize) -> Figures {
    let idx_dir = dir.join("tantivy");
    let _ = std::fs::remove_dir_all(&idx_dir);
    let mut fig = Figures::default();
    let index = SearchIndex::open_or_rebuild(&idx_dir)
        .expect("open index")
        .index;
    // The folding table and jieba's dictionary are built once per process
    // on first use; do it before the clock starts.
    index.search(&Query::text("预热")).expect("warm-up");

    let base = proc::rss_mib();
    proc::reset_peak();
    let (t, cpu) = (Instant::now(), proc::cpu_seconds());
    let n = index.rebuild(corpus).expect("rebuild") as f64;
    fig.index_wall = n / t.elapsed().as_secs_f64();
    fig.index_cpu = n / (proc::cpu_seconds() - cpu).max(0.01);
    fig.index_peak = proc::peak_mib() - base;
    // Reopen: the writer's merge threads finish, queries see the final
    // segments.
    drop(index);
    let index = SearchIndex::open_or_rebuild(&idx_dir)
        .expect("reopen")
        .index;
    fig.index_mib = dir_mib(&idx_dir);

    let base = proc::rss_mib();
    proc::reset_peak();
    let (lat, per) = measure(queries, rounds, |q| {
        index.search(&Query::text(q)).expect("search").total
    });
    fig.search = lat;
    fig.per_query = per;
    fig.search_peak = proc::peak_mib() - base;
    fig.qps2 = two_clients(queries.len() * rounds, |k| {
        index
            .search(&Query::text(queries[k % queries.len()].as_str()))
            .expect("search")
            .total
    });
    fig
}

/// Throughput with two clients, each running the query list (client 2
/// starting half-way through it): total queries / wall time.
fn two_clients(per_client: usize, run: impl Fn(usize) -> usize + Sync) -> f64 {
    let t = Instant::now();
    std::thread::scope(|s| {
        for c in 0..2 {
            let run = &run;
            s.spawn(move || {
                for k in 0..per_client {
                    std::hint::black_box(run(k + c * per_client / 2));
                }
            });
        }
    });
    (2 * per_client) as f64 / t.elapsed().as_secs_f64()
}

fn segment(jieba: &Jieba, text: &str) -> String {
    let folded = normalise(text);
    let mut out = String::with_capacity(folded.len() + folded.len() / 2);
    for w in jieba.cut_for_search(&folded, true) {
        if w.word.chars().any(char::is_alphanumeric) {
            out.push_str(w.word);
            out.push(' ');
        }
    }
    out
}

fn fts_query(jieba: &Jieba, q: &str) -> String {
    let folded = normalise(q);
    jieba
        .cut(&folded, true)
        .into_iter()
        .filter(|w| w.word.chars().any(char::is_alphanumeric))
        .map(|w| format!("\"{}\"", w.word.replace('"', "\"\"")))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Top 20 with snippets, then the total: what a result page needs.
async fn fts_search(conn: &mut SqliteConnection, m: &str) -> usize {
    let top = sqlx::query(
        "SELECT rowid, snippet(items, 1, '[', ']', '…', 40) FROM items \
         WHERE items MATCH ? ORDER BY rank LIMIT 20",
    )
    .bind(m)
    .fetch_all(&mut *conn)
    .await
    .expect("fts top");
    std::hint::black_box(top);
    let n: i64 = sqlx::query("SELECT count(*) FROM items WHERE items MATCH ?")
        .bind(m)
        .fetch_one(&mut *conn)
        .await
        .expect("fts count")
        .get(0);
    usize::try_from(n).unwrap_or(0)
}

fn run_fts(
    rt: &tokio::runtime::Runtime,
    dir: &Path,
    corpus: &[SearchDoc],
    queries: &[String],
    rounds: usize,
) -> Figures {
    let path = dir.join("fts.sqlite");
    let _ = std::fs::remove_file(&path);
    let mut fig = Figures::default();
    let mut conn: SqliteConnection = rt
        .block_on(
            SqliteConnectOptions::new()
                .filename(&path)
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .connect(),
        )
        .expect("sqlite");
    rt.block_on(
        sqlx::query("CREATE VIRTUAL TABLE items USING fts5(title, body, tokenize = 'unicode61')")
            .execute(&mut conn),
    )
    .expect("fts5 table");
    let jieba = Jieba::new();
    segment(&jieba, "预热");

    let base = proc::rss_mib();
    proc::reset_peak();
    let (t, cpu) = (Instant::now(), proc::cpu_seconds());
    for chunk in corpus.chunks(10_000) {
        rt.block_on(async {
            let mut tx = conn.begin().await.expect("begin");
            for d in chunk {
                let rest = format!(
                    "{} {} {} {} {} {} {} {} {}",
                    d.summary,
                    d.body,
                    d.attachment_text,
                    d.org_name,
                    d.column_name,
                    d.topic,
                    d.index_no,
                    d.keywords.join(" "),
                    d.doc_nos.join(" ")
                );
                sqlx::query("INSERT INTO items(rowid, title, body) VALUES (?, ?, ?)")
                    .bind(d.id)
                    .bind(segment(&jieba, &d.title))
                    .bind(segment(&jieba, &rest))
                    .execute(&mut *tx)
                    .await
                    .expect("insert");
            }
            tx.commit().await.expect("commit");
        });
    }
    let n = corpus.len() as f64;
    fig.index_wall = n / t.elapsed().as_secs_f64();
    fig.index_cpu = n / (proc::cpu_seconds() - cpu).max(0.01);
    fig.index_peak = proc::peak_mib() - base;
    rt.block_on(sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(&mut conn))
        .expect("checkpoint");
    fig.index_mib = ["", "-wal"]
        .iter()
        .filter_map(|s| std::fs::metadata(format!("{}{s}", path.display())).ok())
        .map(|m| m.len() as f64 / 1048576.0)
        .sum();

    let fts: Vec<String> = queries.iter().map(|q| fts_query(&jieba, q)).collect();
    let base = proc::rss_mib();
    proc::reset_peak();
    let (lat, mut per) = measure(&fts, rounds, |m| rt.block_on(fts_search(&mut conn, m)));
    for (p, q) in per.iter_mut().zip(queries) {
        p.0 = q.clone();
    }
    fig.search = lat;
    fig.per_query = per;
    fig.search_peak = proc::peak_mib() - base;
    let _ = rt.block_on(conn.close());
    // Two clients: one connection and one runtime each (SQLite in WAL
    // mode serves concurrent readers).
    let connect = || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        let conn: SqliteConnection = rt
            .block_on(
                SqliteConnectOptions::new()
                    .filename(&path)
                    .read_only(true)
                    .connect(),
            )
            .expect("sqlite");
        std::sync::Mutex::new((rt, conn))
    };
    let clients = [connect(), connect()];
    let per_client = fts.len() * rounds;
    let t = Instant::now();
    std::thread::scope(|s| {
        for (c, client) in clients.iter().enumerate() {
            let fts = &fts;
            s.spawn(move || {
                let mut guard = client.lock().expect("client");
                let (rt, conn) = &mut *guard;
                for k in 0..per_client {
                    let m = &fts[(k + c * per_client / 2) % fts.len()];
                    std::hint::black_box(rt.block_on(fts_search(conn, m)));
                }
            });
        }
    });
    fig.qps2 = (2 * per_client) as f64 / t.elapsed().as_secs_f64();
    fig
}

fn row(size: usize, engine: &str, f: &Figures) -> String {
    format!(
        "| {size} | {engine} | {:.0} | {:.0} | {:.0} | {:.2} | {:.2} | {:.0} | {:.0} | {:.0} | {:.0} / {:.0} |",
        f.index_wall,
        f.index_cpu,
        f.index_mib,
        f.search.pct(0.5),
        f.search.pct(0.99),
        f.search.qps(),
        f.qps2,
        f.mean_hits(),
        f.index_peak,
        f.search_peak
    )
}

fn main() {
    let args = parse_args();
    let tmp = tempfile::Builder::new()
        .prefix("gongkai-search-bench")
        .tempdir_in(args.dir.clone().unwrap_or_else(std::env::temp_dir))
        .expect("temporary directory");
    let queries = corpus::queries();
    assert_eq!(queries.len(), 50, "the fixed query set has 50 queries");
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("model name"))
                .map(|v| v.trim_start_matches([' ', '\t', ':']).to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!(
        "machine: {cores} cores, {cpu}; load average at start: {}",
        load.trim()
    );
    println!(
        "queries: 50 fixed (20 one-word, 15 two-word, 8 文号, 7 traditional), {} rounds",
        args.rounds
    );

    let mut rows = Vec::new();
    for &size in &args.sizes {
        println!("\n== {size} items ==");
        let t = Instant::now();
        let corpus: Vec<SearchDoc> = (0..size).map(corpus::item).collect();
        let chars: usize = corpus
            .iter()
            .map(|d| {
                d.title.chars().count()
                    + d.summary.chars().count()
                    + d.body.chars().count()
                    + d.attachment_text.chars().count()
            })
            .sum();
        println!(
            "generated in {:.1} s, {:.0} characters of text per item on average",
            t.elapsed().as_secs_f64(),
            chars as f64 / corpus.len() as f64
        );
        let tan = run_tantivy(tmp.path(), &corpus, &queries, args.rounds);
        if args.keep {
            let kept = tmp
                .path()
                .with_file_name(format!("gongkai-search-bench-{size}"));
            let _ = std::fs::remove_dir_all(&kept);
            match std::fs::rename(tmp.path().join("tantivy"), &kept) {
                Ok(()) => println!("index kept in {}", kept.display()),
                Err(e) => eprintln!("警告：无法保留索引：{e}"),
            }
        }
        let _ = std::fs::remove_dir_all(tmp.path().join("tantivy"));
        println!("{}", row(corpus.len(), "tantivy+jieba", &tan));
        let fts = args.baseline.then(|| {
            let f = run_fts(&rt, tmp.path(), &corpus, &queries, args.rounds);
            let _ = std::fs::remove_file(tmp.path().join("fts.sqlite"));
            let _ = std::fs::remove_file(tmp.path().join("fts.sqlite-wal"));
            let _ = std::fs::remove_file(tmp.path().join("fts.sqlite-shm"));
            println!("{}", row(corpus.len(), "SQLite FTS5", &f));
            f
        });
        if args.per_query {
            println!("\n| query | tantivy hits | ms | FTS5 hits | ms |");
            println!("|---|---:|---:|---:|---:|");
            for (k, (q, h, ms)) in tan.per_query.iter().enumerate() {
                let (fh, fms) = fts
                    .as_ref()
                    .and_then(|f| f.per_query.get(k))
                    .map_or(("–".into(), "–".into()), |p| {
                        (p.1.to_string(), format!("{:.2}", p.2))
                    });
                println!("| {q} | {h} | {ms:.2} | {fh} | {fms} |");
            }
        }
        rows.push((corpus.len(), tan, fts));
    }

    println!(
        "\n| items | engine | index items/s (wall) | index items/CPU-s | index MiB | search p50 ms | p99 ms | queries/s (1 client) | queries/s (2 clients) | mean hits | peak MiB index / search |"
    );
    println!("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---|");
    for (size, tan, fts) in &rows {
        println!("{}", row(*size, "tantivy+jieba", tan));
        if let Some(f) = fts {
            println!("{}", row(*size, "SQLite FTS5", f));
        }
    }
    println!("\ncatalog page render time: not measured (the catalog pages do not exist yet)");
}
