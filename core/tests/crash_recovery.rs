//! A phone killed mid-write: the store is killed with SIGKILL while writing,
//! many times over; each time it reopens, passes SQLite's integrity check,
//! and holds every event it had acknowledged.
//!
//! The writer is this test binary itself, re-run as a child process with
//! `CRASH_CHILD_DIR` set (see [`crash_child_writer`]).

use binhan_core::app::Vault;
use binhan_core::cases::{CaseAction, CaseFilter, CaseIntake};
use binhan_core::model::{EventId, Note};
use binhan_core::store::{Store, DATABASE_FILE};
use binhan_core::vault::KeyVault;
use binhan_testkit::intake::Builder;
use binhan_testkit::vault::fast_vault;
use chrono::NaiveDate;
use std::collections::HashSet;
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const CHILD_ENV: &str = "CRASH_CHILD_DIR";
const PIN: &str = "583920";

fn intake(i: u64) -> CaseIntake {
    let day = NaiveDate::from_ymd_opt(2026, 1, 10).unwrap();
    Builder::new(0, day)
        .code(format!("CRASH-{i}"))
        .commune("sin_ho")
        .account("synthetic ".repeat(50))
        .build()
}

/// In the child process: write cases and notes forever, printing each event
/// id once its write has returned. A no-op in a normal test run.
#[test]
fn crash_child_writer() {
    let Ok(dir) = std::env::var(CHILD_ENV) else {
        return;
    };
    let app = Vault::open(dir.as_ref(), fast_vault()).unwrap();
    app.unlock(PIN).unwrap();
    let mut out = std::io::stdout().lock();
    let mut cases = Vec::new();
    for i in 0u64.. {
        if i % 3 == 0 || cases.is_empty() {
            let id = app.create_case(intake(i)).unwrap();
            let event = app.events_of(id).unwrap()[0].id;
            cases.push(id);
            writeln!(out, "ack {event}").unwrap();
        } else {
            let case = cases[(i as usize * 7) % cases.len()];
            let event = app
                .act(
                    case,
                    CaseAction::AddNote(Note {
                        text: format!("note {i}"),
                    }),
                )
                .unwrap();
            writeln!(out, "ack {event}").unwrap();
        }
        out.flush().unwrap();
    }
}

/// A small deterministic generator for kill times.
fn next_random(state: &mut u64) -> u64 {
    *state = state
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    *state >> 33
}

#[test]
fn killed_mid_write_many_times_loses_nothing_acknowledged() {
    let dir = tempfile::tempdir().unwrap();
    Vault::create(dir.path(), PIN, fast_vault()).unwrap();
    let mut acknowledged: HashSet<EventId> = HashSet::new();
    let mut seed = 0x5eed_u64;
    let rounds = 25;
    for round in 0..rounds {
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args([
                "crash_child_writer",
                "--exact",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(CHILD_ENV, dir.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let reader = std::thread::spawn(move || {
            let mut acks = Vec::new();
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if let Some(id) = line.strip_prefix("ack ") {
                    if let Ok(id) = id.parse::<EventId>() {
                        acks.push(id);
                    }
                }
            }
            acks
        });
        // Let it unlock and write for a varying while, then kill it.
        let run_for = Duration::from_millis(150 + next_random(&mut seed) % 400);
        let started = Instant::now();
        while started.elapsed() < run_for {
            std::thread::sleep(Duration::from_millis(5));
        }
        child.kill().unwrap(); // SIGKILL on Unix
        child.wait().unwrap();
        let acks = reader.join().unwrap();
        acknowledged.extend(acks);

        let key = KeyVault::open(dir.path(), None)
            .unwrap()
            .unlock(PIN)
            .unwrap()
            .into_key();
        let store = Store::open(&dir.path().join(DATABASE_FILE), key).unwrap();
        store.integrity_check().unwrap();
        let stored: HashSet<EventId> = store.event_ids().unwrap().into_iter().collect();
        let missing = acknowledged.difference(&stored).count();
        assert_eq!(
            missing, 0,
            "round {round}: {missing} acknowledged events lost"
        );
    }
    eprintln!(
        "acknowledged events across {rounds} kills: {}",
        acknowledged.len()
    );
    assert!(acknowledged.len() > rounds, "the writer made progress");

    // Every case still opens, and its state agrees with its events.
    let app = Vault::open(dir.path(), fast_vault()).unwrap();
    app.unlock(PIN).unwrap();
    let list = app.list_cases(&CaseFilter::default()).unwrap();
    assert!(list.unreadable.is_empty());
    for row in &list.cases {
        let detail = app.case(row.id).unwrap();
        assert_eq!(
            detail.event_count as usize,
            app.events_of(row.id).unwrap().len()
        );
    }
}
