//! Walks every route the server answers against the access table in
//! `src/server/access.rs`: as anonymous, as each persona, and as another
//! recipient of the allowed persona.

use docyard::domain::{ArtifactId, JobId, Persona, RecipientId, Timestamp};
use docyard::server::access::{unlisted, Access, RouteRule, ROUTES};
use docyard::signing::DownloadGrant;
use reqwest::header::{COOKIE, ORIGIN};
use reqwest::{Method, Response, StatusCode};
use serde_json::json;

use crate::door_helpers::{auditor, auditor_session, phone_session, policyholder};
use crate::helpers::{spawn_app, Actor, TestApp};
use crate::portal_helpers::{browser, own_origin, portal_user};

#[test]
fn every_served_route_has_an_entry_and_every_entry_is_served() {
    let settings = crate::helpers::settings(std::path::Path::new("/nonexistent"));
    let served = docyard::server::served_paths(&settings);
    assert!(unlisted(served.iter().map(String::as_str)).is_empty());
    for rule in ROUTES {
        assert!(
            served.iter().any(|p| p == rule.path),
            "{} is not served",
            rule.path
        );
    }
}

#[test]
fn no_route_that_hands_out_documents_admits_an_auditor() {
    for rule in ROUTES.iter().filter(|r| r.hands_out_documents) {
        assert!(!rule.access.admits(Persona::Auditor), "{}", rule.path);
        assert!(rule.access != Access::Public, "{}", rule.path);
    }
}

/// Everyone the walk tries, with the job and document it asks about.
struct Cast {
    agent: Person,
    other_agent: Person,
    mortgagee: Person,
    policyholder: Person,
    other_policyholder: Person,
    auditor: Person,
    job: JobId,
    document: ArtifactId,
}

struct Person {
    persona: Persona,
    id: RecipientId,
    key: String,
    cookie: String,
}

impl Person {
    fn of(actor: Actor, persona: Persona, cookie: String) -> Self {
        Person {
            persona,
            id: actor.id,
            key: actor.key,
            cookie,
        }
    }
}

async fn cast(app: &TestApp) -> Cast {
    let doc = app
        .upload(
            "dec.pdf",
            b"%PDF-1.7",
            &[("policy_number", "POL-1"), ("agent_code", "AG-1")],
        )
        .await;
    let document = ArtifactId::parse(doc["id"].as_str().expect("id")).expect("artifact ID");
    let agent = portal_user(app, Persona::Agent, &[("agent_code", "AG-1")]).await;
    let job = app.run_job(&agent.actor, json!({})).await;
    let job = JobId::parse(job["id"].as_str().expect("id")).expect("job ID");
    let other_agent = portal_user(app, Persona::Agent, &[("agent_code", "AG-2")]).await;
    let mortgagee = portal_user(app, Persona::Mortgagee, &[("mortgagee_id", "M-1")]).await;
    let holder = policyholder(app, "POL-1", "+15550100101").await;
    let holder_cookie = phone_session(app, &holder).await;
    let other_holder = policyholder(app, "POL-2", "+15550100102").await;
    let other_holder_cookie = phone_session(app, &other_holder).await;
    let inspector = auditor(app, "AUD-1").await;
    let auditor_cookie = auditor_session(app, &inspector).await;
    // An auditor's API key, to show the API refuses it too.
    let auditor_key = app.recipient(Persona::Auditor, &[]).await.key;
    Cast {
        agent: Person::of(agent.actor, Persona::Agent, agent.cookie),
        other_agent: Person::of(other_agent.actor, Persona::Agent, other_agent.cookie),
        mortgagee: Person::of(mortgagee.actor, Persona::Mortgagee, mortgagee.cookie),
        policyholder: Person::of(holder.actor, Persona::Policyholder, holder_cookie),
        other_policyholder: Person::of(
            other_holder.actor,
            Persona::Policyholder,
            other_holder_cookie,
        ),
        auditor: Person {
            persona: Persona::Auditor,
            id: inspector.actor.id,
            key: auditor_key,
            cookie: auditor_cookie,
        },
        job,
        document,
    }
}

