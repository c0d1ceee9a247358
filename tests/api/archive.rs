//! `GET /v1/retrieval/jobs/{id}/archive`: the whole job as one zip.

use std::io::Read;
use std::process::Command;

use docyard::domain::Persona;
use docyard::server::Worker;
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{error_of, spawn_app, spawn_app_with, Actor, TestApp};

const FRENCH: &str = "Déclaration_Müller_保険.pdf";

async fn archive(app: &TestApp, actor: &Actor, job_id: &str) -> reqwest::Response {
    app.get(&actor.key, &format!("/v1/retrieval/jobs/{job_id}/archive"))
        .await
}

#[tokio::test]
async fn duplicate_and_non_ascii_names_come_out_as_readable_entries_with_their_bytes() {
    let app = spawn_app().await;
    let agent = app
        .recipient(Persona::Agent, &[("agent_code", "AG-1")])
        .await;
    let dec = |policy| {
        [
            ("policy_number", policy),
            ("document_type", "declaration-page"),
            ("agent_code", "AG-1"),
        ]
    };
    app.upload("DeclarationPage.pdf", b"%PDF-1.7 policy A", &dec("POL-A"))
        .await;
    app.upload("DeclarationPage.pdf", b"%PDF-1.7 policy B", &dec("POL-B"))
        .await;
    app.upload(FRENCH, b"%PDF-1.7 Muller", &dec("POL-A")).await;
    let lost = app.upload("lost.pdf", b"gone", &dec("POL-A")).await;
    let objects = app.dir.path().join("objects").join(app.dock.as_str());
    std::fs::remove_file(objects.join(lost["id"].as_str().expect("id"))).expect("remove");
    let job = app.run_job(&agent, json!({})).await;

    let response = archive(&app, &agent, job["id"].as_str().expect("id")).await;

    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "application/zip");
    let bytes = response.bytes().await.expect("zip");
    let path = app.dir.path().join("job.zip");
    std::fs::write(&path, &bytes).expect("write zip");
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).expect("a zip");
    let mut read = |name: &str| {
        let mut entry = zip
            .by_name(name)
            .unwrap_or_else(|_| panic!("{name} missing"));
        let mut content = Vec::new();
        entry.read_to_end(&mut content).expect("entry bytes");
        content
    };
    assert_eq!(
        read("POL-A/declaration-page/DeclarationPage.pdf"),
        b"%PDF-1.7 policy A"
    );
    assert_eq!(
        read("POL-B/declaration-page/DeclarationPage.pdf"),
        b"%PDF-1.7 policy B"
    );
    assert_eq!(
        read(&format!("POL-A/declaration-page/{FRENCH}")),
        b"%PDF-1.7 Muller"
    );
    let manifest = String::from_utf8(read("manifest.csv")).expect("utf-8 manifest");
    assert_eq!(manifest.lines().filter(|l| l.contains(",ok,")).count(), 3);
    assert!(manifest.contains(&format!(
        "{},,,error,object_missing",
        lost["id"].as_str().expect("id")
    )));

    let unzip = Command::new("unzip")
        .arg("-t")
        .arg(&path)
        .output()
        .expect("unzip runs");
    assert!(
        unzip.status.success(),
        "{}",
        String::from_utf8_lossy(&unzip.stdout)
    );
    // 7-Zip tests every CRC and must list the entries by their UTF-8 names.
    let seven = Command::new("7zz")
        .args(["t", "-sccUTF-8"])
        .arg(&path)
        .output()
        .expect("7zz runs (Debian's 7zip package; dev/setup.sh --test installs it)");
    let listing = String::from_utf8_lossy(&seven.stdout);
    assert!(seven.status.success(), "{listing}");
    assert!(listing.contains("Everything is Ok"), "{listing}");
    let names = Command::new("7zz")
        .args(["l", "-ba", "-sccUTF-8"])
        .arg(&path)
        .output()
        .expect("7z runs");
    let names = String::from_utf8_lossy(&names.stdout);
    assert!(names.contains(FRENCH), "{names}");
    let python = Command::new("python3")
        .args(["-c", PYTHON_CHECK])
        .arg(&path)
        .arg(FRENCH)
        .output()
        .expect("python3 runs");
    assert!(
        python.status.success(),
        "{}",
        String::from_utf8_lossy(&python.stderr)
    );
}

/// Python's zipfile reads every entry, checks CRCs, and sees the UTF-8 flag.
const PYTHON_CHECK: &str = r#"
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    assert z.testzip() is None, "a CRC does not match"
    info = next(i for i in z.infolist() if i.filename.endswith(sys.argv[2]))
    assert info.flag_bits & 0x800, "UTF-8 flag missing"
    assert info.compress_type == zipfile.ZIP_STORED, "PDFs should be stored"
"#;

#[tokio::test]
async fn only_the_owning_agent_or_mortgagee_gets_the_archive() {
    let app = spawn_app().await;
    let agent = app.recipient(Persona::Agent, &[]).await;
    app.upload("a.pdf", b"a", &[]).await;
    let job = app.run_job(&agent, json!({})).await;
    let id = job["id"].as_str().expect("id");
    let other = app.recipient(Persona::Agent, &[]).await;
    let policyholder = app.recipient(Persona::Policyholder, &[]).await;
    let auditor = app.recipient(Persona::Auditor, &[]).await;

    let anonymous = app
        .client
        .get(app.url(&format!("/v1/retrieval/jobs/{id}/archive")))
        .send()
        .await;

    assert_eq!(anonymous.expect("get").status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        archive(&app, &other, id).await.status(),
        StatusCode::NOT_FOUND
    );
    // Their persona has no bulk retrieval at all: refused as such.
    assert_eq!(
        archive(&app, &policyholder, id).await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        archive(&app, &auditor, id).await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(archive(&app, &agent, id).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn the_archive_of_an_unfinished_job_is_a_conflict() {
    let app = spawn_app_with(Worker::Off).await;
    let agent = app.recipient(Persona::Agent, &[]).await;
    let job: Value = app
        .create_job(
            &agent.key,
            json!({"dockId": app.dock, "recipientId": agent.id}),
        )
        .await
        .json()
        .await
        .expect("job");

    let (status, error) =
        error_of(archive(&app, &agent, job["id"].as_str().expect("id")).await).await;

    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(error["code"], "job_not_completed");
}
