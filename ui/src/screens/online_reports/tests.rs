//! The online reports on a commune case manager's phone, through `AppCore`
//! as a shell drives it: the home entry and its count, the list's rows in
//! both languages, one report's details, opening a case from it (the
//! intake form saved sorts it and the case holds the note), adding it to a
//! case, dismissing it with and without a reason, an unreadable report,
//! one already sorted. Synthetic reports only.

use super::*;
use crate::event::{Event, Target};
use crate::render::has_error;
use crate::screens::intake::{IntakeField as F, IntakeStep};
use crate::tests::support::{home, intake, seeds, Harness, PIN, START_MS};
use crate::view::{Screen, ViewModel};
use binhan_core::app::Vault;
use binhan_core::model::{CaseId, Lang, Role};
use binhan_core::online_report::{
    Contact, ContactWay, DangerNow, Harm, OnlineReport, ReceivedReport, ReportTriage, Writer,
};
use std::sync::Arc;

/// What a synthetic writer said, which must reach the case's note.
const ACCOUNT: &str = "Synthetic account: brindlewick quolloper.";

fn body(danger_now: DangerNow, how: ContactWay) -> OnlineReport {
    OnlineReport {
        v: 1,
        what: vec![Harm::Physical, Harm::Neglect],
        what_text: ACCOUNT.into(),
        commune: "pa_u".into(),
        village: "Bản Synthetic Nậm".into(),
        danger_now,
        contact: Contact {
            how,
            number: if how == ContactWay::None {
                String::new()
            } else {
                "+84 900 000 111".into()
            },
            when: if how == ContactWay::None {
                String::new()
            } else {
                "sau 18:00 (synthetic)".into()
            },
        },
        writer: Writer::Neighbour,
        written_at: chrono::DateTime::from_timestamp_millis(START_MS as i64 - 7_300_000)
            .expect("time"),
    }
}

/// Received `hours` before the tests' start (10:00 in Vietnam).
fn received(id: &str, hours: u64, report: Option<OnlineReport>) -> ReceivedReport {
    ReceivedReport {
        id: id.into(),
        received_at_ms: START_MS - hours * 3_600_000,
        unreadable: report.is_none().then(|| "tampered".into()),
        report,
        triage: ReportTriage::Waiting,
    }
}

/// "aa01": in danger, wants a text (1 h ago); "bb02": unreadable (2 h);
/// "cc03": no contact (3 h); "dd04": already dismissed (4 h).
fn reports() -> Vec<ReceivedReport> {
    vec![
        received("aa01", 1, Some(body(DangerNow::Yes, ContactWay::Sms))),
        received("bb02", 2, None),
        received("cc03", 3, Some(body(DangerNow::No, ContactWay::None))),
        ReceivedReport {
            triage: ReportTriage::Dismissed {
                reason: "Trùng báo cáo (synthetic)".into(),
            },
            ..received("dd04", 4, Some(body(DangerNow::Unsure, ContactWay::Call)))
        },
    ]
}

fn vault(h: &Harness) -> Arc<Vault> {
    h.core
        .with_inner(|i| i.vault.clone())
        .expect("unlocked vault")
}

/// A manager's phone, unlocked, with the synthetic reports.
fn manager() -> Harness {
    let h = Harness::enrolled_as(Role::CommuneCaseManager);
    h.unlock(PIN);
    vault(&h)
        .keep_online_reports_for_tests(reports())
        .expect("kept");
    h
}

fn send(h: &Harness, event: OnlineReportsEvent) -> ViewModel {
    h.send(Event::OnlineReports { event })
}

fn open_list(h: &Harness) -> ViewModel {
    h.send(Event::Open {
        target: Target::OnlineReports,
    })
}

fn list(view: &ViewModel) -> &OnlineReportsView {
    match &view.screen {
        Screen::OnlineReports { view } => view,
        other => panic!("not the list: {other:?}"),
    }
}

fn detail(view: &ViewModel) -> &OnlineReportView {
    match &view.screen {
        Screen::OnlineReport { view } => view,
        other => panic!("not a report: {other:?}"),
    }
}

fn show(h: &Harness, id: &str) -> ViewModel {
    open_list(h);
    send(h, OnlineReportsEvent::Show { id: id.into() })
}

