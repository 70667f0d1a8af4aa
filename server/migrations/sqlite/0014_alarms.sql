-- Alarms: one open alarm per kind and subject (a user's email, or the email typed in a lock-out), a repeat
-- raising its count and last-seen time; and where each session signed in from, for impossible travel.
ALTER TABLE sessions ADD COLUMN latitude REAL;
ALTER TABLE sessions ADD COLUMN longitude REAL;

CREATE TABLE alarms (
    id              INTEGER PRIMARY KEY,
    kind            TEXT NOT NULL CHECK (kind IN
                        ('ip_spread', 'new_country', 'impossible_travel', 'session_limit', 'failed_sign_ins')),
    user_id         INTEGER REFERENCES users (id),
    subject         TEXT NOT NULL,
    detail          TEXT NOT NULL,
    first_seen_at   INTEGER NOT NULL,
    last_seen_at    INTEGER NOT NULL,
    times           INTEGER NOT NULL DEFAULT 1,
    state           TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'acknowledged')),
    acknowledged_by INTEGER REFERENCES users (id),
    acknowledged_at INTEGER
);
CREATE UNIQUE INDEX alarms_open_once ON alarms (kind, subject) WHERE state = 'open';
CREATE INDEX alarms_by_state ON alarms (state, last_seen_at);
