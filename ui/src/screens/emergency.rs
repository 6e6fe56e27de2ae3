//! Emergency numbers, one tap away on every screen but the camouflage,
//! before unlocking too: the national numbers (built in) first, then this
//! phone's commune's police, health station and others, from the signed
//! directory as core keeps them beside the vault
//! ([`binhan_core::app::EMERGENCY_FILE`], readable while locked).

use crate::event::Event;
use crate::text::{sentence, T};
use crate::view::Action;
use binhan_core::model::{commune, Coded, Lang};
use binhan_core::shelters::CommuneContacts;
use serde::Serialize;

/// The national numbers, free to call from any phone.
const NUMBERS: &[(&str, T)] = &[
    ("113", T::Police),
    ("115", T::Ambulance),
    ("111", T::ChildHotline),
];

/// One number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct EmergencyNumber {
    /// The number, e.g. `113`.
    pub number: String,
    /// Who answers, e.g. "Police", "Công an xã Pa Ủ – Trực ban".
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
    /// The numbers: the national ones, then the commune's.
    pub numbers: Vec<EmergencyNumber>,
}

/// The numbers offered and who answers each, national first: what the
/// screen shows and the only numbers `Event::Dial` dials.
fn offered(lang: Lang, local: Option<&CommuneContacts>) -> Vec<(String, String)> {
    let national = NUMBERS
        .iter()
        .map(|(number, who)| (number.to_string(), who.get(lang)));
    let place = local
        .and_then(|c| commune(&c.commune))
        .map(|c| c.place())
        .unwrap_or_default();
    let local = local.into_iter().flat_map(|c| &c.contacts).map(|contact| {
        let kind = contact.kind.label(lang);
        let who = match lang {
            Lang::Vi => format!("{} {place}", sentence(kind.to_string())),
            Lang::En => format!("{place} {kind}"),
        };
        (contact.phone.clone(), format!("{who} – {}", contact.name))
    });
    national.chain(local).collect()
}

/// Whether `number` is one the emergency screen offers.
pub(crate) fn is_emergency_number(number: &str, local: Option<&CommuneContacts>) -> bool {
    // The language changes the labels, never the numbers.
    offered(Lang::Vi, local).iter().any(|(n, _)| n == number)
}

/// The emergency screen in `lang`, with the commune's numbers `local`.
pub(crate) fn view(lang: Lang, local: Option<&CommuneContacts>) -> EmergencyView {
    EmergencyView {
        intro: T::EmergencyIntro.get(lang),
        numbers: offered(lang, local)
            .into_iter()
            .map(|(number, label)| EmergencyNumber {
                call: Action::new(
                    T::Call(number.clone()).get(lang),
                    Event::Dial {
                        number: number.clone(),
                    },
                ),
                number,
                label,
            })
            .collect(),
    }
}
