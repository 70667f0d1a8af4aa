-- The audit log page: search words per record (actor, target and reason, with the emails of the users they name
-- and of a named session's user, lowercased; written by the appender, outside the hash: a search aid, not
-- evidence), a trigram index over them, and an index per action for the Action filter.
ALTER TABLE audit_events ADD COLUMN words TEXT NOT NULL DEFAULT '';
UPDATE audit_events SET words = lower(
    actor || ' '
    || COALESCE(CASE WHEN actor LIKE 'user:%' THEN (SELECT u.email_normalized FROM users u
        WHERE u.id = CAST(substr(actor, 6) AS INTEGER)) END, '') || ' '
    || COALESCE(target, '') || ' '
    || COALESCE(CASE WHEN target LIKE 'user:%' THEN (SELECT u.email_normalized FROM users u
        WHERE u.id = CAST(substr(target, 6) AS INTEGER)) END, '') || ' '
    || COALESCE(CASE WHEN target LIKE 'session:%' THEN (SELECT u.email_normalized FROM sessions s
        JOIN users u ON u.id = s.user_id WHERE s.id = substr(target, 9)) END, '') || ' '
    || COALESCE(reason, ''));
CREATE VIRTUAL TABLE audit_search USING fts5(words, content = '', tokenize = 'trigram');
INSERT INTO audit_search (rowid, words) SELECT seq, words FROM audit_events;
CREATE TRIGGER audit_search_insert AFTER INSERT ON audit_events BEGIN
    INSERT INTO audit_search (rowid, words) VALUES (NEW.seq, NEW.words);
END;
CREATE INDEX audit_by_action ON audit_events (action, seq);
