//! Work on a case through `AppCore` alone: a referral refused without
//! consent and recorded with it, a follow-up, a note, closing with the
//! checklist, the forms that then refuse, reopening; a transfer to another
//! commune (a manager's, with consent); the case's detail sections and
//! history follow. Synthetic data (today is 2026-11-15 on
//! the harness's clock).

use super::support::*;
use crate::event::Event;
use crate::render::has_error;
use crate::screens::cases::CaseSummaryView;
use crate::screens::casework::{DetailSection, WorkField, WorkKind, WorkView};
use crate::view::{Screen, ViewModel};

fn summary(view: &ViewModel) -> &CaseSummaryView {
    match &view.screen {
        Screen::CaseSummary { view } => view,
        other => panic!("expected the case summary, got {other:?}"),
    }
}

fn work(view: &ViewModel) -> &WorkView {
    match &view.screen {
        Screen::CaseWork { view } => view,
        other => panic!("expected a case-work form, got {other:?}"),
    }
}

fn section<'a>(view: &'a CaseSummaryView, code: &str) -> &'a DetailSection {
    view.sections
        .iter()
        .find(|s| s.code == code)
        .unwrap_or_else(|| panic!("no section {code}"))
}

fn set(h: &Harness, field: WorkField, value: &str) -> ViewModel {
    h.send(Event::SetWork {
        field,
        value: value.into(),
    })
}

fn open_work(h: &Harness, case: &str, kind: WorkKind) -> ViewModel {
    h.send(Event::OpenCaseWork {
        case: case.into(),
        kind,
    })
}

/// The summary's action that opens the form `kind`.
fn summary_action(view: ViewModel, kind: WorkKind) -> crate::view::Action {
    summary(&view)
        .actions
        .iter()
        .find(|a| matches!(&a.event, Event::OpenCaseWork { kind: k, .. } if *k == kind))
        .cloned()
        .unwrap_or_else(|| panic!("a {kind:?} action"))
}

/// Why the form cannot be saved yet, by code.
fn why_not_saved(view: &ViewModel) -> Option<&str> {
    work(view)
        .save
        .disabled_reason
        .as_ref()
        .map(|r| r.code.as_str())
}

fn fields(view: &ViewModel) -> Vec<WorkField> {
    work(view).fields.iter().map(|f| f.field).collect()
}

/// Closing is a commune case manager's (their signed closing is the
/// approval): a collaborator's phone shows the action disabled with the
/// reason, and the core refuses it if asked anyway; a manager's closes.
#[test]
fn only_a_commune_case_manager_closes_a_case() {
    use binhan_core::model::Role;
    let closable = |role| {
        let h = Harness::seeded_as(role);
        h.unlock(PIN);
        let id = h.id("SYN-001");
        let close = summary_action(h.send(Event::OpenCase { id: id.clone() }), WorkKind::Close);
        (close.enabled, close.disabled_reason.map(|r| r.code))
    };
    assert_eq!(
        closable(Role::Collaborator),
        (false, Some("closure_needs_manager".to_string()))
    );
    assert_eq!(closable(Role::CommuneCaseManager), (true, None));
}

