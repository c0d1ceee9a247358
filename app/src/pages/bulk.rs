//! `/portal`: search an agent's documents by policy and turn the result
//! into a retrieval job. The search lives in the query string, so a
//! refresh or a shared link shows the same results.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

use crate::api::{message, search_documents, CreateJobs};
use crate::model::{SearchForm, SearchResults};
use crate::ui::{
    ErrorMessage, PortalNav, BUTTON_CLASS, CARD_CLASS, HEADING_CLASS, INPUT_CLASS, LABEL_CLASS,
    PAGE_CLASS, TABLE_CLASS, TD_CLASS, TH_CLASS,
};

#[component]
pub fn BulkDownloadPage() -> impl IntoView {
    let query = use_query_map();
    let form = move || {
        let q = query.read();
        SearchForm {
            policy_number: q.get("policy_number").unwrap_or_default(),
            document_type: q.get("document_type").unwrap_or_default(),
            from: q.get("from").unwrap_or_default(),
            to: q.get("to").unwrap_or_default(),
        }
    };
    let results = Resource::new(form, |form| async move {
        if form.policy_number.trim().is_empty() {
            return None;
        }
        let found =
            search_documents(form.policy_number, form.document_type, form.from, form.to).await;
        Some(found)
    });

    view! {
        <Title text="Bulk download · DocYard" />
        <PortalNav />
        <section class=PAGE_CLASS aria-labelledby="bulk-heading">
            <h1 id="bulk-heading" class=HEADING_CLASS>"Bulk download"</h1>
            <p class="mt-2 text-slate-700">
                "Find a client's documents by policy number and download them as one zip."
            </p>
            <SearchFields form=form() />
            <Suspense fallback=|| view! { <p class="mt-6">"Searching…"</p> }>
                {move || Suspend::new(async move {
                    match results.await {
                        None => ().into_any(),
                        Some(Ok(found)) => view! {
                            <Results found form=form() />
                        }.into_any(),
                        Some(Err(e)) => view! { <ErrorMessage message=message(&e) /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn SearchFields(form: SearchForm) -> impl IntoView {
    view! {
        <Form method="GET" action="" attr:class=CARD_CLASS attr:role="search">
            <div class="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
                <div class="sm:col-span-2">
                    <label for="policy_number" class=LABEL_CLASS>"Policy number"</label>
                    <input id="policy_number" name="policy_number" type="search" required
                        placeholder="POL-2025-88401" class=INPUT_CLASS
                        value=form.policy_number />
                </div>
                <div class="sm:col-span-2">
                    <label for="document_type" class=LABEL_CLASS>
                        "Document type (optional)"
                    </label>
                    <input id="document_type" name="document_type" type="text"
                        placeholder="declaration-page" class=INPUT_CLASS
                        value=form.document_type />
                </div>
                <div>
                    <label for="from" class=LABEL_CLASS>"From (optional)"</label>
                    <input id="from" name="from" type="date" class=INPUT_CLASS value=form.from />
                </div>
                <div>
                    <label for="to" class=LABEL_CLASS>"To (optional)"</label>
                    <input id="to" name="to" type="date" class=INPUT_CLASS value=form.to />
                </div>
            </div>
            <button type="submit" class=format!("{BUTTON_CLASS} mt-4")>"Search"</button>
        </Form>
    }
}

#[component]
fn Results(found: SearchResults, form: SearchForm) -> impl IntoView {
    let create = ServerAction::<CreateJobs>::new();
    let count = found.rows.len();
    let summary = match (count, found.truncated) {
        (0, _) => "No documents you can access match this search.".to_owned(),
        (n, false) => format!("{n} documents found."),
        (n, true) => format!("Showing the newest {n} documents; a job includes them all."),
    };
    let create_error = move || {
        create
            .value()
            .get()
            .and_then(|r| r.err())
            .map(|e| view! { <ErrorMessage message=message(&e) /> })
    };

    view! {
        <div class=CARD_CLASS>
            <div class="flex flex-wrap items-center justify-between gap-3">
                <p role="status" class="text-sm text-slate-700">{summary}</p>
                <ActionForm action=create>
                    <input type="hidden" name="policy_number" value=form.policy_number />
                    <input type="hidden" name="document_type" value=form.document_type />
                    <input type="hidden" name="from" value=form.from />
                    <input type="hidden" name="to" value=form.to />
                    <button type="submit" class=BUTTON_CLASS
                        disabled=move || count == 0 || create.pending().get()>
                        "Create retrieval job"
                    </button>
                </ActionForm>
            </div>
            {create_error}
            <div class="mt-4 overflow-x-auto">
                <table class=TABLE_CLASS>
                    <caption class="sr-only">"Documents found"</caption>
                    <thead>
                        <tr>
                            <th scope="col" class=TH_CLASS>"File name"</th>
                            <th scope="col" class=TH_CLASS>"Document type"</th>
                            <th scope="col" class=TH_CLASS>"Date"</th>
                            <th scope="col" class=format!("{TH_CLASS} text-right")>"Size"</th>
                        </tr>
                    </thead>
                    <tbody class="divide-y divide-slate-100">
                        {found.rows.into_iter().map(|row| view! {
                            <tr>
                                <td class=format!("{TD_CLASS} min-w-48 break-all")>
                                    {row.file_name}
                                </td>
                                <td class=TD_CLASS>{row.document_type}</td>
                                <td class=format!("{TD_CLASS} whitespace-nowrap")>{row.date}</td>
                                <td class=format!("{TD_CLASS} text-right whitespace-nowrap")>
                                    {row.size}
                                </td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </div>
    }
}
