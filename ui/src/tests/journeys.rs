//! Journeys through `AppCore` alone, as a shell drives it.

use super::support::*;
use crate::effect::Effect;
use crate::event::{CalcKey, Event, Field, PinKey, Target};
use crate::render::has_error;
use crate::view::{Screen, ViewModel};
use binhan_core::model::{CaseStatus, Lang, RiskLevel};
use binhan_core::vault::VaultPolicy;

fn home(view: &ViewModel) -> &crate::screens::home::HomeView {
    match &view.screen {
        Screen::Home { view } => view,
        other => panic!("expected home, got {other:?}"),
    }
}

fn list(view: &ViewModel) -> &crate::screens::cases::CaseListView {
    match &view.screen {
        Screen::CaseList { view } => view,
        other => panic!("expected the case list, got {other:?}"),
    }
}

fn pin_pad(view: &ViewModel) -> &crate::screens::pin::PinPadView {
    match &view.screen {
        Screen::PinPad { view } => view,
        other => panic!("expected the PIN pad, got {other:?}"),
    }
}

fn assert_camouflaged(h: &Harness, view: &ViewModel) {
    assert!(matches!(view.screen, Screen::Camouflage { .. }), "{view:?}");
    assert!(!h.core.is_unlocked());
    assert!(!view.can_go_back && view.quick_exit.is_none() && view.emergency.is_none());
    assert!(view.messages.is_empty());
}

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
    let errors: Vec<_> = view
        .fields
        .iter()
        .map(|f| f.error.as_ref().map(|e| e.code.as_str()))
        .collect();
    assert_eq!(
        errors,
        [Some("pin_required"), Some("pin_required"), None, None]
    );

    for (field, value) in [(Field::Pin, PIN), (Field::PinConfirm, PIN)] {
        h.send(Event::SetField {
            field,
            value: value.into(),
        });
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
        !view.actions[0].enabled,
        "record an incident: not in this version"
    );
    assert_eq!(
        view.actions[0]
            .disabled_reason
            .as_ref()
            .map(|r| r.code.as_str()),
        Some("not_in_this_version")
    );
    let refused = h.send(Event::Open {
        target: Target::RecordIncident,
    });
    assert!(has_error(&refused, "not_in_this_version"));

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
fn wrong_pins_show_attempts_then_a_countdown() {
    let h = Harness::seeded(delaying_policy(), None);
    h.open_gate();
    let first = h.enter_pin("111999");
    let pad = pin_pad(&first);
    assert_eq!(
        pad.problem.as_ref().unwrap().text,
        "Sai mã PIN, còn 4 lần thử"
    );
    assert!(pad.countdown.is_none() && pad.keys_enabled);
    assert_eq!(pad.filled, 0, "the entry is cleared");

    let second = h.enter_pin("111998");
    let pad = pin_pad(&second);
    assert_eq!(pad.problem.as_ref().unwrap().code, "wrong_pin");
    let countdown = pad.countdown.as_ref().expect("a delay after two failures");
    assert_eq!(countdown.seconds_left, 60);
    assert_eq!(countdown.reason.text, "Chờ 1:00 rồi thử lại");
    assert!(!pad.keys_enabled && !pad.submit.enabled);
    assert_eq!(second.tick_in_ms, Some(1000));

    // Keys are refused while it runs; the clock moves, the countdown too.
    let typed = h.send(Event::PinPad {
        key: PinKey::Digit { digit: 3 },
    });
    assert!(has_error(&typed, "wait_to_retry"));
    h.advance_secs(25);
    let later = h.send(Event::Tick);
    assert_eq!(pin_pad(&later).countdown.as_ref().unwrap().seconds_left, 35);

    // A quick exit does not reset the delay.
    h.send(Event::QuickExit);
    let again = h.open_gate();
    assert_eq!(pin_pad(&again).countdown.as_ref().unwrap().seconds_left, 35);
    assert!(
        pin_pad(&again).problem.is_none(),
        "no attempt count on a new pad"
    );

    // Once the UI clock has run out, the vault (on real time) may still
    // refuse: its own figure then drives the countdown.
    h.advance_secs(40);
    let refused = h.enter_pin(PIN);
    let pad = pin_pad(&refused);
    let secs = pad
        .countdown
        .as_ref()
        .expect("the vault's delay")
        .seconds_left;
    assert!((1..=60).contains(&secs), "{secs}");
    assert!(!h.core.is_unlocked());
}

