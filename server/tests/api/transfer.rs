//! Transferring a case to another commune when the survivor moves, through
//! a real server on SQLite and PostgreSQL: manager to manager, with the
//! survivor's consent for that commune. The old commune's manager records
//! the transfer; its next sync adds the new commune's case managers to the
//! team; the new manager reads the case and, syncing, takes the old
//! commune's manager off the team with a new key, so what is written after
//! stays out of its reach. A collaborator cannot transfer, nor move the
//! case by editing the survivor's commune; a transfer to a commune with no
//! manager yet keeps the case with the old managers until one is enrolled.
//! A commune change pushed by a collaborator's modified app (the server
//! cannot read it) is held back by the manager's phone, where the case
//! stays. Synthetic data only.

use crate::support::{assert_no_case_content, intake, Backend, Phone, RawDevice, Server, Team};
use binhan_core::cases::CaseAction;
use binhan_core::error::Refusal;
use binhan_core::events::Change;
use binhan_core::model::SurvivorField;
use binhan_core::model::{CaseId, Consent, ConsentGiver, ConsentScope, Note, Role};
use binhan_core::sync::HeldKind;
use binhan_core::Error;

const FROM: &str = "pa_u";
const TO: &str = "mu_ca";

fn refused(result: binhan_core::Result<binhan_core::model::EventId>, refusal: Refusal) {
    match result {
        Err(Error::NotAllowed(r)) if r == refusal => {}
        other => panic!("expected {refusal:?}, got {other:?}"),
    }
}

fn consent_to_move(phone: &Phone, case: CaseId, commune: &str) {
    phone
        .app
        .act(
            case,
            CaseAction::RecordConsent(Consent {
                scope: ConsentScope::Transfer {
                    commune: commune.into(),
                },
                granted: true,
                given_by: ConsentGiver::Survivor,
            }),
        )
        .unwrap();
}

fn transfer(
    phone: &Phone,
    case: CaseId,
    commune: &str,
) -> binhan_core::Result<binhan_core::model::EventId> {
    phone.app.act(
        case,
        CaseAction::Transfer {
            commune: commune.into(),
        },
    )
}

fn note(phone: &Phone, case: CaseId, text: &str) {
    phone
        .app
        .act(case, CaseAction::AddNote(Note { text: text.into() }))
        .unwrap();
}

fn notes(phone: &Phone, case: CaseId) -> Vec<String> {
    phone
        .app
        .case(case)
        .unwrap()
        .notes
        .into_iter()
        .map(|n| n.value.text)
        .collect()
}

async fn a_case_moves_to_the_survivor_s_new_commune(backend: Backend) {
    let server = Server::start(backend);
    let team = Team::enrol(&server, FROM, 1).await;
    let there = team
        .officer
        .invite_phone(&server, Role::CommuneCaseManager, TO)
        .await;
    let collaborator = &team.collaborators[0];
    let case = collaborator
        .app
        .create_case(intake("SYN-MOVE-001", FROM))
        .unwrap();
    collaborator.sync().await;
    team.manager.sync().await;

    // Only a commune case manager transfers, and not by editing the commune.
    refused(
        transfer(collaborator, case, TO),
        Refusal::TransferNeedsManager,
    );
    let mut moved = collaborator.app.case(case).unwrap().survivor;
    moved.commune = TO.into();
    refused(
        collaborator
            .app
            .act(case, CaseAction::UpdateSurvivor(moved)),
        Refusal::CommuneChangeIsTransfer,
    );
    // The survivor's consent for that commune first; never to where it is.
    refused(transfer(&team.manager, case, TO), Refusal::ConsentMissing);
    consent_to_move(&team.manager, case, TO);
    refused(
        transfer(&team.manager, case, FROM),
        Refusal::AlreadyInCommune,
    );
    transfer(&team.manager, case, TO).unwrap();
    assert_eq!(team.manager.app.case(case).unwrap().survivor.commune, TO);

    // The old manager's sync hands the case over; the new manager reads it.
    team.manager.sync().await;
    there.sync().await;
    let held = there.app.case(case).unwrap();
    assert_eq!(
        (held.survivor.code.as_str(), held.survivor.commune.as_str()),
        ("SYN-MOVE-001", TO)
    );
    // The new manager's sync took the old commune's manager off the team:
    // what is written now reaches the new team, not the old manager.
    note(&there, case, "Synthetic note after the move Vexmorrow");
    there.sync().await;
    collaborator.sync().await;
    team.manager.sync().await;
    assert!(notes(collaborator, case)
        .iter()
        .any(|n| n.contains("after the move")));
    assert!(
        !notes(&team.manager, case)
            .iter()
            .any(|n| n.contains("after the move")),
        "the old commune's manager no longer reads the case"
    );
    assert_no_case_content(&server);
}
on_both_backends!(a_case_moves_to_the_survivor_s_new_commune);

