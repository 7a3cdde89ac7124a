-- Catalog items (主动公开), SQLite. Keep in step with migrations/postgres/0005_items.sql;
-- tests/schema_drift.rs compares the two. Types as in 0001 (DATETIME = RFC 3339
-- text with six fractional digits, DATE = 'YYYY-MM-DD', BOOLEAN = 0/1).
-- See docs/catalog.md for the model. Lists (发文机关, 关键词, scan findings)
-- are JSON arrays in TEXT columns: they are only ever read and written
-- whole, with their version.

-- Each agency's 公开目录栏目 tree, seeded from data/catalog-columns.toml.
-- `key` names the default a column was seeded from (NULL for the agency's
-- own columns). Columns are deactivated, never deleted.
CREATE TABLE item_columns (
    id          INTEGER PRIMARY KEY,
    org_id      INTEGER NOT NULL REFERENCES organisations (id),
    parent_id   INTEGER REFERENCES item_columns (id),
    key         TEXT,
    name        TEXT NOT NULL,
    basis       TEXT,
    sort_order  INTEGER NOT NULL DEFAULT 0,
    active      BOOLEAN NOT NULL DEFAULT 1,
    created_at  DATETIME NOT NULL,
    updated_at  DATETIME NOT NULL
);
CREATE UNIQUE INDEX item_columns_key ON item_columns (org_id, key);
CREATE INDEX item_columns_org_idx ON item_columns (org_id, sort_order);

-- The 索引号 template of an agency; no row means the default
-- {org_code}/{year}-{seq:05}.
CREATE TABLE item_settings (
    org_id          INTEGER NOT NULL PRIMARY KEY REFERENCES organisations (id),
    index_template  TEXT NOT NULL,
    updated_at      DATETIME NOT NULL
);

-- The last running number used per agency and year. Incremented with an
-- upsert inside the publishing transaction: on PostgreSQL the row lock
-- makes concurrent publishers of one agency take turns; on SQLite the
-- write transaction (BEGIN IMMEDIATE) already does.
CREATE TABLE item_index_seq (
    org_id    INTEGER NOT NULL REFERENCES organisations (id),
    year      INTEGER NOT NULL,
    last_seq  INTEGER NOT NULL,
    PRIMARY KEY (org_id, year)
);

-- One row per item: identity, 索引号 and what is public now.
CREATE TABLE items (
    id                  INTEGER PRIMARY KEY,
    org_id              INTEGER NOT NULL REFERENCES organisations (id),
    index_no            TEXT,
    index_no_legacy     BOOLEAN NOT NULL DEFAULT 0,
    latest_version      INTEGER NOT NULL,
    public_version      INTEGER,
    first_published_at  DATETIME,
    first_published_on  DATE,
    withdrawn_at        DATETIME,
    withdrawn_reason    TEXT,
    created_at          DATETIME NOT NULL,
    updated_at          DATETIME NOT NULL
);
CREATE UNIQUE INDEX items_index_no_key ON items (index_no);
CREATE INDEX items_catalog_idx ON items (org_id, first_published_on);

-- Every version's metadata and workflow state. `validity_on` is the
-- 失效/废止日期, `repealed_by` the item that repealed this one.
CREATE TABLE item_versions (
    item_id            INTEGER NOT NULL REFERENCES items (id),
    version            INTEGER NOT NULL,
    state              TEXT NOT NULL,
    title              TEXT NOT NULL,
    summary            TEXT NOT NULL,
    body               TEXT NOT NULL,
    issuers            TEXT NOT NULL,
    doc_number         TEXT,
    written_on         DATE,
    formed_on          DATE NOT NULL,
    topic              TEXT NOT NULL,
    column_id          INTEGER NOT NULL REFERENCES item_columns (id),
    genre              TEXT NOT NULL,
    keywords           TEXT NOT NULL,
    disclosure         TEXT NOT NULL,
    doc_kind           TEXT NOT NULL,
    validity           TEXT NOT NULL,
    validity_on        DATE,
    repealed_by        INTEGER REFERENCES items (id),
    author_id          INTEGER,
    author_name        TEXT NOT NULL,
    revision           TEXT NOT NULL,
    correction_reason  TEXT,
    publish_at         DATETIME,
    published_at       DATETIME,
    due_on             DATE,
    on_time            BOOLEAN,
    scan_fingerprint   TEXT,
    scan_findings      TEXT,
    scanned_at         DATETIME,
    scanned_by         TEXT,
    created_at         DATETIME NOT NULL,
    updated_at         DATETIME NOT NULL,
    PRIMARY KEY (item_id, version)
);
CREATE INDEX item_versions_state_idx ON item_versions (state, formed_on);

-- Attachment metadata per version; the bytes are in object storage.
CREATE TABLE item_attachments (
    id           INTEGER PRIMARY KEY,
    item_id      INTEGER NOT NULL,
    version      INTEGER NOT NULL,
    sort_order   INTEGER NOT NULL,
    name         TEXT NOT NULL,
    media_type   TEXT NOT NULL,
    size         INTEGER NOT NULL,
    sha256       TEXT NOT NULL,
    storage_key  TEXT NOT NULL,
    FOREIGN KEY (item_id, version) REFERENCES item_versions (item_id, version)
);
CREATE INDEX item_attachments_version_idx ON item_attachments (item_id, version, sort_order);

-- A reviewer's reason to publish despite a scanner finding (evidence of
-- the 保密审查, kept per version).
CREATE TABLE item_scan_overrides (
    item_id      INTEGER NOT NULL,
    version      INTEGER NOT NULL,
    finding_key  TEXT NOT NULL,
    reason       TEXT NOT NULL,
    by_user_id   INTEGER,
    by_name      TEXT NOT NULL,
    at           DATETIME NOT NULL,
    PRIMARY KEY (item_id, version, finding_key),
    FOREIGN KEY (item_id, version) REFERENCES item_versions (item_id, version)
);

-- The review record: every change of state, who, when, decision, comment.
CREATE TABLE item_transitions (
    id             INTEGER PRIMARY KEY,
    item_id        INTEGER NOT NULL REFERENCES items (id),
    version        INTEGER NOT NULL,
    at             DATETIME NOT NULL,
    actor_user_id  INTEGER,
    actor_name     TEXT NOT NULL,
    action         TEXT NOT NULL,
    from_state     TEXT,
    to_state       TEXT NOT NULL,
    decision       TEXT,
    comment        TEXT
);
CREATE INDEX item_transitions_item_idx ON item_transitions (item_id, id);
