//! Bounded work per request: an oversized push is refused before the
//! writer sees it, while everyone else's pushes go on. Against a real
//! server process, on SQLite and PostgreSQL. Synthetic data only.

use crate::support::{note_event, now_ms, server_row_count, Backend, Phone, RawDevice, Server};
use binhan_core::crypto::SecretKey;
use binhan_core::events::{Change, Event, Hlc};
use binhan_core::model::{CaseId, DeviceId, EventId, Note, Role};
use binhan_core::sync::wire::{
    encode, BundledCase, KeyWrap, PullRequest, PullResponse, PushRequest, PushResponse, TeamEntry,
    DEFAULT_PULL_BYTES, MAX_PUSH_TEAM_MEMBERS, MAX_REQUEST_BYTES, MAX_TEAM_MEMBERS,
};
use binhan_core::sync::{seal_bundle, seal_event, sign_team_entry};

/// Enrols `n` raw collaborators of one commune.
async fn collaborators(server: &Server, n: usize) -> Vec<RawDevice> {
    let officer = Phone::enrolled(server, &server.bootstrap_officer()).await;
    let mut devices = Vec::new();
    for _ in 0..n {
        let invitation = officer.app.invite(Role::Collaborator, "muong_te", 24);
        devices.push(RawDevice::enrol(server, &invitation.await.unwrap().code).await);
    }
    devices
}

/// A signed epoch-0 team entry of `signer` for a new case: the signer and
/// `others` random devices.
fn team_of(signer: &RawDevice, others: usize) -> TeamEntry {
    let me = signer.identity.device_id();
    let mut entry = TeamEntry {
        id: EventId::random(),
        case_id: CaseId::random(),
        epoch: 0,
        members: std::iter::once(me)
            .chain((0..others).map(|_| DeviceId::random()))
            .collect(),
        wraps: vec![],
        signer: me,
        signature: vec![],
    };
    sign_team_entry(&signer.identity, &mut entry);
    entry
}

fn push_of(team: TeamEntry) -> Vec<u8> {
    encode(&PushRequest {
        team: vec![team],
        ..PushRequest::default()
    })
}

/// A device pushes a case team of 260,000 members (the size that kept the
/// writer busy for half a minute): it is refused as too large, nothing of it
/// is stored, and another device's push sent at the same time is stored.
async fn an_oversized_team_is_refused_before_the_writer(backend: Backend) {
    let server = Server::start(backend);
    let [attacker, honest]: [RawDevice; 2] =
        collaborators(&server, 2).await.try_into().ok().unwrap();

    let oversized = push_of(team_of(&attacker, 260_000));
    assert!(oversized.len() <= MAX_REQUEST_BYTES, "it fits in a request");
    let (team, key) = honest.new_case();
    let me = honest.identity.device_id();
    let event = seal_event(
        &honest.identity,
        &key,
        0,
        &note_event(me, team.case_id, now_ms()),
    );
    let normal = encode(&PushRequest {
        team: vec![team],
        events: vec![event],
        ..PushRequest::default()
    });

    let (refused, stored) = tokio::join!(
        attacker.post("/v1/sync/push", oversized, true),
        honest.post("/v1/sync/push", normal, true),
    );
    assert_eq!(
        (refused.status, refused.error_code().as_str()),
        (413, "team_too_large")
    );
    assert_eq!(stored.status, 200, "{}", stored.error_code());
    let response: PushResponse = stored.decode();
    assert_eq!((response.team, response.events.len()), (1, 1));
    for (table, rows) in [
        ("team_entries", 1),
        ("teams", 1),
        ("members", 1),
        ("events", 1),
    ] {
        assert_eq!(
            server_row_count(&server.backend, table).await,
            rows,
            "{table}: only the honest push is stored"
        );
    }

    // A team of exactly the largest size is a team like any other.
    let full = attacker
        .post(
            "/v1/sync/push",
            push_of(team_of(&attacker, MAX_TEAM_MEMBERS - 1)),
            true,
        )
        .await;
    assert_eq!(full.status, 200, "{}", full.error_code());
    assert_eq!(
        server_row_count(&server.backend, "members").await,
        1 + MAX_TEAM_MEMBERS as i64
    );
}

