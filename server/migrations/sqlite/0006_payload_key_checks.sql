-- A fingerprint of each payload key (SHA-256 of a label and the key: it identifies the key without revealing
-- it), so a key file replaced by other keys under the same ids is refused at start instead of failing every
-- payload read.
CREATE TABLE payload_key_checks (
    key_id      INTEGER PRIMARY KEY,
    fingerprint BLOB NOT NULL,
    recorded_at INTEGER NOT NULL
);
