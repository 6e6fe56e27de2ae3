//! Journeys through `AppCore` alone, as a shell drives it: first run,
//! home, the case list and a summary.

use super::support::*;
use crate::effect::Effect;
use crate::event::{Event, Field, Target};
use crate::render::has_error;
use crate::view::Screen;
use binhan_core::model::{CaseStatus, Lang, RiskLevel};

#[test]
fn first_run_pin_home_list_quick_exit() {
    let h = Harness::fresh();
    let start = h.core.view();
    assert_camouflaged(&h, &start);
    assert_eq!(start.tick_in_ms, None);

    let setup = h.open_gate();
    assert!(matches!(setup.screen, Screen::Setup { .. }));
    assert!(setup.can_go_back && setup.quick_exit.is_some() && setup.emergency.is_some());

    // Every error at once.
    let refused = h.send(Event::Submit);
    let Screen::Setup { view } = &refused.screen else {
        panic!("{refused:?}")
    };
    assert_eq!(
        error_codes(&view.fields),
        [Some("pin_required"), Some("pin_required"), None, None]
    );

    for (field, value) in [(Field::Pin, PIN), (Field::PinConfirm, PIN)] {
        h.set_field(field, value);
    }
    let typed = serde_json::to_string(&h.core.view()).unwrap();
    assert!(!typed.contains(PIN), "a PIN never comes back in the view");
    let created = h.send(Event::Submit);
    let view = home(&created);
    assert_eq!(created.messages[0].reason.code, "pin_created");
    assert_eq!(view.no_cases.as_deref(), Some("Chưa có hồ sơ nào"));
    assert!(h.core.is_unlocked());
    assert!(!created.can_go_back);

    let cases = h.send(Event::Open {
        target: Target::CaseList,
    });
    assert!(list(&cases).rows.is_empty());
    assert!(cases.can_go_back);

    let exited = h.send(Event::QuickExit);
    assert_camouflaged(&h, &exited);
    assert_eq!(h.shell.take(), [Effect::HideApp]);

    // The vault exists now: the gate opens the PIN pad, not the first run.
    let pad = h.open_gate();
    assert!(matches!(pad.screen, Screen::PinPad { .. }));
    assert!(matches!(h.enter_pin(PIN).screen, Screen::Home { .. }));
}

#[test]
fn home_list_filter_and_summary() {
    let h = Harness::seeded(delaying_policy(), None);
    let unlocked = h.unlock(PIN);
    let view = home(&unlocked);
    let titles = |rows: &[crate::screens::cases::CaseRow]| {
        rows.iter().map(|r| r.title.clone()).collect::<Vec<_>>()
    };
    assert_eq!(titles(&view.overdue), ["SYN-001"]);
    assert_eq!(
        view.overdue[0].follow_up.as_deref(),
        Some("Theo dõi quá hạn 5 ngày")
    );
    assert!(view.overdue[0].overdue);
    assert_eq!(titles(&view.due_today), ["SYN-002"]);
    assert_eq!(view.recent.len(), 4);
    assert!(
        view.actions.iter().all(|a| a.enabled),
        "record, cases, find a shelter, sync, settings"
    );
    let finder = h.send(Event::Open {
        target: Target::FindShelter,
    });
    assert!(matches!(finder.screen, Screen::FindShelter { .. }));
    h.send(Event::Back);
    let recording = h.send(Event::Open {
        target: Target::RecordIncident,
    });
    assert!(matches!(recording.screen, Screen::RecordIncident { .. }));
    h.send(Event::Back);

    let all = h.send(Event::Open {
        target: Target::CaseList,
    });
    assert_eq!(list(&all).rows.len(), 4);
    let high = h.send(Event::FilterCases {
        status: None,
        risk: Some(RiskLevel::High),
    });
    assert_eq!(titles(&list(&high).rows), ["SYN-001"]);
    assert!(list(&high).risk_choices[3].selected);
    let closed = h.send(Event::FilterCases {
        status: Some(CaseStatus::Closed),
        risk: Some(RiskLevel::High),
    });
    assert_eq!(
        list(&closed).empty.as_deref(),
        Some("Không có hồ sơ nào khớp bộ lọc")
    );
    let closed = h.send(Event::FilterCases {
        status: Some(CaseStatus::Closed),
        risk: None,
    });
    assert_eq!(titles(&list(&closed).rows), ["SYN-004"]);

    let summary = h.send(Event::OpenCase {
        id: h.id("SYN-004"),
    });
    let Screen::CaseSummary { view } = &summary.screen else {
        panic!("{summary:?}")
    };
    assert_eq!(view.heading, "SYN-004");
    assert_eq!(view.rows[1].value, "đã đóng hồ sơ");
    let back = h.send(Event::Back);
    assert_eq!(titles(&list(&back).rows), ["SYN-004"], "the filter is kept");
    assert!(matches!(h.send(Event::Back).screen, Screen::Home { .. }));
    assert!(has_error(&h.send(Event::Back), "nothing_to_go_back_to"));
    assert!(has_error(
        &h.send(Event::OpenCase {
            id: "not-an-id".into()
        }),
        "case_not_found"
    ));

    let en = h.send(Event::SetLanguage { lang: Lang::En });
    assert_eq!(en.title, "Home");
    assert_eq!(
        home(&en).overdue[0].follow_up.as_deref(),
        Some("Follow-up 5 days overdue")
    );

    let hidden = h.send(Event::Backgrounded);
    assert_camouflaged(&h, &hidden);
    assert!(
        h.shell.take().is_empty(),
        "no hide effect when already hidden"
    );
}

