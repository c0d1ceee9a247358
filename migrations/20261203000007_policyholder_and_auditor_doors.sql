-- The policyholder's and the auditor's ways in: phone numbers with their
-- one-time codes, the SMS outbox of the development backend, and auditors'
-- badges.

CREATE TABLE policyholder_phones (
    -- E.164, as parsed at the edge: '+' and digits only.
    phone TEXT PRIMARY KEY NOT NULL,
    recipient_id TEXT NOT NULL REFERENCES recipients (id),
    created_at INTEGER NOT NULL
);

CREATE INDEX policyholder_phones_by_recipient ON policyholder_phones (recipient_id);

-- One live code per phone number, registered or not: an unregistered
-- number gets a row too (its code is never sent), so that both behave the
-- same to someone probing.
CREATE TABLE sms_codes (
    phone TEXT PRIMARY KEY NOT NULL,
    -- HMAC-SHA256 of the code under the server's key; a bare hash of six
    -- digits would be reversed in a second.
    code_hash TEXT NOT NULL,
    sent_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    -- Wrong tries against this phone's codes; five burn them.
    failed_attempts INTEGER NOT NULL DEFAULT 0
);

-- What the development SMS backend "sent", for `docyard sms outbox`.
CREATE TABLE sms_outbox (
    id INTEGER PRIMARY KEY,
    phone TEXT NOT NULL,
    body TEXT NOT NULL,
    sent_at INTEGER NOT NULL
);

CREATE TABLE auditors (
    recipient_id TEXT PRIMARY KEY NOT NULL REFERENCES recipients (id),
    badge_id TEXT NOT NULL UNIQUE,
    -- Lower-case hex SHA-256 of the auditor's signed NDA.
    nda_sha256 TEXT NOT NULL,
    failed_attempts INTEGER NOT NULL DEFAULT 0,
    locked_until INTEGER,
    created_at INTEGER NOT NULL
);
