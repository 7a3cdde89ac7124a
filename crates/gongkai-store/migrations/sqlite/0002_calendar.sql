-- Working-day calendar years imported by an administrator (gongkai calendar
-- import), one row per State Council holiday notice year. They replace the
-- shipped year of the same number. `off` and `work` are JSON arrays of
-- 'YYYY-MM-DD' strings, e.g. ["2027-01-01","2027-02-06"]: a list is only
-- ever read and written whole, so it need not be a table of its own.
CREATE TABLE calendar_years (
    year        INTEGER NOT NULL PRIMARY KEY,
    notice      TEXT NOT NULL,
    off         TEXT NOT NULL,
    work        TEXT NOT NULL,
    created_at  DATETIME NOT NULL,
    updated_at  DATETIME NOT NULL,
    -- actor_name of the last change (the audit log has the full history).
    updated_by  TEXT NOT NULL
);
