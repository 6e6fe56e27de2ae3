//! Sorting online reports on a manager's phone. Synthetic reports only.

use super::*;
use crate::app::tests::new_app;
use crate::cases::sample_intake;
use crate::online_report::tests::report;
use crate::online_report::{keep, ReceivedReport};

fn received(id: &str, readable: bool) -> ReceivedReport {
    ReceivedReport {
        id: id.into(),
        received_at_ms: 1_790_000_000_000,
        report: readable.then(|| report("mu_ca")),
        unreadable: (!readable).then(|| "tampered".into()),
        triage: ReportTriage::Waiting,
    }
}

fn manager_with_reports() -> (tempfile::TempDir, Vault) {
    let (dir, app) = new_app();
    app.enrol_offline(Role::CommuneCaseManager, "mu_ca")
        .unwrap();
    app.with_store(|s| keep(s, vec![received("aa", true), received("bb", false)]))
        .unwrap();
    (dir, app)
}

#[test]
fn a_case_opened_from_a_report_holds_all_it_says() {
    let (_dir, app) = manager_with_reports();
    assert_eq!(app.online_reports().unwrap().len(), 2);
    let case_id = app.create_case(sample_intake("ONLINE-1")).unwrap();
    app.triage_online_report("aa", ReportTriage::CaseOpened { case_id })
        .unwrap();
    let case = app.case(case_id).unwrap();
    let note = &case.notes.last().unwrap().value.text;
    for said in [
        "Báo cáo trực tuyến",
        "hàng xóm",
        "bạo lực thể chất, bạo lực tinh thần",
        "quorvane slithermoss",
        "Bản Synthetic",
        "nhắn tin, số +84 900 000 000, lúc after 18:00",
    ] {
        assert!(note.contains(said), "{said} missing from {note}");
    }
    let sorted = app.online_reports().unwrap();
    assert_eq!(
        sorted.iter().find(|r| r.id == "aa").unwrap().triage,
        ReportTriage::CaseOpened { case_id }
    );
    // Sorted once.
    assert!(matches!(
        app.triage_online_report("aa", ReportTriage::Linked { case_id }),
        Err(Error::NotAllowed(Refusal::AlreadyTriaged))
    ));
}

#[test]
fn an_unreadable_report_can_only_be_dismissed_with_a_reason() {
    let (_dir, app) = manager_with_reports();
    let case_id = app.create_case(sample_intake("ONLINE-2")).unwrap();
    let notes = app.case(case_id).unwrap().notes.len();
    assert!(matches!(
        app.triage_online_report("bb", ReportTriage::Linked { case_id }),
        Err(Error::Invalid { .. })
    ));
    assert_eq!(app.case(case_id).unwrap().notes.len(), notes);
    for blank in ["", "   "] {
        let dismissed = ReportTriage::Dismissed {
            reason: blank.into(),
        };
        assert!(matches!(
            app.triage_online_report("bb", dismissed),
            Err(Error::Invalid { .. })
        ));
    }
    let reason = ReportTriage::Dismissed {
        reason: "Duplicate of a report already sorted (synthetic)".into(),
    };
    app.triage_online_report("bb", reason.clone()).unwrap();
    assert!(matches!(
        app.triage_online_report("zz", reason),
        Err(Error::NotFound(_))
    ));
    assert!(matches!(
        app.triage_online_report("aa", ReportTriage::Waiting),
        Err(Error::Invalid { .. })
    ));
}

#[test]
fn only_a_commune_case_manager_sees_or_sorts_reports() {
    let (_dir, app) = new_app();
    app.enrol_offline(Role::Collaborator, "mu_ca").unwrap();
    assert!(matches!(
        app.online_reports(),
        Err(Error::NotAllowed(Refusal::ManagersOnly))
    ));
    let dismissed = ReportTriage::Dismissed {
        reason: "synthetic".into(),
    };
    assert!(matches!(
        app.triage_online_report("aa", dismissed),
        Err(Error::NotAllowed(Refusal::ManagersOnly))
    ));
}
