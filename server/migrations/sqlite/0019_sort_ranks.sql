-- Deep pages of the Sessions list without stepping over half a million index entries: how many sessions fall in
-- each stretch of a sort column, kept by triggers at three widths (coarse to fine), per status and app. A page
-- at offset N finds the finest stretch holding its first row by adding up counts, one level at a time, then
-- seeks to that stretch in the sort index and skips the few rows before it (see storage/sort_ranks.rs).
--
-- Sorts counted: 1 created, 2 expires (never = the largest number, last ascending, as the index orders it),
-- 3 last activity, 4 user (the first three characters of user_sort as code points, 21 bits each, which orders
-- as the text does: SQLite compares text byte by byte, and UTF-8 keeps code point order). The level's shift
-- turns a value into its stretch. SQLite has no functions of its own: the triggers spell the value out.
CREATE TABLE session_rank_levels (
    sort  INTEGER NOT NULL,
    level INTEGER NOT NULL,
    shift INTEGER NOT NULL,
    PRIMARY KEY (sort, level)
) WITHOUT ROWID;
-- Times in milliseconds: about 12 days, 70 minutes and 16 seconds.
INSERT INTO session_rank_levels (sort, level, shift) VALUES
    (1, 0, 30), (1, 1, 22), (1, 2, 14),
    (2, 0, 30), (2, 1, 22), (2, 2, 14),
    (3, 0, 30), (3, 1, 22), (3, 2, 14),
    (4, 0, 42), (4, 1, 21), (4, 2, 0);

CREATE TABLE session_rank_counts (
    sort   INTEGER NOT NULL,
    level  INTEGER NOT NULL,
    bucket INTEGER NOT NULL,
    status TEXT NOT NULL,
    app_id INTEGER NOT NULL,
    n      INTEGER NOT NULL,
    PRIMARY KEY (sort, level, bucket, status, app_id)
) WITHOUT ROWID;

CREATE TRIGGER session_ranks_insert AFTER INSERT ON sessions BEGIN
    INSERT INTO session_rank_counts (sort, level, bucket, status, app_id, n)
    SELECT l.sort, l.level, (CASE l.sort WHEN 1 THEN NEW.created_at WHEN 2 THEN COALESCE(NEW.expires_at, 9223372036854775807)
               WHEN 3 THEN NEW.last_active_at
               ELSE (COALESCE(unicode(substr(NEW.user_sort, 1, 1)), 0) << 42)
                    | (COALESCE(unicode(substr(NEW.user_sort, 2, 1)), 0) << 21)
                    | COALESCE(unicode(substr(NEW.user_sort, 3, 1)), 0) END) >> l.shift, NEW.status, NEW.app_id, 1
    FROM session_rank_levels l WHERE true
    ON CONFLICT (sort, level, bucket, status, app_id) DO UPDATE SET n = n + excluded.n;
END;
CREATE TRIGGER session_ranks_delete AFTER DELETE ON sessions BEGIN
    INSERT INTO session_rank_counts (sort, level, bucket, status, app_id, n)
    SELECT l.sort, l.level, (CASE l.sort WHEN 1 THEN OLD.created_at WHEN 2 THEN COALESCE(OLD.expires_at, 9223372036854775807)
               WHEN 3 THEN OLD.last_active_at
               ELSE (COALESCE(unicode(substr(OLD.user_sort, 1, 1)), 0) << 42)
                    | (COALESCE(unicode(substr(OLD.user_sort, 2, 1)), 0) << 21)
                    | COALESCE(unicode(substr(OLD.user_sort, 3, 1)), 0) END) >> l.shift, OLD.status, OLD.app_id, -1
    FROM session_rank_levels l WHERE true
    ON CONFLICT (sort, level, bucket, status, app_id) DO UPDATE SET n = n + excluded.n;
