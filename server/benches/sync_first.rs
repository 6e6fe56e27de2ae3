//! Benchmark: the first sync of a new team device, side by side with
//! CouchDB-style replication (PouchDB 9).
//!
//! A collaborator records 1,000 synthetic cases offline and edits each ten
//! times, then syncs (events, case teams, snapshots). The commune case
//! manager, enrolled before the cases existed and so on every case team,
//! then makes the first sync of a new, empty phone. Every byte it moves is
//! counted twice: by the app's transport (bodies plus an estimate of 200
//! header bytes per request) and on the wire by a counting proxy. The same
//! cases, as plain JSON documents with one revision per step, are then
//! replicated by PouchDB from express-pouchdb into an empty in-memory
//! PouchDB (tests/bench/pouchdb/replicate.js, `npm ci` there first).
//!
//! ```sh
//! cargo bench -p binhan-server --bench sync_first                # 1,000 cases
//! cargo bench -p binhan-server --bench sync_first -- --cases 200 --no-pouchdb
//! cargo bench -p binhan-server --bench sync_first -- --unique-text   # no two cases share a sentence
//! ```
//!
//! Synthetic data only.

mod sync_common;

use binhan_core::events::CaseState;
use binhan_core::model::{CaseId, Role};
use binhan_core::sync::wire::{TeamEntry, TeamPage, WireBundle, WireSnapshot};
use binhan_core::sync::CancelFlag;
use binhan_testkit::cases::{case_script, Wording};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Instant;
use sync_common::{
    args, flag, Backend, CountingProxy, Phone, Rng, Server, WireCounts, NO_RATE_LIMIT,
};

/// The 2G link of the target: 100 kbit/s each way, 600 ms per round trip.
const LINK_BITS_PER_SECOND: f64 = 100_000.0;
const LINK_ROUND_TRIP_SECONDS: f64 = 0.6;

/// One side of the comparison.
struct Side {
    name: String,
    round_trips: u64,
    sent: u64,
    received: u64,
    seconds: f64,
}

impl Side {
    fn bytes(&self) -> u64 {
        self.sent + self.received
    }

    /// Time on the 2G link: t = round trips × 0.6 s + bytes × 8 / 100 kbit/s.
    fn link_seconds(&self) -> f64 {
        self.round_trips as f64 * LINK_ROUND_TRIP_SECONDS
            + self.bytes() as f64 * 8.0 / LINK_BITS_PER_SECOND
    }
}

fn kb(bytes: u64) -> String {
    format!("{:.1} KB", bytes as f64 / 1000.0)
}

fn deflate(bytes: &[u8]) -> usize {
    miniz_oxide::deflate::compress_to_vec(bytes, 6).len()
}

fn main() {
    sync_common::block_on(run());
}

