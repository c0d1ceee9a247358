//! The requests and answers of the route walk in `route_table.rs`. Every
//! answer is read whole and looked at for the document: its bytes or a
//! signed link to them may reach only a route the table flags, and never an
//! auditor.

use std::time::Duration;

use docyard::domain::{ArtifactId, Persona, RecipientId, Timestamp};
use docyard::server::access::{Access, RouteRule};
use docyard::signing::DownloadGrant;
use reqwest::header::{ALLOW, COOKIE, LOCATION, ORIGIN};
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::helpers::TestApp;
use crate::portal_helpers::{browser, own_origin};
use crate::route_cast::{Cast, Person, SECRET};

pub fn signed_url_token(app: &TestApp, recipient: &RecipientId, artifact: &ArtifactId) -> String {
    let expires_at = Timestamp::from_micros(app.server.state.clock.now().micros() + 60_000_000);
    app.server.state.signer.sign(&DownloadGrant {
        artifact_id: artifact.clone(),
        recipient_id: recipient.clone(),
        expires_at,
    })
}

/// An answer, read whole.
pub struct Answer {
    pub status: StatusCode,
    pub location: Option<String>,
    pub allow: Option<String>,
    pub body: Vec<u8>,
}

impl Answer {
    /// Turned away for who they are (not for what they sent).
    pub fn refused(&self) -> bool {
        let to_sign_in = self.status.is_redirection()
            && self
                .location
                .as_deref()
                .is_some_and(|l| l.starts_with("/sign-in"));
        to_sign_in || matches!(self.status.as_u16(), 401 | 403)
    }

    pub fn mentions(&self, text: &str) -> bool {
        contains(&self.body, text.as_bytes())
    }

    /// What of the document the answer hands out, if anything.
    pub fn hands_out(&self) -> Option<&'static str> {
        if contains(&self.body, SECRET) {
            return Some("the document's bytes");
        }
        let token_follows = |link: &[u8]| {
            self.body.windows(link.len() + 1).any(|w| {
                w.starts_with(link)
                    && (w[link.len()].is_ascii_alphanumeric() || b"-_".contains(&w[link.len()]))
            })
        };
        let links: [&[u8]; 2] = [b"/v1/downloads/", br"\/v1\/downloads\/"];
        links
            .into_iter()
            .any(token_follows)
            .then_some("a signed download URL")
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body)
            .chars()
            .take(600)
            .collect()
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

pub struct Walk<'a> {
    pub app: &'a TestApp,
    pub cast: &'a Cast,
    /// A signed download link of the first agent's, for the document.
    pub token: String,
}

impl Walk<'_> {
    /// `caller` (nobody when `None`) sends `method` to `rule`'s path about
    /// `owner`'s job or document, with the credential the rule asks for.
    pub async fn send(
        &self,
        rule: &RouteRule,
        method: &str,
        owner: &Person,
        caller: Option<&Person>,
    ) -> Answer {
        let path = self.cast.path(rule, owner, &self.token);
        self.send_to(rule, method, &path, owner, caller).await
    }

    pub async fn send_to(
        &self,
        rule: &RouteRule,
        method: &str,
        path: &str,
        owner: &Person,
        caller: Option<&Person>,
    ) -> Answer {
        let named = &caller.unwrap_or(owner).id;
        self.exchange(rule, method, path, owner, caller, named)
            .await
    }

    /// `caller` asks for a job for `named` instead of themselves.
    pub async fn create_job_for(
        &self,
        rule: &RouteRule,
        caller: &Person,
        named: &RecipientId,
    ) -> Answer {
        let path = rule.path;
        self.exchange(rule, "POST", path, caller, Some(caller), named)
            .await
    }

    /// Sends the request; a job request names `named`.
    async fn exchange(
        &self,
        rule: &RouteRule,
        method: &str,
        path: &str,
        owner: &Person,
        caller: Option<&Person>,
        named: &RecipientId,
    ) -> Answer {
        let app = self.app;
        let method = Method::from_bytes(method.as_bytes()).expect("method");
        let by_key = matches!(rule.access, Access::ApiKey(_) | Access::Uploader);
        let (client, url) = match caller {
            Some(person) if by_key => app.route_for(&person.key, path),
            _ => (browser(), app.url(path)),
        };
        let mut request = client
            .request(method.clone(), url)
            .header(ORIGIN, own_origin(app));
        match caller {
            None => {}
            Some(person) if by_key => request = request.bearer_auth(&person.key),
            Some(person) => request = request.header(COOKIE, &person.cookie),
        }
        if method == Method::POST && path == "/v1/retrieval/jobs" {
            // A job on the dock of the caller's grant.
            request = request.json(&json!({"dockId": app.dock, "recipientId": named}));
        } else if method == Method::POST && !path.starts_with("/v1/") {
            request = request.form(&self.cast.form(path, owner));
        }
        let response = request.send().await.expect("request");
        let header = |name| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        let (status, location, allow) = (response.status(), header(LOCATION), header(ALLOW));
        let body = tokio::time::timeout(Duration::from_secs(10), response.bytes())
            .await
            .unwrap_or_else(|_| panic!("{method} {path}: the answer did not end"))
            .expect("body")
            .to_vec();
        let answer = Answer {
            status,
            location,
            allow,
            body,
        };
        if answer.status.is_success() {
            if let Some(what) = answer.hands_out() {
                let who = caller.map_or("nobody".to_owned(), |p| p.persona.to_string());
                assert!(
                    rule.hands_out_documents,
                    "{method} {path} handed {what} to {who}, but the table does not flag it"
                );
                assert!(
                    caller.is_none_or(|p| p.persona != Persona::Auditor),
                    "{method} {path} handed {what} to an auditor"
                );
            }
        }
        answer
    }

    /// Sends every method the router should not answer for `rule`'s path, as
    /// someone the rule admits: the router must answer 405, and its `Allow`
    /// header must name exactly the methods the table lists.
    pub async fn probe_unlisted_methods(&self, rule: &RouteRule) {
        let cast = self.cast;
        let caller = Persona::ALL
            .into_iter()
            .find(|p| rule.access.admits(*p))
            .map(|p| cast.first(p));
        let owner = caller.unwrap_or(&cast.agent);
        let mut served = served_methods(rule);
        served.sort_unstable();
        for method in PROBED.into_iter().filter(|m| !served.contains(m)) {
            let answer = self.send(rule, method, owner, caller).await;
            let status = answer.status;
            assert!(
                !status.is_success(),
                "{method} {} is not in the table but answered {status}",
                rule.path
            );
            assert_eq!(status, 405, "{method} {}: {}", rule.path, answer.text());
            let allow = answer.allow.unwrap_or_default();
            let mut allowed: Vec<&str> = allow.split(',').map(str::trim).collect();
            allowed.sort_unstable();
            assert_eq!(
                allowed, served,
                "{}: the router serves {allow}; the table lists {:?}",
                rule.path, rule.methods
            );
        }
    }
}

/// What the router answers for a route: the table's methods, and HEAD with
/// GET (axum serves HEAD from every GET handler, without the body).
pub fn served_methods(rule: &RouteRule) -> Vec<&'static str> {
    let mut methods = rule.methods.to_vec();
    if methods.contains(&"GET") && !methods.contains(&"HEAD") {
        methods.push("HEAD");
    }
    methods
}

const PROBED: [&str; 7] = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];
