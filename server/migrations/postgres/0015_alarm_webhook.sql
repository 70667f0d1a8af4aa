-- The alarm webhook: at most one URL, its signing secret sealed with the payload key (the database alone does
-- not give it away), and how the last delivery went, for the Settings page.
CREATE TABLE alarm_webhook (
    id                  BIGINT PRIMARY KEY CHECK (id = 1),
    url                 TEXT NOT NULL,
    secret_sealed       BYTEA NOT NULL,
    secret_key_id       BIGINT NOT NULL,
    changed_at          BIGINT NOT NULL,
    last_attempt_at     BIGINT,
    last_delivered      BIGINT,
    last_detail         TEXT
);
