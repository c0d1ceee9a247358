//! The browser half of the passkey ceremonies: turn the server's options
//! into a `navigator.credentials` call and the authenticator's answer back
//! into JSON. Only the hydrated app can; rendered on the server, the same
//! calls say so.

#[cfg(feature = "hydrate")]
pub use browser::{create, get};

/// Without the WASM bundle there is no `navigator.credentials` to call.
#[cfg(not(feature = "hydrate"))]
pub async fn create(_options_json: &str) -> Result<String, String> {
    Err(NO_BROWSER.to_owned())
}

#[cfg(not(feature = "hydrate"))]
pub async fn get(_options_json: &str) -> Result<String, String> {
    Err(NO_BROWSER.to_owned())
}

#[cfg(not(feature = "hydrate"))]
const NO_BROWSER: &str = "Passkeys need JavaScript in the browser.";

#[cfg(feature = "hydrate")]
mod browser {

    use wasm_bindgen::JsValue;
    use wasm_bindgen_futures::JsFuture;
    use webauthn_rs_proto::{
        CreationChallengeResponse, PublicKeyCredential, RegisterPublicKeyCredential,
        RequestChallengeResponse,
    };

    fn credentials() -> Result<web_sys::CredentialsContainer, String> {
        let window = web_sys::window().ok_or("this page has no window")?;
        Ok(window.navigator().credentials())
    }

    /// Why the browser refused, in words: cancelling the prompt is the usual one.
    fn refused(error: JsValue) -> String {
        let name = js_sys::Reflect::get(&error, &JsValue::from_str("name"))
            .ok()
            .and_then(|n| n.as_string())
            .unwrap_or_default();
        match name.as_str() {
            "NotAllowedError" => "The passkey prompt was cancelled or timed out.".to_owned(),
            "InvalidStateError" => "This authenticator already holds a passkey here.".to_owned(),
            _ => format!("The browser could not use a passkey ({name})."),
        }
    }

    /// Creates a passkey from creation options; returns the credential as JSON.
    pub async fn create(options_json: &str) -> Result<String, String> {
        let options: CreationChallengeResponse =
            serde_json::from_str(options_json).map_err(|e| e.to_string())?;
        let options = web_sys::CredentialCreationOptions::from(options);
        let promise = credentials()?
            .create_with_options(&options)
            .map_err(refused)?;
        let credential = JsFuture::from(promise).await.map_err(refused)?;
        let credential =
            RegisterPublicKeyCredential::from(web_sys::PublicKeyCredential::from(credential));
        serde_json::to_string(&credential).map_err(|e| e.to_string())
    }

    /// Signs a challenge with a passkey; returns the assertion as JSON.
    pub async fn get(options_json: &str) -> Result<String, String> {
        let options: RequestChallengeResponse =
            serde_json::from_str(options_json).map_err(|e| e.to_string())?;
        let options = web_sys::CredentialRequestOptions::from(options);
        let promise = credentials()?.get_with_options(&options).map_err(refused)?;
        let credential = JsFuture::from(promise).await.map_err(refused)?;
        let credential = PublicKeyCredential::from(web_sys::PublicKeyCredential::from(credential));
        serde_json::to_string(&credential).map_err(|e| e.to_string())
    }
}
