//! End-to-end tests of the `gongkai` binary: each test runs the real
//! executable against its own temporary data directory (SQLite).

use crate::common;

use common::{BIN, gk, run, stderr, stdout};
use gongkai_core::org_code::complete_credit_code;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Command, Output, Stdio};

fn assert_ok(o: &Output) {
    assert!(
        o.status.success(),
        "exit {:?}\nstdout:\n{}\nstderr:\n{}",
        o.status.code(),
        stdout(o),
        stderr(o)
    );
}

fn code(n: u32) -> String {
    complete_credit_code(&format!("1199010099{n:07}"))
        .unwrap()
        .to_string()
}

fn org_list(dir: &Path) -> String {
    let o = run(dir, &["org", "list"]);
    assert_ok(&o);
    stdout(&o)
}

fn write(dir: &Path, name: &str, content: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, content).unwrap();
    path.to_str().unwrap().to_string()
}

fn good_csv() -> String {
    format!(
        "\u{feff}name,short_name,code,kind,level,parent,sort_order,office_name,address,office_hours,phone,fax,email,website,postcode\n\
         青岚市人民政府,市政府,{c1},人民政府,市级,,0,青岚市人民政府办公室,\"青岚市望湖区政务大道1号，3楼\",工作日 8:30-17:30,0799-8210001,0799-8210002,zwgk@qinglan.example,https://www.qinglan.example,799000\n\
         青岚市教育局,,{c2},department,city,{c1},2,,,,,,,,\n\
         青岚市财政局,,,工作部门,市级,青岚市人民政府,1,,,,,,,,\n",
        c1 = code(1),
        c2 = code(2)
    )
}

#[test]
fn help_lists_every_subcommand() {
    let o = Command::new(BIN).arg("--help").output().unwrap();
    assert_ok(&o);
    let help = stdout(&o);
    for sub in [
        "serve",
        "migrate",
        "user",
        "org",
        "audit",
        "demo",
        "check-config",
    ] {
        assert!(
            help.lines().any(|l| l.trim_start().starts_with(sub)),
            "{sub} missing from --help:\n{help}"
        );
    }
    let o = Command::new(BIN)
        .args(["org", "import", "--help"])
        .output()
        .unwrap();
    assert!(stdout(&o).contains("office_hours"), "{}", stdout(&o));
}

#[test]
fn org_import_then_list_in_tree_order() {
    let tmp = tempfile::tempdir().unwrap();
    let csv = write(tmp.path(), "orgs.csv", &good_csv());
    let o = run(tmp.path(), &["org", "import", &csv]);
    assert_ok(&o);
    assert!(stdout(&o).contains("导入 3 个机构"), "{}", stdout(&o));
    // Siblings by sort_order: 财政局 (1) before 教育局 (2); no code → "-".
    assert_eq!(
        org_list(tmp.path()),
        format!(
            "{}\t青岚市人民政府\n-\t青岚市财政局\n{}\t青岚市教育局\n",
            code(1),
            code(2)
        )
    );
    // A second file may hang below organisations already stored.
    let more = write(
        tmp.path(),
        "more.csv",
        "name,kind,level,parent\n望湖区人民政府,government,county,青岚市人民政府\n",
    );
    assert_ok(&run(tmp.path(), &["org", "import", &more]));
    assert!(org_list(tmp.path()).contains("-\t望湖区人民政府\n"));
}

#[test]
fn org_import_reports_every_error_and_imports_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let mut bad_code = code(3);
    let last = bad_code.pop().unwrap();
    bad_code.push(if last == '0' { '1' } else { '0' });
    let csv = write(
        tmp.path(),
        "bad.csv",
        &format!(
            "name,code,kind,level,parent\n\
             青岚市人民政府,{},government,city,\n\
             青岚市教育局,,department\n\
             ,,department,city,青岚市人民政府\n\
             青岚市财政局,{bad_code},department,city,青岚市人民政府\n\
             青岚市民政局,,department,city,青岚市不存在局\n",
            code(1)
        ),
    );
    let o = run(tmp.path(), &["org", "import", &csv]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    for expected in [
        format!("{csv}:3: level: 缺少此列"),
        format!("{csv}:4: name: 请填写机构名称"),
        format!("{csv}:5: code: 机构代码校验位不正确"),
        format!("{csv}:6: parent: 找不到上级机构“青岚市不存在局”"),
    ] {
        assert!(err.contains(&expected), "missing {expected:?} in:\n{err}");
    }
    assert!(err.contains("未导入任何机构"), "{err}");
    assert_eq!(org_list(tmp.path()), "");
}

