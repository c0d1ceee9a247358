//! The `docyard` binary as an operator uses it.

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

#[test]
fn demo_json_prints_the_documented_shape_and_keeps_its_data_on_a_second_run() {
    let dir = tempfile::tempdir().expect("temp dir");

    let first = docyard(dir.path(), &["demo", "--json", "--documents", "40"]);
    let second = docyard(dir.path(), &["demo", "--json"]);

    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let mut demo: Value = serde_json::from_slice(&first.stdout).expect("JSON");
    let mut again: Value = serde_json::from_slice(&second.stdout).expect("JSON");
    let invite = demo
        .as_object_mut()
        .and_then(|d| d.remove("agentInvite"))
        .expect("an agent invite");
    let second_invite = again
        .as_object_mut()
        .and_then(|d| d.remove("agentInvite"))
        .expect("an agent invite");
    assert_eq!(demo, again, "the same demo data on a second run");
    let url = invite["url"].as_str().expect("invite URL");
    assert!(url.starts_with("http://localhost:3000/invite/"), "{url}");
    assert_ne!(
        invite["url"], second_invite["url"],
        "each run prints a fresh one-time invite"
    );
    assert_eq!(invite["handle"], "dana@whitfield-agency.example");
    assert_eq!(demo["baseUrl"], "http://localhost:3000");
    assert_eq!(demo["policyNumber"], "POL-2025-88401");
    assert!(demo["dockId"]
        .as_str()
        .is_some_and(|d| d.starts_with("dock_")));
    assert!(demo["uploader"]["apiKey"]
        .as_str()
        .is_some_and(|k| k.starts_with("dk_test_")));
    for persona in ["mortgagee", "agent", "policyholder", "auditor"] {
        assert!(demo[persona]["recipientId"]
            .as_str()
            .is_some_and(|r| r.starts_with("rcp_")));
    }
    assert!(demo["mortgagee"]["apiKey"].is_string() && demo["agent"]["apiKey"].is_string());
    let objects = dir
        .path()
        .join("objects")
        .join(demo["dockId"].as_str().expect("dock"));
    let pdfs: Vec<_> = std::fs::read_dir(objects).expect("objects").collect();
    assert_eq!(pdfs.len(), 40);
}

#[test]
fn admin_commands_create_docks_recipients_grants_and_keys() {
    let dir = tempfile::tempdir().expect("temp dir");
    let text = |out: std::process::Output| {
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout)
            .expect("utf-8")
            .trim()
            .to_owned()
    };

    let dock = text(docyard(
        dir.path(),
        &["dock", "create", "--name", "Carrier"],
    ));
    let recipient = text(docyard(
        dir.path(),
        &["recipient", "create", "--persona", "agent", "--name", "A"],
    ));
    text(docyard(
        dir.path(),
        &[
            "grant",
            "create",
            "--recipient",
            &recipient,
            "--dock",
            &dock,
            "--scope",
            "agent_code=AG-1",
        ],
    ));
    let key = text(docyard(
        dir.path(),
        &["key", "create", "--recipient", &recipient, "--live"],
    ));
    let (key_id, secret) = key.split_once('\t').expect("id and secret");
    let revoked = text(docyard(dir.path(), &["key", "revoke", key_id]));

    assert!(dock.starts_with("dock_") && recipient.starts_with("rcp_"));
    assert!(secret.starts_with("dk_live_") && secret.len() == 40);
    assert_eq!(revoked, format!("revoked {key_id}"));
    let listing = text(docyard(dir.path(), &["key", "list"]));
    let row = listing
        .lines()
        .find(|l| l.starts_with(key_id))
        .expect("key listed");
    assert!(row.contains(&recipient) && row.contains(&secret[..12]));
    assert!(!row.contains(secret), "the secret must never be listed");
    assert_eq!(
        row.split('\t').nth(5).map(|r| r != "-"),
        Some(true),
        "revocation shown"
    );

    let invite = text(docyard(
        dir.path(),
        &[
            "invite",
            "agent",
            &recipient,
            "--handle",
            "a@example.test",
            "--public-url",
            "https://portal.example.test",
        ],
    ));
    assert!(
        invite.contains("https://portal.example.test/invite/"),
        "{invite}"
    );
}

