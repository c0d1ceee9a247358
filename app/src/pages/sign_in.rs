//! `/sign-in`: a passkey, found by the browser or by the agent's handle.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::ui::{
    ErrorMessage, BUTTON_CLASS, CARD_CLASS, HEADING_CLASS, INPUT_CLASS, LABEL_CLASS, LINK_CLASS,
};

#[component]
pub fn SignInPage() -> impl IntoView {
    let (handle, set_handle) = signal(String::new());
    let (error, set_error) = signal(None::<String>);
    let sign_in = Action::new_local(move |handle: &String| {
        let handle = handle.clone();
        async move {
            match sign_in_with_passkey(handle).await {
                Ok(()) => super::go_to("/portal"),
                Err(message) => set_error.set(Some(message)),
            }
        }
    });

    view! {
        <Title text="Sign in · DocYard" />
        <section class="mx-auto max-w-md px-4 py-12 sm:px-6" aria-labelledby="sign-in-heading">
            <h1 id="sign-in-heading" class=HEADING_CLASS>"Sign in"</h1>
            <p class="mt-2 text-slate-700">
                "Agents sign in with the passkey they created from their invitation."
            </p>
            <form
                class=CARD_CLASS
                on:submit=move |ev| {
                    ev.prevent_default();
                    set_error.set(None);
                    sign_in.dispatch(handle.get_untracked());
                }
            >
                <label for="handle" class=LABEL_CLASS>"Email or handle (optional)"</label>
                <input
                    id="handle"
                    name="handle"
                    type="text"
                    autocomplete="username webauthn"
                    class=INPUT_CLASS
                    prop:value=handle
                    on:input=move |ev| set_handle.set(event_target_value(&ev))
                />
                <p class="mt-1 text-xs text-slate-600">
                    "Leave it empty to pick a passkey saved on this device."
                </p>
                <button
                    type="submit"
                    class=format!("{BUTTON_CLASS} mt-4 w-full")
                    disabled=move || sign_in.pending().get()
                >
                    {move || {
                        if sign_in.pending().get() { "Waiting for your passkey…" }
                        else { "Sign in with a passkey" }
                    }}
                </button>
                {move || error.get().map(|message| view! { <ErrorMessage message /> })}
            </form>
            <p class="mt-6 text-sm text-slate-700">
                "Policyholder? " <a href="/sign-in/phone" class=LINK_CLASS>
                    "Sign in with your phone number"
                </a> "."
            </p>
            <p class="mt-2 text-sm text-slate-700">
                "Auditor? " <a href="/sign-in/badge" class=LINK_CLASS>
                    "Sign in with your badge"
                </a> "."
            </p>
        </section>
    }
}

async fn sign_in_with_passkey(handle: String) -> Result<(), String> {
    use crate::api::{finish_sign_in, message, start_sign_in};

    let options = start_sign_in(handle).await.map_err(|e| message(&e))?;
    let credential = crate::passkey::get(&options).await?;
    finish_sign_in(credential).await.map_err(|e| message(&e))
}