#[test]
fn a_bad_last_row_imports_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let mut content = good_csv();
    content.push_str("青岚市民政局,,,部门,市级,青岚市人民政府,,,,,,,not-an-email,,\n");
    let csv = write(tmp.path(), "last.csv", &content);
    let o = run(tmp.path(), &["org", "import", &csv]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains(&format!("{csv}:5: email: 电子邮箱格式不正确")),
        "{}",
        stderr(&o)
    );
    assert_eq!(org_list(tmp.path()), "");
}

fn with_city(dir: &Path) {
    let csv = write(dir, "orgs.csv", &good_csv());
    assert_ok(&run(dir, &["org", "import", &csv]));
}

#[test]
fn user_create_grant_and_duplicate_username() {
    let tmp = tempfile::tempdir().unwrap();
    with_city(tmp.path());
    let create = |username: &str| {
        gk(tmp.path())
            .args(["user", "create", "--username", username, "--name", "李四"])
            .args(["--org", &code(2)])
            .env("GONGKAI_PASSWORD", "Li-si-pass-2026")
            .output()
            .unwrap()
    };
    let o = create("Li.Si");
    assert_ok(&o);
    assert!(stdout(&o).contains("已创建账号 li.si"), "{}", stdout(&o));

    let o = create("li.si");
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("用户名“li.si”已被使用"),
        "{}",
        stderr(&o)
    );

    let o = run(
        tmp.path(),
        &[
            "user",
            "grant",
            "--username",
            "li.si",
            "--role",
            "信息发布员",
            "--org",
            &code(2),
        ],
    );
    assert_ok(&o);
    assert!(
        stdout(&o).contains("信息发布员角色（仅本机构）"),
        "{}",
        stdout(&o)
    );

    let mut child = gk(tmp.path())
        .args([
            "user",
            "set-password",
            "--username",
            "LI.SI",
            "--password-stdin",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"New-pass-2027\n")
        .unwrap();
    let o = child.wait_with_output().unwrap();
    assert_ok(&o);
    let url = format!("sqlite://{}", sqlite_file(tmp.path()).display());
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        let store = gongkai_store::open(&url).await.unwrap();
        let creds = store.get_credentials("li.si").await.unwrap().unwrap();
        assert!(gongkai_core::password::verify(
            "New-pass-2027",
            &creds.password_hash
        ));
        assert!(!gongkai_core::password::verify(
            "Li-si-pass-2026",
            &creds.password_hash
        ));
        let grants = store.list_grants(creds.user.id).await.unwrap();
        assert_eq!(grants.len(), 1);
        assert_eq!(grants[0].role, gongkai_core::user::Role::Publisher);
        assert!(!grants[0].subtree);
    });

    let o = run(
        tmp.path(),
        &[
            "user",
            "grant",
            "--username",
            "li.si",
            "--role",
            "editor",
            "--org",
            &code(2),
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("未知的角色“editor”"), "{}", stderr(&o));
    assert!(stderr(&o).contains("case_handler"), "{}", stderr(&o));
}

