//! What must never happen, against a real server process on loopback, on
//! SQLite and on PostgreSQL: diverging devices, lost or duplicated events
//! when connections are cut, outsiders reading a case, a revoked device
//! keeping its data, or bad payloads being written.

use crate::support::proxy::FaultProxy;
use crate::support::{
    assert_no_case_content, cases_due_a_snapshot, intake, note_event, now_ms, server_event_count,
    storage, Backend, Phone, RawDevice, Server, Team,
};
use binhan_core::cases::{CaseAction, CaseDetail, CaseFilter};
use binhan_core::crypto::SecretKey;
use binhan_core::events::CaseState;
use binhan_core::model::{CaseId, EventId, Note, RiskAssessment, RiskLevel, Role};
use binhan_core::sync::wire::{BundledCase, PushRequest, TeamEntry, WireEvent};
use binhan_core::sync::{seal_bundle, seal_event, CancelFlag};
use binhan_core::Error;
use binhan_server::storage::{Cursor, DevicePush, Storage};
use chrono::NaiveDate;
use std::collections::BTreeSet;

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 1).unwrap()
}

fn assess(level: RiskLevel) -> CaseAction {
    CaseAction::AssessRisk(RiskAssessment {
        level,
        factors: vec![],
        assessed_on: day(),
    })
}

/// Every phone holds the same cases, field for field.
fn assert_converged(phones: &[&Phone], cases: &[CaseId]) -> Vec<CaseDetail> {
    let details: Vec<CaseDetail> = cases
        .iter()
        .map(|id| phones[0].app.case(*id).unwrap())
        .collect();
    for phone in &phones[1..] {
        for (id, expected) in cases.iter().zip(&details) {
            assert_eq!(&phone.app.case(*id).unwrap(), expected, "case {id} differs");
        }
    }
    details
}

fn permutations(n: usize) -> Vec<Vec<usize>> {
    if n == 1 {
        return vec![vec![0]];
    }
    let mut out = Vec::new();
    for p in permutations(n - 1) {
        for i in 0..=p.len() {
            let mut q = p.clone();
            q.insert(i, n - 1);
            out.push(q);
        }
    }
    out
}

/// Two and three devices edit the same cases offline, then sync in every
/// order: identical state everywhere, conflicts flagged, nothing dropped.
async fn offline_edits_converge_in_every_sync_order(backend: Backend) {
    let server = Server::start(backend);
    let team = Team::enrol(&server, "sin_ho", 2).await;
    let (author, manager, third) = (
        &team.collaborators[0],
        &team.manager,
        &team.collaborators[1],
    );
    let third_id = third.app.device_id().unwrap();
    for devices in [2usize, 3] {
        for (round, order) in permutations(devices).into_iter().enumerate() {
            let cases: Vec<CaseId> = (0..3)
                .map(|i| {
                    author
                        .app
                        .create_case(intake(&format!("ORD-{devices}-{round}-{i}"), "sin_ho"))
                        .unwrap()
                })
                .collect();
            author.sync().await;
            manager.sync().await;
            let mut phones = vec![author, manager];
            if devices == 3 {
                for id in &cases {
                    manager.add_with_consent(*id, third_id).await;
                }
                manager.sync().await;
                third.sync().await;
                phones.push(third);
            }

            // Offline: everyone writes a note and a different risk level to every case.
            let levels = [RiskLevel::Low, RiskLevel::Medium, RiskLevel::High];
            for (p, phone) in phones.iter().enumerate() {
                for id in &cases {
                    phone
                        .app
                        .act(
                            *id,
                            CaseAction::AddNote(Note {
                                text: format!("note from phone {p}"),
                            }),
                        )
                        .unwrap();
                    phone.app.act(*id, assess(levels[p])).unwrap();
                }
            }
            for &p in &order {
                phones[p].sync().await;
            }
            for phone in &phones {
                phone.sync().await;
            }
            let details = assert_converged(&phones, &cases);
            for detail in details {
                assert_eq!(
                    detail.notes.len(),
                    devices,
                    "order {order:?}: every note kept"
                );
                assert_eq!(
                    detail.conflicts.len(),
                    1,
                    "order {order:?}: the risk conflict is flagged"
                );
                assert_eq!(detail.conflicts[0].candidates.len(), devices);
                assert_eq!(
                    detail.risk_level,
                    Some(levels[devices - 1]),
                    "the highest risk is acted on"
                );
            }
        }
    }
    assert_no_case_content(&server);
}
on_both_backends!(offline_edits_converge_in_every_sync_order);

