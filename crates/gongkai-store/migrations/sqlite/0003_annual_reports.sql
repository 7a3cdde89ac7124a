-- Historic annual reports (政府信息公开工作年度报告) kept per organisation and
-- year, read by gongkai-import. Keep in step with
-- migrations/postgres/0003_annual_reports.sql; tests/schema_drift.rs compares them.
-- The uploaded file is not kept, only its name and SHA-256 and the cells.
CREATE TABLE annual_reports (
    id             INTEGER PRIMARY KEY,
    org_id         INTEGER NOT NULL REFERENCES organisations (id),
    year           INTEGER NOT NULL,
    -- '2021', '2019', '2014', 'local' (never 'none': nothing to keep).
    format         TEXT NOT NULL,
    source_name    TEXT NOT NULL,
    source_sha256  TEXT NOT NULL,
    -- The agency as printed in the report title, which may differ from
    -- the organisation's current name.
    agency_name    TEXT,
    -- JSON arrays, read and written whole: the format detection's evidence
    -- (strings) and the report's own audit findings ({rule, severity, message}).
    evidence       TEXT NOT NULL,
    findings       TEXT NOT NULL,
    imported_at    DATETIME NOT NULL,
    -- actor_name of the import (the audit log has the full history).
    imported_by    TEXT NOT NULL
);
CREATE UNIQUE INDEX annual_reports_org_year_key ON annual_reports (org_id, year);

-- One statistics cell; `pos` keeps the order in which it was read.
-- `value` is the number as decimal text ('12', '0.35', '-2'), exactly as
-- Rust prints and parses an f64, so both backends return the same number;
-- NULL for a blank or dash cell ("not reported", never zero).
CREATE TABLE annual_report_cells (
    report_id  INTEGER NOT NULL REFERENCES annual_reports (id) ON DELETE CASCADE,
    pos        INTEGER NOT NULL,
    tbl        TEXT NOT NULL,
    -- Canonical row key; NULL for local tables (identified by label + col).
    row_key    TEXT,
    col_key    TEXT NOT NULL,
    value      TEXT,
    raw        TEXT NOT NULL,
    label      TEXT NOT NULL,
    PRIMARY KEY (report_id, pos)
);
-- A canonical cell exists once per report (NULL row keys never collide).
CREATE UNIQUE INDEX annual_report_cells_key ON annual_report_cells (report_id, tbl, row_key, col_key);