#[test]
fn a_long_case_list_crosses_a_page_at_a_time() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("vault");
    let vault =
        binhan_core::app::Vault::create(&path, PIN, config(delaying_policy())).expect("vault");
    binhan_testkit::vault::fill(&vault, 250).expect("fill");
    drop(vault);
    let h = Harness::copy_of(&path, delaying_policy(), Vec::new());
    h.unlock(PIN);
    let first = h.send(Event::Open {
        target: Target::CaseList,
    });
    let view = list(&first);
    assert_eq!((view.total, view.rows.len()), (250, 100));
    assert_eq!(view.count, "250 hồ sơ");
    let more = view.more.as_ref().expect("more to show");
    assert_eq!(more.label, "Xem thêm 100 hồ sơ");
    let second = h.send(more.event.clone());
    assert_eq!(list(&second).rows.len(), 200);
    let third = h.send(Event::ShowMore);
    let view = list(&third);
    assert_eq!(view.rows.len(), 250);
    assert!(view.more.is_none());
    // A new filter starts from the first page again.
    let high = h.send(Event::FilterCases {
        status: None,
        risk: Some(RiskLevel::High),
    });
    let view = list(&high);
    assert!(view.rows.len() <= 100 && view.total < 250);
    h.send(Event::Back);
    assert!(has_error(&h.send(Event::ShowMore), "not_available_here"));
}

#[test]
fn the_case_list_arrives_as_changes_to_a_shell_that_keeps_its_rows() {
    use crate::screens::casework::{WorkField, WorkKind};
    use crate::screens::rows::{apply, RowChange};
    let h = Harness::seeded(delaying_policy(), None);
    h.unlock(PIN);
    let listed = h.send(Event::Open {
        target: Target::CaseList,
    });
    let first = h.core.case_rows(0);
    let mut rows = Vec::new();
    apply(&mut rows, first.changes);
    assert_eq!(rows, list(&listed).rows);
    // Nothing changed: no change.
    let same = h.core.case_rows(first.version);
    assert!(same.changes.is_empty());
    // A note on the oldest case moves it to the top: one remove, one
    // insert, not every row again.
    let oldest = rows.last().expect("rows").id.clone();
    h.send(Event::OpenCase { id: oldest.clone() });
    h.send(Event::OpenCaseWork {
        case: oldest.clone(),
        kind: WorkKind::Note,
    });
    h.send(Event::SetWork {
        field: WorkField::Note,
        value: "Synthetic note".into(),
    });
    h.send(Event::Submit);
    h.send(Event::Back);
    let after = h.core.case_rows(first.version);
    assert_eq!(after.version, first.version + 1);
    assert_eq!(after.changes.len(), 2, "{:?}", after.changes);
    assert!(after
        .changes
        .iter()
        .any(|c| matches!(c, RowChange::Insert { index: 0, row } if row.id == oldest)));
    assert!(after
        .changes
        .iter()
        .any(|c| matches!(c, RowChange::Remove { .. })));
    apply(&mut rows, after.changes);
    assert_eq!(rows, list(&h.core.view()).rows);
    assert_eq!(rows[0].id, oldest);
    // The list kept and brought up to date with the one row written equals
    // a list read whole.
    let fresh =
        binhan_core::app::Vault::open(&h.vault_path(), config(delaying_policy())).expect("open");
    fresh.unlock(PIN).expect("unlock");
    let whole: Vec<String> = fresh
        .list_cases(&Default::default())
        .expect("list")
        .cases
        .iter()
        .map(|c| c.id.to_string())
        .collect();
    assert_eq!(rows.iter().map(|r| r.id.clone()).collect::<Vec<_>>(), whole);
    // Locked: a reset to nothing, whatever the shell holds.
    h.send(Event::QuickExit);
    let locked = h.core.case_rows(after.version);
    assert_eq!(locked.changes, vec![RowChange::Reset { rows: vec![] }]);
}