/// A hundred syncs through connections cut at random points: no event lost,
/// none duplicated, and the devices converge once the network heals.
async fn cut_connections_lose_and_duplicate_nothing(backend: Backend) {
    let server = Server::start(backend);
    let proxy = FaultProxy::start(&server.url, 0xC0FFEE).await;
    let officer = Phone::enrolled(&server, &server.bootstrap_officer()).await;
    let invite = |role| officer.app.invite(role, "pa_tan", 24);
    let manager = Phone::enrolled_via(
        &proxy.url,
        &invite(Role::CommuneCaseManager).await.unwrap().code,
    )
    .await;
    let collaborator =
        Phone::enrolled_via(&proxy.url, &invite(Role::Collaborator).await.unwrap().code).await;
    let cases: Vec<CaseId> = (0..4)
        .map(|i| {
            collaborator
                .app
                .create_case(intake(&format!("CUT-{i}"), "pa_tan"))
                .unwrap()
        })
        .collect();
    collaborator.sync().await;
    manager.sync().await;

    proxy.set_faults(true);
    let mut written = 0usize;
    let mut failures = 0;
    for round in 0..100 {
        let phone = if round % 2 == 0 {
            &collaborator
        } else {
            &manager
        };
        let case = cases[round % cases.len()];
        phone
            .app
            .act(
                case,
                CaseAction::AddNote(Note {
                    text: format!("round {round}"),
                }),
            )
            .unwrap();
        written += 1;
        if phone
            .app
            .sync(&|_| {}, &CancelFlag::default())
            .await
            .is_err()
        {
            failures += 1;
        }
    }
    assert!(failures > 20, "the proxy cut many syncs ({failures})");
    let cuts = proxy.cuts.load(std::sync::atomic::Ordering::Relaxed) as usize;
    assert!(
        cuts >= failures,
        "every failed sync met a cut connection ({cuts} cuts, {failures} failures)"
    );
    proxy.set_faults(false);
    for _ in 0..2 {
        collaborator.sync().await;
        manager.sync().await;
    }
    let details = assert_converged(&[&collaborator, &manager], &cases);
    let notes: usize = details.iter().map(|d| d.notes.len()).sum();
    assert_eq!(notes, written, "every note arrived exactly once");
    assert_eq!(
        server_event_count(&server.backend).await as usize,
        cases.len() + written,
        "no event stored twice"
    );
    assert_eq!(collaborator.app.pending_events().unwrap(), 0);
    assert_eq!(manager.app.pending_events().unwrap(), 0);
}
on_both_backends!(cut_connections_lose_and_duplicate_nothing);

/// A revoked device is refused, told to erase itself, and does; the case key
/// is rotated so what the team writes next is sealed with a key it never had.
async fn a_revoked_device_is_refused_and_erases_itself(backend: Backend) {
    let server = Server::start(backend);
    let team = Team::enrol(&server, "than_uyen", 2).await;
    let (author, lost) = (&team.collaborators[0], &team.collaborators[1]);
    let id = author
        .app
        .create_case(intake("REV-1", "than_uyen"))
        .unwrap();
    author.sync().await;
    team.manager.sync().await;
    team.manager
        .add_with_consent(id, lost.app.device_id().unwrap())
        .await;
    team.manager.sync().await;
    lost.sync().await;
    assert_eq!(lost.app.case(id).unwrap().survivor.code, "REV-1");

    team.manager
        .app
        .revoke_device(lost.app.device_id().unwrap())
        .await
        .unwrap();
    let result = lost.app.sync(&|_| {}, &CancelFlag::default()).await;
    assert!(matches!(result, Err(Error::Revoked)), "{result:?}");
    assert!(
        matches!(lost.app.unlock("493817"), Err(Error::Erased)),
        "the vault erased itself"
    );
    assert!(matches!(
        lost.app.list_cases(&CaseFilter::default()),
        Err(Error::Locked)
    ));

    // The manager rotates the key; the author keeps working with the new one.
    let report = team.manager.sync().await;
    assert_eq!(report.keys_rotated, 1);
    author.sync().await;
    author
        .app
        .act(
            id,
            CaseAction::AddNote(Note {
                text: "after revocation".into(),
            }),
        )
        .unwrap();
    author.sync().await;
    team.manager.sync().await;
    assert_eq!(team.manager.app.case(id).unwrap().notes.len(), 1);
    assert_eq!(team.manager.app.team_members(id).unwrap().len(), 2);
}
on_both_backends!(a_revoked_device_is_refused_and_erases_itself);