async fn run() {
    let args = args();
    let cases: usize = flag(&args, "--cases")
        .map(|v| v.parse().expect("--cases N"))
        .unwrap_or(1_000);
    let edits: usize = flag(&args, "--edits")
        .map(|v| v.parse().expect("--edits N"))
        .unwrap_or(10);
    let pouchdb = !args.iter().any(|a| a == "--no-pouchdb");
    let wording = if args.iter().any(|a| a == "--unique-text") {
        Wording::Unique
    } else {
        Wording::Pooled
    };
    let commune = "mu_ca";
    println!(
        "# First sync of a new team device: {cases} cases, {edits} edits each (synthetic, {wording:?} wording of accounts and notes)"
    );

    let server = Server::start(Backend::sqlite(), NO_RATE_LIMIT);
    let proxy = CountingProxy::start(&server.url).await;
    let officer = Phone::enrolled(&server.url, &server.bootstrap_officer()).await;
    let code = officer
        .app
        .invite(Role::CommuneCaseManager, commune, 24)
        .await
        .expect("invite M");
    // M talks to the server through the counting proxy, and does not sync
    // until every case exists.
    let manager = Phone::enrolled(&proxy.url, &code.code).await;
    let code = manager
        .app
        .invite(Role::Collaborator, commune, 24)
        .await
        .expect("invite A");
    let author = Phone::enrolled(&server.url, &code.code).await;

    // A records and edits every case offline.
    let started = Instant::now();
    let today = author.app.today();
    let author_id = author.app.device_id().expect("device id").to_string();
    let mut rng = Rng::new(0x5EED_B1A4_0001);
    let mut ids: Vec<CaseId> = Vec::with_capacity(cases);
    let mut plain = Vec::with_capacity(cases);
    for index in 0..cases {
        let script = case_script(&mut rng, index, commune, today, edits, &author_id, wording);
        let id = author
            .app
            .create_case(script.intake)
            .expect("create a case");
        for action in script.edits {
            author.app.act(id, action).expect("edit a case");
        }
        plain.push(serde_json::json!({"id": id.to_string(), "revisions": script.revisions}));
        ids.push(id);
    }
    println!(
        "A recorded {} cases and {} edits offline in {:.1} s",
        cases,
        cases * edits,
        started.elapsed().as_secs_f64()
    );

    let started = Instant::now();
    let pushed = author
        .app
        .sync(&|_| {}, &CancelFlag::default())
        .await
        .expect("A syncs");
    println!(
        "A's sync: {} events, {} team changes, {} snapshots pushed; {} round trips, {} sent, {} received, {:.1} s",
        pushed.events_pushed,
        pushed.team_changes_pushed,
        pushed.snapshots_pushed,
        pushed.traffic.round_trips,
        kb(pushed.traffic.bytes_sent),
        kb(pushed.traffic.bytes_received),
        started.elapsed().as_secs_f64()
    );
    assert_eq!(
        pushed.events_pushed as usize,
        cases * (edits + 1),
        "every event pushed"
    );
    assert_eq!(
        pushed.snapshots_pushed as usize, cases,
        "a snapshot of every case"
    );

    // M's first sync, on an empty phone.
    proxy.reset();
    let started = Instant::now();
    let first = manager
        .app
        .sync(&|_| {}, &CancelFlag::default())
        .await
        .expect("M syncs");
    let seconds = started.elapsed().as_secs_f64();
    let wire = proxy.total();
    let by_path = proxy.by_path();

    // M holds every case, in the same state as A.
    let listed = manager
        .app
        .list_cases(&Default::default())
        .expect("M lists");
    assert_eq!(listed.cases.len(), cases, "M holds every case");
    assert!(listed.unreadable.is_empty());
    for id in &ids {
        assert_eq!(
            manager.app.case(*id).expect("M has the case"),
            author.app.case(*id).expect("A has the case"),
            "case {id} differs"
        );
        assert_eq!(
            manager.app.conflicts(*id).expect("conflicts"),
            author.app.conflicts(*id).expect("conflicts")
        );
    }
    println!("verified: M holds all {cases} cases with the same state as A (detail and conflicts)");

    let ours = Side {
        name: "Bình An (E2E, signed)".into(),
        round_trips: wire.requests,
        sent: wire.sent,
        received: wire.received,
        seconds,
    };
    println!(
        "M's first sync: {} events, {} team changes, {} snapshots pulled; app transport counted {} round trips, {} sent, {} received (bodies + 200 B headers each)",
        first.events_pulled,
        first.team_changes_pulled,
        first.snapshots_pulled,
        first.traffic.round_trips,
        kb(first.traffic.bytes_sent),
        kb(first.traffic.bytes_received),
    );
    print_paths("Bình An on the wire, by request", &by_path);

    composition(&server, &author, &ids, &plain, first.traffic.bytes_received).await;

    let theirs = if pouchdb {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let file = dir.path().join("cases.json");
        std::fs::write(
            &file,
            serde_json::to_vec(&serde_json::json!({ "cases": plain })).expect("JSON"),
        )
        .expect("write cases");
        Some(replicate_with_pouchdb(&file))
    } else {
        None
    };

    println!();
    println!(
        "| {:<28} | {:>11} | {:>11} | {:>11} | {:>11} | {:>10} | {:>12} |",
        "", "round trips", "sent", "received", "total", "loopback", "2G (100 kbit/s, 600 ms)"
    );
    println!("|{}|", ["-"; 7].map(|_| "-------------").join("|"));
    let mut sides = vec![ours];
    sides.extend(theirs);
    for side in &sides {
        println!(
            "| {:<28} | {:>11} | {:>11} | {:>11} | {:>11} | {:>8.2} s | {:>10.1} s |",
            side.name,
            side.round_trips,
            kb(side.sent),
            kb(side.received),
            kb(side.bytes()),
            side.seconds,
            side.link_seconds()
        );
    }
    if let [ours, theirs] = &sides[..] {
        let rt = ours.round_trips as f64 / theirs.round_trips as f64;
        let bytes = ours.bytes() as f64 / theirs.bytes() as f64;
        println!(
            "| {:<28} | {:>11} | {:>11} | {:>11} | {:>11} | {:>10} | {:>12} |",
            "ratio Bình An / PouchDB",
            format!("{rt:.3}"),
            format!("{:.3}", ours.sent as f64 / theirs.sent as f64),
            format!("{:.3}", ours.received as f64 / theirs.received as f64),
            format!("{bytes:.3}"),
            format!("{:.3}", ours.seconds / theirs.seconds),
            format!("{:.3}", ours.link_seconds() / theirs.link_seconds())
        );
        let rt_ok = ours.round_trips * 5 <= theirs.round_trips;
        let bytes_ok = ours.bytes() < theirs.bytes();
        println!();
        println!(
            "target (issue 4): fewer bytes than PouchDB: {} ({:.0}%); at most a fifth of its round trips: {} ({} vs ≤ {})",
            if bytes_ok { "met" } else { "MISSED" },
            bytes * 100.0,
            if rt_ok { "met" } else { "MISSED" },
            ours.round_trips,
            theirs.round_trips / 5
        );
    }
}

