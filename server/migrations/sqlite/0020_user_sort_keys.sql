-- A search past its count cap whose term matches a few thousand users ("hopp") reads those users' sessions with
-- every sort key from this index alone, sorts them and keeps the page, instead of walking a sort index past
-- every other session (the 10,000th match: about 300,000 entries). Same leading columns as before, so every
-- lookup of a user's sessions by status still uses it.
DROP INDEX sessions_user_status;
CREATE INDEX sessions_user_status ON sessions (user_id, status, created_at, last_active_at, expires_at, app_id);
