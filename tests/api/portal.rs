//! The portal's landing page: server-rendered, styled, and hydratable.

use crate::helpers::spawn_app;

#[tokio::test]
async fn the_landing_page_is_rendered_with_its_stylesheet_and_wasm() {
    let app = spawn_app().await;
    let site = std::path::Path::new("target/site/pkg");
    assert!(
        site.join("docyard.css").exists(),
        "the compiled site is missing: run `cargo leptos build` first (dev/test.sh does)"
    );

    let page = app.client.get(app.url("/")).send().await.expect("get");
    assert_eq!(page.status(), 200);
    let html = page.text().await.expect("html");
    let css = app
        .client
        .get(app.url("/pkg/docyard.css"))
        .send()
        .await
        .expect("css");
    let wasm = app
        .client
        .get(app.url("/pkg/docyard.wasm"))
        .send()
        .await
        .expect("wasm");
    let js = app
        .client
        .get(app.url("/pkg/docyard.js"))
        .send()
        .await
        .expect("js");

    assert!(html.contains("DocYard"));
    assert!(html.contains("/pkg/docyard.css"), "stylesheet link missing");
    assert!(html.contains("/pkg/docyard.js"), "hydration script missing");
    assert!(html.contains("/pkg/docyard.wasm"), "hydration WASM missing");
    assert_eq!(css.status(), 200);
    let css = css.text().await.expect("css text");
    assert!(
        css.contains("tailwindcss"),
        "the stylesheet is not Tailwind's output"
    );
    assert_eq!(wasm.status(), 200);
    assert_eq!(wasm.headers()["content-type"], "application/wasm");
    assert_eq!(&wasm.bytes().await.expect("wasm")[..4], b"\0asm");
    assert_eq!(js.status(), 200);
}

#[tokio::test]
async fn an_unknown_page_is_a_404() {
    let app = spawn_app().await;

    let page = app
        .client
        .get(app.url("/no/such/page"))
        .send()
        .await
        .expect("get");

    assert_eq!(page.status(), 404);
}
