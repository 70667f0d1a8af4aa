-- The page or action an app last reported with a validation ("Dashboard"), shown as the session's last page.
ALTER TABLE sessions ADD COLUMN last_activity TEXT;
