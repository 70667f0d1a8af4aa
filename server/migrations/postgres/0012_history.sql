-- Session history: how each ended session ended, as History groups them ('terminated': an admin, an admin token
-- or the system making room; 'signed_out': its holder, or its user from My sessions; 'expired'), written with
-- the end itself (storage::session_end) and NULL while active; which admin token ended it, so History can name
-- it; an index on the end time; and the count of each kind kept by triggers, as session_counts is.
ALTER TABLE sessions ADD COLUMN ended_how TEXT CHECK (ended_how IN ('terminated', 'signed_out', 'expired'));
ALTER TABLE sessions ADD COLUMN ended_by_token_id BIGINT;
UPDATE sessions SET ended_how = CASE
        WHEN status = 'expired' THEN 'expired'
        WHEN ended_by = 'holder' OR (ended_by = 'user' AND ended_by_user_id = user_id) THEN 'signed_out'
        ELSE 'terminated' END
    WHERE status <> 'active';
UPDATE sessions SET ended_at = updated_at WHERE status <> 'active' AND ended_at IS NULL;
CREATE INDEX sessions_history ON sessions (ended_at, ended_how, app_id, user_id) WHERE ended_at IS NOT NULL;

CREATE TABLE history_counts (
    ended_how TEXT PRIMARY KEY,
    n         BIGINT NOT NULL
);
INSERT INTO history_counts (ended_how, n)
    SELECT ended_how, COUNT(*) FROM sessions WHERE ended_how IS NOT NULL GROUP BY ended_how;
CREATE FUNCTION history_counts_track() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.ended_how IS NOT NULL THEN
        UPDATE history_counts SET n = n - 1 WHERE ended_how = OLD.ended_how;
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') AND NEW.ended_how IS NOT NULL THEN
        INSERT INTO history_counts (ended_how, n) VALUES (NEW.ended_how, 1)
            ON CONFLICT (ended_how) DO UPDATE SET n = history_counts.n + 1;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER history_counts_insert AFTER INSERT OR DELETE ON sessions
    FOR EACH ROW EXECUTE FUNCTION history_counts_track();
CREATE TRIGGER history_counts_update AFTER UPDATE OF ended_how ON sessions
    FOR EACH ROW WHEN (OLD.ended_how IS DISTINCT FROM NEW.ended_how) EXECUTE FUNCTION history_counts_track();
