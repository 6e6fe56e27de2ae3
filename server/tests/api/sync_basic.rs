//! Devices enrol through the invitation chain, record cases offline, sync
//! through a real server process, and converge. Runs on SQLite and
//! PostgreSQL.

use crate::support::{
    assert_no_case_content, cases_due_a_snapshot, intake, server_row_count, Backend, Phone, Server,
    Team,
};
use binhan_core::cases::{CaseAction, CaseFilter};
use binhan_core::model::{Note, Role};
use binhan_core::sync::SNAPSHOT_AFTER_EVENTS;

async fn cases_reach_the_team_and_edits_converge(backend: Backend) {
    let server = Server::start(backend);
    let team = Team::enrol(&server, "mu_ca", 1).await;
    let collaborator = &team.collaborators[0];

    let id = collaborator
        .app
        .create_case(intake("E2E-001", "mu_ca"))
        .unwrap();
    let report = collaborator.sync().await;
    assert_eq!(report.events_pushed, 1);
    assert_eq!(report.team_changes_pushed, 1);
    assert_eq!(collaborator.app.pending_events().unwrap(), 0);

    // The commune case manager is on the team automatically.
    let report = team.manager.sync().await;
    assert_eq!(report.events_pulled, 1);
    let seen = team.manager.app.case(id).unwrap();
    assert_eq!(seen.survivor.code, "E2E-001");
    team.manager
        .app
        .act(
            id,
            CaseAction::AddNote(Note {
                text: "Manager visited (synthetic).".into(),
            }),
        )
        .unwrap();
    team.manager.sync().await;

    collaborator.sync().await;
    assert_eq!(
        collaborator.app.case(id).unwrap(),
        team.manager.app.case(id).unwrap()
    );

    // The provincial officer is not on the case team and receives nothing.
    team.officer.sync().await;
    assert!(team
        .officer
        .app
        .list_cases(&CaseFilter::default())
        .unwrap()
        .cases
        .is_empty());

    // Repeating a sync changes nothing; the vault keeps when it last synced.
    let before = collaborator
        .app
        .last_sync()
        .unwrap()
        .expect("synced before");
    let again = collaborator.sync().await;
    assert_eq!((again.events_pushed, again.events_pulled), (0, 0));
    let last = collaborator.app.last_sync().unwrap().expect("synced");
    assert!(last.at >= before.at);
    assert_eq!((last.events_pushed, last.events_pulled), (0, 0));
    assert!(team.officer.app.last_sync().unwrap().is_some());

    assert_no_case_content(&server);
}
on_both_backends!(cases_reach_the_team_and_edits_converge);

/// Devices joining a team start from a bundle: the states of the team's
/// cases compressed together and sealed for its other members. A member
/// removed from one case of a bundle before its first sync is served none
/// of the bundle and starts from the other cases' own snapshots.
async fn joining_devices_start_from_bundles_sealed_for_them(backend: Backend) {
    let server = Server::start(backend);
    let team = Team::enrol(&server, "mu_ca", 1).await;
    let second = team.second_manager(&server, "mu_ca").await;
    let author = &team.collaborators[0];
    let cases = cases_due_a_snapshot(author, "BUN", "mu_ca", 3);
    let sent = author.sync().await;
    assert_eq!(sent.snapshots_pushed, 3);
    let rows = |table| server_row_count(&server.backend, table);
    assert_eq!(rows("bundles").await, 1, "one bundle for both managers");
    assert_eq!(rows("bundle_index").await, 6, "2 recipients x 3 cases");

    // The first manager starts from the bundle: 3 states.
    let first = team.manager.sync().await;
    assert_eq!((first.snapshots_pulled, first.events_pulled), (3, 0));
    // The second manager is taken off the first case before it ever syncs
    // (by the first manager: only a commune case manager takes a manager
    // off), and the author edits the second case again: a newer snapshot
    // of it, but no bundle (both managers joined it in an earlier sync).
    let second_id = second.app.device_id().unwrap();
    team.manager
        .app
        .remove_team_member(cases[0], second_id)
        .await
        .unwrap();
    team.manager.sync().await;
    for step in 0..SNAPSHOT_AFTER_EVENTS {
        let text = format!("synthetic later note {step}");
        let action = CaseAction::AddNote(Note { text });
        author.app.act(cases[1], action).unwrap();
    }
    assert_eq!(author.sync().await.snapshots_pushed, 1);
    assert_eq!(rows("bundles").await, 1, "no new bundle");
    let not_served = "the bundle is not served to it";
    assert_eq!(rows("bundle_index").await, 3, "{not_served}");

    // The first manager, caught up already: the second case's new events.
    let first = team.manager.sync().await;
    assert_eq!(
        (first.snapshots_pulled, first.events_pulled),
        (0, SNAPSHOT_AFTER_EVENTS)
    );
    let again = second.sync().await;
    assert_eq!((again.snapshots_pulled, again.events_pulled), (2, 0));
    for (i, case) in cases.iter().enumerate() {
        let original = author.app.case(*case).unwrap();
        assert_eq!(team.manager.app.case(*case).unwrap(), original);
        if i == 0 {
            assert!(second.app.case(*case).is_err(), "removed before syncing");
        } else {
            assert_eq!(second.app.case(*case).unwrap(), original);
        }
    }

    // Once its last recipient is revoked, the bundle is deleted.
    let first_id = team.manager.app.device_id().unwrap();
    team.officer.app.revoke_device(first_id).await.unwrap();
    assert_eq!((rows("bundle_index").await, rows("bundles").await), (0, 0));
    assert_no_case_content(&server);
}
on_both_backends!(joining_devices_start_from_bundles_sealed_for_them);

/// Two server processes on one PostgreSQL behave as one: a token from one is
/// good at the other, and devices syncing through either converge.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_processes_on_one_postgres_behave_as_one() {
    let first = Server::start(Backend::postgres().await);
    let second = first.another_process();
    let officer = Phone::enrolled(&first, &first.bootstrap_officer()).await;
    let manager = Phone::enrolled_via(
        &second.url,
        &officer
            .app
            .invite(Role::CommuneCaseManager, "pa_u", 24)
            .await
            .unwrap()
            .code,
    )
    .await;
    let collaborator = Phone::enrolled_via(
        &first.url,
        &manager
            .app
            .invite(Role::Collaborator, "pa_u", 24)
            .await
            .unwrap()
            .code,
    )
    .await;
    let cases: Vec<_> = (0..5)
        .map(|i| {
            collaborator
                .app
                .create_case(intake(&format!("TWO-{i}"), "pa_u"))
                .unwrap()
        })
        .collect();
    collaborator.sync().await;
    manager.sync().await;
    for (i, id) in cases.iter().enumerate() {
        let phone = if i % 2 == 0 { &manager } else { &collaborator };
        phone
            .app
            .act(
                *id,
                CaseAction::AddNote(Note {
                    text: format!("note {i}"),
                }),
            )
            .unwrap();
    }
    // Concurrent syncs through different processes.
    let cancel = binhan_core::sync::CancelFlag::default();
    let (a, b) = tokio::join!(
        collaborator.app.sync(&|_| {}, &cancel),
        manager.app.sync(&|_| {}, &cancel)
    );
    a.unwrap();
    b.unwrap();
    collaborator.sync().await;
    manager.sync().await;
    for id in &cases {
        assert_eq!(
            collaborator.app.case(*id).unwrap(),
            manager.app.case(*id).unwrap()
        );
        assert_eq!(manager.app.case(*id).unwrap().notes.len(), 1);
    }
    assert_no_case_content(&first);
    assert_no_case_content(&second);
}
