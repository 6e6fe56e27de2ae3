//! The programme registries of a commune case manager, against a real
//! server process on SQLite and on PostgreSQL: a manager records and lists
//! the training sessions held in its own commune (the commune comes from
//! its enrolment), is refused another commune's sessions and the other
//! registries with a coded reason, and the officer sees and corrects
//! everything. Synthetic data only.

use crate::support::{Backend, Server, Team};
use binhan_core::model::Role;
use binhan_core::stats::registry::{
    Attendee, ProgrammeRegistries, School, TraineeRole, TrainingSession,
};
use binhan_core::Error;
use chrono::NaiveDate;

const COMMUNE: &str = "pa_u";
const OTHER: &str = "mu_ca";

fn session(commune: &str, people: &[&str]) -> TrainingSession {
    TrainingSession {
        date: NaiveDate::from_ymd_opt(2026, 6, 2).unwrap(),
        commune: commune.into(),
        title: "Tập huấn cộng tác viên (synthetic)".into(),
        attendees: people
            .iter()
            .map(|p| Attendee {
                person: (*p).into(),
                commune: commune.into(),
                role: TraineeRole::Collaborator,
            })
            .collect(),
    }
}

fn sessions(list: Vec<TrainingSession>) -> ProgrammeRegistries {
    ProgrammeRegistries {
        training_sessions: list,
        ..Default::default()
    }
}

fn refused<T: std::fmt::Debug>(result: Result<T, Error>, expected: &str) {
    match result {
        Err(Error::Refused { status, code, .. }) => {
            assert_eq!((status, code.as_str()), (403, expected))
        }
        other => panic!("expected {expected}: {other:?}"),
    }
}

async fn a_manager_records_the_sessions_of_its_commune(backend: Backend) {
    let server = Server::start(backend);
    let team = Team::enrol(&server, COMMUNE, 0).await;
    let other = team
        .officer
        .invite_phone(&server, Role::CommuneCaseManager, OTHER)
        .await;
    let manager = &team.manager.app;

    let own = sessions(vec![session(COMMUNE, &["SYN-A", "SYN-B"])]);
    let counts = manager.record_registries(&own).await.unwrap();
    assert_eq!((counts.training_sessions, counts.attendees), (1, 2));

    // Another commune's session, a provincial one, a school: refused, and
    // nothing of a refused update is recorded.
    refused(
        manager
            .record_registries(&sessions(vec![
                session(COMMUNE, &["SYN-C"]),
                session(OTHER, &["SYN-D"]),
            ]))
            .await,
        "session_of_other_commune",
    );
    refused(
        manager
            .record_registries(&sessions(vec![session(
                binhan_core::stats::registry::PROVINCE,
                &[],
            )]))
            .await,
        "session_of_other_commune",
    );
    let mut school = own.clone();
    school.schools.push(School {
        name: "Trường (synthetic)".into(),
        commune: COMMUNE.into(),
        procedure_since: None,
    });
    refused(
        manager.record_registries(&school).await,
        "only_training_sessions",
    );

    // The officer records elsewhere; each manager lists its own commune's
    // sessions only, and no school.
    let officer = &team.officer.app;
    let mut theirs = sessions(vec![session(OTHER, &["SYN-E"])]);
    theirs.schools = school.schools.clone();
    officer.record_registries(&theirs).await.unwrap();
    assert_eq!(manager.registries().await.unwrap().entries, own);
    let seen_there = other.app.registries().await.unwrap().entries;
    assert_eq!(seen_there, sessions(vec![session(OTHER, &["SYN-E"])]));

    // The officer sees everything and corrects the manager's session (its
    // attendance replaced); the manager sees the correction.
    let all = officer.registries().await.unwrap().entries;
    assert_eq!(all.training_sessions.len(), 2);
    assert_eq!(all.schools.len(), 1);
    let corrected = sessions(vec![session(COMMUNE, &["SYN-A"])]);
    officer.record_registries(&corrected).await.unwrap();
    assert_eq!(manager.registries().await.unwrap().entries, corrected);
}
on_both_backends!(a_manager_records_the_sessions_of_its_commune);
