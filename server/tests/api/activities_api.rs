//! Communication activities end to end, against a real server process on
//! SQLite and on PostgreSQL: a collaborator and a school counselor record
//! them offline, sync, and the officer's annual report counts them per
//! commune and per campaign; the commune's manager lists them. Bad rows
//! and another commune's activities are refused with their reasons, and
//! nothing of them is stored. Synthetic data only.

use crate::support::{Backend, RawDevice, Server, Team};
use binhan_core::model::Role;
use binhan_core::stats::activity::{
    ActivityId, ActivityKind, Campaign, CommunicationActivity, Participants,
};
use binhan_core::stats::registry::ProgrammeRegistries;
use binhan_core::stats::report::{AnnualReport, Value};
use binhan_core::sync::wire::encode;
use binhan_core::sync::ActivitySending;
use binhan_core::Error;
use binhan_report::OfficerReport;
use chrono::NaiveDate;

const COMMUNE: &str = "pa_u";
const OTHER: &str = "mu_ca";
const YEAR: i32 = 2026;

fn activity(
    commune: &str,
    (m, d): (u32, u32),
    kind: ActivityKind,
    campaign: Campaign,
) -> CommunicationActivity {
    CommunicationActivity {
        id: ActivityId::random(),
        date: NaiveDate::from_ymd_opt(YEAR, m, d).unwrap(),
        commune: commune.into(),
        village: "Bản Synthetic".into(),
        kind,
        campaign,
        topic: "Phòng ngừa bạo lực trên cơ sở giới (synthetic)".into(),
        participants: Participants {
            women: 10,
            men: 6,
            girls: 3,
            boys: 1,
            ethnic_minority: 15,
        },
        materials: "Tờ rơi (synthetic)".into(),
    }
}

fn cell(report: &AnnualReport, table: &str, row: &str, column: &str) -> Value {
    let table = report.tables.iter().find(|t| t.id == table).expect(table);
    let col = table
        .columns
        .iter()
        .position(|c| c.code == column)
        .expect(column);
    let row = table.rows.iter().find(|r| r.code == row).expect(row);
    row.cells[col].clone()
}

async fn activities_recorded_offline_reach_the_report(backend: Backend) {
    let server = Server::start(backend);
    let team = Team::enrol(&server, COMMUNE, 1).await;
    team.open_office().await;
    let counselor = team
        .manager
        .invite_phone(&server, Role::SchoolCounselor, COMMUNE)
        .await;
    let collaborator = &team.collaborators[0];

    // Offline: recorded in the vault, nothing sent yet.
    let meeting = activity(
        COMMUNE,
        (11, 20),
        ActivityKind::VillageMeeting,
        Campaign::ActionMonth,
    );
    let session = activity(
        COMMUNE,
        (6, 10),
        ActivityKind::SchoolSession,
        Campaign::DomesticViolenceMonth,
    );
    collaborator.app.record_activity(meeting.clone()).unwrap();
    counselor.app.record_activity(session.clone()).unwrap();
    let mut bad = session.clone();
    bad.campaign = Campaign::EliminationDay;
    assert!(matches!(
        counselor.app.record_activity(bad),
        Err(Error::Invalid { ref field, .. }) if field == "activity.campaign"
    ));
    assert_eq!(
        collaborator.app.communication_activities().unwrap()[0].sending,
        ActivitySending::Pending
    );
    assert_eq!(
        team.officer
            .app
            .registries()
            .await
            .unwrap()
            .entries
            .communication_activities,
        vec![]
    );

    // Sync sends them once.
    assert_eq!(collaborator.sync().await.activities_sent, 1);
    assert_eq!(counselor.sync().await.activities_sent, 1);
    assert_eq!(collaborator.sync().await.activities_sent, 0);
    assert_eq!(
        collaborator.app.communication_activities().unwrap()[0].sending,
        ActivitySending::Sent
    );
    // Corrected on the phone: sent again, replacing it.
    let mut corrected = meeting.clone();
    corrected.participants.women = 12;
    collaborator.app.record_activity(corrected.clone()).unwrap();
    assert_eq!(collaborator.sync().await.activities_sent, 1);

    let listed = team.manager.app.registries().await.unwrap().entries;
    assert_eq!(listed.communication_activities.len(), 2);
    assert!(listed.communication_activities.contains(&corrected));

    let report = team
        .officer
        .app
        .annual_report_data(YEAR, None, None)
        .await
        .unwrap();
    assert_eq!(
        cell(&report, "communication", COMMUNE, "activities"),
        Value::Count(2)
    );
    assert_eq!(
        cell(&report, "communication", "province", "activities"),
        Value::Count(2)
    );
    assert_eq!(
        cell(&report, "communication", COMMUNE, "women"),
        Value::Count(22)
    );
    assert_eq!(
        cell(&report, "communication", COMMUNE, "reached"),
        Value::Count(42)
    );
    assert_eq!(
        cell(&report, "communication", OTHER, "activities"),
        Value::Count(0)
    );
    assert_eq!(
        cell(
            &report,
            "communication_campaigns",
            "action_month",
            "communes"
        ),
        Value::Count(1)
    );
    assert_eq!(
        cell(
            &report,
            "communication_campaigns",
            "domestic_violence_month",
            "activities"
        ),
        Value::Count(1)
    );
    let indicator = |code: &str| {
        report
            .indicators
            .iter()
            .find(|i| i.code == code)
            .expect(code)
            .value
            .clone()
    };
    assert_eq!(indicator("communication_activities"), Value::Count(2));
    assert_eq!(indicator("communes_action_month"), Value::Count(1));
}
on_both_backends!(activities_recorded_offline_reach_the_report);

