//! Safety journeys through `AppCore` alone: wrong PINs and their delays,
//! erasure, the duress PIN, panic wipe, PIN changes, idle locking,
//! emergency numbers and events out of place.

use super::support::*;
use crate::effect::Effect;
use crate::event::{CalcKey, Event, Field, PinKey, Target};
use crate::render::has_error;
use crate::view::Screen;
use binhan_core::model::Lang;
use binhan_core::vault::VaultPolicy;

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
        fresh.set_field(field, DURESS);
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
    h.set_field(Field::NewPin, "123456");
    let refused = h.send(Event::Submit);
    let Screen::ChangePin { view } = &refused.screen else {
        panic!("{refused:?}")
    };
    assert_eq!(
        error_codes(&view.fields),
        [
            Some("pin_required"),
            Some("pin_sequence"),
            Some("pin_required")
        ]
    );
    h.set_field(Field::CurrentPin, "111999");
    h.set_field(Field::NewPin, "804613");
    h.set_field(Field::NewPinConfirm, "804613");
    let wrong = h.send(Event::Submit);
    let Screen::ChangePin { view } = &wrong.screen else {
        panic!("{wrong:?}")
    };
    assert_eq!(
        view.fields[0].error.as_ref().unwrap().text,
        "Sai mã PIN, còn 4 lần thử"
    );
    assert_eq!(view.fields[0].filled, 0);
    h.set_field(Field::CurrentPin, PIN);
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

/// The numbers the emergency screen of `view` lists.
fn listed(view: &crate::view::ViewModel) -> Vec<(String, String)> {
    let Screen::Emergency { view } = &view.screen else {
        panic!("{view:?}")
    };
    view.numbers
        .iter()
        .map(|n| (n.number.clone(), n.label.clone()))
        .collect()
}

#[test]
fn the_communes_numbers_before_unlocking_and_gone_after_a_wipe() {
    let mut h = Harness::seeded(delaying_policy(), None);
    // As core keeps them beside the vault after a sync (synthetic numbers
    // of the synthetic Mù Cả; the sync itself: server/tests/api).
    let mu_ca = binhan_testkit::shelters::emergency_contacts()
        .into_iter()
        .find(|c| c.commune == "mu_ca")
        .unwrap();
    let file = h.vault_path().join(binhan_core::app::EMERGENCY_FILE);
    let json = serde_json::json!({"format": 1, "commune": "mu_ca", "contacts": mu_ca.contacts});
    std::fs::write(&file, json.to_string()).unwrap();
    h.restart();

    h.open_gate();
    let numbers = h.send(Event::Open {
        target: Target::Emergency,
    });
    let shown = listed(&numbers);
    let dialled: Vec<_> = shown.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        dialled,
        [
            "113",
            "115",
            "111",
            "0200000037",
            "0200000038",
            "0200000039"
        ],
        "national numbers first"
    );
    assert_eq!(shown[3].1, "Công an xã Mù Cả – Trực ban công an (giả lập)");
    assert_eq!(shown[4].1, "Trạm y tế xã Mù Cả – Trực trạm y tế (giả lập)");
    assert_eq!(shown[5].1, "UBND xã Mù Cả – Văn phòng UBND (giả lập)");
    let Screen::Emergency { view } = &numbers.screen else {
        unreachable!()
    };
    h.send(view.numbers[3].call.event.clone());
    assert_eq!(
        h.shell.take(),
        [Effect::Dial {
            number: "0200000037".into()
        }]
    );
    // Another commune's number, or any other, is refused.
    for other in ["0200000001", "0200000050", "113 "] {
        let refused = h.send(Event::Dial {
            number: other.into(),
        });
        assert!(has_error(&refused, "unknown_number"), "{other}");
    }
    assert!(h.shell.take().is_empty());
    assert!(!h.core.is_unlocked());
    let english = h.send(Event::SetLanguage { lang: Lang::En });
    assert_eq!(
        listed(&english)[3].1,
        "Mù Cả commune police – Trực ban công an (giả lập)"
    );
    h.send(Event::SetLanguage { lang: Lang::Vi });

    // A panic wipe takes them away with the vault.
    h.send(Event::Back);
    h.unlock(PIN);
    h.send(Event::Open {
        target: Target::Settings,
    });
    h.send(Event::Open {
        target: Target::Wipe,
    });
    h.send(Event::ConfirmWipe);
    assert!(!file.exists(), "the file is removed");
    h.open_gate();
    let after = h.send(Event::Open {
        target: Target::Emergency,
    });
    assert_eq!(listed(&after).len(), 3);
    assert!(has_error(
        &h.send(Event::Dial {
            number: "0200000037".into()
        }),
        "unknown_number"
    ));
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

#[test]
fn a_duress_pin_is_set_from_the_settings() {
    let h = Harness::seeded(delaying_policy(), None);
    h.unlock(PIN);
    h.send(Event::Open {
        target: Target::Settings,
    });
    let form = h.send(Event::Open {
        target: Target::DuressPin,
    });
    assert_eq!(form.title, "Đặt mã PIN khẩn cấp");
    h.set_field(Field::CurrentPin, PIN);
    h.set_field(Field::DuressPin, PIN);
    let refused = h.send(Event::Submit);
    let Screen::DuressPin { view } = &refused.screen else {
        panic!("{refused:?}")
    };
    assert_eq!(
        error_codes(&view.fields),
        [None, Some("duress_same_as_pin"), Some("pin_required")]
    );
    h.set_field(Field::DuressPin, DURESS);
    h.set_field(Field::DuressPinConfirm, DURESS);
    let done = h.send(Event::Submit);
    assert!(matches!(done.screen, Screen::Settings { .. }));
    assert_eq!(done.messages[0].reason.code, "duress_pin_set");

    h.send(Event::QuickExit);
    let home_view = h.unlock(DURESS);
    assert!(home(&home_view).recent.is_empty(), "the cases are gone");
    h.send(Event::QuickExit);
    assert_eq!(
        pin_pad(&h.unlock(PIN)).problem.as_ref().unwrap().code,
        "wrong_pin"
    );
}

#[test]
fn the_language_chosen_is_kept_and_forgotten_with_the_data() {
    let mut h = Harness::seeded(delaying_policy(), None);
    h.unlock(PIN);
    h.send(Event::SetLanguage {
        lang: binhan_core::model::Lang::En,
    });
    // Killed and started again: English from the first screen.
    h.restart();
    let gate = h.open_gate();
    assert_eq!(gate.lang, binhan_core::model::Lang::En);
    h.unlock(PIN);
    h.send(Event::Open {
        target: crate::event::Target::Wipe,
    });
    h.send(Event::ConfirmWipe);
    // Erased: what a new install shows, in the language a new install
    // starts in, now and after a restart.
    let fresh = h.open_gate();
    assert_eq!(fresh.lang, binhan_core::model::Lang::Vi);
    assert!(!h.vault_path().join(crate::flows::LANG_FILE).exists());
    h.restart();
    assert_eq!(h.open_gate().lang, binhan_core::model::Lang::Vi);
}
