-- The audit log page: search words per record (actor, target and reason, with the emails of the users they name
-- and of a named session's user, lowercased; written by the appender, outside the hash: a search aid, not
-- evidence), a trigram index over them, and an index per action for the Action filter.
ALTER TABLE audit_events ADD COLUMN words TEXT NOT NULL DEFAULT '';
UPDATE audit_events SET words = lower(
    actor || ' '
    || COALESCE(CASE WHEN actor ~ '^user:[0-9]+$' THEN (SELECT u.email_normalized FROM users u
        WHERE u.id = CAST(substr(actor, 6) AS BIGINT)) END, '') || ' '
    || COALESCE(target, '') || ' '
    || COALESCE(CASE WHEN target ~ '^user:[0-9]+$' THEN (SELECT u.email_normalized FROM users u
        WHERE u.id = CAST(substr(target, 6) AS BIGINT)) END, '') || ' '
    || COALESCE(CASE WHEN target LIKE 'session:%' THEN (SELECT u.email_normalized FROM sessions s
        JOIN users u ON u.id = s.user_id WHERE s.id = substr(target, 9)) END, '') || ' '
    || COALESCE(reason, ''));
CREATE INDEX audit_words_trgm ON audit_events USING gin (words gin_trgm_ops);
CREATE INDEX audit_by_action ON audit_events (action, seq);
