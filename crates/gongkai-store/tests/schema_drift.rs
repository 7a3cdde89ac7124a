//! Guards against the two migration trees drifting apart: applies both and
//! compares a normalised schema — tables, columns (name, nullability, coarse
//! type class), primary keys and unique indexes/constraints (column sets).
//! The PostgreSQL side needs `GONGKAI_TEST_PG_URL`; without it only the
//! SQLite schema is read and checked for obvious gaps.

use crate::common;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

#[derive(Debug, Default, PartialEq, Eq)]
struct Table {
    /// name → (nullable, type class)
    columns: BTreeMap<String, (bool, String)>,
    primary_key: BTreeSet<String>,
    /// Column sets of unique indexes and constraints other than the primary key.
    uniques: BTreeSet<BTreeSet<String>>,
}

type Schema = BTreeMap<String, Table>;

/// SQLite declared types. BOOLEAN / DATETIME / DATE are spelled out in the
/// migrations precisely so this mapping can tell them apart.
fn sqlite_class(declared: &str) -> String {
    match declared.to_ascii_uppercase().as_str() {
        "INTEGER" => "integer".into(),
        "TEXT" => "text".into(),
        "BOOLEAN" => "bool".into(),
        "DATETIME" => "timestamp".into(),
        "DATE" => "date".into(),
        other => format!("unmapped sqlite type {other}"),
    }
}

fn pg_class(data_type: &str) -> String {
    match data_type {
        "bigint" | "integer" | "smallint" => "integer".into(),
        "text" | "character varying" => "text".into(),
        "boolean" => "bool".into(),
        "timestamp with time zone" => "timestamp".into(),
        "date" => "date".into(),
        other => format!("unmapped postgres type {other}"),
    }
}

async fn sqlite_schema(pool: &sqlx::SqlitePool) -> Schema {
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table' \
         AND name NOT LIKE 'sqlite_%' AND name <> '_sqlx_migrations' ORDER BY name",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    let mut schema = Schema::new();
    for t in tables {
        let mut table = Table::default();
        let cols: Vec<(String, String, i64, i64)> =
            sqlx::query_as("SELECT name, type, \"notnull\", pk FROM pragma_table_info($1)")
                .bind(&t)
                .fetch_all(pool)
                .await
                .unwrap();
        for (name, declared, notnull, pk) in cols {
            // An INTEGER PRIMARY KEY is the rowid and can never be NULL,
            // although pragma_table_info reports notnull = 0 for it.
            let rowid = pk > 0 && declared.eq_ignore_ascii_case("INTEGER");
            let nullable = notnull == 0 && !rowid;
            if pk > 0 {
                table.primary_key.insert(name.clone());
            }
            table
                .columns
                .insert(name, (nullable, sqlite_class(&declared)));
        }
        let indexes: Vec<String> = sqlx::query_scalar(
            "SELECT name FROM pragma_index_list($1) WHERE \"unique\" = 1 AND origin <> 'pk'",
        )
        .bind(&t)
        .fetch_all(pool)
        .await
        .unwrap();
        for idx in indexes {
            let cols: Vec<String> = sqlx::query_scalar("SELECT name FROM pragma_index_info($1)")
                .bind(&idx)
                .fetch_all(pool)
                .await
                .unwrap();
            table.uniques.insert(cols.into_iter().collect());
        }
        schema.insert(t, table);
    }
    schema
}

async fn pg_schema(pool: &sqlx::PgPool) -> Schema {
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT table_name::text FROM information_schema.tables \
         WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' \
         AND table_name <> '_sqlx_migrations' ORDER BY table_name",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    let mut schema = Schema::new();
    for t in tables {
        let mut table = Table::default();
        let cols: Vec<(String, String, String)> = sqlx::query_as(
            "SELECT column_name::text, is_nullable::text, data_type::text \
             FROM information_schema.columns \
             WHERE table_schema = current_schema() AND table_name = $1",
        )
        .bind(&t)
        .fetch_all(pool)
        .await
        .unwrap();
        for (name, nullable, data_type) in cols {
            table
                .columns
                .insert(name, (nullable == "YES", pg_class(&data_type)));
        }
        let idx_cols: Vec<(String, bool, String)> = sqlx::query_as(
            "SELECT c.relname::text, i.indisprimary, a.attname::text \
             FROM pg_index i \
             JOIN pg_class c ON c.oid = i.indexrelid \
             JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) \
             WHERE i.indrelid = (quote_ident(current_schema()) || '.' || quote_ident($1))::regclass \
             AND i.indisunique",
        )
        .bind(&t)
        .fetch_all(pool)
        .await
        .unwrap();
        let mut uniques: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for (index, primary, col) in idx_cols {
            if primary {
                table.primary_key.insert(col);
            } else {
                uniques.entry(index).or_default().insert(col);
            }
        }
        table.uniques = uniques.into_values().collect();
        schema.insert(t, table);
    }
    schema
}

