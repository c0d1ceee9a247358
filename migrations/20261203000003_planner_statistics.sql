-- Tells SQLite's query planner, before any ANALYZE has run, how selective
-- the indexes are: a metadata pair narrows a dock to a handful of artifacts,
-- so a metadata filter is answered from artifact_metadata_by_pair instead of
-- a scan of the dock by (dock_id, created_at). Without these rows a fresh
-- database plans that scan. Statistics an ANALYZE already wrote are kept.
ANALYZE;

INSERT INTO sqlite_stat1 (tbl, idx, stat)
SELECT seed.tbl, seed.idx, seed.stat
FROM (
    SELECT 'artifacts' AS tbl, 'sqlite_autoindex_artifacts_1' AS idx, '1000000 1' AS stat
    UNION ALL SELECT 'artifacts', 'sqlite_autoindex_artifacts_2', '1000000 100000 1'
    UNION ALL SELECT 'artifact_metadata', 'artifact_metadata_by_pair', '4000000 400000 40000 20 1'
    UNION ALL SELECT 'artifact_metadata', 'sqlite_autoindex_artifact_metadata_1', '4000000 4 1'
) AS seed
WHERE NOT EXISTS (SELECT 1 FROM sqlite_stat1 s WHERE s.tbl = seed.tbl AND s.idx = seed.idx);