fn triage_of(h: &Harness, id: &str) -> ReportTriage {
    vault(h)
        .online_reports()
        .expect("reports")
        .into_iter()
        .find(|r| r.id == id)
        .expect("kept")
        .triage
}

fn disabled_code(action: &crate::view::Action) -> Option<&str> {
    action.disabled_reason.as_ref().map(|r| r.code.as_str())
}

fn reports_entry(view: &ViewModel) -> Option<&crate::view::Action> {
    home(view).actions.iter().find(|a| {
        a.event
            == Event::Open {
                target: Target::OnlineReports,
            }
    })
}

#[test]
fn only_a_managers_home_leads_to_the_reports_with_the_count_waiting() {
    let h = manager();
    let view = h.send(Event::Open {
        target: Target::Home,
    });
    let entry = reports_entry(&view).expect("a manager's entry");
    assert_eq!(entry.label, "Báo cáo trực tuyến (3 chờ xử lý)");
    assert_eq!(home(&view).actions[0], *entry, "first, before the rest");
    let view = h.send(Event::SetLanguage { lang: Lang::En });
    assert_eq!(
        reports_entry(&view).expect("entry").label,
        "Online reports (3 waiting)"
    );

    for role in [
        Role::Collaborator,
        Role::ProvincialOfficer,
        Role::SchoolCounselor,
        Role::ShelterHost,
    ] {
        let other = Harness::enrolled_as(role);
        let view = other.unlock(PIN);
        assert!(reports_entry(&view).is_none(), "{role:?}");
        let refused = open_list(&other);
        assert!(matches!(refused.screen, Screen::Home { .. }), "{role:?}");
        assert!(has_error(&refused, "not_available_here"));
    }
    // A manager with none waiting: the entry, without a count.
    let empty = Harness::enrolled_as(Role::CommuneCaseManager);
    let view = empty.unlock(PIN);
    assert_eq!(
        reports_entry(&view).expect("entry").label,
        "Báo cáo trực tuyến"
    );
    let view = open_list(&empty);
    assert_eq!(
        list(&view).empty.as_deref(),
        Some("Chưa có báo cáo trực tuyến nào.")
    );
}

#[test]
fn the_list_says_when_who_what_danger_and_where_each_stands_in_both_languages() {
    let h = manager();
    let view = open_list(&h);
    assert_eq!(view.title, "Báo cáo trực tuyến");
    let l = list(&view);
    assert_eq!(l.waiting, "3 chờ xử lý");
    assert!(l.empty.is_none());
    let codes: Vec<&str> = l.rows.iter().map(|r| r.state_code.as_str()).collect();
    assert_eq!(codes, ["waiting", "waiting", "waiting", "dismissed"]);
    let first = &l.rows[0];
    assert_eq!(first.received, "Nhận lúc 09:00 15/11/2026", "newest first");
    assert_eq!(first.writer.as_deref(), Some("Người viết: hàng xóm"));
    assert_eq!(first.what.as_deref(), Some("bạo lực thể chất, bỏ mặc"));
    assert_eq!(first.danger.as_deref(), Some("Có người đang gặp nguy hiểm"));
    assert_eq!(first.state, "Chờ xử lý");
    assert!(first.unreadable.is_none());
    let unreadable = &l.rows[1];
    assert_eq!(
        unreadable.unreadable.as_deref(),
        Some("Không mở được (tampered)")
    );
    assert!(unreadable.writer.is_none() && unreadable.what.is_none());
    assert!(unreadable.danger.is_none());
    assert!(l.rows[2].danger.is_none(), "no danger said");
    assert_eq!(l.rows[3].state, "Đã bỏ qua: Trùng báo cáo (synthetic)");

    let view = h.send(Event::SetLanguage { lang: Lang::En });
    assert_eq!(view.title, "Online reports");
    let l = list(&view);
    assert_eq!(l.waiting, "3 waiting");
    assert_eq!(l.rows[0].received, "Received 09:00 15/11/2026");
    assert_eq!(l.rows[0].writer.as_deref(), Some("Written by: a neighbour"));
    assert_eq!(
        l.rows[0].what.as_deref(),
        Some("physical violence, neglect")
    );
    assert_eq!(
        l.rows[0].danger.as_deref(),
        Some("Someone is in danger now")
    );
    assert_eq!(l.rows[0].state, "Waiting");
    assert_eq!(
        l.rows[1].unreadable.as_deref(),
        Some("Could not be opened (tampered)")
    );
    assert_eq!(l.rows[3].state, "Dismissed: Trùng báo cáo (synthetic)");
}

