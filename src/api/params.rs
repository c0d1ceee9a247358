//! Query-string parameters, checked by name so errors can name them.

use std::collections::HashMap;

use axum::extract::rejection::QueryRejection;
use axum::extract::Query;

use super::ApiError;

pub struct QueryParams(HashMap<String, String>);

impl QueryParams {
    /// Accepts only the `allowed` names; anything else is a 400 naming it.
    pub fn parse(
        query: Result<Query<Vec<(String, String)>>, QueryRejection>,
        allowed: &[&str],
    ) -> Result<Self, ApiError> {
        let Query(pairs) = query.map_err(|e| {
            ApiError::bad_request(
                "query_invalid",
                format!("the query string is malformed: {e}"),
            )
        })?;
        let mut map = HashMap::new();
        for (name, value) in pairs {
            if !allowed.contains(&name.as_str()) {
                return Err(ApiError::unknown(&name));
            }
            if map.insert(name.clone(), value).is_some() {
                return Err(ApiError::invalid(
                    &name,
                    format!("{name} may be given only once"),
                ));
            }
        }
        Ok(Self(map))
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(String::as_str)
    }

    /// `limit`, 1 to `max`, with a default.
    pub fn limit(&self, default: i64, max: i64) -> Result<i64, ApiError> {
        match self.get("limit") {
            None => Ok(default),
            Some(raw) => raw
                .parse::<i64>()
                .ok()
                .filter(|n| (1..=max).contains(n))
                .ok_or_else(|| {
                    ApiError::invalid(
                        "limit",
                        format!("limit must be a whole number from 1 to {max}"),
                    )
                }),
        }
    }
}