/// Transferring to the commune the survivor moved to: a manager's action
/// (a collaborator's phone says why not), the survivor's consent for that
/// commune asked first, the case's commune and history then show the move.
#[test]
fn a_manager_transfers_a_case_with_the_survivor_s_consent() {
    use binhan_core::model::Role;
    let transfer_action = |h: &Harness, id: &str| {
        summary_action(
            h.send(Event::OpenCase { id: id.into() }),
            WorkKind::Transfer,
        )
    };
    let collaborator = Harness::seeded_as(Role::Collaborator);
    collaborator.unlock(PIN);
    let action = transfer_action(&collaborator, &collaborator.id("SYN-001"));
    assert_eq!(
        action.disabled_reason.map(|r| r.code),
        Some("transfer_needs_manager".to_string())
    );

    let h = Harness::seeded_as(Role::CommuneCaseManager);
    h.unlock(PIN);
    let id = h.id("SYN-001");
    let form = h.send(transfer_action(&h, &id).event);
    assert_eq!(fields(&form), [WorkField::Commune]);
    let communes = match &work(&form).fields[0].kind {
        crate::screens::intake::FieldKind::Choice { options } => {
            options.iter().map(|o| o.label.clone()).collect::<Vec<_>>()
        }
        other => panic!("a choice, got {other:?}"),
    };
    assert!(communes.contains(&"Xã Tam Đường".to_string()));
    assert!(
        !communes.contains(&"Xã Mù Cả".to_string()),
        "not where it is"
    );
    let view = set(&h, WorkField::Commune, "tam_duong");
    assert_eq!(fields(&view), [WorkField::Commune, WorkField::Consent]);
    assert_eq!(why_not_saved(&view), Some("consent_missing"));
    let refused = set(&h, WorkField::Consent, "no");
    let error = work(&refused).fields[1]
        .error
        .as_ref()
        .map(|e| e.code.as_str());
    assert_eq!(error, Some("transfer_needs_consent"));
    set(&h, WorkField::Consent, "yes");
    let done = h.send(Event::Submit);
    assert_eq!(done.messages[0].reason.code, "case_transferred");
    let row = summary(&done)
        .rows
        .iter()
        .find(|r| r.code == "commune")
        .map(|r| r.value.clone());
    assert_eq!(row.as_deref(), Some("Xã Tam Đường"));
    let history = section(summary(&done), "history");
    assert_eq!(history.items[0].title, "Chuyển hồ sơ đến Xã Tam Đường");
    assert_eq!(
        history.items[1].title,
        "Đồng ý: chuyển hồ sơ sang xã · Xã Tam Đường"
    );
}

