//! `/audit/jobs`: every recipient's retrieval jobs with their filters and
//! counts, filtered by recipient, dock and status.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;

use super::{param, Field};
use crate::api::message;
use crate::api_doors::audited_jobs;
use crate::oversight::{AuditJobs, JobQueryForm};
use crate::ui::{
    AuditorNav, ErrorMessage, BUTTON_CLASS, CARD_CLASS, HEADING_CLASS, INPUT_CLASS, LABEL_CLASS,
    PAGE_CLASS, TABLE_CLASS, TD_CLASS, TH_CLASS,
};

const STATUSES: [&str; 4] = ["PENDING", "RUNNING", "COMPLETED", "FAILED"];

#[component]
pub fn AuditJobsPage() -> impl IntoView {
    let (recipient, dock, status) = (param("recipient"), param("dock"), param("status"));
    let query = move || JobQueryForm {
        recipient: recipient(),
        dock: dock(),
        status: status(),
    };
    let results = Resource::new(query, |q| audited_jobs(q.recipient, q.dock, q.status));
    let q = query();
    let chosen = q.status.clone();
    view! {
        <Title text="Jobs · Audit · DocYard" />
        <AuditorNav />
        <section class=PAGE_CLASS aria-labelledby="audit-jobs-heading">
            <h1 id="audit-jobs-heading" class=HEADING_CLASS>"Retrieval jobs"</h1>
            <Form method="GET" action="" attr:class=CARD_CLASS attr:role="search">
                <div class="grid gap-4 sm:grid-cols-3">
                    <Field name="recipient" label="Recipient ID" value=q.recipient
                        placeholder="rcp_…" />
                    <Field name="dock" label="Dock ID" value=q.dock placeholder="dock_…" />
                    <div>
                        <label for="status" class=LABEL_CLASS>"Status"</label>
                        <select id="status" name="status" class=INPUT_CLASS>
                            <option value="" selected=chosen.is_empty()>"Any"</option>
                            {STATUSES.into_iter().map(|s| view! {
                                <option value=s selected=chosen == s>{s}</option>
                            }).collect_view()}
                        </select>
                    </div>
                </div>
                <button type="submit" class=format!("{BUTTON_CLASS} mt-4")>"Filter"</button>
            </Form>
            <Suspense fallback=|| view! { <p class="mt-6">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match results.await {
                        Ok(jobs) => view! { <Rows jobs /> }.into_any(),
                        Err(e) => view! { <ErrorMessage message=message(&e) /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn Rows(jobs: AuditJobs) -> impl IntoView {
    let listed = if jobs.truncated {
        format!(" (the newest {} listed)", jobs.rows.len())
    } else {
        String::new()
    };
    let summary = format!(
        "{n} jobs{listed}: {total} documents asked for, {ready} ready, {errors} with errors.",
        n = jobs.matching,
        total = jobs.total,
        ready = jobs.ready,
        errors = jobs.errors,
    );
    view! {
        <div class=format!("{CARD_CLASS} relative overflow-x-auto")>
            <p role="status" class="text-sm text-slate-700">{summary}</p>
            <table class=format!("{TABLE_CLASS} mt-4")>
                <caption class="sr-only">"Jobs"</caption>
                <thead><tr>
                    <th scope="col" class=TH_CLASS>"Job"</th>
                    <th scope="col" class=TH_CLASS>"Status"</th>
                    <th scope="col" class=TH_CLASS>"Filters"</th>
                    <th scope="col" class=TH_CLASS>"Ready / errors / total"</th>
                    <th scope="col" class=TH_CLASS>"Created"</th>
                </tr></thead>
                <tbody class="divide-y divide-slate-100">
                    {jobs.rows.into_iter().map(|j| view! {
                        <tr>
                            <td class=format!("{TD_CLASS} font-mono text-xs break-all")>
                                {j.id}<br />{j.recipient}<br />{j.dock}
                            </td>
                            <td class=TD_CLASS>{j.status}</td>
                            <td class=format!("{TD_CLASS} font-mono text-xs break-all")>
                                {j.filters}
                            </td>
                            <td class=format!("{TD_CLASS} whitespace-nowrap")>
                                {format!("{} / {} / {}", j.ready, j.errors, j.total)}
                            </td>
                            <td class=format!("{TD_CLASS} whitespace-nowrap")>
                                {j.created_at}
                                {j.completed_at.map(|at| view! {
                                    <br /><span class="text-slate-600">"done " {at}</span>
                                })}
                            </td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
