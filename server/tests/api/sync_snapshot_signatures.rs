//! Snapshots are signed by their author, a member of the case's team, and
//! checked like events. As an attacker: a device pushing a snapshot that
//! is not its own, unsigned, signed by another key, or whose `covers_seq`
//! moved after signing is refused by the server; and whoever holds the
//! server (here a transport between the manager's phone and the server that
//! adds to what it pulls) cannot make a device adopt a snapshot sealed with
//! the right case key but made by a device outside the team, unsigned,
//! signed by another key than its author's, or moved: each is held back as
//! a snapshot, with its author and a reason, and the rest of the sync
//! applies. Against a real server process, on SQLite and PostgreSQL.
//! Synthetic data only.

use crate::support::{
    intake, note_event, now_ms, server_row_count, Backend, RawDevice, Server, Team,
};
use binhan_core::crypto::SecretKey;
use binhan_core::events::{CaseState, Event};
use binhan_core::model::{CaseId, DeviceId, Role};
use binhan_core::sync::wire::{
    decode, encode, PullResponse, PushRequest, PushResponse, WireSnapshot,
};
use binhan_core::sync::{
    seal_event, seal_snapshot, CancelFlag, DeviceIdentity, HeldKind, HttpTransport, Transport,
};
use binhan_core::Result;
use std::sync::{Arc, Mutex};

/// A note only a snapshot brings (never pushed as an event).
const PLANTED: &str = "Synthetic: planted by a snapshot";
/// A note only the honest member's signed snapshot brings.
const SIGNED: &str = "Synthetic: from a signed snapshot";

/// A case `raw` made, on the server: its key, and the sequence number of
/// its one event.
struct RawCase {
    case_id: CaseId,
    key: SecretKey,
    event: Event,
    seq: u64,
}

/// Pushes a new case of `raw`'s with `others` on its team too (their keys
/// wrapped for them), and one note.
async fn push_case(raw: &RawDevice, others: &[DeviceId]) -> RawCase {
    let me = raw.identity.device_id();
    let case_id = CaseId::random();
    let key = SecretKey::random();
    let entry = raw.team_of_new_case(case_id, others, &key).await;
    // A recorded case (an intake) with a note.
    let mut event = note_event(me, case_id, now_ms());
    let day = chrono::NaiveDate::from_ymd_opt(2026, 10, 2).unwrap();
    let recorded = intake("SYN-S-001", "pa_u").into_changes(day).unwrap();
    event.changes.splice(0..0, recorded);
    let response = push(
        raw,
        PushRequest {
            team: vec![entry],
            events: vec![seal_event(&raw.identity, &key, 0, &event)],
            ..PushRequest::default()
        },
    )
    .await
    .expect("the case is stored");
    RawCase {
        case_id,
        key,
        seq: response.events[0].seq,
        event,
    }
}

/// Pushes `request` as `raw`: the response, or the refusal's status and code.
async fn push(
    raw: &RawDevice,
    request: PushRequest,
) -> std::result::Result<PushResponse, (u16, String)> {
    let response = raw.post("/v1/sync/push", encode(&request), true).await;
    match response.status {
        200 => Ok(response.decode()),
        status => Err((status, response.error_code())),
    }
}

/// The state of `case` with its event and a note by `author` saying `text`.
fn state_with(case: &RawCase, author: DeviceId, text: &str) -> CaseState {
    let mut extra = note_event(author, case.case_id, now_ms() + 1);
    extra.changes = vec![binhan_core::events::Change::NoteAdded(
        binhan_core::model::Note { text: text.into() },
    )];
    CaseState::fold(case.case_id, [&case.event, &extra])
}

fn snapshot(by: &DeviceIdentity, case: &RawCase, text: &str) -> WireSnapshot {
    let state = state_with(case, by.device_id(), text);
    seal_snapshot(by, &case.key, 0, case.seq, &state).unwrap()
}

/// Two collaborators of `pa_u`, driven by hand: one that pushes a case, and
/// one outside its team.
async fn collaborators(server: &Server, team: &Team) -> (RawDevice, RawDevice) {
    let invite = async || {
        let code = team.manager.app.invite(Role::Collaborator, "pa_u", 24);
        RawDevice::enrol(server, &code.await.unwrap().code).await
    };
    (invite().await, invite().await)
}

async fn the_server_refuses_snapshots_not_signed_by_their_pusher(backend: Backend) {
    let server = Server::start(backend);
    let team = Team::enrol(&server, "pa_u", 0).await;
    let (raw, outsider) = collaborators(&server, &team).await;
    let case = push_case(&raw, &[]).await;
    let snapshots = |s: WireSnapshot| PushRequest {
        snapshots: vec![s],
        ..PushRequest::default()
    };
    let good = snapshot(&raw.identity, &case, SIGNED);

    // Signed by another device (the outsider, whose key it is), pushed by
    // a member.
    let not_mine = snapshot(&outsider.identity, &case, PLANTED);
    assert_eq!(
        push(&raw, snapshots(not_mine.clone())).await.unwrap_err(),
        (403, "not_author".into())
    );
    // Pushed by the outsider itself: it is not on the team.
    assert_eq!(
        push(&outsider, snapshots(not_mine)).await.unwrap_err(),
        (403, "not_a_member".into())
    );
    // The member's own snapshot, tampered with after signing.
    let mut flipped = snapshot(&raw.identity, &case, PLANTED);
    flipped.signature[5] ^= 1;
    let mut unsigned = snapshot(&raw.identity, &case, PLANTED);
    unsigned.signature.clear();
    let mut moved = good.clone();
    moved.covers_seq -= 1;
    let mut other_key = snapshot(&raw.identity, &case, PLANTED);
    other_key.signature = outsider.identity.sign(&other_key.signed_message());
    for bad in [flipped, unsigned, moved, other_key] {
        assert_eq!(
            push(&raw, snapshots(bad)).await.unwrap_err(),
            (422, "bad_signature".into())
        );
    }
    assert_eq!(server_row_count(&server.backend, "snapshots").await, 0);

    let stored = push(&raw, snapshots(good)).await.unwrap();
    assert_eq!(stored.snapshots, 1);
    assert_eq!(server_row_count(&server.backend, "snapshots").await, 1);
}
on_both_backends!(the_server_refuses_snapshots_not_signed_by_their_pusher);