#[test]
fn a_report_shows_all_it_says_and_hides_the_contact_when_none_is_wanted() {
    let h = manager();
    let view = show(&h, "aa01");
    let d = detail(&view);
    let value = |d: &OnlineReportView, code: &str| {
        d.details
            .iter()
            .find(|r| r.code == code)
            .map(|r| r.value.clone())
    };
    assert_eq!(value(d, "what_text").as_deref(), Some(ACCOUNT));
    assert_eq!(value(d, "village").as_deref(), Some("Bản Synthetic Nậm"));
    assert_eq!(value(d, "commune").as_deref(), Some("Xã Pa Ủ"));
    assert_eq!(value(d, "contact").as_deref(), Some("Nhắn tin"));
    assert_eq!(
        value(d, "contact_number").as_deref(),
        Some("+84 900 000 111")
    );
    assert_eq!(
        value(d, "contact_when").as_deref(),
        Some("sau 18:00 (synthetic)")
    );
    assert_eq!(value(d, "danger_now").as_deref(), Some("Có"));
    assert_eq!(d.danger.as_deref(), Some("Có người đang gặp nguy hiểm"));
    assert!(d.open_case.enabled && d.link.enabled && d.dismiss.enabled);
    assert!(d.panel.is_none());

    h.send(Event::Back);
    let view = send(&h, OnlineReportsEvent::Show { id: "cc03".into() });
    let d = detail(&view);
    assert_eq!(value(d, "contact").as_deref(), Some("Không liên hệ"));
    assert!(value(d, "contact_number").is_none());
    assert!(value(d, "contact_when").is_none());
}

#[test]
fn an_unreadable_report_can_only_be_dismissed_and_a_sorted_one_not_again() {
    let h = manager();
    let view = show(&h, "bb02");
    let d = detail(&view);
    assert_eq!(d.unreadable.as_deref(), Some("Không mở được (tampered)"));
    assert!(d.details.is_empty());
    assert_eq!(disabled_code(&d.open_case), Some("report_unreadable"));
    assert_eq!(disabled_code(&d.link), Some("report_unreadable"));
    assert!(d.dismiss.enabled);
    // Sent anyway: refused, nothing changes.
    let refused = send(&h, OnlineReportsEvent::OpenCase);
    assert!(has_error(&refused, "report_unreadable"));
    assert!(matches!(refused.screen, Screen::OnlineReport { .. }));
    let refused = send(&h, OnlineReportsEvent::ChooseCase);
    assert!(has_error(&refused, "report_unreadable"));
    assert_eq!(triage_of(&h, "bb02"), ReportTriage::Waiting);

    send(&h, OnlineReportsEvent::AskDismiss);
    send(
        &h,
        OnlineReportsEvent::SetReason {
            value: "Không đọc được (synthetic)".into(),
        },
    );
    let done = send(&h, OnlineReportsEvent::Dismiss);
    assert!(matches!(done.screen, Screen::OnlineReports { .. }));
    assert_eq!(
        triage_of(&h, "bb02"),
        ReportTriage::Dismissed {
            reason: "Không đọc được (synthetic)".into()
        }
    );

    // Sorted already: every action disabled with its reason.
    let view = send(&h, OnlineReportsEvent::Show { id: "dd04".into() });
    let d = detail(&view);
    assert_eq!(d.state, "Đã bỏ qua: Trùng báo cáo (synthetic)");
    for action in [&d.open_case, &d.link, &d.dismiss] {
        assert_eq!(disabled_code(action), Some("already_sorted"), "{action:?}");
    }
    let refused = send(&h, OnlineReportsEvent::AskDismiss);
    assert!(has_error(&refused, "already_sorted"));
    assert!(detail(&refused).panel.is_none());
}