#[test]
fn too_many_wrong_pins_erase_and_the_app_looks_new() {
    let no_delays = VaultPolicy {
        max_attempts: 3,
        free_attempts: 3,
        base_delay_secs: 0,
        max_delay_secs: 0,
    };
    let h = Harness::seeded(no_delays, None);
    h.open_gate();
    h.enter_pin("111999");
    assert_eq!(
        pin_pad(&h.enter_pin("111998"))
            .problem
            .as_ref()
            .unwrap()
            .text,
        "Sai mã PIN, còn 1 lần thử"
    );
    let erased = h.enter_pin("111997");
    let fresh = Harness::fresh();
    assert_eq!(erased, fresh.core.view(), "like a new install");
    assert_eq!(h.open_gate(), fresh.open_gate(), "the first run, as new");
}

#[test]
fn the_duress_pin_gives_the_view_of_a_fresh_vault() {
    // A fresh vault: created, locked, unlocked with its PIN.
    let fresh = Harness::fresh();
    fresh.open_gate();
    for field in [Field::Pin, Field::PinConfirm] {
        fresh.send(Event::SetField {
            field,
            value: DURESS.into(),
        });
    }
    fresh.send(Event::Submit);
    fresh.send(Event::QuickExit);
    let fresh_home = fresh.unlock(DURESS);

    let h = Harness::seeded(delaying_policy(), Some(DURESS));
    let duress_home = h.unlock(DURESS);
    assert!(h.core.is_unlocked());
    assert_eq!(duress_home, fresh_home);
    for target in [Target::CaseList, Target::Settings] {
        assert_eq!(
            h.send(Event::Open { target }),
            fresh.send(Event::Open { target })
        );
    }
    // The real PIN no longer opens anything.
    h.send(Event::QuickExit);
    assert_eq!(
        pin_pad(&h.unlock(PIN)).problem.as_ref().unwrap().code,
        "wrong_pin"
    );
}

#[test]
fn panic_wipe_asks_first_then_leaves_no_trace() {
    let h = Harness::seeded(delaying_policy(), None);
    h.unlock(PIN);
    h.send(Event::Open {
        target: Target::Settings,
    });
    let confirm = h.send(Event::Open {
        target: Target::Wipe,
    });
    let Screen::ConfirmWipe { view } = &confirm.screen else {
        panic!("{confirm:?}")
    };
    assert_eq!(view.confirm.event, Event::ConfirmWipe);
    assert!(matches!(
        h.send(Event::Back).screen,
        Screen::Settings { .. }
    ));
    assert!(has_error(&h.send(Event::ConfirmWipe), "not_available_here"));
    assert!(
        h.core.is_unlocked(),
        "nothing erased without the confirmation"
    );

    h.send(Event::Open {
        target: Target::Wipe,
    });
    let wiped = h.send(Event::ConfirmWipe);
    assert_eq!(h.shell.take(), [Effect::HideApp]);
    let fresh = Harness::fresh();
    assert_eq!(wiped, fresh.core.view());
    assert_eq!(h.open_gate(), fresh.open_gate());
}

#[test]
fn the_pin_is_changed_with_every_error_at_once() {
    let h = Harness::seeded(delaying_policy(), None);
    h.unlock(PIN);
    h.send(Event::Open {
        target: Target::Settings,
    });
    h.send(Event::Open {
        target: Target::ChangePin,
    });
    let set = |field, value: &str| {
        h.send(Event::SetField {
            field,
            value: value.into(),
        })
    };
    set(Field::NewPin, "123456");
    let refused = h.send(Event::Submit);
    let Screen::ChangePin { view } = &refused.screen else {
        panic!("{refused:?}")
    };
    let codes: Vec<_> = view
        .fields
        .iter()
        .map(|f| f.error.as_ref().map(|e| e.code.clone()))
        .collect();
    assert_eq!(
        codes,
        [
            Some("pin_required".to_string()),
            Some("pin_sequence".to_string()),
            Some("pin_required".to_string())
        ]
    );
    set(Field::CurrentPin, "111999");
    set(Field::NewPin, "804613");
    set(Field::NewPinConfirm, "804613");
    let wrong = h.send(Event::Submit);
    let Screen::ChangePin { view } = &wrong.screen else {
        panic!("{wrong:?}")
    };
    assert_eq!(
        view.fields[0].error.as_ref().unwrap().text,
        "Sai mã PIN, còn 4 lần thử"
    );
    assert_eq!(view.fields[0].filled, 0);
    set(Field::CurrentPin, PIN);
    let changed = h.send(Event::Submit);
    assert!(matches!(changed.screen, Screen::Settings { .. }));
    assert_eq!(changed.messages[0].reason.text, "Đã đổi mã PIN");
    h.send(Event::QuickExit);
    assert_eq!(
        pin_pad(&h.unlock(PIN)).problem.as_ref().unwrap().code,
        "wrong_pin"
    );
    assert!(matches!(h.enter_pin("804613").screen, Screen::Home { .. }));
}

