-- The Sessions list sorted by expiry: PostgreSQL walks an index on an expression by visiting each row in the
-- table (no index-only scan), 8 s to the middle of a million sessions. Its default order already puts NULL
-- (never expires) last ascending and first descending, which is what COALESCE(expires_at, max) gave, so the
-- plain column serves the same order from the index alone.
DROP INDEX sessions_by_expires;
CREATE INDEX sessions_by_expires ON sessions (expires_at, status, app_id, user_id, id);
DROP INDEX sessions_by_status_expires;
CREATE INDEX sessions_by_status_expires ON sessions (status, expires_at, app_id, user_id, id);
