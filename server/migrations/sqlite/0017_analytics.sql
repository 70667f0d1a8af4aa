-- Analytics without reading the sessions: active sessions per app by country, by browser and system, and by how
-- full their payload is against the app's limit (bands 0-25, 25-50, 50-75, 75-90, 90-100 %, and over a lowered
-- limit), kept by triggers in the writing transaction; and the most active sessions seen in each hour, per app,
-- written every minute from session_counts (and filled in from the sessions' own times on first start).
CREATE TABLE analytics_counts (
    app_id    INTEGER NOT NULL,
    dimension TEXT NOT NULL CHECK (dimension IN ('country', 'client', 'fill')),
    value     TEXT NOT NULL,
    n         INTEGER NOT NULL,
    PRIMARY KEY (app_id, dimension, value)
);

CREATE TABLE active_hours (
    hour   INTEGER NOT NULL,
    app_id INTEGER NOT NULL,
    active INTEGER NOT NULL,
    PRIMARY KEY (hour, app_id)
);

INSERT INTO analytics_counts (app_id, dimension, value, n)
    SELECT app_id, 'country', COALESCE(country, ''), COUNT(*) FROM sessions WHERE status = 'active'
    GROUP BY app_id, COALESCE(country, '');
INSERT INTO analytics_counts (app_id, dimension, value, n)
    SELECT app_id, 'client', COALESCE(browser, '') || '|' || COALESCE(os, ''), COUNT(*) FROM sessions
    WHERE status = 'active' GROUP BY app_id, COALESCE(browser, '') || '|' || COALESCE(os, '');
INSERT INTO analytics_counts (app_id, dimension, value, n)
    SELECT s.app_id, 'fill',
        CASE WHEN s.payload_bytes * 100 <= a.max_payload_bytes * 25 THEN '0-25'
             WHEN s.payload_bytes * 100 <= a.max_payload_bytes * 50 THEN '25-50'
             WHEN s.payload_bytes * 100 <= a.max_payload_bytes * 75 THEN '50-75'
             WHEN s.payload_bytes * 100 <= a.max_payload_bytes * 90 THEN '75-90'
             WHEN s.payload_bytes <= a.max_payload_bytes THEN '90-100'
             ELSE 'over' END AS band,
        COUNT(*)
    FROM sessions s JOIN apps a ON a.id = s.app_id WHERE s.status = 'active' GROUP BY s.app_id, band;

CREATE TRIGGER analytics_counts_insert AFTER INSERT ON sessions WHEN NEW.status = 'active' BEGIN
    INSERT INTO analytics_counts (app_id, dimension, value, n) VALUES
        (NEW.app_id, 'country', COALESCE(NEW.country, ''), 1),
        (NEW.app_id, 'client', COALESCE(NEW.browser, '') || '|' || COALESCE(NEW.os, ''), 1),
        (NEW.app_id, 'fill', (SELECT CASE WHEN NEW.payload_bytes * 100 <= max_payload_bytes * 25 THEN '0-25'
             WHEN NEW.payload_bytes * 100 <= max_payload_bytes * 50 THEN '25-50'
             WHEN NEW.payload_bytes * 100 <= max_payload_bytes * 75 THEN '50-75'
             WHEN NEW.payload_bytes * 100 <= max_payload_bytes * 90 THEN '75-90'
             WHEN NEW.payload_bytes <= max_payload_bytes THEN '90-100'
             ELSE 'over' END FROM apps WHERE id = NEW.app_id), 1)
        ON CONFLICT (app_id, dimension, value) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER analytics_counts_end AFTER UPDATE OF status ON sessions
WHEN OLD.status = 'active' AND NEW.status <> 'active' BEGIN
    UPDATE analytics_counts SET n = n - 1 WHERE app_id = OLD.app_id AND dimension = 'country'
        AND value = COALESCE(OLD.country, '');
    UPDATE analytics_counts SET n = n - 1 WHERE app_id = OLD.app_id AND dimension = 'client'
        AND value = COALESCE(OLD.browser, '') || '|' || COALESCE(OLD.os, '');
    UPDATE analytics_counts SET n = n - 1 WHERE app_id = OLD.app_id AND dimension = 'fill'
        AND value = (SELECT CASE WHEN OLD.payload_bytes * 100 <= max_payload_bytes * 25 THEN '0-25'
             WHEN OLD.payload_bytes * 100 <= max_payload_bytes * 50 THEN '25-50'
             WHEN OLD.payload_bytes * 100 <= max_payload_bytes * 75 THEN '50-75'
             WHEN OLD.payload_bytes * 100 <= max_payload_bytes * 90 THEN '75-90'
             WHEN OLD.payload_bytes <= max_payload_bytes THEN '90-100'
             ELSE 'over' END FROM apps WHERE id = OLD.app_id);
END;

CREATE TRIGGER analytics_counts_delete AFTER DELETE ON sessions WHEN OLD.status = 'active' BEGIN
    UPDATE analytics_counts SET n = n - 1 WHERE app_id = OLD.app_id AND dimension = 'country'
        AND value = COALESCE(OLD.country, '');
    UPDATE analytics_counts SET n = n - 1 WHERE app_id = OLD.app_id AND dimension = 'client'
        AND value = COALESCE(OLD.browser, '') || '|' || COALESCE(OLD.os, '');
    UPDATE analytics_counts SET n = n - 1 WHERE app_id = OLD.app_id AND dimension = 'fill'
        AND value = (SELECT CASE WHEN OLD.payload_bytes * 100 <= max_payload_bytes * 25 THEN '0-25'
             WHEN OLD.payload_bytes * 100 <= max_payload_bytes * 50 THEN '25-50'
             WHEN OLD.payload_bytes * 100 <= max_payload_bytes * 75 THEN '50-75'
             WHEN OLD.payload_bytes * 100 <= max_payload_bytes * 90 THEN '75-90'
             WHEN OLD.payload_bytes <= max_payload_bytes THEN '90-100'
             ELSE 'over' END FROM apps WHERE id = OLD.app_id);
END;

CREATE TRIGGER analytics_counts_payload AFTER UPDATE OF payload_bytes ON sessions
WHEN OLD.status = 'active' AND NEW.status = 'active' AND OLD.payload_bytes <> NEW.payload_bytes BEGIN
    UPDATE analytics_counts SET n = n - 1 WHERE app_id = OLD.app_id AND dimension = 'fill'
        AND value = (SELECT CASE WHEN OLD.payload_bytes * 100 <= max_payload_bytes * 25 THEN '0-25'
             WHEN OLD.payload_bytes * 100 <= max_payload_bytes * 50 THEN '25-50'
             WHEN OLD.payload_bytes * 100 <= max_payload_bytes * 75 THEN '50-75'
             WHEN OLD.payload_bytes * 100 <= max_payload_bytes * 90 THEN '75-90'
             WHEN OLD.payload_bytes <= max_payload_bytes THEN '90-100'
             ELSE 'over' END FROM apps WHERE id = OLD.app_id);
    INSERT INTO analytics_counts (app_id, dimension, value, n) VALUES
        (NEW.app_id, 'fill', (SELECT CASE WHEN NEW.payload_bytes * 100 <= max_payload_bytes * 25 THEN '0-25'
             WHEN NEW.payload_bytes * 100 <= max_payload_bytes * 50 THEN '25-50'
             WHEN NEW.payload_bytes * 100 <= max_payload_bytes * 75 THEN '50-75'
             WHEN NEW.payload_bytes * 100 <= max_payload_bytes * 90 THEN '75-90'
             WHEN NEW.payload_bytes <= max_payload_bytes THEN '90-100'
             ELSE 'over' END FROM apps WHERE id = NEW.app_id), 1)
        ON CONFLICT (app_id, dimension, value) DO UPDATE SET n = n + 1;
END;
