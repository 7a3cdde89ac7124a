//! `gongkai items import`: the bulk import of an earlier site's catalog,
//! run through the real binary on the demo jurisdiction (SQLite, and
//! PostgreSQL when `GONGKAI_TEST_PG_URL` is set).

use crate::common;

use common::{gk, stderr, stdout};
use std::path::Path;
use std::process::Output;

/// A minimal PDF: the sniffer recognises it by its header.
const PDF: &[u8] = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";

/// A demo database (SQLite in a temp dir, or a fresh PostgreSQL database)
/// plus a separate directory for the files to import.
struct Env {
    data: tempfile::TempDir,
    src: tempfile::TempDir,
    rt: tokio::runtime::Runtime,
    pg: Option<(sqlx::PgPool, String, String)>,
}

impl Env {
    fn sqlite() -> Self {
        let env = Self {
            data: tempfile::tempdir().unwrap(),
            src: tempfile::tempdir().unwrap(),
            rt: tokio::runtime::Runtime::new().unwrap(),
            pg: None,
        };
        env.seed();
        env
    }

    fn postgres(base: &str) -> Self {
        let rt = tokio::runtime::Runtime::new().unwrap();
        let db = format!("gk_items_import_{}", std::process::id());
        let (prefix, _) = base.rsplit_once('/').expect("URL ends with /dbname");
        let url = format!("{prefix}/{db}");
        let admin = rt.block_on(sqlx::PgPool::connect(base)).unwrap();
        rt.block_on(
            sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {db}"))).execute(&admin),
        )
        .unwrap();
        let env = Self {
            data: tempfile::tempdir().unwrap(),
            src: tempfile::tempdir().unwrap(),
            rt,
            pg: Some((admin, db, url)),
        };
        env.seed();
        env
    }

    fn seed(&self) {
        let demo = self.run(&["demo"]);
        assert!(demo.status.success(), "{}", stderr(&demo));
    }

    fn run(&self, args: &[&str]) -> Output {
        let mut c = gk(self.data.path());
        if let Some((_, _, url)) = &self.pg {
            c.arg("--db").arg(url);
        }
        c.args(args).output().unwrap()
    }

    fn write(&self, name: &str, content: &[u8]) -> String {
        let path = self.src.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, content).unwrap();
        path.to_str().unwrap().to_string()
    }

    fn import(&self, file: &str, extra: &[&str]) -> Output {
        let mut args = vec!["items", "import", file];
        args.extend_from_slice(extra);
        self.run(&args)
    }

    fn count(&self, sql: &'static str) -> i64 {
        self.rt.block_on(async {
            match &self.pg {
                Some((_, _, url)) => {
                    let pool = sqlx::PgPool::connect(url).await.unwrap();
                    let n: i64 = sqlx::query_scalar(sql).fetch_one(&pool).await.unwrap();
                    pool.close().await;
                    n
                }
                None => {
                    let db = self.data.path().join("gongkai.db");
                    let url = format!("sqlite:{}", db.display());
                    let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
                    let n: i64 = sqlx::query_scalar(sql).fetch_one(&pool).await.unwrap();
                    pool.close().await;
                    n
                }
            }
        })
    }

    fn items(&self) -> i64 {
        self.count("SELECT COUNT(*) FROM items")
    }

    /// The title of the repealing item the public page of item `no` links,
    /// read the way the item page reads it.
    fn public_repealer(&self, no: &str) -> Option<String> {
        let url = match &self.pg {
            Some((_, _, url)) => url.clone(),
            None => gongkai_store::sqlite_url_for_data_dir(self.data.path()).unwrap(),
        };
        self.rt.block_on(async {
            let store = gongkai_store::open(&url).await.unwrap();
            let id = store.find_item_by_index_no(no).await.unwrap()?;
            let item = store.get_public_item(id).await.unwrap()?;
            let by = item.meta.validity.repealed_by()?;
            let repealer = store.get_public_item(by).await.unwrap()?;
            Some(repealer.meta.title)
        })
    }

    fn attachments(&self) -> i64 {
        self.count("SELECT COUNT(*) FROM item_attachments")
    }
}

impl Drop for Env {
    fn drop(&mut self) {
        if let Some((admin, db, _)) = &self.pg {
            let _ = self.rt.block_on(
                sqlx::query(sqlx::AssertSqlSafe(format!(
                    "DROP DATABASE {db} WITH (FORCE)"
                )))
                .execute(admin),
            );
        }
    }
}

/// The demo city government's code (first line of `org list`).
const CITY: &str = "11990100010000012U";

