-- Deep pages of the Sessions list without stepping over half a million index entries: how many sessions fall in
-- each stretch of a sort column, kept by triggers at three widths (coarse to fine), per status and app. A page
-- at offset N finds the finest stretch holding its first row by adding up counts, one level at a time, then
-- seeks to that stretch in the sort index and skips the few rows before it (see storage/sort_ranks.rs).
--
-- Sorts counted: 1 created, 2 expires (never = the largest number, last ascending, as the index orders it),
-- 3 last activity, 4 user (the first three characters of user_sort as code points, 21 bits each, which orders
-- as the text does where the text sorts by code point). The level's shift turns a value into its stretch.
CREATE TABLE session_rank_levels (
    sort  SMALLINT NOT NULL,
    level SMALLINT NOT NULL,
    shift SMALLINT NOT NULL,
    PRIMARY KEY (sort, level)
);
-- Times in milliseconds: about 12 days, 70 minutes and 16 seconds.
INSERT INTO session_rank_levels (sort, level, shift) VALUES
    (1, 0, 30), (1, 1, 22), (1, 2, 14),
    (2, 0, 30), (2, 1, 22), (2, 2, 14),
    (3, 0, 30), (3, 1, 22), (3, 2, 14),
    (4, 0, 42), (4, 1, 21), (4, 2, 0);

CREATE TABLE session_rank_counts (
    sort   SMALLINT NOT NULL,
    level  SMALLINT NOT NULL,
    bucket BIGINT NOT NULL,
    status TEXT NOT NULL,
    app_id BIGINT NOT NULL,
    n      BIGINT NOT NULL,
    PRIMARY KEY (sort, level, bucket, status, app_id)
);

CREATE FUNCTION session_rank_base(sort SMALLINT, created_at BIGINT, expires_at BIGINT, last_active_at BIGINT,
                                  user_sort TEXT) RETURNS BIGINT LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE sort
        WHEN 1 THEN created_at
        WHEN 2 THEN COALESCE(expires_at, 9223372036854775807)
        WHEN 3 THEN last_active_at
        ELSE (ascii(substr(user_sort, 1, 1))::BIGINT << 42) | (ascii(substr(user_sort, 2, 1))::BIGINT << 21)
             | ascii(substr(user_sort, 3, 1))::BIGINT
    END
$$;

-- Kept per statement, from its transition tables: a batch (the expiry sweep's, Kill All's) adds up its rows and
-- writes each count once. Per row, each of a batch's 2,000 sessions wrote the same few coarse counts again, and
-- PostgreSQL walks every earlier version of a row its transaction updated: 4.9 s for 2,000 revocations, 1.0 s
-- without the counts; per statement, no slower than without them. An update's old rows lose one and its new
-- rows gain one: a row that stays in its stretches adds up to nothing and writes nothing.
CREATE FUNCTION session_ranks_track() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO session_rank_counts (sort, level, bucket, status, app_id, n)
        SELECT l.sort, l.level,
               session_rank_base(l.sort, c.created_at, c.expires_at, c.last_active_at, c.user_sort) >> l.shift,
               c.status, c.app_id, COUNT(*)
        FROM session_rank_levels l CROSS JOIN ranked_new c
        GROUP BY 1, 2, 3, 4, 5
        ON CONFLICT (sort, level, bucket, status, app_id) DO UPDATE SET n = session_rank_counts.n + EXCLUDED.n;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO session_rank_counts (sort, level, bucket, status, app_id, n)
        SELECT l.sort, l.level,
               session_rank_base(l.sort, c.created_at, c.expires_at, c.last_active_at, c.user_sort) >> l.shift,
               c.status, c.app_id, -COUNT(*)
        FROM session_rank_levels l CROSS JOIN ranked_old c
        GROUP BY 1, 2, 3, 4, 5
        ON CONFLICT (sort, level, bucket, status, app_id) DO UPDATE SET n = session_rank_counts.n + EXCLUDED.n;
    ELSE
        INSERT INTO session_rank_counts (sort, level, bucket, status, app_id, n)
        SELECT l.sort, l.level,
               session_rank_base(l.sort, c.created_at, c.expires_at, c.last_active_at, c.user_sort) >> l.shift,
               c.status, c.app_id, SUM(c.delta)
        FROM session_rank_levels l CROSS JOIN (
            SELECT created_at, expires_at, last_active_at, user_sort, status, app_id, 1 AS delta FROM ranked_new
            UNION ALL
            SELECT created_at, expires_at, last_active_at, user_sort, status, app_id, -1 FROM ranked_old
        ) AS c
        GROUP BY 1, 2, 3, 4, 5
        HAVING SUM(c.delta) <> 0
        ON CONFLICT (sort, level, bucket, status, app_id) DO UPDATE SET n = session_rank_counts.n + EXCLUDED.n;
    END IF;
    RETURN NULL;
END $$;
-- A trigger with transition tables takes one event and no column list.
CREATE TRIGGER session_ranks_insert AFTER INSERT ON sessions
    REFERENCING NEW TABLE AS ranked_new FOR EACH STATEMENT EXECUTE FUNCTION session_ranks_track();
CREATE TRIGGER session_ranks_delete AFTER DELETE ON sessions
    REFERENCING OLD TABLE AS ranked_old FOR EACH STATEMENT EXECUTE FUNCTION session_ranks_track();
CREATE TRIGGER session_ranks_update AFTER UPDATE ON sessions
    REFERENCING OLD TABLE AS ranked_old NEW TABLE AS ranked_new FOR EACH STATEMENT
    EXECUTE FUNCTION session_ranks_track();

-- The finest level from the sessions, the coarser ones from it (the same statements as storage/recount.rs).
INSERT INTO session_rank_counts (sort, level, bucket, status, app_id, n)
SELECT l.sort, l.level,
       session_rank_base(l.sort, s.created_at, s.expires_at, s.last_active_at, s.user_sort) >> l.shift,
       s.status, s.app_id, COUNT(*)
FROM session_rank_levels l CROSS JOIN sessions s WHERE l.level = 2
GROUP BY 1, 2, 3, 4, 5;
INSERT INTO session_rank_counts (sort, level, bucket, status, app_id, n)
SELECT c.sort, coarse.level, c.bucket >> (coarse.shift - fine.shift), c.status, c.app_id, SUM(c.n)
FROM session_rank_counts c
JOIN session_rank_levels fine ON fine.sort = c.sort AND fine.level = c.level
JOIN session_rank_levels coarse ON coarse.sort = c.sort AND coarse.level < c.level
WHERE c.level = 2
GROUP BY 1, 2, 3, 4, 5;
