//! Text messages: the HTTP backend against a fake provider on a loopback
//! port, and `docyard sms outbox` over what the development backend kept.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::extract::Form;
use axum::http::{header, HeaderMap, Method, StatusCode, Uri};
use base64::Engine;
use docyard::clock::OffsetClock;
use docyard::config::{HttpSmsSettings, SmsAuthToken};
use docyard::db::{AuditStore, PolicyholderStore, SqliteStore};
use docyard::domain::{PhoneNumber, Timestamp};
use docyard::sms::{HttpSender, OutboxSender, SmsError, SmsSender};
use serde_json::Value;

/// One request as the fake provider received it.
#[derive(Debug, Clone)]
struct Received {
    method: Method,
    path: String,
    authorization: Option<String>,
    form: HashMap<String, String>,
}

/// A provider on a loopback port that answers every request with `status`
/// and the JSON `body`, and keeps what it was sent.
async fn fake_provider(
    status: StatusCode,
    body: &'static str,
) -> (url::Url, Arc<Mutex<Vec<Received>>>) {
    let received = Arc::new(Mutex::new(Vec::new()));
    let kept = received.clone();
    let app = axum::Router::new().fallback(
        move |method: Method,
              uri: Uri,
              headers: HeaderMap,
              Form(form): Form<HashMap<String, String>>| {
            let kept = kept.clone();
            async move {
                let authorization = headers
                    .get(header::AUTHORIZATION)
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_owned);
                kept.lock().expect("lock").push(Received {
                    method,
                    path: uri.path().to_owned(),
                    authorization,
                    form,
                });
                (status, [(header::CONTENT_TYPE, "application/json")], body)
            }
        },
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let address = listener.local_addr().expect("address");
    tokio::spawn(async move { axum::serve(listener, app).await });
    let url = url::Url::parse(&format!("http://{address}")).expect("URL");
    (url, received)
}

fn http_sender(api_url: url::Url) -> HttpSender {
    HttpSender::new(&HttpSmsSettings {
        api_url,
        account_sid: "AC0123".to_owned(),
        auth_token: SmsAuthToken::new("s3cret-token".to_owned()),
        from: phone("+15550100100"),
    })
}

fn phone(raw: &str) -> PhoneNumber {
    PhoneNumber::parse(raw).expect("phone number")
}

