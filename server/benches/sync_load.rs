//! Benchmark: 500 simulated devices syncing at once, on SQLite and on
//! PostgreSQL.
//!
//! Devices enrol through the real invitation chain (an officer invites one
//! commune case manager per commune, each manager invites collaborators),
//! each records two cases (team entry + creation event, pushed during
//! set-up) and pulls once. Then every device records ten edits on each of
//! its cases (20 events, made by a real app and re-authored, sealed with the
//! case key and signed by the device) and, all released at the same instant,
//! makes the calls the app's sync makes: push the 20 events, pull until the
//! server has nothing more, upload snapshots of the cases it edited (no
//! bundles: the app bundles states only for members who joined a case in
//! the same sync, and the manager holds these cases since the set-up). Only
//! that phase is measured. Events are sealed and signed before the start,
//! as they would be on 500 separate phones (the two cores of this machine
//! serve and do not also play 500 phones' CPUs); snapshots, which need the
//! pull's end, are sealed within it.
//!
//! Afterwards every manager pulls again and opens every event of its
//! commune's collaborators (signature, membership, case key): none lost,
//! none duplicated.
//!
//! ```sh
//! cargo bench -p binhan-server --bench sync_load -- --backend sqlite
//! BINHAN_BENCH_POSTGRES_URL=postgres://… cargo bench -p binhan-server --bench sync_load -- --backend both
//! cargo bench -p binhan-server --bench sync_load -- --devices 100 --communes 5
//! ```
//!
//! Synthetic data only. Traffic goes to 127.0.0.1 only; each device makes
//! one sync, so the run is bounded, and it gives up after ten minutes.

mod sync_common;

use binhan_core::crypto::SecretKey;
use binhan_core::events::{CaseState, Event, Hlc};
use binhan_core::model::{CaseId, DeviceId, EventId, Role, COMMUNES};
use binhan_core::sync::wire::{
    PageChange, PullRequest, PullResponse, PushRequest, PushResponse, WireEvent, DEFAULT_PULL_BYTES,
};
use binhan_core::sync::{
    open_event, seal_event, seal_snapshot, seal_team_page, DeviceIdentity, DevicePublic, PageKey,
};
use binhan_testkit::cases::{case_script, Wording};
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::time::{Duration, Instant};
use sync_common::{
    args, call, client, enrol_new, flag, invite_with, named_processes_cpu_seconds,
    process_cpu_seconds, quantile, Backend, Phone, Rng, Server, NO_RATE_LIMIT,
};
use tokio::sync::Semaphore;

/// Postgres admin URL of the benchmark cluster (tests/bench/run sets it).
const POSTGRES_ENV: &str = "BINHAN_BENCH_POSTGRES_URL";
/// Edit templates made by a real app.
const TEMPLATES: usize = 16;
/// The whole measured phase gives up after this.
const PHASE_LIMIT: Duration = Duration::from_secs(600);

fn main() {
    sync_common::block_on(run());
}

struct Settings {
    devices: usize,
    communes: usize,
    cases: usize,
    edits: usize,
}

