//! Walks every route the server answers against the access table in
//! `src/server/access.rs`, with every method the table lists (and HEAD,
//! which the router answers wherever it answers GET): as anonymous, as each
//! persona, and as other recipients of the allowed personas, whose grants
//! do not cover the first one's document. Methods the table does not list
//! must be refused by the router itself.

use app::api::{
    CurrentAccount, FinishEnrolment, JobDetails, ListJobs, RemovePasskey, SearchDocuments,
};
use app::api_doors::MyDocuments;
use docyard::domain::Persona;
use docyard::server::access::{unlisted, Access, RouteRule, ROUTES};
use leptos::server_fn::ServerFn;

use crate::helpers::spawn_app;
use crate::route_cast::{cast, Person, SECRET};
use crate::route_walk::{served_methods, signed_url_token, Answer, Walk};

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

/// The table's promise; the walk checks every answer an auditor gets.
#[test]
fn no_route_that_hands_out_documents_admits_an_auditor() {
    for rule in ROUTES.iter().filter(|r| r.hands_out_documents) {
        assert!(!rule.access.admits(Persona::Auditor), "{}", rule.path);
        assert!(rule.access != Access::Public, "{}", rule.path);
    }
}

/// What a list names that only its owner may see.
#[derive(Clone, Copy)]
enum Shows {
    /// The owner's job.
    Job,
    /// The document their grant covers.
    Document,
}

/// List routes and what their answer to their owner names. A stranger's
/// answer must name neither the owner's job nor the document.
const LISTS: [(&str, &str, Shows); 6] = [
    ("GET", "/v1/retrieval/jobs", Shows::Job),
    ("POST", ListJobs::PATH, Shows::Job),
    ("POST", SearchDocuments::PATH, Shows::Document),
    ("GET", "/portal/jobs", Shows::Job),
    ("GET", "/policy", Shows::Document),
    ("POST", MyDocuments::PATH, Shows::Document),
];

/// Calls whose walk sends input the server rightly rejects (no browser
/// made the passkey; no such passkey), so their answers need not succeed.
const REJECTED_INPUT: [&str; 2] = [FinishEnrolment::PATH, RemovePasskey::PATH];

fn shown(walk: &Walk<'_>, rule: &RouteRule, method: &str, owner: &Person) -> Option<String> {
    let (_, _, shows) = LISTS
        .into_iter()
        .find(|(m, p, _)| *m == method && *p == rule.path)?;
    Some(match shows {
        Shows::Job => owner.job.as_ref().expect("a job").to_string(),
        Shows::Document => walk.cast.document.to_string(),
    })
}

#[tokio::test]
async fn every_route_admits_exactly_who_the_table_says() {
    walk(ROUTES).await;
}

/// A copy of the table with `path`'s entry changed, as if it were wrong.
fn table_with(path: &str, change: impl FnOnce(&mut RouteRule)) -> Vec<RouteRule> {
    let mut rules = ROUTES.to_vec();
    change(
        rules
            .iter_mut()
            .find(|r| r.path == path)
            .expect("a listed path"),
    );
    rules
}

// The walk holds the server to the table: a table wrong in any of these
// ways must fail it.

#[tokio::test]
#[should_panic(expected = "POST /v1/retrieval/jobs is not in the table but answered 201")]
async fn the_walk_fails_a_table_that_misses_a_method() {
    walk(&table_with("/v1/retrieval/jobs", |r| r.methods = &["GET"])).await;
}

#[tokio::test]
#[should_panic(expected = "admitted mortgagee")]
async fn the_walk_fails_a_table_that_admits_too_few() {
    let agents = Access::ApiKey(&[Persona::Agent]);
    walk(&table_with("/v1/retrieval/jobs", |r| r.access = agents)).await;
}

#[tokio::test]
#[should_panic(expected = "refused policyholder")]
async fn the_walk_fails_a_table_that_admits_too_many() {
    let everyone = Access::Session(&[Persona::Agent, Persona::Policyholder]);
    walk(&table_with("/portal/jobs", |r| r.access = everyone)).await;
}

#[tokio::test]
#[should_panic(expected = "but the table does not flag it")]
async fn the_walk_fails_a_table_that_misses_a_route_handing_out_documents() {
    let path = "/v1/retrieval/jobs/{id}/results";
    walk(&table_with(path, |r| r.hands_out_documents = false)).await;
}

