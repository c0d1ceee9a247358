//! The one query shape that is built at run time: which artifacts of a dock
//! a recipient may see and asked for. The number of grant scopes, metadata
//! pairs and requested IDs varies, so it cannot be a fixed statement; every
//! value is still a bound parameter.

use sqlx::{QueryBuilder, Sqlite};

use crate::domain::{DockId, JobFilters, Metadata, Timestamp};

/// Artifacts of `dock` created up to `up_to`, inside one of `scopes` (OR),
/// matching every filter (AND). The caller has checked `scopes` is not
/// empty: no grant means nothing is visible.
pub struct Selection<'a> {
    pub dock: &'a DockId,
    pub scopes: &'a [Metadata],
    pub filters: &'a JobFilters,
    pub up_to: Timestamp,
}

/// Appends the WHERE conditions over the artifact alias `a`.
pub fn push_conditions(query: &mut QueryBuilder<Sqlite>, selection: &Selection<'_>) {
    let dock = selection.dock.as_str().to_owned();
    query.push(" a.dock_id = ").push_bind(dock.clone());
    query.push(" AND a.tombstoned_at IS NULL AND a.created_at <= ");
    query.push_bind(selection.up_to.micros());

    query.push(" AND (");
    for (i, scope) in selection.scopes.iter().enumerate() {
        if i > 0 {
            query.push(" OR ");
        }
        query.push("(1");
        push_pairs(query, &dock, scope);
        query.push(")");
    }
    query.push(")");

    if let Some(metadata) = &selection.filters.metadata {
        push_pairs(query, &dock, metadata);
    }
    if let Some(since) = selection.filters.since_timestamp {
        query.push(" AND a.created_at > ").push_bind(since.micros());
    }
    if let Some(ids) = &selection.filters.artifact_ids {
        query.push(" AND a.id IN (");
        let mut list = query.separated(", ");
        for id in ids {
            list.push_bind(id.as_str().to_owned());
        }
        if ids.is_empty() {
            list.push("NULL");
        }
        query.push(")");
    }
}

/// Each pair becomes a lookup in the metadata index rather than a scan.
fn push_pairs(query: &mut QueryBuilder<Sqlite>, dock: &str, pairs: &Metadata) {
    for (key, value) in pairs.iter() {
        query.push(" AND a.id IN (SELECT artifact_id FROM artifact_metadata WHERE dock_id = ");
        query.push_bind(dock.to_owned());
        query.push(" AND key = ").push_bind(key.to_owned());
        query.push(" AND value = ").push_bind(value.to_owned());
        query.push(")");
    }
}

#[cfg(test)]
mod tests {
    use sqlx::Row;

    use super::*;
    use crate::db::sqlite::SqliteStore;

    async fn plan(selection: &Selection<'_>) -> Vec<String> {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = SqliteStore::open(&dir.path().join("plan.db"))
            .await
            .expect("store");
        let mut query =
            QueryBuilder::<Sqlite>::new("EXPLAIN QUERY PLAN SELECT a.id FROM artifacts a WHERE");
        push_conditions(&mut query, selection);
        let rows = query.build().fetch_all(&store.reader).await.expect("plan");
        rows.iter().map(|r| r.get::<String, _>("detail")).collect()
    }

    #[tokio::test]
    async fn a_metadata_filter_is_answered_from_the_pair_index_not_a_dock_scan() {
        let dock = DockId::generate();
        let scope = Metadata::from_pairs([("mortgagee_id", "MTG-1")]).expect("scope");
        let filters = JobFilters {
            metadata: Some(Metadata::from_pairs([("policy_number", "P-1")]).expect("metadata")),
            since_timestamp: Some(Timestamp::EPOCH),
            ..JobFilters::default()
        };
        let selection = Selection {
            dock: &dock,
            scopes: &[scope],
            filters: &filters,
            up_to: Timestamp::EPOCH,
        };

        let plan = plan(&selection).await;

        assert!(
            plan.iter()
                .any(|step| step.contains("artifact_metadata_by_pair")),
            "{plan:?}"
        );
        assert!(
            !plan
                .iter()
                .any(|step| step.contains("sqlite_autoindex_artifacts_2")),
            "the dock is scanned by createdAt: {plan:?}"
        );
    }
}
