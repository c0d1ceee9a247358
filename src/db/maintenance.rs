//! Upkeep the server runs now and then, apart from any request.

use async_trait::async_trait;

use super::DbResult;

/// What a refresh of the query planner's statistics did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatisticsRefresh {
    /// The yard is still small, so the statistics seeded at migration,
    /// which describe a large yard, stay: statistics taken from a handful
    /// of rows would plan the first bulk ingest's filters as dock scans.
    KeptSeeded { artifacts: i64 },
    /// Tables whose size changed tenfold since their statistics were taken
    /// were analysed again.
    Refreshed { artifacts: i64 },
}

#[async_trait]
pub trait MaintenanceStore: Send + Sync {
    /// Lets the planner learn what the data looks like now.
    async fn refresh_planner_statistics(&self) -> DbResult<StatisticsRefresh>;
}
