-- Session history on PostgreSQL: its end-time index held no session id, so a page's ids were read by visiting
-- every ended session stepped over and sorting ties (4.3 s for a page 100,000 deep at a million sessions). With
-- the id as the index's last column, as the Sessions list's sort indexes have it, the page's ids come from the
-- index alone, in order (27 ms).
DROP INDEX sessions_history;
CREATE INDEX sessions_history ON sessions (ended_at, ended_how, app_id, user_id, id) WHERE ended_at IS NOT NULL;