#[test]
fn dismissing_needs_a_reason() {
    let h = manager();
    show(&h, "cc03");
    let view = send(&h, OnlineReportsEvent::AskDismiss);
    let Some(TriagePanel::Dismiss {
        confirm, reason, ..
    }) = &detail(&view).panel
    else {
        panic!("the reason field: {view:?}");
    };
    assert!(reason.is_empty());
    assert_eq!(disabled_code(confirm), Some("reason_required"));
    send(
        &h,
        OnlineReportsEvent::SetReason {
            value: "   ".into(),
        },
    );
    let refused = send(&h, OnlineReportsEvent::Dismiss);
    assert!(has_error(&refused, "reason_required"));
    assert_eq!(triage_of(&h, "cc03"), ReportTriage::Waiting);

    // Back closes the panel first and forgets what was typed.
    send(&h, OnlineReportsEvent::SetReason { value: "x".into() });
    let back = h.send(Event::Back);
    assert!(detail(&back).panel.is_none());
    let view = send(&h, OnlineReportsEvent::AskDismiss);
    assert!(matches!(
        &detail(&view).panel,
        Some(TriagePanel::Dismiss { reason, .. }) if reason.is_empty()
    ));

    let view = send(
        &h,
        OnlineReportsEvent::SetReason {
            value: " Không thuộc xã (synthetic) ".into(),
        },
    );
    let Some(TriagePanel::Dismiss { confirm, .. }) = &detail(&view).panel else {
        panic!("panel");
    };
    assert!(confirm.enabled);
    let done = send(&h, OnlineReportsEvent::Dismiss);
    assert_eq!(done.messages[0].reason.code, "report_dismissed");
    assert_eq!(done.messages[0].reason.text, "Đã bỏ qua báo cáo");
    let row = &list(&done).rows[2];
    assert_eq!(row.state, "Đã bỏ qua: Không thuộc xã (synthetic)");
    assert_eq!(list(&done).waiting, "2 chờ xử lý");
}

#[test]
fn a_report_is_added_to_one_of_the_communes_cases() {
    let h = manager();
    let v = vault(&h);
    let mut ours = intake(&seeds()[2]);
    ours.survivor.commune = "pa_u".into();
    ours.incident.commune = "pa_u".into();
    ours.next_follow_up = None;
    let ours = v.create_case(ours).expect("case");
    let mut elsewhere = intake(&seeds()[0]);
    elsewhere.next_follow_up = None;
    v.create_case(elsewhere).expect("case of Mù Cả");
    let notes = v.case(ours).expect("case").notes.len();

    show(&h, "aa01");
    let view = send(&h, OnlineReportsEvent::ChooseCase);
    let Some(TriagePanel::Link { cases, .. }) = &detail(&view).panel else {
        panic!("the case choice: {view:?}");
    };
    assert_eq!(cases.len(), 1, "the commune's cases only");
    assert_eq!(cases[0].code, "SYN-003");
    assert_eq!(
        cases[0].choose.label,
        format!("SYN-003 · {}", cases[0].status)
    );
    let choose = cases[0].choose.event.clone();
    // A case not offered is refused.
    let refused = send(
        &h,
        OnlineReportsEvent::Link {
            case: CaseId::random().to_string(),
        },
    );
    assert!(has_error(&refused, "case_not_found"));
    let done = h.send(choose);
    assert!(matches!(done.screen, Screen::OnlineReports { .. }));
    assert_eq!(done.messages[0].reason.code, "report_linked");
    assert_eq!(list(&done).rows[0].state, "Đã gắn vào hồ sơ");
    assert_eq!(
        triage_of(&h, "aa01"),
        ReportTriage::Linked { case_id: ours }
    );
    let case = v.case(ours).expect("case");
    assert_eq!(case.notes.len(), notes + 1);
    assert!(case
        .notes
        .last()
        .expect("note")
        .value
        .text
        .contains(ACCOUNT));
    // Back from the list goes home, not to the sorted report.
    let back = h.send(Event::Back);
    assert!(matches!(back.screen, Screen::Home { .. }));
}

