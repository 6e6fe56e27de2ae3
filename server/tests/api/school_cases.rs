//! A school's cases, through a real server on SQLite and PostgreSQL: the
//! case of a student that a school counselor records is shared with the
//! other counselors of the student's school (certified so by the manager
//! who invited them) and the commune's case managers, and with no one else:
//! not another school's counselor, not the commune's collaborators. An
//! operator who copies a counselor's certified school onto another
//! counselor's row gives that counselor nothing. The procedure steps the
//! counselors record show the registry's school as running its procedure,
//! from use: the officer's registry and the annual report count it.
//! Synthetic data only.

use crate::support::{
    as_operator, assert_no_case_content, intake, Backend, Phone, RawDevice, Server, Team,
};
use binhan_core::cases::{CaseAction, CaseIntake, SchoolProcedureStep, SchoolStep};
use binhan_core::model::{CaseId, Note, Role};
use binhan_core::stats::registry::{ProgrammeRegistries, School};
use binhan_core::stats::report::Value;
use binhan_core::stats::school_use::{SchoolUse, UseMonth};
use binhan_core::stats::ReportPeriod;
use binhan_core::sync::wire::encode;
use binhan_report::OfficerReport;

const COMMUNE: &str = "pa_u";
const SCHOOL: &str = "Trường PTDTBT THCS synthetic Nậm Sỏ";
const OTHER_SCHOOL: &str = "Trường tiểu học synthetic Hua Bum";

/// A synthetic intake of a 14-year-old student of `school`.
fn student_of(code: &str, school: &str) -> CaseIntake {
    let mut intake = intake(code, COMMUNE);
    intake.survivor.age_years = Some(14);
    intake.survivor.student = Some(true);
    intake.survivor.school = Some(school.into());
    intake
}

fn reads(phone: &Phone, case: CaseId) -> bool {
    phone.app.case(case).is_ok()
}

fn note(phone: &Phone, case: CaseId, text: &str) {
    phone
        .app
        .act(case, CaseAction::AddNote(Note { text: text.into() }))
        .unwrap();
}

async fn a_school_s_cases_reach_its_counselors_and_the_managers_only(backend: Backend) {
    let server = Server::start(backend);
    let team = Team::enrol(&server, COMMUNE, 1).await;
    let collaborator = &team.collaborators[0];
    let counselor = team
        .manager
        .invite_counselor(&server, COMMUNE, SCHOOL)
        .await;
    // The same school as typed by another hand: case and spaces differ.
    let colleague = team
        .officer
        .invite_counselor(&server, COMMUNE, "trường ptdtbt  THCS synthetic nậm sỏ")
        .await;
    let elsewhere = team
        .manager
        .invite_counselor(&server, COMMUNE, OTHER_SCHOOL)
        .await;

    let school_case = counselor
        .app
        .create_case(student_of("SYN-SCH-001", SCHOOL))
        .unwrap();
    // A student of another school: the counselor's own case, not its school's.
    let other_case = counselor
        .app
        .create_case(student_of("SYN-SCH-002", OTHER_SCHOOL))
        .unwrap();
    counselor.sync().await;
    for phone in [&colleague, &elsewhere, collaborator, &team.manager] {
        phone.sync().await;
    }
    assert!(
        reads(&colleague, school_case),
        "the school's other counselor reads it"
    );
    assert!(
        reads(&team.manager, school_case),
        "the commune's manager reads it"
    );
    assert!(
        !reads(&elsewhere, school_case),
        "another school's counselor does not"
    );
    assert!(!reads(collaborator, school_case), "a collaborator does not");
    assert!(!reads(&colleague, other_case), "not a case of the school");
    assert!(reads(&team.manager, other_case));

    // The colleague works on the case; the counselor who recorded it and
    // the manager see it, and nobody's audit takes the colleague off.
    note(
        &colleague,
        school_case,
        "Synthetic note by the colleague Brackwater",
    );
    let report = colleague.sync().await;
    assert_eq!(report.members_without_consent, 0);
    counselor.sync().await;
    team.manager.sync().await;
    for phone in [&counselor, &team.manager] {
        let notes = phone.app.case(school_case).unwrap().notes;
        assert!(notes
            .iter()
            .any(|n| n.value.text.contains("by the colleague")));
    }
    assert_eq!(team.manager.app.members_without_consent().unwrap(), 0);
    assert_no_case_content(&server);
}
on_both_backends!(a_school_s_cases_reach_its_counselors_and_the_managers_only);

async fn a_school_copied_by_the_operator_gives_nothing(backend: Backend) {
    let server = Server::start(backend);
    let team = Team::enrol(&server, COMMUNE, 0).await;
    let counselor = team
        .manager
        .invite_counselor(&server, COMMUNE, SCHOOL)
        .await;
    let elsewhere = team
        .manager
        .invite_counselor(&server, COMMUNE, OTHER_SCHOOL)
        .await;
    // The operator writes the counselor's certified school onto the other
    // counselor's row: the server now lists it as the school's.
    as_operator(
        &server.backend,
        "UPDATE devices SET school_grant = (SELECT d.school_grant FROM devices d \
         WHERE d.device_id <> $1 AND d.role = 'school_counselor' AND d.school_grant IS NOT NULL \
         LIMIT 1) WHERE device_id = $1",
        elsewhere.app.device_id().unwrap(),
    )
    .await;
    let case = counselor
        .app
        .create_case(student_of("SYN-SCH-003", SCHOOL))
        .unwrap();
    counselor.sync().await;
    elsewhere.sync().await;
    team.manager.sync().await;
    assert!(reads(&team.manager, case));
    assert!(
        !reads(&elsewhere, case),
        "a school the inviter did not sign for this counselor counts for nothing"
    );
}
on_both_backends!(a_school_copied_by_the_operator_gives_nothing);

