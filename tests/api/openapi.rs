//! `GET /v1/openapi.json`.

use serde_json::Value;

use crate::helpers::spawn_app;

#[tokio::test]
async fn the_contract_is_openapi_3_1_and_lists_every_v1_route() {
    let app = spawn_app().await;

    let response = app
        .client
        .get(app.url("/v1/openapi.json"))
        .send()
        .await
        .expect("get");

    assert_eq!(response.status(), 200);
    let doc: Value = response.json().await.expect("JSON");
    assert!(doc["openapi"]
        .as_str()
        .is_some_and(|v| v.starts_with("3.1")));
    for (path, method) in [
        ("/v1/retrieval/jobs", "post"),
        ("/v1/retrieval/jobs", "get"),
        ("/v1/retrieval/jobs/{id}", "get"),
        ("/v1/retrieval/jobs/{id}/results", "get"),
        ("/v1/retrieval/jobs/{id}/archive", "get"),
        ("/v1/docks/{dockId}/artifacts", "post"),
        ("/v1/downloads/{token}", "get"),
    ] {
        assert!(
            doc["paths"][path][method].is_object(),
            "{method} {path} missing"
        );
    }
    let errors = &doc["paths"]["/v1/retrieval/jobs"]["post"]["responses"];
    for status in ["201", "400", "401", "403", "404", "409", "413", "429"] {
        assert!(
            errors[status].is_object(),
            "POST /v1/retrieval/jobs lacks {status}"
        );
    }
}