/// A readable list of every difference, empty when the schemas match.
fn differences(sqlite: &Schema, pg: &Schema) -> String {
    let mut out = String::new();
    let names: BTreeSet<&String> = sqlite.keys().chain(pg.keys()).collect();
    for name in names {
        let (Some(s), Some(p)) = (sqlite.get(name), pg.get(name)) else {
            let side = if sqlite.contains_key(name) {
                "SQLite"
            } else {
                "PostgreSQL"
            };
            writeln!(out, "table {name} exists only in {side}").unwrap();
            continue;
        };
        let cols: BTreeSet<&String> = s.columns.keys().chain(p.columns.keys()).collect();
        for c in cols {
            match (s.columns.get(c), p.columns.get(c)) {
                (Some(a), Some(b)) if a == b => {}
                (a, b) => writeln!(
                    out,
                    "{name}.{c}: SQLite {a:?} vs PostgreSQL {b:?} (nullable, type class)"
                )
                .unwrap(),
            }
        }
        if s.primary_key != p.primary_key {
            writeln!(
                out,
                "{name} primary key: SQLite {:?} vs PostgreSQL {:?}",
                s.primary_key, p.primary_key
            )
            .unwrap();
        }
        if s.uniques != p.uniques {
            writeln!(
                out,
                "{name} unique keys: SQLite {:?} vs PostgreSQL {:?}",
                s.uniques, p.uniques
            )
            .unwrap();
        }
    }
    out
}

#[tokio::test]
async fn sqlite_schema_is_fully_classified() {
    let (db, _dir) = common::sqlite_db().await;
    let common::Raw::Sqlite(pool) = &db.raw else {
        unreachable!()
    };
    let schema = sqlite_schema(pool).await;
    let tables: Vec<&str> = schema.keys().map(String::as_str).collect();
    assert_eq!(
        tables,
        [
            "annual_report_cells",
            "annual_reports",
            "appeals",
            "audit_head",
            "audit_log",
            "calendar_years",
            "catalog_entries",
            "item_attachments",
            "item_columns",
            "item_index_seq",
            "item_scan_overrides",
            "item_settings",
            "item_transitions",
            "item_versions",
            "items",
            "login_throttle",
            "mail_outbox",
            "org_guides",
            "organisations",
            "policy_docs",
            "request_counters",
            "request_documents",
            "request_entries",
            "request_notice_counters",
            "request_notice_settings",
            "request_notices",
            "requests",
            "role_grants",
            "sessions",
            "users"
        ]
    );
    for (t, table) in &schema {
        for (c, (_, class)) in &table.columns {
            assert!(!class.starts_with("unmapped"), "{t}.{c}: {class}");
        }
    }
    let unique = |cols: &[&str]| cols.iter().map(|c| c.to_string()).collect::<BTreeSet<_>>();
    assert!(schema["users"].uniques.contains(&unique(&["username"])));
    assert!(schema["organisations"].uniques.contains(&unique(&["code"])));
    assert!(
        schema["role_grants"]
            .uniques
            .contains(&unique(&["user_id", "role", "org_id"]))
    );
    assert_eq!(schema["audit_log"].primary_key, unique(&["seq"]));
    assert_eq!(schema["calendar_years"].primary_key, unique(&["year"]));
    assert_eq!(
        schema["request_entries"].primary_key,
        unique(&["request_id", "seq"])
    );
    assert!(schema["requests"].uniques.contains(&unique(&["number"])));
    assert!(schema["items"].uniques.contains(&unique(&["index_no"])));
    assert_eq!(
        schema["item_versions"].primary_key,
        unique(&["item_id", "version"])
    );
    assert_eq!(
        schema["item_index_seq"].primary_key,
        unique(&["org_id", "year"])
    );
    assert!(
        schema["annual_reports"]
            .uniques
            .contains(&unique(&["org_id", "year"]))
    );
    assert_eq!(
        schema["audit_log"].columns["summary"],
        (false, "text".to_string()),
        "the hash covers the exact summary bytes, so it must stay TEXT"
    );
}

#[tokio::test]
async fn migrations_produce_the_same_schema_on_both_backends() {
    let Some((pg_db, pg)) = common::postgres_db("schema drift (PostgreSQL side)").await else {
        return;
    };
    let (sqlite_db, _dir) = common::sqlite_db().await;
    let (common::Raw::Sqlite(sp), common::Raw::Postgres(pp)) = (&sqlite_db.raw, &pg_db.raw) else {
        unreachable!()
    };
    let s = sqlite_schema(sp).await;
    let p = pg_schema(pp).await;
    drop(pg_db);
    drop(pg);
    for (side, schema) in [("SQLite", &s), ("PostgreSQL", &p)] {
        for (t, table) in schema {
            for (c, (_, class)) in &table.columns {
                assert!(!class.starts_with("unmapped"), "{side} {t}.{c}: {class}");
            }
        }
    }
    let diff = differences(&s, &p);
    assert!(
        diff.is_empty(),
        "the SQLite and PostgreSQL migrations disagree:\n{diff}"
    );
    assert_eq!(s.len(), 30);
}
