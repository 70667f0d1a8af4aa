-- Why each session ended, as a code its holder is told (the app API's 401, the console's sign-in page), and
-- whether the admin who ended it chose to tell them their reason. Sessions ended before this stay NULL.
ALTER TABLE sessions ADD COLUMN end_cause TEXT;
ALTER TABLE sessions ADD COLUMN end_reason_shared BIGINT NOT NULL DEFAULT 0;
