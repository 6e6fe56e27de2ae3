//! The sync engine against the server's real router in the same process,
//! through the transport trait: no socket, no server process. Synthetic
//! data only.

use crate::support::in_process::InProcessServer;
use crate::support::intake;
use binhan_core::model::Role;
use binhan_core::sync::Transport;

/// A one-time code from `phone` for a new device with `role` in mu_ca.
async fn invite(phone: &crate::support::Phone, role: Role) -> String {
    phone.app.invite(role, "mu_ca", 24).await.unwrap().code
}

/// An officer, a commune case manager and a collaborator enrol through the
/// invitation chain; a case the collaborator records reaches the manager,
/// and every request is counted as a round trip.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_case_reaches_the_manager_through_the_router_in_process() {
    let server = InProcessServer::start().await;
    let (officer, _) = server.phone(&server.bootstrap_officer().await).await;
    let code = invite(&officer, Role::CommuneCaseManager).await;
    let (manager, manager_link) = server.phone(&code).await;
    let code = invite(&manager, Role::Collaborator).await;
    let (collaborator, collaborator_link) = server.phone(&code).await;

    let id = collaborator
        .app
        .create_case(intake("INP-001", "mu_ca"))
        .unwrap();
    let before = collaborator_link.counts();
    let sent = collaborator.sync().await;
    assert_eq!((sent.events_pushed, sent.team_changes_pushed), (1, 1));
    assert_eq!(sent.traffic, collaborator_link.counts().since(before));
    assert!(sent.traffic.round_trips >= 3, "token, push, pull at least");
    assert!(sent.traffic.bytes_sent > 0 && sent.traffic.bytes_received > 0);
    assert_eq!(collaborator.app.pending_events().unwrap(), 0);

    let before = manager_link.counts();
    let received = manager.sync().await;
    assert_eq!(received.events_pulled, 1);
    assert_eq!(received.traffic, manager_link.counts().since(before));
    assert!(received.traffic.round_trips > 0);
    let seen = manager.app.case(id).unwrap();
    assert_eq!(seen.survivor.code, "INP-001");
    assert_eq!(seen, collaborator.app.case(id).unwrap());
}
