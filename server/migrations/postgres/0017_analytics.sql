-- Analytics without reading the sessions: active sessions per app by country, by browser and system, and by how
-- full their payload is against the app's limit (bands 0-25, 25-50, 50-75, 75-90, 90-100 %, and over a lowered
-- limit), kept by triggers in the writing transaction; and the most active sessions seen in each hour, per app,
-- written every minute from session_counts (and filled in from the sessions' own times on first start).
CREATE TABLE analytics_counts (
    app_id    BIGINT NOT NULL,
    dimension TEXT NOT NULL CHECK (dimension IN ('country', 'client', 'fill')),
    value     TEXT NOT NULL,
    n         BIGINT NOT NULL,
    PRIMARY KEY (app_id, dimension, value)
);

CREATE TABLE active_hours (
    hour   BIGINT NOT NULL,
    app_id BIGINT NOT NULL,
    active BIGINT NOT NULL,
    PRIMARY KEY (hour, app_id)
);

CREATE FUNCTION payload_band(bytes BIGINT, max_bytes BIGINT) RETURNS TEXT LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN bytes * 100 <= max_bytes * 25 THEN '0-25'
                WHEN bytes * 100 <= max_bytes * 50 THEN '25-50'
                WHEN bytes * 100 <= max_bytes * 75 THEN '50-75'
                WHEN bytes * 100 <= max_bytes * 90 THEN '75-90'
                WHEN bytes <= max_bytes THEN '90-100'
                ELSE 'over' END
$$;

INSERT INTO analytics_counts (app_id, dimension, value, n)
    SELECT app_id, 'country', COALESCE(country, ''), COUNT(*) FROM sessions WHERE status = 'active'
    GROUP BY app_id, COALESCE(country, '');
INSERT INTO analytics_counts (app_id, dimension, value, n)
    SELECT app_id, 'client', COALESCE(browser, '') || '|' || COALESCE(os, ''), COUNT(*) FROM sessions
    WHERE status = 'active' GROUP BY app_id, COALESCE(browser, '') || '|' || COALESCE(os, '');
INSERT INTO analytics_counts (app_id, dimension, value, n)
    SELECT s.app_id, 'fill', payload_band(s.payload_bytes, a.max_payload_bytes), COUNT(*)
    FROM sessions s JOIN apps a ON a.id = s.app_id WHERE s.status = 'active'
    GROUP BY s.app_id, payload_band(s.payload_bytes, a.max_payload_bytes);

-- Adds `delta` to the three counts of one session's row.
CREATE FUNCTION analytics_count(row_app BIGINT, row_country TEXT, row_browser TEXT, row_os TEXT, row_bytes BIGINT,
                                delta BIGINT, only_fill BOOLEAN) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF NOT only_fill THEN
        INSERT INTO analytics_counts (app_id, dimension, value, n)
            VALUES (row_app, 'country', COALESCE(row_country, ''), delta),
                   (row_app, 'client', COALESCE(row_browser, '') || '|' || COALESCE(row_os, ''), delta)
            ON CONFLICT (app_id, dimension, value) DO UPDATE SET n = analytics_counts.n + delta;
    END IF;
    INSERT INTO analytics_counts (app_id, dimension, value, n)
        SELECT row_app, 'fill', payload_band(row_bytes, max_payload_bytes), delta FROM apps WHERE id = row_app
        ON CONFLICT (app_id, dimension, value) DO UPDATE SET n = analytics_counts.n + delta;
END $$;

CREATE FUNCTION analytics_counts_track() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM analytics_count(NEW.app_id, NEW.country, NEW.browser, NEW.os, NEW.payload_bytes, 1, false);
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM analytics_count(OLD.app_id, OLD.country, OLD.browser, OLD.os, OLD.payload_bytes, -1, false);
    ELSIF NEW.status <> 'active' THEN
        PERFORM analytics_count(OLD.app_id, OLD.country, OLD.browser, OLD.os, OLD.payload_bytes, -1, false);
    ELSE
        PERFORM analytics_count(OLD.app_id, OLD.country, OLD.browser, OLD.os, OLD.payload_bytes, -1, true);
        PERFORM analytics_count(NEW.app_id, NEW.country, NEW.browser, NEW.os, NEW.payload_bytes, 1, true);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER analytics_counts_insert AFTER INSERT ON sessions
    FOR EACH ROW WHEN (NEW.status = 'active') EXECUTE FUNCTION analytics_counts_track();
CREATE TRIGGER analytics_counts_delete AFTER DELETE ON sessions
    FOR EACH ROW WHEN (OLD.status = 'active') EXECUTE FUNCTION analytics_counts_track();
CREATE TRIGGER analytics_counts_change AFTER UPDATE OF status, payload_bytes ON sessions
    FOR EACH ROW WHEN (OLD.status = 'active'
        AND (NEW.status <> 'active' OR OLD.payload_bytes IS DISTINCT FROM NEW.payload_bytes))
    EXECUTE FUNCTION analytics_counts_track();
