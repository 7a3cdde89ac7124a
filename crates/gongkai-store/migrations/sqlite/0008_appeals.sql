-- The 行政复议/行政诉讼 register (gongkai_core::request::appeal), which
-- feeds annual report 表四. Keep in step with
-- migrations/postgres/0008_appeals.sql; tests/schema_drift.rs compares them.
-- No applicant data: the reviewing organ or court and its case reference
-- identify the challenge; `note` is staff text, never audited.
CREATE TABLE appeals (
    id          INTEGER PRIMARY KEY,
    -- The agency whose handling is challenged.
    org_id      INTEGER NOT NULL REFERENCES organisations (id),
    -- The disclosure request concerned; NULL for a standalone record.
    case_id     INTEGER REFERENCES requests (id),
    -- 'reconsideration' | 'litigation_direct' | 'litigation_after_review'
    kind        TEXT NOT NULL,
    filed_on    DATE NOT NULL,
    organ       TEXT NOT NULL,
    reference   TEXT,
    -- NULL exactly when result = 'pending' (尚未审结).
    decided_on  DATE,
    result      TEXT NOT NULL,
    note        TEXT,
    created_at  DATETIME NOT NULL,
    updated_at  DATETIME NOT NULL
);
CREATE INDEX appeals_org_filed_idx ON appeals (org_id, filed_on);
CREATE INDEX appeals_case_idx ON appeals (case_id);