#[test]
fn idle_locks_and_the_tap_that_finds_it_locked_does_nothing() {
    let h = Harness::seeded(delaying_policy(), None);
    let unlocked = h.unlock(PIN);
    assert_eq!(unlocked.tick_in_ms, Some((IDLE_SECS * 1000) as u32));
    h.advance_secs(IDLE_SECS - 1);
    let still = h.send(Event::Tick);
    assert_eq!(still.tick_in_ms, Some(1000), "ticks are not interactions");
    assert!(h.core.is_unlocked());
    h.advance_secs(1);
    let locked = h.send(Event::Open {
        target: Target::CaseList,
    });
    assert_camouflaged(&h, &locked);

    // An interaction restarts the idle time.
    h.unlock(PIN);
    h.advance_secs(IDLE_SECS - 1);
    h.send(Event::Open {
        target: Target::CaseList,
    });
    h.advance_secs(IDLE_SECS - 1);
    assert!(matches!(
        h.send(Event::Tick).screen,
        Screen::CaseList { .. }
    ));
    h.advance_secs(1);
    assert_camouflaged(&h, &h.send(Event::Tick));
}

#[test]
fn emergency_numbers_before_unlocking_and_nowhere_on_the_camouflage() {
    let h = Harness::seeded(delaying_policy(), None);
    // The camouflage shows and does nothing of the kind.
    let dial = h.send(Event::Dial {
        number: "113".into(),
    });
    assert_camouflaged(&h, &dial);
    let open = h.send(Event::Open {
        target: Target::Emergency,
    });
    assert_camouflaged(&h, &open);
    assert!(h.shell.take().is_empty());

    let pad = h.open_gate();
    let one_tap = pad.emergency.clone().expect("one tap from the PIN pad");
    let numbers = h.send(one_tap.event);
    let Screen::Emergency { view } = &numbers.screen else {
        panic!("{numbers:?}")
    };
    let listed: Vec<_> = view.numbers.iter().map(|n| n.number.as_str()).collect();
    assert_eq!(listed, ["113", "115", "111"]);
    assert!(numbers.emergency.is_none());
    h.send(view.numbers[2].call.event.clone());
    assert_eq!(
        h.shell.take(),
        [Effect::Dial {
            number: "111".into()
        }]
    );
    assert!(has_error(
        &h.send(Event::Dial {
            number: "0999999".into()
        }),
        "unknown_number"
    ));
    assert!(h.shell.take().is_empty());
    assert!(matches!(h.send(Event::Back).screen, Screen::PinPad { .. }));
    assert!(!h.core.is_unlocked());
}

#[test]
fn events_out_of_place_are_refused_in_the_view() {
    let h = Harness::seeded(delaying_policy(), None);
    h.open_gate();
    for event in [
        Event::Open {
            target: Target::CaseList,
        },
        Event::OpenCase {
            id: h.id("SYN-001"),
        },
        Event::FilterCases {
            status: None,
            risk: None,
        },
        Event::ConfirmWipe,
        Event::Calculator {
            key: CalcKey::Digit { digit: 1 },
        },
        Event::SetField {
            field: Field::NewPin,
            value: "1".into(),
        },
        Event::PinPad {
            key: PinKey::Digit { digit: 200 },
        },
    ] {
        let view = h.send(event.clone());
        assert!(
            has_error(&view, "not_available_here"),
            "{event:?}: {view:?}"
        );
        assert!(matches!(view.screen, Screen::PinPad { .. }));
    }
    let empty = h.send(Event::PinPad {
        key: PinKey::Submit,
    });
    assert_eq!(
        pin_pad(&empty).problem.as_ref().unwrap().code,
        "pin_required"
    );
    assert!(!h.core.is_unlocked());
}
