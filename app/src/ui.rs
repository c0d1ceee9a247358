//! The portal's shared look: one set of classes, so every page matches.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::api::SignOut;

pub const PAGE_CLASS: &str = "mx-auto max-w-5xl px-4 py-8 sm:px-6";
pub const HEADING_CLASS: &str = "text-2xl font-bold tracking-tight sm:text-3xl";
pub const CARD_CLASS: &str = "mt-6 rounded-lg border border-slate-200 bg-white p-4 shadow-sm \
    sm:p-6";
pub const LABEL_CLASS: &str = "block text-sm font-medium text-slate-800";
pub const INPUT_CLASS: &str = "mt-1 block w-full rounded-md border border-slate-400 bg-white \
    px-3 py-2 text-sm shadow-sm focus:border-teal-700 focus:outline-2 focus:outline-teal-700";
pub const BUTTON_CLASS: &str = "inline-flex items-center justify-center rounded-md \
    bg-teal-700 px-4 py-2 text-sm font-semibold text-white shadow-sm hover:bg-teal-800 \
    disabled:cursor-not-allowed disabled:opacity-60 focus-visible:outline-2 \
    focus-visible:outline-offset-2 focus-visible:outline-teal-700";
pub const SECONDARY_BUTTON_CLASS: &str = "inline-flex items-center justify-center rounded-md \
    border border-slate-300 bg-white px-4 py-2 text-sm font-semibold text-slate-800 \
    shadow-sm hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-offset-2 \
    focus-visible:outline-teal-700";
pub const LINK_CLASS: &str = "font-medium text-teal-800 underline underline-offset-2 \
    hover:text-teal-900 focus-visible:outline-2 focus-visible:outline-teal-700";
pub const TABLE_CLASS: &str = "min-w-full divide-y divide-slate-200 text-left text-sm";
pub const TH_CLASS: &str = "px-3 py-2 font-semibold text-slate-700";
pub const TD_CLASS: &str = "px-3 py-2 align-top text-slate-800";
pub const ERROR_CLASS: &str = "mt-4 rounded-md border border-red-300 bg-red-50 p-3 text-sm \
    text-red-800";
const NAV_LINK_CLASS: &str = "rounded-md px-3 py-2 text-sm font-medium text-slate-700 \
    hover:bg-slate-100 aria-[current=page]:bg-teal-50 aria-[current=page]:text-teal-900 \
    focus-visible:outline-2 focus-visible:outline-teal-700";

/// The agent's navigation, shown above every signed-in page.
#[component]
pub fn PortalNav() -> impl IntoView {
    let links = vec![
        ("/portal", "Bulk download"),
        ("/portal/jobs", "Jobs"),
        ("/portal/settings", "Passkeys"),
    ];
    view! { <Nav label="Portal" links /> }
}

/// The policyholder's navigation.
#[component]
pub fn PolicyholderNav() -> impl IntoView {
    view! { <Nav label="Your policy" links=vec![("/policy", "My documents")] /> }
}

/// The auditor's navigation: every page of it only looks.
#[component]
pub fn AuditorNav() -> impl IntoView {
    let links = vec![
        ("/audit", "Docks"),
        ("/audit/artifacts", "Artifacts"),
        ("/audit/jobs", "Jobs"),
        ("/audit/trail", "Audit trail"),
    ];
    view! { <Nav label="Audit" links /> }
}

#[component]
fn Nav(label: &'static str, links: Vec<(&'static str, &'static str)>) -> impl IntoView {
    let sign_out = ServerAction::<SignOut>::new();
    let first = links.first().map(|(href, _)| *href).unwrap_or_default();
    view! {
        <nav aria-label=label class="border-b border-slate-200 bg-white">
            <div class="mx-auto flex max-w-5xl flex-wrap items-center gap-1 px-4 py-2 sm:px-6">
                {links.into_iter().map(|(href, text)| view! {
                    <A href=href exact=href == first attr:class=NAV_LINK_CLASS>
                        {text}
                    </A>
                }).collect_view()}
                <ActionForm action=sign_out attr:class="ml-auto">
                    <button type="submit" class=SECONDARY_BUTTON_CLASS>
                        "Sign out"
                    </button>
                </ActionForm>
            </div>
        </nav>
    }
}

/// A failure message announced to screen readers.
#[component]
pub fn ErrorMessage(message: String) -> impl IntoView {
    view! {
        <p role="alert" class=ERROR_CLASS>
            {message}
        </p>
    }
}
