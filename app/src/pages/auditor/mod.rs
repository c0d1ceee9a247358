//! The auditor's pages under `/audit`: they show everything about the yard
//! except documents themselves. Each is one filter form in the query
//! string and one table.

mod artifacts;
mod docks;
mod jobs;
mod trail;

pub use artifacts::ArtifactsPage;
pub use docks::DocksPage;
pub use jobs::AuditJobsPage;
pub use trail::TrailPage;

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// A query-string parameter of the current page, or empty.
fn param(name: &'static str) -> impl Fn() -> String + Copy {
    let query = use_query_map();
    move || query.read().get(name).unwrap_or_default()
}

/// A labelled text field of a filter form.
#[component]
fn Field(
    name: &'static str,
    label: &'static str,
    value: String,
    #[prop(default = "text")] kind: &'static str,
    #[prop(default = "")] placeholder: &'static str,
) -> impl IntoView {
    use crate::ui::{INPUT_CLASS, LABEL_CLASS};
    view! {
        <div>
            <label for=name class=LABEL_CLASS>{label}</label>
            <input id=name name=name type=kind placeholder=placeholder class=INPUT_CLASS
                value=value />
        </div>
    }
}