impl Cast {
    fn everyone(&self) -> [&Person; 4] {
        [
            &self.agent,
            &self.mortgagee,
            &self.policyholder,
            &self.auditor,
        ]
    }

    /// The first recipient of `persona`, whose job and document the walk
    /// asks about, and another of the same persona.
    fn pair(&self, persona: Persona) -> Option<(&Person, Option<&Person>)> {
        match persona {
            Persona::Agent => Some((&self.agent, Some(&self.other_agent))),
            Persona::Mortgagee => Some((&self.mortgagee, None)),
            Persona::Policyholder => Some((&self.policyholder, Some(&self.other_policyholder))),
            Persona::Auditor => Some((&self.auditor, None)),
        }
    }

    fn path(&self, rule: &RouteRule, token: &str) -> String {
        let id = if rule.path.starts_with("/policy/") {
            self.document.to_string()
        } else {
            self.job.to_string()
        };
        rule.path
            .replace("{id}", &id)
            .replace("{dock_id}", "dock_01HZZZZZZZZZZZZZZZZZZZZZZZ")
            .replace("{token}", token)
    }

    fn form(&self, path: &str) -> Vec<(&'static str, String)> {
        let fields: &[(&str, &str)] = match path.rsplit('/').next().unwrap_or_default() {
            p if p.starts_with("search_documents") || p.starts_with("create_jobs") => &[
                ("policy_number", "POL-1"),
                ("document_type", ""),
                ("from", ""),
                ("to", ""),
            ],
            p if p.starts_with("audit_artifacts") => &[
                ("dock", ""),
                ("policy_number", ""),
                ("document_type", ""),
                ("from", ""),
                ("to", ""),
            ],
            p if p.starts_with("audited_jobs") => {
                &[("recipient", ""), ("dock", ""), ("status", "")]
            }
            p if p.starts_with("audit_trail") => {
                &[("actor", ""), ("action", ""), ("from", ""), ("to", "")]
            }
            p if p.starts_with("remove_passkey") => &[("id", "pk_01HZZZZZZZZZZZZZZZZZZZZZZZ")],
            p if p.starts_with("invite_details") => &[("token", "no-such-invite")],
            p if p.starts_with("start_sign_in") => &[("handle", "")],
            p if p.starts_with("finish_sign_in") => &[("credential", "{}")],
            p if p.starts_with("finish_enrolment") => &[("name", "key"), ("credential", "{}")],
            p if p.starts_with("request_code") => &[("phone", "+15550100777")],
            p if p.starts_with("verify_code") => &[("phone", "+15550100777"), ("code", "000000")],
            p if p.starts_with("auditor_sign_in") => &[("badge_id", "AUD-9"), ("nda_sha256", "")],
            _ => &[],
        };
        let mut form: Vec<_> = fields.iter().map(|(k, v)| (*k, v.to_string())).collect();
        if path.contains("job_details") {
            form.push(("id", self.job.to_string()));
        }
        form
    }
}

fn signed_url_token(app: &TestApp, recipient: &RecipientId, artifact: &ArtifactId) -> String {
    let expires_at = Timestamp::from_micros(app.server.state.clock.now().micros() + 60_000_000);
    app.server.state.signer.sign(&DownloadGrant {
        artifact_id: artifact.clone(),
        recipient_id: recipient.clone(),
        expires_at,
    })
}

enum As<'a> {
    Nobody,
    Session(&'a str),
    Key(&'a str),
}

async fn send(app: &TestApp, cast: &Cast, rule: &RouteRule, path: &str, who: As<'_>) -> Response {
    send_for(app, cast, rule, path, who, &cast.agent.id).await
}

/// `recipient` is whom a job request names.
async fn send_for(
    app: &TestApp,
    cast: &Cast,
    rule: &RouteRule,
    path: &str,
    who: As<'_>,
    recipient: &RecipientId,
) -> Response {
    let method = Method::from_bytes(rule.methods[0].as_bytes()).expect("method");
    let (client, url) = match &who {
        As::Key(key) => app.route_for(key, path),
        _ => (browser(), app.url(path)),
    };
    let mut request = client
        .request(method.clone(), url)
        .header(ORIGIN, own_origin(app));
    match who {
        As::Nobody => {}
        As::Session(cookie) => request = request.header(COOKIE, cookie),
        As::Key(key) => request = request.bearer_auth(key),
    }
    if method == Method::POST && path.starts_with("/v1/retrieval/jobs") {
        request = request.json(&json!({"dockId": app.dock, "recipientId": recipient}));
    } else if method == Method::POST && !path.starts_with("/v1/") {
        request = request.form(&cast.form(path));
    }
    request.send().await.expect("request")
}

/// Turned away for who they are (not for what they sent).
fn refused(response: &Response) -> bool {
    let to_sign_in = response.status().is_redirection()
        && response
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|l| l.starts_with("/sign-in"));
    to_sign_in || matches!(response.status().as_u16(), 401 | 403)
}

