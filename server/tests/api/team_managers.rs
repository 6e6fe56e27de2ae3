//! The case managers of a case's commune are on its team by right: only a
//! commune case manager takes one off. The attacker is a collaborator's
//! phone running modified code, the creator of a case: it pushes a new
//! epoch of the team without the manager, so that what it writes next is
//! sealed with a key the manager never gets. The server refuses the entry
//! (it knows every device's certified role); a revoked manager may still be
//! taken off by anyone. On SQLite and PostgreSQL. Synthetic data only.

use crate::support::{intake, now_ms, Backend, RawDevice, Server, Team};
use binhan_core::crypto::SecretKey;
use binhan_core::events::{Event, Hlc};
use binhan_core::model::{CaseId, Role};
use binhan_core::sync::wire::{encode, PushRequest, TeamEntry};
use binhan_core::sync::{seal_event, sign_team_entry};

const COMMUNE: &str = "pa_u";

/// `raw`'s push of `team` entries and `events` sealed under `key`, epoch 0.
fn push(team: Vec<TeamEntry>, events: Vec<Event>, raw: &RawDevice, key: &SecretKey) -> Vec<u8> {
    encode(&PushRequest {
        team,
        events: events
            .iter()
            .map(|e| seal_event(&raw.identity, key, 0, e))
            .collect(),
        snapshots: vec![],
        bundles: vec![],
    })
}

async fn a_collaborator_cannot_take_the_manager_off_its_case(backend: Backend) {
    let server = Server::start(backend);
    let team = Team::enrol(&server, COMMUNE, 0).await;
    let code = team.manager.app.invite(Role::Collaborator, COMMUNE, 24);
    let raw = RawDevice::enrol(&server, &code.await.unwrap().code).await;
    let me = raw.identity.device_id();
    let manager = team.manager.app.device_id().unwrap();

    // A case as the collaborator's app makes it: the manager on the team.
    let case_id = CaseId::random();
    let key = SecretKey::random();
    let first = raw.team_of_new_case(case_id, &[manager], &key).await;
    let hlc = Hlc::from_wall_ms(now_ms());
    let created = Event {
        id: Event::id_for(me, hlc),
        case_id,
        hlc,
        author: me,
        changes: intake("SYN-TEAM-001", COMMUNE)
            .into_changes(chrono::Utc::now().date_naive())
            .unwrap(),
    };
    let response = raw
        .post(
            "/v1/sync/push",
            push(vec![first], vec![created], &raw, &key),
            true,
        )
        .await;
    assert_eq!(response.status, 200, "{}", response.error_code());

    // Then a new epoch with only itself: the manager would be cut off.
    let mut alone = TeamEntry {
        id: binhan_core::model::EventId::random(),
        case_id,
        epoch: 1,
        members: vec![me],
        wraps: vec![],
        signer: me,
        signature: vec![],
    };
    sign_team_entry(&raw.identity, &mut alone);
    let response = raw
        .post("/v1/sync/push", push(vec![alone], vec![], &raw, &key), true)
        .await;
    assert_eq!(response.status, 403);
    assert_eq!(response.error_code(), "team_removal_needs_manager");

    // The manager still reads the case.
    team.manager.sync().await;
    assert_eq!(
        team.manager.app.case(case_id).unwrap().survivor.code,
        "SYN-TEAM-001"
    );
}
on_both_backends!(a_collaborator_cannot_take_the_manager_off_its_case);
