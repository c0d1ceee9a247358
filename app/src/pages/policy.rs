//! `/policy`: the policyholder's own documents, each opened or saved on
//! its own. There is deliberately no "download all".

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::message;
use crate::api_doors::my_documents;
use crate::oversight::PolicyDocuments;
use crate::ui::{
    ErrorMessage, PolicyholderNav, CARD_CLASS, HEADING_CLASS, LINK_CLASS, PAGE_CLASS, TABLE_CLASS,
    TD_CLASS, TH_CLASS,
};

#[component]
pub fn PolicyPage() -> impl IntoView {
    let documents = Resource::new(|| (), |_| my_documents());
    view! {
        <Title text="My documents · DocYard" />
        <PolicyholderNav />
        <section class=PAGE_CLASS aria-labelledby="policy-heading">
            <h1 id="policy-heading" class=HEADING_CLASS>"My documents"</h1>
            <Suspense fallback=|| view! { <p class="mt-6">"Loading your documents…"</p> }>
                {move || Suspend::new(async move {
                    match documents.await {
                        Ok(found) => view! { <DocumentList found /> }.into_any(),
                        Err(e) => view! { <ErrorMessage message=message(&e) /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn DocumentList(found: PolicyDocuments) -> impl IntoView {
    let policies = found.policy_numbers.join(", ");
    let summary = match (found.documents.len(), found.truncated) {
        (0, _) => "There are no documents on your policy yet.".to_owned(),
        (n, false) => format!("{n} documents on policy {policies}."),
        (n, true) => format!("The newest {n} documents on policy {policies}."),
    };
    view! {
        <div class=CARD_CLASS>
            <p role="status" class="text-sm text-slate-700">{summary}</p>
            <div class="relative mt-4 overflow-x-auto">
                <table class=TABLE_CLASS>
                    <caption class="sr-only">"Your documents"</caption>
                    <thead>
                        <tr>
                            <th scope="col" class=TH_CLASS>"Document"</th>
                            <th scope="col" class=TH_CLASS>"Type"</th>
                            <th scope="col" class=TH_CLASS>"Date"</th>
                            <th scope="col" class=format!("{TH_CLASS} text-right")>"Size"</th>
                            <th scope="col" class=TH_CLASS>
                                <span class="sr-only">"Actions"</span>
                            </th>
                        </tr>
                    </thead>
                    <tbody class="divide-y divide-slate-100">
                        {found.documents.into_iter().map(|doc| {
                            let name = doc.file_name.clone();
                            view! {
                                <tr>
                                    <td class=format!("{TD_CLASS} min-w-48 break-all")>
                                        {doc.file_name}
                                    </td>
                                    <td class=TD_CLASS>{doc.document_type}</td>
                                    <td class=format!("{TD_CLASS} whitespace-nowrap")>
                                        {doc.date}
                                    </td>
                                    <td class=format!("{TD_CLASS} text-right whitespace-nowrap")>
                                        {doc.size}
                                    </td>
                                    <td class=format!("{TD_CLASS} whitespace-nowrap")>
                                        <a href=doc.view_url rel="external" class=LINK_CLASS
                                            aria-label=format!("Open {name}")>"Open"</a>
                                        " · "
                                        <a href=doc.download_url rel="external" class=LINK_CLASS
                                            aria-label=format!("Download {name}")>"Download"</a>
                                    </td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </div>
    }
}
