//! The page shown for any path the router does not know.

use leptos::prelude::*;
use leptos_meta::Title;

const SECTION_CLASS: &str = "mx-auto max-w-5xl px-4 py-16 sm:px-6";
const HOME_LINK_CLASS: &str = "mt-6 inline-block rounded-md bg-teal-700 px-4 py-2 text-sm \
    font-semibold text-white hover:bg-teal-800 focus-visible:outline-2 \
    focus-visible:outline-offset-2 focus-visible:outline-teal-700";

/// Tells the visitor the page does not exist; the server answers with status 404.
#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }

    view! {
        <Title text="Page not found · DocYard" />
        <section class=SECTION_CLASS aria-labelledby="not-found-heading">
            <h1 id="not-found-heading" class="text-3xl font-bold tracking-tight">
                "Page not found"
            </h1>
            <p class="mt-4 text-slate-700">"There is no page at this address."</p>
            <a href="/" class=HOME_LINK_CLASS>
                "Back to the start page"
            </a>
        </section>
    }
}