#[test]
fn user_create_validates_input_and_requires_a_password() {
    let tmp = tempfile::tempdir().unwrap();
    with_city(tmp.path());
    let o = run(
        tmp.path(),
        &[
            "user",
            "create",
            "--username",
            "wang",
            "--name",
            "王五",
            "--org",
            &code(1),
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("GONGKAI_PASSWORD"), "{}", stderr(&o));

    let mut child = gk(tmp.path())
        .args(["user", "create", "--username", "x", "--name", " "])
        .args(["--org", &code(1), "--password-stdin"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"short\n").unwrap();
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("--username：用户名长度应为3至32个字符"),
        "{err}"
    );
    assert!(err.contains("--name：请填写姓名"), "{err}");
    assert!(err.contains("密码：密码至少需要10个字符"), "{err}");

    let o = run(
        tmp.path(),
        &["user", "set-password", "--username", "nobody"],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("找不到用户名为“nobody”的账号"),
        "{}",
        stderr(&o)
    );
}

fn sqlite_file(dir: &Path) -> std::path::PathBuf {
    dir.join("gongkai.db")
}

#[test]
fn demo_seeds_the_city_and_working_accounts() {
    let tmp = tempfile::tempdir().unwrap();
    let o = run(tmp.path(), &["demo"]);
    assert_ok(&o);
    assert!(stdout(&o).contains("gongkai-demo-2026"));
    let list = org_list(tmp.path());
    for name in [
        "\t青岚市人民政府\n",
        "\t青岚市教育局\n",
        "\t青岚市望湖区人民政府\n",
        "\t枫溪县人民政府\n",
        "\t石桥县人民政府\n",
        "\t青岚市望湖区东城街道办事处\n",
        "\t枫溪县白沙乡人民政府\n",
        "\t石桥县云岭乡人民政府\n",
    ] {
        assert!(list.contains(name), "{name:?} missing:\n{list}");
    }
    // Tree order: a county's township follows its county, not the city departments.
    let pos = |n: &str| list.find(n).unwrap();
    assert!(pos("枫溪县人民政府") < pos("枫溪县白沙乡人民政府"));
    assert!(pos("枫溪县白沙乡人民政府") < pos("石桥县人民政府"));

    // Seeding twice is refused.
    let o = run(tmp.path(), &["demo"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("拒绝导入演示数据"), "{}", stderr(&o));

    let url = format!("sqlite://{}", sqlite_file(tmp.path()).display());
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let store = gongkai_store::open(&url).await.unwrap();
        let orgs = store.list_orgs().await.unwrap();
        let merged = orgs.iter().find(|o| o.name == "青岚市国土资源局").unwrap();
        let successor = orgs
            .iter()
            .find(|o| o.name == "青岚市自然资源和规划局")
            .unwrap();
        assert!(!merged.active);
        assert_eq!(merged.successor_id, Some(successor.id));
        for username in [
            "admin",
            "publisher",
            "reviewer",
            "approver",
            "handler",
            "supervisor",
            "county.admin",
        ] {
            let creds = store.get_credentials(username).await.unwrap().unwrap();
            assert!(
                gongkai_core::password::verify("gongkai-demo-2026", &creds.password_hash),
                "{username}"
            );
            assert!(!store.list_grants(creds.user.id).await.unwrap().is_empty());
        }
        let county_admin = store
            .get_credentials("county.admin")
            .await
            .unwrap()
            .unwrap();
        let grants = store.list_grants(county_admin.user.id).await.unwrap();
        let fengxi = orgs.iter().find(|o| o.name == "枫溪县人民政府").unwrap();
        assert_eq!(grants[0].org_id, fengxi.id);
        assert!(grants[0].subtree);
        // Most guides are complete; a few are left incomplete on purpose.
        use gongkai_core::guide::{GuideElement, missing_elements};
        let mut complete = 0;
        for o in orgs.iter().filter(|o| o.active) {
            let missing = missing_elements(o, &store.get_guide(o.id).await.unwrap());
            match o.name.as_str() {
                "枫溪县白沙乡人民政府" => {
                    assert!(missing.contains(&GuideElement::Fax));
                    assert!(missing.contains(&GuideElement::Classification));
                }
                "石桥县云岭乡人民政府" => {
                    assert_eq!(missing, vec![GuideElement::OfficeHours, GuideElement::Fax])
                }
                "石桥县卫生健康局" => {
                    assert_eq!(missing, vec![GuideElement::InternetContact])
                }
                name => {
                    assert!(missing.is_empty(), "{name}: {missing:?}");
                    complete += 1;
                }
            }
        }
        assert!(complete >= 40, "{complete}");
        let docs = store.list_policy_docs(orgs[0].id).await.unwrap();
        assert!((2..=4).contains(&docs.len()), "{}", docs.len());
        // Audited as demo changes.
        let recent = store
            .list_audit(&gongkai_core::store::AuditQuery {
                org_ids: None,
                before_seq: None,
                limit: 5,
            })
            .await
            .unwrap();
        assert!(recent.iter().all(|r| r.via == "demo"));
    });
}

#[test]
fn audit_verify_detects_an_altered_summary() {
    let tmp = tempfile::tempdir().unwrap();
    assert_ok(&run(tmp.path(), &["demo"]));
    let o = run(tmp.path(), &["audit", "verify"]);
    assert_ok(&o);
    let out = stdout(&o);
    assert!(
        out.starts_with("audit log OK: ") && out.contains(" records verified"),
        "{out}"
    );

    let url = format!("sqlite://{}", sqlite_file(tmp.path()).display());
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
        let changed = sqlx::query("UPDATE audit_log SET summary = '{}' WHERE seq = 7")
            .execute(&pool)
            .await
            .unwrap();
        assert_eq!(changed.rows_affected(), 1);
        pool.close().await;
    });
    let o = run(tmp.path(), &["audit", "verify"]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    assert!(out.starts_with("audit log BROKEN: "), "{out}");
    assert!(out.contains("record 7 "), "{out}");
}

