//! Docks, recipients, grants and API keys.

use sqlx::{SqliteConnection, SqlitePool};

use super::persona;
use crate::db::{
    AuthenticatedKey, DbError, DbResult, DockRecord, KeyOwner, KeySummary, RecipientRecord,
};
use crate::domain::{DockId, KeyId, Metadata, Persona, RecipientId, Timestamp};

/// `last_used_at` is refreshed at most this often, so that authenticating
/// is not a database write on every request.
const LAST_USED_RESOLUTION_MICROS: i64 = 60_000_000;

pub async fn create_dock(pool: &SqlitePool, name: &str, now: Timestamp) -> DbResult<DockRecord> {
    let id = DockId::generate();
    let created_at = now.micros();
    sqlx::query!(
        "INSERT INTO docks (id, name, created_at, last_artifact_at) VALUES (?, ?, ?, 0)",
        id,
        name,
        created_at
    )
    .execute(pool)
    .await?;
    Ok(DockRecord {
        id,
        name: name.to_owned(),
        created_at: now,
    })
}

pub async fn dock(pool: &SqlitePool, id: &DockId) -> DbResult<Option<DockRecord>> {
    let row = sqlx::query!(
        r#"SELECT id AS "id: DockId", name, created_at FROM docks WHERE id = ?"#,
        id
    )
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| DockRecord {
        id: r.id,
        name: r.name,
        created_at: Timestamp::from_micros(r.created_at),
    }))
}

pub async fn list_docks(pool: &SqlitePool) -> DbResult<Vec<DockRecord>> {
    let rows = sqlx::query!(
        r#"SELECT id AS "id: DockId", name, created_at FROM docks ORDER BY created_at"#
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| DockRecord {
            id: r.id,
            name: r.name,
            created_at: Timestamp::from_micros(r.created_at),
        })
        .collect())
}

pub async fn create_recipient(
    pool: &SqlitePool,
    persona: Persona,
    display_name: &str,
    now: Timestamp,
) -> DbResult<RecipientRecord> {
    let id = RecipientId::generate();
    let (persona_name, created_at) = (persona.as_str(), now.micros());
    sqlx::query!(
        "INSERT INTO recipients (id, persona, display_name, created_at) VALUES (?, ?, ?, ?)",
        id,
        persona_name,
        display_name,
        created_at
    )
    .execute(pool)
    .await?;
    Ok(RecipientRecord {
        id,
        persona,
        display_name: display_name.to_owned(),
    })
}

pub async fn recipient(pool: &SqlitePool, id: &RecipientId) -> DbResult<Option<RecipientRecord>> {
    let row = sqlx::query!(
        r#"SELECT id AS "id: RecipientId", persona, display_name FROM recipients WHERE id = ?"#,
        id
    )
    .fetch_optional(pool)
    .await?;
    row.map(|r| {
        Ok(RecipientRecord {
            id: r.id,
            persona: persona(&r.persona)?,
            display_name: r.display_name,
        })
    })
    .transpose()
}

pub async fn create_grant(
    pool: &SqlitePool,
    recipient: &RecipientId,
    dock: &DockId,
    scope: &Metadata,
    now: Timestamp,
) -> DbResult<()> {
    let (scope, created_at) = (scope.to_json(), now.micros());
    sqlx::query!(
        "INSERT INTO grants (recipient_id, dock_id, scope, created_at) VALUES (?, ?, ?, ?)",
        recipient,
        dock,
        scope,
        created_at
    )
    .execute(pool)
    .await?;
    Ok(())
}

pub async fn grant_scopes(
    pool: &SqlitePool,
    recipient: &RecipientId,
    dock: &DockId,
) -> DbResult<Vec<Metadata>> {
    grant_scopes_in(&mut *pool.acquire().await?, recipient, dock).await
}

pub async fn grant_scopes_in(
    conn: &mut SqliteConnection,
    recipient: &RecipientId,
    dock: &DockId,
) -> DbResult<Vec<Metadata>> {
    let rows = sqlx::query_scalar!(
        "SELECT scope FROM grants WHERE recipient_id = ? AND dock_id = ? ORDER BY id",
        recipient,
        dock
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .iter()
        .map(|raw| Metadata::from_stored_json(raw))
        .collect())
}

