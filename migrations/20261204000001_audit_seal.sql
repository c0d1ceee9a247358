-- The audit trail's seal: a single row naming the newest record, with a MAC
-- made with the server's signing key. Every append rewrites it in the same
-- transaction. `docyard audit verify` checks that it names the last record,
-- which shows records cut off the end of the trail and a chain recomputed
-- by someone without the key.

CREATE TABLE audit_seal (
    id INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
    seq INTEGER NOT NULL,
    hash TEXT NOT NULL,
    mac TEXT NOT NULL
);
