//! De-identified statistics travel with sync, sealed to the office's key: a
//! record for each case whose survivor consented, replaced as the case
//! changes, gone from the office's count when consent is withdrawn, and
//! nothing at all for a case without consent. What the office counts is
//! read as the officer's vault opens it.

use crate::support::{
    assert_no_case_content, health_service_delivered, intake, Backend, Server, Team,
};
use binhan_core::cases::CaseAction;
use binhan_core::model::ServiceType;
use chrono::NaiveDate;

async fn statistics_follow_consent(backend: Backend) {
    let server = Server::start(backend);
    let team = Team::enrol(&server, "muong_kim", 1).await;
    team.open_office().await;
    let phone = &team.collaborators[0];
    let consenting = phone.app.create_case(intake("ST-1", "muong_kim")).unwrap();
    let mut refused = intake("ST-2", "muong_kim");
    refused.consents = vec![];
    phone.app.create_case(refused).unwrap();
    let report = phone.sync().await;
    assert_eq!(
        report.statistics_sent, 1,
        "only the consenting case is counted"
    );

    let records = team.office_records(2026).await;
    assert_eq!(records.len(), 1);
    assert_eq!(records[0].commune, "muong_kim");
    assert!(records[0].services_delivered.is_empty());

    // A delivered service updates the record; the manager's device sends the
    // same id, so there is still one record.
    let day = NaiveDate::from_ymd_opt(2026, 10, 2).unwrap();
    phone
        .app
        .act(consenting, health_service_delivered(day))
        .unwrap();
    phone.sync().await;
    team.manager.sync().await;
    let records = team.office_records(2026).await;
    assert_eq!(records.len(), 1);
    assert_eq!(records[0].services_delivered, vec![ServiceType::Health]);

    // Withdrawing consent deletes it.
    phone.withdraw_statistics_consent(consenting);
    phone.sync().await;
    assert!(team.office_records(2026).await.is_empty());
    // And an older record sent late by another device cannot bring it back.
    team.manager.sync().await;
    assert!(team.office_records(2026).await.is_empty());
    assert_no_case_content(&server);
}
on_both_backends!(statistics_follow_consent);

/// A device that starts a case from a snapshot leaves its statistics to the
/// snapshot's uploader (who sent them in the same sync), and sends them
/// again only once the case changes on it.
async fn a_case_adopted_from_a_snapshot_is_not_counted_twice(backend: Backend) {
    let server = Server::start(backend);
    let team = Team::enrol(&server, "muong_kim", 1).await;
    team.open_office().await;
    let phone = &team.collaborators[0];
    let case = phone.app.create_case(intake("ST-3", "muong_kim")).unwrap();
    for step in 0..binhan_core::sync::SNAPSHOT_AFTER_EVENTS {
        phone
            .app
            .act(
                case,
                CaseAction::AddNote(binhan_core::model::Note {
                    text: format!("synthetic note {step}"),
                }),
            )
            .unwrap();
    }
    let sent = phone.sync().await;
    assert_eq!(sent.snapshots_pushed, 1);
    assert_eq!(sent.statistics_sent, 1);

    let joined = team.manager.sync().await;
    assert_eq!(
        joined.snapshots_pulled, 1,
        "the manager starts from the snapshot"
    );
    assert_eq!(joined.statistics_sent, 0, "the uploader already sent them");
    assert_eq!(team.office_records(2026).await.len(), 1);

    let day = NaiveDate::from_ymd_opt(2026, 10, 3).unwrap();
    team.manager
        .app
        .act(case, health_service_delivered(day))
        .unwrap();
    assert_eq!(team.manager.sync().await.statistics_sent, 1);
    let records = team.office_records(2026).await;
    assert_eq!(records.len(), 1);
    assert_eq!(records[0].services_delivered, vec![ServiceType::Health]);
    assert_no_case_content(&server);
}
on_both_backends!(a_case_adopted_from_a_snapshot_is_not_counted_twice);

/// Before an officer publishes the office's key a phone keeps its
/// statistics (counted as waiting) and sends them, sealed, at the first
/// sync after: nothing is lost and nothing goes out unsealed.
async fn statistics_wait_for_the_office_key(backend: Backend) {
    let server = Server::start(backend);
    let team = Team::enrol(&server, "muong_kim", 1).await;
    let phone = &team.collaborators[0];
    phone.app.create_case(intake("ST-4", "muong_kim")).unwrap();
    let early = phone.sync().await;
    assert_eq!((early.statistics_sent, early.statistics_waiting), (0, 1));

    team.open_office().await;
    let later = phone.sync().await;
    assert_eq!((later.statistics_sent, later.statistics_waiting), (1, 0));
    assert_eq!(team.office_records(2026).await.len(), 1);
    assert_eq!(phone.sync().await.statistics_sent, 0, "sent once");
}
on_both_backends!(statistics_wait_for_the_office_key);
