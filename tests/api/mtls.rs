//! Mutual TLS on the mortgagee channel: a mortgagee's key counts only with
//! a client certificate registered to the same recipient.

use docyard::domain::Persona;
use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};
use reqwest::Response;

use crate::helpers::{error_of, spawn_app, spawn_app_configured, TestApp};
use crate::tls_helpers::{client, register};

const JOBS: &str = "/v1/retrieval/jobs";

async fn refusal(response: Response) -> String {
    let (status, body) = error_of(response).await;
    assert_eq!(status, 401, "{body}");
    body["message"].as_str().expect("a message").to_owned()
}

async fn over_https(
    app: &TestApp,
    key: &str,
    identity: Option<&docyard::demo::tls::Issued>,
) -> Response {
    client(&app.tls, identity)
        .get(app.https_url(JOBS))
        .bearer_auth(key)
        .send()
        .await
        .expect("HTTPS request")
}

#[tokio::test]
async fn a_mortgagee_key_counts_only_with_its_own_registered_certificate() {
    let app = spawn_app().await;
    let lender = app
        .recipient(Persona::Mortgagee, &[("mortgagee_id", "M-1")])
        .await;
    let other = app
        .recipient(Persona::Mortgagee, &[("mortgagee_id", "M-2")])
        .await;
    let agent = app
        .recipient(Persona::Agent, &[("agent_code", "A-1")])
        .await;

    assert_eq!(
        app.get(&lender.key, JOBS).await.status(),
        200,
        "with its own certificate"
    );

    let plain = app
        .client
        .get(app.url(JOBS))
        .bearer_auth(&lender.key)
        .send()
        .await;
    let message = refusal(plain.expect("plain request")).await;
    assert!(
        message.contains("presented no client certificate"),
        "{message}"
    );
    let message = refusal(over_https(&app, &lender.key, None).await).await;
    assert!(
        message.contains("presented no client certificate"),
        "{message}"
    );

    let (others_client, url) = app.route_for(&other.key, JOBS);
    let borrowed = others_client.get(url).bearer_auth(&lender.key).send().await;
    let message = refusal(borrowed.expect("request")).await;
    assert!(
        message.contains("registered to another recipient"),
        "{message}"
    );

    let expired = app.tls.ca.client("lender", 60, 30).expect("expired cert");
    register(&app.server.state, &lender.id, &expired).await;
    let message = refusal(over_https(&app, &lender.key, Some(&expired)).await).await;
    assert!(message.contains("expired at"), "{message}");

    let stranger_ca = docyard::demo::tls::DemoCa::new("Somebody else").expect("CA");
    let stranger = stranger_ca.client("lender", 1, 30).expect("cert");
    let message = refusal(over_https(&app, &lender.key, Some(&stranger)).await).await;
    assert!(
        message.contains("not registered to this recipient"),
        "{message}"
    );

    assert_eq!(
        over_https(&app, &agent.key, None).await.status(),
        200,
        "agent keys need no certificate, over HTTPS too"
    );
}

fn escaped_pem(app: &TestApp, actor: &crate::helpers::Actor) -> String {
    let _ = app;
    let files = actor.cert.as_ref().expect("a mortgagee has a certificate");
    let pem = std::fs::read_to_string(&files.cert).expect("cert PEM");
    utf8_percent_encode(&pem, NON_ALPHANUMERIC).to_string()
}

async fn with_forwarded_cert(app: &TestApp, key: &str, header: &str, value: &str) -> Response {
    app.client
        .get(app.url(JOBS))
        .bearer_auth(key)
        .header(header, value)
        .send()
        .await
        .expect("request")
}

#[tokio::test]
async fn certificate_headers_count_only_from_listed_proxies() {
    for trusted in [false, true] {
        let app = spawn_app_configured(docyard::server::Worker::Run, |s| {
            if trusted {
                s.trusted_proxies = vec!["127.0.0.1".parse().expect("ip")];
            }
        })
        .await;
        let lender = app
            .recipient(Persona::Mortgagee, &[("mortgagee_id", "M-1")])
            .await;
        let pem = escaped_pem(&app, &lender);
        let envoy = format!("By=spiffe://docyard;Hash=abc;Cert=\"{pem}\"");

        let nginx = with_forwarded_cert(&app, &lender.key, "X-SSL-Client-Cert", &pem).await;
        let envoy = with_forwarded_cert(&app, &lender.key, "X-Forwarded-Client-Cert", &envoy).await;

        let expected = if trusted { 200 } else { 401 };
        assert_eq!(
            nginx.status(),
            expected,
            "X-SSL-Client-Cert, trusted proxy: {trusted}"
        );
        assert_eq!(
            envoy.status(),
            expected,
            "X-Forwarded-Client-Cert, trusted proxy: {trusted}"
        );
    }
}

#[tokio::test]
async fn a_client_ca_vouches_for_the_subjects_registered_under_it() {
    let app = spawn_app_configured(docyard::server::Worker::Run, |s| {
        s.client_ca = Some(s.data_dir.join("tls").join("ca.pem"));
    })
    .await;
    let lender = app
        .recipient(Persona::Mortgagee, &[("mortgagee_id", "M-1")])
        .await;
    let state = &app.server.state;
    let subject = docyard::db::NewClientCert {
        recipient_id: lender.id.clone(),
        fingerprint: None,
        subject: "CN=Lender Operations".to_owned(),
        not_after: None,
        label: "ops".to_owned(),
    };
    state
        .store
        .register_client_cert(&subject, state.clock.now())
        .await
        .expect("register subject");

    let issued = app.tls.ca.client("Lender Operations", 1, 30).expect("cert");
    let impostor_ca = docyard::demo::tls::DemoCa::new("Impostor").expect("CA");
    let impostor = impostor_ca
        .client("Lender Operations", 1, 30)
        .expect("cert");
    let wrong_subject = app.tls.ca.client("Someone Else", 1, 30).expect("cert");

    assert_eq!(
        over_https(&app, &lender.key, Some(&issued)).await.status(),
        200
    );
    let message = refusal(over_https(&app, &lender.key, Some(&impostor)).await).await;
    assert!(message.contains("not registered"), "{message}");
    refusal(over_https(&app, &lender.key, Some(&wrong_subject)).await).await;
}
