//! The annual report and the programme registries through the API, against
//! a real server process on SQLite and on PostgreSQL: the officer's report
//! counts exactly the records phones uploaded (a case without consent
//! contributes nothing, a withdrawal removes its record), the workbook reads
//! back with those numbers, and every other role, or no token, is refused.
//! Synthetic data only.

use crate::support::{
    assert_no_case_content, health_service_delivered, intake, Backend, Phone, RawDevice, Server,
    Team,
};
use binhan_core::model::Role;
use binhan_core::shelters::DirectoryUpdate;
use binhan_core::stats::registry::{
    Attendee, Enterprise, ProgrammeRegistries, ReportFormat, School, TraineeRole, TrainingSession,
    TrainingTarget,
};
use binhan_core::Error;
use binhan_report::{OfficerReport, HEADING_ROW};
use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};
use chrono::NaiveDate;
use serde_json::Value;

const COMMUNE: &str = "muong_kim";
const YEAR: i32 = 2026;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// Synthetic registries of one commune: 10 collaborators and 2 officials to
/// train, 8 and 1 of them trained; two schools (one runs the procedure);
/// one enterprise with rules.
fn registries() -> ProgrammeRegistries {
    let mut attendees: Vec<Attendee> = (0..8)
        .map(|i| Attendee {
            person: format!("SYN-C{i}"),
            commune: COMMUNE.into(),
            role: TraineeRole::Collaborator,
        })
        .collect();
    attendees.push(Attendee {
        person: "SYN-O1".into(),
        commune: COMMUNE.into(),
        role: TraineeRole::Official,
    });
    ProgrammeRegistries {
        training_sessions: vec![TrainingSession {
            date: day(YEAR, 5, 10),
            commune: COMMUNE.into(),
            title: "Tập huấn tổng hợp (synthetic)".into(),
            attendees,
        }],
        training_targets: vec![TrainingTarget {
            commune: COMMUNE.into(),
            collaborators: 10,
            officials: 2,
        }],
        schools: vec![
            School {
                name: "Trường tổng hợp A (synthetic)".into(),
                commune: COMMUNE.into(),
                procedure_since: Some(day(YEAR - 1, 9, 1)),
            },
            School {
                name: "Trường tổng hợp B (synthetic)".into(),
                commune: COMMUNE.into(),
                procedure_since: None,
            },
        ],
        enterprises: vec![Enterprise {
            name: "Doanh nghiệp tổng hợp (synthetic)".into(),
            commune: COMMUNE.into(),
            rules_since: Some(day(YEAR, 3, 1)),
        }],
        communication_activities: Vec::new(),
    }
}

/// The report as JSON.
async fn json_report(officer: &Phone, threshold: u32) -> Value {
    let bytes = officer
        .app
        .annual_report(YEAR, ReportFormat::Json, Some(threshold), None)
        .await
        .unwrap();
    serde_json::from_slice(&bytes).unwrap()
}

/// Where a table's cell is: (sheet, row, column) in the workbook, from the
/// report's structure (row and column codes).
fn locate(report: &Value, table: &str, row: &str, column: &str) -> (String, u32, u32) {
    let table = report["tables"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == table)
        .unwrap();
    let position = |list: &str, code: &str| {
        table[list]
            .as_array()
            .unwrap()
            .iter()
            .position(|x| x["code"] == code)
            .unwrap() as u32
    };
    (
        table["sheet"].as_str().unwrap().to_string(),
        HEADING_ROW + 1 + position("rows", row),
        1 + position("columns", column),
    )
}

/// A number of the JSON report (`None` if suppressed or empty).
fn number(report: &Value, table: &str, row: &str, column: &str) -> Option<f64> {
    let table = report["tables"]
        .as_array()?
        .iter()
        .find(|t| t["id"] == table)?;
    let c = table["columns"]
        .as_array()?
        .iter()
        .position(|x| x["code"] == column)?;
    let row = table["rows"]
        .as_array()?
        .iter()
        .find(|r| r["code"] == row)?;
    row["cells"][c]["value"].as_f64()
}