on_both_backends!(an_oversized_team_is_refused_before_the_writer);

/// Full teams, each within the cap, but more members in all than a
/// device's push ever lists: refused as too large, nothing stored; the
/// same teams pushed a few at a time are stored.
async fn too_many_members_in_one_push_are_refused(backend: Backend) {
    let server = Server::start(backend);
    let [device]: [RawDevice; 1] = collaborators(&server, 1).await.try_into().ok().unwrap();
    let teams: Vec<TeamEntry> = (0..MAX_PUSH_TEAM_MEMBERS / MAX_TEAM_MEMBERS + 1)
        .map(|_| team_of(&device, MAX_TEAM_MEMBERS - 1))
        .collect();
    let all = encode(&PushRequest {
        team: teams.clone(),
        ..PushRequest::default()
    });
    let refused = device.post("/v1/sync/push", all, true).await;
    assert_eq!(
        (refused.status, refused.error_code().as_str()),
        (413, "team_too_large")
    );
    assert_eq!(server_row_count(&server.backend, "team_entries").await, 0);
    assert_eq!(server_row_count(&server.backend, "members").await, 0);

    let half = teams.len() / 2;
    for part in [&teams[..half], &teams[half..]] {
        let push = encode(&PushRequest {
            team: part.to_vec(),
            ..PushRequest::default()
        });
        let stored = device.post("/v1/sync/push", push, true).await;
        assert_eq!(stored.status, 200, "{}", stored.error_code());
    }
    assert_eq!(
        server_row_count(&server.backend, "members").await,
        (teams.len() * MAX_TEAM_MEMBERS) as i64
    );
}

on_both_backends!(too_many_members_in_one_push_are_refused);

/// One pull by `device` from `cursor`, asking for `max_bytes`.
async fn pull(device: &RawDevice, cursor: Vec<u8>, max_bytes: u32) -> PullResponse {
    let request = encode(&PullRequest {
        cursor,
        max_bytes,
        inbox_after: None,
    });
    let response = device.post("/v1/sync/pull", request, true).await;
    assert_eq!(response.status, 200, "{}", response.error_code());
    response.decode()
}

/// A synthetic note on `case_id` by `author` whose text compresses badly
/// (hex of random ids), so that its ciphertext is about `bytes` long.
fn note_of_about(author: DeviceId, case_id: CaseId, wall_ms: u64, bytes: usize) -> Event {
    let text: String = std::iter::repeat_with(|| EventId::random().to_string())
        .flat_map(|id| id.chars().collect::<Vec<_>>())
        .take(bytes * 2)
        .collect();
    let hlc = Hlc::from_wall_ms(wall_ms);
    Event {
        id: Event::id_for(author, hlc),
        case_id,
        hlc,
        author,
        changes: vec![Change::NoteAdded(Note {
            text: format!("Synthetic: {text}"),
        })],
    }
}

/// The smallest budget the server grants a pull.
const SMALL_BUDGET: u32 = 16 * 1024;

/// 30 events by `author` on `case_id`, 20 of them larger than
/// [`SMALL_BUDGET`], and a push of them.
fn large_events(author: &RawDevice, key: &SecretKey, case_id: CaseId) -> (Vec<u8>, Vec<EventId>) {
    let start = now_ms();
    let events: Vec<_> = (0..30u64)
        .map(|i| {
            let bytes = if i % 3 == 2 { 200 } else { 48 * 1024 };
            let note = note_of_about(author.identity.device_id(), case_id, start + i, bytes);
            seal_event(&author.identity, key, 0, &note)
        })
        .collect();
    let large = events
        .iter()
        .filter(|e| e.ciphertext.len() > SMALL_BUDGET as usize);
    assert_eq!(large.count(), 20);
    let ids = events.iter().map(|e| e.id).collect();
    let push = encode(&PushRequest {
        events,
        ..PushRequest::default()
    });
    (push, ids)
}

