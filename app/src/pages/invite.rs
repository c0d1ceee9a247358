//! `/invite/:token`: an invited agent creates their first passkey.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::{finish_enrolment, invite_details, message, start_enrolment};
use crate::ui::{ErrorMessage, BUTTON_CLASS, CARD_CLASS, HEADING_CLASS, INPUT_CLASS, LABEL_CLASS};

#[component]
pub fn InvitePage() -> impl IntoView {
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let invite = Resource::new(token, invite_details);

    view! {
        <Title text="Accept your invitation · DocYard" />
        <section class="mx-auto max-w-md px-4 py-12 sm:px-6" aria-labelledby="invite-heading">
            <h1 id="invite-heading" class=HEADING_CLASS>"Create your passkey"</h1>
            <Suspense fallback=|| view! { <p class="mt-4">"Loading your invitation…"</p> }>
                {move || Suspend::new(async move {
                    match invite.await {
                        Ok(Some(details)) => {
                            view! { <EnrolForm token=token() details /> }.into_any()
                        }
                        Ok(None) => view! {
                            <ErrorMessage message="This invitation link is not valid any more: \
                                it was used already or has expired. Ask your administrator \
                                for a new one.".to_owned() />
                        }.into_any(),
                        Err(e) => view! { <ErrorMessage message=message(&e) /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn EnrolForm(token: String, details: crate::model::InviteView) -> impl IntoView {
    let (name, set_name) = signal("My passkey".to_owned());
    let (error, set_error) = signal(None::<String>);
    let enrol = Action::new_local(move |(token, name): &(String, String)| {
        let (token, name) = (token.clone(), name.clone());
        async move {
            match enrol_passkey(Some(token), name).await {
                Ok(()) => super::go_to("/portal"),
                Err(message) => set_error.set(Some(message)),
            }
        }
    });

    view! {
        <p class="mt-2 text-slate-700">
            "Welcome, " <strong>{details.handle}</strong> " of " {details.organisation}
            ". A passkey lets you sign in with your device's screen lock or security key, \
            with no password to remember."
        </p>
        <form
            class=CARD_CLASS
            on:submit=move |ev| {
                ev.prevent_default();
                set_error.set(None);
                enrol.dispatch((token.clone(), name.get_untracked()));
            }
        >
            <label for="passkey-name" class=LABEL_CLASS>"Passkey name"</label>
            <input
                id="passkey-name"
                type="text"
                required
                maxlength="60"
                class=INPUT_CLASS
                prop:value=name
                on:input=move |ev| set_name.set(event_target_value(&ev))
            />
            <button
                type="submit"
                class=format!("{BUTTON_CLASS} mt-4 w-full")
                disabled=move || enrol.pending().get()
            >
                "Create passkey"
            </button>
            {move || error.get().map(|message| view! { <ErrorMessage message /> })}
        </form>
    }
}

/// Runs the creation ceremony for an invite, or for the signed-in user.
pub async fn enrol_passkey(invite: Option<String>, name: String) -> Result<(), String> {
    let options = start_enrolment(invite.clone())
        .await
        .map_err(|e| message(&e))?;
    let credential = crate::passkey::create(&options).await?;
    finish_enrolment(invite, name, credential)
        .await
        .map_err(|e| message(&e))
}