/// Pushes and pulls take a device's keys from each server process's
/// enrolment cache, yet a revocation made through one process refuses the
/// device's very next push and pull on every process (on PostgreSQL, a
/// second process beside the first), and nothing of them is written.
async fn a_revocation_is_obeyed_by_every_process_at_once(backend: Backend) {
    use binhan_core::sync::wire::{encode, PullRequest, DEFAULT_PULL_BYTES};
    let postgres = matches!(backend, Backend::Postgres(_));
    let server = Server::start(backend);
    let other = postgres.then(|| server.another_process());
    let officer = Phone::enrolled(&server, &server.bootstrap_officer()).await;
    let code = officer.app.invite(Role::Collaborator, "mu_ca", 24).await;
    let here = RawDevice::enrol(&server, &code.unwrap().code).await;
    let there = here.through(other.as_ref().map_or(&server.url, |o| &o.url));
    let case = here.new_case();
    let push = |team: bool, n| {
        encode(&PushRequest {
            team: if team { vec![case.0.clone()] } else { vec![] },
            events: vec![raw_note(&here, &case, n)],
            ..PushRequest::default()
        })
    };
    let pull = || {
        encode(&PullRequest {
            cursor: Vec::new(),
            max_bytes: DEFAULT_PULL_BYTES,
            inbox_after: None,
        })
    };
    // Both processes serve the device, and so keep its enrolment.
    for (device, n) in [(&here, 0), (&there, 1)] {
        let pushed = device.post("/v1/sync/push", push(n == 0, n), true).await;
        assert_eq!(pushed.status, 200, "{}", pushed.error_code());
        assert_eq!(device.post("/v1/sync/pull", pull(), true).await.status, 200);
    }

    officer
        .app
        .revoke_device(here.identity.device_id())
        .await
        .unwrap();
    let stored = server_event_count(&server.backend).await;
    for (device, n) in [(&here, 2), (&there, 3)] {
        let pushed = device.post("/v1/sync/push", push(false, n), true).await;
        assert_eq!(
            (pushed.status, pushed.error_code().as_str()),
            (410, "revoked")
        );
        let pulled = device.post("/v1/sync/pull", pull(), true).await;
        assert_eq!(
            (pulled.status, pulled.error_code().as_str()),
            (410, "revoked")
        );
    }
    assert_eq!(
        server_event_count(&server.backend).await,
        stored,
        "nothing written"
    );
}
on_both_backends!(a_revocation_is_obeyed_by_every_process_at_once);

/// The server's database is restored from an older backup. A device whose
/// cursor is now ahead of the server is refused (`bad_cursor`) instead of
/// silently skipping what the server stores again under those sequence
/// numbers; it pulls again from the start, keeps everything it held, and
/// receives what the team writes next.
#[tokio::test]
async fn a_device_pulls_again_from_the_start_after_a_restore_from_backup() {
    let mut server = Server::start(Backend::sqlite());
    let team = Team::enrol(&server, "tam_duong", 2).await;
    let author = &team.collaborators[0];
    let id = author
        .app
        .create_case(intake("RESTORE-1", "tam_duong"))
        .unwrap();
    author.sync().await;
    team.manager.sync().await;
    // A member added, then removed: the case key is in its second epoch, so
    // starting over applies again team entries of an older epoch too.
    let other = team.collaborators[1].app.device_id().unwrap();
    team.manager.add_with_consent(id, other).await;
    team.manager.sync().await;
    team.manager
        .app
        .remove_team_member(id, other)
        .await
        .unwrap();
    team.manager.sync().await;
    author.sync().await;

    let backup = tempfile::tempdir().unwrap();
    let copy = |from: &std::path::Path, to: &std::path::Path| {
        for entry in std::fs::read_dir(to).unwrap() {
            std::fs::remove_file(entry.unwrap().path()).unwrap();
        }
        for entry in std::fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
        }
    };
    server.restart_with(|data| copy(data, backup.path()));

    let note = |text: &str| CaseAction::AddNote(Note { text: text.into() });
    author.app.act(id, note("before the restore")).unwrap();
    author.sync().await;
    team.manager.sync().await;
    assert_eq!(team.manager.app.case(id).unwrap().notes.len(), 1);
    let held = team.manager.app.case(id).unwrap();

    server.restart_with(|data| copy(backup.path(), data));

    // The manager's cursor is past the restored database's newest number:
    // refused, it starts over and loses nothing it held.
    team.manager.sync().await;
    assert_eq!(team.manager.app.case(id).unwrap(), held);
    assert_eq!(team.manager.app.team_members(id).unwrap().len(), 2);

    // What the team writes next reaches it, under reused sequence numbers.
    author.sync().await;
    author.app.act(id, note("after the restore")).unwrap();
    author.sync().await;
    let report = team.manager.sync().await;
    assert_eq!(report.events_pulled, 1);
    assert_eq!(team.manager.app.case(id).unwrap().notes.len(), 2);
    assert_eq!(team.manager.app.pending_events().unwrap(), 0);
}

