-- The Sessions console at a million rows: every sortable column has an index on sessions alone, counts come from
-- a maintained table, and user search has a trigram index. Nothing on the console's path scans all sessions.

-- Sort keys copied from the user and the app, so sorting by them reads one index instead of sorting a join.
ALTER TABLE sessions ADD COLUMN user_sort TEXT NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN app_sort TEXT NOT NULL DEFAULT '';
UPDATE sessions SET
    user_sort = COALESCE((SELECT email_normalized FROM users WHERE users.id = sessions.user_id), ''),
    app_sort = (SELECT slug FROM apps WHERE apps.id = sessions.app_id);
CREATE TRIGGER users_email_sort AFTER UPDATE OF email_normalized ON users BEGIN
    UPDATE sessions SET user_sort = NEW.email_normalized WHERE user_id = NEW.id;
END;

-- One index per sort key, ending in the filter and search columns (status, app, user), so a filtered or
-- searched page is found in the index alone and only its rows are read from the table.
DROP INDEX sessions_status_created;
CREATE INDEX sessions_by_created ON sessions (created_at, status, app_id, user_id);
CREATE INDEX sessions_by_last_active ON sessions (last_active_at, status, app_id, user_id);
-- Durable sessions (no expiry) sort as the latest to expire.
CREATE INDEX sessions_by_expires ON sessions (COALESCE(expires_at, 9223372036854775807), status, app_id, user_id);
CREATE INDEX sessions_by_user ON sessions (user_sort, status, app_id, user_id);
CREATE INDEX sessions_by_app ON sessions (app_sort, status, app_id, user_id);
CREATE INDEX sessions_by_status ON sessions (status, created_at, app_id, user_id);
-- Under a status filter the same sorts read these, where the filtered sessions are adjacent.
CREATE INDEX sessions_by_status_last_active ON sessions (status, last_active_at, app_id, user_id);
CREATE INDEX sessions_by_status_expires ON sessions (status, COALESCE(expires_at, 9223372036854775807), app_id, user_id);
CREATE INDEX sessions_by_status_user ON sessions (status, user_sort, app_id, user_id);
CREATE INDEX sessions_by_status_app ON sessions (status, app_sort, app_id, user_id);
CREATE INDEX sessions_ip ON sessions (ip);
CREATE INDEX users_name_lower ON users (lower(display_name));

-- Sessions per app and status, kept by triggers in the writing transaction: the live count and the totals
-- of unsearched pages are a sum over a few rows.
CREATE TABLE session_counts (
    app_id INTEGER NOT NULL,
    status TEXT NOT NULL,
    n      INTEGER NOT NULL,
    PRIMARY KEY (app_id, status)
);
INSERT INTO session_counts (app_id, status, n) SELECT app_id, status, COUNT(*) FROM sessions GROUP BY app_id, status;
CREATE TRIGGER session_counts_insert AFTER INSERT ON sessions BEGIN
    INSERT INTO session_counts (app_id, status, n) VALUES (NEW.app_id, NEW.status, 1)
        ON CONFLICT (app_id, status) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER session_counts_update AFTER UPDATE OF status ON sessions WHEN OLD.status <> NEW.status BEGIN
    UPDATE session_counts SET n = n - 1 WHERE app_id = OLD.app_id AND status = OLD.status;
    INSERT INTO session_counts (app_id, status, n) VALUES (NEW.app_id, NEW.status, 1)
        ON CONFLICT (app_id, status) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER session_counts_delete AFTER DELETE ON sessions BEGIN
    UPDATE session_counts SET n = n - 1 WHERE app_id = OLD.app_id AND status = OLD.status;
END;

-- Substring search over users' emails and names (three characters or more).
CREATE VIRTUAL TABLE users_search USING fts5(
    email_normalized, display_name, content = 'users', content_rowid = 'id', tokenize = 'trigram'
);
INSERT INTO users_search (users_search) VALUES ('rebuild');
CREATE TRIGGER users_search_insert AFTER INSERT ON users BEGIN
    INSERT INTO users_search (rowid, email_normalized, display_name)
        VALUES (NEW.id, NEW.email_normalized, NEW.display_name);
END;
CREATE TRIGGER users_search_delete AFTER DELETE ON users BEGIN
    INSERT INTO users_search (users_search, rowid, email_normalized, display_name)
        VALUES ('delete', OLD.id, OLD.email_normalized, OLD.display_name);
END;
CREATE TRIGGER users_search_update AFTER UPDATE OF email_normalized, display_name ON users BEGIN
    INSERT INTO users_search (users_search, rowid, email_normalized, display_name)
        VALUES ('delete', OLD.id, OLD.email_normalized, OLD.display_name);
    INSERT INTO users_search (rowid, email_normalized, display_name)
        VALUES (NEW.id, NEW.email_normalized, NEW.display_name);
END;