fn print_paths(title: &str, by_path: &BTreeMap<String, WireCounts>) {
    println!("{title}:");
    for (path, c) in by_path {
        println!(
            "  {:<34} {:>4} requests  {:>10} sent  {:>10} received",
            path,
            c.requests,
            kb(c.sent),
            kb(c.received)
        );
    }
}

/// What M's download is made of: team changes (pages, with their sealed
/// keys and signatures), bundles (states compressed together, sealed), events; read from the
/// server's tables and from A's own copy of the cases.
async fn composition(
    server: &Server,
    author: &Phone,
    ids: &[CaseId],
    plain: &[serde_json::Value],
    pulled_bytes: u64,
) {
    use sqlx::Row;
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(&server.backend.sqlx_url())
        .await
        .expect("the server's database");
    // Team changes: single entries (none from today's phones) and pages.
    let mut team = (0usize, 0usize, 0usize, 0usize, 0usize);
    for row in sqlx::query("SELECT body FROM team_entries")
        .fetch_all(&pool)
        .await
        .expect("team entries")
    {
        let body: Vec<u8> = row.try_get("body").expect("body");
        let entry: TeamEntry = postcard::from_bytes(&body).expect("a team entry");
        team.0 += 1;
        team.1 += body.len();
        team.2 += entry
            .wraps
            .iter()
            .map(|w| w.sealed.len() + 16 + 1 + 1)
            .sum::<usize>();
        team.3 += entry.signature.len();
        team.4 += entry.members.len() * 16;
    }
    let mut pages = 0usize;
    for row in sqlx::query("SELECT body FROM team_pages")
        .fetch_all(&pool)
        .await
        .expect("team pages")
    {
        let body: Vec<u8> = row.try_get("body").expect("body");
        let page: TeamPage = postcard::from_bytes(&body).expect("a team page");
        pages += 1;
        team.0 += page.changes.len();
        team.1 += body.len();
        team.2 += page
            .keys
            .iter()
            .map(|k| k.sealed.len() + 16 + 2)
            .sum::<usize>();
        team.3 += page.signature.len();
        team.4 += page.members.len() * 16;
    }
    let mut snapshots = (0usize, 0usize, 0usize);
    for row in sqlx::query("SELECT body FROM snapshots")
        .fetch_all(&pool)
        .await
        .expect("snapshots")
    {
        let body: Vec<u8> = row.try_get("body").expect("body");
        let snapshot: WireSnapshot = postcard::from_bytes(&body).expect("a snapshot");
        snapshots.0 += 1;
        snapshots.1 += body.len();
        snapshots.2 += snapshot.ciphertext.len();
    }
    let mut bundles = (0usize, 0usize, 0usize, 0usize);
    for row in sqlx::query("SELECT body FROM bundles")
        .fetch_all(&pool)
        .await
        .expect("bundles")
    {
        let body: Vec<u8> = row.try_get("body").expect("body");
        let bundle: WireBundle = postcard::from_bytes(&body).expect("a bundle");
        bundles.0 += 1;
        bundles.1 += body.len();
        bundles.2 += bundle.ciphertext.len();
        bundles.3 += bundle.cases.len();
    }
    let row = sqlx::query("SELECT count(*) AS n, sum(length(body)) AS bytes FROM events")
        .fetch_one(&pool)
        .await
        .expect("events");
    let events: (i64, i64) = (
        row.try_get("n").expect("n"),
        row.try_get("bytes").unwrap_or(0),
    );
    pool.close().await;

    // The plaintext behind the snapshots, from A's copy.
    let mut state_bytes = 0usize;
    let mut state_deflated = 0usize;
    let mut compact_bytes = 0usize;
    let mut stamps = 0usize;
    let mut all_states = Vec::new();
    for id in ids {
        let events = author.app.events_of(*id).expect("A's events");
        let state = CaseState::fold(*id, &events);
        state_bytes += postcard::to_allocvec(&state).expect("postcard").len();
        let encoded = state.encode_snapshot().expect("the compact form");
        compact_bytes += encoded.len();
        state_deflated += deflate(&encoded);
        all_states.extend_from_slice(&encoded);
        stamps += format!("{state:?}").matches("hlc:").count();
    }
    let together = deflate(&all_states);
    let plain_json: usize = plain
        .iter()
        .filter_map(|c| c["revisions"].as_array().and_then(|r| r.last()))
        .map(|doc| serde_json::to_vec(doc).map(|v| v.len()).unwrap_or(0))
        .sum();
    let n = ids.len().max(1) as f64;
    println!(
        "What M downloaded ({} of pull response bodies by the app's count), per case:",
        kb(pulled_bytes)
    );
    println!(
        "  team changes: {} in {} pages ({:.0} B/case): sealed keys {:.0} B, signature {:.0} B, member ids {:.0} B, ids/epoch/framing {:.0} B",
        team.0,
        pages,
        team.1 as f64 / n,
        team.2 as f64 / n,
        team.3 as f64 / n,
        team.4 as f64 / n,
        (team.1 - team.2 - team.3 - team.4) as f64 / n
    );
    println!(
        "  bundles: {} holding {} cases ({:.0} B/case): states compressed together with the dictionary, sealed for M, signed by A ({:.0} B/case ciphertext); case ids, epochs, covers and framing {:.0} B/case",
        bundles.0,
        bundles.3,
        bundles.1 as f64 / n,
        bundles.2 as f64 / n,
        (bundles.1 - bundles.2) as f64 / n,
    );
    println!(
        "  (each case's own snapshot, kept for members who join later, not sent to M: {} of {:.0} B/case: ciphertext {:.0} B = state compressed alone with the dictionary + 41 B codec and seal; framing {:.0} B; deflate alone would make the state {:.0} B)",
        snapshots.0,
        snapshots.1 as f64 / n,
        snapshots.2 as f64 / n,
        (snapshots.1 - snapshots.2) as f64 / n,
        state_deflated as f64 / n
    );
    println!(
        "  state before compression: {:.0} B/case in memory form (postcard), {:.1} attribution stamps (hlc + author + event id, ~41 B each) = ~{:.0} B; {:.0} B/case in the compact snapshot form (each distinct stamp once)",
        state_bytes as f64 / n,
        stamps as f64 / n,
        stamps as f64 * 41.0 / n,
        compact_bytes as f64 / n
    );
    println!(
        "  all states deflated together: {:.0} B/case (vs {:.0} B/case one by one): what compressing across cases gains, mostly the few synthetic sentences every case's notes are drawn from (see --unique-text); bundles reach it without giving up per-case keys",
        together as f64 / n,
        state_deflated as f64 / n
    );
    println!(
        "  the plain JSON document of the same case (PouchDB): {:.0} B/case uncompressed, {:.0} B/case deflated one by one",
        plain_json as f64 / n,
        plain
            .iter()
            .filter_map(|c| c["revisions"].as_array().and_then(|r| r.last()))
            .map(|doc| deflate(&serde_json::to_vec(doc).unwrap_or_default()))
            .sum::<usize>() as f64
            / n
    );
    println!(
        "  events on the server (not sent to M: covered by the bundles): {} ({:.0} B each)",
        events.0,
        events.1 as f64 / events.0.max(1) as f64
    );
}

