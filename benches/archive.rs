//! Zip benchmark: streams a 2 GiB job as one zip over loopback HTTP and
//! prints its throughput beside `cat` and Info-ZIP's `zip -0` over the same
//! files, and how much the peak RSS rose while streaming. Two ceilings are
//! timed beside them: what one loopback TCP connection carries from memory,
//! and from the same files by sendfile(2).
//!
//! Run with `cargo bench --bench archive` (add `-- 512` for a 512 MiB job).

mod common;
mod loopback;

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use docyard::db::{object_key, NewArtifact};
use docyard::domain::{ArtifactId, Metadata};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use common::Result;

const FILE_MIB: usize = 8;

#[tokio::main]
async fn main() -> Result<()> {
    let total_mib = common::size_argument(2048);
    let common::Bench {
        server,
        dir,
        dock,
        agent,
        key,
    } = common::start("zip bench").await?;
    let state = server.state.clone();

    let objects = dir.path().join("objects").join(dock.id.as_str());
    std::fs::create_dir_all(&objects)?;
    let files = total_mib / FILE_MIB;
    for i in 0..files {
        let id = ArtifactId::generate();
        let body: Vec<u8> = (0..FILE_MIB << 20)
            .map(|b| (b * 31 + i * 7) as u8)
            .collect();
        std::fs::write(
            dir.path().join("objects").join(object_key(&dock.id, &id)),
            &body,
        )?;
        let policy = format!("POL-{:03}", i % 40);
        let new = NewArtifact {
            id,
            dock_id: dock.id.clone(),
            file_name: format!("scan-{i}.pdf"),
            content_type: "application/pdf".to_owned(),
            size_bytes: body.len() as i64,
            sha256: hex::encode(Sha256::digest(&body)),
            metadata: Metadata::from_pairs([("policy_number", policy.as_str())])?,
            backdate_to: None,
        };
        state.store.insert_artifact(new, state.clock.now()).await?;
    }
    let bytes_total = (files * FILE_MIB) as f64 * 1024.0 * 1024.0;
    println!(
        "{files} files of {FILE_MIB} MiB ({:.2} GiB)",
        bytes_total / f64::from(1 << 30)
    );

    // Two readings of "cat over the same files". Into /dev/null, the bytes
    // are read and thrown away: one copy, no reader. Into a pipe, another
    // process receives them, as the zip's client does over the socket.
    let cat_script = format!("cat {}/* > /dev/null", objects.display());
    let cat = best_of_two(&cat_script)?;
    let piped = best_of_two(&format!("cat {}/* | cat > /dev/null", objects.display()))?;
    let zip0 = time_shell(&format!(
        "cd {} && zip -q -0 -r - . > /dev/null",
        objects.display()
    ))?;

    let from_memory = loopback::from_memory(bytes_total as u64)?;
    let from_memory = from_memory.min(loopback::from_memory(bytes_total as u64)?);
    let paths: Vec<_> = std::fs::read_dir(&objects)?
        .map(|entry| entry.map(|e| e.path()))
        .collect::<std::io::Result<_>>()?;
    let sendfile = loopback::by_sendfile(paths.clone())?;
    let sendfile = sendfile.min(loopback::by_sendfile(paths)?);

    let client = reqwest::Client::new();
    let base = server.base_url();
    let auth = format!("Bearer {}", key.expose());
    let job: Value = client
        .post(format!("{base}/v1/retrieval/jobs"))
        .header("authorization", &auth)
        .json(&json!({"dockId": dock.id, "recipientId": agent.id}))
        .send()
        .await?
        .json()
        .await?;
    let job_id = job["id"].as_str().ok_or("no job id")?.to_owned();
    loop {
        let job: Value = client
            .get(format!("{base}/v1/retrieval/jobs/{job_id}"))
            .header("authorization", &auth)
            .send()
            .await?
            .json()
            .await?;
        if job["status"] == "COMPLETED" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }

    let baseline = rss_kib("VmRSS")?;
    // Writing 5 to clear_refs resets the peak, so VmHWM covers only the stream.
    std::fs::write("/proc/self/clear_refs", "5")?;
    let url = format!("{base}/v1/retrieval/jobs/{job_id}/archive");
    // The best of two, as for `cat`.
    let (first, received) = download(&client, &url, &auth).await?;
    let (second, _) = download(&client, &url, &auth).await?;
    let seconds = first.min(second);
    let peak = rss_kib("VmHWM")?;

    let rate = |s: f64| bytes_total / s / 1e6;
    println!("cat > /dev/null:       {:>7.0} MB/s", rate(cat));
    println!("cat | cat > /dev/null: {:>7.0} MB/s", rate(piped));
    println!("zip -0 -r -:           {:>7.0} MB/s", rate(zip0));
    println!(
        "bare loopback TCP:     {:>7.0} MB/s (memory to socket to nothing: any server's ceiling)",
        rate(from_memory)
    );
    println!(
        "loopback by sendfile:  {:>7.0} MB/s (files to socket in the kernel, no sender copy)",
        rate(sendfile)
    );
    println!(
        "DocYard zip:           {:>7.0} MB/s over HTTP ({received} bytes)",
        rate(seconds)
    );
    println!(
        "  = {:.2}x cat > /dev/null, {:.2}x cat | cat, {:.1}x zip -0 (targets 0.5x cat, 5x zip -0)",
        cat / seconds,
        piped / seconds,
        zip0 / seconds
    );
    println!(
        "  = {:.2}x bare loopback TCP; half of cat is {:.2}x what bare loopback carries",
        from_memory / seconds,
        from_memory / cat / 2.0
    );
    println!(
        "peak RSS rose by {:.1} MiB while streaming (target < 32 MiB)",
        peak.saturating_sub(baseline) as f64 / 1024.0
    );
    Ok(())
}

/// Seconds to receive the whole zip at `url`, and how many bytes it was.
async fn download(client: &reqwest::Client, url: &str, auth: &str) -> Result<(f64, u64)> {
    let request = client.get(url).header("authorization", auth);
    let started = Instant::now();
    // Read on a runtime task rather than on the main thread, which is not
    // one of the runtime's workers: the connection task hands the body over
    // a chunk at a time and waits for each to be taken, and across threads
    // those wake-ups cost about as much CPU as writing the zip. No real
    // client pays that.
    let received = tokio::spawn(async move {
        let mut response = request.send().await?;
        let mut received = 0u64;
        while let Some(chunk) = response.chunk().await? {
            received += chunk.len() as u64;
        }
        Ok::<_, reqwest::Error>(received)
    })
    .await??;
    Ok((started.elapsed().as_secs_f64(), received))
}

/// The faster of two runs: the first may still be filling the page cache.
fn best_of_two(script: &str) -> Result<f64> {
    Ok(time_shell(script)?.min(time_shell(script)?))
}

fn time_shell(script: &str) -> Result<f64> {
    let started = Instant::now();
    let status = Command::new("sh").arg("-c").arg(script).status()?;
    if !status.success() {
        return Err(format!("`{script}` failed").into());
    }
    Ok(started.elapsed().as_secs_f64())
}

fn rss_kib(field: &str) -> Result<u64> {
    let status = std::fs::read_to_string(Path::new("/proc/self/status"))?;
    let line = status
        .lines()
        .find(|l| l.starts_with(field))
        .ok_or_else(|| format!("{field} missing from /proc/self/status"))?;
    Ok(line
        .split_whitespace()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(0))
}
