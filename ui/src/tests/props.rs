//! Property: from any state reached by any sequence of events, quick exit
//! lands on the camouflage with the vault locked, the app hidden, and no
//! case text anywhere in the serialized view model.

use super::support::*;
use crate::effect::Effect;
use crate::event::{CalcKey, Event, Field, PinKey, Target};
use crate::screens::intake::{IntakeField, IntakeList, IntakeStep};
use crate::screens::shelters::ShelterFilter;
use crate::view::Screen;
use binhan_core::model::{CaseId, CaseStatus, Lang, RiskLevel};
use proptest::prelude::*;
use std::path::PathBuf;
use std::sync::OnceLock;

/// A seeded vault: its directory (kept alive), its path and its cases.
type Template = (tempfile::TempDir, PathBuf, Vec<(String, CaseId)>);

/// One seeded vault, copied for every case (seeding runs Argon2 and writes).
fn template() -> &'static Template {
    static TEMPLATE: OnceLock<Template> = OnceLock::new();
    TEMPLATE.get_or_init(|| {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("vault");
        let ids = seed_vault(&path, delaying_policy(), Some(DURESS));
        (dir, path, ids)
    })
}

/// A step: an event, or something that moves the state on.
#[derive(Debug, Clone)]
enum Step {
    Send(Event),
    /// Type the camouflage's secret sequence.
    Gate,
    /// Enter this PIN on the pad.
    Pin(&'static str),
    /// Open a seeded case by its index.
    OpenSeeded(usize),
    /// Let time pass.
    Wait(u64),
}

fn field() -> impl Strategy<Value = Field> {
    prop_oneof![
        Just(Field::UnlockPin),
        Just(Field::Pin),
        Just(Field::PinConfirm),
        Just(Field::DuressPin),
        Just(Field::DuressPinConfirm),
        Just(Field::CurrentPin),
        Just(Field::NewPin),
        Just(Field::NewPinConfirm),
    ]
}

fn target() -> impl Strategy<Value = Target> {
    prop_oneof![
        Just(Target::Home),
        Just(Target::CaseList),
        Just(Target::Emergency),
        Just(Target::Settings),
        Just(Target::ChangePin),
        Just(Target::DuressPin),
        Just(Target::Wipe),
        Just(Target::RecordIncident),
        Just(Target::FindShelter),
        Just(Target::Sync),
        Just(Target::Enrol),
    ]
}

fn calc_key() -> impl Strategy<Value = CalcKey> {
    prop_oneof![
        (0u8..12).prop_map(|digit| CalcKey::Digit { digit }),
        Just(CalcKey::Point),
        Just(CalcKey::Add),
        Just(CalcKey::Subtract),
        Just(CalcKey::Multiply),
        Just(CalcKey::Divide),
        Just(CalcKey::Equals),
        Just(CalcKey::Clear),
        Just(CalcKey::Backspace),
    ]
}

fn event() -> impl Strategy<Value = Event> {
    prop_oneof![
        calc_key().prop_map(|key| Event::Calculator { key }),
        prop_oneof![
            (0u8..12).prop_map(|digit| PinKey::Digit { digit }),
            Just(PinKey::Backspace),
            Just(PinKey::Submit),
        ]
        .prop_map(|key| Event::PinPad { key }),
        (
            field(),
            prop_oneof![Just(PIN.to_string()), Just("804613".to_string()), ".{0,12}"]
        )
            .prop_map(|(field, value)| Event::SetField { field, value }),
        Just(Event::Submit),
        target().prop_map(|target| Event::Open { target }),
        ".{0,40}".prop_map(|id| Event::OpenCase { id }),
        (
            proptest::option::of(prop_oneof![
                Just(CaseStatus::Open),
                Just(CaseStatus::Closed)
            ]),
            proptest::option::of(prop_oneof![
                Just(RiskLevel::Low),
                Just(RiskLevel::Medium),
                Just(RiskLevel::High)
            ]),
        )
            .prop_map(|(status, risk)| Event::FilterCases { status, risk }),
        prop_oneof![Just("113".to_string()), "[0-9]{0,6}"]
            .prop_map(|number| Event::Dial { number }),
        Just(Event::ConfirmWipe),
        prop_oneof![Just(Lang::Vi), Just(Lang::En)].prop_map(|lang| Event::SetLanguage { lang }),
        Just(Event::Back),
        Just(Event::Backgrounded),
        Just(Event::Foregrounded),
        Just(Event::Tick),
        intake_event(),
    ]
}

/// Text typed into the intake form that must never show once locked.
const TYPED: &str = "SYN-TYPED-quokkaflint";

fn intake_event() -> impl Strategy<Value = Event> {
    let field = (0..IntakeField::ALL.len()).prop_map(|i| IntakeField::ALL[i]);
    let list = prop_oneof![Just(IntakeList::Perpetrators), Just(IntakeList::Consents)];
    prop_oneof![
        (
            field.clone(),
            0u32..3,
            prop_oneof![
                Just(TYPED.to_string()),
                Just("yes".to_string()),
                Just("female".to_string()),
                Just("2026-11-12".to_string()),
                ".{0,8}"
            ]
        )
            .prop_map(|(field, row, value)| Event::SetIntake { field, row, value }),
        (
            field,
            0u32..3,
            prop_oneof![Just("school".to_string()), ".{0,8}"]
        )
            .prop_map(|(field, row, code)| Event::ToggleIntake { field, row, code }),
        list.clone().prop_map(|list| Event::AddIntakeRow { list }),
        (list, 0u32..3).prop_map(|(list, row)| Event::RemoveIntakeRow { list, row }),
        (0..IntakeStep::ALL.len()).prop_map(|i| Event::GoToStep {
            step: IntakeStep::ALL[i]
        }),
        Just(Event::Next),
        Just(Event::DiscardDraft),
        Just(Event::SyncNow),
        Just(Event::UseLocation),
        (-91_000_000i32..91_000_000, -181_000_000i32..181_000_000)
            .prop_map(|(lat_e6, lon_e6)| Event::Located { lat_e6, lon_e6 }),
        prop_oneof![
            Just(ShelterFilter::Children),
            Just(ShelterFilter::StepFree),
            Just(ShelterFilter::Disability),
            Just(ShelterFilter::Standardised)
        ]
        .prop_map(|filter| Event::ToggleShelterFilter { filter }),
        ".{0,33}".prop_map(|shelter| Event::CallHost { shelter }),
        ".{0,33}".prop_map(|shelter| Event::RequestPlacement { shelter }),
        ".{0,33}".prop_map(|shelter| Event::ConfirmShelterConsent { shelter }),
        ".{0,33}".prop_map(|case| Event::FindShelterFor { case }),
        ".{0,33}".prop_map(|case| Event::OpenConflicts { case }),
        (".{0,33}", "[a-z.]{0,12}", ".{0,33}")
            .prop_map(|(case, field, keep)| Event::ResolveConflict { case, field, keep }),
        any::<bool>().prop_map(|unmetered| Event::NetworkAvailable { unmetered }),
        any::<bool>().prop_map(|wifi_only| Event::SetRoadsWifiOnly { wifi_only }),
        Just(Event::DownloadRoads),
        Just(Event::ShowMore),
    ]
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        6 => event().prop_map(Step::Send),
        1 => Just(Step::Gate),
        1 => prop_oneof![Just(PIN), Just(DURESS), Just("111999")].prop_map(Step::Pin),
        2 => (0usize..4).prop_map(Step::OpenSeeded),
        1 => Just(Step::Send(Event::Open { target: Target::RecordIncident })),
        1 => prop_oneof![Just(1u64), Just(61), Just(IDLE_SECS)].prop_map(Step::Wait),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn quick_exit_always_hides_everything(steps in proptest::collection::vec(step(), 0..40)) {
        let (_keep, path, ids) = template();
        let h = Harness::copy_of(path, delaying_policy(), ids.clone());
        // Start where case text is on screen.
        h.unlock(PIN);
        for step in steps {
            match step {
                Step::Send(event) => { h.send(event); }
                Step::Gate => { h.open_gate(); }
                Step::Pin(pin) => { h.enter_pin(pin); }
                Step::OpenSeeded(i) => { h.send(Event::OpenCase { id: ids[i].1.to_string() }); }
                Step::Wait(secs) => h.advance_secs(secs),
            }
        }
        h.shell.take();
        let view = h.send(Event::QuickExit);
        let camouflaged = matches!(view.screen, Screen::Camouflage { .. });
        prop_assert!(camouflaged, "not the camouflage: {:?}", view.screen);
        prop_assert!(!h.core.is_unlocked());
        prop_assert!(!view.can_go_back && view.quick_exit.is_none() && view.messages.is_empty());
        prop_assert_eq!(h.shell.take(), vec![Effect::HideApp]);
        let json = serde_json::to_string(&view).expect("serialize");
        for marker in case_markers().into_iter().chain([TYPED.to_string()]) {
            prop_assert!(!json.contains(&marker), "{} in {}", marker, json);
        }
        for (_, id) in ids {
            prop_assert!(!json.contains(&id.to_string()));
        }
        prop_assert_eq!(h.core.view(), view);
    }
}

/// Wrong PINs without delays: a delay's length comes from the vault's
/// real clock, which two vaults read a few milliseconds apart.
fn no_delays() -> binhan_core::vault::VaultPolicy {
    binhan_core::vault::VaultPolicy {
        max_attempts: 5,
        free_attempts: 5,
        base_delay_secs: 0,
        max_delay_secs: 0,
    }
}

/// The seeded vault with a duress PIN, and a vault made with the duress
/// PIN as its PIN and nothing in it; both without delays.
fn duress_templates() -> &'static (Template, Template) {
    static TEMPLATES: OnceLock<(Template, Template)> = OnceLock::new();
    TEMPLATES.get_or_init(|| {
        let seeded = tempfile::tempdir().expect("tempdir");
        let seeded_path = seeded.path().join("vault");
        let ids = seed_vault(&seeded_path, no_delays(), Some(DURESS));
        let fresh = tempfile::tempdir().expect("tempdir");
        let fresh_path = fresh.path().join("vault");
        binhan_core::app::Vault::create(&fresh_path, DURESS, config(no_delays()))
            .expect("fresh vault");
        ((seeded, seeded_path, ids), (fresh, fresh_path, Vec::new()))
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]

    /// Unlocked with the duress PIN, a vault full of cases shows, step by
    /// step, exactly what a fresh vault unlocked with its PIN shows.
    #[test]
    fn a_duress_unlock_is_a_fresh_vault(steps in proptest::collection::vec(step(), 0..30)) {
        let ((_keep, path, ids), (_keep_fresh, fresh_path, _)) = duress_templates();
        let duress = Harness::copy_of(path, no_delays(), ids.clone());
        let fresh = Harness::copy_of(fresh_path, no_delays(), Vec::new());
        prop_assert_eq!(duress.unlock(DURESS), fresh.unlock(DURESS));
        for step in steps {
            let (a, b) = match step {
                Step::Send(event) => (duress.send(event.clone()), fresh.send(event)),
                Step::Gate => (duress.open_gate(), fresh.open_gate()),
                // The real PIN is just a wrong PIN on both now.
                Step::Pin(pin) => (duress.enter_pin(pin), fresh.enter_pin(pin)),
                Step::OpenSeeded(i) => {
                    let event = Event::OpenCase { id: ids[i].1.to_string() };
                    (duress.send(event.clone()), fresh.send(event))
                }
                Step::Wait(secs) => {
                    duress.advance_secs(secs);
                    fresh.advance_secs(secs);
                    (duress.core.view(), fresh.core.view())
                }
            };
            prop_assert_eq!(a, b);
            prop_assert_eq!(duress.shell.take(), fresh.shell.take());
        }
    }
}