#[test]
fn a_bad_argument_is_one_clear_line_and_a_failing_exit() {
    let dir = tempfile::tempdir().expect("temp dir");

    let bad_id = docyard(
        dir.path(),
        &[
            "grant",
            "create",
            "--recipient",
            "rcp_x",
            "--dock",
            "dock_y",
        ],
    );
    let unknown = docyard(
        dir.path(),
        &[
            "grant",
            "create",
            "--recipient",
            "rcp_01HQ3N0000000000000000000A",
            "--dock",
            "dock_01HQ3K0000000000000000000A",
        ],
    );

    assert!(!bad_id.status.success() && !unknown.status.success());
    let message = String::from_utf8_lossy(&unknown.stderr);
    assert_eq!(message.trim().lines().count(), 1, "{message}");
    assert!(message.contains("no recipient rcp_01HQ3N0000000000000000000A"));
    assert!(!String::from_utf8_lossy(&bad_id.stderr).contains("panicked"));
}

#[test]
fn cert_commands_register_list_and_remove_a_mortgagees_certificate() {
    let dir = tempfile::tempdir().expect("temp dir");
    let run = |args: &[&str]| {
        let out = docyard(dir.path(), args);
        let text = |b: &[u8]| String::from_utf8_lossy(b).trim().to_owned();
        (out.status.success(), text(&out.stdout), text(&out.stderr))
    };
    let (_, lender, _) = run(&[
        "recipient",
        "create",
        "--persona",
        "mortgagee",
        "--name",
        "L",
    ]);
    let (_, agent, _) = run(&["recipient", "create", "--persona", "agent", "--name", "A"]);
    let ca = docyard::demo::tls::DemoCa::new("CLI test CA").expect("CA");
    let issued = ca.client("Lender", 1, 30).expect("cert");
    let pem = dir.path().join("lender.pem");
    std::fs::write(&pem, &issued.cert_pem).expect("write");
    let pem = pem.to_str().expect("path");

    let (ok, registered, _) = run(&["cert", "register", "--recipient", &lender, "--file", pem]);
    let (refused, _, why) = run(&["cert", "register", "--recipient", &agent, "--file", pem]);
    let (_, listing, _) = run(&["cert", "list"]);
    let id = registered.split('\t').next().expect("id").to_owned();
    let (removed, _, _) = run(&["cert", "remove", &id]);
    let (_, after, _) = run(&["cert", "list"]);

    assert!(ok && registered.starts_with("crt_") && registered.contains("CN=Lender"));
    assert!(!refused && why.contains("for mortgagees"), "{why}");
    let der = docyard::certs::pem_cert(&issued.cert_pem).expect("der");
    assert!(
        listing.contains(&docyard::certs::fingerprint(&der)),
        "{listing}"
    );
    assert!(removed && !after.contains(&id));

    let (intact, verdict, _) = run(&["audit", "verify"]);
    let (_, trail, _) = run(&["audit", "list", "--action", "admin_cert"]);
    assert!(intact && verdict.contains("intact"), "{verdict}");
    let cert_lines: Vec<&str> = trail.lines().skip(1).collect();
    assert_eq!(
        cert_lines.len(),
        5,
        "register, refused register, list, remove, list: {trail}"
    );
    assert!(cert_lines.iter().all(|l| l.contains("admin:")));
    assert!(cert_lines[1].contains("\trefused\t"), "{trail}");
    assert!(cert_lines[2].contains("List") && cert_lines[4].contains("List"));
    let (_, reads, _) = run(&["audit", "list", "--action", "admin_audit"]);
    assert_eq!(reads.lines().skip(1).count(), 2, "verify and list: {reads}");
}