#[test]
fn a_referral_needs_consent_and_the_case_records_every_step_to_closure() {
    let h = Harness::seeded(delaying_policy(), None);
    h.unlock(PIN);
    let id = h.id("SYN-001");
    let view = h.send(Event::OpenCase { id: id.clone() });
    let detail = summary(&view);
    assert_eq!(section(detail, "services").items.len(), 0);
    assert_eq!(
        section(detail, "services").empty.as_deref(),
        Some("Chưa ghi nhận dịch vụ nào")
    );
    assert!(!section(detail, "history").items.is_empty());

    // A referral: consent is asked for, and saving waits for it.
    open_work(&h, &id, WorkKind::Service);
    set(&h, WorkField::Service, "legal_aid");
    set(&h, WorkField::Outcome, "referred");
    let view = set(&h, WorkField::Provider, "Trung tâm TGPL tỉnh (synthetic)");
    assert!(fields(&view).contains(&WorkField::Consent));
    let save = &work(&view).save;
    assert!(!save.enabled);
    assert_eq!(
        save.disabled_reason.as_ref().map(|r| r.code.as_str()),
        Some("consent_missing")
    );
    let refused = h.send(Event::Submit);
    assert!(has_error(&refused, "form_has_errors"));
    let view = set(&h, WorkField::Consent, "no");
    assert_eq!(why_not_saved(&view), Some("consent_missing"));
    // An adult gives consent herself: no "given by" question.
    let view = set(&h, WorkField::Consent, "yes");
    assert!(!fields(&view).contains(&WorkField::ConsentGivenBy));
    assert!(work(&view).save.enabled);
    let view = h.send(Event::Submit);
    assert!(view
        .messages
        .iter()
        .any(|m| m.reason.code == "service_saved"));
    let detail = summary(&view);
    let services = section(detail, "services");
    assert_eq!(services.items.len(), 1);
    assert_eq!(services.items[0].title, "trợ giúp pháp lý · đã chuyển gửi");
    assert!(detail
        .rows
        .iter()
        .any(|r| r.code == "services" && r.value == "1"));
    let history = section(detail, "history");
    // Newest first: the referral, and the consent recorded just before it.
    assert_eq!(
        history.items[0].title,
        "Dịch vụ: trợ giúp pháp lý · đã chuyển gửi"
    );
    assert_eq!(
        history.items[1].title,
        "Đồng ý: trợ giúp pháp lý · Trung tâm TGPL tỉnh (synthetic)"
    );
    assert!(history.items[0].meta.ends_with("máy này"));

    // A second referral to the same provider asks nothing more (the
    // recipient compares as core's key does: case and spaces aside).
    open_work(&h, &id, WorkKind::Service);
    set(&h, WorkField::Service, "legal_aid");
    set(&h, WorkField::Outcome, "referred");
    let view = set(
        &h,
        WorkField::Provider,
        "  trung tâm tgpl tỉnh (SYNTHETIC) ",
    );
    assert!(!fields(&view).contains(&WorkField::Consent));
    h.send(Event::Back);

    // A follow-up, with every problem shown at once first.
    open_work(&h, &id, WorkKind::FollowUp);
    set(&h, WorkField::Date, "16/11/2026");
    let view = set(&h, WorkField::NextDate, "01/11/2026");
    let errors: Vec<_> = work(&view)
        .fields
        .iter()
        .filter_map(|f| f.error.as_ref().map(|e| (f.field, e.code.as_str())))
        .collect();
    assert_eq!(
        errors,
        vec![
            (WorkField::Date, "in_future"),
            (WorkField::NextDate, "follow_up_in_past")
        ]
    );
    set(&h, WorkField::Date, "15/11/2026");
    set(&h, WorkField::NextDate, "22/11/2026");
    let view = h.send(Event::Submit);
    let detail = summary(&view);
    assert_eq!(
        section(detail, "follow_ups").items[0].detail.as_deref(),
        Some("Theo dõi tiếp: 22/11/2026")
    );
    assert!(detail
        .rows
        .iter()
        .any(|r| r.code == "next_follow_up" && r.value == "22/11/2026"));

    // A note.
    open_work(&h, &id, WorkKind::Note);
    set(&h, WorkField::Note, "Synthetic note: called, all well.");
    let view = h.send(Event::Submit);
    assert_eq!(
        section(summary(&view), "notes").items[0].title,
        "Synthetic note: called, all well."
    );

    // Closing needs every checklist item.
    let close = summary(&view)
        .actions
        .iter()
        .find(|a| {
            a.event
                == Event::OpenCaseWork {
                    case: id.clone(),
                    kind: WorkKind::Close,
                }
        })
        .expect("close is offered on an open case")
        .clone();
    h.send(close.event);
    set(&h, WorkField::ClosureReason, "needs_met");
    let view = h.send(Event::ToggleWork {
        field: WorkField::Checklist,
        code: "safety_reviewed".into(),
    });
    let checklist = work(&view)
        .fields
        .iter()
        .find(|f| f.field == WorkField::Checklist)
        .expect("checklist");
    assert_eq!(
        checklist.error.as_ref().map(|e| e.code.as_str()),
        Some("checklist_incomplete")
    );
    for code in [
        "needs_met_or_declined",
        "survivor_informed_can_return",
        "service_outcomes_recorded",
        "supervisor_reviewed",
    ] {
        h.send(Event::ToggleWork {
            field: WorkField::Checklist,
            code: code.into(),
        });
    }
    let view = h.send(Event::Submit);
    let detail = summary(&view);
    assert!(detail
        .rows
        .iter()
        .any(|r| r.code == "status" && r.value == "đã đóng hồ sơ"));
    // Closed: services and follow-ups are disabled with the reason, and
    // cannot be opened by sending the event anyway; a note still can.
    let add = section(detail, "services").add.as_ref().expect("add");
    assert!(!add.enabled);
    assert_eq!(
        add.disabled_reason.as_ref().map(|r| r.code.as_str()),
        Some("case_closed")
    );
    assert!(section(detail, "notes").add.as_ref().expect("note").enabled);
    let refused = open_work(&h, &id, WorkKind::FollowUp);
    assert!(has_error(&refused, "case_closed"));
    assert!(matches!(refused.screen, Screen::CaseSummary { .. }));

    // Reopen, with a reason.
    open_work(&h, &id, WorkKind::Reopen);
    let view = h.send(Event::Submit);
    assert!(has_error(&view, "form_has_errors"));
    set(&h, WorkField::Reason, "New incident reported (synthetic)");
    let view = h.send(Event::Submit);
    assert!(view
        .messages
        .iter()
        .any(|m| m.reason.code == "case_reopened"));
    assert_eq!(
        section(summary(&view), "history").items[0].title,
        "Mở lại hồ sơ: New incident reported (synthetic)"
    );
}

