-- DocYard's first schema. Instants are INTEGER microseconds since the Unix
-- epoch, UTC: exact, and compared as plain integers.

CREATE TABLE docks (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    -- createdAt of the newest artifact; uploads take max(now, this + 1 µs)
    -- so createdAt is strictly increasing within the dock.
    last_artifact_at INTEGER NOT NULL
);

CREATE TABLE artifacts (
    id TEXT PRIMARY KEY NOT NULL,
    dock_id TEXT NOT NULL REFERENCES docks (id),
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    metadata TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    tombstoned_at INTEGER,
    UNIQUE (dock_id, created_at)
);

-- One row per metadata pair, so that a filter on a pair is an index lookup
-- instead of a scan of the dock.
CREATE TABLE artifact_metadata (
    artifact_id TEXT NOT NULL REFERENCES artifacts (id),
    dock_id TEXT NOT NULL,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (artifact_id, key)
) WITHOUT ROWID;

CREATE INDEX artifact_metadata_by_pair ON artifact_metadata (dock_id, key, value, artifact_id);

CREATE TABLE recipients (
    id TEXT PRIMARY KEY NOT NULL,
    persona TEXT NOT NULL CHECK (persona IN ('mortgagee', 'agent', 'policyholder', 'auditor')),
    display_name TEXT NOT NULL,
    created_at INTEGER NOT NULL
);

CREATE TABLE grants (
    id INTEGER PRIMARY KEY,
    recipient_id TEXT NOT NULL REFERENCES recipients (id),
    dock_id TEXT NOT NULL REFERENCES docks (id),
    -- JSON object; every pair must be in an artifact's metadata.
    scope TEXT NOT NULL,
    created_at INTEGER NOT NULL
);

CREATE INDEX grants_by_recipient ON grants (recipient_id, dock_id);

CREATE TABLE api_keys (
    id TEXT PRIMARY KEY NOT NULL,
    key_hash TEXT NOT NULL UNIQUE,
    display_prefix TEXT NOT NULL,
    recipient_id TEXT REFERENCES recipients (id),
    -- Set for a carrier's uploader key instead of a recipient.
    dock_id TEXT REFERENCES docks (id),
    label TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER,
    last_used_at INTEGER,
    CHECK ((recipient_id IS NULL) <> (dock_id IS NULL))
);

CREATE TABLE jobs (
    id TEXT PRIMARY KEY NOT NULL,
    dock_id TEXT NOT NULL REFERENCES docks (id),
    recipient_id TEXT NOT NULL REFERENCES recipients (id),
    filters TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('PENDING', 'RUNNING', 'COMPLETED', 'FAILED')),
    total_count INTEGER NOT NULL DEFAULT 0,
    ready_count INTEGER NOT NULL DEFAULT 0,
    error_count INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    started_at INTEGER,
    completed_at INTEGER,
    sync_watermark INTEGER,
    failure_reason TEXT
);

CREATE INDEX jobs_by_recipient ON jobs (recipient_id, created_at DESC, id DESC);
CREATE INDEX jobs_unfinished ON jobs (created_at) WHERE status IN ('PENDING', 'RUNNING');

-- The job's snapshot: one row per artifact it will deliver or report.
-- artifact_id has no foreign key: a requested ID that does not exist is
-- kept as a not_found item.
CREATE TABLE job_items (
    job_id TEXT NOT NULL REFERENCES jobs (id),
    position INTEGER NOT NULL,
    artifact_id TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('pending', 'ready', 'error')),
    error_code TEXT,
    error_message TEXT,
    PRIMARY KEY (job_id, position)
) WITHOUT ROWID;
