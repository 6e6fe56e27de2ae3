//! The case managers of a case's commune are on its team by right: only a
//! commune case manager takes one off. The attacker is a collaborator's
//! phone running modified code, the creator of a case: it pushes a new
//! epoch of the team without the manager, so that what it writes next is
//! sealed with a key the manager never gets. The server refuses the entry
//! (it knows every device's certified role); a revoked manager may still be
//! taken off by anyone. On SQLite and PostgreSQL. Synthetic data only.

use crate::support::{intake, Backend, RawDevice, Server, Team};
use binhan_core::model::Role;
use binhan_core::sync::sign_team_entry;
use binhan_core::sync::wire::{encode, PushRequest, TeamEntry};

const COMMUNE: &str = "pa_u";

async fn a_collaborator_cannot_take_the_manager_off_its_case(backend: Backend) {
    let server = Server::start(backend);
    let team = Team::enrol(&server, COMMUNE, 0).await;
    let code = team.manager.app.invite(Role::Collaborator, COMMUNE, 24);
    let raw = RawDevice::enrol(&server, &code.await.unwrap().code).await;
    let me = raw.identity.device_id();
    let manager = team.manager.app.device_id().unwrap();

    // A case as the collaborator's app makes it: the manager on the team.
    let intake = intake("SYN-TEAM-001", COMMUNE);
    let case_id = raw.push_new_case(&[manager], intake, vec![]).await;

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
    let request = PushRequest {
        team: vec![alone],
        events: vec![],
        snapshots: vec![],
        bundles: vec![],
    };
    let response = raw.post("/v1/sync/push", encode(&request), true).await;
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
