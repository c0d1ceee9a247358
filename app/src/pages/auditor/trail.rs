//! `/audit/trail`: the audit trail, newest first, filtered by actor,
//! action and time.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;

use super::{param, Field};
use crate::api::message;
use crate::api_doors::audit_trail;
use crate::oversight::{Trail, TrailQuery};
use crate::ui::{
    AuditorNav, ErrorMessage, BUTTON_CLASS, CARD_CLASS, HEADING_CLASS, PAGE_CLASS, TABLE_CLASS,
    TD_CLASS, TH_CLASS,
};

#[component]
pub fn TrailPage() -> impl IntoView {
    let (actor, action) = (param("actor"), param("action"));
    let (from, to) = (param("from"), param("to"));
    let query = move || TrailQuery {
        actor: actor(),
        action: action(),
        from: from(),
        to: to(),
    };
    let results = Resource::new(query, |q| audit_trail(q.actor, q.action, q.from, q.to));
    let q = query();
    view! {
        <Title text="Audit trail · DocYard" />
        <AuditorNav />
        <section class=PAGE_CLASS aria-labelledby="trail-heading">
            <h1 id="trail-heading" class=HEADING_CLASS>"Audit trail"</h1>
            <Form method="GET" action="" attr:class=CARD_CLASS attr:role="search">
                <div class="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
                    <Field name="actor" label="Actor" value=q.actor placeholder="rcp_…" />
                    <Field name="action" label="Action" value=q.action
                        placeholder="sign_in_failed" />
                    <Field name="from" label="From (UTC)" value=q.from kind="datetime-local" />
                    <Field name="to" label="Until (UTC)" value=q.to kind="datetime-local" />
                </div>
                <button type="submit" class=format!("{BUTTON_CLASS} mt-4")>"Filter"</button>
            </Form>
            <Suspense fallback=|| view! { <p class="mt-6">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match results.await {
                        Ok(trail) => view! { <Rows trail /> }.into_any(),
                        Err(e) => view! { <ErrorMessage message=message(&e) /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn Rows(trail: Trail) -> impl IntoView {
    let summary = match (trail.rows.len(), trail.truncated) {
        (0, _) => "No records match.".to_owned(),
        (n, false) => format!("{n} records."),
        (n, true) => format!("The newest {n} matching records; narrow the filters for more."),
    };
    view! {
        <div class=format!("{CARD_CLASS} relative overflow-x-auto")>
            <p role="status" class="text-sm text-slate-700">{summary}</p>
            <table class=format!("{TABLE_CLASS} mt-4")>
                <caption class="sr-only">"Audit records"</caption>
                <thead><tr>
                    <th scope="col" class=TH_CLASS>"#"</th>
                    <th scope="col" class=TH_CLASS>"Time"</th>
                    <th scope="col" class=TH_CLASS>"Actor"</th>
                    <th scope="col" class=TH_CLASS>"Action"</th>
                    <th scope="col" class=TH_CLASS>"Target"</th>
                    <th scope="col" class=TH_CLASS>"From"</th>
                </tr></thead>
                <tbody class="divide-y divide-slate-100">
                    {trail.rows.into_iter().map(|r| view! {
                        <tr>
                            <td class=TD_CLASS>{r.seq}</td>
                            <td class=format!("{TD_CLASS} whitespace-nowrap")>{r.at}</td>
                            <td class=format!("{TD_CLASS} break-all")>
                                {r.actor}<br />
                                <span class="text-xs text-slate-600">{r.persona}</span>
                            </td>
                            <td class=TD_CLASS>
                                {r.action}<br />
                                <span class="text-xs text-slate-600">{r.outcome}</span>
                            </td>
                            <td class=format!("{TD_CLASS} break-all")>{r.target}</td>
                            <td class=format!("{TD_CLASS} text-xs break-all")>
                                {r.ip}<br />{r.request_id}
                            </td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