/// A transport between a phone and the real server that adds `extra`
/// snapshots to the first pulled chunk holding team entries.
struct AddsSnapshots {
    inner: HttpTransport,
    extra: Mutex<Vec<WireSnapshot>>,
}

impl AddsSnapshots {
    async fn handle(&self, path: &str, token: Option<&str>, body: Vec<u8>) -> Result<Vec<u8>> {
        let answer = self.inner.post_bytes(path, token, body).await?;
        if path != "/v1/sync/pull" {
            return Ok(answer);
        }
        let mut chunk: PullResponse = decode(&answer).unwrap();
        if chunk.team.is_empty() {
            return Ok(answer);
        }
        chunk
            .snapshots
            .extend(std::mem::take(&mut *self.extra.lock().unwrap()));
        Ok(encode(&chunk))
    }
}

meddling_transport!(AddsSnapshots);

async fn a_device_holds_back_snapshots_not_signed_by_a_member(backend: Backend) {
    let server = Server::start(backend);
    let team = Team::enrol(&server, "pa_u", 0).await;
    let (raw, outsider) = collaborators(&server, &team).await;
    let manager = team.manager.app.device_id().unwrap();
    team.manager.sync().await;
    let (me, stranger) = (raw.identity.device_id(), outsider.identity.device_id());

    // Five cases of the raw device's with the manager on the team; each
    // gets a snapshot sealed with its right key.
    let mut cases = Vec::new();
    for _ in 0..5 {
        cases.push(push_case(&raw, &[manager]).await);
    }
    // By a device outside the team (signed with its own key).
    let outside = snapshot(&outsider.identity, &cases[0], PLANTED);
    // The member's, with its signature broken, then removed.
    let mut broken = snapshot(&raw.identity, &cases[1], PLANTED);
    broken.signature[0] ^= 1;
    let mut unsigned = snapshot(&raw.identity, &cases[2], PLANTED);
    unsigned.signature.clear();
    // Said to be the manager's (a member), signed with the raw device's key.
    let mut impersonated = snapshot(&raw.identity, &cases[3], PLANTED);
    impersonated.author = manager;
    impersonated.signature = raw.identity.sign(&impersonated.signed_message());
    // The member's honest snapshot, its covers_seq moved after signing.
    let mut moved = snapshot(&raw.identity, &cases[4], PLANTED);
    moved.covers_seq += 1;
    // And one the member made as it should.
    let honest = snapshot(&raw.identity, &cases[4], SIGNED);

    let meddler = Arc::new(AddsSnapshots {
        inner: HttpTransport::new(&server.url).unwrap(),
        extra: Mutex::new(vec![outside, broken, unsigned, impersonated, moved, honest]),
    });
    team.manager.app.set_transport(Some(meddler));
    let report = team
        .manager
        .app
        .sync(&|_| {}, &CancelFlag::default())
        .await
        .expect("bad snapshots must not stop the sync");
    assert_eq!(report.items_refused, 5, "{report:?}");
    assert_eq!(report.snapshots_pulled, 1, "{report:?}");

    let held = team.manager.app.held_items().unwrap();
    let mut seen: Vec<_> = held
        .iter()
        .map(|h| (h.kind, h.case_id.unwrap(), h.from))
        .collect();
    seen.sort_by_key(|(_, case, _)| cases.iter().position(|c| c.case_id == *case));
    let expected: Vec<_> = [stranger, me, me, manager, me]
        .into_iter()
        .zip(&cases)
        .map(|(from, case)| (HeldKind::Snapshot, case.case_id, Some(from)))
        .collect();
    assert_eq!(seen, expected, "{held:?}");
    assert!(held.iter().all(|h| !h.reason.is_empty()), "{held:?}");

    // Every case arrived by its event; no planted note did.
    for case in &cases {
        let detail = team.manager.app.case(case.case_id).unwrap();
        let notes: Vec<&str> = detail.notes.iter().map(|n| n.value.text.as_str()).collect();
        assert!(notes.contains(&"Synthetic: glimmerhorn"), "{notes:?}");
        assert!(!notes.contains(&PLANTED), "{notes:?}");
    }
    let honest_case = team.manager.app.case(cases[4].case_id).unwrap();
    assert!(honest_case.notes.iter().any(|n| n.value.text == SIGNED));

    // Tried again at the next sync, still held, counted once.
    let again = team.manager.sync().await;
    assert_eq!(again.items_refused, 0);
    assert_eq!(team.manager.app.held_items().unwrap().len(), 5);
}
on_both_backends!(a_device_holds_back_snapshots_not_signed_by_a_member);