#[tokio::test]
async fn the_http_sender_posts_a_form_with_basic_auth_to_the_account_messages() {
    let (api_url, received) =
        fake_provider(StatusCode::CREATED, r#"{"sid": "SM1", "status": "queued"}"#).await;
    let sender = http_sender(api_url);

    sender
        .send(&phone("+15550100199"), "Your DocYard code is 123456")
        .await
        .expect("accepted");

    let received = received.lock().expect("lock").clone();
    assert_eq!(received.len(), 1);
    let request = &received[0];
    assert_eq!(request.method, Method::POST);
    assert_eq!(request.path, "/2010-04-01/Accounts/AC0123/Messages.json");
    let credentials = base64::engine::general_purpose::STANDARD.encode("AC0123:s3cret-token");
    assert_eq!(
        request.authorization.as_deref(),
        Some(format!("Basic {credentials}").as_str())
    );
    assert_eq!(request.form["To"], "+15550100199");
    assert_eq!(request.form["From"], "+15550100100");
    assert_eq!(request.form["Body"], "Your DocYard code is 123456");
}

#[tokio::test]
async fn a_provider_error_is_a_refusal_carrying_its_message() {
    let answer = r#"{"code": 21211, "message": "The 'To' number is not a valid phone number.",
        "more_info": "https://www.twilio.com/docs/errors/21211", "status": 400}"#;
    let (api_url, _) = fake_provider(StatusCode::BAD_REQUEST, answer).await;

    let error = http_sender(api_url)
        .send(&phone("+15550100199"), "Your DocYard code is 123456")
        .await
        .expect_err("refused");

    match error {
        SmsError::Refused(message) => {
            assert_eq!(message, "The 'To' number is not a valid phone number.")
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[tokio::test]
async fn a_provider_error_without_a_message_is_a_refusal_naming_the_status() {
    let (api_url, _) = fake_provider(StatusCode::SERVICE_UNAVAILABLE, "not JSON").await;

    let error = http_sender(api_url)
        .send(&phone("+15550100199"), "Your DocYard code is 123456")
        .await
        .expect_err("refused");

    match error {
        SmsError::Refused(message) => assert!(message.contains("503"), "{message}"),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[tokio::test]
async fn a_provider_that_does_not_listen_is_unreachable() {
    let closed_port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.local_addr().expect("address").port()
    };
    let api_url = url::Url::parse(&format!("http://127.0.0.1:{closed_port}")).expect("URL");

    let error = http_sender(api_url)
        .send(&phone("+15550100199"), "Your DocYard code is 123456")
        .await
        .expect_err("unreachable");

    assert!(matches!(error, SmsError::Unreachable(_)), "{error:?}");
}

async fn docyard_sms_outbox(data_dir: &std::path::Path, args: &[&str]) -> String {
    let output = tokio::process::Command::new(env!("CARGO_BIN_EXE_docyard"))
        .arg("--data-dir")
        .arg(data_dir)
        .args(["sms", "outbox"])
        .args(args)
        .env("DOCYARD_LOG", "error")
        .output()
        .await
        .expect("docyard runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("UTF-8")
}

#[tokio::test]
async fn the_outbox_command_lists_what_the_outbox_sender_wrote_newest_first() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = SqliteStore::open(&dir.path().join("docyard.db"))
        .await
        .expect("database");
    let clock = Arc::new(OffsetClock::default());
    let sender = OutboxSender::new(Arc::new(store), clock.clone());
    for (to, body) in [
        ("+15550100199", "first code 111111"),
        ("+15550100200", "second code 222222"),
        ("+15550100199", "third code 333333"),
    ] {
        sender.send(&phone(to), body).await.expect("written");
        clock.advance_seconds(60);
    }

    let all = docyard_sms_outbox(dir.path(), &["--json"]).await;
    let latest_to_one = docyard_sms_outbox(
        dir.path(),
        &["--json", "--phone", "+1 555 010 0199", "--limit", "1"],
    )
    .await;
    let text = docyard_sms_outbox(dir.path(), &[]).await;

    let all: Vec<Value> = serde_json::from_str(&all).expect("JSON array");
    let bodies: Vec<&str> = all.iter().filter_map(|m| m["body"].as_str()).collect();
    assert_eq!(
        bodies,
        [
            "third code 333333",
            "second code 222222",
            "first code 111111"
        ]
    );
    assert_eq!(all[1]["phone"], "+15550100200");
    let sent_at: Vec<Timestamp> = all
        .iter()
        .map(|m| {
            let raw = m["sentAt"].as_str().expect("sentAt");
            Timestamp::parse_rfc3339(raw).expect("RFC 3339")
        })
        .collect();
    assert!(sent_at.windows(2).all(|w| w[0] > w[1]), "{sent_at:?}");
    let latest: Vec<Value> = serde_json::from_str(&latest_to_one).expect("JSON array");
    assert_eq!(latest.len(), 1);
    assert_eq!(latest[0]["phone"], "+15550100199");
    assert_eq!(latest[0]["body"], "third code 333333");
    assert!(
        text.contains("to +15550100200\nsecond code 222222"),
        "{text}"
    );
    let reads = store_at(dir.path())
        .await
        .audit_events(0, 10)
        .await
        .expect("trail");
    let reads = reads
        .iter()
        .filter(|r| r.event.action == "admin_sms_outbox")
        .count();
    assert_eq!(reads, 3, "each read of live codes is on the trail");

    // The server forgets day-old messages: they hold codes in plain text.
    let store = store_at(dir.path()).await;
    let cutoff =
        Timestamp::parse_rfc3339(all[1]["sentAt"].as_str().expect("sentAt")).expect("RFC 3339");
    assert_eq!(store.prune_outbox(cutoff).await.expect("pruned"), 1);
    let left = store.outbox(None, 10).await.expect("outbox");
    let left: Vec<&str> = left.iter().map(|m| m.body.as_str()).collect();
    assert_eq!(left, ["third code 333333", "second code 222222"]);
}

async fn store_at(dir: &std::path::Path) -> SqliteStore {
    SqliteStore::open(&dir.join("docyard.db"))
        .await
        .expect("database")
}
