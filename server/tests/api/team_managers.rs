//! The case managers of a case's commune are on its team by right: only a
//! commune case manager takes one off. The attacker is a collaborator's
//! phone running modified code, the creator of a case: it pushes a new
//! epoch of the team without the manager, so that what it writes next is
//! sealed with a key the manager never gets. The server refuses the entry
//! (it knows every device's certified role). An operator who lets it through
//! anyway (the manager's row made a collaborator's for the moment) is
//! caught by the manager's phone, which checks the certificates and holds
//! the entry back. On SQLite and PostgreSQL. Synthetic data only.

use crate::support::{as_operator, intake, Backend, RawDevice, Server, Team};
use binhan_core::model::Role;
use binhan_core::model::{CaseId, DeviceId};
use binhan_core::sync::sign_team_entry;
use binhan_core::sync::wire::{encode, PushRequest, TeamEntry};
use binhan_core::sync::HeldKind;

const COMMUNE: &str = "pa_u";

/// `raw`'s push of a new epoch of `case_id`'s team with itself and `keep`.
fn new_epoch(raw: &RawDevice, case_id: CaseId, keep: &[DeviceId]) -> Vec<u8> {
    let me = raw.identity.device_id();
    let mut entry = TeamEntry {
        id: binhan_core::model::EventId::random(),
        case_id,
        epoch: 1,
        members: [me].into_iter().chain(keep.iter().copied()).collect(),
        wraps: vec![],
        signer: me,
        signature: vec![],
    };
    sign_team_entry(&raw.identity, &mut entry);
    encode(&PushRequest {
        team: vec![entry],
        pages: vec![],
        events: vec![],
        snapshots: vec![],
        bundles: vec![],
    })
}

async fn a_collaborator_cannot_take_the_manager_off_its_case(backend: Backend) {
    let server = Server::start(backend);
    let team = Team::enrol(&server, COMMUNE, 0).await;
    let code = team.manager.app.invite(Role::Collaborator, COMMUNE, 24);
    let raw = RawDevice::enrol(&server, &code.await.unwrap().code).await;
    let manager = team.manager.app.device_id().unwrap();

    // A case as the collaborator's app makes it: the manager on the team.
    let intake = intake("SYN-TEAM-001", COMMUNE);
    let case_id = raw.push_new_case(&[manager], intake, vec![]).await;

    // Then a new epoch with only itself: the manager would be cut off.
    let response = raw
        .post("/v1/sync/push", new_epoch(&raw, case_id, &[]), true)
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

/// A commune with two managers: the rogue keeps the second and takes the
/// first off, with the operator's help. The second manager's phone holds
/// the entry back. (A manager taken off alone is no longer served the
/// case's changes at all: no phone of the team is left to notice.)
async fn a_manager_taken_off_by_the_operator_s_leave_is_held_by_its_phone(backend: Backend) {
    let server = Server::start(backend);
    let team = Team::enrol(&server, COMMUNE, 0).await;
    let second = team.second_manager(&server, COMMUNE).await;
    let code = team.manager.app.invite(Role::Collaborator, COMMUNE, 24);
    let raw = RawDevice::enrol(&server, &code.await.unwrap().code).await;
    let manager = team.manager.app.device_id().unwrap();
    let other = second.app.device_id().unwrap();
    let intake = intake("SYN-TEAM-002", COMMUNE);
    let case_id = raw.push_new_case(&[manager, other], intake, vec![]).await;
    second.sync().await;

    // The operator makes the first manager's row a collaborator's while
    // the entry goes through, then puts it back.
    let sql = |role: &str| format!("UPDATE devices SET role = '{role}' WHERE device_id = $1");
    as_operator(&server.backend, &sql("collaborator"), manager).await;
    let push = new_epoch(&raw, case_id, &[other]);
    let response = raw.post("/v1/sync/push", push, true).await;
    assert_eq!(response.status, 200, "{}", response.error_code());
    as_operator(&server.backend, &sql("commune_case_manager"), manager).await;

    // The second manager's phone goes by the certificates: it holds the
    // entry back, and its team still has the first manager.
    let report = second.sync().await;
    assert_eq!(report.items_refused, 1);
    let held = second.app.held_items().unwrap();
    assert!(
        held.iter().any(|h| h.kind == HeldKind::TeamEntry
            && h.case_id == Some(case_id)
            && h.reason == "team_removal_needs_manager"),
        "{held:?}"
    );
}
on_both_backends!(a_manager_taken_off_by_the_operator_s_leave_is_held_by_its_phone);
