-- Foundation schema (SQLite). Keep in step with migrations/postgres/0001_foundation.sql;
-- tests/schema_drift.rs compares the two.
-- Declared types: BOOLEAN holds 0/1, DATETIME holds RFC 3339 UTC text with six
-- fractional digits (so text order = time order), DATE holds 'YYYY-MM-DD'.
-- These names give NUMERIC affinity, which leaves such text untouched; they
-- exist so the drift test can tell the type classes apart.

CREATE TABLE organisations (
    id            INTEGER PRIMARY KEY,
    parent_id     INTEGER REFERENCES organisations (id),
    name          TEXT NOT NULL,
    short_name    TEXT,
    code          TEXT,
    kind          TEXT NOT NULL,
    level         TEXT NOT NULL,
    sort_order    INTEGER NOT NULL DEFAULT 0,
    active        BOOLEAN NOT NULL DEFAULT 1,
    successor_id  INTEGER REFERENCES organisations (id),
    office_name   TEXT,
    address       TEXT,
    office_hours  TEXT,
    phone         TEXT,
    fax           TEXT,
    email         TEXT,
    website       TEXT,
    postcode      TEXT,
    created_at    DATETIME NOT NULL,
    updated_at    DATETIME NOT NULL
);
CREATE UNIQUE INDEX organisations_code_key ON organisations (code);
CREATE INDEX organisations_parent_idx ON organisations (parent_id);

CREATE TABLE org_guides (
    org_id          INTEGER PRIMARY KEY REFERENCES organisations (id),
    classification  TEXT NOT NULL,
    arrangement     TEXT NOT NULL,
    access          TEXT NOT NULL,
    extra           TEXT NOT NULL,
    updated_at      DATETIME NOT NULL
);

CREATE TABLE policy_docs (
    id          INTEGER PRIMARY KEY,
    org_id      INTEGER NOT NULL REFERENCES organisations (id),
    title       TEXT NOT NULL,
    body        TEXT NOT NULL,
    issued_on   DATE,
    created_at  DATETIME NOT NULL,
    updated_at  DATETIME NOT NULL
);
CREATE INDEX policy_docs_org_idx ON policy_docs (org_id);

CREATE TABLE users (
    id             INTEGER PRIMARY KEY,
    username       TEXT NOT NULL,
    display_name   TEXT NOT NULL,
    org_id         INTEGER NOT NULL REFERENCES organisations (id),
    password_hash  TEXT NOT NULL,
    active         BOOLEAN NOT NULL DEFAULT 1,
    created_at     DATETIME NOT NULL,
    updated_at     DATETIME NOT NULL
);
CREATE UNIQUE INDEX users_username_key ON users (username);
CREATE INDEX users_org_idx ON users (org_id);

CREATE TABLE role_grants (
    user_id  INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role     TEXT NOT NULL,
    org_id   INTEGER NOT NULL REFERENCES organisations (id),
    subtree  BOOLEAN NOT NULL
);
CREATE UNIQUE INDEX role_grants_key ON role_grants (user_id, role, org_id);

CREATE TABLE sessions (
    id_hash       TEXT NOT NULL PRIMARY KEY,
    user_id       INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf_token    TEXT NOT NULL,
    created_at    DATETIME NOT NULL,
    last_seen_at  DATETIME NOT NULL,
    expires_at    DATETIME NOT NULL
);
CREATE INDEX sessions_user_idx ON sessions (user_id);
CREATE INDEX sessions_expires_idx ON sessions (expires_at);

CREATE TABLE login_throttle (
    key           TEXT NOT NULL PRIMARY KEY,
    failures      INTEGER NOT NULL,
    window_start  DATETIME NOT NULL,
    locked_until  DATETIME
);

-- seq is assigned by the hash chain (head.seq + 1), never by the database.
CREATE TABLE audit_log (
    seq            INTEGER PRIMARY KEY,
    at             DATETIME NOT NULL,
    actor_user_id  INTEGER,
    actor_name     TEXT NOT NULL,
    via            TEXT NOT NULL,
    org_id         INTEGER,
    action         TEXT NOT NULL,
    object_type    TEXT NOT NULL,
    object_id      TEXT NOT NULL,
    summary        TEXT NOT NULL,
    prev_hash      TEXT NOT NULL,
    hash           TEXT NOT NULL
);
CREATE INDEX audit_log_org_idx ON audit_log (org_id, seq);

-- The chain head lives apart from the log so that cutting records off the
-- end of the log is detectable.
CREATE TABLE audit_head (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    seq   INTEGER NOT NULL,
    hash  TEXT NOT NULL
);
