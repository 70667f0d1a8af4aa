-- Times are Unix milliseconds (INTEGER); booleans are 0/1. The same shapes as the PostgreSQL schema, so one
-- set of queries runs on both.

CREATE TABLE users (
    id               INTEGER PRIMARY KEY,
    email            TEXT NOT NULL,
    email_normalized TEXT NOT NULL UNIQUE,
    display_name     TEXT NOT NULL,
    role             TEXT NOT NULL CHECK (role IN ('owner', 'admin', 'billing_manager', 'member')),
    disabled         INTEGER NOT NULL DEFAULT 0,
    password_hash    TEXT,
    external_id      TEXT UNIQUE,
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL
);

-- Keyed by the typed email, not the user: unknown emails lock out exactly like known ones, so a lock-out
-- never tells whether an account exists.
CREATE TABLE sign_in_failures (
    email_normalized TEXT PRIMARY KEY,
    failures         INTEGER NOT NULL,
    locked_until     INTEGER
);

CREATE TABLE apps (
    id                INTEGER PRIMARY KEY,
    slug              TEXT NOT NULL UNIQUE,
    name              TEXT NOT NULL,
    max_payload_bytes INTEGER NOT NULL,
    created_at        INTEGER NOT NULL
);
INSERT INTO apps (slug, name, max_payload_bytes, created_at) VALUES ('console', 'Roster console', 4096, 0);

CREATE TABLE sessions (
    id                      TEXT PRIMARY KEY,
    token_hash              BLOB NOT NULL UNIQUE,
    app_id                  INTEGER NOT NULL REFERENCES apps (id),
    user_id                 INTEGER REFERENCES users (id),
    kind                    TEXT NOT NULL CHECK (kind IN ('authenticated', 'guest')),
    status                  TEXT NOT NULL CHECK (status IN ('active', 'expired', 'revoked')),
    ip                      TEXT,
    user_agent              TEXT,
    browser                 TEXT,
    browser_version         TEXT,
    os                      TEXT,
    os_version              TEXT,
    device                  TEXT,
    city                    TEXT,
    country                 TEXT,
    country_code            TEXT,
    created_at              INTEGER NOT NULL,
    updated_at              INTEGER NOT NULL,
    last_active_at          INTEGER NOT NULL,
    expires_at              INTEGER,
    idle_timeout_secs       INTEGER,
    -- When the session ends unless used again: the earlier of expires_at and last activity + idle timeout.
    -- Kept on every write so the expiry sweep is one index range scan.
    deadline_at             INTEGER,
    remember_me             INTEGER NOT NULL DEFAULT 0,
    ended_at                INTEGER,
    ended_by                TEXT CHECK (ended_by IN ('user', 'holder', 'system', 'admin_token')),
    ended_by_user_id        INTEGER REFERENCES users (id),
    end_reason              TEXT,
    payload_ciphertext      BLOB,
    payload_key_id          INTEGER,
    payload_bytes           INTEGER NOT NULL DEFAULT 0,
    payload_attribute_count INTEGER NOT NULL DEFAULT 0,
    payload_expires_at      INTEGER,
    validation_count        INTEGER NOT NULL DEFAULT 0,
    last_request_at         INTEGER
);
CREATE INDEX sessions_user_status ON sessions (user_id, status);
CREATE INDEX sessions_status_created ON sessions (status, created_at);
CREATE INDEX sessions_status_deadline ON sessions (status, deadline_at);
CREATE INDEX sessions_app_status ON sessions (app_id, status);

CREATE TABLE audit_events (
    seq       INTEGER PRIMARY KEY, -- assigned by the writer under the write lock, never reused
    at        INTEGER NOT NULL,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,
    target    TEXT,
    reason    TEXT,
    ip        TEXT,
    prev_hash BLOB NOT NULL,
    hash      BLOB NOT NULL
);