#[test]
fn consent_for_a_child_names_who_gives_it_and_forms_refuse_nonsense() {
    let h = Harness::seeded(delaying_policy(), None);
    h.unlock(PIN);
    let id = h.id("SYN-002");
    // Not from the summary of that case: refused.
    let refused = open_work(&h, &id, WorkKind::Note);
    assert!(has_error(&refused, "not_available_here"));
    h.send(Event::OpenCase { id: id.clone() });
    // An open case cannot be reopened.
    assert!(has_error(
        &open_work(&h, &id, WorkKind::Reopen),
        "not_available_here"
    ));
    open_work(&h, &id, WorkKind::Service);
    set(&h, WorkField::Service, "health");
    set(&h, WorkField::Outcome, "referred");
    set(&h, WorkField::Provider, "Trạm y tế xã (synthetic)");
    let view = set(&h, WorkField::Consent, "yes");
    // The survivor is 15: who gives consent is asked.
    assert!(fields(&view).contains(&WorkField::ConsentGivenBy));
    assert!(!work(&view).save.enabled);
    // A value the field does not take, a field of another form: refused,
    // the form unchanged.
    let before = work(&view).clone();
    let bad = set(&h, WorkField::Outcome, "maybe");
    assert!(has_error(&bad, "not_available_here"));
    assert!(has_error(
        &set(&h, WorkField::Reason, "x"),
        "not_available_here"
    ));
    assert_eq!(work(&h.send(Event::Tick)).fields, before.fields);
    set(&h, WorkField::ConsentGivenBy, "survivor");
    assert!(work(&h.core.view()).save.enabled);
    // Quick exit forgets the form: after unlocking it is gone.
    h.send(Event::QuickExit);
    let home = h.unlock(PIN);
    assert!(matches!(home.screen, Screen::Home { .. }));
    assert!(has_error(
        &set(&h, WorkField::Note, "x"),
        "not_available_here"
    ));
}

/// A student's case follows the school procedure: its section offers only
/// the steps possible now, and each step recorded opens the next.
#[test]
fn a_counselor_records_the_school_procedure_step_by_step() {
    use binhan_core::app::Vault;
    use binhan_core::cases::CaseAction;
    use binhan_core::model::Role;
    let h = Harness::seeded_as(Role::SchoolCounselor);
    let id = h.id("SYN-002");
    {
        let vault = Vault::open(&h.vault_path(), config(delaying_policy())).expect("open");
        vault.unlock(PIN).expect("unlock");
        let case = id.parse().expect("an id");
        let mut survivor = vault.case(case).expect("case").survivor;
        survivor.student = Some(true);
        vault
            .act(case, CaseAction::UpdateSurvivor(survivor))
            .expect("a student");
    }
    h.unlock(PIN);
    let view = h.send(Event::OpenCase { id: id.clone() });
    let school = section(summary(&view), "school");
    assert_eq!(school.empty.as_deref(), Some("Chưa ghi nhận bước nào"));
    let step_options = |view: &ViewModel| match &work(view).fields[0].kind {
        crate::screens::intake::FieldKind::Choice { options } => {
            options.iter().map(|o| o.label.clone()).collect::<Vec<_>>()
        }
        other => panic!("a choice, got {other:?}"),
    };
    let form = h.send(school.add.clone().expect("record a step").event);
    assert_eq!(
        fields(&form),
        [WorkField::Step, WorkField::Date, WorkField::Note]
    );
    assert_eq!(step_options(&form), ["phát hiện"]);
    set(&h, WorkField::Step, "detected");
    let saved = h.send(Event::Submit);
    assert_eq!(saved.messages[0].reason.code, "school_step_saved");
    assert_eq!(
        section(summary(&saved), "school").items[0].title,
        "phát hiện"
    );
    let next = open_work(&h, &id, WorkKind::SchoolStep);
    assert_eq!(step_options(&next), ["báo cáo hiệu trưởng"]);
}