#[tokio::test]
async fn every_route_admits_exactly_who_the_table_says() {
    let app = spawn_app().await;
    let cast = cast(&app).await;
    let agents_token = signed_url_token(&app, &cast.agent.id, &cast.document);
    for rule in ROUTES {
        let path = cast.path(rule, &agents_token);
        let anonymous = send(&app, &cast, rule, &path, As::Nobody).await;
        let status = anonymous.status();
        match rule.access {
            Access::Public => {
                assert!(
                    status != StatusCode::FORBIDDEN && status.as_u16() < 500,
                    "{path}: {status}"
                );
                continue;
            }
            Access::SignedUrl => {
                let bogus = cast.path(rule, "not-a-token");
                let forged = send(&app, &cast, rule, &bogus, As::Nobody).await;
                assert_eq!(forged.status(), 403, "{bogus}");
                assert_eq!(status, 200, "{path}");
                let for_auditor = signed_url_token(&app, &cast.auditor.id, &cast.document);
                let for_other = signed_url_token(&app, &cast.other_agent.id, &cast.document);
                for token in [for_auditor, for_other] {
                    let path = cast.path(rule, &token);
                    let other = send(&app, &cast, rule, &path, As::Nobody).await;
                    assert_eq!(other.status(), 404, "{path}");
                }
                continue;
            }
            Access::Uploader => {
                assert_eq!(status, 401, "{path}");
                for person in cast.everyone() {
                    let response = send(&app, &cast, rule, &path, As::Key(&person.key)).await;
                    assert_eq!(response.status(), 403, "{path} as {}", person.persona);
                }
                continue;
            }
            _ => assert!(refused(&anonymous), "{path} admitted anonymous: {status}"),
        }
        let by_key = matches!(rule.access, Access::ApiKey(_));
        for person in cast.everyone() {
            let who = if by_key {
                As::Key(&person.key)
            } else {
                As::Session(&person.cookie)
            };
            let response = send_for(&app, &cast, rule, &path, who, &person.id).await;
            let status = response.status();
            if rule.access.admits(person.persona) {
                assert!(
                    !refused(&response),
                    "{path} refused a {}: {status}",
                    person.persona
                );
                // The job and the document belong to the agent and the
                // first policyholder: their pages open.
                let owns = [&cast.agent.id, &cast.policyholder.id].contains(&&person.id);
                if owns && rule.methods[0] == "GET" {
                    assert!(
                        status.is_success(),
                        "{path} as {}: {status}",
                        person.persona
                    );
                }
            } else {
                assert_eq!(status, 403, "{path} admitted a {}", person.persona);
            }
        }
        for persona in Persona::ALL.into_iter().filter(|p| rule.access.admits(*p)) {
            let Some((_, Some(other))) = cast.pair(persona) else {
                continue;
            };
            let who = if by_key {
                As::Key(&other.key)
            } else {
                As::Session(&other.cookie)
            };
            let response = send_for(&app, &cast, rule, &path, who, &other.id).await;
            if rule.path.contains("{id}") {
                assert_eq!(response.status(), 404, "{path} as another {persona}");
            } else if path.contains("job_details") {
                let body = response.text().await.expect("body");
                assert!(
                    body.contains("NotFound"),
                    "{path} as another {persona}: {body}"
                );
            } else {
                assert!(!refused(&response), "{path} refused another {persona}");
            }
        }
    }
}
