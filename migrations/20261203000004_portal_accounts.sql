-- Portal accounts: the people who sign in to the browser portal, their
-- passkeys, the one-time invites that enrol them, and their sessions.

CREATE TABLE portal_users (
    id TEXT PRIMARY KEY NOT NULL,
    recipient_id TEXT NOT NULL REFERENCES recipients (id),
    -- The email or handle typed at sign-in, stored lower-cased.
    handle TEXT NOT NULL UNIQUE,
    -- The WebAuthn user handle: random, so it reveals nothing about the user.
    webauthn_id TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL
);

CREATE TABLE invites (
    -- SHA-256 of the token in the link; the token itself is never stored.
    token_hash TEXT PRIMARY KEY NOT NULL,
    recipient_id TEXT NOT NULL REFERENCES recipients (id),
    handle TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at INTEGER
);

CREATE TABLE passkeys (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES portal_users (id),
    -- base64url of the credential ID, as authenticators report it.
    credential_id TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    -- webauthn-rs's serialised Passkey, including its signature counter.
    passkey TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    last_used_at INTEGER
);

CREATE INDEX passkeys_by_user ON passkeys (user_id);

CREATE TABLE sessions (
    id TEXT PRIMARY KEY NOT NULL,
    data TEXT NOT NULL,
    expires_at INTEGER NOT NULL
);
