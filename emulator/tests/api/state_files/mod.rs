//! The state file across versions and machines: migration from the previous schema's
//! fixture, refusal of files that are not ours or are from the future, export and import.

use std::path::{Path, PathBuf};

use irp_emulator::samples::{self, InvoiceSpec};
use serde_json::{Value, json};
use time::macros::date;

use crate::{
    invoice::GENERATE,
    wire::{Process, Wire},
};

const BIN: &str = env!("CARGO_BIN_EXE_irp-emulator");
/// The virtual time at which the fixtures were made (IST).
pub(crate) const FIXTURE_TIME: &str = "2026-11-20 10:00:00";
/// A time a few minutes later: the fixture's token still lives and its IRNs are retrievable.
pub(crate) const AFTER_FIXTURE: &str = "2026-11-20 10:05:00";
/// A taxpayer added at run time in the fixture (its user must still log in).
const ADDED_GSTIN: &str = "33AAACT2222E1Z5";

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

pub(crate) fn fixture_invoice(doc_no: &str, ewb: bool) -> Value {
    let mut spec = InvoiceSpec::simple(doc_no, date!(2026 - 11 - 19));
    spec.ewb_distance = ewb.then_some(120);
    samples::invoice(&spec)
}

/// Writes the fixture of the current schema version: run it (it is ignored by default)
/// with `cargo test -p irp-emulator --test api make_state_fixture -- --ignored` before a
/// change that adds a migration, and keep the file as `state-v<N>.sqlite`.
#[tokio::test]
#[ignore = "writes tests/fixtures; run by hand before adding a migration"]
async fn make_state_fixture() {
    let work = tempfile::tempdir().unwrap();
    let data = work.path().join("data");
    let process = Process::with_data_dir(&data);
    let admin = Wire {
        http: crate::wire::http(),
        base: process.url.clone(),
        login: Wire::login(&process.url).await.login,
    };
    admin
        .control("clock", &json!({ "freeze_at": FIXTURE_TIME }))
        .await;
    let wire = Wire::login(&process.url).await;
    let mut irns = Vec::new();
    for (doc, ewb) in [("FIX-001", false), ("FIX-002", true), ("FIX-003", false)] {
        let answer = wire.open(
            &wire
                .post(GENERATE, &fixture_invoice(doc, ewb))
                .await
                .unwrap(),
        );
        irns.push(answer);
    }
    let cancelled = irns[2]["Irn"].as_str().unwrap();
    let cancel = json!({"Irn": cancelled, "CnlRsn": "1", "CnlRem": "Duplicate"});
    wire.open(
        &wire
            .post("/eicore/v1.03/Invoice/Cancel", &cancel)
            .await
            .unwrap(),
    );
    admin
        .control(
            "taxpayers",
            &json!({
                "Gstin": ADDED_GSTIN, "LegalName": "FIXTURE TRADERS", "StateCode": "33",
                "AddrPncd": 600001, "Users": [{"UserName": "fixture_user", "Password": "fixture-pw"}],
            }),
        )
        .await;
    let version = env!("CARGO_PKG_VERSION");
    let export = work.path().join("export.sqlite");
    let status = std::process::Command::new(BIN)
        .args(["state", "export", "--data-dir"])
        .arg(&data)
        .arg(&export)
        .status()
        .unwrap();
    assert!(status.success());
    let schema = irp_emulator::store::SCHEMA_VERSION;
    std::fs::copy(&export, fixture(&format!("state-v{schema}.sqlite"))).unwrap();
    let expected = json!({
        "made_by": format!("irp-emulator {version}, schema version {schema}"),
        "token": wire.login.token,
        "sek_hex": wire.login.sek.iter().map(|b| format!("{b:02x}")).collect::<String>(),
        "registrations": irns,
        "cancelled": cancelled,
    });
    std::fs::write(
        fixture(&format!("state-v{schema}.json")),
        serde_json::to_string_pretty(&expected).unwrap() + "\n",
    )
    .unwrap();
}

/// A data directory holding a copy of `file` as its database.
fn data_dir_with(file: &Path) -> (tempfile::TempDir, PathBuf) {
    let work = tempfile::tempdir().unwrap();
    let data = work.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    std::fs::copy(file, data.join(irp_emulator::store::DB_FILE)).unwrap();
    (work, data)
}

