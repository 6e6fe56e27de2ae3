//! Closing a case needs a commune case manager: the manager's closing,
//! signed by its device key, is the approval (before, "supervisor
//! reviewed" was a tick anyone closing could set). A collaborator's phone
//! refuses to close; the manager closes and the collaborator sees it
//! closed; a closing pushed by a collaborator's modified app (the server
//! cannot read it) is held back by the manager's phone, where the case stays
//! open. On SQLite and PostgreSQL. Synthetic data only.

use crate::support::{intake, now_ms, Backend, RawDevice, Server, Team};
use binhan_core::cases::{plan, CaseAction};
use binhan_core::error::Refusal;
use binhan_core::events::{CaseState, Event, Hlc};
use binhan_core::model::{CaseId, CaseStatus, Role};
use binhan_core::sync::HeldKind;
use binhan_core::Error;
use binhan_testkit::cases::complete_closure;

const COMMUNE: &str = "tam_duong";

/// A case made and closed at once by `raw` (a collaborator's modified
/// app), with the commune's manager on its team.
async fn case_closed_by(raw: &RawDevice, manager: binhan_core::model::DeviceId) -> CaseId {
    let today = chrono::Utc::now().date_naive();
    let intake = intake("SYN-CLOSE-002", COMMUNE);
    let me = raw.identity.device_id();
    let hlc = Hlc::from_wall_ms(now_ms());
    let created = Event {
        id: Event::id_for(me, hlc),
        case_id: CaseId::random(),
        hlc,
        author: me,
        changes: intake.clone().into_changes(today).unwrap(),
    };
    let state = CaseState::fold(created.case_id, [&created]);
    let closing = plan(&state, CaseAction::Close(complete_closure()), today).unwrap();
    raw.push_new_case(&[manager], intake, vec![closing]).await
}

async fn closing_a_case_needs_a_commune_case_manager(backend: Backend) {
    let server = Server::start(backend);
    let team = Team::enrol(&server, COMMUNE, 1).await;
    let collaborator = &team.collaborators[0];
    let case = collaborator
        .app
        .create_case(intake("SYN-CLOSE-001", COMMUNE))
        .unwrap();
    collaborator.sync().await;
    team.manager.sync().await;

    let refused = collaborator
        .app
        .act(case, CaseAction::Close(complete_closure()));
    assert!(
        matches!(
            refused,
            Err(Error::NotAllowed(Refusal::ClosureNeedsManager))
        ),
        "{refused:?}"
    );
    team.manager
        .app
        .act(case, CaseAction::Close(complete_closure()))
        .unwrap();
    team.manager.sync().await;
    let report = collaborator.sync().await;
    assert_eq!(report.items_refused, 0);
    assert_eq!(
        collaborator.app.case(case).unwrap().status,
        CaseStatus::Closed
    );

    // A modified app closes its own case without the manager.
    let code = team.manager.app.invite(Role::Collaborator, COMMUNE, 24);
    let raw = RawDevice::enrol(&server, &code.await.unwrap().code).await;
    let forced = case_closed_by(&raw, team.manager.app.device_id().unwrap()).await;
    let report = team.manager.sync().await;
    assert_eq!(report.items_refused, 1);
    let detail = team.manager.app.case(forced).unwrap();
    assert_eq!(
        (detail.survivor.code.as_str(), detail.status),
        ("SYN-CLOSE-002", CaseStatus::Open)
    );
    let held = team.manager.app.held_items().unwrap();
    assert!(
        held.iter().any(|h| h.kind == HeldKind::Event
            && h.case_id == Some(forced)
            && h.reason == "closure_needs_manager"),
        "{held:?}"
    );
}
on_both_backends!(closing_a_case_needs_a_commune_case_manager);
