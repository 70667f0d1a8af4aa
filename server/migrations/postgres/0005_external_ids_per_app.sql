-- An external id is the id a user has in one app (a Firebase uid, a row id): two apps may give the same id to
-- different people, and one app must not reach another app's users by naming their ids.
CREATE TABLE user_external_ids (
    app_id      BIGINT NOT NULL REFERENCES apps (id),
    external_id TEXT NOT NULL,
    user_id     BIGINT NOT NULL REFERENCES users (id),
    created_at  BIGINT NOT NULL,
    PRIMARY KEY (app_id, external_id),
    UNIQUE (app_id, user_id)
);

-- An id bound before ids had an app stays valid in every app that has sessions for its user.
INSERT INTO user_external_ids (app_id, external_id, user_id, created_at)
SELECT DISTINCT s.app_id, u.external_id, u.id, u.updated_at
FROM users u JOIN sessions s ON s.user_id = u.id JOIN apps a ON a.id = s.app_id
WHERE u.external_id IS NOT NULL AND a.slug <> 'console';

ALTER TABLE users DROP COLUMN external_id;
