//! The policyholder's door: SMS codes that are hashed, short-lived, burned
//! by five wrong tries, not replaced by a quick resend, rate limited, and
//! silent about which numbers are registered.

use docyard::domain::PhoneNumber;

use crate::door_helpers::{
    nth_code, policyholder, request_code, session_cookie, texts, verify_code,
};
use crate::helpers::spawn_app;
use crate::portal_helpers::page;

const POLICY: &str = "POL-1";
const PHONE: &str = "+15550100199";

#[tokio::test]
async fn a_texted_code_signs_a_policyholder_in_once() {
    let app = spawn_app().await;
    let who = policyholder(&app, POLICY, PHONE).await;

    let asked = request_code(&app, "+1 (555) 010-0199").await;
    assert_eq!(asked.status(), 200);
    let code = nth_code(&app, &who.phone, 1).await;
    let stored = app
        .server
        .state
        .store
        .attempt_sms_code(&who.phone, app.server.state.clock.now());
    let stored = stored.await.expect("attempt").expect("a live code");
    assert_ne!(stored.code_hash, code, "the code is stored hashed");
    assert_eq!(stored.code_hash.len(), 64);

    let cookie = session_cookie(&verify_code(&app, PHONE, &code).await);
    let documents = page(&app, Some(&cookie), "/policy").await;
    assert_eq!(documents.status(), 200);

    let again = verify_code(&app, PHONE, &code).await;
    assert_eq!(again.status(), 400, "a code works once");
}

#[tokio::test]
async fn unregistered_numbers_get_the_same_answers_and_no_text() {
    let app = spawn_app().await;
    let who = policyholder(&app, POLICY, PHONE).await;
    let stranger = "+15550100142";

    let registered = request_code(&app, PHONE).await;
    let unknown = request_code(&app, stranger).await;
    assert_eq!(registered.status(), unknown.status());
    assert_eq!(
        registered.text().await.expect("body"),
        unknown.text().await.expect("body")
    );
    nth_code(&app, &who.phone, 1).await;
    let stranger = PhoneNumber::parse(stranger).expect("phone");
    assert!(texts(&app, &stranger).await.is_empty());

    let wrong_known = verify_code(&app, PHONE, "000000").await;
    let wrong_unknown = verify_code(&app, stranger.as_str(), "000000").await;
    assert_eq!(wrong_known.status(), 400);
    assert_eq!(wrong_known.status(), wrong_unknown.status());
    assert_eq!(
        wrong_known.text().await.expect("body"),
        wrong_unknown.text().await.expect("body")
    );
}

#[tokio::test]
async fn five_wrong_tries_burn_the_code_and_a_quick_resend_resets_nothing() {
    let app = spawn_app().await;
    let who = policyholder(&app, POLICY, PHONE).await;
    request_code(&app, PHONE).await;
    let code = nth_code(&app, &who.phone, 1).await;
    let wrong = if code == "111111" { "222222" } else { "111111" };

    for left in [4, 3] {
        let refused = verify_code(&app, PHONE, wrong).await;
        assert_eq!(refused.status(), 400);
        let message = refused.text().await.expect("body");
        assert!(message.contains(&format!("{left} tries left")), "{message}");
    }
    // Within a minute: no new text, the same code, the same count.
    app.clock.advance_seconds(30);
    assert_eq!(request_code(&app, PHONE).await.status(), 200);
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    assert_eq!(texts(&app, &who.phone).await.len(), 1);
    let refused = verify_code(&app, PHONE, wrong).await;
    assert!(refused.text().await.expect("body").contains("2 tries left"));
    verify_code(&app, PHONE, wrong).await;
    let last = verify_code(&app, PHONE, wrong).await;
    assert!(last.text().await.expect("body").contains("last try"));

    let burned = verify_code(&app, PHONE, &code).await;
    assert_eq!(burned.status(), 400, "the right code no longer works");
    assert!(burned.text().await.expect("body").contains("no live code"));

    // Asked for again a minute after the last one, a burned code makes way
    // for a fresh one with a full budget of tries.
    app.clock.advance_seconds(30);
    request_code(&app, PHONE).await;
    let fresh = nth_code(&app, &who.phone, 2).await;
    assert_ne!(fresh, code);
    let refused = verify_code(&app, PHONE, &code).await;
    assert!(refused.text().await.expect("body").contains("4 tries left"));
    session_cookie(&verify_code(&app, PHONE, &fresh).await);
}

#[tokio::test]
async fn a_code_resent_after_a_minute_keeps_its_count_of_wrong_tries() {
    let app = spawn_app().await;
    let who = policyholder(&app, POLICY, PHONE).await;
    request_code(&app, PHONE).await;
    let first = nth_code(&app, &who.phone, 1).await;
    let wrong = if first == "111111" {
        "222222"
    } else {
        "111111"
    };
    for _ in 0..3 {
        verify_code(&app, PHONE, wrong).await;
    }

    app.clock.advance_seconds(61);
    request_code(&app, PHONE).await;
    let second = nth_code(&app, &who.phone, 2).await;
    let wrong = if second == "111111" {
        "222222"
    } else {
        "111111"
    };
    let refused = verify_code(&app, PHONE, wrong).await;

    assert!(
        refused.text().await.expect("body").contains("1 try left"),
        "a resend must not reset the budget"
    );
}

