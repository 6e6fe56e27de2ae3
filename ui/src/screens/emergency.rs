//! Emergency numbers, one tap away on every screen but the camouflage,
//! before unlocking too. The national numbers are built in; the commune's
//! police and health station (from the signed directory) are a later step.

use crate::event::Event;
use crate::text::T;
use crate::view::Action;
use binhan_core::model::Lang;
use serde::Serialize;

/// The national numbers, free to call from any phone.
const NUMBERS: &[(&str, T)] = &[
    ("113", T::Police),
    ("115", T::Ambulance),
    ("111", T::ChildHotline),
];

/// Whether `number` is one the emergency screen offers.
pub(crate) fn is_emergency_number(number: &str) -> bool {
    NUMBERS.iter().any(|(n, _)| *n == number)
}

/// One number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct EmergencyNumber {
    /// The number, e.g. `113`.
    pub number: String,
    /// Who answers, e.g. "Police".
    pub label: String,
    /// "Call 113": sends `Event::Dial`, which asks the shell to dial.
    pub call: Action,
}

/// What the emergency screen shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct EmergencyView {
    /// A line above the numbers.
    pub intro: String,
    /// The numbers.
    pub numbers: Vec<EmergencyNumber>,
}

/// The emergency screen in `lang`.
pub(crate) fn view(lang: Lang) -> EmergencyView {
    EmergencyView {
        intro: T::EmergencyIntro.get(lang),
        numbers: NUMBERS
            .iter()
            .map(|(number, who)| EmergencyNumber {
                number: number.to_string(),
                label: who.get(lang),
                call: Action::new(
                    T::Call(number.to_string()).get(lang),
                    Event::Dial {
                        number: number.to_string(),
                    },
                ),
            })
            .collect(),
    }
}
