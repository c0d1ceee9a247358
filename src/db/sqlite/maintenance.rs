//! Keeping the query planner's statistics in step with the data.

use async_trait::async_trait;

use super::SqliteStore;
use crate::db::{DbResult, MaintenanceStore, StatisticsRefresh};

/// Below this many artifacts the seeded statistics are kept.
pub const REAL_STATISTICS_FROM: i64 = 10_000;

#[async_trait]
impl MaintenanceStore for SqliteStore {
    async fn refresh_planner_statistics(&self) -> DbResult<StatisticsRefresh> {
        let artifacts = sqlx::query_scalar!(r#"SELECT count(*) AS "n!: i64" FROM artifacts"#)
            .fetch_one(&self.reader)
            .await?;
        if artifacts < REAL_STATISTICS_FROM {
            return Ok(StatisticsRefresh::KeptSeeded { artifacts });
        }
        // 0x10002 looks at every table, not only those this connection has
        // queried, and analyses the ones whose size moved tenfold; SQLite
        // bounds the work per index. Reader connections pick the new
        // statistics up when the pool replaces them (30 minutes at most).
        sqlx::raw_sql("PRAGMA optimize = 0x10002")
            .execute(&self.writer)
            .await?;
        Ok(StatisticsRefresh::Refreshed { artifacts })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn artifact_statistics(store: &SqliteStore) -> Vec<String> {
        sqlx::query_scalar!(
            r#"SELECT stat AS "stat!: String" FROM sqlite_stat1
               WHERE tbl = 'artifacts' ORDER BY idx"#
        )
        .fetch_all(&store.writer)
        .await
        .expect("statistics")
    }

    /// Artifacts `first..=last` straight into the tables: the store's own
    /// inserts would take far longer and are not what this is about.
    async fn add_artifacts(store: &SqliteStore, first: i64, last: i64) {
        sqlx::raw_sql(
            "INSERT OR IGNORE INTO docks (id, name, created_at, last_artifact_at)
             VALUES ('dock_stats', 'stats', 0, 0)",
        )
        .execute(&store.writer)
        .await
        .expect("dock");
        sqlx::query(
            "WITH RECURSIVE n(i) AS (SELECT ? UNION ALL SELECT i + 1 FROM n WHERE i < ?)
             INSERT INTO artifacts (id, dock_id, file_name, content_type, size_bytes, sha256,
                                    metadata, created_at)
             SELECT 'art_' || i, 'dock_stats', 'f.pdf', 'application/pdf', 1, '', '{}', i
             FROM n",
        )
        .bind(first)
        .bind(last)
        .execute(&store.writer)
        .await
        .expect("artifacts");
    }

    #[tokio::test]
    async fn a_small_yard_keeps_the_seeded_statistics_and_a_large_one_gets_real_ones() {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = SqliteStore::open(&dir.path().join("stats.db"))
            .await
            .expect("store");
        let seeded = artifact_statistics(&store).await;
        assert!(
            seeded.iter().any(|s| s.starts_with("1000000 ")),
            "{seeded:?}"
        );

        add_artifacts(&store, 1, 20).await;
        let small = store.refresh_planner_statistics().await.expect("refresh");
        assert_eq!(small, StatisticsRefresh::KeptSeeded { artifacts: 20 });
        assert_eq!(artifact_statistics(&store).await, seeded);

        add_artifacts(&store, 21, REAL_STATISTICS_FROM).await;
        let large = store.refresh_planner_statistics().await.expect("refresh");
        assert_eq!(
            large,
            StatisticsRefresh::Refreshed {
                artifacts: REAL_STATISTICS_FROM
            }
        );
        let real = artifact_statistics(&store).await;
        let counted = format!("{REAL_STATISTICS_FROM} ");
        assert!(real.iter().all(|s| s.starts_with(&counted)), "{real:?}");
    }
}
