//! One bad item never stops a device's sync. A teammate (or a stolen
//! phone, or whoever holds the server) sends a team entry whose key wrap
//! for the commune's manager is garbage, and an event that is signed but
//! whose seal does not open. The manager's next sync still succeeds: the
//! bad items are held back and reported, every other case arrives, the
//! cursor moves on, and nothing is fetched twice. Against a real server
//! process, on SQLite and PostgreSQL. Synthetic data only.

use crate::support::{intake, note_event, now_ms, Backend, RawDevice, Server, Team};
use binhan_core::crypto::SecretKey;
use binhan_core::model::{DeviceId, EventId, Role};
use binhan_core::sync::wire::{
    encode, DeviceList, DeviceQuery, KeyWrap, PushRequest, PushResponse, TeamEntry,
};
use binhan_core::sync::{seal_event, sign_team_entry, wrap_case_key, HeldKind};

/// A case of `raw`'s with the manager on its team: the manager's key wrap
/// is `wrap` (or a real one), the events are `events` sealed with the key.
async fn push_case(
    raw: &RawDevice,
    manager: DeviceId,
    garbage_wrap: bool,
    tamper_event: bool,
) -> binhan_core::model::CaseId {
    let me = raw.identity.device_id();
    let case_id = binhan_core::model::CaseId::random();
    let key = SecretKey::random();
    let list: DeviceList = raw
        .post(
            "/v1/devices/query",
            encode(&DeviceQuery {
                ids: vec![manager],
                ..DeviceQuery::default()
            }),
            true,
        )
        .await
        .decode();
    let sealed = if garbage_wrap {
        vec![0x5a; 92]
    } else {
        wrap_case_key(&raw.identity, &list.devices[0].public, case_id, 0, &key)
    };
    let mut entry = TeamEntry {
        id: EventId::random(),
        case_id,
        epoch: 0,
        members: vec![me, manager],
        wraps: vec![KeyWrap {
            recipient: manager,
            epoch: 0,
            sealed,
        }],
        signer: me,
        signature: vec![],
    };
    sign_team_entry(&raw.identity, &mut entry);
    let mut event = seal_event(&raw.identity, &key, 0, &note_event(me, case_id, now_ms()));
    if tamper_event {
        // Signed after tampering: only the seal gives it away.
        let last = event.ciphertext.len() - 1;
        event.ciphertext[last] ^= 1;
        event.signature = raw.identity.sign(&event.signed_message());
    }
    let response = raw
        .post(
            "/v1/sync/push",
            encode(&PushRequest {
                team: vec![entry],
                pages: vec![],
                events: vec![event],
                snapshots: vec![],
                bundles: vec![],
            }),
            true,
        )
        .await;
    assert_eq!(response.status, 200, "{}", response.error_code());
    assert_eq!(response.decode::<PushResponse>().events.len(), 1);
    case_id
}

async fn one_bad_item_never_stops_a_sync(backend: Backend) {
    let server = Server::start(backend);
    let team = Team::enrol(&server, "pa_u", 1).await;
    let collaborator = &team.collaborators[0];
    let code = team
        .manager
        .app
        .invite(Role::Collaborator, "pa_u", 24)
        .await
        .unwrap()
        .code;
    let raw = RawDevice::enrol(&server, &code).await;
    let manager = team.manager.app.device_id().unwrap();
    team.manager.sync().await;

    // An honest case before and after the bad ones.
    let before = collaborator
        .app
        .create_case(intake("SYN-Q-001", "pa_u"))
        .unwrap();
    collaborator.sync().await;
    let garbage = push_case(&raw, manager, true, false).await;
    let tampered = push_case(&raw, manager, false, true).await;
    let after = collaborator
        .app
        .create_case(intake("SYN-Q-002", "pa_u"))
        .unwrap();
    collaborator.sync().await;

    let report = team
        .manager
        .app
        .sync(&|_| {}, &Default::default())
        .await
        .expect("one bad item must not stop the sync");
    // The garbage wrap holds its team entry and that case's event; the
    // tampered event is held alone (its team entry and key were fine).
    assert_eq!(report.items_refused, 3, "{report:?}");
    let held = team.manager.app.held_items().unwrap();
    let kinds: Vec<_> = held.iter().map(|h| (h.kind, h.case_id)).collect();
    assert!(
        kinds.contains(&(HeldKind::TeamEntry, Some(garbage))),
        "{held:?}"
    );
    assert!(
        kinds.contains(&(HeldKind::Event, Some(garbage))),
        "{held:?}"
    );
    assert!(
        kinds.contains(&(HeldKind::Event, Some(tampered))),
        "{held:?}"
    );
    assert!(held
        .iter()
        .all(|h| h.from == Some(raw.identity.device_id())));
    // Every honest case arrived, before and after the bad items.
    for id in [before, after] {
        assert!(team.manager.app.case(id).is_ok(), "case {id} arrived");
    }
    assert!(team.manager.app.case(garbage).is_err());
    assert!(team.manager.app.case(tampered).is_err());

    // The cursor moved on: nothing is pulled again, the held items are
    // tried again and stay held, and none is counted twice.
    let again = team.manager.sync().await;
    assert_eq!(again.events_pulled, 0);
    assert_eq!(again.items_refused, 0);
    assert_eq!(team.manager.app.held_items().unwrap().len(), 3);
}
on_both_backends!(one_bad_item_never_stops_a_sync);
