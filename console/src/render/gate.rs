//! The screens before and around the vault: the camouflage calculator, the
//! first run, the PIN pad, emergency numbers, settings and the PIN forms.

use super::{action, actions, choices, error, send, typed, Ids, Input, Typed};
use binhan_ui::screens::camouflage::CalculatorView;
use binhan_ui::screens::emergency::EmergencyView;
use binhan_ui::screens::pin::PinPadView;
use binhan_ui::screens::settings::{ConfirmWipeView, PinFormView, SettingsView};
use binhan_ui::screens::setup::SetupView;
use binhan_ui::view::SecretFieldView;
use binhan_ui::{CalcKey, Event, Field};
use maud::{html, Markup};

/// The calculator's keys, as a pocket calculator lays them out.
const KEYS: [(&str, CalcKey); 18] = [
    ("C", CalcKey::Clear),
    ("⌫", CalcKey::Backspace),
    ("÷", CalcKey::Divide),
    ("×", CalcKey::Multiply),
    ("7", CalcKey::Digit { digit: 7 }),
    ("8", CalcKey::Digit { digit: 8 }),
    ("9", CalcKey::Digit { digit: 9 }),
    ("−", CalcKey::Subtract),
    ("4", CalcKey::Digit { digit: 4 }),
    ("5", CalcKey::Digit { digit: 5 }),
    ("6", CalcKey::Digit { digit: 6 }),
    ("+", CalcKey::Add),
    ("1", CalcKey::Digit { digit: 1 }),
    ("2", CalcKey::Digit { digit: 2 }),
    ("3", CalcKey::Digit { digit: 3 }),
    ("=", CalcKey::Equals),
    ("0", CalcKey::Digit { digit: 0 }),
    (",", CalcKey::Point),
];

pub(crate) fn calculator(view: &CalculatorView) -> Markup {
    html! {
        div.calculator {
            output.expression { (view.expression) }
            output.display aria-live="polite" { (view.display) }
            div.keys {
                @for (label, key) in KEYS {
                    (send(&Event::Calculator { key }, "key", html! {
                        button type="submit" data-key=(label) { (label) }
                    }))
                }
            }
        }
    }
}

fn field_id(field: Field) -> String {
    format!("f-{}", super::code(field))
}

pub(crate) fn secret(field: &SecretFieldView) -> Markup {
    typed(Typed {
        id: field_id(field.field),
        label: &field.label,
        value: "",
        required: field.required,
        help: field.help.as_deref(),
        error: field.error.as_ref(),
        input: Input::Secret,
        template: Event::SetField {
            field: field.field,
            value: String::new(),
        },
    })
}

pub(crate) fn setup(ids: &Ids, view: &SetupView) -> Markup {
    html! {
        p { (view.intro) }
        @for f in &view.fields { (secret(f)) }
        (action(ids, &view.create))
    }
}

pub(crate) fn pin_pad(ids: &Ids, view: &PinPadView) -> Markup {
    html! {
        p { (view.prompt) }
        @if let Some(countdown) = &view.countdown { (error(&countdown.reason)) }
        @if view.keys_enabled {
            (typed(Typed {
                id: field_id(Field::UnlockPin),
                label: &view.prompt,
                value: "",
                required: true,
                help: None,
                error: view.problem.as_ref(),
                input: Input::Secret,
                template: Event::SetField { field: Field::UnlockPin, value: String::new() },
            }))
        } @else if let Some(problem) = &view.problem {
            (error(problem))
        }
        (action(ids, &view.submit))
    }
}

pub(crate) fn emergency(ids: &Ids, view: &EmergencyView) -> Markup {
    html! {
        p { (view.intro) }
        ul.numbers {
            @for n in &view.numbers {
                li { strong { (n.number) } " " (n.label) (action(ids, &n.call)) }
            }
        }
    }
}

pub(crate) fn settings(ids: &Ids, view: &SettingsView) -> Markup {
    html! {
        (choices(&view.language_label, &view.languages))
        (actions(ids, &[view.change_pin.clone(), view.duress_pin.clone(), view.wipe.clone()]))
    }
}

pub(crate) fn pin_form(ids: &Ids, view: &PinFormView) -> Markup {
    html! {
        @for f in &view.fields { (secret(f)) }
        (action(ids, &view.save))
    }
}

pub(crate) fn confirm_wipe(ids: &Ids, view: &ConfirmWipeView) -> Markup {
    html! {
        p.warning role="alert" { (view.warning) }
        (actions(ids, &[view.confirm.clone(), view.cancel.clone()]))
    }
}
