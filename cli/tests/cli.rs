//! The `binhan` command line end to end, as a trainer or a script uses it.
//! All data is synthetic.

mod common;

use common::Run;
use serde_json::{json, Value};
use std::path::Path;

const PIN: &str = "493817";

/// Runs `binhan` on `vault` with `stdin`, and the PIN in BINHAN_PIN if given.
fn binhan(vault: &Path, args: &[&str], pin: Option<&str>, stdin: &str) -> Run {
    common::run(vault, args, stdin, |cmd| {
        cmd.env_remove("BINHAN_PIN");
        if let Some(pin) = pin {
            cmd.env("BINHAN_PIN", pin);
        }
    })
}

fn init(vault: &Path) {
    let run = binhan(
        vault,
        &[
            "init",
            "--kdf-memory-mib",
            "46",
            "--kdf-iterations",
            "1",
            "--max-attempts",
            "3",
            "--delay-secs",
            "0",
        ],
        None,
        &format!("{PIN}\n"),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
}

fn ok(run: Run) -> Value {
    assert_eq!(run.code, 0, "stderr: {}", run.stderr);
    run.stdout
}

fn intake() -> String {
    std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/intake.json"
    ))
    .unwrap()
}

#[test]
fn a_case_is_recorded_listed_updated_and_closed_offline() {
    let dir = tempfile::tempdir().unwrap();
    let vault = dir.path().join("vault");
    init(&vault);

    // PIN on the first line of standard input, the form after it.
    let created = ok(binhan(
        &vault,
        &["case", "create"],
        None,
        &format!("{PIN}\n{}", intake()),
    ));
    let id = created["case_id"].as_str().unwrap().to_string();

    let list = ok(binhan(
        &vault,
        &["case", "list", "--status", "open"],
        Some(PIN),
        "",
    ));
    assert_eq!(list["cases"][0]["survivor_code"], "SYN-0001");
    assert_eq!(list["cases"][0]["survivor_is_child"], true);

    ok(binhan(
        &vault,
        &["case", "update", &id],
        Some(PIN),
        r#"{"survivor": {"disability": true}, "incident": {"previous_incidents": true}}"#,
    ));
    ok(binhan(
        &vault,
        &["case", "note", &id],
        Some(PIN),
        r#"{"text": "Ghi chú tổng hợp: đã gặp tại trường."}"#,
    ));
    ok(binhan(
        &vault,
        &["case", "follow-up", &id],
        Some(PIN),
        r#"{"date": "2026-09-10", "goals": [{"goal": "Health check", "status": "achieved"}]}"#,
    ));
    ok(binhan(
        &vault,
        &["case", "service", &id],
        Some(PIN),
        r#"{"service": "health", "outcome": "delivered", "date": "2026-09-05", "provider": "Synthetic health station"}"#,
    ));
    ok(binhan(
        &vault,
        &["case", "safety-plan", &id],
        Some(PIN),
        r#"{"safe_place": "Synthetic aunt's house", "steps": ["Keep the phone charged"], "reviewed_on": "2026-09-10"}"#,
    ));
    ok(binhan(
        &vault,
        &["case", "consent", &id],
        Some(PIN),
        r#"{"scope": "statistics", "granted": false}"#,
    ));

    let shown = ok(binhan(&vault, &["case", "show", &id], Some(PIN), ""));
    assert_eq!(shown["survivor"]["disability"], true);
    assert_eq!(shown["incident"]["previous_incidents"], true);
    assert_eq!(
        shown["notes"][0]["value"]["text"],
        "Ghi chú tổng hợp: đã gặp tại trường."
    );
    assert_eq!(shown["services"].as_array().unwrap().len(), 2);
    assert_eq!(shown["derived"]["reporting_delay"], "0_3_days");
    let statistics = shown["consents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["scope"] == "statistics")
        .unwrap();
    assert_eq!(statistics["granted"], false);

    // Closing without the full checklist is refused and writes nothing.
    let refused = binhan(
        &vault,
        &["case", "close", &id],
        Some(PIN),
        r#"{"reason": "needs_met", "checklist": {"needs_met_or_declined": true, "safety_reviewed": true, "survivor_informed_can_return": true, "service_outcomes_recorded": true, "supervisor_reviewed": false}}"#,
    );
    assert_eq!(refused.code, 2);
    assert_eq!(refused.stderr["error"]["field"], "closure.checklist");
    let closed = ok(binhan(
        &vault,
        &["case", "close", &id],
        Some(PIN),
        r#"{"reason": "needs_met", "checklist": {"needs_met_or_declined": true, "safety_reviewed": true, "survivor_informed_can_return": true, "service_outcomes_recorded": true, "supervisor_reviewed": true}}"#,
    ));
    assert_eq!(closed["case_id"], id.as_str());
    assert_eq!(
        ok(binhan(
            &vault,
            &["case", "list", "--status", "closed"],
            Some(PIN),
            ""
        ))["cases"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    ok(binhan(
        &vault,
        &["case", "reopen", &id],
        Some(PIN),
        r#"{"reason": "A new incident was reported"}"#,
    ));
    assert_eq!(
        ok(binhan(&vault, &["case", "show", &id], Some(PIN), ""))["status"],
        "open"
    );
    assert_eq!(
        ok(binhan(&vault, &["case", "conflicts", &id], Some(PIN), "")),
        json!([])
    );
    assert_eq!(
        ok(binhan(
            &vault,
            &["case", "list", "--code", "syn-00"],
            Some(PIN),
            ""
        ))["cases"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn bad_input_is_named_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let vault = dir.path().join("vault");
    init(&vault);
    let mut form: Value = serde_json::from_str(&intake()).unwrap();
    form["survivor"]["sex"] = json!("unknown-sex");
    let run = binhan(&vault, &["case", "create"], Some(PIN), &form.to_string());
    assert_eq!(run.code, 2);
    assert_eq!(run.stderr["error"]["field"], "survivor.sex");
    assert!(
        !run.stderr.to_string().contains("unknown-sex"),
        "the error does not echo input"
    );

    let mut form: Value = serde_json::from_str(&intake()).unwrap();
    form["survivor"]["age_years"] = json!(130);
    let run = binhan(&vault, &["case", "create"], Some(PIN), &form.to_string());
    assert_eq!(run.stderr["error"]["field"], "survivor.age_years");
    assert_eq!(run.stderr["error"]["rule"], "at_most");
    assert_eq!(run.stderr["error"]["rule_en"], "must be at most 120");
    assert_eq!(run.stderr["error"]["rule_vi"], "không được lớn hơn 120");

    let run = binhan(&vault, &["case", "create"], Some(PIN), "{ not json");
    assert_eq!(run.code, 2);
    assert_eq!(run.stderr["error"]["kind"], "invalid");

    // A referral without consent for that recipient is refused.
    let mut form: Value = serde_json::from_str(&intake()).unwrap();
    form["consents"] = json!([]);
    let run = binhan(&vault, &["case", "create"], Some(PIN), &form.to_string());
    assert_eq!(run.stderr["error"]["kind"], "not_allowed");
    assert_eq!(run.stderr["error"]["reason"], "consent_missing");

    assert_eq!(
        ok(binhan(&vault, &["case", "list"], Some(PIN), ""))["cases"],
        json!([])
    );
}

#[test]
fn pins_weak_wrong_changed_duress_and_wipe() {
    let dir = tempfile::tempdir().unwrap();
    let vault = dir.path().join("vault");
    let weak = binhan(&vault, &["init"], Some("123456"), "");
    assert_eq!(weak.code, 2);
    assert_eq!(weak.stderr["error"]["kind"], "weak_pin");
    assert_eq!(
        weak.stderr["error"]["reason_vi"],
        "mã PIN không được là dãy số liên tiếp"
    );
    init(&vault);
    ok(binhan(&vault, &["case", "create"], Some(PIN), &intake()));

    let wrong = binhan(&vault, &["unlock"], Some("902817"), "");
    assert_eq!(wrong.code, 3);
    assert_eq!(wrong.stderr["error"]["attempts_remaining"], 2);
    assert_eq!(
        ok(binhan(&vault, &["unlock"], Some(PIN), ""))["attempts_remaining"],
        3
    );

    ok(binhan(
        &vault,
        &["change-pin"],
        None,
        &format!("{PIN}\n602938\n"),
    ));
    assert_eq!(binhan(&vault, &["unlock"], Some(PIN), "").code, 3);
    ok(binhan(&vault, &["unlock"], Some("602938"), ""));

    ok(binhan(&vault, &["duress-pin"], None, "602938\n771946\n"));
    // The duress PIN opens an empty vault, exactly like the real one would.
    assert_eq!(
        ok(binhan(&vault, &["case", "list"], Some("771946"), ""))["cases"],
        json!([])
    );
    assert_eq!(binhan(&vault, &["unlock"], Some("602938"), "").code, 3);

    ok(binhan(&vault, &["wipe"], None, ""));
    let after = binhan(&vault, &["unlock"], Some("771946"), "");
    assert_eq!(after.code, 4);
    assert_eq!(ok(binhan(&vault, &["status"], None, ""))["erased"], true);
    // A new vault can be made in its place.
    init(&vault);
    assert_eq!(
        ok(binhan(&vault, &["case", "list"], Some(PIN), ""))["cases"],
        json!([])
    );
}

#[test]
fn attempts_run_out_and_erase() {
    let dir = tempfile::tempdir().unwrap();
    let vault = dir.path().join("vault");
    init(&vault);
    ok(binhan(&vault, &["case", "create"], Some(PIN), &intake()));
    assert_eq!(
        binhan(&vault, &["unlock"], Some("902817"), "").stderr["error"]["attempts_remaining"],
        2
    );
    assert_eq!(
        binhan(&vault, &["unlock"], Some("902817"), "").stderr["error"]["attempts_remaining"],
        1
    );
    assert_eq!(binhan(&vault, &["unlock"], Some("902817"), "").code, 4);
    let run = binhan(&vault, &["case", "list"], Some(PIN), "");
    assert_eq!(run.code, 4, "the right PIN cannot bring the data back");
}

#[test]
fn labels_are_bilingual() {
    let dir = tempfile::tempdir().unwrap();
    let labels = ok(binhan(dir.path(), &["labels"], None, ""));
    let services = labels
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["name"] == "service_type")
        .unwrap();
    assert_eq!(
        services["values"][2],
        json!({"code": "legal_aid", "vi": "trợ giúp pháp lý", "en": "legal aid"})
    );
    let communes = ok(binhan(dir.path(), &["communes"], None, ""));
    assert!(communes
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["code"] == "tan_phong"));
}

/// A provincial officer's `binhan` against a server running in this test
/// (embedded SQLite): registries recorded and listed, the annual report
/// written in each format; the report of a device that is not enrolled is
/// refused.
#[test]
fn officer_records_registries_and_writes_the_annual_report() {
    use binhan_server::api::bootstrap_invitation;
    use binhan_server::storage::SqlStorage;

    let dir = tempfile::tempdir().unwrap();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let (url, code) = runtime.block_on(async {
        let storage = SqlStorage::open_folder(&dir.path().join("server"))
            .await
            .unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let code = bootstrap_invitation(&storage, 1, false).await.unwrap().code;
        tokio::spawn(binhan_server::serve(
            storage,
            listener,
            binhan_server::ServerConfig::default(),
            std::future::pending(),
        ));
        (url, code)
    });
    let vault = dir.path().join("vault");
    init(&vault);
    let out = dir.path().join("report.json");
    let report = |format: &str| {
        binhan(
            &vault,
            &[
                "report",
                "--year",
                "2026",
                "--format",
                format,
                "--out",
                out.to_str().unwrap(),
            ],
            Some(PIN),
            "",
        )
    };
    let refused = report("json");
    assert_eq!(refused.code, 1, "{}", refused.stderr);
    assert_eq!(refused.stderr["error"]["kind"], "not_enrolled");

    ok(binhan(
        &vault,
        &[
            "enrol",
            "--server",
            &url,
            "--label",
            "Sở Nội vụ (synthetic)",
        ],
        Some(PIN),
        &format!("{code}\n"),
    ));
    // The report opens the statistics with the office's key, which derives
    // from the provincial signing key the officer's vault keeps.
    let no_key = report("json");
    assert_eq!(
        no_key.stderr["error"]["reason"], "no_signing_key",
        "{}",
        no_key.stderr
    );
    ok(binhan(
        &vault,
        &["shelters", "signing-key", "--generate"],
        Some(PIN),
        "",
    ));
    ok(binhan(&vault, &["sync"], Some(PIN), ""));
    let entries = json!({
        "training_targets": [{"commune": "mu_ca", "collaborators": 20, "officials": 4}],
        "schools": [{"name": "Trường tổng hợp (synthetic)", "commune": "mu_ca",
                     "procedure_since": "2025-09-01"}],
    });
    let recorded = ok(binhan(
        &vault,
        &["registry", "record"],
        Some(PIN),
        &entries.to_string(),
    ));
    assert_eq!(recorded["training_targets"], 1);
    assert_eq!(recorded["schools"], 1);
    let listed = ok(binhan(&vault, &["registry", "list"], Some(PIN), ""));
    assert_eq!(listed["schools"][0]["procedure_since"], "2025-09-01");
    assert_eq!(listed["training_targets"], entries["training_targets"]);
    assert_eq!(
        listed["school_use"],
        json!([]),
        "no counselor recorded a step"
    );

    let written = ok(report("json"));
    assert_eq!(written["format"], "json");
    let json: Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    assert_eq!(json["year"], 2026);
    let schools = json["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["code"] == "share_schools")
        .unwrap();
    assert_eq!(schools["value"]["value"], 100.0);
    ok(report("xlsx"));
    assert!(
        std::fs::read(&out).unwrap().starts_with(b"PK"),
        "a zip file"
    );
    ok(report("csv"));
    let csv = std::fs::read_to_string(&out).unwrap();
    assert!(csv.contains("schools,mu_ca,"));
}
