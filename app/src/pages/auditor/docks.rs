//! `/audit`: every dock and what it holds.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::message;
use crate::api_doors::audit_docks;
use crate::ui::{
    AuditorNav, ErrorMessage, CARD_CLASS, HEADING_CLASS, PAGE_CLASS, TABLE_CLASS, TD_CLASS,
    TH_CLASS,
};

#[component]
pub fn DocksPage() -> impl IntoView {
    let docks = Resource::new(|| (), |_| audit_docks());
    view! {
        <Title text="Docks · Audit · DocYard" />
        <AuditorNav />
        <section class=PAGE_CLASS aria-labelledby="docks-heading">
            <h1 id="docks-heading" class=HEADING_CLASS>"Docks"</h1>
            <p class="mt-2 text-slate-700">"Every dock, with the documents it holds."</p>
            <Suspense fallback=|| view! { <p class="mt-6">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match docks.await {
                        Ok(docks) => view! {
                            <div class=format!("{CARD_CLASS} relative overflow-x-auto")>
                                <table class=TABLE_CLASS>
                                    <caption class="sr-only">"Docks"</caption>
                                    <thead><tr>
                                        <th scope="col" class=TH_CLASS>"Dock"</th>
                                        <th scope="col" class=TH_CLASS>"ID"</th>
                                        <th scope="col" class=TH_CLASS>"Created"</th>
                                        <th scope="col" class=TH_CLASS>"Documents"</th>
                                        <th scope="col" class=TH_CLASS>"Withdrawn"</th>
                                        <th scope="col" class=TH_CLASS>"Size"</th>
                                    </tr></thead>
                                    <tbody class="divide-y divide-slate-100">
                                        {docks.into_iter().map(|d| view! {
                                            <tr>
                                                <td class=TD_CLASS>{d.name}</td>
                                                <td class=format!("{TD_CLASS} font-mono text-xs")>
                                                    {d.id}
                                                </td>
                                                <td class=TD_CLASS>{d.created_at}</td>
                                                <td class=TD_CLASS>{d.artifacts}</td>
                                                <td class=TD_CLASS>{d.withdrawn}</td>
                                                <td class=TD_CLASS>{d.size}</td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                        }.into_any(),
                        Err(e) => view! { <ErrorMessage message=message(&e) /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}
