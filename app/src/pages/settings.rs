//! `/portal/settings`: the agent's passkeys, to add one or remove one.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::{list_passkeys, message, RemovePasskey};
use crate::ui::{
    ErrorMessage, PortalNav, BUTTON_CLASS, CARD_CLASS, HEADING_CLASS, INPUT_CLASS, LABEL_CLASS,
    PAGE_CLASS, SECONDARY_BUTTON_CLASS,
};

#[component]
pub fn SettingsPage() -> impl IntoView {
    let remove = ServerAction::<RemovePasskey>::new();
    let (added, set_added) = signal(0u32);
    let passkeys = Resource::new(
        move || (remove.version().get(), added.get()),
        |_| list_passkeys(),
    );
    let remove_error = move || {
        remove
            .value()
            .get()
            .and_then(|r| r.err())
            .map(|e| view! { <ErrorMessage message=message(&e) /> })
    };

    view! {
        <Title text="Passkeys · DocYard" />
        <PortalNav />
        <section class=PAGE_CLASS aria-labelledby="passkeys-heading">
            <h1 id="passkeys-heading" class=HEADING_CLASS>"Passkeys"</h1>
            <p class="mt-2 text-slate-700">
                "Keep a second passkey, on another device or a security key, so that losing \
                 one device does not lock you out."
            </p>
            <div class=CARD_CLASS>
                // A transition keeps the list on screen while it reloads.
                <Transition fallback=|| view! { <p>"Loading your passkeys…"</p> }>
                    {move || Suspend::new(async move {
                        match passkeys.await {
                            Ok(rows) => view! {
                                <ul class="divide-y divide-slate-100" data-testid="passkeys">
                                    {rows.into_iter().map(|row| view! {
                                        <li class="flex flex-wrap items-center gap-3 py-3">
                                            <div class="grow">
                                                <p class="font-medium">{row.name.clone()}</p>
                                                <p class="text-sm text-slate-600">
                                                    {format!("Added {} · last used {}",
                                                        row.created_at,
                                                        row.last_used_at.unwrap_or_else(
                                                            || "never".to_owned()))}
                                                </p>
                                            </div>
                                            <ActionForm action=remove>
                                                <input type="hidden" name="id" value=row.id />
                                                <button type="submit"
                                                    class=SECONDARY_BUTTON_CLASS
                                                    aria-label=format!("Remove {}", row.name)>
                                                    "Remove"
                                                </button>
                                            </ActionForm>
                                        </li>
                                    }).collect_view()}
                                </ul>
                            }.into_any(),
                            Err(e) => view! { <ErrorMessage message=message(&e) /> }.into_any(),
                        }
                    })}
                </Transition>
                {remove_error}
            </div>
            <AddPasskey on_added=move || set_added.update(|n| *n += 1) />
        </section>
    }
}

#[component]
fn AddPasskey(on_added: impl Fn() + Send + Sync + Copy + 'static) -> impl IntoView {
    let (name, set_name) = signal("Second passkey".to_owned());
    let (error, set_error) = signal(None::<String>);
    let add = Action::new_local(move |name: &String| {
        let name = name.clone();
        async move {
            match super::invite::enrol_passkey(None, name).await {
                Ok(()) => on_added(),
                Err(message) => set_error.set(Some(message)),
            }
        }
    });
    view! {
        <form
            class=CARD_CLASS
            on:submit=move |ev| {
                ev.prevent_default();
                set_error.set(None);
                add.dispatch(name.get_untracked());
            }
        >
            <h2 class="text-lg font-semibold">"Add a passkey"</h2>
            <label for="new-passkey-name" class=format!("{LABEL_CLASS} mt-2")>"Passkey name"</label>
            <input id="new-passkey-name" type="text" required maxlength="60" class=INPUT_CLASS
                prop:value=name on:input=move |ev| set_name.set(event_target_value(&ev)) />
            <button type="submit" class=format!("{BUTTON_CLASS} mt-4")
                disabled=move || add.pending().get()>
                "Add passkey"
            </button>
            {move || error.get().map(|message| view! { <ErrorMessage message /> })}
        </form>
    }
}