/// A bundle stored while a device is part-way through a pull session
/// (after some of its teams, before its cases' events) replaces the
/// device's index rows, but the session keeps to bundles stored before it
/// began: the device skips no event it has not got.
async fn a_bundle_stored_mid_pull_skips_no_event(backend: Backend) {
    let server = Server::start(backend);
    let team = Team::enrol(&server, "mu_ca", 1).await;
    let second = team.second_manager(&server, "mu_ca").await;
    let author = &team.collaborators[0];
    let cases = cases_due_a_snapshot(author, "MID", "mu_ca", 80);
    let note = |text: &str| {
        CaseAction::AddNote(Note {
            text: text.to_string(),
        })
    };
    author.sync().await; // bundle 1, for both managers

    // A raw device joins every team (it will store bundle 2).
    let code = team.manager.app.invite(Role::Collaborator, "mu_ca", 24);
    let raw = RawDevice::enrol(&server, &code.await.unwrap().code).await;
    for case in &cases {
        let id = raw.identity.device_id();
        author.add_with_consent(*case, id).await;
    }
    author.sync().await;

    // The second manager adds a note to every case: events after bundle 1.
    second.sync().await;
    for case in &cases {
        second.app.act(*case, note("synthetic, second")).unwrap();
    }
    second.sync().await;
    let second_id = second.app.device_id().unwrap();
    let theirs: BTreeSet<EventId> = cases
        .iter()
        .flat_map(|c| second.app.events_of(*c).unwrap())
        .filter(|e| e.author == second_id)
        .map(|e| e.id)
        .collect();
    assert_eq!(theirs.len(), cases.len());

    // The first manager's pull session: one small chunk...
    let db = storage(&server.backend).await;
    let record = |id| {
        let db = &db;
        async move { db.device(id).await.unwrap().unwrap() }
    };
    let manager = record(team.manager.app.device_id().unwrap()).await;
    let mut chunk = db
        .pull(manager.clone(), Cursor::decode(&[]).unwrap(), 16 * 1024)
        .await
        .unwrap();
    assert!(
        chunk.more && chunk.bundles.is_empty(),
        "still sending teams"
    );

    // ...then the raw device stores bundle 2 for it, covering everything...
    let raw_record = record(raw.identity.device_id()).await;
    let mut now = db
        .pull(raw_record.clone(), Cursor::decode(&[]).unwrap(), 8 << 20)
        .await
        .unwrap();
    while now.more {
        let cursor = Cursor::decode(&now.cursor).unwrap();
        now = db.pull(raw_record.clone(), cursor, 8 << 20).await.unwrap();
    }
    let covered: Vec<BundledCase> = cases
        .iter()
        .map(|&case_id| BundledCase {
            case_id,
            epoch: 0,
            covers_seq: now.complete_through,
        })
        .collect();
    let states: Vec<Vec<u8>> = cases
        .iter()
        .map(|c| CaseState::fold(*c, []).encode_snapshot().unwrap())
        .collect();
    let bundle = seal_bundle(&raw.identity, &[manager.public], covered, &states);
    let request = PushRequest {
        bundles: vec![bundle],
        ..PushRequest::default()
    };
    let stored = db.push(raw_record, request, 0).await.unwrap();
    assert_eq!(stored.bundles, 1);

    // ...and the session goes on to its end.
    let mut bundles = Vec::new();
    let mut events = BTreeSet::new();
    loop {
        bundles.extend(chunk.bundles.iter().map(|b| b.id));
        events.extend(chunk.events.iter().map(|e| e.item.id));
        if !chunk.more {
            break;
        }
        let cursor = Cursor::decode(&chunk.cursor).unwrap();
        chunk = db.pull(manager.clone(), cursor, 16 * 1024).await.unwrap();
    }
    // Bundle 2 replaced the manager's rows of bundle 1 but came after the
    // session began: the cases came from their events.
    assert!(bundles.is_empty());
    let skipped = theirs.difference(&events).count();
    assert_eq!(skipped, 0, "events skipped");
}
on_both_backends!(a_bundle_stored_mid_pull_skips_no_event);