/// Runs tests/bench/pouchdb/replicate.js on the same cases.
fn replicate_with_pouchdb(file: &std::path::Path) -> Side {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/bench/pouchdb");
    assert!(
        dir.join("node_modules").exists(),
        "PouchDB is not installed: run `npm ci` in {} (tests/bench/run does), or pass --no-pouchdb",
        dir.display()
    );
    let output = std::process::Command::new("node")
        .arg(dir.join("replicate.js"))
        .arg(file)
        .stderr(std::process::Stdio::inherit())
        .output()
        .expect("node runs");
    assert!(output.status.success(), "the PouchDB replication failed");
    let line = String::from_utf8_lossy(&output.stdout);
    let result: serde_json::Value = serde_json::from_str(line.trim().lines().last().unwrap_or(""))
        .expect("JSON from replicate.js");
    let get = |k: &str| result[k].as_u64().unwrap_or(0);
    println!(
        "PouchDB replicated {} documents ({} revisions each) into an empty database; replica checked",
        get("docs"),
        get("revisions_per_doc")
    );
    let mut by_path = BTreeMap::new();
    if let Some(map) = result["by_endpoint"].as_object() {
        for (path, c) in map {
            let n = |k: &str| c[k].as_u64().unwrap_or(0);
            by_path.insert(
                path.clone(),
                WireCounts {
                    requests: n("requests"),
                    sent: n("sent"),
                    received: n("received"),
                },
            );
        }
    }
    print_paths("PouchDB on the wire, by request", &by_path);
    Side {
        name: "PouchDB 9 (plain JSON)".into(),
        round_trips: get("round_trips"),
        sent: get("bytes_sent"),
        received: get("bytes_received"),
        seconds: result["seconds"].as_f64().unwrap_or(f64::NAN),
    }
}
