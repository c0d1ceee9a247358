//! Parsing the body and headers of `POST /v1/retrieval/jobs`, so that every
//! error names the field at fault.

use axum::http::HeaderMap;
use serde_json::{Map, Value};
use utoipa::ToSchema;

use crate::api::{ApiError, ApiResult};
use crate::domain::{
    ArtifactId, DockId, JobFilters, Metadata, MetadataError, RecipientId, Timestamp,
};
use crate::services::retrieval::CreateJob;

const MAX_ARTIFACT_IDS: usize = 1000;
const CREATE_FIELDS: [&str; 5] = [
    "dockId",
    "recipientId",
    "artifactIds",
    "metadata",
    "sinceTimestamp",
];

/// The body of `POST /v1/retrieval/jobs`. Unknown fields are refused.
#[derive(ToSchema)]
#[schema(as = CreateJobRequest)]
#[allow(dead_code)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateJobDoc {
    #[schema(example = "dock_01HQ3K0000000000000000000A")]
    dock_id: String,
    #[schema(example = "rcp_01HQ3N0000000000000000000A")]
    recipient_id: String,
    /// Specific artifacts (at most 1000); ones you cannot see come back as not_found items.
    artifact_ids: Option<Vec<String>>,
    /// Every pair must match exactly; keys [a-z0-9_]{1,64}, values up to 256 characters.
    metadata: Option<std::collections::HashMap<String, String>>,
    /// RFC 3339 with Z or ±hh:mm; only artifacts created strictly after it.
    #[schema(format = DateTime, example = "2025-01-14T00:00:00.000Z")]
    since_timestamp: Option<String>,
}

/// The optional `Idempotency-Key` header: 1 to 255 visible ASCII characters.
pub fn idempotency_key(headers: &HeaderMap) -> ApiResult<Option<String>> {
    let Some(value) = headers.get("idempotency-key") else {
        return Ok(None);
    };
    let key = value
        .to_str()
        .ok()
        .filter(|k| (1..=255).contains(&k.len()) && k.bytes().all(|b| b.is_ascii_graphic()))
        .ok_or_else(|| {
            ApiError::invalid(
                "Idempotency-Key",
                "Idempotency-Key must be 1 to 255 visible ASCII characters",
            )
        })?;
    Ok(Some(key.to_owned()))
}

pub fn parse_create(value: &Value) -> ApiResult<CreateJob> {
    let body = value.as_object().ok_or_else(|| {
        ApiError::bad_request("invalid_json", "the body must be a JSON object".into())
    })?;
    if let Some(unknown) = body.keys().find(|k| !CREATE_FIELDS.contains(&k.as_str())) {
        return Err(ApiError::unknown(unknown));
    }
    let dock_id = required_id(body, "dockId", DockId::parse)?;
    let recipient_id = required_id(body, "recipientId", RecipientId::parse)?;
    let filters = JobFilters {
        artifact_ids: present(body, "artifactIds")
            .map(parse_artifact_ids)
            .transpose()?,
        metadata: present(body, "metadata").map(parse_metadata).transpose()?,
        since_timestamp: present(body, "sinceTimestamp")
            .map(parse_since)
            .transpose()?,
    };
    Ok(CreateJob {
        dock_id,
        recipient_id,
        filters,
    })
}

/// A field that is absent or JSON null counts as not given.
fn present<'a>(body: &'a Map<String, Value>, name: &str) -> Option<&'a Value> {
    body.get(name).filter(|v| !v.is_null())
}

fn required_id<T, E: std::fmt::Display>(
    body: &Map<String, Value>,
    name: &str,
    parse: impl Fn(&str) -> Result<T, E>,
) -> ApiResult<T> {
    let value = present(body, name).ok_or_else(|| ApiError::missing(name))?;
    let raw = value
        .as_str()
        .ok_or_else(|| ApiError::invalid(name, format!("{name} must be a string")))?;
    if raw.is_empty() {
        return Err(ApiError::missing(name));
    }
    parse(raw).map_err(|e| ApiError::invalid(name, format!("{name} {e}")))
}

fn parse_artifact_ids(value: &Value) -> ApiResult<Vec<ArtifactId>> {
    let items = value
        .as_array()
        .ok_or_else(|| ApiError::invalid("artifactIds", "artifactIds must be an array of IDs"))?;
    if items.len() > MAX_ARTIFACT_IDS {
        return Err(ApiError::invalid(
            "artifactIds",
            format!("artifactIds may list at most {MAX_ARTIFACT_IDS} IDs"),
        ));
    }
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let param = format!("artifactIds[{i}]");
            item.as_str()
                .ok_or_else(|| ApiError::invalid(&param, format!("{param} must be a string")))
                .and_then(|raw| {
                    ArtifactId::parse(raw)
                        .map_err(|e| ApiError::invalid(&param, format!("{param} {e}")))
                })
        })
        .collect()
}

fn parse_metadata(value: &Value) -> ApiResult<Metadata> {
    Metadata::parse_json(value).map_err(|e| {
        let param = match &e {
            MetadataError::BadKey(k)
            | MetadataError::NotAString(k)
            | MetadataError::ValueTooLong(k) => {
                format!("metadata.{k}")
            }
            MetadataError::NotAnObject | MetadataError::TooManyPairs => "metadata".to_owned(),
        };
        ApiError::invalid(&param, format!("metadata {e}"))
    })
}

fn parse_since(value: &Value) -> ApiResult<Timestamp> {
    value
        .as_str()
        .ok_or(crate::domain::TimestampError)
        .and_then(Timestamp::parse_rfc3339)
        .map_err(|e| ApiError::invalid("sinceTimestamp", format!("sinceTimestamp {e}")))
}
