//! A school's cases, through a real server on SQLite and PostgreSQL: the
//! case of a student that a school counselor records is shared with the
//! other counselors of the student's school (certified so by the manager
//! who invited them) and the commune's case managers, and with no one else:
//! not another school's counselor, not the commune's collaborators. An
//! operator who copies a counselor's certified school onto another
//! counselor's row gives that counselor nothing. Synthetic data only.

use crate::support::{as_operator, assert_no_case_content, intake, Backend, Phone, Server, Team};
use binhan_core::cases::{CaseAction, CaseIntake};
use binhan_core::model::{CaseId, Note};

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
