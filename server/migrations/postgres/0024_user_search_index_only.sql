-- A search term of one or two letters matches users by the start of their email or name, and a search reads up to
-- 2,001 of them with the session counts kept on each (migration 0009). Read through these two indexes, each
-- stopping at that many, with the counts in the index: "ma" at 100,000 users, 24-28 -> 4-6 ms in psql, where the
-- users' rows were read one by one or all scanned. An update of the counts already writes to every index of
-- users (the counts are keys of users_by_active_sessions and users_by_total_sessions), so this adds no writes.
DROP INDEX users_by_email;
CREATE INDEX users_by_email ON users (email_normalized) INCLUDE (id, total_sessions, active_sessions);
DROP INDEX users_by_name;
CREATE INDEX users_by_name ON users (lower(display_name), email_normalized)
    INCLUDE (display_name, id, total_sessions, active_sessions);
-- A walk of a sort index tests each session's user against a common term ("example", which nearly every user
-- matches) by looking the user up by id: from this index alone, with the two texts tested, instead of the user's
-- row (the 10,000th match at a million sessions: 52-64 -> 31-42 ms in psql). About 8 MB at 100,000 users, and
-- one more index entry for each update of a user's counts.
CREATE INDEX users_by_id_with_texts ON users (id) INCLUDE (email_normalized, display_name);
