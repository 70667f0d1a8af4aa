-- An IP-prefix search beside a status or app filter is tested in the index: a short prefix ("1") matches most
-- sessions, and reading each row to test its status took 40-70 ms at a million sessions.
DROP INDEX sessions_ip;
CREATE INDEX sessions_ip ON sessions (ip, status, app_id);