fn step(phone: &Phone, case: CaseId, step: SchoolStep, on: chrono::NaiveDate) {
    let step = SchoolProcedureStep {
        step,
        on,
        note: None,
    };
    phone
        .app
        .act(case, CaseAction::RecordSchoolStep(step))
        .unwrap();
}

async fn a_school_s_procedure_shows_from_its_counselors_records(backend: Backend) {
    let server = Server::start(backend);
    let team = Team::enrol(&server, COMMUNE, 0).await;
    team.open_office().await;
    let counselor = team
        .manager
        .invite_counselor(&server, COMMUNE, SCHOOL)
        .await;
    let officer = &team.officer.app;
    let school = |name: &str| School {
        name: name.into(),
        commune: COMMUNE.into(),
        procedure_since: None,
    };
    // Declared by neither; the registry writes the name its own way.
    let registries = ProgrammeRegistries {
        schools: vec![
            school("TRƯỜNG PTDTBT THCS SYNTHETIC NẬM SỎ"),
            school(OTHER_SCHOOL),
        ],
        ..ProgrammeRegistries::default()
    };
    officer.record_registries(&registries).await.unwrap();

    let today = counselor.app.today();
    let case = counselor
        .app
        .create_case(student_of("SYN-SCH-004", SCHOOL))
        .unwrap();
    step(&counselor, case, SchoolStep::Detected, today);
    step(&counselor, case, SchoolStep::ReportedToPrincipal, today);
    // A student of another school, on the same phone: not its school's use.
    let other = counselor
        .app
        .create_case(student_of("SYN-SCH-005", OTHER_SCHOOL))
        .unwrap();
    step(&counselor, other, SchoolStep::Detected, today);
    counselor.sync().await;

    let listing = officer.registries().await.unwrap();
    let month = UseMonth {
        year: chrono::Datelike::year(&today),
        month: chrono::Datelike::month(&today),
    };
    let used: Vec<(&str, &str, UseMonth)> = listing
        .school_use
        .iter()
        .map(|u| (u.commune.as_str(), u.school.as_str(), u.month))
        .collect();
    assert_eq!(used, [(COMMUNE, SCHOOL, month)]);
    // A manager lists no school, nor their use.
    assert!(team
        .manager
        .app
        .registries()
        .await
        .unwrap()
        .school_use
        .is_empty());

    // The report: one school of two ran its procedure this period.
    let period = ReportPeriod::containing(today);
    let report = officer
        .annual_report_data(period.year, None, None)
        .await
        .unwrap();
    assert_eq!(
        report.indicator("share_schools_in_use").map(|i| &i.value),
        Some(&Value::Percent(50.0))
    );
    assert_eq!(
        report.indicator("share_schools").map(|i| &i.value),
        Some(&Value::Percent(0.0)),
        "declared by neither"
    );
    assert_no_case_content(&server);
}
on_both_backends!(a_school_s_procedure_shows_from_its_counselors_records);

/// Only a counselor with a certified school sends its school's use, and
/// only months that are months.
async fn school_use_comes_only_from_a_certified_counselor(backend: Backend) {
    let server = Server::start(backend);
    let team = Team::enrol(&server, COMMUNE, 0).await;
    let use_of = |months: Vec<UseMonth>| encode(&SchoolUse { months });
    let month = |month| UseMonth { year: 2026, month };
    let code = team.manager.app.invite(Role::Collaborator, COMMUNE, 24);
    let collaborator = RawDevice::enrol(&server, &code.await.unwrap().code).await;
    let code = team.manager.app.invite(Role::SchoolCounselor, COMMUNE, 24);
    let without_school = RawDevice::enrol(&server, &code.await.unwrap().code).await;
    let code = team.manager.app.invite_counselor(COMMUNE, SCHOOL, 24);
    let counselor = RawDevice::enrol(&server, &code.await.unwrap().code).await;
    for device in [&collaborator, &without_school] {
        let response = device
            .post("/v1/stats/school-use", use_of(vec![month(3)]), true)
            .await;
        assert_eq!(
            (response.status, response.error_code().as_str()),
            (403, "not_a_school_counselor")
        );
    }
    let bad = counselor
        .post("/v1/stats/school-use", use_of(vec![month(13)]), true)
        .await;
    assert_eq!(
        (bad.status, bad.error_code().as_str()),
        (422, "bad_school_use")
    );
    let sent = use_of(vec![month(3), month(4)]);
    for _ in 0..2 {
        let ok = counselor
            .post("/v1/stats/school-use", sent.clone(), true)
            .await;
        assert_eq!(ok.status, 200, "{}", ok.error_code());
    }
    let listing = team.officer.app.registries().await.unwrap();
    assert_eq!(listing.school_use.len(), 2, "each month kept once");
}
on_both_backends!(school_use_comes_only_from_a_certified_counselor);
