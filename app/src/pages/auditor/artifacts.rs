//! `/audit/artifacts`: artifact metadata across docks, searched by dock,
//! policy, document type and date. No links to the documents.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;

use super::{param, Field};
use crate::api::message;
use crate::api_doors::audit_artifacts;
use crate::oversight::{ArtifactMetadataResults, ArtifactQuery};
use crate::ui::{
    AuditorNav, ErrorMessage, BUTTON_CLASS, CARD_CLASS, HEADING_CLASS, PAGE_CLASS, TABLE_CLASS,
    TD_CLASS, TH_CLASS,
};

#[component]
pub fn ArtifactsPage() -> impl IntoView {
    let (dock, policy, kind) = (
        param("dock"),
        param("policy_number"),
        param("document_type"),
    );
    let (from, to) = (param("from"), param("to"));
    let query = move || ArtifactQuery {
        dock: dock(),
        policy_number: policy(),
        document_type: kind(),
        from: from(),
        to: to(),
    };
    let results = Resource::new(query, |q| {
        audit_artifacts(q.dock, q.policy_number, q.document_type, q.from, q.to)
    });
    let q = query();
    view! {
        <Title text="Artifacts · Audit · DocYard" />
        <AuditorNav />
        <section class=PAGE_CLASS aria-labelledby="artifacts-heading">
            <h1 id="artifacts-heading" class=HEADING_CLASS>"Artifact metadata"</h1>
            <Form method="GET" action="" attr:class=CARD_CLASS attr:role="search">
                <div class="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
                    <Field name="dock" label="Dock ID" value=q.dock placeholder="dock_…" />
                    <Field name="policy_number" label="Policy number" value=q.policy_number
                        placeholder="POL-2025-88401" />
                    <Field name="document_type" label="Document type" value=q.document_type
                        placeholder="declaration-page" />
                    <Field name="from" label="From" value=q.from kind="date" />
                    <Field name="to" label="To" value=q.to kind="date" />
                </div>
                <button type="submit" class=format!("{BUTTON_CLASS} mt-4")>"Search"</button>
            </Form>
            <Suspense fallback=|| view! { <p class="mt-6">"Searching…"</p> }>
                {move || Suspend::new(async move {
                    match results.await {
                        Ok(found) => view! { <Rows found /> }.into_any(),
                        Err(e) => view! { <ErrorMessage message=message(&e) /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn Rows(found: ArtifactMetadataResults) -> impl IntoView {
    let summary = match (found.rows.len(), found.truncated) {
        (0, _) => "No artifacts match.".to_owned(),
        (n, false) => format!("{n} artifacts."),
        (n, true) => format!("The newest {n} matching artifacts; narrow the search for more."),
    };
    view! {
        <div class=format!("{CARD_CLASS} relative overflow-x-auto")>
            <p role="status" class="text-sm text-slate-700">{summary}</p>
            <table class=format!("{TABLE_CLASS} mt-4")>
                <caption class="sr-only">"Artifacts"</caption>
                <thead><tr>
                    <th scope="col" class=TH_CLASS>"File name"</th>
                    <th scope="col" class=TH_CLASS>"Metadata"</th>
                    <th scope="col" class=TH_CLASS>"Created"</th>
                    <th scope="col" class=TH_CLASS>"Size and type"</th>
                    <th scope="col" class=TH_CLASS>"IDs and SHA-256"</th>
                </tr></thead>
                <tbody class="divide-y divide-slate-100">
                    {found.rows.into_iter().map(|a| view! {
                        <tr>
                            <td class=format!("{TD_CLASS} min-w-40 break-all")>
                                {a.file_name}
                                {a.withdrawn.then(|| view! {
                                    <span class="ml-2 rounded bg-amber-100 px-1.5 text-xs \
                                        text-amber-900">"withdrawn"</span>
                                })}
                            </td>
                            <td class=format!("{TD_CLASS} min-w-64")>
                                <dl class="grid grid-cols-[auto_1fr] gap-x-2 text-xs">
                                    {a.metadata.into_iter().map(|(k, v)| view! {
                                        <dt class="text-slate-600">{k}</dt>
                                        <dd class="break-words">{v}</dd>
                                    }).collect_view()}
                                </dl>
                            </td>
                            <td class=format!("{TD_CLASS} whitespace-nowrap")>{a.created_at}</td>
                            <td class=TD_CLASS>{a.size}<br />{a.content_type}</td>
                            <td class=format!("{TD_CLASS} font-mono text-xs break-all")>
                                {a.artifact_id}<br />{a.dock}<br />{a.sha256}
                            </td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
