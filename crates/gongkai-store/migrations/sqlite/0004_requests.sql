-- 依申请公开 cases (gongkai_core::request::case). Keep in step with
-- migrations/postgres/0004_requests.sql; tests/schema_drift.rs compares them.

-- The last application number handed out per agency and year. The store
-- increments it with an upsert inside the transaction that creates the
-- case, so concurrent submissions never share a number.
CREATE TABLE request_counters (
    org_id  INTEGER NOT NULL REFERENCES organisations (id),
    year    INTEGER NOT NULL,
    last    INTEGER NOT NULL,
    PRIMARY KEY (org_id, year)
);

CREATE TABLE requests (
    id               INTEGER PRIMARY KEY,
    org_id           INTEGER NOT NULL REFERENCES organisations (id),
    -- '{year}-{org_id:04}-{n:05}', see gongkai_core::request::case::application_number.
    number           TEXT NOT NULL,
    -- SHA-256 (hex) over the number and the query code; the code itself is never stored.
    query_code_hash  TEXT NOT NULL,
    -- SHA-256 of the one-time token of the form that created the case
    -- (NULL when there was none); unique, so a replayed form creates nothing.
    form_token_hash  TEXT,
    channel          TEXT NOT NULL,
    status           TEXT NOT NULL,
    -- The 表三 column (applicant_kind column key), for statistics without JSON.
    applicant_kind   TEXT NOT NULL,
    -- The validated application as JSON: the applicant's personal data.
    -- Read and written whole; never copied into the audit log.
    application      TEXT NOT NULL,
    arrived_on       DATE NOT NULL,
    submitted_on     DATE,
    signed_for_on    DATE,
    confirmed_on     DATE,
    -- The 收到申请之日 derived from the channel and the dates above (NULL
    -- until known); kept as a column for year filters and statistics.
    received_on      DATE,
    handler_id       INTEGER REFERENCES users (id),
    -- The 表三 row key of the closing outcome.
    outcome          TEXT,
    closed_on        DATE,
    created_at       DATETIME NOT NULL,
    updated_at       DATETIME NOT NULL
);
CREATE UNIQUE INDEX requests_number_key ON requests (number);
CREATE UNIQUE INDEX requests_form_token_key ON requests (form_token_hash);
CREATE INDEX requests_org_status_idx ON requests (org_id, status);

-- What happened to a case, in order. `data` is the entry as JSON
-- (gongkai_core::request::case::CaseAction, tagged by `kind`, which is
-- repeated in its own column); `comment` is staff text, never public.
CREATE TABLE request_entries (
    request_id     INTEGER NOT NULL REFERENCES requests (id),
    seq            INTEGER NOT NULL,
    kind           TEXT NOT NULL,
    data           TEXT NOT NULL,
    comment        TEXT,
    at             DATETIME NOT NULL,
    actor_user_id  INTEGER,
    actor_name     TEXT NOT NULL,
    PRIMARY KEY (request_id, seq)
);
