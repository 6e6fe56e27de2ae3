//! Benchmark: the memory one pull takes on the server (issue 17 §4).
//!
//! A device's case holds `--events` events (default 120) of `--event-kib`
//! KiB each (default 1,024; synthetic ciphertext, signed); the device pulls
//! them all with the default budget (1 MiB). Before each pull the server
//! process's peak resident memory is reset to its current size (`5` into
//! `/proc/PID/clear_refs`); after it, the peak's rise is what that pull
//! took. Prints the first pull's rise and the largest, with the budget,
//! for SQLite (and PostgreSQL if `BINHAN_BENCH_POSTGRES_URL` is set).
//!
//! ```sh
//! cargo bench -p binhan-server --bench pull_memory
//! cargo bench -p binhan-server --bench pull_memory -- --events 300 --event-kib 512
//! ```
//!
//! Linux only (reads `/proc`). Synthetic data only; traffic to 127.0.0.1.

mod sync_common;

use binhan_core::events::{Event, Hlc};
use binhan_core::model::{CaseId, EventId, Role};
use binhan_core::sync::wire::{
    PullRequest, PullResponse, PushRequest, PushResponse, TeamEntry, WireEvent, DEFAULT_PULL_BYTES,
    MAX_REQUEST_BYTES,
};
use binhan_core::sync::{sign_team_entry, DeviceIdentity};
use sync_common::{
    args, block_on, call, client, enrol_new, flag, invite_with, Backend, Server, NO_RATE_LIMIT,
};

const POSTGRES_ENV: &str = "BINHAN_BENCH_POSTGRES_URL";

struct Device {
    identity: DeviceIdentity,
    token: String,
    root: [u8; 32],
}

async fn enrol(url: &str, code: &str) -> Device {
    let (identity, enrolled, root) = enrol_new(url, code).await;
    Device {
        identity,
        token: enrolled.token.token,
        root,
    }
}

/// A kibibyte-sized synthetic event by `author` on `case_id` (its
/// ciphertext is filler: the server never opens it).
fn event(author: &DeviceIdentity, case_id: CaseId, wall_ms: u64, kib: usize) -> WireEvent {
    let hlc = Hlc::from_wall_ms(wall_ms);
    let mut event = WireEvent {
        id: Event::id_for(author.device_id(), hlc),
        case_id,
        epoch: 0,
        author: author.device_id(),
        hlc: hlc.0,
        ciphertext: vec![(wall_ms % 251) as u8; kib * 1024],
        signature: vec![],
    };
    event.signature = author.sign(&event.signed_message());
    event
}

/// Peak resident memory (`VmHWM`) and current (`VmRSS`) of `pid`, bytes.
fn memory(pid: u32) -> (u64, u64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("/proc status");
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches(" kB").trim().parse::<u64>().ok())
            .expect("a memory field")
            * 1024
    };
    (field("VmHWM:"), field("VmRSS:"))
}

async fn run(backend: Backend, events: usize, kib: usize) {
    let name = backend.name();
    let server = Server::start(backend, NO_RATE_LIMIT);
    let url = server.url.clone();
    let officer = enrol(&url, &server.bootstrap_officer()).await;
    let mut devices = Vec::new();
    for _ in 0..2 {
        let code = invite_with(
            &url,
            &officer.identity,
            &officer.token,
            officer.root,
            Role::Collaborator,
            "muong_te",
        )
        .await;
        devices.push(enrol(&url, &code).await);
    }
    let (author, reader) = (&devices[0], &devices[1]);
    let mut team = TeamEntry {
        id: EventId::random(),
        case_id: CaseId::random(),
        epoch: 0,
        members: vec![author.identity.device_id(), reader.identity.device_id()],
        wraps: vec![],
        signer: author.identity.device_id(),
        signature: vec![],
    };
    sign_team_entry(&author.identity, &mut team);
    let case_id = team.case_id;
    let push = |request: PushRequest| {
        let (url, token) = (url.clone(), author.token.clone());
        async move {
            let _: PushResponse = call(&client(), &url, "/v1/sync/push", Some(&token), &request)
                .await
                .expect("push");
        }
    };
    push(PushRequest {
        team: vec![team],
        ..PushRequest::default()
    })
    .await;
    let pull = |cursor: Vec<u8>| {
        let (url, token) = (url.clone(), reader.token.clone());
        async move {
            let request = PullRequest {
                cursor,
                max_bytes: DEFAULT_PULL_BYTES,
                inbox_after: None,
            };
            let response: PullResponse =
                call(&client(), &url, "/v1/sync/pull", Some(&token), &request)
                    .await
                    .expect("pull");
            response
        }
    };
    // The reader holds the case before its events come (they are then
    // the pull's tail).
    let mut cursor = Vec::new();
    loop {
        let page = pull(cursor).await;
        cursor = page.cursor;
        if !page.more {
            break;
        }
    }

    let per_push = (MAX_REQUEST_BYTES / (kib * 1024 + 512)).max(1);
    let start = now_ms();
    for first in (0..events).step_by(per_push) {
        let batch = (first..events.min(first + per_push))
            .map(|i| event(&author.identity, case_id, start + i as u64, kib))
            .collect();
        push(PushRequest {
            events: batch,
            ..PushRequest::default()
        })
        .await;
    }

    let pid = server.pid();
    let (mut pulls, mut received, mut first_rise, mut largest) = (0, 0, 0, 0);
    loop {
        std::fs::write(format!("/proc/{pid}/clear_refs"), "5").expect("reset the peak");
        let (_, before) = memory(pid);
        let page = pull(cursor).await;
        let (peak, _) = memory(pid);
        let rise = peak.saturating_sub(before);
        if pulls == 0 {
            first_rise = rise;
        }
        largest = largest.max(rise);
        pulls += 1;
        received += page.events.len();
        cursor = page.cursor;
        if !page.more {
            break;
        }
    }
    assert_eq!(received, events, "every event pulled once");
    let mib = |b: u64| b as f64 / (1024.0 * 1024.0);
    println!(
        "{name}: {events} events of {kib} KiB in {pulls} pulls of a {:.1} MiB budget: \
         server peak rose {:.1} MiB in the first pull, at most {:.1} MiB in one",
        mib(u64::from(DEFAULT_PULL_BYTES)),
        mib(first_rise),
        mib(largest)
    );
}

/// The wall clock, ms since 1970.
fn now_ms() -> u64 {
    u64::try_from(chrono::Utc::now().timestamp_millis()).unwrap_or(0)
}

fn main() {
    let args = args();
    let number = |name: &str, default: usize| {
        flag(&args, name).map_or(default, |v| v.parse().expect("a number"))
    };
    let (events, kib) = (number("--events", 120), number("--event-kib", 1024));
    block_on(async {
        run(Backend::sqlite(), events, kib).await;
        if let Ok(admin) = std::env::var(POSTGRES_ENV) {
            run(Backend::postgres(&admin).await, events, kib).await;
        }
    });
}