async fn officer_report_counts_uploaded_records(backend: Backend) {
    let server = Server::start(backend);
    let team = Team::enrol(&server, COMMUNE, 1).await;
    team.open_office().await;
    let phone = &team.collaborators[0];
    let cases: Vec<_> = (0..7)
        .map(|i| {
            phone
                .app
                .create_case(intake(&format!("RP-{i}"), COMMUNE))
                .unwrap()
        })
        .collect();
    let mut refused = intake("RP-NO-CONSENT", COMMUNE);
    refused.consents = vec![];
    phone.app.create_case(refused).unwrap();
    for &case in &cases[..6] {
        phone
            .app
            .act(case, health_service_delivered(day(YEAR, 10, 2)))
            .unwrap();
    }
    assert_eq!(
        phone.sync().await.statistics_sent,
        7,
        "consenting cases only"
    );

    let officer = &team.officer;
    let recorded = officer.app.record_registries(&registries()).await.unwrap();
    assert_eq!(
        (
            recorded.training_sessions,
            recorded.attendees,
            recorded.schools
        ),
        (1, 9, 2)
    );
    // Recording the same entries again replaces them.
    officer.app.record_registries(&registries()).await.unwrap();
    let listed = officer.app.registries().await.unwrap().entries;
    let mut expected = registries();
    expected.training_sessions[0]
        .attendees
        .sort_by(|a, b| a.person.cmp(&b.person));
    assert_eq!(listed, expected);

    // The province publishes its (synthetic) signed shelter directory; the
    // report counts its shelters.
    let directory = binhan_testkit::shelters::lai_chau().directory(1);
    let signed = binhan_testkit::shelters::province_signer()
        .sign(&DirectoryUpdate::Full(directory.clone()))
        .unwrap();
    officer
        .app
        .publish_shelter_directory(&signed.encode())
        .await
        .unwrap();
    let active = directory.shelters.iter().filter(|s| s.active);
    let in_service = active.clone().count() as f64;
    let standardised = active.filter(|s| s.is_standardised()).count() as f64;
    assert!(in_service > 0.0);

    // The workbook, default threshold (5): 7 survivors, published.
    let workbook = officer
        .app
        .annual_report(YEAR, ReportFormat::Xlsx, None, None)
        .await
        .unwrap();
    let structure = json_report(officer, 5).await;
    let mut book: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(workbook)).unwrap();
    let mut cell = |table: &str, row: &str, column: &str| {
        let (sheet, r, c) = locate(&structure, table, row, column);
        let range = book.worksheet_range(&sheet).unwrap();
        range.get_value((r, c)).cloned().unwrap_or(Data::Empty)
    };
    for (table, row, column, expected) in [
        ("indicators", "survivors_detected", "value", 7.0),
        ("survivors", COMMUNE, "total", 7.0),
        ("survivors", "province", "total", 7.0),
        ("training", COMMUNE, "collaborators_to_train", 10.0),
        ("training", COMMUNE, "collaborators_trained", 8.0),
        ("training", COMMUNE, "officials_trained", 1.0),
        ("training", "province", "share_trained", 75.0),
        ("schools", COMMUNE, "schools", 2.0),
        ("schools", COMMUNE, "with_procedure", 1.0),
        ("enterprises", "province", "with_rules", 1.0),
        ("indicators", "shelters", "value", in_service),
        ("indicators", "standardised_shelters", "value", standardised),
        ("shelters", "province", "active", in_service),
    ] {
        assert_eq!(
            cell(table, row, column),
            Data::Float(expected),
            "{table} {row} {column}"
        );
    }
    // 1 survivor without a service is a small cell: suppressed, and the 6
    // served with it (else 7 − 6 gives it away), in the workbook and in the
    // JSON alike; without suppression both show.
    for column in ["with_service", "without_service"] {
        assert_eq!(
            cell("survivors", "province", column),
            Data::String("x".into())
        );
        assert_eq!(number(&structure, "survivors", "province", column), None);
    }
    // The apps decode the same JSON into the core's report types, with the
    // suppressed cells as such.
    let data = officer
        .app
        .annual_report_data(YEAR, None, None)
        .await
        .unwrap();
    assert_eq!(
        data.indicator("survivors_detected").map(|i| &i.value),
        Some(&binhan_core::stats::report::Value::Count(7))
    );
    assert_eq!(
        data.table("survivors")
            .and_then(|t| t.value("province", "without_service")),
        Some(&binhan_core::stats::report::Value::Suppressed)
    );
    assert_eq!(serde_json::to_value(&data).unwrap(), structure);
    // No request lowers the threshold below 5: an officer (or whoever
    // holds an officer's token) cannot ask for the small cells.
    for threshold in [0, 1, 4] {
        let refused = officer
            .app
            .annual_report(YEAR, ReportFormat::Json, Some(threshold), None)
            .await
            .expect_err("a threshold below 5 is refused");
        assert!(
            matches!(&refused, binhan_core::Error::Invalid { field, .. } if field == "report.threshold"),
            "{refused:?}"
        );
    }
    assert_eq!(
        number(&structure, "survivors", "province", "total"),
        Some(7.0)
    );

    // Withdrawing consent removes the record from the office's count. The
    // next release of the period is audited with the earlier ones (kept on
    // the officer's vault): a total that moved by one since would name the
    // survivor who withdrew, so it is suppressed.
    phone.withdraw_statistics_consent(cases[0]);
    phone.sync().await;
    team.manager.sync().await;
    assert_eq!(team.office_records(YEAR as u16).await.len(), 6);
    let after = json_report(officer, 5).await;
    assert_eq!(number(&after, "survivors", "province", "total"), None);

    // The same report as CSV, made on the officer's phone.
    let csv = officer
        .app
        .annual_report(YEAR, ReportFormat::Csv, None, None)
        .await
        .unwrap();
    let line = "survivors,province,Toàn tỉnh,total,Tổng số người bị bạo lực được phát hiện,x\r\n";
    assert!(String::from_utf8(csv).unwrap().contains(line));
    // The period: the cases were reported in October 2026, in the
    // default period of 2026 (December 2025 to November 2026) and in the
    // calendar year. A report of the calendar year, after those of the
    // default period, is refused: compared, the two would give the counts
    // of single months. A first month outside 1–12 is refused.
    assert!(matches!(
        officer
            .app
            .annual_report(YEAR, ReportFormat::Csv, None, Some(1))
            .await,
        Err(Error::NotAllowed(
            binhan_core::Refusal::OverlapsReleasedPeriod
        ))
    ));
    assert_eq!(
        (after["year"].as_i64(), after["first_month"].as_i64()),
        (Some(2026), Some(12))
    );
    for first_month in [0, 13] {
        assert!(matches!(
            officer
                .app
                .annual_report(YEAR, ReportFormat::Csv, None, Some(first_month))
                .await,
            Err(Error::Invalid { .. })
        ));
    }
    // A second officer's phone without the provincial key cannot make the
    // report: the statistics open only with the office's key.
    let second = officer
        .invite_phone(&server, Role::ProvincialOfficer, "province")
        .await;
    assert!(matches!(
        second
            .app
            .annual_report(YEAR, ReportFormat::Csv, None, None)
            .await,
        Err(Error::NotAllowed(binhan_core::Refusal::NoSigningKey))
    ));
    assert_no_case_content(&server);
}
on_both_backends!(officer_report_counts_uploaded_records);

