-- Issued notices of 依申请公开 cases (gongkai_core::request::issued). Keep in
-- step with migrations/postgres/0007_request_notices.sql; tests/schema_drift.rs
-- compares them.

-- An agency's notice settings. A missing row means the defaults
-- (NoticeSettings::defaults): prefix = short name + 依申请, no court.
CREATE TABLE request_notice_settings (
    org_id        INTEGER PRIMARY KEY REFERENCES organisations (id),
    doc_prefix    TEXT NOT NULL,
    review_organ  TEXT NOT NULL,
    court         TEXT NOT NULL,
    payee         TEXT NOT NULL,
    account       TEXT NOT NULL,
    bank          TEXT NOT NULL,
    contact       TEXT NOT NULL,
    updated_at    DATETIME NOT NULL
);

-- The last 文号 number per agency and year; incremented by an upsert in
-- the transaction that issues the notice, so a refused entry consumes none.
CREATE TABLE request_notice_counters (
    org_id  INTEGER NOT NULL REFERENCES organisations (id),
    year    INTEGER NOT NULL,
    last    INTEGER NOT NULL,
    PRIMARY KEY (org_id, year)
);

-- Every notice as issued: `data` is the gongkai_core Notice as JSON (its
-- addressee is the applicant's name), never rebuilt from today's wording.
CREATE TABLE request_notices (
    id             INTEGER PRIMARY KEY,
    request_id     INTEGER NOT NULL REFERENCES requests (id),
    org_id         INTEGER NOT NULL REFERENCES organisations (id),
    entry_seq      INTEGER NOT NULL,
    kind           TEXT NOT NULL,
    doc_number     TEXT,
    issued_on      DATE NOT NULL,
    data           TEXT NOT NULL,
    created_at     DATETIME NOT NULL,
    actor_user_id  INTEGER
);
CREATE INDEX request_notices_request_idx ON request_notices (request_id);
CREATE UNIQUE INDEX request_notices_doc_number_key ON request_notices (org_id, doc_number);
