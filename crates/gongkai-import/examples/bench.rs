//! Single-thread throughput of `import` + audit (not a timed test).
//!
//! ```text
//! cargo run --release -p gongkai-import --example bench -- [--seconds N] [DIR...]
//! ```
//!
//! The corpus is every file of the given directories (default: the test
//! fixtures and, when present, `shared/seeds` beside the repository). Each
//! round imports every file once (which includes the arithmetic audit) and
//! runs the cross-year audit over the round; rounds repeat for N seconds
//! (default 10). Prints reports/s and MB/s.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn main() {
    let mut budget = Duration::from_secs(10);
    let mut dirs: Vec<PathBuf> = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        if a == "--seconds" {
            let parsed = args.next().and_then(|s| s.parse::<f64>().ok());
            match parsed.and_then(|s| Duration::try_from_secs_f64(s).ok()) {
                Some(d) if !d.is_zero() => budget = d,
                _ => {
                    eprintln!("错误：--seconds 需要一个正数");
                    std::process::exit(2);
                }
            }
        } else {
            dirs.push(PathBuf::from(a));
        }
    }
    if dirs.is_empty() {
        let here = Path::new(env!("CARGO_MANIFEST_DIR"));
        dirs.push(here.join("tests/fixtures"));
        let seeds = here.join("../../../shared/seeds");
        if seeds.is_dir() {
            dirs.push(seeds);
        }
    }
    let mut corpus: Vec<(String, Vec<u8>)> = Vec::new();
    for d in &dirs {
        let mut paths: Vec<PathBuf> = match std::fs::read_dir(d) {
            Ok(rd) => rd.filter_map(|e| e.ok().map(|e| e.path())).collect(),
            Err(e) => {
                eprintln!("错误：无法读取目录 {}：{e}", d.display());
                std::process::exit(1);
            }
        };
        paths.sort();
        for p in paths {
            // Only report inputs: the fixture README describes the fixtures.
            if !p.is_file() || p.extension().is_some_and(|e| e == "md") {
                continue;
            }
            match std::fs::read(&p) {
                Ok(b) => corpus.push((p.display().to_string(), b)),
                Err(e) => eprintln!("警告：跳过 {}：{e}", p.display()),
            }
        }
    }
    if corpus.is_empty() {
        eprintln!("错误：语料为空");
        std::process::exit(1);
    }
    let bytes_per_round: usize = corpus.iter().map(|(_, b)| b.len()).sum();
    println!(
        "语料：{} 个文件，{:.1} KB；单线程运行约 {:.1} 秒",
        corpus.len(),
        bytes_per_round as f64 / 1024.0,
        budget.as_secs_f64()
    );
    let start = Instant::now();
    let (mut reports, mut bytes, mut cells) = (0usize, 0usize, 0usize);
    while start.elapsed() < budget {
        let round: Vec<_> = corpus
            .iter()
            .map(|(name, b)| gongkai_import::import(b, name))
            .collect();
        cells += gongkai_import::audit::audit_cross_year(&round).len();
        cells += round.iter().map(|r| r.cells.len()).sum::<usize>();
        reports += round.len();
        bytes += bytes_per_round;
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "{reports} 份报告，{:.1} 秒：{:.0} 份/秒，{:.2} MB/秒（数据格与跨年度问题合计 {cells}）",
        secs,
        reports as f64 / secs,
        bytes as f64 / secs / 1_000_000.0
    );
}
