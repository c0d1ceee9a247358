//! Artifact metadata: a flat map of string to string with bounded keys and
//! values.

use std::collections::BTreeMap;

use serde::Serialize;

const MAX_PAIRS: usize = 32;
const MAX_KEY_LEN: usize = 64;
const MAX_VALUE_CHARS: usize = 256;

/// Validated metadata. Keys are `[a-z0-9_]{1,64}`, values at most 256
/// characters, at most 32 pairs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Metadata(BTreeMap<String, String>);

/// What is wrong with a metadata object, naming the offending key when
/// there is one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MetadataError {
    #[error("must be a JSON object of string values")]
    NotAnObject,
    #[error("may hold at most {MAX_PAIRS} pairs")]
    TooManyPairs,
    #[error("key {0:?} must match [a-z0-9_]{{1,64}}")]
    BadKey(String),
    #[error("value of {0:?} must be a string")]
    NotAString(String),
    #[error("value of {0:?} must be at most {MAX_VALUE_CHARS} characters")]
    ValueTooLong(String),
}

impl Metadata {
    pub fn parse_json(value: &serde_json::Value) -> Result<Self, MetadataError> {
        let object = value.as_object().ok_or(MetadataError::NotAnObject)?;
        if object.len() > MAX_PAIRS {
            return Err(MetadataError::TooManyPairs);
        }
        let mut pairs = BTreeMap::new();
        for (key, value) in object {
            let value = value
                .as_str()
                .ok_or_else(|| MetadataError::NotAString(key.clone()))?;
            let (key, value) = Self::check_pair(key, value)?;
            pairs.insert(key, value);
        }
        Ok(Self(pairs))
    }

    pub fn from_pairs<K, V>(pairs: impl IntoIterator<Item = (K, V)>) -> Result<Self, MetadataError>
    where
        K: AsRef<str>,
        V: AsRef<str>,
    {
        let mut map = BTreeMap::new();
        for (key, value) in pairs {
            let (key, value) = Self::check_pair(key.as_ref(), value.as_ref())?;
            map.insert(key, value);
        }
        if map.len() > MAX_PAIRS {
            return Err(MetadataError::TooManyPairs);
        }
        Ok(Self(map))
    }

    fn check_pair(key: &str, value: &str) -> Result<(String, String), MetadataError> {
        let key_ok = !key.is_empty()
            && key.len() <= MAX_KEY_LEN
            && key
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        if !key_ok {
            return Err(MetadataError::BadKey(key.to_owned()));
        }
        if value.chars().count() > MAX_VALUE_CHARS {
            return Err(MetadataError::ValueTooLong(key.to_owned()));
        }
        Ok((key.to_owned(), value.to_owned()))
    }

    /// Trusted input: what this code itself stored earlier.
    pub fn from_stored_json(raw: &str) -> Self {
        Self(serde_json::from_str(raw).unwrap_or_default())
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(&self.0).unwrap_or_else(|_| "{}".to_owned())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn get(&self, key: &str) -> Option<&str> {
        self.0.get(key).map(String::as_str)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// Every pair of `scope` is in `self`.
    pub fn contains_all(&self, scope: &Metadata) -> bool {
        scope.iter().all(|(k, v)| self.get(k) == Some(v))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_flat_object_of_strings_is_accepted() {
        let metadata = Metadata::parse_json(&json!({"policy_number": "POL-1", "state": "TX"}));

        assert_eq!(metadata.expect("valid").get("state"), Some("TX"));
    }

    #[test]
    fn bad_shapes_are_named() {
        assert_eq!(
            Metadata::parse_json(&json!([])),
            Err(MetadataError::NotAnObject)
        );
        assert_eq!(
            Metadata::parse_json(&json!({"Policy": "x"})),
            Err(MetadataError::BadKey("Policy".into()))
        );
        assert_eq!(
            Metadata::parse_json(&json!({"n": 1})),
            Err(MetadataError::NotAString("n".into()))
        );
        assert_eq!(
            Metadata::parse_json(&json!({"v": "x".repeat(257)})),
            Err(MetadataError::ValueTooLong("v".into()))
        );
        let many: serde_json::Map<_, _> = (0..33).map(|i| (format!("k{i}"), json!("v"))).collect();
        assert_eq!(
            Metadata::parse_json(&many.into()),
            Err(MetadataError::TooManyPairs)
        );
    }
}