async fn bad_and_foreign_activities_are_refused_and_nothing_is_stored(backend: Backend) {
    let server = Server::start(backend);
    let team = Team::enrol(&server, COMMUNE, 0).await;
    let invitation = team
        .manager
        .app
        .invite(Role::Collaborator, COMMUNE, 24)
        .await
        .unwrap();
    let raw = RawDevice::enrol(&server, &invitation.code).await;
    let send =
        |entries: &ProgrammeRegistries| raw.post("/v1/registries/record", encode(entries), true);
    let only = |a: CommunicationActivity| ProgrammeRegistries {
        communication_activities: vec![a],
        ..Default::default()
    };

    let foreign = send(&only(activity(
        OTHER,
        (11, 20),
        ActivityKind::VillageMeeting,
        Campaign::ActionMonth,
    )))
    .await;
    assert_eq!(
        (foreign.status, foreign.error_code().as_str()),
        (403, "activity_of_other_commune")
    );
    let mut nobody = activity(
        COMMUNE,
        (11, 20),
        ActivityKind::VillageMeeting,
        Campaign::Routine,
    );
    nobody.participants = Participants::default();
    let empty = send(&only(nobody)).await;
    assert_eq!(
        (empty.status, empty.error_code().as_str()),
        (422, "bad_registry_entry")
    );
    let mut wrong_month = activity(
        COMMUNE,
        (3, 1),
        ActivityKind::LoudspeakerBroadcast,
        Campaign::ActionMonth,
    );
    wrong_month.participants = Participants::default();
    assert_eq!(send(&only(wrong_month)).await.status, 422);
    let garbage = raw
        .post(
            "/v1/registries/record",
            vec![2, 0, 0, 0, 1, 0xff, 0xff],
            true,
        )
        .await;
    assert_eq!(garbage.status, 400);
    // A collaborator records no training session.
    let with_school = ProgrammeRegistries {
        schools: vec![binhan_core::stats::registry::School {
            name: "Trường (synthetic)".into(),
            commune: COMMUNE.into(),
            procedure_since: None,
        }],
        ..only(activity(
            COMMUNE,
            (11, 20),
            ActivityKind::VillageMeeting,
            Campaign::ActionMonth,
        ))
    };
    assert_eq!(send(&with_school).await.status, 403);

    assert_eq!(
        team.officer.app.registries().await.unwrap().entries,
        ProgrammeRegistries::default()
    );

    // An id reused from another commune replaces nothing there.
    let mine = activity(
        COMMUNE,
        (11, 21),
        ActivityKind::VillageMeeting,
        Campaign::ActionMonth,
    );
    assert_eq!(send(&only(mine.clone())).await.status, 200);
    let other_manager = team.second_manager(&server, OTHER).await;
    let mut hijack = mine.clone();
    hijack.commune = OTHER.into();
    hijack.topic = "Overwritten (synthetic)".into();
    other_manager.app.record_activity(hijack).unwrap();
    other_manager.sync().await;
    assert_eq!(
        team.officer
            .app
            .registries()
            .await
            .unwrap()
            .entries
            .communication_activities,
        vec![mine]
    );
}
on_both_backends!(bad_and_foreign_activities_are_refused_and_nothing_is_stored);
