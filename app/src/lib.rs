//! The DocYard portal: the Leptos UI rendered on the server and hydrated in the browser.

pub mod api;
pub mod api_doors;
#[cfg(feature = "ssr")]
pub mod backend;
mod landing;
pub mod model;
mod not_found;
pub mod oversight;
mod pages;
mod passkey;
mod ui;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    path, SsrMode,
};

use crate::landing::LandingPage;
use crate::not_found::NotFound;
use crate::pages::auditor::{ArtifactsPage, AuditJobsPage, DocksPage, TrailPage};
use crate::pages::{
    badge_sign_in::BadgeSignInPage, bulk::BulkDownloadPage, invite::InvitePage, job::JobDetailPage,
    jobs::JobsPage, phone_sign_in::PhoneSignInPage, policy::PolicyPage, settings::SettingsPage,
    sign_in::SignInPage,
};

const BODY_CLASS: &str = "min-h-screen bg-slate-50 text-slate-900 antialiased";
const HEADER_CLASS: &str = "border-b border-slate-200 bg-white";
const HEADER_INNER_CLASS: &str =
    "mx-auto flex max-w-5xl items-center justify-between gap-4 px-4 py-4 sm:px-6";
const SKIP_LINK_CLASS: &str = "sr-only focus:not-sr-only focus:absolute focus:left-4 focus:top-4 \
    focus:rounded-md focus:bg-white focus:px-4 focus:py-2 focus:text-sm focus:font-semibold \
    focus:text-teal-800 focus:shadow";
const FOOTER_CLASS: &str =
    "mx-auto max-w-5xl border-t border-slate-200 px-4 py-8 text-sm text-slate-600 sm:px-6";

/// The HTML document around the app; the server renders it for every page request.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <link rel="icon" type="image/svg+xml" href="/favicon.svg" />
                <AutoReload options=options.clone() />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body class=BODY_CLASS>
                <App />
            </body>
        </html>
    }
}

/// The portal's root component: metadata, site frame and routes.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();

    // Effects run only in the browser, so this marks the page once hydration has happened.
    let (hydrated, set_hydrated) = signal(false);
    Effect::new(move |_| set_hydrated.set(true));

    view! {
        <Stylesheet id="leptos" href="/pkg/docyard.css" />
        <Title text="DocYard: insurance documents delivered" />
        <Router>
            <a href="#content" class=SKIP_LINK_CLASS>
                "Skip to content"
            </a>
            <header class=HEADER_CLASS>
                <div class=HEADER_INNER_CLASS>
                    <a href="/" class="text-lg font-bold tracking-tight text-teal-800">
                        "DocYard"
                    </a>
                    <span class="text-sm text-slate-600">
                        "For insurers, lenders and their clients"
                    </span>
                </div>
            </header>
            <main
                id="content"
                data-hydrated=move || hydrated.get().then_some("true")
            >
                <Routes fallback=NotFound>
                    <Route path=path!("") view=LandingPage />
                    <Route path=path!("/sign-in") view=SignInPage />
                    <Route path=path!("/sign-in/phone") view=PhoneSignInPage />
                    <Route path=path!("/sign-in/badge") view=BadgeSignInPage />
                    <Route path=path!("/invite/:token") view=InvitePage />
                    <Route path=path!("/portal") view=BulkDownloadPage />
                    <Route path=path!("/portal/jobs") view=JobsPage />
                    // Async, so that a missing or expired job is answered with 404 or 410.
                    <Route path=path!("/portal/jobs/:id") view=JobDetailPage ssr=SsrMode::Async />
                    <Route path=path!("/portal/settings") view=SettingsPage />
                    <Route path=path!("/policy") view=PolicyPage />
                    <Route path=path!("/audit") view=DocksPage />
                    <Route path=path!("/audit/artifacts") view=ArtifactsPage />
                    <Route path=path!("/audit/jobs") view=AuditJobsPage />
                    <Route path=path!("/audit/trail") view=TrailPage />
                </Routes>
            </main>
            <footer class=FOOTER_CLASS>
                <p>
                    "DocYard keeps every policy document in one place, for everyone who needs it."
                </p>
            </footer>
        </Router>
    }
}

/// Entry point of the WASM bundle: attaches the app to the server-rendered page.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(App);
}