/// Four good rows with a BOM, Chinese headers, a quoted comma, 无文号,
/// one attachment, and a 废止 with its date linked to the decision that
/// repealed it, a row further down.
fn good_csv() -> Vec<u8> {
    let mut csv = b"\xEF\xBB\xBF".to_vec();
    csv.extend_from_slice(
        "索引号,标题,内容概述,正文,发文机关,发文字号,成文日期,发布日期,主题分类,栏目,体裁,关键词,有效性,废止日期,废止依据索引号,附件\n\
         OLD/2019-00001,关于做好2019年春节期间安全生产工作的通知,部署春节安全生产,\"<p>各区县人民政府，市直各部门：</p>\",青岚市人民政府办公室,青政办发〔2019〕3号,2019-01-20,2019-01-22,finance,policy_other,notice,春节 安全生产,有效,,,附件/安排表.pdf\n\
         OLD/2019-00002,2018年青岚市国民经济和社会发展统计公报,年度统计数据,,青岚市统计局,,2019-03-01,2019-03-05,economy,其他文件,notice,统计,,,,\n\
         OLD/2019-00003,青岚市城市道路临时占用管理暂行办法,临时占道管理,<p>第一条</p>,青岚市人民政府,青政发〔2019〕9号,2019-04-01,2019-04-03,economy,policy_other,notice,,废止,2023-06-30,OLD/2023-00012,\n\
         OLD/2023-00012,青岚市人民政府关于废止部分政策文件的决定,废止部分政策文件,<p>决定废止以下文件</p>,青岚市人民政府,青政发〔2023〕12号,2023-06-28,2023-06-30,economy,policy_other,notice,,有效,,,\n"
            .as_bytes(),
    );
    csv
}

/// Items whose version 1 links the repealing item `by` (both by 索引号).
const LINKED: &str = "SELECT COUNT(*) FROM item_versions v \
     JOIN items a ON a.id = v.item_id AND v.version = 1 \
     JOIN items b ON b.id = v.repealed_by \
     WHERE a.index_no = 'OLD/2019-00003' AND b.index_no = 'OLD/2023-00012'";

fn import_twice(env: &Env) {
    let items = env.items();
    let attachments = env.attachments();
    env.write("附件/安排表.pdf", PDF);
    let file = env.write("old-site.csv", &good_csv());

    let first = env.import(&file, &["--org", CITY]);
    assert!(first.status.success(), "{}", stderr(&first));
    assert!(
        stdout(&first).contains("导入 4 条信息，跳过 0 条"),
        "{}",
        stdout(&first)
    );
    assert_eq!(env.items(), items + 4);
    assert_eq!(env.attachments(), attachments + 1);
    assert_eq!(
        env.count("SELECT COUNT(*) FROM items WHERE index_no = 'OLD/2019-00003'"),
        1
    );
    assert_eq!(env.count(LINKED), 1, "the 废止 link is stored");
    assert_eq!(
        env.public_repealer("OLD/2019-00003").as_deref(),
        Some("青岚市人民政府关于废止部分政策文件的决定")
    );

    let second = env.import(&file, &["--org", CITY]);
    assert!(second.status.success(), "{}", stderr(&second));
    let out = stdout(&second);
    assert_eq!(out.matches("已存在，跳过").count(), 4, "{out}");
    assert!(
        out.contains(&format!(
            "{file}:2: index_no: 索引号 OLD/2019-00001 已存在，跳过"
        )),
        "{out}"
    );
    assert!(out.contains("导入 0 条信息，跳过 4 条"), "{out}");
    assert_eq!(env.items(), items + 4);
    assert_eq!(env.attachments(), attachments + 1);
    assert_eq!(env.count(LINKED), 1);
    let audit = env.run(&["audit", "verify"]);
    assert!(audit.status.success(), "{}", stdout(&audit));
}

#[test]
fn a_csv_imports_its_rows_once_and_a_second_run_skips_them() {
    let env = Env::sqlite();
    import_twice(&env);
    // The attachment went through the configured file store.
    let blobs = walk(&env.data.path().join("files"));
    assert_eq!(blobs, 1, "one content-addressed blob expected");
}

fn walk(dir: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .map(|e| e.unwrap().path())
        .map(|p| if p.is_dir() { walk(&p) } else { 1 })
        .sum()
}