async fn a_transfer_waits_for_a_manager_of_the_new_commune(backend: Backend) {
    let server = Server::start(backend);
    let team = Team::enrol(&server, FROM, 1).await;
    let collaborator = &team.collaborators[0];
    let case = collaborator
        .app
        .create_case(intake("SYN-MOVE-002", FROM))
        .unwrap();
    collaborator.sync().await;
    team.manager.sync().await;
    consent_to_move(&team.manager, case, TO);
    transfer(&team.manager, case, TO).unwrap();
    team.manager.sync().await;
    collaborator.sync().await;
    // No manager in the new commune yet: nobody takes the case from its
    // managers, whose phone still reads what is written.
    note(
        collaborator,
        case,
        "Synthetic note while waiting Quillfeather",
    );
    collaborator.sync().await;
    team.manager.sync().await;
    assert!(notes(&team.manager, case)
        .iter()
        .any(|n| n.contains("while waiting")));

    // A manager is enrolled there: the next sync of the old manager hands
    // the case over.
    let there = team
        .officer
        .invite_phone(&server, Role::CommuneCaseManager, TO)
        .await;
    team.manager.sync().await;
    there.sync().await;
    assert!(notes(&there, case)
        .iter()
        .any(|n| n.contains("while waiting")));
}
on_both_backends!(a_transfer_waits_for_a_manager_of_the_new_commune);

/// A case made by `raw` (a collaborator's modified app) with `manager` on
/// its team, then moved to another commune by `raw` itself: no consent, no
/// manager, just the field (which the workflow would refuse).
async fn case_moved_by(raw: &RawDevice, manager: binhan_core::model::DeviceId) -> CaseId {
    let moved = vec![Change::Survivor(SurvivorField::Commune(TO.into()))];
    raw.push_new_case(&[manager], intake("SYN-MOVE-003", FROM), vec![moved])
        .await
}

async fn a_commune_change_by_a_collaborator_s_modified_app_is_held(backend: Backend) {
    let server = Server::start(backend);
    let team = Team::enrol(&server, FROM, 0).await;
    let code = team.manager.app.invite(Role::Collaborator, FROM, 24);
    let raw = RawDevice::enrol(&server, &code.await.unwrap().code).await;
    let case = case_moved_by(&raw, team.manager.app.device_id().unwrap()).await;
    let report = team.manager.sync().await;
    assert_eq!(report.items_refused, 1);
    let detail = team.manager.app.case(case).unwrap();
    assert_eq!(
        (
            detail.survivor.code.as_str(),
            detail.survivor.commune.as_str()
        ),
        ("SYN-MOVE-003", FROM),
        "the case stays in its commune on the manager's phone"
    );
    let held = team.manager.app.held_items().unwrap();
    assert!(
        held.iter().any(|h| h.kind == HeldKind::Event
            && h.case_id == Some(case)
            && h.reason == "transfer_needs_manager"),
        "{held:?}"
    );
}
on_both_backends!(a_commune_change_by_a_collaborator_s_modified_app_is_held);
