//! Recording an incident through `AppCore` alone, as a shell drives it:
//! every error at once, conditional fields, the caregiver rule, the draft
//! resumed after the app is killed, quick exit, and events that do not fit.
//! All data here is synthetic.

use super::support::*;
use crate::event::{Event, Target};
use crate::render::has_error;
use crate::screens::intake::{FieldKind, IntakeField as F, IntakeList, IntakeStep, IntakeView};
use crate::view::{Screen, ViewModel};

/// Free text typed into the form that must never show once locked.
const ACCOUNT: &str = "Synthetic account quokkaflint, NOT REAL";

fn form(view: &ViewModel) -> &IntakeView {
    match &view.screen {
        Screen::RecordIncident { view } => view,
        other => panic!("expected the intake form, got {other:?}"),
    }
}

fn set(h: &Harness, field: F, value: &str) -> ViewModel {
    set_row(h, field, 0, value)
}

fn set_row(h: &Harness, field: F, row: u32, value: &str) -> ViewModel {
    h.send(Event::SetIntake {
        field,
        row,
        value: value.into(),
    })
}

fn toggle(h: &Harness, field: F, code: &str) -> ViewModel {
    h.send(Event::ToggleIntake {
        field,
        row: 0,
        code: code.into(),
    })
}

/// Error codes of the shown fields (rows included), by field.
fn errors(view: &IntakeView) -> Vec<(F, String)> {
    view.fields
        .iter()
        .chain(view.rows.iter().flat_map(|r| r.fields.iter()))
        .filter_map(|f| f.error.as_ref().map(|e| (f.field, e.code.clone())))
        .collect()
}

fn shown(view: &IntakeView) -> Vec<F> {
    view.fields.iter().map(|f| f.field).collect()
}

fn open_form(h: &Harness) -> ViewModel {
    h.send(Event::Open {
        target: Target::RecordIncident,
    })
}

/// Fills the survivor step: a girl of 16, a student.
fn fill_survivor(h: &Harness) {
    set(h, F::SurvivorCode, "SYN-IN-01");
    set(h, F::Sex, "female");
    set(h, F::AgeYears, "16");
    set(h, F::Student, "yes");
    set(h, F::School, "Synthetic school quokkaflint");
    set(h, F::Commune, "mu_ca");
}

