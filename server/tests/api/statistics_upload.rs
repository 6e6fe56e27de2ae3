//! De-identified statistics travel with sync, sealed to the office's key: a
//! record for each case whose survivor consented, replaced as the case
//! changes, gone from the office's count when consent is withdrawn, and
//! nothing at all for a case without consent. What the office counts is
//! read as the officer's vault opens it.

use crate::support::{
    assert_no_case_content, health_service_delivered, intake, server_row_count, Backend, RawDevice,
    Server, Team,
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
    // The sync screen tells it from what the sync kept.
    assert_eq!(phone.app.statistics_waiting_at_last_sync().unwrap(), 1);

    team.open_office().await;
    let later = phone.sync().await;
    assert_eq!((later.statistics_sent, later.statistics_waiting), (1, 0));
    assert_eq!(phone.app.statistics_waiting_at_last_sync().unwrap(), 0);
    assert_eq!(team.office_records(2026).await.len(), 1);
    assert_eq!(phone.sync().await.statistics_sent, 0, "sent once");
}
on_both_backends!(statistics_wait_for_the_office_key);

/// What the server checks of sealed statistics, as a collaborator's
/// device would send them wrong: a row that is not sealed statistics, a
/// push not signed by the device, an office key from a device that is not
/// an officer's, and the sealed rows asked for by anyone but an officer.
/// Each is refused with its reason and nothing is stored.
async fn bad_sealed_statistics_are_refused_with_a_reason(backend: Backend) {
    use binhan_core::stats::sealed::{OfficeKey, SealedStat, StatSlot};
    use binhan_core::sync::wire::{encode, OfficeKeyPublish, SealedStatsRequest, StatsPush};
    let server = Server::start(backend);
    let team = Team::enrol(&server, "muong_kim", 0).await;
    let code = team
        .manager
        .app
        .invite(binhan_core::model::Role::Collaborator, "muong_kim", 24)
        .await
        .unwrap()
        .code;
    let raw = RawDevice::enrol(&server, &code).await;
    let push = |rows: Vec<SealedStat>, signed: bool| {
        let message = binhan_core::sync::wire::stats_message(&rows);
        encode(&StatsPush {
            signature: if signed {
                raw.identity.sign(&message)
            } else {
                vec![0; 64]
            },
            rows,
        })
    };
    let not_sealed = SealedStat {
        slot: StatSlot([1; 16]),
        body: b"synthetic clear record, not sealed".to_vec(),
    };
    let refused = raw
        .post("/v1/stats/push", push(vec![not_sealed.clone()], true), true)
        .await;
    assert_eq!(
        (refused.status, refused.error_code().as_str()),
        (422, "bad_record")
    );
    let refused = raw
        .post("/v1/stats/push", push(vec![not_sealed], false), true)
        .await;
    assert_eq!(
        (refused.status, refused.error_code().as_str()),
        (422, "bad_signature")
    );

    let signer = binhan_core::shelters::ProvincialSigner::from_seed([9; 32]);
    let publish = OfficeKeyPublish {
        office_key: OfficeKey::publish(&signer).unwrap(),
        endorsement: binhan_core::sync::KeyEndorsement::sign(&raw.identity, signer.public_key().0),
    };
    let refused = raw
        .post("/v1/province/office-key", encode(&publish), true)
        .await;
    assert_eq!(
        (refused.status, refused.error_code().as_str()),
        (403, "not_provincial_officer")
    );
    let refused = raw
        .post(
            "/v1/stats/sealed",
            encode(&SealedStatsRequest::default()),
            true,
        )
        .await;
    assert_eq!(refused.status, 403);
    assert_eq!(server_row_count(&server.backend, "stat_sealed").await, 0);
    assert_eq!(server_row_count(&server.backend, "office_keys").await, 0);
}
on_both_backends!(bad_sealed_statistics_are_refused_with_a_reason);