/// Pulls with [`SMALL_BUDGET`] from `cursor` to the end of the session,
/// checking that every page ends at the event that reached the budget and
/// that there is a page per large event; returns the events' ids.
async fn pull_in_small_pages(reader: &RawDevice, mut cursor: Vec<u8>) -> Vec<EventId> {
    let mut received = Vec::new();
    let mut pages = 0;
    loop {
        let page = pull(reader, cursor, SMALL_BUDGET).await;
        pages += 1;
        let sizes: Vec<usize> = page
            .events
            .iter()
            .map(|e| e.item.ciphertext.len())
            .collect();
        if let Some((_, before_last)) = sizes.split_last() {
            assert!(
                before_last.iter().sum::<usize>() < SMALL_BUDGET as usize,
                "page {pages} goes on past the event that reached its budget: {sizes:?}"
            );
        }
        assert!(page.events.windows(2).all(|w| w[0].seq < w[1].seq));
        received.extend(page.events.iter().map(|e| e.item.id));
        cursor = page.cursor;
        if !page.more {
            break;
        }
    }
    assert!(pages >= 20, "one page per large event ({pages} pages)");
    received
}

/// A case team of `author` (the creator) and `others`, epoch 0, pushed.
async fn push_team(author: &RawDevice, case_id: CaseId, others: &[&RawDevice]) {
    let mut team = TeamEntry {
        case_id,
        members: std::iter::once(author)
            .chain(others.iter().copied())
            .map(|d| d.identity.device_id())
            .collect(),
        ..team_of(author, 0)
    };
    sign_team_entry(&author.identity, &mut team);
    let answer = author.post("/v1/sync/push", push_of(team), true).await;
    assert_eq!(answer.status, 200, "{}", answer.error_code());
}

/// A device pulls many large events (each larger than its budget, some
/// small ones between them) of a case it holds, with the smallest budget:
/// every page ends at the event that reached the budget, and following the
/// cursors it gets every event once, in order.
async fn a_small_budget_pages_large_events(backend: Backend) {
    let server = Server::start(backend);
    let [author, reader]: [RawDevice; 2] = collaborators(&server, 2).await.try_into().ok().unwrap();
    let case_id = CaseId::random();
    push_team(&author, case_id, &[&reader]).await;

    // The reader joins the case (its team) before the events come.
    let mut cursor = Vec::new();
    loop {
        let page = pull(&reader, cursor, DEFAULT_PULL_BYTES).await;
        cursor = page.cursor;
        if !page.more {
            break;
        }
    }

    let (push, sent) = large_events(&author, &SecretKey::random(), case_id);
    assert_eq!(author.post("/v1/sync/push", push, true).await.status, 200);
    let received = pull_in_small_pages(&reader, cursor).await;
    assert_eq!(received, sent, "every event once, in order");
}

on_both_backends!(a_small_budget_pages_large_events);

/// The same events, of a case the device is added to after they were
/// stored: it gets them while joining the case, in the same bounded pages.
async fn a_small_budget_pages_a_joined_case(backend: Backend) {
    let server = Server::start(backend);
    let [author, reader]: [RawDevice; 2] = collaborators(&server, 2).await.try_into().ok().unwrap();
    let case_id = CaseId::random();
    push_team(&author, case_id, &[]).await;
    let (push, sent) = large_events(&author, &SecretKey::random(), case_id);
    assert_eq!(author.post("/v1/sync/push", push, true).await.status, 200);
    push_team(&author, case_id, &[&reader]).await;

    let received = pull_in_small_pages(&reader, Vec::new()).await;
    assert_eq!(received, sent, "every event once, in order");
}

on_both_backends!(a_small_budget_pages_a_joined_case);

