//! The admin commands behind the policyholder's and the auditor's doors.

use std::process::Command;

use serde_json::Value;

fn docyard(data_dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_docyard"))
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .env("DOCYARD_LOG", "error")
        .output()
        .expect("docyard runs")
}

fn stdout(output: &std::process::Output) -> String {
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).trim().to_owned()
}

fn stderr(output: &std::process::Output) -> String {
    assert!(!output.status.success(), "the command should fail");
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn demo_prints_the_policyholder_phone_and_the_auditor_badge() {
    let dir = tempfile::tempdir().expect("temp dir");
    let demo = docyard(dir.path(), &["demo", "--json", "--documents", "20"]);
    let demo: Value = serde_json::from_str(&stdout(&demo)).expect("JSON");
    assert_eq!(demo["policyholder"]["phone"], "+15550100199");
    assert_eq!(demo["auditor"]["badgeId"], "AUD-1042");
    let nda = demo["auditor"]["ndaSha256"].as_str().expect("hash");
    assert_eq!(nda.len(), 64);
}

#[test]
fn phones_are_registered_to_policyholders_only_and_once() {
    let dir = tempfile::tempdir().expect("temp dir");
    let create = |persona: &str| {
        let out = docyard(
            dir.path(),
            &["recipient", "create", "--persona", persona, "--name", "n"],
        );
        stdout(&out)
    };
    let (holder, agent) = (create("policyholder"), create("agent"));
    let register = |who: &str, phone: &str| {
        docyard(
            dir.path(),
            &["phone", "register", "--recipient", who, "--phone", phone],
        )
    };

    let done = stdout(&register(&holder, "+1 555 010 0123"));
    assert!(done.contains("+15550100123"), "{done}");
    assert!(stderr(&register(&holder, "+15550100123")).contains("already registered"));
    assert!(stderr(&register(&agent, "+15550100124")).contains("only policyholders"));
    assert!(stderr(&register(&holder, "5550100125")).contains("international"));

    let audit = stdout(&docyard(
        dir.path(),
        &["audit", "list", "--action", "admin_phone"],
    ));
    assert!(
        audit.contains("+…23"),
        "the trail names the number masked: {audit}"
    );
    assert!(!audit.contains("+15550100123"));
}

#[test]
fn auditors_are_added_with_a_badge_and_an_nda_hash_or_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let nda_file = dir.path().join("nda.txt");
    std::fs::write(&nda_file, b"signed").expect("nda");
    let nda = nda_file.to_str().expect("path");

    let id = stdout(&docyard(
        dir.path(),
        &[
            "auditor",
            "add",
            "--name",
            "A",
            "--badge",
            "aud-1",
            "--nda-file",
            nda,
        ],
    ));
    assert!(id.starts_with("rcp_"), "{id}");
    let again = docyard(
        dir.path(),
        &[
            "auditor",
            "add",
            "--name",
            "B",
            "--badge",
            "AUD-1",
            "--nda-sha256",
            &"a".repeat(64),
        ],
    );
    assert!(stderr(&again).contains("already registered"));
    let bad = docyard(
        dir.path(),
        &[
            "auditor",
            "add",
            "--name",
            "C",
            "--badge",
            "AUD-2",
            "--nda-sha256",
            "xyz",
        ],
    );
    assert!(stderr(&bad).contains("64 hexadecimal digits"));
}

#[test]
fn a_policyholders_grant_must_name_their_policy() {
    let dir = tempfile::tempdir().expect("temp dir");
    let dock = stdout(&docyard(dir.path(), &["dock", "create", "--name", "d"]));
    let holder = stdout(&docyard(
        dir.path(),
        &[
            "recipient",
            "create",
            "--persona",
            "policyholder",
            "--name",
            "h",
        ],
    ));
    let grant = |scope: &[&str]| {
        let mut args = vec!["grant", "create", "--recipient", &holder, "--dock", &dock];
        for pair in scope {
            args.extend(["--scope", pair]);
        }
        docyard(dir.path(), &args)
    };

    let whole_dock = stderr(&grant(&[]));
    let by_state = stderr(&grant(&["state=TX"]));
    let own_policy = stdout(&grant(&["policy_number=POL-7", "state=TX"]));

    assert!(whole_dock.contains("policy_number"), "{whole_dock}");
    assert!(by_state.contains("policy_number"), "{by_state}");
    assert!(own_policy.contains("POL-7"), "{own_policy}");
}
