-- Idempotency-Key on POST /v1/retrieval/jobs: the same key and body within
-- 24 hours gives back the same job. Scoped to the API key that sent it.
CREATE TABLE idempotency_keys (
    api_key_id TEXT NOT NULL REFERENCES api_keys (id),
    idempotency_key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    job_id TEXT NOT NULL REFERENCES jobs (id),
    created_at INTEGER NOT NULL,
    PRIMARY KEY (api_key_id, idempotency_key)
) WITHOUT ROWID;
