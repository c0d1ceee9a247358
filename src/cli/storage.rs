//! The serve flags that choose where artifact bytes are kept. Admin
//! commands read the same `DOCYARD_*` variables, so `ingest` writes where
//! `serve` reads.

use crate::config::{ObjectStoreSettings, S3Settings, Secret};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ObjectStoreKind {
    /// Files under <data-dir>/objects.
    Local,
    /// An S3-compatible bucket.
    S3,
}

#[derive(Debug, Clone, clap::Args)]
pub struct StorageArgs {
    /// Where artifact bytes are kept.
    #[arg(long, env = "DOCYARD_OBJECT_STORE", value_enum, default_value_t = ObjectStoreKind::Local)]
    object_store: ObjectStoreKind,
    /// The bucket that holds the objects.
    #[arg(long, env = "DOCYARD_S3_BUCKET")]
    s3_bucket: Option<String>,
    #[arg(long, env = "DOCYARD_S3_REGION", default_value = "us-east-1")]
    s3_region: String,
    /// The store's address when it is not AWS, such as http://127.0.0.1:9000.
    #[arg(long, env = "DOCYARD_S3_ENDPOINT", value_parser = parse_endpoint)]
    s3_endpoint: Option<url::Url>,
    #[arg(long, env = "DOCYARD_S3_ACCESS_KEY_ID")]
    s3_access_key_id: Option<String>,
    #[arg(
        long,
        env = "DOCYARD_S3_SECRET_ACCESS_KEY",
        hide_env_values = true,
        value_parser = parse_secret
    )]
    s3_secret_access_key: Option<Secret>,
    /// Address buckets as host/bucket (most S3-compatible servers) rather
    /// than bucket.host (AWS).
    #[arg(
        long,
        env = "DOCYARD_S3_PATH_STYLE",
        default_value_t = true,
        action = clap::ArgAction::Set
    )]
    s3_path_style: bool,
}

impl StorageArgs {
    pub fn settings(&self) -> anyhow::Result<ObjectStoreSettings> {
        if self.object_store == ObjectStoreKind::Local {
            return Ok(ObjectStoreSettings::Local);
        }
        let given = |value: &Option<String>| {
            value
                .as_deref()
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_owned)
        };
        let (bucket, key_id) = (given(&self.s3_bucket), given(&self.s3_access_key_id));
        let secret = self
            .s3_secret_access_key
            .clone()
            .filter(|s| !s.expose().trim().is_empty());
        let (Some(bucket), Some(access_key_id), Some(secret_access_key)) =
            (bucket.clone(), key_id.clone(), secret.clone())
        else {
            let missing: Vec<&str> = [
                (bucket.is_none(), "--s3-bucket (DOCYARD_S3_BUCKET)"),
                (
                    key_id.is_none(),
                    "--s3-access-key-id (DOCYARD_S3_ACCESS_KEY_ID)",
                ),
                (
                    secret.is_none(),
                    "--s3-secret-access-key (DOCYARD_S3_SECRET_ACCESS_KEY)",
                ),
            ]
            .into_iter()
            .filter_map(|(absent, flag)| absent.then_some(flag))
            .collect();
            anyhow::bail!("--object-store s3 needs {}", missing.join(" and "));
        };
        Ok(ObjectStoreSettings::S3(S3Settings {
            bucket,
            region: self.s3_region.clone(),
            endpoint: self.s3_endpoint.clone(),
            access_key_id,
            secret_access_key,
            path_style: self.s3_path_style,
        }))
    }
}

fn parse_endpoint(raw: &str) -> anyhow::Result<url::Url> {
    let url = url::Url::parse(raw)?;
    anyhow::ensure!(
        matches!(url.scheme(), "http" | "https"),
        "must be an http:// or https:// URL"
    );
    Ok(url)
}

fn parse_secret(raw: &str) -> Result<Secret, std::convert::Infallible> {
    Ok(Secret::new(raw.to_owned()))
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;

    #[derive(Parser)]
    struct Only {
        #[command(flatten)]
        storage: StorageArgs,
    }

    fn settings(args: &[&str]) -> anyhow::Result<ObjectStoreSettings> {
        let args = std::iter::once("docyard").chain(args.iter().copied());
        Only::try_parse_from(args)
            .expect("flags parse")
            .storage
            .settings()
    }

    #[test]
    fn s3_without_its_bucket_and_keys_names_what_is_missing() {
        let error = settings(&[
            "--object-store",
            "s3",
            "--s3-access-key-id",
            "AK",
            "--s3-secret-access-key",
            " ",
        ])
        .expect_err("incomplete settings");

        let message = error.to_string();
        assert!(
            message.contains("--s3-bucket (DOCYARD_S3_BUCKET)"),
            "{message}"
        );
        assert!(message.contains("--s3-secret-access-key"), "{message}");
        assert!(!message.contains("--s3-access-key-id"), "{message}");
    }

    #[test]
    fn s3_with_its_settings_builds_them_and_local_is_the_default() {
        assert!(matches!(settings(&[]), Ok(ObjectStoreSettings::Local)));
        let built = settings(&[
            "--object-store",
            "s3",
            "--s3-bucket",
            "docs",
            "--s3-endpoint",
            "http://127.0.0.1:9000",
            "--s3-access-key-id",
            "AK",
            "--s3-secret-access-key",
            "SK",
        ])
        .expect("complete settings");

        let ObjectStoreSettings::S3(s3) = built else {
            panic!("expected S3 settings, got {built:?}");
        };
        assert_eq!(s3.bucket, "docs");
        assert_eq!(s3.region, "us-east-1");
        assert_eq!(s3.secret_access_key.expose(), "SK");
        assert!(s3.path_style);
        assert!(
            !format!("{s3:?}").contains("SK\""),
            "the secret is never printed"
        );
    }
}
