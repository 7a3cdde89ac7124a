-- The e-mail outbox (gongkai_core::notify). A message is inserted in the
-- transaction of the change it reports, then sent by a dispatcher; failed
-- attempts are retried until `attempts` reaches the core's MAX_ATTEMPTS.
-- `lease_until` lets several web nodes dispatch without sending twice.
-- `case_id` names a disclosure request; it has no foreign key so that the
-- outbox does not depend on which tables hold cases.
CREATE TABLE mail_outbox (
    id               INTEGER PRIMARY KEY,
    kind             TEXT NOT NULL,
    org_id           INTEGER REFERENCES organisations (id),
    case_id          INTEGER,
    recipient        TEXT NOT NULL,
    subject          TEXT NOT NULL,
    body             TEXT NOT NULL,
    status           TEXT NOT NULL,
    attempts         INTEGER NOT NULL,
    created_at       DATETIME NOT NULL,
    next_attempt_at  DATETIME,
    lease_until      DATETIME,
    sent_at          DATETIME,
    last_error       TEXT
);
CREATE INDEX mail_outbox_due_idx ON mail_outbox (status, next_attempt_at);
CREATE INDEX mail_outbox_org_idx ON mail_outbox (org_id);
