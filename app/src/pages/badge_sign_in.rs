//! `/sign-in/badge`: an auditor's badge ID and the hash of their NDA.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::message;
use crate::api_doors::AuditorSignIn;
use crate::ui::{ErrorMessage, BUTTON_CLASS, CARD_CLASS, HEADING_CLASS, INPUT_CLASS, LABEL_CLASS};

#[component]
pub fn BadgeSignInPage() -> impl IntoView {
    let sign_in = ServerAction::<AuditorSignIn>::new();
    let error = move || {
        sign_in
            .value()
            .get()
            .and_then(|r| r.err())
            .map(|e| view! { <ErrorMessage message=message(&e) /> })
    };

    view! {
        <Title text="Auditor sign-in · DocYard" />
        <section class="mx-auto max-w-md px-4 py-12 sm:px-6" aria-labelledby="badge-heading">
            <h1 id="badge-heading" class=HEADING_CLASS>"Auditor sign-in"</h1>
            <p class="mt-2 text-slate-700">
                "Auditors look at docks, metadata, jobs and the audit trail; they never \
                 download documents."
            </p>
            <ActionForm action=sign_in attr:class=CARD_CLASS>
                <label for="badge_id" class=LABEL_CLASS>"Badge ID"</label>
                <input id="badge_id" name="badge_id" type="text" required
                    autocomplete="username" class=INPUT_CLASS />
                <label for="nda_sha256" class=format!("{LABEL_CLASS} mt-4")>
                    "SHA-256 of your signed NDA"
                </label>
                <input id="nda_sha256" name="nda_sha256" type="password" required
                    autocomplete="current-password" spellcheck="false"
                    class=format!("{INPUT_CLASS} font-mono") />
                <p class="mt-1 text-xs text-slate-600">
                    "64 hexadecimal digits, as " <code>"sha256sum nda.pdf"</code> " prints them."
                </p>
                <button type="submit" class=format!("{BUTTON_CLASS} mt-4 w-full")
                    disabled=move || sign_in.pending().get()>
                    "Sign in"
                </button>
                {error}
            </ActionForm>
        </section>
    }
}
