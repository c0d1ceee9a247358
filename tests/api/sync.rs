//! Chained incremental syncs deliver every artifact exactly once.

use std::collections::HashSet;

use docyard::domain::Persona;
use docyard::server::Worker;
use serde_json::{json, Value};

use crate::helpers::{ready_ids, spawn_app_with};

#[tokio::test]
async fn two_chained_syncs_deliver_artifacts_of_the_same_second_exactly_once() {
    let app = spawn_app_with(Worker::Off).await;
    let mortgagee = app
        .recipient(Persona::Mortgagee, &[("mortgagee_id", "MTG-1")])
        .await;
    let scope = [("mortgagee_id", "MTG-1")];
    start_of_next_second().await;
    let a = app.upload("a.pdf", b"a", &scope).await;
    let b = app.upload("b.pdf", b"b", &scope).await;
    let first: Value = app
        .create_job(
            &mortgagee.key,
            json!({"dockId": app.dock, "recipientId": mortgagee.id}),
        )
        .await
        .json()
        .await
        .expect("job");
    let first_id = docyard::domain::JobId::parse(first["id"].as_str().expect("id")).expect("id");

    // The job takes its snapshot, then C arrives while it is still running.
    let state = app.server.state.clone();
    state
        .store
        .start_job(&first_id, state.clock.now())
        .await
        .expect("snapshot");
    let c = app.upload("c.pdf", b"c", &scope).await;
    docyard::jobs::run_job(&state, &first_id).await;
    let first = app.wait_for(&mortgagee.key, first_id.as_str()).await;
    let watermark = first["syncWatermark"]
        .as_str()
        .expect("watermark")
        .to_owned();
    let second = app
        .run_job_now(&mortgagee, json!({"sinceTimestamp": watermark}))
        .await;

    let delivered_first = ready_ids(&app.results(&mortgagee.key, first_id.as_str()).await);
    let delivered_second = ready_ids(&app.results(&mortgagee.key, second.as_str()).await);
    let stamps: HashSet<&str> = [&a, &b, &c]
        .iter()
        .map(|x| &x["createdAt"].as_str().expect("createdAt")[..19])
        .collect();
    assert_eq!(stamps.len(), 1, "the three uploads should share one second");
    assert_eq!(delivered_first, vec![id(&a), id(&b)]);
    assert_eq!(delivered_second, vec![id(&c)]);
    assert!(
        watermark.len() == 27 && watermark.ends_with('Z'),
        "{watermark}"
    );
}

/// Uploads take milliseconds, so starting right after a second begins keeps
/// all three inside it.
async fn start_of_next_second() {
    let into_second = chrono::Utc::now().timestamp_subsec_micros();
    let wait = 1_000_000 - u64::from(into_second) + 5_000;
    tokio::time::sleep(std::time::Duration::from_micros(wait)).await;
}

fn id(artifact: &Value) -> String {
    artifact["id"].as_str().expect("id").to_owned()
}