#[test]
fn a_collaborator_records_an_incident_step_by_step() {
    let h = Harness::fresh();
    h.open_gate();
    h.set_field(crate::event::Field::Pin, PIN);
    h.set_field(crate::event::Field::PinConfirm, PIN);
    let home = h.send(Event::Submit);
    let record = &super::support::home(&home).actions[0];
    assert!(record.enabled, "recording is offered: {record:?}");

    let opened = open_form(&h);
    let view = form(&opened);
    assert_eq!(view.step, IntakeStep::Survivor);
    assert_eq!(view.step_label, "Bước 1/6 · Người bị bạo lực");
    assert!(errors(view).is_empty(), "no error before the step is left");
    assert!(
        !shown(view).contains(&F::School),
        "a school only for a student"
    );
    assert_eq!(view.steps.len(), 6);

    // Every error of the step at once, and the step stays.
    let stuck = h.send(Event::Next);
    let view = form(&stuck);
    assert_eq!(view.step, IntakeStep::Survivor);
    assert_eq!(
        errors(view),
        [
            (F::SurvivorCode, "required".to_string()),
            (F::Sex, "required".to_string()),
            (F::Commune, "required".to_string()),
        ]
    );

    // Wrong values are named, in the view's language.
    set(&h, F::SurvivorCode, "mã có dấu");
    set(&h, F::AgeYears, "mười sáu");
    let view = set(&h, F::DateOfBirth, "31/02/2010");
    let wrong = errors(form(&view));
    assert!(
        wrong.contains(&(F::SurvivorCode, "bad_code".into())),
        "{wrong:?}"
    );
    assert!(wrong.contains(&(F::AgeYears, "bad_number".into())));
    assert!(wrong.contains(&(F::DateOfBirth, "bad_date".into())));
    set(&h, F::DateOfBirth, "");

    fill_survivor(&h);
    let view = h.core.view();
    assert!(shown(form(&view)).contains(&F::School));
    let incident = h.send(Event::Next);
    assert_eq!(form(&incident).step, IntakeStep::Incident);
    let reported_on = form(&incident)
        .fields
        .iter()
        .find(|f| f.field == F::ReportedOn)
        .expect("reported on");
    assert_eq!(reported_on.value, "2026-11-15", "today by default");

    set(&h, F::IncidentDate, "16/11/2026");
    let future = h.send(Event::Next);
    assert!(errors(form(&future)).contains(&(F::IncidentDate, "in_future".into())));
    set(&h, F::IncidentDate, "12/11/2026");
    set(&h, F::PlaceType, "school");
    set(&h, F::IncidentCommune, "mu_ca");
    set(&h, F::ViolenceType, "psychological_abuse");
    toggle(&h, F::Contexts, "school");
    toggle(&h, F::Contexts, "online");
    let view = toggle(&h, F::Contexts, "online");
    let contexts = form(&view)
        .fields
        .iter()
        .find(|f| f.field == F::Contexts)
        .expect("contexts");
    let FieldKind::MultiChoice { options } = &contexts.kind else {
        panic!("{contexts:?}")
    };
    assert_eq!(options.iter().filter(|o| o.selected).count(), 1);
    set(&h, F::Account, ACCOUNT);
    let perpetrators = h.send(Event::Next);
    let view = form(&perpetrators);
    assert_eq!(view.step, IntakeStep::Perpetrators);
    assert_eq!(view.rows.len(), 1);

    // The alleged perpetrator is the girl's caregiver.
    set_row(&h, F::PerpetratorSex, 0, "male");
    set_row(&h, F::PerpetratorRelationship, 0, "parent_caregiver");
    h.send(Event::AddIntakeRow {
        list: IntakeList::Perpetrators,
    });
    let removed = h.send(Event::RemoveIntakeRow {
        list: IntakeList::Perpetrators,
        row: 1,
    });
    assert_eq!(form(&removed).rows.len(), 1);
    let risk = h.send(Event::Next);
    assert_eq!(form(&risk).step, IntakeStep::Risk);

    toggle(&h, F::RiskFactors, "lives_with_perpetrator");
    let stuck = h.send(Event::Next);
    assert_eq!(
        errors(form(&stuck)),
        [(F::RiskLevel, "risk_level_needed".to_string())]
    );
    set(&h, F::RiskLevel, "high");
    set(&h, F::SafePlace, "Synthetic aunt's house");
    let consent = h.send(Event::Next);
    let view = form(&consent);
    assert_eq!(view.step, IntakeStep::Consent);
    assert!(
        shown(view).contains(&F::ConsentGivenBy),
        "a child: who consents is asked"
    );

    // A caregiver who is the alleged perpetrator cannot consent for her.
    set(&h, F::StatisticsConsent, "yes");
    set(&h, F::ConsentGivenBy, "caregiver");
    let stuck = h.send(Event::Next);
    assert_eq!(
        errors(form(&stuck)),
        [(F::ConsentGivenBy, "caregiver_is_perpetrator".to_string())]
    );
    set(&h, F::ConsentGivenBy, "survivor");
    h.send(Event::AddIntakeRow {
        list: IntakeList::Consents,
    });
    h.send(Event::AddIntakeRow {
        list: IntakeList::Consents,
    });
    for row in 0..2 {
        set_row(&h, F::ConsentService, row, "health");
        set_row(&h, F::ConsentGranted, row, "yes");
    }
    set_row(&h, F::ConsentRecipient, 0, "Trạm y tế xã (synthetic)");
    set_row(&h, F::ConsentRecipient, 1, "  trạm Y TẾ xã (synthetic) ");
    let stuck = h.send(Event::Next);
    assert_eq!(
        errors(form(&stuck)),
        [(F::ConsentRecipient, "duplicate_consent".to_string())],
        "recipients compare as core compares them"
    );
    h.send(Event::RemoveIntakeRow {
        list: IntakeList::Consents,
        row: 1,
    });
    set(&h, F::NextFollowUp, "2026-11-20");

    let review = h.send(Event::Next);
    let view = form(&review);
    assert_eq!(view.step, IntakeStep::Review);
    assert!(view.problems.is_empty(), "{:?}", view.problems);
    assert!(view.save.as_ref().is_some_and(|s| s.enabled));
    let survivor = &view.review[0];
    assert!(survivor
        .rows
        .iter()
        .any(|r| r.code == "sex" && r.value == "nữ"));
    let incident = &view.review[1];
    assert!(incident
        .rows
        .iter()
        .any(|r| r.code == "incident_date" && r.value == "12/11/2026"));

    let saved = h.send(Event::Submit);
    assert!(
        matches!(saved.screen, Screen::CaseSummary { .. }),
        "{:?}",
        saved.screen
    );
    assert_eq!(saved.messages[0].reason.code, "case_saved");
    // Back from the summary goes home, not into an empty form.
    let back = h.send(Event::Back);
    let home = super::support::home(&back);
    assert_eq!(home.recent.len(), 1);
    assert!(home.overdue.is_empty());

    // The draft is gone: a new form is empty.
    let again = open_form(&h);
    assert!(again.messages.is_empty(), "{:?}", again.messages);
    let code = form(&again).fields[0].value.clone();
    assert_eq!(code, "");
}