async fn run() {
    let args = args();
    let number = |name: &str, default: usize| {
        flag(&args, name)
            .map(|v| v.parse().expect("a number"))
            .unwrap_or(default)
    };
    let settings = Settings {
        devices: number("--devices", 500),
        communes: number("--communes", 25),
        cases: number("--cases-per-device", 2),
        edits: number("--edits-per-case", 10),
    };
    assert!(settings.communes <= COMMUNES.len() && settings.devices >= settings.communes);
    let backend = flag(&args, "--backend").unwrap_or_else(|| "sqlite".into());
    let mut results = Vec::new();
    for name in ["sqlite", "postgres"] {
        if backend != name && backend != "both" {
            continue;
        }
        let backend = if name == "sqlite" {
            Backend::sqlite()
        } else {
            let admin = flag(&args, "--postgres-url")
                .or_else(|| std::env::var(POSTGRES_ENV).ok())
                .unwrap_or_else(|| {
                    panic!("set {POSTGRES_ENV} (tests/bench/run starts a cluster with fsync on)")
                });
            Backend::postgres(&admin).await
        };
        results.push(bench(backend, &settings).await);
    }
    println!();
    println!(
        "| backend  | devices | events pushed | seconds | events/s | sync p50 | sync p99 | sync max | request p50 | request p99 | errors | server CPU |"
    );
    println!("|----------|---------|---------------|---------|----------|----------|----------|----------|-------------|-------------|--------|------------|");
    for r in &results {
        println!(
            "| {:<8} | {:>7} | {:>13} | {:>7.2} | {:>8.0} | {:>6.0} ms | {:>6.0} ms | {:>6.0} ms | {:>8.0} ms | {:>8.0} ms | {:>6} | {:>8.1} s |",
            r.backend,
            r.devices,
            r.events,
            r.seconds,
            r.events as f64 / r.seconds,
            r.sync_p50 * 1e3,
            r.sync_p99 * 1e3,
            r.sync_max * 1e3,
            r.request_p50 * 1e3,
            r.request_p99 * 1e3,
            r.errors,
            r.server_cpu
        );
    }
    println!();
    for r in &results {
        let ok = r.errors == 0 && r.sync_p99 < 1.0 && r.events as f64 / r.seconds >= 2_000.0;
        println!(
            "target on {} (zero errors, p99 < 1 s, ≥ 2,000 events/s): {}{}",
            r.backend,
            if ok { "met" } else { "MISSED" },
            if ok {
                String::new()
            } else {
                format!(
                    " (errors {}, p99 {:.2} s, {:.0} events/s)",
                    r.errors,
                    r.sync_p99,
                    r.events as f64 / r.seconds
                )
            }
        );
    }
}

/// A simulated phone: keys, token, and the cases it works on.
struct Device {
    identity: DeviceIdentity,
    role: Role,
    commune: &'static str,
    token: String,
    /// The province's root it was certified under.
    root: [u8; 32],
    cursor: Vec<u8>,
    /// Cases it created: id, key, every event so far.
    cases: Vec<(CaseId, SecretKey, Vec<Event>)>,
}