#[test]
fn one_bad_row_stores_nothing_and_every_error_names_its_line() {
    let env = Env::sqlite();
    let items = env.items();
    let csv = "index_no,title,summary,issuers,published_on,topic,column,genre,attachments\n\
               NEW-1,可以导入的信息,概述,某局,2020-01-01,finance,policy_other,notice,\n\
               NEW-2,日期有误的信息,概述,某局,2020-13-01,finance,policy_other,notice,\n\
               NEW-3,,概述,某局,2020-01-01,finance,没有这个栏目,notice,\n\
               NEW-4,附件缺失的信息,概述,某局,2020-01-01,finance,policy_other,notice,docs/missing.pdf\n";
    let file = env.write("bad.csv", csv.as_bytes());
    let out = env.import(&file, &["--org", CITY]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(
        lines,
        vec![
            format!("{file}:3: published_on: 日期格式应为 YYYY-MM-DD，例如 2024-03-01").as_str(),
            format!("{file}:4: column: 该机构没有名为“没有这个栏目”的公开目录栏目").as_str(),
            format!("{file}:4: title: 请填写标题").as_str(),
            format!("{file}:5: attachments: 附件文件不存在：docs/missing.pdf").as_str(),
            format!("错误：{file} 中有 4 处错误，未导入任何信息；请修改后重新导入").as_str(),
        ]
    );
    assert_eq!(env.items(), items, "nothing may be stored");
}

#[test]
fn an_unknown_repealing_number_stores_nothing_and_names_the_line() {
    let env = Env::sqlite();
    let items = env.items();
    let csv = "index_no,title,summary,issuers,published_on,topic,column,genre,validity,repealed_on,repealed_by\n\
               NEW-1,被废止的办法,概述,某局,2020-01-01,finance,policy_other,notice,废止,2023-06-30,NEW-2\n\
               NEW-2,废止决定,概述,某局,2023-06-30,finance,policy_other,notice,,,\n\
               NEW-3,另一个被废止的办法,概述,某局,2020-01-01,finance,policy_other,notice,废止,2023-06-30,NOWHERE/2023-1\n\
               NEW-4,仍然有效的办法,概述,某局,2020-01-01,finance,policy_other,notice,有效,,NEW-2\n";
    let file = env.write("repeal.csv", csv.as_bytes());
    for extra in [&["--org", CITY][..], &["--org", CITY, "--dry-run"][..]] {
        let out = env.import(&file, extra);
        assert_eq!(out.status.code(), Some(1));
        let err = stderr(&out);
        let lines: Vec<&str> = err.lines().collect();
        assert_eq!(
            lines,
            vec![
                format!(
                    "{file}:4: repealed_by: 废止依据索引号 NOWHERE/2023-1 不存在（既不在本文件中，也不在系统中）"
                )
                .as_str(),
                format!("{file}:5: repealed_by: 只有已废止的信息才关联废止它的信息").as_str(),
                format!("错误：{file} 中有 2 处错误，未导入任何信息；请修改后重新导入").as_str(),
            ]
        );
        assert_eq!(env.items(), items, "nothing may be stored");
    }
}

#[test]
fn an_unknown_header_and_a_missing_agency_are_reported() {
    let env = Env::sqlite();
    let file = env.write("cols.csv", "index_no,标题,colour\nX-1,t,red\n".as_bytes());
    let out = env.import(&file, &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).starts_with(&format!("{file}:1: colour: 未知的列名")),
        "{}",
        stderr(&out)
    );

    let file = env.write(
        "noorg.csv",
        "index_no,title,summary,issuers,published_on,topic,column,genre\n\
         X-1,标题,概述,某局,2020-01-01,finance,policy_other,notice\n"
            .as_bytes(),
    );
    let out = env.import(&file, &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains(&format!("{file}:2: org: 请填写发布机构")),
        "{}",
        stderr(&out)
    );
}

#[test]
fn json_lines_work_and_a_dry_run_stores_nothing() {
    let env = Env::sqlite();
    let items = env.items();
    let jsonl = format!(
        "{{\"org\":\"{CITY}\",\"索引号\":\"J-2020-1\",\"title\":\"关于印发青岚市数据开放管理办法的通知\",\"summary\":\"数据开放\",\"issuers\":[\"青岚市人民政府\",\"青岚市大数据局\"],\"doc_number\":\"青政发〔2020〕5号\",\"written_on\":\"2020-05-01\",\"published_on\":\"2020-05-06\",\"topic\":\"finance\",\"column\":\"policy_other\",\"genre\":\"notice\",\"keywords\":[\"数据\",\"开放\"],\"doc_kind\":\"其他\"}}\n\
         \n\
         {{\"org\":\"{CITY}\",\"index_no\":\"J-2020-2\",\"title\":\"第二条\",\"summary\":\"概述\",\"issuers\":\"青岚市人民政府\",\"published_on\":\"2020-06-01\",\"topic\":\"finance\",\"column\":\"policy_other\",\"genre\":\"notice\"}}\n"
    );
    let file = env.write("items.jsonl", jsonl.as_bytes());

    let dry = env.import(&file, &["--dry-run"]);
    assert!(dry.status.success(), "{}", stderr(&dry));
    assert!(stdout(&dry).contains("可导入 2 条"), "{}", stdout(&dry));
    assert_eq!(env.items(), items);

    let real = env.import(&file, &[]);
    assert!(real.status.success(), "{}", stderr(&real));
    assert_eq!(env.items(), items + 2);
    assert_eq!(
        env.count("SELECT COUNT(*) FROM items WHERE index_no IN ('J-2020-1', 'J-2020-2')"),
        2
    );

    let bad = env.write("bad.jsonl", b"{\"index_no\":\"J-3\"}\nnot json\n");
    let out = env.import(&bad, &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).starts_with(&format!("{bad}:2: 不是有效的 JSON")),
        "{}",
        stderr(&out)
    );
}

/// The same import on PostgreSQL, in a database of its own.
#[test]
fn import_is_idempotent_on_postgres_when_configured() {
    let Ok(base) = std::env::var("GONGKAI_TEST_PG_URL") else {
        eprintln!("GONGKAI_TEST_PG_URL not set: PostgreSQL import test skipped");
        return;
    };
    let env = Env::postgres(&base);
    import_twice(&env);
}