#[test]
fn a_case_opened_from_a_report_sorts_it_when_the_form_is_saved() {
    let h = manager();
    show(&h, "aa01");
    let view = send(&h, OnlineReportsEvent::OpenCase);
    let Screen::RecordIncident { view: form } = &view.screen else {
        panic!("the intake form: {view:?}");
    };
    let value = |f: F| {
        form.fields
            .iter()
            .find(|x| x.field == f)
            .map(|x| x.value.clone())
    };
    assert_eq!(value(F::Commune).as_deref(), Some("pa_u"));
    assert_eq!(value(F::Village).as_deref(), Some("Bản Synthetic Nậm"));
    // Quick exit and back: the link survives the lock, sealed.
    h.send(Event::QuickExit);
    h.unlock(PIN);
    h.send(Event::Open {
        target: Target::RecordIncident,
    });
    let set = |field: F, value: &str| {
        h.send(Event::SetIntake {
            field,
            row: 0,
            value: value.into(),
        })
    };
    set(F::SurvivorCode, "SYN-ONL-01");
    set(F::Sex, "female");
    set(F::AgeYears, "30");
    set(F::IncidentDate, "14/11/2026");
    set(F::PlaceType, "survivor_home");
    set(F::ViolenceType, "physical_assault");
    set(F::PerpetratorSex, "male");
    set(F::PerpetratorRelationship, "intimate_partner");
    set(F::RiskLevel, "high");
    set(F::StatisticsConsent, "yes");
    let review = h.send(Event::GoToStep {
        step: IntakeStep::Review,
    });
    let Screen::RecordIncident { view: form } = &review.screen else {
        panic!("review");
    };
    assert!(form.problems.is_empty(), "{:?}", form.problems);
    // Meanwhile, opening another report's case waits for this draft.
    let saved = h.send(Event::Submit);
    assert!(
        matches!(saved.screen, Screen::OnlineReports { .. }),
        "{:?}",
        saved.screen
    );
    assert_eq!(saved.messages[0].reason.code, "report_case_opened");
    let ReportTriage::CaseOpened { case_id } = triage_of(&h, "aa01") else {
        panic!("not sorted");
    };
    let case = vault(&h).case(case_id).expect("the case");
    assert_eq!(case.survivor.code, "SYN-ONL-01");
    let note = &case.notes.last().expect("the report's note").value.text;
    assert!(note.contains("Báo cáo trực tuyến") && note.contains(ACCOUNT));
    assert_eq!(list(&saved).rows[0].state, "Đã mở hồ sơ");
}

#[test]
fn a_new_case_waits_for_an_unsaved_intake_draft() {
    let h = manager();
    h.send(Event::Open {
        target: Target::RecordIncident,
    });
    h.send(Event::SetIntake {
        field: F::SurvivorCode,
        row: 0,
        value: "SYN-DRAFT".into(),
    });
    h.send(Event::Open {
        target: Target::Home,
    });
    let view = show(&h, "aa01");
    assert_eq!(
        disabled_code(&detail(&view).open_case),
        Some("draft_waiting")
    );
    let refused = send(&h, OnlineReportsEvent::OpenCase);
    assert!(has_error(&refused, "draft_waiting"));
    assert!(matches!(refused.screen, Screen::OnlineReport { .. }));
}

#[test]
fn quick_exit_forgets_the_reason_and_shows_nothing_of_a_report() {
    let h = manager();
    show(&h, "aa01");
    send(&h, OnlineReportsEvent::AskDismiss);
    send(
        &h,
        OnlineReportsEvent::SetReason {
            value: "synthetic reason glimmerquay".into(),
        },
    );
    let locked = h.send(Event::QuickExit);
    crate::tests::support::assert_camouflaged(&h, &locked);
    let json = serde_json::to_string(&locked).expect("json");
    assert!(!json.contains("brindlewick") && !json.contains("glimmerquay"));
    h.unlock(PIN);
    let view = show(&h, "aa01");
    assert!(detail(&view).panel.is_none());
    assert!(view.quick_exit.is_some() && view.emergency.is_some() && view.can_go_back);
    // Idle on a report: the next tick locks.
    h.advance_secs(crate::tests::support::IDLE_SECS);
    let idle = h.send(Event::Tick);
    crate::tests::support::assert_camouflaged(&h, &idle);
    h.unlock(PIN);
    // The report's events off its screens are refused.
    let home = h.send(Event::Open {
        target: Target::Home,
    });
    assert!(matches!(home.screen, Screen::Home { .. }));
    let refused = send(&h, OnlineReportsEvent::Dismiss);
    assert!(has_error(&refused, "not_available_here"));
}

#[test]
fn events_have_a_flat_json_form() {
    let event = Event::OnlineReports {
        event: OnlineReportsEvent::Show { id: "aa01".into() },
    };
    let json = r#"{"type":"online_reports","do":"show","id":"aa01"}"#;
    assert_eq!(serde_json::to_string(&event).expect("json"), json);
    assert_eq!(serde_json::from_str::<Event>(json).expect("event"), event);
}
