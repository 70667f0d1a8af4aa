-- The alarm webhook: at most one URL, its signing secret sealed with the payload key (the database alone does
-- not give it away), and how the last delivery went, for the Settings page.
CREATE TABLE alarm_webhook (
    id                  INTEGER PRIMARY KEY CHECK (id = 1),
    url                 TEXT NOT NULL,
    secret_sealed       BLOB NOT NULL,
    secret_key_id       INTEGER NOT NULL,
    changed_at          INTEGER NOT NULL,
    last_attempt_at     INTEGER,
    last_delivered      INTEGER,
    last_detail         TEXT
);
