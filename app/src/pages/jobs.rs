//! `/portal/jobs`: the agent's retrieval jobs, newest first.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::{list_jobs, message};
use crate::model::JobSummary;
use crate::ui::{
    ErrorMessage, PortalNav, CARD_CLASS, HEADING_CLASS, LINK_CLASS, PAGE_CLASS, TABLE_CLASS,
    TD_CLASS, TH_CLASS,
};

#[component]
pub fn JobsPage() -> impl IntoView {
    let jobs = Resource::new(|| (), |_| list_jobs());
    view! {
        <Title text="Jobs · DocYard" />
        <PortalNav />
        <section class=PAGE_CLASS aria-labelledby="jobs-heading">
            <h1 id="jobs-heading" class=HEADING_CLASS>"Jobs"</h1>
            <Suspense fallback=|| view! { <p class="mt-6">"Loading your jobs…"</p> }>
                {move || Suspend::new(async move {
                    match jobs.await {
                        Ok(jobs) if jobs.is_empty() => view! {
                            <p class="mt-6 text-slate-700">
                                "No jobs yet. Search for a policy on the Bulk download page \
                                 to create one."
                            </p>
                        }.into_any(),
                        Ok(jobs) => view! { <JobTable jobs /> }.into_any(),
                        Err(e) => view! { <ErrorMessage message=message(&e) /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn JobTable(jobs: Vec<JobSummary>) -> impl IntoView {
    view! {
        <div class=format!("{CARD_CLASS} overflow-x-auto")>
            <table class=TABLE_CLASS>
                <caption class="sr-only">"Your retrieval jobs"</caption>
                <thead>
                    <tr>
                        <th scope="col" class=TH_CLASS>"Job"</th>
                        <th scope="col" class=TH_CLASS>"Documents"</th>
                        <th scope="col" class=TH_CLASS>"Status"</th>
                        <th scope="col" class=TH_CLASS>"Created"</th>
                        <th scope="col" class=TH_CLASS>"Results until"</th>
                    </tr>
                </thead>
                <tbody class="divide-y divide-slate-100">
                    {jobs.into_iter().map(|job| view! {
                        <tr>
                            <td class=TD_CLASS>
                                <a class=LINK_CLASS href=format!("/portal/jobs/{}", job.id)>
                                    {job.description}
                                </a>
                            </td>
                            <td class=TD_CLASS>
                                {format!("{} of {}", job.progress.ready, job.progress.total)}
                            </td>
                            <td class=TD_CLASS>{job.status}</td>
                            <td class=format!("{TD_CLASS} whitespace-nowrap")>{job.created_at}</td>
                            <td class=format!("{TD_CLASS} whitespace-nowrap")>
                                {job.expires_at.unwrap_or_else(|| "—".to_owned())}
                            </td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
