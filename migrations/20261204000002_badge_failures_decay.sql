-- When a badge last failed to sign in. Failures count towards the lock only
-- while they come within the lock's length of each other, so five typos
-- spread over a month no longer lock an auditor out.

ALTER TABLE auditors ADD COLUMN last_failed_at INTEGER;