pub async fn create_api_key(
    pool: &SqlitePool,
    owner: &KeyOwner,
    key_hash: &str,
    display_prefix: &str,
    label: &str,
    now: Timestamp,
) -> DbResult<KeyId> {
    let id = KeyId::generate();
    let (recipient_id, dock_id) = match owner {
        KeyOwner::Recipient(r) => (Some(r.id.clone()), None),
        KeyOwner::Uploader(dock) => (None, Some(dock.clone())),
    };
    let created_at = now.micros();
    sqlx::query!(
        "INSERT INTO api_keys (id, key_hash, display_prefix, recipient_id, dock_id, label, \
         created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        id,
        key_hash,
        display_prefix,
        recipient_id,
        dock_id,
        label,
        created_at
    )
    .execute(pool)
    .await?;
    Ok(id)
}

pub async fn list_api_keys(pool: &SqlitePool) -> DbResult<Vec<KeySummary>> {
    let rows = sqlx::query!(
        r#"SELECT id AS "id: KeyId", display_prefix, recipient_id, dock_id, label, created_at,
                  revoked_at, last_used_at
           FROM api_keys ORDER BY created_at"#
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| KeySummary {
            id: r.id,
            display_prefix: r.display_prefix,
            owner: match (r.recipient_id, r.dock_id) {
                (Some(recipient), _) => recipient,
                (None, Some(dock)) => format!("uploader for {dock}"),
                (None, None) => String::new(),
            },
            label: r.label,
            created_at: Timestamp::from_micros(r.created_at),
            revoked_at: r.revoked_at.map(Timestamp::from_micros),
            last_used_at: r.last_used_at.map(Timestamp::from_micros),
        })
        .collect())
}

pub async fn revoke_api_key(pool: &SqlitePool, id: &KeyId, now: Timestamp) -> DbResult<()> {
    let revoked_at = now.micros();
    let done = sqlx::query!(
        "UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
        revoked_at,
        id
    )
    .execute(pool)
    .await?;
    if done.rows_affected() == 0 {
        return Err(DbError::NotFound("active API key"));
    }
    Ok(())
}

pub async fn authenticate(
    reader: &SqlitePool,
    writer: &SqlitePool,
    key_hash: &str,
    now: Timestamp,
) -> DbResult<Option<AuthenticatedKey>> {
    let Some(row) = sqlx::query!(
        r#"SELECT k.id AS "id: KeyId", k.dock_id AS "dock_id: DockId", k.last_used_at,
                  r.id AS "recipient_id?: RecipientId", r.persona AS "persona?",
                  r.display_name AS "display_name?"
           FROM api_keys k LEFT JOIN recipients r ON r.id = k.recipient_id
           WHERE k.key_hash = ? AND k.revoked_at IS NULL"#,
        key_hash
    )
    .fetch_optional(reader)
    .await?
    else {
        return Ok(None);
    };

    let owner = match (row.recipient_id, row.persona, row.display_name, row.dock_id) {
        (Some(id), Some(p), Some(display_name), None) => KeyOwner::Recipient(RecipientRecord {
            id,
            persona: persona(&p)?,
            display_name,
        }),
        (None, _, _, Some(dock)) => KeyOwner::Uploader(dock),
        _ => return Err(DbError::Corrupt(format!("API key {} has no owner", row.id))),
    };

    let stale = row
        .last_used_at
        .is_none_or(|at| now.micros() - at >= LAST_USED_RESOLUTION_MICROS);
    if stale {
        let used_at = now.micros();
        sqlx::query!(
            "UPDATE api_keys SET last_used_at = ? WHERE id = ?",
            used_at,
            row.id
        )
        .execute(writer)
        .await?;
    }
    Ok(Some(AuthenticatedKey {
        key_id: row.id,
        owner,
    }))
}
