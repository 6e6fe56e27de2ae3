//! A case's team follows the survivor's consent. Its creator and the case
//! managers of the survivor's commune are on it by right; anyone else only
//! while the survivor's recorded consent to share the case with them
//! stands. The phone that adds checks it; every phone that holds the case
//! checks it again after each sync, and the creator's or a manager's phone
//! removes a member without it by replacing the case key. The attacker
//! here is a phone running modified code (or whoever stole it): it puts a
//! device of another commune on a new case's team, which the server cannot
//! judge (it never reads a consent). On SQLite and PostgreSQL. Synthetic
//! data only.

use crate::support::{intake, Backend, RawDevice, Server, Team};
use binhan_core::cases::CaseAction;
use binhan_core::error::Refusal;
use binhan_core::model::{CaseId, DeviceId, Note, Role};
use binhan_core::sync::wire::{encode, PullRequest, PullResponse};
use binhan_core::Error;
use std::collections::BTreeSet;

const COMMUNE: &str = "mu_ca";

/// Everything `raw` can pull: the key wraps addressed to it (epochs) and
/// the events of `case` it is served (epochs).
async fn what_it_pulls(raw: &RawDevice, case: CaseId) -> (Vec<u32>, Vec<u32>) {
    let me = raw.identity.device_id();
    let (mut wraps, mut events) = (vec![], vec![]);
    let mut cursor = vec![];
    loop {
        let request = PullRequest {
            cursor,
            ..PullRequest::default()
        };
        let chunk: PullResponse = raw
            .post("/v1/sync/pull", encode(&request), true)
            .await
            .decode();
        for entry in chunk.team.iter().filter(|t| t.item.case_id == case) {
            let mine = entry.item.wraps.iter().filter(|w| w.recipient == me);
            wraps.extend(mine.map(|w| w.epoch));
        }
        let served = chunk.events.iter().filter(|e| e.item.case_id == case);
        events.extend(served.map(|e| e.item.epoch));
        if !chunk.more {
            return (wraps, events);
        }
        cursor = chunk.cursor;
    }
}

/// A new case made by `rogue` (creation event and all, as its app would),
/// whose first team entry lists the commune's manager and `stranger`,
/// each with the case key.
async fn case_shared_without_consent(
    rogue: &RawDevice,
    manager: DeviceId,
    stranger: DeviceId,
) -> CaseId {
    let intake = intake("SYN-TEAM-001", COMMUNE);
    rogue
        .push_new_case(&[manager, stranger], intake, vec![])
        .await
}

/// A collaborator's modified app shares a new case with a collaborator of
/// another commune, without consent; the server stores it (it cannot read
/// consents). The commune's manager syncs: it finds the member, replaces
/// the case key without it, and the stranger is served nothing written
/// after.
async fn a_member_added_without_consent_is_removed_by_the_manager(backend: Backend) {
    let server = Server::start(backend);
    let team = Team::enrol(&server, COMMUNE, 0).await;
    let invite = async |by: &crate::support::Phone, commune: &str| {
        let code = by.app.invite(Role::Collaborator, commune, 24).await;
        RawDevice::enrol(&server, &code.unwrap().code).await
    };
    let rogue = invite(&team.manager, COMMUNE).await;
    let stranger = invite(&team.officer, "than_uyen").await;
    let manager = team.manager.app.device_id().unwrap();
    let stranger_id = stranger.identity.device_id();
    let case = case_shared_without_consent(&rogue, manager, stranger_id).await;
    // The server took it: the stranger can fetch the key and the case.
    assert_eq!(what_it_pulls(&stranger, case).await, (vec![0], vec![0]));

    let report = team.manager.sync().await;
    assert_eq!(report.members_without_consent, 1);
    assert_eq!(report.keys_rotated, 1);
    // Kept for the sync screen until the next sync.
    assert_eq!(team.manager.app.members_without_consent().unwrap(), 1);
    let members: BTreeSet<DeviceId> = team
        .manager
        .app
        .team_members(case)
        .unwrap()
        .into_iter()
        .collect();
    assert!(!members.contains(&stranger_id));
    assert_eq!(
        members,
        BTreeSet::from([rogue.identity.device_id(), manager])
    );
    assert_eq!(
        team.manager.app.case(case).unwrap().survivor.code,
        "SYN-TEAM-001"
    );

    // The manager writes on; the stranger gets no new key and no new event.
    team.manager
        .app
        .act(
            case,
            CaseAction::AddNote(Note {
                text: "Synthetic: after the new key".into(),
            }),
        )
        .unwrap();
    let report = team.manager.sync().await;
    assert_eq!(report.members_without_consent, 0);
    assert_eq!(report.events_pushed, 1);
    assert_eq!(team.manager.app.members_without_consent().unwrap(), 0);
    let (wraps, events) = what_it_pulls(&stranger, case).await;
    assert!(wraps.iter().all(|&epoch| epoch == 0), "{wraps:?}");
    assert!(events.iter().all(|&epoch| epoch == 0), "{events:?}");
}
on_both_backends!(a_member_added_without_consent_is_removed_by_the_manager);

/// The manager's phone refuses to add a collaborator without the
/// survivor's consent, adds it with consent (and every phone keeps it), and
/// removes it with a new key when the consent is withdrawn: notes written
/// after do not reach it.
async fn team_additions_follow_the_survivors_consent(backend: Backend) {
    let server = Server::start(backend);
    let team = Team::enrol(&server, COMMUNE, 2).await;
    let (author, helper) = (&team.collaborators[0], &team.collaborators[1]);
    let helper_id = helper.app.device_id().unwrap();
    let case = author
        .app
        .create_case(intake("SYN-TEAM-002", COMMUNE))
        .unwrap();
    author.sync().await;
    team.manager.sync().await;

    let refused = team.manager.app.add_team_member(case, helper_id).await;
    assert!(
        matches!(
            refused,
            Err(Error::NotAllowed(Refusal::TeamMemberNeedsConsent))
        ),
        "{refused:?}"
    );
    assert!(!team
        .manager
        .app
        .team_members(case)
        .unwrap()
        .contains(&helper_id));

    team.manager.add_with_consent(case, helper_id).await;
    let report = team.manager.sync().await;
    assert_eq!(
        (report.members_without_consent, report.keys_rotated),
        (0, 0)
    );
    helper.sync().await;
    assert_eq!(helper.app.case(case).unwrap().survivor.code, "SYN-TEAM-002");
    let report = author.sync().await;
    assert_eq!(report.members_without_consent, 0);
    assert!(author.app.team_members(case).unwrap().contains(&helper_id));

    // The survivor withdraws consent; the manager records it and syncs.
    team.manager.consent_to_member(case, helper_id, false);
    let report = team.manager.sync().await;
    assert_eq!(
        (report.members_without_consent, report.keys_rotated),
        (1, 1)
    );
    assert!(!team
        .manager
        .app
        .team_members(case)
        .unwrap()
        .contains(&helper_id));
    let notes_before = helper.app.case(case).unwrap().notes.len();
    author.sync().await;
    author
        .app
        .act(
            case,
            CaseAction::AddNote(Note {
                text: "Synthetic: after the withdrawal".into(),
            }),
        )
        .unwrap();
    author.sync().await;
    helper.sync().await;
    assert_eq!(helper.app.case(case).unwrap().notes.len(), notes_before);
}
on_both_backends!(team_additions_follow_the_survivors_consent);