#[test]
fn the_draft_survives_the_app_being_killed_and_quick_exit_shows_none_of_it() {
    let mut h = Harness::seeded(delaying_policy(), None);
    h.unlock(PIN);
    open_form(&h);
    fill_survivor(&h);
    h.send(Event::Next);
    set(&h, F::Account, ACCOUNT);

    let exited = h.send(Event::QuickExit);
    assert_camouflaged(&h, &exited);
    let json = serde_json::to_string(&exited).expect("json");
    assert!(!json.contains("quokkaflint") && !json.contains("SYN-IN-01"));

    // Killed: a new app over the same vault resumes the draft.
    h.restart();
    h.unlock(PIN);
    let resumed = open_form(&h);
    assert_eq!(resumed.messages[0].reason.code, "draft_resumed");
    let view = form(&resumed);
    assert_eq!(view.step, IntakeStep::Incident);
    assert!(view
        .fields
        .iter()
        .any(|f| f.field == F::Account && f.value == ACCOUNT));

    // Discarding forgets it.
    let discarded = h.send(Event::DiscardDraft);
    assert_eq!(discarded.messages[0].reason.code, "draft_discarded");
    let fresh = open_form(&h);
    assert!(fresh.messages.is_empty());
    assert_eq!(form(&fresh).step, IntakeStep::Survivor);
}

#[test]
fn events_that_do_not_fit_are_refused_in_the_view() {
    let h = Harness::seeded(delaying_policy(), None);
    // Locked: nothing of the form.
    h.open_gate();
    let refused = set(&h, F::SurvivorCode, "SYN-X");
    assert!(has_error(&refused, "not_available_here"));
    h.enter_pin(PIN);
    // On the home screen.
    assert!(has_error(&h.send(Event::Next), "not_available_here"));
    open_form(&h);
    // A hidden field, an unknown choice, a row that does not exist, a list
    // of another step.
    assert!(has_error(&set(&h, F::School, "x"), "not_available_here"));
    assert!(has_error(
        &toggle(&h, F::Contexts, "launch"),
        "not_available_here"
    ));
    assert!(has_error(
        &set_row(&h, F::PerpetratorSex, 3, "male"),
        "not_available_here"
    ));
    assert!(has_error(
        &h.send(Event::AddIntakeRow {
            list: IntakeList::Consents
        }),
        "not_available_here"
    ));
    // Saving from the first step shows every problem on the review.
    let saved = h.send(Event::Submit);
    assert!(has_error(&saved, "form_has_errors"));
    let view = form(&saved);
    assert_eq!(view.step, IntakeStep::Review);
    assert!(!view.save.as_ref().is_some_and(|s| s.enabled));
    let steps: Vec<IntakeStep> = view.problems.iter().map(|p| p.step).collect();
    assert_eq!(
        steps,
        [
            IntakeStep::Survivor,
            IntakeStep::Incident,
            IntakeStep::Perpetrators,
            IntakeStep::Consent
        ]
    );
    // Back walks the steps, then leaves the form.
    let back = h.send(Event::Back);
    assert_eq!(form(&back).step, IntakeStep::Consent);
    // A very long value is cut, not refused.
    let long = set(&h, F::SafePlace, &"x".repeat(50_000));
    assert!(long.messages.is_empty());
}

/// Reviewed snapshots: the perpetrators step with its errors (English) and
/// the review of a whole form (Vietnamese).
#[test]
fn intake_snapshots() {
    let h = Harness::seeded(delaying_policy(), None);
    h.unlock(PIN);
    open_form(&h);
    fill_survivor(&h);
    h.send(Event::GoToStep {
        step: IntakeStep::Perpetrators,
    });
    h.send(Event::SetLanguage {
        lang: binhan_core::model::Lang::En,
    });
    let stuck = h.send(Event::Next);
    insta::assert_json_snapshot!("intake_perpetrators_en", h.json(&stuck));
    h.send(Event::SetLanguage {
        lang: binhan_core::model::Lang::Vi,
    });
    set_row(&h, F::PerpetratorSex, 0, "male");
    set_row(&h, F::PerpetratorAgeGroup, 0, "26_40");
    set_row(&h, F::PerpetratorRelationship, 0, "intimate_partner");
    for (field, value) in [
        (F::IncidentDate, "2026-11-12"),
        (F::PlaceType, "survivor_home"),
        (F::IncidentCommune, "mu_ca"),
        (F::ViolenceType, "physical_assault"),
        (F::RiskLevel, "medium"),
        (F::StatisticsConsent, "yes"),
    ] {
        set(&h, field, value);
    }
    let review = h.send(Event::GoToStep {
        step: IntakeStep::Review,
    });
    insta::assert_json_snapshot!("intake_review_vi", h.json(&review));
}

#[test]
fn a_form_left_untouched_keeps_no_draft() {
    let h = Harness::seeded(delaying_policy(), None);
    h.unlock(PIN);
    open_form(&h);
    set(&h, F::SurvivorCode, "SYN-BRIEF");
    set(&h, F::SurvivorCode, "");
    h.send(Event::Back);
    let again = open_form(&h);
    assert!(
        again.messages.is_empty(),
        "no draft to resume: {:?}",
        again.messages
    );
    set(&h, F::SurvivorCode, "SYN-KEPT");
    h.send(Event::Open {
        target: Target::Home,
    });
    let resumed = open_form(&h);
    assert_eq!(resumed.messages[0].reason.code, "draft_resumed");
}
