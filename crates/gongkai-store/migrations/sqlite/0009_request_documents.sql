-- Released documents of a disclosure request (提供的政府信息): the files an
-- agency provides with its reply (gongkai_core::request::documents). The
-- bytes live in the file store under `storage_key` (content addressed,
-- shared with catalog attachments); this table keeps what the console and
-- the applicant's status page show. `name` may carry personal data (it is
-- the uploaded file name), so it is never copied into the audit log.
-- Rows are added and removed only while the case is open; after closing
-- they are the record of what was released.
CREATE TABLE request_documents (
    id                INTEGER PRIMARY KEY,
    request_id        INTEGER NOT NULL REFERENCES requests (id),
    name              TEXT NOT NULL,
    media_type        TEXT NOT NULL,
    size              INTEGER NOT NULL,
    sha256            TEXT NOT NULL,
    storage_key       TEXT NOT NULL,
    uploaded_by       INTEGER,
    uploaded_by_name  TEXT NOT NULL,
    uploaded_at       DATETIME NOT NULL,
    -- The pre-publication scanner's verdict at upload: clean, findings or
    -- unreadable (no extractable text: a person must check the file), and
    -- the JSON of gongkai_core::request::documents::DocumentScan: findings
    -- as kind, place and masked excerpt only, never the raw number.
    scan_status       TEXT NOT NULL,
    scan_report       TEXT NOT NULL
);
CREATE INDEX request_documents_request_idx ON request_documents (request_id, id);
CREATE INDEX request_documents_key_idx ON request_documents (storage_key);
