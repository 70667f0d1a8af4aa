-- "My sessions" warning signs look back 30 days from each session's sign-in, within one user's sessions:
-- whether they signed in at all (New location and New device need something to compare with), from this
-- country, with this browser and system. Without these, each look would read every session of the user.
CREATE INDEX sessions_user_created ON sessions (user_id, created_at);
CREATE INDEX sessions_user_country ON sessions (user_id, country, created_at);
CREATE INDEX sessions_user_browser_os ON sessions (user_id, browser, os, created_at);
