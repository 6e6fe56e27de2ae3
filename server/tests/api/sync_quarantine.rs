//! One bad item never stops a device's sync. A teammate (or a stolen
//! phone, or whoever holds the server) sends a team entry whose key wrap
//! for the commune's manager is garbage, a team page whose sealed keys for
//! the manager are garbage, and an event that is signed but whose seal does
//! not open. The manager's next sync still succeeds: the
//! bad items are held back and reported, every other case arrives, the
//! cursor moves on, and nothing is fetched twice. Against a real server
//! process, on SQLite and PostgreSQL. Synthetic data only.

use crate::support::{intake, note_event, now_ms, Backend, RawDevice, Server, Team};
use binhan_core::crypto::SecretKey;
use binhan_core::model::{DeviceId, EventId, Role};
use binhan_core::sync::wire::{
    encode, DeviceList, DeviceQuery, KeyWrap, PageChange, PushRequest, PushResponse, TeamEntry,
};
use binhan_core::sync::{
    seal_event, seal_team_page, sign_team_entry, wrap_case_key, HeldKind, PageKey,
};

/// How `push_case` sends the case's team.
#[derive(Clone, Copy, PartialEq)]
enum Carrier {
    /// A single team entry, as phones queued them before pages.
    Entry,
    /// A team page, as phones send them now.
    Page,
}

/// A case of `raw`'s with the manager on its team, its team sent as
/// `carrier`: the manager's key is garbage if `garbage_wrap`; its event is
/// sealed with the key (tampered if `tamper_event`).
async fn push_case(
    raw: &RawDevice,
    manager: DeviceId,
    carrier: Carrier,
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
    let mut page = seal_team_page(
        &raw.identity,
        vec![me, manager],
        vec![PageChange { case_id, epoch: 0 }],
        &[(
            &list.devices[0].public,
            vec![PageKey {
                change: 0,
                epoch: 0,
                key: &key,
            }],
        )],
    );
    if garbage_wrap {
        // Signed with the garbage: only opening it gives it away.
        page.keys[0].sealed = vec![0x5a; 120];
        page.signature = raw.identity.sign(&page.signed_message());
    }
    let (team, pages) = match carrier {
        Carrier::Entry => (vec![entry], vec![]),
        Carrier::Page => (vec![], vec![page]),
    };
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
                team,
                pages,
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
    let garbage = push_case(&raw, manager, Carrier::Entry, true, false).await;
    let garbage_page = push_case(&raw, manager, Carrier::Page, true, false).await;
    let tampered = push_case(&raw, manager, Carrier::Page, false, true).await;
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
    // Each garbage wrap holds its team entry or page and that case's
    // event; the tampered event is held alone (its page and key were fine).
    assert_eq!(report.items_refused, 5, "{report:?}");
    let held = team.manager.app.held_items().unwrap();
    let kinds: Vec<_> = held.iter().map(|h| (h.kind, h.case_id)).collect();
    for case in [garbage, garbage_page] {
        assert!(
            kinds.contains(&(HeldKind::TeamEntry, Some(case))),
            "{held:?}"
        );
        assert!(kinds.contains(&(HeldKind::Event, Some(case))), "{held:?}");
    }
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
    for case in [garbage, garbage_page, tampered] {
        assert!(team.manager.app.case(case).is_err());
    }

    // The cursor moved on: nothing is pulled again, the held items are
    // tried again and stay held, and none is counted twice.
    let again = team.manager.sync().await;
    assert_eq!(again.events_pulled, 0);
    assert_eq!(again.items_refused, 0);
    assert_eq!(team.manager.app.held_items().unwrap().len(), 5);
}
on_both_backends!(one_bad_item_never_stops_a_sync);