#[test]
fn the_walk_recognises_the_document_and_signed_links_to_it() {
    let answer = |body: &[u8]| Answer {
        status: reqwest::StatusCode::OK,
        location: None,
        allow: None,
        body: body.to_vec(),
    };
    assert!(answer(SECRET).hands_out().is_some());
    assert!(answer(br#"{"url":"http://x/v1/downloads/YXJ0.tag"}"#)
        .hands_out()
        .is_some());
    assert!(answer(br#"\/v1\/downloads\/YXJ0"#).hands_out().is_some());
    // The API's description names the route, not a link.
    assert!(answer(br#"{"/v1/downloads/{token}":{}}"#)
        .hands_out()
        .is_none());
}

async fn walk(rules: &[RouteRule]) {
    let app = spawn_app().await;
    let cast = cast(&app).await;
    let token = signed_url_token(&app, &cast.agent.id, &cast.document);
    let walk = Walk {
        app: &app,
        cast: &cast,
        token,
    };
    for rule in rules {
        for method in served_methods(rule) {
            match rule.access {
                Access::Public => walk_public(&walk, rule, method).await,
                Access::SignedUrl => walk_signed_url(&walk, rule, method).await,
                Access::Uploader => walk_uploader(&walk, rule, method).await,
                _ => walk_guarded(&walk, rule, method).await,
            }
        }
        walk.probe_unlisted_methods(rule).await;
    }
}

async fn walk_public(walk: &Walk<'_>, rule: &RouteRule, method: &str) {
    let cast = walk.cast;
    let anonymous = walk.send(rule, method, &cast.agent, None).await;
    let status = anonymous.status;
    assert!(
        status != 403 && status.as_u16() < 500,
        "{method} {}: {status}",
        rule.path
    );
    // A signed-in auditor opens the public pages too, and is handed no
    // document there. Sign-in and sign-out calls would end the session.
    if method != "POST" || rule.path == CurrentAccount::PATH {
        let answer = walk
            .send(rule, method, &cast.agent, Some(&cast.auditor))
            .await;
        assert!(answer.status.as_u16() < 500, "{method} {}", rule.path);
    }
}

async fn walk_signed_url(walk: &Walk<'_>, rule: &RouteRule, method: &str) {
    let cast = walk.cast;
    let path = cast.path(rule, &cast.agent, &walk.token);
    let anonymous = walk.send_to(rule, method, &path, &cast.agent, None).await;
    assert_eq!(anonymous.status, 200, "{method} {path}");
    let bogus = cast.path(rule, &cast.agent, "not-a-token");
    let forged = walk.send_to(rule, method, &bogus, &cast.agent, None).await;
    assert_eq!(forged.status, 403, "{method} {bogus}");
    // Links signed for recipients whose grants do not cover the document.
    let for_auditor = signed_url_token(walk.app, &cast.auditor.id, &cast.document);
    let for_other = signed_url_token(walk.app, &cast.other_agent.id, &cast.document);
    for token in [for_auditor, for_other] {
        let path = cast.path(rule, &cast.agent, &token);
        let other = walk.send_to(rule, method, &path, &cast.agent, None).await;
        assert_eq!(other.status, 404, "{method} {path}");
    }
}

async fn walk_uploader(walk: &Walk<'_>, rule: &RouteRule, method: &str) {
    let cast = walk.cast;
    let anonymous = walk.send(rule, method, &cast.agent, None).await;
    assert_eq!(anonymous.status, 401, "{method} {}", rule.path);
    for person in cast.everyone() {
        let answer = walk.send(rule, method, &cast.agent, Some(person)).await;
        let persona = person.persona;
        assert_eq!(answer.status, 403, "{method} {} as {persona}", rule.path);
    }
}

async fn walk_guarded(walk: &Walk<'_>, rule: &RouteRule, method: &str) {
    let cast = walk.cast;
    let path = rule.path;
    let anonymous = walk.send(rule, method, &cast.agent, None).await;
    let status = anonymous.status;
    assert!(
        anonymous.refused(),
        "{method} {path} admitted anonymous: {status}"
    );
    for persona in Persona::ALL.into_iter().filter(|p| rule.access.admits(*p)) {
        let owner = cast.first(persona);
        let answer = walk.send(rule, method, owner, Some(owner)).await;
        let status = answer.status;
        assert!(
            !answer.refused() && status != 405,
            "{method} {path} refused {persona}: {status}"
        );
        if !REJECTED_INPUT.contains(&path) {
            assert!(
                status.is_success(),
                "{method} {path} as its {persona}: {status} {}",
                answer.text()
            );
        }
        if (method, path) == ("POST", "/v1/retrieval/jobs") {
            // A job for someone else reads as naming no one at all.
            let other = walk.cast.other(persona);
            let answer = walk.create_job_for(rule, owner, &other.id).await;
            let status = answer.status;
            assert_eq!(
                status, 404,
                "{persona} asked for a job for another {persona}"
            );
        }
        if let Some(marker) = shown(walk, rule, method, owner) {
            assert!(
                answer.mentions(&marker),
                "{method} {path} does not show {persona} their own {marker}: {}",
                answer.text()
            );
        }
        for caller in cast.everyone().into_iter().filter(|p| p.id != owner.id) {
            let answer = walk.send(rule, method, owner, Some(caller)).await;
            let status = answer.status;
            let them = caller.persona;
            if !rule.access.admits(them) {
                assert_eq!(status, 403, "{method} {path} admitted {them}");
                continue;
            }
            assert!(
                !answer.refused(),
                "{method} {path} refused {them}: {status}"
            );
            if persona == Persona::Auditor {
                // Auditors see every dock; nothing of theirs is private.
                continue;
            }
            check_stranger(walk, rule, method, owner, caller, &answer);
        }
    }
}

/// `caller` asked about `owner`'s job or document, or for a list.
fn check_stranger(
    walk: &Walk<'_>,
    rule: &RouteRule,
    method: &str,
    owner: &Person,
    caller: &Person,
    answer: &Answer,
) {
    let (path, status) = (rule.path, answer.status);
    let them = caller.persona;
    let what = format!("{method} {path} as {them} asking about {}'s", owner.persona);
    if rule.path == JobDetails::PATH {
        // The page's call answers a job it will not show as `NotFound`.
        assert_eq!(
            (status.as_u16(), answer.text()),
            (200, r#""NotFound""#.into()),
            "{what}"
        );
        return;
    }
    if rule.path.contains("{id}") {
        assert_eq!(status, 404, "{what}: {}", answer.text());
        return;
    }
    // A list answers anyone it admits; a call may refuse what a stranger
    // asks for (a job over documents they cannot see).
    let list = shown(walk, rule, method, owner).is_some();
    assert!(
        status.is_success() || !list && status.is_client_error(),
        "{what}: {status} {}",
        answer.text()
    );
    if let Some(job) = &owner.job {
        assert!(
            !answer.mentions(job.as_str()),
            "{what} job: {}",
            answer.text()
        );
    }
    if !caller.sees_document {
        let document = walk.cast.document.as_str();
        assert!(
            !answer.mentions(document),
            "{what} document: {}",
            answer.text()
        );
    }
}
