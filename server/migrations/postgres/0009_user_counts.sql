-- The Users page at 100,000 users and a million sessions: each user's active and total sessions and last
-- activity are kept on the user by triggers in the writing transaction, so a page of users is read from one
-- sort index and never counts sessions.
ALTER TABLE users ADD COLUMN active_sessions BIGINT NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN total_sessions BIGINT NOT NULL DEFAULT 0;
-- 0 until the user's first session.
ALTER TABLE users ADD COLUMN last_active_at BIGINT NOT NULL DEFAULT 0;
UPDATE users SET
    active_sessions = (SELECT COUNT(*) FROM sessions s WHERE s.user_id = users.id AND s.status = 'active'),
    total_sessions = (SELECT COUNT(*) FROM sessions s WHERE s.user_id = users.id),
    last_active_at = COALESCE((SELECT MAX(s.last_active_at) FROM sessions s WHERE s.user_id = users.id), 0);

CREATE FUNCTION user_counts_track() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        UPDATE users SET
            total_sessions = total_sessions + 1,
            active_sessions = active_sessions + CASE WHEN NEW.status = 'active' THEN 1 ELSE 0 END,
            last_active_at = GREATEST(last_active_at, NEW.last_active_at)
        WHERE id = NEW.user_id;
    ELSIF TG_OP = 'DELETE' THEN
        UPDATE users SET
            total_sessions = total_sessions - 1,
            active_sessions = active_sessions - CASE WHEN OLD.status = 'active' THEN 1 ELSE 0 END
        WHERE id = OLD.user_id;
    ELSE
        UPDATE users SET active_sessions = active_sessions
            + CASE WHEN NEW.status = 'active' THEN 1 ELSE 0 END - CASE WHEN OLD.status = 'active' THEN 1 ELSE 0 END
        WHERE id = NEW.user_id;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER user_counts_insert AFTER INSERT OR DELETE ON sessions
    FOR EACH ROW EXECUTE FUNCTION user_counts_track();
CREATE TRIGGER user_counts_status AFTER UPDATE OF status ON sessions
    FOR EACH ROW WHEN (NEW.user_id IS NOT NULL AND OLD.status IS DISTINCT FROM NEW.status)
    EXECUTE FUNCTION user_counts_track();

-- Written only when it moves the user's last activity forward: most touches of a user with several sessions
-- read the user and write nothing.
CREATE FUNCTION user_last_active_track() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE users SET last_active_at = NEW.last_active_at
    WHERE id = NEW.user_id AND last_active_at < NEW.last_active_at;
    RETURN NULL;
END $$;
CREATE TRIGGER user_counts_last_active AFTER UPDATE OF last_active_at ON sessions
    FOR EACH ROW WHEN (NEW.user_id IS NOT NULL) EXECUTE FUNCTION user_last_active_track();

-- One index per sortable column of the Users page; the email breaks ties.
CREATE INDEX users_by_active_sessions ON users (active_sessions, email_normalized);
CREATE INDEX users_by_total_sessions ON users (total_sessions, email_normalized);
CREATE INDEX users_by_last_active ON users (last_active_at, email_normalized);
CREATE INDEX users_by_role ON users (role, email_normalized);
CREATE INDEX users_by_disabled ON users (disabled, email_normalized);