/// A signed note by `device` on `case`, `n` ms into the test's clock.
fn raw_note(device: &RawDevice, case: &(TeamEntry, SecretKey), n: u64) -> WireEvent {
    let event = note_event(device.identity.device_id(), case.0.case_id, now_ms() + n);
    seal_event(&device.identity, &case.1, 0, &event)
}

/// The stored events' (seq, id), in sequence order, and the sequence
/// counter.
async fn stored_sequence(backend: &Backend) -> (Vec<(i64, Vec<u8>)>, i64) {
    use sqlx::Row;
    let pool = sqlx::AnyPool::connect(&backend.database_url())
        .await
        .unwrap();
    let events = sqlx::query("SELECT seq, id FROM events ORDER BY seq")
        .fetch_all(&pool)
        .await
        .unwrap()
        .iter()
        .map(|r| (r.get("seq"), r.get("id")))
        .collect();
    let counter = sqlx::query("SELECT value FROM counters WHERE name = 'seq'")
        .fetch_one(&pool)
        .await
        .unwrap()
        .get("value");
    pool.close().await;
    (events, counter)
}

/// Makes the database itself refuse events of `case` (a stand-in for a
/// failure in the middle of a transaction), or stop refusing them.
async fn poison_case(backend: &Backend, case: CaseId, poisoned: bool) {
    let hex: String = case.as_bytes().iter().map(|b| format!("{b:02x}")).collect();
    let statements = match (backend, poisoned) {
        (Backend::Sqlite(_), true) => vec![format!(
            "CREATE TRIGGER poisoned BEFORE INSERT ON events WHEN NEW.case_id = X'{hex}'
             BEGIN SELECT RAISE(ABORT, 'poisoned case'); END"
        )],
        (Backend::Postgres(_), true) => vec![
            format!(
                "CREATE FUNCTION poisoned() RETURNS trigger LANGUAGE plpgsql AS $$
                 BEGIN IF NEW.case_id = '\\x{hex}'::bytea THEN RAISE EXCEPTION 'poisoned case'; END IF;
                 RETURN NEW; END $$"
            ),
            "CREATE TRIGGER poisoned BEFORE INSERT ON events FOR EACH ROW EXECUTE FUNCTION poisoned()"
                .to_string(),
        ],
        (Backend::Sqlite(_), false) => vec!["DROP TRIGGER poisoned".to_string()],
        (Backend::Postgres(_), false) => vec!["DROP TRIGGER poisoned ON events".to_string()],
    };
    let pool = sqlx::AnyPool::connect(&backend.database_url())
        .await
        .unwrap();
    for sql in statements {
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .execute(&pool)
            .await
            .unwrap();
    }
    pool.close().await;
}

