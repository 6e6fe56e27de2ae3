//! `binhan shelters` end to end, as a trainer or a script uses it: the signed
//! directory, the road network, nearest search and a placement between two
//! vaults. All data is synthetic (tests/fixtures/shelters).

mod common;

use common::Run;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

const PIN: &str = "493817";

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/shelters")
}

fn binhan_env(vault: &Path, args: &[&str], stdin: &str, env: &[(&str, &str)]) -> Run {
    common::run(vault, args, stdin, |cmd| {
        cmd.env("BINHAN_PIN", PIN)
            .env_remove("BINHAN_PROVINCE_SIGNING_KEY");
        for (k, v) in env {
            cmd.env(k, v);
        }
    })
}

fn binhan(vault: &Path, args: &[&str], stdin: &str) -> Run {
    binhan_env(vault, args, stdin, &[])
}

fn ok(vault: &Path, args: &[&str], stdin: &str) -> Value {
    let run = binhan(vault, args, stdin);
    assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
    run.stdout
}

fn init(vault: &Path) -> String {
    let out = ok(
        vault,
        &["init", "--kdf-memory-mib", "46", "--kdf-iterations", "1"],
        "",
    );
    out["device_id"].as_str().unwrap().to_string()
}

fn valley() -> Value {
    serde_json::from_slice(&std::fs::read(fixtures().join("valley.json")).unwrap()).unwrap()
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// Records the synthetic case of `tests/fixtures/intake.json`; its id.
fn create_case(vault: &Path) -> String {
    let intake = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/intake.json");
    ok(vault, &["case", "create", "--file", path(&intake)], "")["case_id"]
        .as_str()
        .unwrap()
        .to_string()
}

/// Hands one vault's outbox to another, as sync will.
fn deliver(from: &Path, to: &Path) -> Value {
    let parcel = ok(from, &["shelters", "outbox", "--ack"], "");
    ok(to, &["shelters", "receive"], &parcel.to_string())
}

#[test]
fn shelters_cli_search_and_placement_between_two_vaults() {
    let dir = tempfile::tempdir().unwrap();
    let (host, ctv) = (dir.path().join("host"), dir.path().join("ctv"));
    let host_id = init(&host);
    init(&ctv);
    let v = valley();
    let office = v["same_side"].as_str().unwrap();
    let fx = fixtures();
    let publication = dir.path().join("directory.bhsd");
    let signed = ok(
        dir.path(),
        &[
            "shelters",
            "sign",
            "--synthetic-key",
            "--file",
            path(&fx.join("lai_chau_shelters.json")),
            "--host",
            &format!("{office}={host_id}"),
            "--out",
            path(&publication),
        ],
        "",
    );
    assert_eq!(signed["kind"], "full");
    let key = std::fs::read_to_string(fx.join("province_key.txt")).unwrap();
    for vault in [&host, &ctv] {
        ok(vault, &["shelters", "trust-key", key.trim()], "");
        let loaded = ok(
            vault,
            &["shelters", "load-directory", "--file", path(&publication)],
            "",
        );
        assert_eq!(loaded["version"], 1);
    }
    let imported = ok(
        &ctv,
        &[
            "shelters",
            "import-roads",
            "--file",
            path(&fx.join("lai_chau_roads.osm.pbf")),
        ],
        "",
    );
    assert_eq!(imported["format"], "pbf");

    // By road and by straight line from the valley's west rim.
    let query = |straight: bool| json!({"from": v["start"], "straight_line": straight}).to_string();
    let by_road = ok(&ctv, &["shelters", "nearest"], &query(false));
    let straight = ok(&ctv, &["shelters", "nearest"], &query(true));
    assert_eq!(by_road["ranked_by"], "road_travel_time");
    assert_eq!(straight["ranked_by"], "straight_line");
    assert_eq!(straight["shelters"][0]["shelter"]["id"], v["across"]);
    assert_eq!(by_road["shelters"][0]["shelter"]["id"], v["same_side"]);
    assert_eq!(by_road["shelters"][0]["road"]["status"], "reachable");
    let cut_off = by_road["shelters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["shelter"]["id"] == v["cut_off"])
        .unwrap();
    assert_eq!(cut_off["road"]["status"], "unreachable");

    // The host publishes free places; the collaborator asks for two.
    ok(&host, &["shelters", "host", office, "--free", "2"], "");
    deliver(&host, &ctv);
    let case = create_case(&ctv);
    // The survivor agrees to share what a placement needs with the office.
    let name = by_road["shelters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["shelter"]["id"] == office)
        .unwrap()["shelter"]["name"]
        .clone();
    let consent = json!({"scope": {"service": {"service": "safe_shelter", "recipient": name}},
        "granted": true, "given_by": "survivor"});
    ok(&ctv, &["case", "consent", &case], &consent.to_string());
    let request = json!({"shelter": office, "needs": {"people": 2, "children": 1,
        "group": "women_with_children", "languages": ["mong"]}});
    let out = ok(&ctv, &["shelters", "request", &case], &request.to_string());
    let request_id = out["request_id"].as_str().unwrap().to_string();
    deliver(&ctv, &host);
    let inbox = ok(&host, &["shelters", "inbox"], "");
    assert_eq!(inbox[0]["request"]["needs"]["people"], 2);
    assert!(
        !inbox.to_string().contains(&case),
        "the host never sees the case"
    );
    let desk = ok(&host, &["shelters", "accept", &request_id], "");
    assert_eq!(desk["free_places"], 0);
    ok(&host, &["shelters", "arrive", &request_id], "");
    deliver(&host, &ctv);
    let detail = ok(&ctv, &["case", "show", &case], "");
    assert_eq!(detail["placement"][0]["value"]["status"], "arrived");
    let outcomes: Vec<&Value> = detail["services"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["value"]["service"] == "safe_shelter")
        .map(|s| &s["value"]["outcome"])
        .collect();
    assert_eq!(outcomes, vec!["offered", "delivered"]);
    let sent = ok(&ctv, &["shelters", "requests"], "");
    assert_eq!(sent[0]["status"], "arrived");
    // Departure frees the places again.
    let desk = ok(&host, &["shelters", "depart", &request_id], "");
    assert_eq!(desk["free_places"], 2);
}

#[test]
fn shelters_cli_refuses_bad_input_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let vault = dir.path().join("v");
    init(&vault);
    let fx = fixtures();
    let key = std::fs::read_to_string(fx.join("province_key.txt")).unwrap();
    ok(&vault, &["shelters", "trust-key", key.trim()], "");
    let good = fx.join("lai_chau_directory_v1.bhsd");
    ok(
        &vault,
        &["shelters", "load-directory", "--file", path(&good)],
        "",
    );

    // Signed by a key that is not the province's.
    let forged = dir.path().join("forged.bhsd");
    let other_seed = "11".repeat(32);
    let run = binhan_env(
        &vault,
        &[
            "shelters",
            "sign",
            "--file",
            path(&fx.join("lai_chau_shelters.json")),
            "--version",
            "5",
            "--out",
            path(&forged),
        ],
        "",
        &[("BINHAN_PROVINCE_SIGNING_KEY", &other_seed)],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run = binhan(
        &vault,
        &["shelters", "load-directory", "--file", path(&forged)],
        "",
    );
    assert_eq!(
        (run.code, run.stderr["error"]["kind"].as_str()),
        (2, Some("not_allowed"))
    );
    // A flipped byte: tampered.
    let mut bytes = std::fs::read(&good).unwrap();
    let at = bytes.len() / 2;
    bytes[at] ^= 1;
    let tampered = dir.path().join("tampered.bhsd");
    std::fs::write(&tampered, bytes).unwrap();
    let run = binhan(
        &vault,
        &["shelters", "load-directory", "--file", path(&tampered)],
        "",
    );
    assert_eq!(run.code, 5, "{}", run.stderr);
    // The directory held is still version 1.
    assert_eq!(ok(&vault, &["shelters", "directory"], "")["version"], 1);

    // A malformed road file.
    let bad = dir.path().join("roads.geojson");
    std::fs::write(&bad, "{\"type\": \"FeatureCollection\", \"features\": [").unwrap();
    let run = binhan(
        &vault,
        &["shelters", "import-roads", "--file", path(&bad)],
        "",
    );
    assert_eq!(run.code, 2);
    assert_eq!(run.stderr["error"]["field"], "road_file");
    // A start outside the province; the error never quotes the location.
    let run = binhan(
        &vault,
        &["shelters", "nearest"],
        r#"{"from": {"lat": 21.0285, "lon": 105.8542}}"#,
    );
    assert_eq!(run.code, 2);
    assert_eq!(run.stderr["error"]["field"], "start");
    assert!(!run.stderr.to_string().contains("105.85"));
    // A request for a shelter with no host device: by phone only.
    let v = valley();
    let case = create_case(&vault);
    let request = json!({"shelter": v["across"], "needs": {"people": 1, "group": "women"}});
    let run = binhan(
        &vault,
        &["shelters", "request", &case],
        &request.to_string(),
    );
    assert_eq!(
        (run.code, run.stderr["error"]["kind"].as_str()),
        (2, Some("not_allowed"))
    );
}

#[test]
fn shelters_cli_demo_shows_search_and_placement() {
    let dir = tempfile::tempdir().unwrap();
    let run = binhan(dir.path(), &["shelters", "demo"], "");
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout["synthetic"], true);
    assert_eq!(run.stdout["road_order_differs"], true);
    assert_eq!(
        run.stdout["placement_on_the_case"][0]["value"]["status"],
        "arrived"
    );
}

#[test]
fn the_province_signs_a_road_network_version_and_a_device_shows_its_road_status() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("roads-v3");
    let roads = fixtures().join("lai_chau_roads.osm.pbf");
    let args = |key: &'static str| {
        let mut args = vec!["shelters", "sign-roads", "--file", path(&roads)];
        args.extend(["--version", "3", "--out", path(&out)]);
        args.extend([key].into_iter().filter(|k| !k.is_empty()));
        args
    };
    // No signing key, no signature.
    assert_ne!(binhan(dir.path(), &args(""), "").code, 0);
    let signed = ok(dir.path(), &args("--synthetic-key"), "");
    assert_eq!(signed["version"], 3);
    let key = std::fs::read_to_string(fixtures().join("province_key.txt")).unwrap();
    assert_eq!(signed["signer"], key.trim());
    let network = std::fs::read(out.join("roads.bhrn")).unwrap();
    assert_eq!(signed["bytes"], network.len());
    assert!(signed["chunks"].as_u64().unwrap() >= 1);
    assert!(out.join("roads.bhsd").exists());

    let vault = dir.path().join("ctv");
    init(&vault);
    let status = ok(&vault, &["shelters", "roads"], "");
    assert_eq!(
        status,
        json!({"installed_version": null, "installed_bytes": null, "update": null,
               "wifi_only": true})
    );
    let status = ok(&vault, &["shelters", "roads-wifi-only", "false"], "");
    assert_eq!(status["wifi_only"], false);
    // Nothing waits: nothing to download.
    assert_ne!(binhan(&vault, &["shelters", "download-roads"], "").code, 0);
}

#[test]
fn only_an_officer_s_vault_keeps_the_signing_key_and_publishes_its_draft() {
    let dir = tempfile::tempdir().unwrap();
    init(dir.path());
    assert_eq!(
        ok(dir.path(), &["shelters", "signing-key"], ""),
        Value::Null
    );
    let seed = "07".repeat(32);
    for (args, env) in [
        (vec!["shelters", "signing-key", "--generate"], vec![]),
        (
            vec!["shelters", "signing-key", "--from-env"],
            vec![("BINHAN_PROVINCE_SIGNING_KEY", seed.as_str())],
        ),
        (vec!["shelters", "draft"], vec![]),
        (vec!["shelters", "publish-draft"], vec![]),
    ] {
        let run = binhan_env(dir.path(), &args, "", &env);
        assert_ne!(run.code, 0, "{args:?}");
        assert_eq!(run.stderr["error"]["reason"], "officers_only", "{args:?}");
        assert!(!run.stderr.to_string().contains(&seed), "never echoed");
    }
    assert_eq!(
        ok(dir.path(), &["shelters", "signing-key"], ""),
        Value::Null
    );
}
