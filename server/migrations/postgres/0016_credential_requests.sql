-- Requests per app API key and admin token, per hour, added by each node's flush (so several nodes sum): the
-- Apps page shows the last 24 hours' sum, a window that slides by the hour. Old hours are pruned by the flush.
CREATE TABLE credential_requests (
    kind          TEXT NOT NULL,
    credential_id BIGINT NOT NULL,
    hour          BIGINT NOT NULL,
    requests      BIGINT NOT NULL,
    PRIMARY KEY (kind, credential_id, hour)
);
CREATE INDEX credential_requests_by_hour ON credential_requests (hour);