#[derive(Default)]
struct Outcome {
    sync_seconds: Option<f64>,
    requests: Vec<(&'static str, f64)>,
    errors: Vec<String>,
    pushed: usize,
    pulled: Vec<WireEvent>,
    /// How far the measured pulls got (`None`: not past the push).
    cursor: Option<Vec<u8>>,
}

struct Report {
    backend: &'static str,
    devices: usize,
    events: usize,
    seconds: f64,
    sync_p50: f64,
    sync_p99: f64,
    sync_max: f64,
    request_p50: f64,
    request_p99: f64,
    errors: usize,
    server_cpu: f64,
}

/// Enrols a new simulated device with `code`.
async fn enrol(url: &str, code: &str) -> Device {
    let (identity, enrolled, root) = enrol_new(url, code).await;
    Device {
        identity,
        root,
        role: enrolled.role,
        commune: COMMUNES
            .iter()
            .find(|c| c.code == enrolled.commune)
            .map(|c| c.code)
            .unwrap_or("province"),
        token: enrolled.token.token,
        cursor: Vec::new(),
        cases: Vec::new(),
    }
}

async fn invite(url: &str, by: &Device, role: Role, commune: &str) -> String {
    invite_with(url, &by.identity, &by.token, by.root, role, commune).await
}

/// Enrols `codes` in parallel.
async fn enrol_all(url: &str, codes: Vec<String>) -> Vec<Device> {
    let mut tasks = tokio::task::JoinSet::new();
    let gate = Arc::new(Semaphore::new(32));
    for (i, code) in codes.into_iter().enumerate() {
        let (url, gate) = (url.to_string(), gate.clone());
        tasks.spawn(async move {
            let _permit = gate.acquire_owned().await;
            (i, enrol(&url, &code).await)
        });
    }
    let mut devices: Vec<(usize, Device)> = tasks.join_all().await;
    devices.sort_by_key(|(i, _)| *i);
    devices.into_iter().map(|(_, d)| d).collect()
}

/// Event templates: a real app records cases and edits; the benchmark
/// re-authors their changes.
fn templates(edits: usize) -> Vec<Vec<Event>> {
    let phone = Phone::new();
    let today = phone.app.today();
    let me = phone.app.device_id().expect("device id").to_string();
    let mut rng = Rng::new(0x5EED_10AD);
    (0..TEMPLATES)
        .map(|i| {
            let script = case_script(&mut rng, i, "mu_ca", today, edits, &me, Wording::Pooled);
            let id = phone.app.create_case(script.intake).expect("a case");
            for action in script.edits {
                phone.app.act(id, action).expect("an edit");
            }
            phone.app.events_of(id).expect("events")
        })
        .collect()
}

/// `template` re-authored by `author` for `case_id`, clock from now on.
fn reauthor(template: &[Event], case_id: CaseId, author: DeviceId, clock: &mut u64) -> Vec<Event> {
    template
        .iter()
        .map(|e| {
            *clock += 1;
            Event {
                id: Event::id_for(author, Hlc(*clock)),
                case_id,
                hlc: Hlc(*clock),
                author,
                changes: e.changes.clone(),
            }
        })
        .collect()
}

fn now_hlc() -> u64 {
    Hlc::from_wall_ms(binhan_core::events::system_wall_ms()).0
}

async fn bench(backend: Backend, settings: &Settings) -> Report {
    let name = backend.name();
    println!(
        "\n# {} simulated devices syncing at once on {name}",
        settings.devices
    );
    let server = Server::start(backend, NO_RATE_LIMIT);
    let url = server.url.clone();
    let started = Instant::now();

    // Enrolment through the invitation chain.
    let officer = enrol(&url, &server.bootstrap_officer()).await;
    let communes: Vec<&str> = COMMUNES
        .iter()
        .take(settings.communes)
        .map(|c| c.code)
        .collect();
    let mut codes = Vec::new();
    for commune in &communes {
        codes.push(invite(&url, &officer, Role::CommuneCaseManager, commune).await);
    }
    let managers = enrol_all(&url, codes).await;
    let mut codes = Vec::new();
    for i in 0..settings.devices - managers.len() {
        let manager = &managers[i % managers.len()];
        codes.push(invite(&url, manager, Role::Collaborator, manager.commune).await);
    }
    let collaborators = enrol_all(&url, codes).await;
    let mut devices: Vec<Device> = managers.into_iter().chain(collaborators).collect();
    println!(
        "set-up: {} devices enrolled in {:.1} s",
        devices.len(),
        started.elapsed().as_secs_f64()
    );

    // Each device's history: its cases (team + creation event), pushed, then one pull.
    let templates = templates(settings.edits);
    let manager_keys: HashMap<&str, DevicePublic> = devices
        .iter()
        .filter(|d| d.role == Role::CommuneCaseManager)
        .map(|d| (d.commune, d.identity.public()))
        .collect();
    let mut clock = now_hlc();
    let mut setup_pushes = Vec::new();
    let mut template_index = 0;
    for device in &mut devices {
        let me = device.identity.device_id();
        let mut request = PushRequest::default();
        let manager = manager_keys
            .get(device.commune)
            .filter(|m| m.device_id != me);
        for _ in 0..settings.cases {
            let case_id = CaseId::random();
            let key = SecretKey::random();
            let events = reauthor(
                &templates[template_index % TEMPLATES],
                case_id,
                me,
                &mut clock,
            );
            template_index += 1;
            request
                .events
                .push(seal_event(&device.identity, &key, 0, &events[0]));
            device.cases.push((case_id, key, events));
        }
        // The teams of its cases in one page, as a phone makes them.
        let members = std::iter::once(me)
            .chain(manager.map(|m| m.device_id))
            .collect();
        let changes = device
            .cases
            .iter()
            .map(|(case_id, ..)| PageChange {
                case_id: *case_id,
                epoch: 0,
            })
            .collect();
        let carried: Vec<_> = manager
            .map(|m| {
                let keys = (0..)
                    .zip(&device.cases)
                    .map(|(change, (_, key, _))| PageKey {
                        change,
                        epoch: 0,
                        key,
                    });
                (m, keys.collect())
            })
            .into_iter()
            .collect();
        request
            .pages
            .push(seal_team_page(&device.identity, members, changes, &carried));
        setup_pushes.push(request);
    }
    // Every device pushes, then every device pulls: no device's cursor may
    // stop short of the set-up cases, or the measured phase would count them.
    let gate = Arc::new(Semaphore::new(16));
    let mut tasks = tokio::task::JoinSet::new();
    for (device, request) in devices.iter().zip(setup_pushes) {
        let (url, token, gate) = (url.clone(), device.token.clone(), gate.clone());
        tasks.spawn(async move {
            let _permit = gate.acquire_owned().await;
            let _: PushResponse = call(&client(), &url, "/v1/sync/push", Some(&token), &request)
                .await
                .expect("set-up push");
        });
    }
    tasks.join_all().await;
    let mut tasks = tokio::task::JoinSet::new();
    for (i, device) in devices.iter().enumerate() {
        let (url, token, gate) = (url.clone(), device.token.clone(), gate.clone());
        tasks.spawn(async move {
            let _permit = gate.acquire_owned().await;
            let (_, cursor) = pull_to_end(&client(), &url, &token, Vec::new()).await;
            (i, cursor)
        });
    }
    for (i, cursor) in tasks.join_all().await {
        devices[i].cursor = cursor;
    }
    println!(
        "set-up: {} cases with their teams pushed, every device pulled once; {:.1} s in all",
        devices.len() * settings.cases,
        started.elapsed().as_secs_f64()
    );

    // What each device will push: its edits, sealed and signed beforehand.
    let mut pushes = Vec::new();
    for device in &devices {
        let mut request = PushRequest::default();
        for (_, key, events) in &device.cases {
            for event in &events[1..] {
                request
                    .events
                    .push(seal_event(&device.identity, key, 0, event));
            }
        }
        pushes.push(request);
    }
    let events_per_device = pushes[0].events.len();
    let directory: Arc<HashMap<DeviceId, DevicePublic>> = Arc::new(
        devices
            .iter()
            .map(|d| (d.identity.device_id(), d.identity.public()))
            .collect(),
    );

    // The measured phase: every device at once.
    let start = Arc::new(tokio::sync::Barrier::new(devices.len() + 1));
    let devices: Vec<Arc<Device>> = devices.into_iter().map(Arc::new).collect();
    let mut tasks = tokio::task::JoinSet::new();
    for (i, (device, push)) in devices.iter().cloned().zip(pushes).enumerate() {
        let (url, start) = (url.clone(), start.clone());
        tasks.spawn(async move {
            let http = client();
            start.wait().await;
            (i, sync_once(&http, &url, &device, push).await)
        });
    }
    let cpu_before = phase_cpu(&server);
    start.wait().await;
    let began = Instant::now();
    let outcomes = match tokio::time::timeout(PHASE_LIMIT, tasks.join_all()).await {
        Ok(outcomes) => outcomes,
        Err(_) => panic!("the measured phase did not finish in {PHASE_LIMIT:?}"),
    };
    let seconds = began.elapsed().as_secs_f64();
    let cpu_after = phase_cpu(&server);
    let [server_cpu, database_cpu, devices_cpu] =
        std::array::from_fn(|i| cpu_after[i] - cpu_before[i]);

    let mut syncs: Vec<f64> = outcomes
        .iter()
        .filter_map(|(_, o)| o.sync_seconds)
        .collect();
    syncs.sort_by(f64::total_cmp);
    let mut requests: Vec<f64> = outcomes
        .iter()
        .flat_map(|(_, o)| o.requests.iter().map(|r| r.1))
        .collect();
    requests.sort_by(f64::total_cmp);
    let mut by_kind: BTreeMap<&str, Vec<f64>> = BTreeMap::new();
    for (_, o) in &outcomes {
        for (kind, s) in &o.requests {
            by_kind.entry(kind).or_default().push(*s);
        }
    }
    let errors: Vec<String> = outcomes
        .iter()
        .flat_map(|(_, o)| o.errors.iter().cloned())
        .collect();
    let events: usize = outcomes.iter().map(|(_, o)| o.pushed).sum();
    println!(
        "measured: {} devices × {} events = {} events pushed in {:.2} s ({:.0} events/s); {} requests",
        devices.len(),
        events_per_device,
        events,
        seconds,
        events as f64 / seconds,
        requests.len(),
    );
    println!(
        "  CPU in the phase ({:.2} s × 2 cores): server {server_cpu:.2} s, PostgreSQL {database_cpu:.2} s, simulated devices {devices_cpu:.2} s",
        seconds
    );
    println!(
        "  whole sync (push + pull + snapshots): p50 {:.0} ms, p90 {:.0} ms, p99 {:.0} ms, max {:.0} ms",
        quantile(&syncs, 0.5) * 1e3,
        quantile(&syncs, 0.9) * 1e3,
        quantile(&syncs, 0.99) * 1e3,
        quantile(&syncs, 1.0) * 1e3
    );
    for (kind, mut list) in by_kind {
        list.sort_by(f64::total_cmp);
        println!(
            "  {kind:<9} requests: {:>4}, p50 {:.0} ms, p99 {:.0} ms, max {:.0} ms",
            list.len(),
            quantile(&list, 0.5) * 1e3,
            quantile(&list, 0.99) * 1e3,
            quantile(&list, 1.0) * 1e3
        );
    }
    println!("  errors: {}", errors.len());
    for e in errors.iter().take(5) {
        println!("    {e}");
    }

    // Nothing lost, nothing duplicated: every manager ends up with exactly
    // its collaborators' edits, each verified and opened.
    let mut pulled: HashMap<usize, (Vec<WireEvent>, Option<Vec<u8>>)> = outcomes
        .into_iter()
        .map(|(i, o)| (i, (o.pulled, o.cursor)))
        .collect();
    let keys: HashMap<CaseId, (DeviceId, &SecretKey)> = devices
        .iter()
        .flat_map(|d| {
            d.cases
                .iter()
                .map(move |(id, key, _)| (*id, (d.identity.device_id(), key)))
        })
        .collect();
    let http = client();
    let mut checked = 0;
    for (i, device) in devices.iter().enumerate() {
        if device.role != Role::CommuneCaseManager {
            continue;
        }
        // What the measured sync pulled, then whatever came after it.
        let (mut events, reached) = pulled.remove(&i).unwrap_or_default();
        let from = reached.unwrap_or_else(|| device.cursor.clone());
        events.extend(pull_to_end(&http, &url, &device.token, from).await.0);
        let collaborators = devices
            .iter()
            .filter(|d| d.commune == device.commune && d.role == Role::Collaborator)
            .count();
        let mut ids: Vec<EventId> = events.iter().map(|e| e.id).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), events.len(), "a manager received an event twice");
        assert_eq!(
            events.len(),
            collaborators * events_per_device,
            "a manager is missing events"
        );
        for wire in &events {
            let (author, key) = keys[&wire.case_id];
            assert_eq!(author, wire.author);
            open_event(
                wire,
                &directory[&wire.author].verifier().expect("a key"),
                key,
            )
            .expect("the event opens");
            checked += 1;
        }
    }
    println!("verified: every manager holds each of its collaborators' {checked} new events exactly once, signed and opened");

    Report {
        backend: name,
        devices: devices.len(),
        events,
        seconds,
        sync_p50: quantile(&syncs, 0.5),
        sync_p99: quantile(&syncs, 0.99),
        sync_max: quantile(&syncs, 1.0),
        request_p50: quantile(&requests, 0.5),
        request_p99: quantile(&requests, 0.99),
        errors: errors.len() + devices.len() - syncs.len(),
        server_cpu,
    }
}

