-- Client certificates that vouch for a mortgagee's API key over mutual TLS.
-- Either one exact certificate (its SHA-256 fingerprint) or, with a client
-- CA configured, any certificate that CA issued to a registered subject.

CREATE TABLE client_certs (
    id TEXT PRIMARY KEY NOT NULL,
    recipient_id TEXT NOT NULL REFERENCES recipients (id),
    -- Lower-case hex SHA-256 of the certificate's DER; NULL for a subject.
    fingerprint TEXT UNIQUE,
    subject TEXT NOT NULL,
    -- End of the registered certificate's validity; NULL for a subject.
    not_after INTEGER,
    label TEXT NOT NULL,
    created_at INTEGER NOT NULL
);

CREATE INDEX client_certs_by_recipient ON client_certs (recipient_id);
CREATE INDEX client_certs_by_subject ON client_certs (subject);
