-- A search by an IP prefix past its count cap walks a sort index and tests each session's IP, which was read
-- from the table: the 10,000th match of "1" (37% of sessions) at a million sessions passed 27,000 entries, each
-- a heap visit mostly outside the buffer cache, 146 ms in psql. With the IP in each sort index the walk reads
-- the index alone: 6 ms. Each index grows about 15% (sessions_by_created: 90 -> 104 MB); an update of a
-- session's last activity already writes every one of them.
DROP INDEX sessions_by_created;
CREATE INDEX sessions_by_created ON sessions (created_at, status, app_id, user_id, id) INCLUDE (ip);
DROP INDEX sessions_by_last_active;
CREATE INDEX sessions_by_last_active ON sessions (last_active_at, status, app_id, user_id, id) INCLUDE (ip);
DROP INDEX sessions_by_expires;
CREATE INDEX sessions_by_expires ON sessions (expires_at, status, app_id, user_id, id) INCLUDE (ip);
DROP INDEX sessions_by_user;
CREATE INDEX sessions_by_user ON sessions (user_sort, status, app_id, user_id, id) INCLUDE (ip);
DROP INDEX sessions_by_app;
CREATE INDEX sessions_by_app ON sessions (app_sort, status, app_id, user_id, id) INCLUDE (ip);
DROP INDEX sessions_by_status;
CREATE INDEX sessions_by_status ON sessions (status, created_at, app_id, user_id, id) INCLUDE (ip);
DROP INDEX sessions_by_status_last_active;
CREATE INDEX sessions_by_status_last_active ON sessions (status, last_active_at, app_id, user_id, id) INCLUDE (ip);
DROP INDEX sessions_by_status_expires;
CREATE INDEX sessions_by_status_expires ON sessions (status, expires_at, app_id, user_id, id) INCLUDE (ip);
DROP INDEX sessions_by_status_user;
CREATE INDEX sessions_by_status_user ON sessions (status, user_sort, app_id, user_id, id) INCLUDE (ip);
DROP INDEX sessions_by_status_app;
CREATE INDEX sessions_by_status_app ON sessions (status, app_sort, app_id, user_id, id) INCLUDE (ip);
-- A search by an IP prefix within the cap ("2a03:1", 2,096 sessions) gathered its matches' ids from sessions_ip
-- and read each match's row for its sort keys: 17-22 ms in psql, each page. With every sort key in sessions_ip the
-- planner sorts the matches from the index alone (1-5 ms). The user's and app's sort keys make it 48 -> 171 MB
-- at a million sessions.
DROP INDEX sessions_ip;
CREATE INDEX sessions_ip ON sessions (ip, status, app_id)
    INCLUDE (created_at, last_active_at, expires_at, user_id, id, user_sort, app_sort);
