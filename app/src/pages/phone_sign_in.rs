//! `/sign-in/phone`: a policyholder's number, then the code texted to it.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::message;
use crate::api_doors::{RequestCode, VerifyCode};
use crate::ui::{ErrorMessage, BUTTON_CLASS, CARD_CLASS, HEADING_CLASS, INPUT_CLASS, LABEL_CLASS};

#[component]
pub fn PhoneSignInPage() -> impl IntoView {
    let request = ServerAction::<RequestCode>::new();
    let verify = ServerAction::<VerifyCode>::new();
    let (phone, set_phone) = signal(String::new());
    let code_sent = move || matches!(request.value().get(), Some(Ok(())));
    let request_error = move || {
        request
            .value()
            .get()
            .and_then(|r| r.err())
            .map(|e| view! { <ErrorMessage message=message(&e) /> })
    };
    let verify_error = move || {
        verify
            .value()
            .get()
            .and_then(|r| r.err())
            .map(|e| view! { <ErrorMessage message=message(&e) /> })
    };

    view! {
        <Title text="Sign in with your phone · DocYard" />
        <section class="mx-auto max-w-md px-4 py-12 sm:px-6" aria-labelledby="phone-heading">
            <h1 id="phone-heading" class=HEADING_CLASS>"Your policy documents"</h1>
            <p class="mt-2 text-slate-700">
                "Enter the mobile number on your policy. We text you a 6-digit code."
            </p>
            <ActionForm action=request attr:class=CARD_CLASS>
                <label for="phone" class=LABEL_CLASS>"Mobile number"</label>
                <input id="phone" name="phone" type="tel" required autocomplete="tel"
                    placeholder="+1 555 010 0199" class=INPUT_CLASS
                    on:input=move |ev| set_phone.set(event_target_value(&ev)) />
                <p class="mt-1 text-xs text-slate-600">
                    "Include the country code, starting with +."
                </p>
                <button type="submit" class=format!("{BUTTON_CLASS} mt-4 w-full")
                    disabled=move || request.pending().get()>
                    {move || if code_sent() { "Text me a new code" } else { "Text me a code" }}
                </button>
                {request_error}
            </ActionForm>
            <Show when=code_sent>
                <p role="status" class="mt-4 text-sm text-slate-700">
                    "If this number is on a policy, a code is on its way. It works for 5 \
                     minutes; you can ask for a new one after a minute."
                </p>
                <ActionForm action=verify attr:class=CARD_CLASS>
                    <input type="hidden" name="phone" prop:value=phone />
                    <label for="code" class=LABEL_CLASS>"6-digit code"</label>
                    <input id="code" name="code" type="text" required inputmode="numeric"
                        autocomplete="one-time-code" pattern="[0-9 ]{6,7}" maxlength="7"
                        class=INPUT_CLASS />
                    <button type="submit" class=format!("{BUTTON_CLASS} mt-4 w-full")
                        disabled=move || verify.pending().get()>
                        "Sign in"
                    </button>
                    {verify_error}
                </ActionForm>
            </Show>
        </section>
    }
}
