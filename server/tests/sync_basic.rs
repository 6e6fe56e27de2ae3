//! Devices enrol through the invitation chain, record cases offline, sync
//! through a real server process, and converge. Runs on SQLite and
//! PostgreSQL.

mod support;

use binhan_core::cases::{CaseAction, CaseFilter};
use binhan_core::model::Note;
use support::{intake, Backend, Server, Team, SECRET_WORDS};

async fn cases_reach_the_team_and_edits_converge(backend: Backend) {
    let server = Server::start(backend);
    let team = Team::enrol(&server, "mu_ca", 1).await;
    let collaborator = &team.collaborators[0];

    let id = collaborator.app.create_case(intake("E2E-001", "mu_ca")).unwrap();
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
        .act(id, CaseAction::AddNote(Note { text: "Manager visited (synthetic).".into() }))
        .unwrap();
    team.manager.sync().await;

    collaborator.sync().await;
    assert_eq!(collaborator.app.case(id).unwrap(), team.manager.app.case(id).unwrap());

    // The provincial officer is not on the case team and receives nothing.
    team.officer.sync().await;
    assert!(team.officer.app.list_cases(&CaseFilter::default()).unwrap().cases.is_empty());

    // Repeating a sync changes nothing.
    let again = collaborator.sync().await;
    assert_eq!((again.events_pushed, again.events_pulled), (0, 0));

    let dump = server.backend.dump();
    for word in SECRET_WORDS {
        assert!(!dump.windows(word.len()).any(|w| w == word.as_bytes()), "{word} reached the server database");
    }
}
on_both_backends!(cases_reach_the_team_and_edits_converge);