/// CPU seconds used so far by the server process, by PostgreSQL's
/// processes (none on SQLite) and by this process (the simulated devices).
fn phase_cpu(server: &Server) -> [f64; 3] {
    [
        process_cpu_seconds(server.pid()).unwrap_or(0.0),
        named_processes_cpu_seconds("postgres"),
        process_cpu_seconds(std::process::id()).unwrap_or(0.0),
    ]
}

/// Pulls from `cursor` until the server has nothing more: the events and
/// the cursor after them.
async fn pull_to_end(
    http: &reqwest::Client,
    url: &str,
    token: &str,
    mut cursor: Vec<u8>,
) -> (Vec<WireEvent>, Vec<u8>) {
    let mut events = Vec::new();
    loop {
        let chunk: PullResponse = call(
            http,
            url,
            "/v1/sync/pull",
            Some(token),
            &PullRequest {
                cursor,
                max_bytes: DEFAULT_PULL_BYTES,
                inbox_after: None,
            },
        )
        .await
        .expect("pull");
        events.extend(chunk.events.into_iter().map(|s| s.item));
        cursor = chunk.cursor;
        if !chunk.more {
            return (events, cursor);
        }
    }
}

/// What the app's sync does for a device whose token is still valid: push,
/// pull until done, upload snapshots of the cases it edited.
async fn sync_once(
    http: &reqwest::Client,
    url: &str,
    device: &Device,
    push: PushRequest,
) -> Outcome {
    let mut outcome = Outcome::default();
    let began = Instant::now();
    let token = Some(device.token.as_str());
    let wanted = push.events.len();
    let t = Instant::now();
    match call::<_, PushResponse>(http, url, "/v1/sync/push", token, &push).await {
        Ok(r) if r.events.len() == wanted => outcome.pushed = wanted,
        Ok(r) => outcome
            .errors
            .push(format!("push stored {} of {wanted}", r.events.len())),
        Err(e) => outcome.errors.push(e),
    }
    outcome.requests.push(("push", t.elapsed().as_secs_f64()));
    if !outcome.errors.is_empty() {
        return outcome;
    }
    let mut cursor = device.cursor.clone();
    let complete_through = loop {
        let t = Instant::now();
        let result: Result<PullResponse, String> = call(
            http,
            url,
            "/v1/sync/pull",
            token,
            &PullRequest {
                cursor,
                max_bytes: DEFAULT_PULL_BYTES,
                inbox_after: None,
            },
        )
        .await;
        outcome.requests.push(("pull", t.elapsed().as_secs_f64()));
        match result {
            Ok(chunk) => {
                outcome
                    .pulled
                    .extend(chunk.events.into_iter().map(|s| s.item));
                cursor = chunk.cursor;
                outcome.cursor = Some(cursor.clone());
                if !chunk.more {
                    break chunk.complete_through;
                }
            }
            Err(e) => {
                outcome.errors.push(e);
                return outcome;
            }
        }
    };
    let mut snapshots = PushRequest::default();
    for (case_id, key, events) in &device.cases {
        let state = CaseState::fold(*case_id, events);
        snapshots.snapshots.push(
            seal_snapshot(&device.identity, key, 0, complete_through, &state).expect("a snapshot"),
        );
    }
    let t = Instant::now();
    match call::<_, PushResponse>(http, url, "/v1/sync/push", token, &snapshots).await {
        Ok(_) => {}
        Err(e) => outcome.errors.push(e),
    }
    outcome
        .requests
        .push(("snapshot", t.elapsed().as_secs_f64()));
    if outcome.errors.is_empty() {
        outcome.sync_seconds = Some(began.elapsed().as_secs_f64());
    }
    outcome
}