/// The fixture's session, as the client that made it still holds it.
fn fixture_session(expected: &Value, base: &str) -> Wire {
    let hex = expected["sek_hex"].as_str().unwrap();
    let sek = (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
        .collect();
    Wire {
        http: crate::wire::http(),
        base: base.to_owned(),
        login: crate::helpers::Login {
            token: expected["token"].as_str().unwrap().to_owned(),
            sek,
            expiry: String::new(),
            gstin: crate::helpers::LARGE.to_owned(),
            user: crate::helpers::LARGE_USER.to_owned(),
        },
    }
}

#[tokio::test]
async fn a_version_1_database_is_migrated_and_keeps_everything() {
    let expected: Value =
        serde_json::from_str(&std::fs::read_to_string(fixture("state-v1.json")).unwrap()).unwrap();
    let (_work, data) = data_dir_with(&fixture("state-v1.sqlite"));
    let process = Process::with_data_dir(&data);
    let wire = fixture_session(&expected, &process.url);
    wire.control("clock", &json!({ "freeze_at": AFTER_FIXTURE }))
        .await;

    // The session made before the upgrade still works, and every registration reads back
    // byte for byte.
    let registrations = expected["registrations"].as_array().unwrap();
    for registration in registrations {
        let irn = registration["Irn"].as_str().unwrap();
        let got = wire.open(&wire.get(&format!("/eicore/v1.03/Invoice/irn/{irn}")).await);
        assert_eq!(got["SignedInvoice"], registration["SignedInvoice"]);
        assert_eq!(got["SignedQRCode"], registration["SignedQRCode"]);
        assert_eq!(got["AckNo"], registration["AckNo"]);
        assert_eq!(got["AckDt"], registration["AckDt"]);
        let cancelled = irn == expected["cancelled"];
        assert_eq!(got["Status"], if cancelled { "CNL" } else { "ACT" });
        assert_eq!(got["EwbNo"], registration["EwbNo"]);
    }
    // Duplicates are still refused, and the cancelled number stays burnt.
    for (doc, code) in [("FIX-001", "2150"), ("FIX-003", "2278")] {
        let answer = wire
            .post(GENERATE, &fixture_invoice(doc, false))
            .await
            .unwrap();
        assert_eq!(answer["ErrorDetails"][0]["ErrorCode"], code, "{answer}");
    }
    // The AckNo sequence continues after the fixture's last.
    let last = registrations
        .iter()
        .map(|r| r["AckNo"].as_u64().unwrap())
        .max()
        .unwrap();
    let fresh = wire.open(
        &wire
            .post(GENERATE, &fixture_invoice("FIX-004", false))
            .await
            .unwrap(),
    );
    assert_eq!(fresh["AckNo"].as_u64().unwrap(), last + 1);
    // The taxpayer added at run time is still there.
    let added: Value = crate::wire::json_of(
        crate::wire::http().get(format!("{}/__emulator__/sandbox", process.url)),
    )
    .await;
    assert!(
        added["users"]
            .as_array()
            .unwrap()
            .iter()
            .any(|u| u["gstin"] == ADDED_GSTIN),
        "{added}"
    );
    // The journal (added by version 2) records calls made after the upgrade.
    let journal = crate::wire::json_of(crate::wire::http().get(format!(
        "{}/__emulator__/journal?api=generate_irn",
        process.url
    )))
    .await;
    assert_eq!(journal["count"], 3, "{journal}");
    // Everything registered before version 6 is NIC-1's (the fixture's IRNs are found
    // without an `irp` header above), and a single-IRP journal names no IRP.
    for entry in journal["entries"].as_array().unwrap() {
        assert!(entry.get("irp").is_none(), "{entry}");
    }
    drop(process);
    let version = rusqlite::Connection::open(data.join(irp_emulator::store::DB_FILE))
        .unwrap()
        .pragma_query_value(None, "user_version", |r| r.get::<_, u32>(0))
        .unwrap();
    assert_eq!(version, irp_emulator::store::SCHEMA_VERSION);
}

/// Runs the binary on `data` and returns whether it started and its stderr. A binary
/// that accepts the file would serve forever: it is given 30 s to refuse, then stopped.
fn refused(data: &Path) -> (bool, String) {
    let mut child = std::process::Command::new(BIN)
        .args(["--addr", "127.0.0.1:0", "--data-dir"])
        .arg(data)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut started = true;
    for _ in 0..600 {
        if let Some(status) = child.try_wait().unwrap() {
            started = status.success();
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    if child.try_wait().unwrap().is_none() {
        child.kill().unwrap();
    }
    let output = child.wait_with_output().unwrap();
    (
        started,
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn corrupt_foreign_and_newer_files_are_refused_untouched() {
    let work = tempfile::tempdir().unwrap();
    let garbage = work.path().join("garbage");
    std::fs::write(
        &garbage,
        b"this is not a database at all, not even close ........",
    )
    .unwrap();
    let foreign = work.path().join("foreign");
    rusqlite::Connection::open(&foreign)
        .unwrap()
        .execute_batch("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('mine');")
        .unwrap();
    let newer = work.path().join("newer");
    std::fs::copy(fixture("state-v1.sqlite"), &newer).unwrap();
    rusqlite::Connection::open(&newer)
        .unwrap()
        .pragma_update(None, "user_version", 999)
        .unwrap();
    for (file, message) in [
        (&garbage, "not a readable emulator database"),
        (&foreign, "another application"),
        (&newer, "newer than this emulator"),
    ] {
        let before = std::fs::read(file).unwrap();
        let (_keep, data) = data_dir_with(file);
        let (ok, stderr) = refused(&data);
        assert!(!ok, "{file:?} was accepted");
        assert!(stderr.contains(message), "{file:?}: {stderr}");
        let after = std::fs::read(data.join(irp_emulator::store::DB_FILE)).unwrap();
        assert!(before == after, "{file:?} was modified");
    }
}

#[tokio::test]
async fn export_and_import_carry_the_state_to_another_directory() {
    let work = tempfile::tempdir().unwrap();
    let first = work.path().join("first");
    let process = Process::with_data_dir(&first);
    let wire = Wire::login(&process.url).await;
    wire.control("clock", &json!({ "freeze_at": FIXTURE_TIME }))
        .await;
    let made = wire.open(
        &wire
            .post(GENERATE, &fixture_invoice("EXP-001", false))
            .await
            .unwrap(),
    );
    let export = work.path().join("shared.sqlite");
    let run = |args: &[&str], dir: &Path| {
        std::process::Command::new(BIN)
            .args(args)
            .arg("--data-dir")
            .arg(dir)
            .arg(&export)
            .output()
            .unwrap()
    };
    // Export works while the server runs.
    assert!(run(&["state", "export"], &first).status.success());
    // Import refuses a directory a server holds.
    let busy = run(&["state", "import"], &first);
    assert!(!busy.status.success());
    assert!(String::from_utf8_lossy(&busy.stderr).contains("in use"));
    drop(process);

    let second = work.path().join("second");
    assert!(run(&["state", "import"], &second).status.success());
    let process = Process::with_data_dir(&second);
    let wire = Wire::login(&process.url).await;
    wire.control("clock", &json!({ "freeze_at": AFTER_FIXTURE }))
        .await;
    let irn = made["Irn"].as_str().unwrap();
    let got = wire.open(&wire.get(&format!("/eicore/v1.03/Invoice/irn/{irn}")).await);
    assert_eq!(got["SignedInvoice"], made["SignedInvoice"]);
}

mod damaged;
mod scale;

/// A clean stop leaves a record that lets the next start skip the whole-file checks; the
/// start takes it away, so a crash during that run leaves none and the start after the crash
/// checks everything again. Numbering continues either way.
#[tokio::test]
async fn a_clean_stop_spares_the_next_start_its_checks_and_a_crash_does_not() {
    use irp_emulator::store::CLEAN_FILE;
    let work = tempfile::tempdir().unwrap();
    let data = work.path().join("data");
    let register = async |process: &Process, doc: &str| {
        let wire = Wire::login(&process.url).await;
        wire.control("clock", &json!({ "freeze_at": FIXTURE_TIME }))
            .await;
        let answer = wire.post(GENERATE, &fixture_invoice(doc, false)).await;
        wire.open(&answer.unwrap())["AckNo"].as_u64().unwrap()
    };
    let record = data.join(CLEAN_FILE);

    let first = Process::with_data_dir(&data);
    let one = register(&first, "CLEAN-1").await;
    assert!(!record.exists());
    first.stop();
    assert!(record.exists(), "a clean stop is recorded");

    let second = Process::with_data_dir(&data);
    assert!(!record.exists(), "the start took the record away");
    let two = register(&second, "CLEAN-2").await;
    assert!(two > one);
    second.kill9();
    assert!(!record.exists(), "a crash leaves no record");

    let third = Process::with_data_dir(&data);
    let three = register(&third, "CLEAN-3").await;
    assert!(three > two);
    third.stop();
    assert!(record.exists());
}
