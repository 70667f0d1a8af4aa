-- The Sessions console at a million rows: every sortable column has an index on sessions alone, counts come from
-- a maintained table, and user search has a trigram index. Nothing on the console's path scans all sessions.

ALTER TABLE sessions ADD COLUMN user_sort TEXT NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN app_sort TEXT NOT NULL DEFAULT '';
UPDATE sessions SET
    user_sort = COALESCE((SELECT email_normalized FROM users WHERE users.id = sessions.user_id), ''),
    app_sort = (SELECT slug FROM apps WHERE apps.id = sessions.app_id);

CREATE FUNCTION users_email_sort() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE sessions SET user_sort = NEW.email_normalized WHERE user_id = NEW.id;
    RETURN NULL;
END $$;
CREATE TRIGGER users_email_sort AFTER UPDATE OF email_normalized ON users
    FOR EACH ROW EXECUTE FUNCTION users_email_sort();

DROP INDEX sessions_status_created;
CREATE INDEX sessions_by_created ON sessions (created_at, status, app_id, user_id, id);
CREATE INDEX sessions_by_last_active ON sessions (last_active_at, status, app_id, user_id, id);
CREATE INDEX sessions_by_expires ON sessions ((COALESCE(expires_at, 9223372036854775807)), status, app_id, user_id, id);
CREATE INDEX sessions_by_user ON sessions (user_sort, status, app_id, user_id, id);
CREATE INDEX sessions_by_app ON sessions (app_sort, status, app_id, user_id, id);
CREATE INDEX sessions_by_status ON sessions (status, created_at, app_id, user_id, id);
CREATE INDEX sessions_by_status_last_active ON sessions (status, last_active_at, app_id, user_id, id);
CREATE INDEX sessions_by_status_expires ON sessions (status, (COALESCE(expires_at, 9223372036854775807)), app_id, user_id, id);
CREATE INDEX sessions_by_status_user ON sessions (status, user_sort, app_id, user_id, id);
CREATE INDEX sessions_by_status_app ON sessions (status, app_sort, app_id, user_id, id);
CREATE INDEX sessions_ip ON sessions (ip);
CREATE INDEX users_name_lower ON users (lower(display_name));

CREATE TABLE session_counts (
    app_id BIGINT NOT NULL,
    status TEXT NOT NULL,
    n      BIGINT NOT NULL,
    PRIMARY KEY (app_id, status)
);
INSERT INTO session_counts (app_id, status, n) SELECT app_id, status, COUNT(*) FROM sessions GROUP BY app_id, status;
CREATE FUNCTION session_counts_track() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE session_counts SET n = n - 1 WHERE app_id = OLD.app_id AND status = OLD.status;
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        INSERT INTO session_counts (app_id, status, n) VALUES (NEW.app_id, NEW.status, 1)
            ON CONFLICT (app_id, status) DO UPDATE SET n = session_counts.n + 1;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER session_counts_insert AFTER INSERT OR DELETE ON sessions
    FOR EACH ROW EXECUTE FUNCTION session_counts_track();
CREATE TRIGGER session_counts_update AFTER UPDATE OF status ON sessions
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION session_counts_track();

-- Substring search over users' emails and names (three characters or more).
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX users_search_trgm ON users USING gin ((email_normalized || ' ' || lower(display_name)) gin_trgm_ops);