/// Pushes that arrive together are stored in one transaction (group
/// commit), yet each stands alone: a refused push writes nothing and does
/// not hold back the others, a push repeated while the first is still
/// queued is stored once, a push with team changes lands between plain
/// ones, and a push the database fails mid-transaction fails alone — the
/// others of its group are stored, and it lands when retried.
async fn pushes_stored_together_stand_alone(backend: Backend) {
    let server = Server::start(backend);
    let officer = Phone::enrolled(&server, &server.bootstrap_officer()).await;
    let mut devices = Vec::new();
    for _ in 0..3 {
        let code = officer.app.invite(Role::Collaborator, "mu_ca", 24).await;
        devices.push(RawDevice::enrol(&server, &code.unwrap().code).await);
    }
    let storage = storage(&server.backend).await;
    let mut records = Vec::new();
    for device in &devices {
        let id = device.identity.device_id();
        records.push(storage.device(id).await.unwrap().expect("enrolled"));
    }
    let push = |who: usize, request: PushRequest| DevicePush {
        device: records[who].clone(),
        request,
        now_ms: now_ms(),
    };
    let events = |events: Vec<WireEvent>| PushRequest {
        events,
        ..PushRequest::default()
    };
    let cases: Vec<_> = devices.iter().map(RawDevice::new_case).collect();
    let created = |who: usize, case: &(TeamEntry, SecretKey), n| PushRequest {
        team: vec![case.0.clone()],
        events: vec![raw_note(&devices[who], case, n)],
        ..PushRequest::default()
    };

    // Each device creates its case; the three pushes share a group.
    let first_group: Vec<_> = (0..3).map(|i| push(i, created(i, &cases[i], 0))).collect();
    for outcome in storage.push_together(&first_group).await.unwrap() {
        assert_eq!(outcome.expect("a case created").events.len(), 1);
    }

    // A group that commits: two plain pushes, a refused one, a repeat, and
    // a push with a team change.
    let (a, b) = (&devices[0], &devices[1]);
    let a_edits = events(vec![raw_note(a, &cases[0], 1), raw_note(a, &cases[0], 2)]);
    let refused = events(vec![raw_note(b, &cases[1], 3), raw_note(b, &cases[0], 4)]);
    let another_case = b.new_case();
    let second_group = vec![
        push(0, a_edits.clone()),
        push(1, refused.clone()),
        push(0, a_edits.clone()),
        push(1, created(1, &another_case, 5)),
        push(1, events(vec![raw_note(b, &cases[1], 6)])),
    ];
    let outcomes = storage.push_together(&second_group).await.unwrap();
    let first = outcomes[0].clone().expect("a's edits stored");
    let error = outcomes[1].clone().expect_err("b wrote on a's case");
    assert_eq!((error.status.as_u16(), error.code), (403, "not_a_member"));
    let repeat = outcomes[2].clone().expect("a's repeat answered");
    assert_eq!(first.events, repeat.events, "a repeat is stored once");
    assert_eq!(outcomes[3].clone().expect("b's new case").team, 1);
    assert_eq!(outcomes[4].clone().expect("b's edit").events.len(), 1);

    // Repeats of stored events, in a group beside a new one and alone: each
    // is answered with the numbers it was stored under, and the new one
    // lands (the group is written again, with the lookup).
    let third_group = vec![
        push(1, events(vec![raw_note(b, &cases[1], 10)])),
        push(0, a_edits.clone()),
    ];
    let outcomes = storage.push_together(&third_group).await.unwrap();
    assert_eq!(outcomes[0].clone().expect("b's edit").events.len(), 1);
    let repeat = outcomes[1].clone().expect("a's repeat answered");
    assert_eq!(first.events, repeat.events, "a repeat keeps its numbers");
    let alone = storage.push_together(&[push(0, a_edits.clone())]).await;
    let repeat = alone.unwrap()[0].clone().expect("a's repeat answered");
    assert_eq!(first.events, repeat.events, "a repeat keeps its numbers");

    // A group the database fails: the poisoned push fails alone.
    poison_case(&server.backend, cases[2].0.case_id, true).await;
    let poisoned = events(vec![raw_note(&devices[2], &cases[2], 7)]);
    let group = vec![
        push(0, events(vec![raw_note(a, &cases[0], 8)])),
        push(2, poisoned.clone()),
        push(1, events(vec![raw_note(b, &cases[1], 9)])),
    ];
    let outcomes = storage.push_together(&group).await.unwrap();
    assert!(
        outcomes[0].is_ok() && outcomes[2].is_ok(),
        "the others land"
    );
    let error = outcomes[1].clone().expect_err("the database refused it");
    assert_eq!(error.status.as_u16(), 500);
    poison_case(&server.backend, cases[2].0.case_id, false).await;
    let retried = storage
        .push_together(&[push(2, poisoned.clone())])
        .await
        .unwrap();
    assert_eq!(retried[0].clone().expect("the retry lands").events.len(), 1);

    // Stored: every accepted event once, nothing of the refused or
    // failed pushes, in strictly increasing sequence up to the counter.
    let (stored, counter) = stored_sequence(&server.backend).await;
    let ids: BTreeSet<Vec<u8>> = stored.iter().map(|(_, id)| id.clone()).collect();
    assert_eq!(ids.len(), stored.len(), "an event was stored twice");
    // a's edits (their repeats are the same events), b's new case and two
    // edits, the two that landed beside the poisoned push, and its retry.
    let landed = [
        &second_group[0],
        &second_group[3],
        &second_group[4],
        &third_group[0],
    ];
    let accepted: BTreeSet<Vec<u8>> = first_group
        .iter()
        .chain(landed)
        .chain([&group[0], &group[2]])
        .flat_map(|p| &p.request.events)
        .chain(&poisoned.events)
        .map(|e| e.id.as_bytes().to_vec())
        .collect();
    assert_eq!(ids, accepted, "exactly the accepted events are stored");
    assert!(stored.windows(2).all(|w| w[0].0 < w[1].0));
    assert_eq!(stored.last().map(|(seq, _)| *seq), Some(counter));
}
on_both_backends!(pushes_stored_together_stand_alone);
