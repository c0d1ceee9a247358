//! The people of the route walk in `route_table.rs`, the job and document
//! it asks about, and what each route is sent.

use docyard::db::KeyOwner;
use docyard::domain::{ApiKey, ArtifactId, JobId, KeyEnvironment, Persona, RecipientId};
use docyard::server::access::RouteRule;
use serde_json::json;

use crate::door_helpers::{auditor, auditor_session, phone_session, policyholder};
use crate::helpers::{Actor, TestApp};
use crate::portal_helpers::{portal_user, PortalUser};

/// The document's bytes: distinctive enough that finding them in an answer
/// means the answer handed the document out.
pub const SECRET: &[u8] = b"%PDF-1.7 route-walk secret bytes";

/// Everyone the walk tries. The document is covered by the grants of the
/// first agent, mortgagee and policyholder, and by none of the others'.
pub struct Cast {
    pub agent: Person,
    pub other_agent: Person,
    pub mortgagee: Person,
    pub other_mortgagee: Person,
    pub policyholder: Person,
    pub other_policyholder: Person,
    pub auditor: Person,
    pub other_auditor: Person,
    pub document: ArtifactId,
}

pub struct Person {
    pub persona: Persona,
    pub id: RecipientId,
    pub key: String,
    pub cookie: String,
    /// A finished job of theirs that found the document.
    pub job: Option<JobId>,
    /// Whether their grant covers the document.
    pub sees_document: bool,
}

impl Person {
    fn of(actor: Actor, persona: Persona, cookie: String, job: Option<JobId>) -> Self {
        Person {
            persona,
            id: actor.id,
            key: actor.key,
            cookie,
            job,
            sees_document: false,
        }
    }

    fn seeing_the_document(mut self) -> Self {
        self.sees_document = true;
        self
    }

    pub fn job(&self) -> &JobId {
        self.job.as_ref().expect("a recipient with a job")
    }
}

async fn finished_job(app: &TestApp, actor: &Actor) -> JobId {
    let job = app.run_job(actor, json!({})).await;
    assert_eq!(job["status"], "COMPLETED", "{job}");
    assert_eq!(job["readyCount"], 1, "the job finds the document: {job}");
    JobId::parse(job["id"].as_str().expect("id")).expect("job ID")
}

async fn key_of(app: &TestApp, recipient: &RecipientId) -> String {
    let state = &app.server.state;
    let record = state.store.recipient(recipient).await.expect("read");
    let owner = KeyOwner::Recipient(record.expect("recipient"));
    let key = ApiKey::generate(KeyEnvironment::Test);
    let (hash, prefix) = (key.hash(), key.display_prefix());
    let now = state.clock.now();
    state
        .store
        .create_api_key(&owner, &hash, &prefix, "route walk", now)
        .await
        .expect("key");
    key.expose().to_owned()
}

/// A signed-in auditor, with an API key to show the API refuses it too.
async fn auditor_person(app: &TestApp, badge: &str) -> Person {
    let inspector = auditor(app, badge).await;
    let cookie = auditor_session(app, &inspector).await;
    let key = key_of(app, &inspector.actor.id).await;
    Person {
        persona: Persona::Auditor,
        id: inspector.actor.id,
        key,
        cookie,
        job: None,
        sees_document: false,
    }
}

pub async fn cast(app: &TestApp) -> Cast {
    let metadata = [
        ("policy_number", "POL-1"),
        ("agent_code", "AG-1"),
        ("mortgagee_id", "M-1"),
    ];
    let doc = app.upload("dec.pdf", SECRET, &metadata).await;
    let document = ArtifactId::parse(doc["id"].as_str().expect("id")).expect("artifact ID");
    let agent = portal_user(app, Persona::Agent, &[("agent_code", "AG-1")]).await;
    let agents_job = finished_job(app, &agent.actor).await;
    let other_agent = portal_user(app, Persona::Agent, &[("agent_code", "AG-2")]).await;
    let mortgagee = portal_user(app, Persona::Mortgagee, &[("mortgagee_id", "M-1")]).await;
    let mortgagees_job = finished_job(app, &mortgagee.actor).await;
    let other_mortgagee = portal_user(app, Persona::Mortgagee, &[("mortgagee_id", "M-2")]).await;
    let holder = policyholder(app, "POL-1", "+15550100101").await;
    let holder_cookie = phone_session(app, &holder).await;
    let other_holder = policyholder(app, "POL-2", "+15550100102").await;
    let other_holder_cookie = phone_session(app, &other_holder).await;
    let first_auditor = auditor_person(app, "AUD-1").await;
    let other_auditor = auditor_person(app, "AUD-2").await;
    let person = |u: PortalUser, p, job| Person::of(u.actor, p, u.cookie, job);
    Cast {
        agent: person(agent, Persona::Agent, Some(agents_job)).seeing_the_document(),
        other_agent: person(other_agent, Persona::Agent, None),
        mortgagee: person(mortgagee, Persona::Mortgagee, Some(mortgagees_job))
            .seeing_the_document(),
        other_mortgagee: person(other_mortgagee, Persona::Mortgagee, None),
        policyholder: Person::of(holder.actor, Persona::Policyholder, holder_cookie, None)
            .seeing_the_document(),
        other_policyholder: Person::of(
            other_holder.actor,
            Persona::Policyholder,
            other_holder_cookie,
            None,
        ),
        auditor: first_auditor,
        other_auditor,
        document,
    }
}

impl Cast {
    pub fn everyone(&self) -> [&Person; 8] {
        [
            &self.agent,
            &self.other_agent,
            &self.mortgagee,
            &self.other_mortgagee,
            &self.policyholder,
            &self.other_policyholder,
            &self.auditor,
            &self.other_auditor,
        ]
    }

    /// The recipient of `persona` whose job and document the walk asks about.
    pub fn first(&self, persona: Persona) -> &Person {
        match persona {
            Persona::Agent => &self.agent,
            Persona::Mortgagee => &self.mortgagee,
            Persona::Policyholder => &self.policyholder,
            Persona::Auditor => &self.auditor,
        }
    }

    /// Another recipient of `persona`, whose grant misses the document.
    pub fn other(&self, persona: Persona) -> &Person {
        match persona {
            Persona::Agent => &self.other_agent,
            Persona::Mortgagee => &self.other_mortgagee,
            Persona::Policyholder => &self.other_policyholder,
            Persona::Auditor => &self.other_auditor,
        }
    }

    /// `rule`'s path, asking about `owner`'s job (or, under `/policy/`,
    /// the document).
    pub fn path(&self, rule: &RouteRule, owner: &Person, token: &str) -> String {
        let mut path = rule.path.to_owned();
        if path.contains("{id}") {
            let id = if path.starts_with("/policy/") {
                self.document.to_string()
            } else {
                owner.job().to_string()
            };
            path = path.replace("{id}", &id);
        }
        path.replace("{dock_id}", "dock_01HZZZZZZZZZZZZZZZZZZZZZZZ")
            .replace("{token}", token)
    }

    pub fn form(&self, path: &str, owner: &Person) -> Vec<(&'static str, String)> {
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
            form.push(("id", owner.job().to_string()));
        }
        form
    }
}
