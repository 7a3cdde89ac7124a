//! `gongkai reindex` and the search index of `gongkai serve`, through the
//! real binary on the demo jurisdiction (SQLite in a temp dir).

use crate::common;

use common::{gk, run, stderr, stdout};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn demo(dir: &Path) {
    let o = run(dir, &["demo"]);
    assert!(o.status.success(), "{}", stderr(&o));
}

/// The count in "搜索索引已重建：共 N 条主动公开信息".
fn rebuilt_count(out: &str) -> u64 {
    let after = out
        .split("搜索索引已重建：共 ")
        .nth(1)
        .unwrap_or_else(|| panic!("no count in {out}"));
    after.split(' ').next().unwrap().parse().unwrap()
}

#[test]
fn reindex_rebuilds_from_the_database_and_prints_the_count() {
    let tmp = tempfile::tempdir().unwrap();
    demo(tmp.path());
    let o = run(tmp.path(), &["reindex"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let n = rebuilt_count(&stdout(&o));
    assert!(n >= 100, "the demo catalog has a few hundred items: {n}");
    assert!(tmp.path().join("search").join("meta.json").exists());

    // Again: the same count, the index replaced rather than doubled.
    let again = run(tmp.path(), &["reindex"]);
    assert!(again.status.success(), "{}", stderr(&again));
    assert_eq!(rebuilt_count(&stdout(&again)), n);
    let index = gongkai_search::SearchIndex::open_or_rebuild(&tmp.path().join("search"))
        .unwrap()
        .index;
    assert_eq!(index.num_docs(), n);
}

#[test]
fn reindex_refuses_while_another_process_holds_the_index() {
    let tmp = tempfile::tempdir().unwrap();
    demo(tmp.path());
    let held = gongkai_search::SearchIndex::open_or_rebuild(&tmp.path().join("search")).unwrap();
    let o = run(tmp.path(), &["reindex"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("正被另一个进程"), "{}", stderr(&o));
    assert!(stderr(&o).contains("未做任何改动"), "{}", stderr(&o));
    assert_eq!(held.index.num_docs(), 0, "nothing was written");
}

/// A running `serve`; killed if a test fails before stopping it.
struct Server(Option<std::process::Child>);

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(mut c) = self.0.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

fn start_server(dir: &Path) -> (Server, String) {
    let mut server = Server(Some(
        gk(dir)
            .args(["serve", "--listen", "127.0.0.1:0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    ));
    let out = server.0.as_mut().unwrap().stdout.take().unwrap();
    let mut reader = BufReader::new(out);
    let mut seen = String::new();
    loop {
        let mut line = String::new();
        let n = reader.read_line(&mut line).unwrap();
        assert!(n > 0, "server exited before starting:\n{seen}");
        seen.push_str(&line);
        if let Some(start) = line.find("http://") {
            let url = line[start..]
                .split('/')
                .take(3)
                .collect::<Vec<_>>()
                .join("/");
            std::thread::spawn(move || {
                let mut rest = String::new();
                let _ = reader.read_to_string(&mut rest);
            });
            return (server, url);
        }
    }
}

fn http_get(base: &str, path: &str) -> String {
    let host = base.trim_start_matches("http://");
    let mut s = std::net::TcpStream::connect(host).unwrap();
    write!(s, "GET {path} HTTP/1.0\r\nHost: {host}\r\n\r\n").unwrap();
    let mut resp = String::new();
    s.read_to_string(&mut resp).unwrap();
    resp
}

fn stop(mut server: Server) {
    let mut child = server.0.take().unwrap();
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    assert!(child.wait().unwrap().success());
}

/// The total of a search page ("共 <strong>N</strong> 条").
fn total(page: &str) -> u64 {
    page.split("共 <strong>")
        .nth(1)
        .and_then(|s| s.split('<').next())
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no total in {page}"))
}

#[test]
fn serve_starts_with_a_corrupt_index_and_rebuilds_it_in_the_background() {
    let tmp = tempfile::tempdir().unwrap();
    demo(tmp.path());
    let dir = tmp.path().join("search");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("meta.json"), b"{ this is not an index").unwrap();
    let unrelated = dir.join("notes.txt");
    std::fs::write(&unrelated, "operator notes").unwrap();

    let (server, url) = start_server(tmp.path());
    // The server answers at once; the rebuild fills the index meanwhile.
    let first = http_get(&url, "/search?q=%E9%80%9A%E7%9F%A5");
    assert!(
        first.starts_with("HTTP/1.1 200") || first.starts_with("HTTP/1.0 200"),
        "{first}"
    );
    let deadline = Instant::now() + Duration::from_secs(60);
    let found = loop {
        let page = http_get(&url, "/search?q=%E9%80%9A%E7%9F%A5");
        let n = total(&page);
        if n > 0 || Instant::now() > deadline {
            break n;
        }
        std::thread::sleep(Duration::from_millis(250));
    };
    assert!(found > 0, "the rebuilt index finds the demo's 通知");

    // The running server holds the index: reindex refuses, clearly.
    let o = run(tmp.path(), &["reindex"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("gongkai serve"), "{}", stderr(&o));
    stop(server);

    assert!(
        unrelated.exists(),
        "only the index's own files are replaced"
    );
    // A restart opens the rebuilt index as it is.
    let (server, url) = start_server(tmp.path());
    assert_eq!(
        total(&http_get(&url, "/search?q=%E9%80%9A%E7%9F%A5")),
        found
    );
    stop(server);
}
