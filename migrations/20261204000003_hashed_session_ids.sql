-- Sessions are now stored under a SHA-256 of their ID. Rows written before
-- hold the ID itself, which a copy of the database could replay as a
-- cookie; they can no longer be found anyway, so they go. Everyone signed
-- in signs in again once.

DELETE FROM sessions;