END;
-- Activity moves last_active_at on every flush: only a move into another 16-second stretch is counted. The old
-- row's stretches lose one and the new row's gain one; what stays in the same stretch adds up to nothing.
CREATE TRIGGER session_ranks_update
    AFTER UPDATE OF status, app_id, created_at, expires_at, last_active_at, user_sort ON sessions
    WHEN OLD.status IS NOT NEW.status OR OLD.app_id IS NOT NEW.app_id
        OR OLD.created_at >> 14 IS NOT NEW.created_at >> 14
        OR OLD.expires_at >> 14 IS NOT NEW.expires_at >> 14
        OR OLD.last_active_at >> 14 IS NOT NEW.last_active_at >> 14
        OR substr(OLD.user_sort, 1, 3) IS NOT substr(NEW.user_sort, 1, 3)
BEGIN
    INSERT INTO session_rank_counts (sort, level, bucket, status, app_id, n)
    SELECT sort, level, bucket, status, app_id, SUM(delta) FROM (
        SELECT l.sort, l.level, (CASE l.sort WHEN 1 THEN NEW.created_at WHEN 2 THEN COALESCE(NEW.expires_at, 9223372036854775807)
               WHEN 3 THEN NEW.last_active_at
               ELSE (COALESCE(unicode(substr(NEW.user_sort, 1, 1)), 0) << 42)
                    | (COALESCE(unicode(substr(NEW.user_sort, 2, 1)), 0) << 21)
                    | COALESCE(unicode(substr(NEW.user_sort, 3, 1)), 0) END) >> l.shift AS bucket,
               NEW.status AS status, NEW.app_id AS app_id, 1 AS delta
        FROM session_rank_levels l
        UNION ALL
        SELECT l.sort, l.level, (CASE l.sort WHEN 1 THEN OLD.created_at WHEN 2 THEN COALESCE(OLD.expires_at, 9223372036854775807)
               WHEN 3 THEN OLD.last_active_at
               ELSE (COALESCE(unicode(substr(OLD.user_sort, 1, 1)), 0) << 42)
                    | (COALESCE(unicode(substr(OLD.user_sort, 2, 1)), 0) << 21)
                    | COALESCE(unicode(substr(OLD.user_sort, 3, 1)), 0) END) >> l.shift, OLD.status, OLD.app_id, -1
        FROM session_rank_levels l
    ) WHERE true
    GROUP BY sort, level, bucket, status, app_id
    HAVING SUM(delta) <> 0
    ON CONFLICT (sort, level, bucket, status, app_id) DO UPDATE SET n = n + excluded.n;
END;

-- The finest level from the sessions, the coarser ones from it (the same statements as storage/recount.rs).
INSERT INTO session_rank_counts (sort, level, bucket, status, app_id, n)
SELECT l.sort, l.level, (CASE l.sort WHEN 1 THEN s.created_at WHEN 2 THEN COALESCE(s.expires_at, 9223372036854775807)
               WHEN 3 THEN s.last_active_at
               ELSE (COALESCE(unicode(substr(s.user_sort, 1, 1)), 0) << 42)
                    | (COALESCE(unicode(substr(s.user_sort, 2, 1)), 0) << 21)
                    | COALESCE(unicode(substr(s.user_sort, 3, 1)), 0) END) >> l.shift, s.status, s.app_id, COUNT(*)
FROM session_rank_levels l CROSS JOIN sessions s WHERE l.level = 2
GROUP BY 1, 2, 3, 4, 5;
INSERT INTO session_rank_counts (sort, level, bucket, status, app_id, n)
SELECT c.sort, coarse.level, c.bucket >> (coarse.shift - fine.shift), c.status, c.app_id, SUM(c.n)
FROM session_rank_counts c
JOIN session_rank_levels fine ON fine.sort = c.sort AND fine.level = c.level
JOIN session_rank_levels coarse ON coarse.sort = c.sort AND coarse.level < c.level
WHERE c.level = 2
GROUP BY 1, 2, 3, 4, 5;
