-- The Users page at 100,000 users and a million sessions: each user's active and total sessions and last
-- activity are kept on the user by triggers in the writing transaction, so a page of users is read from one
-- sort index and never counts sessions.
ALTER TABLE users ADD COLUMN active_sessions INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN total_sessions INTEGER NOT NULL DEFAULT 0;
-- 0 until the user's first session.
ALTER TABLE users ADD COLUMN last_active_at INTEGER NOT NULL DEFAULT 0;
UPDATE users SET
    active_sessions = (SELECT COUNT(*) FROM sessions s WHERE s.user_id = users.id AND s.status = 'active'),
    total_sessions = (SELECT COUNT(*) FROM sessions s WHERE s.user_id = users.id),
    last_active_at = COALESCE((SELECT MAX(s.last_active_at) FROM sessions s WHERE s.user_id = users.id), 0);

CREATE TRIGGER user_counts_insert AFTER INSERT ON sessions WHEN NEW.user_id IS NOT NULL BEGIN
    UPDATE users SET
        total_sessions = total_sessions + 1,
        active_sessions = active_sessions + (NEW.status = 'active'),
        last_active_at = MAX(last_active_at, NEW.last_active_at)
    WHERE id = NEW.user_id;
END;
CREATE TRIGGER user_counts_status AFTER UPDATE OF status ON sessions
    WHEN NEW.user_id IS NOT NULL AND OLD.status <> NEW.status BEGIN
    UPDATE users SET active_sessions = active_sessions + (NEW.status = 'active') - (OLD.status = 'active')
    WHERE id = NEW.user_id;
END;
-- Written only when it moves the user's last activity forward: most touches of a user with several sessions
-- read the user and write nothing.
CREATE TRIGGER user_counts_last_active AFTER UPDATE OF last_active_at ON sessions
    WHEN NEW.user_id IS NOT NULL BEGIN
    UPDATE users SET last_active_at = NEW.last_active_at
    WHERE id = NEW.user_id AND last_active_at < NEW.last_active_at;
END;
CREATE TRIGGER user_counts_delete AFTER DELETE ON sessions WHEN OLD.user_id IS NOT NULL BEGIN
    UPDATE users SET total_sessions = total_sessions - 1, active_sessions = active_sessions - (OLD.status = 'active')
    WHERE id = OLD.user_id;
END;

-- One index per sortable column of the Users page; the email breaks ties.
CREATE INDEX users_by_active_sessions ON users (active_sessions, email_normalized);
CREATE INDEX users_by_total_sessions ON users (total_sessions, email_normalized);
CREATE INDEX users_by_last_active ON users (last_active_at, email_normalized);
CREATE INDEX users_by_role ON users (role, email_normalized);
CREATE INDEX users_by_disabled ON users (disabled, email_normalized);
