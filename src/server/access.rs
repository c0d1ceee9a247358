//! Who may use each route: one table for the whole server. The router
//! refuses to start with a route the table does not list, and the test
//! suite walks every entry as anonymous, as each persona and as another
//! recipient of the allowed persona.

use app::api::{
    CreateJobs, CurrentAccount, FinishEnrolment, FinishSignIn, InviteDetails, JobDetails, ListJobs,
    ListPasskeys, RemovePasskey, SearchDocuments, SignOut, StartEnrolment, StartSignIn,
};
use app::api_doors::{
    AuditArtifacts, AuditDocks, AuditTrail, AuditedJobs, AuditorSignIn, MyDocuments, RequestCode,
    VerifyCode,
};
use leptos::server_fn::ServerFn;

use crate::domain::Persona;

/// How a route decides who may use it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone: pages and calls that sign people in, health and the API's
    /// description. A sign-in route still refuses wrong credentials.
    Public,
    /// Whoever holds a one-time invite link, or a signed-in agent adding a
    /// passkey.
    InviteOrAgent,
    /// The URL itself is the grant: a signed, expiring download link.
    SignedUrl,
    /// A carrier's uploader key for the dock in the path.
    Uploader,
    /// An API key (with its client certificate, for mortgagees) of one of
    /// these personas.
    ApiKey(&'static [Persona]),
    /// A portal session of one of these personas.
    Session(&'static [Persona]),
}

impl Access {
    pub fn admits(self, persona: Persona) -> bool {
        match self {
            Access::ApiKey(allowed) | Access::Session(allowed) => allowed.contains(&persona),
            Access::InviteOrAgent => persona == Persona::Agent,
            Access::Public | Access::SignedUrl | Access::Uploader => false,
        }
    }
}

/// One route of the server.
#[derive(Debug, Clone, Copy)]
pub struct RouteRule {
    /// The path as the router matches it, `{name}` for a parameter.
    pub path: &'static str,
    pub methods: &'static [&'static str],
    pub access: Access,
    /// The answer holds document bytes or links that fetch them. No such
    /// route may admit an auditor.
    pub hands_out_documents: bool,
}

const fn rule(path: &'static str, methods: &'static [&'static str], access: Access) -> RouteRule {
    RouteRule {
        path,
        methods,
        access,
        hands_out_documents: false,
    }
}

const fn documents(
    path: &'static str,
    methods: &'static [&'static str],
    access: Access,
) -> RouteRule {
    RouteRule {
        path,
        methods,
        access,
        hands_out_documents: true,
    }
}

const GET: &[&str] = &["GET"];
const POST: &[&str] = &["POST"];
const GET_POST: &[&str] = &["GET", "POST"];
const GET_HEAD: &[&str] = &["GET", "HEAD"];
const BULK: Access = Access::ApiKey(&[Persona::Mortgagee, Persona::Agent]);
const AGENT: Access = Access::Session(&[Persona::Agent]);
const POLICYHOLDER: Access = Access::Session(&[Persona::Policyholder]);
const AUDITOR: Access = Access::Session(&[Persona::Auditor]);

pub const ROUTES: &[RouteRule] = &[
    // Health and the API's description.
    rule("/healthz", GET, Access::Public),
    rule("/readyz", GET, Access::Public),
    rule("/v1/openapi.json", GET, Access::Public),
    // The JSON API.
    rule("/v1/retrieval/jobs", GET_POST, BULK),
    rule("/v1/retrieval/jobs/{id}", GET, BULK),
    documents("/v1/retrieval/jobs/{id}/results", GET, BULK),
    documents("/v1/retrieval/jobs/{id}/archive", GET, BULK),
    documents("/v1/downloads/{token}", GET_HEAD, Access::SignedUrl),
    rule("/v1/docks/{dock_id}/artifacts", POST, Access::Uploader),
    // Pages anyone may open.
    rule("/", GET, Access::Public),
    rule("/sign-in", GET, Access::Public),
    rule("/sign-in/phone", GET, Access::Public),
    rule("/sign-in/badge", GET, Access::Public),
    rule("/invite/{token}", GET, Access::Public),
    // Signing in and out.
    rule(CurrentAccount::PATH, POST, Access::Public),
    rule(InviteDetails::PATH, POST, Access::Public),
    rule(StartSignIn::PATH, POST, Access::Public),
    rule(FinishSignIn::PATH, POST, Access::Public),
    rule(RequestCode::PATH, POST, Access::Public),
    rule(VerifyCode::PATH, POST, Access::Public),
    rule(AuditorSignIn::PATH, POST, Access::Public),
    rule(SignOut::PATH, POST, Access::Public),
    rule(StartEnrolment::PATH, POST, Access::InviteOrAgent),
    rule(FinishEnrolment::PATH, POST, Access::InviteOrAgent),
    // The agent's portal.
    rule("/portal", GET, AGENT),
    rule("/portal/jobs", GET, AGENT),
    documents("/portal/jobs/{id}", GET, AGENT),
    rule("/portal/jobs/{id}/events", GET, AGENT),
    documents("/portal/jobs/{id}/archive", GET, AGENT),
    rule("/portal/settings", GET, AGENT),
    rule(ListPasskeys::PATH, POST, AGENT),
    rule(RemovePasskey::PATH, POST, AGENT),
    rule(SearchDocuments::PATH, POST, AGENT),
    rule(CreateJobs::PATH, POST, AGENT),
    rule(ListJobs::PATH, POST, AGENT),
    documents(JobDetails::PATH, POST, AGENT),
    // The policyholder's documents.
    documents("/policy", GET, POLICYHOLDER),
    documents("/policy/documents/{id}", GET_HEAD, POLICYHOLDER),
    documents(MyDocuments::PATH, POST, POLICYHOLDER),
    // The auditor's views.
    rule("/audit", GET, AUDITOR),
    rule("/audit/artifacts", GET, AUDITOR),
    rule("/audit/jobs", GET, AUDITOR),
    rule("/audit/trail", GET, AUDITOR),
    rule(AuditDocks::PATH, POST, AUDITOR),
    rule(AuditArtifacts::PATH, POST, AUDITOR),
    rule(AuditedJobs::PATH, POST, AUDITOR),
    rule(AuditTrail::PATH, POST, AUDITOR),
];

pub fn rule_for(path: &str) -> Option<&'static RouteRule> {
    ROUTES.iter().find(|r| r.path == path)
}

/// The paths `routes` lists that the table does not.
pub fn unlisted<'a>(routes: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    routes
        .into_iter()
        .filter(|path| rule_for(path).is_none())
        .collect()
}
