-- The payload keys themselves, so every node sharing the database holds the same ring: each data key sealed
-- (AES-256-GCM, its id as associated data) by the master key every node is given, never stored in the clear.
-- The highest id is the current key; `roster keys rotate` adds one.
CREATE TABLE payload_keys (
    id         BIGINT PRIMARY KEY,
    wrapped    BYTEA NOT NULL,
    created_at BIGINT NOT NULL
);
