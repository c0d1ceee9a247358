//! Retrieval benchmark: fills a dock with 100,000 artifacts, then prints the
//! time one job over all of them takes to complete, result pages read per
//! second, and job creations per second, all over loopback HTTP.
//!
//! Run with `cargo bench --bench retrieval` (add `-- 20000` for a smaller dock).

mod common;

use std::time::{Duration, Instant};

use docyard::db::{object_key, NewArtifact};
use docyard::domain::{ArtifactId, Metadata};
use futures::StreamExt;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use common::Result;

#[tokio::main]
async fn main() -> Result<()> {
    let count = common::size_argument(100_000);
    let common::Bench {
        server,
        dir,
        dock,
        agent,
        key,
    } = common::start("bench").await?;
    let state = server.state.clone();

    let started = Instant::now();
    let objects = dir.path().join("objects").join(dock.id.as_str());
    std::fs::create_dir_all(&objects)?;
    for i in 0..count {
        let id = ArtifactId::generate();
        let body = format!("%PDF-1.7 bench document {i} {}", "x".repeat(900));
        std::fs::write(
            dir.path().join("objects").join(object_key(&dock.id, &id)),
            &body,
        )?;
        let policy = format!("POL-2025-{:05}", i % 5000);
        let metadata = Metadata::from_pairs([
            (
                "document_type",
                if i % 3 == 0 {
                    "declaration-page"
                } else {
                    "invoice"
                },
            ),
            ("policy_number", policy.as_str()),
            ("state", "TX"),
        ])?;
        let new = NewArtifact {
            id,
            dock_id: dock.id.clone(),
            file_name: format!("doc-{i}.pdf"),
            content_type: "application/pdf".to_owned(),
            size_bytes: body.len() as i64,
            sha256: hex::encode(Sha256::digest(body.as_bytes())),
            metadata,
            backdate_to: None,
        };
        state.store.insert_artifact(new, state.clock.now()).await?;
    }
    println!(
        "filled a dock with {count} artifacts in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    let client = reqwest::Client::new();
    let base = server.base_url();
    let auth = format!("Bearer {}", key.expose());
    let body = json!({"dockId": dock.id, "recipientId": agent.id});

    let started = Instant::now();
    let job: Value = client
        .post(format!("{base}/v1/retrieval/jobs"))
        .header("authorization", &auth)
        .json(&body)
        .send()
        .await?
        .json()
        .await?;
    let job_id = job["id"].as_str().ok_or("no job id")?.to_owned();
    let finished = loop {
        let job: Value = client
            .get(format!("{base}/v1/retrieval/jobs/{job_id}"))
            .header("authorization", &auth)
            .send()
            .await?
            .json()
            .await?;
        if job["status"] == "COMPLETED" || job["status"] == "FAILED" {
            break job;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    };
    let job_seconds = started.elapsed().as_secs_f64();
    println!(
        "job over {count} artifacts: {} with {} ready in {job_seconds:.2} s (target < 5 s)",
        finished["status"], finished["readyCount"]
    );

    let started = Instant::now();
    let (mut pages, mut items, mut cursor) = (0u32, 0usize, None::<String>);
    loop {
        let mut url = format!("{base}/v1/retrieval/jobs/{job_id}/results?limit=1000");
        if let Some(c) = &cursor {
            url.push_str(&format!("&cursor={c}"));
        }
        let page: Value = client
            .get(url)
            .header("authorization", &auth)
            .send()
            .await?
            .json()
            .await?;
        pages += 1;
        items += page["data"].as_array().map_or(0, Vec::len);
        match page["nextCursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => break,
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "results: {pages} pages of up to 1000 ({items} signed URLs) in {seconds:.2} s \
         = {:.1} pages/s",
        f64::from(pages) / seconds
    );

    let creations = 1000;
    let filtered = json!({"dockId": dock.id, "recipientId": agent.id,
                          "metadata": {"policy_number": "POL-2025-00042"}});
    let started = Instant::now();
    let statuses: Vec<u16> = futures::stream::iter(0..creations)
        .map(|_| {
            let request = client
                .post(format!("{base}/v1/retrieval/jobs"))
                .header("authorization", &auth)
                .json(&filtered);
            async move {
                request
                    .send()
                    .await
                    .map(|r| r.status().as_u16())
                    .unwrap_or(0)
            }
        })
        .buffer_unordered(8)
        .collect()
        .await;
    let seconds = started.elapsed().as_secs_f64();
    let created = statuses.iter().filter(|s| **s == 201).count();
    println!(
        "job creations: {created} of {creations} in {seconds:.2} s = {:.0} per second",
        created as f64 / seconds
    );
    Ok(())
}
