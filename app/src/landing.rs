//! The public start page that introduces DocYard to each kind of visitor.

use leptos::prelude::*;

const HERO_CLASS: &str = "bg-linear-to-b from-teal-800 to-teal-700 text-white";
const HERO_INNER_CLASS: &str = "mx-auto max-w-5xl px-4 py-16 sm:px-6 sm:py-24";
const HERO_HEADING_CLASS: &str = "max-w-3xl text-4xl font-bold tracking-tight sm:text-5xl";
const SECTION_CLASS: &str = "mx-auto max-w-5xl px-4 py-12 sm:px-6";
const ROLE_GRID_CLASS: &str = "mt-8 grid gap-4 sm:grid-cols-2";
const ROLE_CARD_CLASS: &str = "rounded-lg border border-slate-200 bg-white p-6 shadow-sm";
const TOGGLE_BUTTON_CLASS: &str = "mt-6 inline-flex items-center rounded-md bg-teal-700 px-4 \
    py-2 text-sm font-semibold text-white shadow-sm hover:bg-teal-800 \
    focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-teal-700";
const CURL_PANEL_CLASS: &str = "mt-4 overflow-x-auto rounded-lg bg-slate-900 p-4 text-sm \
    leading-relaxed text-slate-100";

/// An example request a mortgagee's system sends to start collecting documents.
const CURL_EXAMPLE: &str = r#"curl -X POST "$DOCYARD_URL/v1/retrieval/jobs" \
  -H "Authorization: Bearer $DOCYARD_API_KEY" \
  -H "Content-Type: application/json" \
  -d '{
    "dockId": "dock_…",
    "recipientId": "rcp_…",
    "sinceTimestamp": "2025-01-01T00:00:00Z"
  }'"#;

/// One kind of DocYard user and what the service does for them.
struct Role {
    name: &'static str,
    summary: &'static str,
    /// Where they sign in to the portal, and the link's words.
    sign_in: Option<(&'static str, &'static str)>,
}

const ROLES: [Role; 4] = [
    Role {
        name: "Mortgagees",
        summary: "Keep your records in step through the JSON API: ask for what changed since your \
                  last sync and fetch each new document.",
        sign_in: None,
    },
    Role {
        name: "Agents",
        summary: "Download everything on file for a client as a single zip, ready to send on.",
        sign_in: Some(("/sign-in", "Agent sign-in with a passkey")),
    },
    Role {
        name: "Policyholders",
        summary: "Open the documents of your own policy, one at a time, on any phone or \
                  computer.",
        sign_in: Some(("/sign-in/phone", "Sign in with your phone number")),
    },
    Role {
        name: "Auditors",
        summary: "Look through docks, document metadata, jobs and the audit trail, \
                  read-only: nothing can be taken away, changed or removed.",
        sign_in: Some(("/sign-in/badge", "Auditor sign-in with your badge")),
    },
];

/// The start page at `/`.
#[component]
pub fn LandingPage() -> impl IntoView {
    view! {
        <section class=HERO_CLASS aria-labelledby="hero-heading">
            <div class=HERO_INNER_CLASS>
                <p class="text-sm font-semibold uppercase tracking-wider text-teal-100">
                    "Document delivery for insurance"
                </p>
                <h1 id="hero-heading" class=HERO_HEADING_CLASS>
                    "Insurance documents delivered"
                </h1>
                <p class="mt-6 max-w-2xl text-lg text-teal-50">
                    "Policies, declarations and endorsements reach the people who need them, "
                    "each in the way that suits them."
                </p>
            </div>
        </section>
        <section class=SECTION_CLASS aria-labelledby="roles-heading">
            <h2 id="roles-heading" class="text-2xl font-bold tracking-tight">
                "Who DocYard serves"
            </h2>
            <ul class=ROLE_GRID_CLASS>
                {ROLES
                    .iter()
                    .map(|role| {
                        view! {
                            <li class=ROLE_CARD_CLASS>
                                <h3 class="text-lg font-semibold text-teal-800">{role.name}</h3>
                                <p class="mt-2 text-slate-700">{role.summary}</p>
                                {role.sign_in.map(|(href, text)| view! {
                                    <a href=href class="mt-3 inline-block font-medium \
                                        text-teal-800 underline underline-offset-2 \
                                        hover:text-teal-900 focus-visible:outline-2 \
                                        focus-visible:outline-teal-700">
                                        {text}
                                    </a>
                                })}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
        <ApiExample />
    }
}

/// A button that reveals an example API request; it works once the page is hydrated.
#[component]
fn ApiExample() -> impl IntoView {
    let (shown, set_shown) = signal(false);

    view! {
        <section class=SECTION_CLASS aria-labelledby="api-heading">
            <h2 id="api-heading" class="text-2xl font-bold tracking-tight">
                "Built for machines too"
            </h2>
            <p class="mt-4 max-w-2xl text-slate-700">
                "A mortgagee's system starts a retrieval job with one request, checks on it, "
                "then fetches each new document through a signed link."
            </p>
            <button
                type="button"
                class=TOGGLE_BUTTON_CLASS
                aria-controls="curl-example"
                aria-expanded=move || shown.get().to_string()
                on:click=move |_| set_shown.update(|shown| *shown = !*shown)
            >
                {move || if shown.get() { "Hide the example" } else { "Show an example request" }}
            </button>
            <pre id="curl-example" class=CURL_PANEL_CLASS hidden=move || !shown.get()>
                <code>{CURL_EXAMPLE}</code>
            </pre>
        </section>
    }
}