#[tokio::test]
async fn codes_expire_after_five_minutes() {
    let app = spawn_app().await;
    let who = policyholder(&app, POLICY, PHONE).await;
    request_code(&app, PHONE).await;
    let code = nth_code(&app, &who.phone, 1).await;
    app.clock.advance_seconds(5 * 60);
    let late = verify_code(&app, PHONE, &code).await;
    assert_eq!(late.status(), 400);
    assert!(late.text().await.expect("body").contains("expired"));
}

#[tokio::test]
async fn code_requests_are_limited_per_phone_and_per_address() {
    let app = spawn_app().await;
    for _ in 0..5 {
        assert_eq!(request_code(&app, PHONE).await.status(), 200);
    }
    let per_phone = request_code(&app, PHONE).await;
    assert_eq!(per_phone.status(), 429);
    let retry_after = per_phone.headers().get("retry-after").map(|v| v.to_str());
    let retry_after: u64 = retry_after
        .expect("Retry-After")
        .expect("text")
        .parse()
        .expect("seconds");
    assert!(
        (600..=3600).contains(&retry_after),
        "one an hour: {retry_after}"
    );
    assert!(per_phone
        .text()
        .await
        .expect("body")
        .contains("this number"));

    for n in 0..4 {
        let other = format!("+1555010020{n}");
        assert_eq!(request_code(&app, &other).await.status(), 200);
    }
    let per_address = request_code(&app, "+15550100300").await;
    assert_eq!(per_address.status(), 429);
    assert!(per_address
        .text()
        .await
        .expect("body")
        .contains("your network"));
}

#[tokio::test]
async fn bad_numbers_and_codes_are_named() {
    let app = spawn_app().await;
    let bad_phone = request_code(&app, "555-0199").await;
    assert_eq!(bad_phone.status(), 400);
    assert!(bad_phone
        .text()
        .await
        .expect("body")
        .contains("Mobile number"));
    let bad_code = verify_code(&app, PHONE, "12ab56").await;
    assert_eq!(bad_code.status(), 400);
    assert!(bad_code.text().await.expect("body").contains("Code"));
}

/// A wrong code from a client behind a listed proxy, as the address it
/// forwards for.
async fn verify_from(app: &crate::helpers::TestApp, from: &str, code: &str) -> reqwest::Response {
    use app::api_doors::VerifyCode;
    use leptos::server_fn::ServerFn;
    crate::portal_helpers::browser()
        .post(app.url(VerifyCode::PATH))
        .header("origin", crate::portal_helpers::own_origin(app))
        .header("x-forwarded-for", from)
        .form(&[("phone", PHONE), ("code", code)])
        .send()
        .await
        .expect("verify")
}

#[tokio::test]
async fn wrong_tries_from_many_addresses_share_the_phones_budget() {
    let app = crate::helpers::spawn_app_configured(docyard::server::Worker::Run, |settings| {
        settings.trusted_proxies = vec!["127.0.0.1".parse().expect("address")];
    })
    .await;
    let who = policyholder(&app, POLICY, PHONE).await;
    request_code(&app, PHONE).await;
    let code = nth_code(&app, &who.phone, 1).await;
    let wrong = if code == "111111" { "222222" } else { "111111" };

    for (n, from) in [
        "198.51.100.1",
        "198.51.100.2",
        "2001:db8::1",
        "203.0.113.4",
        "192.0.2.5",
    ]
    .into_iter()
    .enumerate()
    {
        let refused = verify_from(&app, from, wrong).await;
        assert_eq!(refused.status(), 400, "try {n} from {from}");
    }
    let burned = verify_from(&app, "192.0.2.99", &code).await;
    assert_eq!(burned.status(), 400);
    assert!(burned.text().await.expect("body").contains("no live code"));
}

#[tokio::test]
async fn code_tries_are_limited_per_address_whatever_the_number() {
    let app = spawn_app().await;
    let mut statuses = Vec::new();
    for n in 0..31 {
        let phone = format!("+1555010{n:04}");
        statuses.push(verify_code(&app, &phone, "123456").await.status().as_u16());
    }
    assert!(statuses[..30].iter().all(|s| *s == 400), "{statuses:?}");
    assert_eq!(
        statuses[30], 429,
        "the 31st try from one address in a burst"
    );
}

/// Calls the framework cannot decode are the caller's mistake, not ours.
#[tokio::test]
async fn undecodable_calls_are_a_400_naming_the_field_not_a_500() {
    use app::api_doors::RequestCode;
    use leptos::server_fn::ServerFn;

    let app = spawn_app().await;
    let send = |body: String| {
        let app = &app;
        async move {
            let response = crate::portal_helpers::browser()
                .post(app.url(RequestCode::PATH))
                .header("origin", crate::portal_helpers::own_origin(app))
                .header("content-type", "application/x-www-form-urlencoded")
                .body(body)
                .send()
                .await
                .expect("call");
            let status = response.status().as_u16();
            (status, response.text().await.expect("body"))
        }
    };
    let (status, missing) = send(String::new()).await;
    assert_eq!(status, 400, "{missing}");
    assert!(missing.contains("phone"), "{missing}");
    let (status, twice) = send("phone=%2B15550100177&phone=%2B15550100199".into()).await;
    assert_eq!(status, 400, "{twice}");
    assert!(twice.contains("phone"), "{twice}");
    let (status, huge) = send(format!("phone={}", "1".repeat(3 << 20))).await;
    assert_eq!(status, 413, "{huge}");
}