#[test]
fn check_config_layers_file_env_and_flags_and_redacts_the_password() {
    let tmp = tempfile::tempdir().unwrap();
    write(
        tmp.path(),
        "gongkai.toml",
        "listen = \"127.0.0.1:9001\"\nsite_name = \"青岚市人民政府\"\ndb = \"postgres://gk:file-secret@db.example:5432/gk\"\n",
    );
    let o = run(tmp.path(), &["check-config"]);
    assert_ok(&o);
    let out = stdout(&o);
    assert!(out.contains("listen = \"127.0.0.1:9001\""), "{out}");
    assert!(out.contains("site_name = \"青岚市人民政府\""), "{out}");
    assert!(
        out.contains("postgres://gk:***@db.example:5432/gk"),
        "{out}"
    );
    assert!(!out.contains("file-secret"), "{out}");

    let o = gk(tmp.path())
        .args(["check-config"])
        .env("GONGKAI_LISTEN", "127.0.0.1:9002")
        .env("GONGKAI_PUBLIC_URL", "https://gk.example")
        .output()
        .unwrap();
    assert_ok(&o);
    let out = stdout(&o);
    assert!(out.contains("listen = \"127.0.0.1:9002\""), "{out}");
    assert!(out.contains("secure_cookies = true"), "{out}");

    let o = gk(tmp.path())
        .args(["--db", "sqlite:/tmp/x.db", "check-config"])
        .env("GONGKAI_DB", "postgres://u:env-secret@h/d")
        .output()
        .unwrap();
    assert_ok(&o);
    assert!(
        stdout(&o).contains("db = \"sqlite:/tmp/x.db\""),
        "{}",
        stdout(&o)
    );

    write(tmp.path(), "gongkai.toml", "listen = 8080\n");
    let o = run(tmp.path(), &["check-config"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("gongkai.toml"), "{}", stderr(&o));
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

/// Starts `serve`, waits for the start-up line and returns the base URL.
fn start_server(dir: &Path, demo: bool) -> (Server, String, String) {
    let mut cmd = gk(dir);
    cmd.args(["serve", "--listen", "127.0.0.1:0"]);
    if demo {
        cmd.arg("--demo");
    }
    let mut server = Server(Some(
        cmd.stdout(Stdio::piped())
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
            // Keep draining stdout so the server never blocks on a full pipe.
            std::thread::spawn(move || {
                let mut rest = String::new();
                let _ = reader.read_to_string(&mut rest);
            });
            return (server, url, seen);
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

/// Sends SIGTERM and expects a graceful exit with status 0.
fn stop(mut server: Server) {
    let mut child = server.0.take().unwrap();
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let exit = child.wait().unwrap();
    assert!(
        exit.success(),
        "graceful shutdown should exit 0, got {exit:?}"
    );
}

#[test]
fn serve_demo_seeds_once_prints_credentials_and_serves_the_portal() {
    let tmp = tempfile::tempdir().unwrap();
    let (child, url, banner) = start_server(tmp.path(), true);
    assert!(banner.contains("已导入演示数据"), "{banner}");
    assert!(banner.contains("county.admin"), "{banner}");
    let resp = http_get(&url, "/");
    assert!(
        resp.starts_with("HTTP/1.0 200") || resp.starts_with("HTTP/1.1 200"),
        "{resp}"
    );
    assert!(resp.contains("青岚市人民政府"));
    stop(child);

    // A restart with --demo neither reseeds nor hides the credentials.
    let (child, _url, banner) = start_server(tmp.path(), true);
    assert!(banner.contains("不重新导入演示数据"), "{banner}");
    assert!(banner.contains("gongkai-demo-2026"), "{banner}");
    stop(child);
    let list = org_list(tmp.path());
    assert_eq!(list.matches("\t青岚市人民政府\n").count(), 1, "{list}");
}

/// The same binary on PostgreSQL, when `GONGKAI_TEST_PG_URL` names a server
/// where the user may create databases (CI sets it). Uses a database of
/// its own, dropped at the end.
#[test]
fn demo_and_audit_verify_on_postgres_when_configured() {
    let Ok(base) = std::env::var("GONGKAI_TEST_PG_URL") else {
        eprintln!("GONGKAI_TEST_PG_URL not set: PostgreSQL CLI test skipped");
        return;
    };
    let db = format!("gk_cli_{}", std::process::id());
    let (prefix, _) = base.rsplit_once('/').expect("URL ends with /dbname");
    let url = format!("{prefix}/{db}");
    let rt = tokio::runtime::Runtime::new().unwrap();
    let admin = rt.block_on(sqlx::PgPool::connect(&base)).unwrap();
    rt.block_on(sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {db}"))).execute(&admin))
        .unwrap();

    let tmp = tempfile::tempdir().unwrap();
    let with_db = |args: &[&str]| {
        gk(tmp.path())
            .arg("--db")
            .arg(&url)
            .args(args)
            .output()
            .unwrap()
    };
    let demo = with_db(&["demo"]);
    let verify = with_db(&["audit", "verify"]);
    let list = with_db(&["org", "list"]);

    rt.block_on(
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "DROP DATABASE {db} WITH (FORCE)"
        )))
        .execute(&admin),
    )
    .unwrap();
    assert_ok(&demo);
    assert_ok(&verify);
    assert!(
        stdout(&verify).starts_with("audit log OK: "),
        "{}",
        stdout(&verify)
    );
    assert_ok(&list);
    assert!(stdout(&list).contains("\t枫溪县白沙乡人民政府\n"));
    assert!(
        !tmp.path().join("gongkai.db").exists(),
        "--db must bypass SQLite"
    );
}
