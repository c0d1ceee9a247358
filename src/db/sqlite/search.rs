//! The portal's document search: a recipient's visible artifacts on one
//! dock, newest first, with an optional window on `createdAt`.

use sqlx::{QueryBuilder, Row, Sqlite, SqlitePool};

use super::visibility::{push_conditions, Selection};
use crate::db::{ArtifactRecord, ArtifactSearch, DbResult};
use crate::domain::{ArtifactId, DockId, Metadata, Timestamp};

pub async fn search(
    pool: &SqlitePool,
    dock: &DockId,
    scopes: &[Metadata],
    search: &ArtifactSearch,
    limit: i64,
) -> DbResult<Vec<ArtifactRecord>> {
    let mut query = QueryBuilder::<Sqlite>::new(
        "SELECT a.id, a.dock_id, a.file_name, a.content_type, a.size_bytes, a.sha256, \
         a.metadata, a.created_at FROM artifacts a WHERE",
    );
    let selection = Selection {
        dock,
        scopes,
        filters: &search.filters,
        up_to: search.up_to,
    };
    push_conditions(&mut query, &selection);
    if let Some(until) = search.created_before {
        query.push(" AND a.created_at < ").push_bind(until.micros());
    }
    query
        .push(" ORDER BY a.created_at DESC LIMIT ")
        .push_bind(limit);

    let rows = query.build().fetch_all(pool).await?;
    rows.iter()
        .map(|row| {
            Ok(ArtifactRecord {
                id: row.try_get::<ArtifactId, _>("id")?,
                dock_id: row.try_get::<DockId, _>("dock_id")?,
                file_name: row.try_get("file_name")?,
                content_type: row.try_get("content_type")?,
                size_bytes: row.try_get("size_bytes")?,
                sha256: row.try_get("sha256")?,
                metadata: Metadata::from_stored_json(&row.try_get::<String, _>("metadata")?),
                created_at: Timestamp::from_micros(row.try_get("created_at")?),
                withdrawn: false,
            })
        })
        .collect()
}

pub async fn granted_docks(
    pool: &SqlitePool,
    recipient: &crate::domain::RecipientId,
) -> DbResult<Vec<DockId>> {
    let docks = sqlx::query_scalar!(
        r#"SELECT DISTINCT dock_id AS "dock_id: DockId" FROM grants
           WHERE recipient_id = ? ORDER BY dock_id"#,
        recipient
    )
    .fetch_all(pool)
    .await?;
    Ok(docks)
}