/// A case whose team changed 30 times with large key wraps (48 KiB each),
/// then took the device in: joining it, the device gets the team entries
/// in pages that each end at the entry that reached the smallest budget,
/// every entry once, in order.
async fn a_small_budget_pages_a_joined_case_team(backend: Backend) {
    let server = Server::start(backend);
    let [author, reader]: [RawDevice; 2] = collaborators(&server, 2).await.try_into().ok().unwrap();
    let case_id = CaseId::random();
    let me = author.identity.device_id();
    let mut sent = Vec::new();
    for members in std::iter::repeat_n(vec![me], 30).chain([vec![me, reader.identity.device_id()]])
    {
        let mut entry = TeamEntry {
            case_id,
            members,
            wraps: vec![KeyWrap {
                recipient: me,
                epoch: 0,
                sealed: vec![7; 48 * 1024],
            }],
            ..team_of(&author, 0)
        };
        sign_team_entry(&author.identity, &mut entry);
        sent.push(entry.id);
        let answer = author.post("/v1/sync/push", push_of(entry), true).await;
        assert_eq!(answer.status, 200, "{}", answer.error_code());
    }

    let (mut cursor, mut received, mut pages) = (Vec::new(), Vec::new(), 0);
    loop {
        let page = pull(&reader, cursor, SMALL_BUDGET).await;
        pages += 1;
        let sizes: Vec<usize> = page
            .team
            .iter()
            .map(|e| e.item.wraps[0].sealed.len())
            .collect();
        if let Some((_, before_last)) = sizes.split_last() {
            assert!(
                before_last.iter().sum::<usize>() < SMALL_BUDGET as usize,
                "page {pages} goes on past the entry that reached its budget: {sizes:?}"
            );
        }
        received.extend(page.team.iter().map(|e| e.item.id));
        cursor = page.cursor;
        if !page.more {
            break;
        }
    }
    assert_eq!(received, sent, "every team entry once, in order");
    assert!(pages >= 31, "one page per entry ({pages} pages)");
}

on_both_backends!(a_small_budget_pages_a_joined_case_team);

/// 30 cases the device is added to, each with a bundle of its state for
/// it (48 KiB each): joining them with the smallest budget, it gets the
/// bundles in pages that each end at the bundle that reached the budget,
/// every bundle once.
async fn a_small_budget_pages_bundles(backend: Backend) {
    let server = Server::start(backend);
    let [author, reader]: [RawDevice; 2] = collaborators(&server, 2).await.try_into().ok().unwrap();
    let mut sent = Vec::new();
    for _ in 0..30 {
        let case_id = CaseId::random();
        push_team(&author, case_id, &[&reader]).await;
        // Random bytes, which do not compress: the server never opens them.
        let state: Vec<u8> = (0..3 * 1024)
            .flat_map(|_| EventId::random().as_bytes().to_vec())
            .collect();
        let cases = vec![BundledCase {
            case_id,
            epoch: 0,
            covers_seq: 0,
        }];
        let bundle = seal_bundle(
            &author.identity,
            &[reader.identity.public()],
            cases,
            &[state],
        );
        sent.push(bundle.id);
        let push = encode(&PushRequest {
            bundles: vec![bundle],
            ..PushRequest::default()
        });
        let answer = author.post("/v1/sync/push", push, true).await;
        assert_eq!(answer.status, 200, "{}", answer.error_code());
    }

    let (mut cursor, mut received, mut pages) = (Vec::new(), Vec::new(), 0);
    loop {
        let page = pull(&reader, cursor, SMALL_BUDGET).await;
        pages += 1;
        let sizes: Vec<usize> = page.bundles.iter().map(|b| b.ciphertext.len()).collect();
        if let Some((_, before_last)) = sizes.split_last() {
            assert!(
                before_last.iter().sum::<usize>() < SMALL_BUDGET as usize,
                "page {pages} goes on past the bundle that reached its budget: {sizes:?}"
            );
        }
        received.extend(page.bundles.iter().map(|b| b.id));
        cursor = page.cursor;
        if !page.more {
            break;
        }
    }
    received.sort();
    sent.sort();
    assert_eq!(received, sent, "every bundle once");
    assert!(pages >= 30, "one page per bundle ({pages} pages)");
}

on_both_backends!(a_small_budget_pages_bundles);