fn refused_as_officer_only<T: std::fmt::Debug>(result: Result<T, Error>, who: &str) {
    match result {
        Err(Error::Refused { status, code, .. }) => {
            assert_eq!(
                (status, code.as_str()),
                (403, "not_provincial_officer"),
                "{who}"
            )
        }
        other => panic!("{who}: {other:?}"),
    }
}

async fn reports_and_registries_are_for_officers_only(backend: Backend) {
    let server = Server::start(backend);
    let team = Team::enrol(&server, COMMUNE, 1).await;
    let counselor = team
        .manager
        .invite_phone(&server, Role::SchoolCounselor, COMMUNE)
        .await;
    let host = team
        .manager
        .invite_phone(&server, Role::ShelterHost, COMMUNE)
        .await;
    for (who, phone) in [
        ("collaborator", &team.collaborators[0]),
        ("counselor", &counselor),
        ("case manager", &team.manager),
        ("shelter host", &host),
    ] {
        assert!(
            matches!(
                phone
                    .app
                    .annual_report(YEAR, ReportFormat::Xlsx, None, None)
                    .await,
                Err(Error::NotAllowed(binhan_core::Refusal::OfficersOnly))
            ),
            "{who}"
        );
        if who == "case manager" {
            // A manager's scope is tested in registries_api.rs.
            continue;
        }
        refused_as_officer_only(phone.app.registries().await, who);
        refused_as_officer_only(phone.app.record_registries(&registries()).await, who);
    }
    // Nothing was recorded by the refused calls.
    assert_eq!(
        team.officer.app.registries().await.unwrap().entries,
        ProgrammeRegistries::default()
    );

    // Without a token: 401 with a JSON reason.
    let http = binhan_core::sync::http_client().unwrap();
    for path in [
        "/v1/stats/sealed",
        "/v1/registries/list",
        "/v1/registries/record",
    ] {
        let response = http
            .post(format!("{}{path}", server.url))
            .body(binhan_core::sync::wire::encode(&()))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 401, "{path}");
    }

    // A collaborator's token: the sealed statistics are not listed to it
    // (403 with the reason), though it could not open them.
    let invitation = team
        .manager
        .app
        .invite(Role::Collaborator, COMMUNE, 24)
        .await
        .unwrap();
    let raw = RawDevice::enrol(&server, &invitation.code).await;
    let response = raw
        .post(
            "/v1/stats/sealed",
            binhan_core::sync::wire::encode(&binhan_core::sync::wire::SealedStatsRequest::default()),
            true,
        )
        .await;
    assert_eq!(response.status, 403);
    let body: Value = serde_json::from_slice(&response.body).unwrap();
    assert_eq!(body["error"], "not_provincial_officer");
    assert!(body["reason"]
        .as_str()
        .unwrap()
        .contains("provincial officer"));

    // An invalid entry is refused before it reaches the server, naming the
    // field but not its value.
    let mut bad = registries();
    bad.schools[0].commune = "atlantis".into();
    match team.officer.app.record_registries(&bad).await {
        Err(Error::Invalid { field, .. }) => assert_eq!(field, "schools[0].commune"),
        other => panic!("{other:?}"),
    }
}
on_both_backends!(reports_and_registries_are_for_officers_only);
