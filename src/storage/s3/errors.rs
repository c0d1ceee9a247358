//! The SDK's errors in words an operator acts on.

use aws_sdk_s3::config::http::HttpResponse;
use aws_sdk_s3::error::{DisplayErrorContext, SdkError};

use crate::storage::StorageError;

/// Why the bucket did not let DocYard in, with what to check.
pub fn bucket_refused<E>(bucket: &str, error: &SdkError<E, HttpResponse>) -> StorageError
where
    E: std::error::Error + Send + Sync + 'static,
{
    let reason = match error {
        SdkError::DispatchFailure(_) => format!(
            "cannot connect to the S3 endpoint ({}); check DOCYARD_S3_ENDPOINT",
            DisplayErrorContext(error)
        ),
        SdkError::TimeoutError(_) => {
            "the S3 endpoint did not answer in time; check DOCYARD_S3_ENDPOINT".to_owned()
        }
        _ => match error.raw_response().map(|r| r.status().as_u16()) {
            Some(403) => format!(
                "access to bucket {bucket} is denied (HTTP 403); check \
                 DOCYARD_S3_ACCESS_KEY_ID and DOCYARD_S3_SECRET_ACCESS_KEY, and that the \
                 key may list the bucket"
            ),
            Some(404) => format!("bucket {bucket} does not exist (HTTP 404)"),
            Some(status) => format!("bucket {bucket} answered HTTP {status}"),
            None => DisplayErrorContext(error).to_string(),
        },
    };
    StorageError::Unreachable(reason)
}

/// A failure of the store or of the way to it, with the SDK's whole story.
/// No answer, or a 5xx, is the store being down: a client may try again.
pub fn other<E>(key: &str, doing: &str, error: SdkError<E, HttpResponse>) -> StorageError
where
    E: std::error::Error + Send + Sync + 'static,
{
    let story = format!(
        "{doing} object {key} in S3 failed: {}",
        DisplayErrorContext(&error)
    );
    let down = matches!(
        error,
        SdkError::DispatchFailure(_) | SdkError::TimeoutError(_) | SdkError::ResponseError(_)
    ) || error
        .raw_response()
        .is_some_and(|r| r.status().is_server_error());
    if down {
        StorageError::Unreachable(story)
    } else {
        StorageError::Io(std::io::Error::other(story))
    }
}
