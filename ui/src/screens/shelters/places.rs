//! Searching from a village or commune chosen by name, for a collaborator
//! without a location fix or recording for someone elsewhere: the road
//! network's named places (core's [`Places`]) matched against what was
//! typed, accent-insensitively; choosing one sets the finder's origin as a
//! location fix does.

use super::text::L;
use super::Finder;
use crate::event::Event;
use crate::view::Choice;
use binhan_core::app::Vault;
use binhan_core::model::{commune, Coded, Lang};
use binhan_core::shelters::roads::{Place, Places};
use serde::Serialize;

/// Places listed at most.
const SHOWN: usize = 10;

/// Longest text kept in the field, in characters.
const MAX_TYPED_CHARS: usize = 100;

/// The places of the road network held, loaded once per vault version and
/// minute (as the shelter search is), and those the typed text matches.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct PlaceSearch {
    version: u64,
    minute: u64,
    /// The network's places; `None` without a road network (or when it
    /// cannot be read).
    held: Option<Places>,
    /// The text `found` was searched for.
    text: String,
    /// The places listed, in the order shown.
    found: Vec<Place>,
}

/// The "search from a village" field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct PlaceField {
    /// "Tìm từ thôn, bản".
    pub label: String,
    /// What was typed; each change is sent as [`Event::SearchPlaces`].
    pub value: String,
    /// How to use it.
    pub help: String,
}

impl Finder {
    /// Sets the typed text (cut at a sane length).
    pub(crate) fn type_place(&mut self, value: &str) {
        self.place_text = value.chars().take(MAX_TYPED_CHARS).collect();
    }

    /// The place at `index` of the list shown, if there is one.
    pub(crate) fn listed_place(&self, index: u32) -> Option<&Place> {
        self.places.found.get(usize::try_from(index).ok()?)
    }

    /// Loads the places again when the vault's data or the minute changed,
    /// and searches them again when the typed text changed.
    pub(super) fn refresh_places(&mut self, vault: &Vault, version: u64, minute: u64) {
        let search = &mut self.places;
        let stale = search.version != version || search.minute != minute;
        if stale {
            search.held = vault.places().ok().flatten();
            (search.version, search.minute) = (version, minute);
        }
        if stale || search.text != self.place_text {
            search.text.clone_from(&self.place_text);
            search.found = search.held.as_ref().map_or_else(Vec::new, |held| {
                held.find(&search.text, SHOWN)
                    .into_iter()
                    .cloned()
                    .collect()
            });
        }
    }
}

/// The field, the places listed and why none can be chosen, for the view.
pub(super) fn view(
    finder: &Finder,
    lang: Lang,
) -> (Option<PlaceField>, Vec<Choice>, Option<String>) {
    let search = &finder.places;
    let field = match &search.held {
        None => return (None, Vec::new(), Some(L::NoRoadMapForPlaces.get(lang))),
        Some(held) if held.is_empty() => {
            return (None, Vec::new(), Some(L::NoPlaceNames.get(lang)))
        }
        Some(_) => PlaceField {
            label: L::PlaceField.get(lang),
            value: finder.place_text.clone(),
            help: L::PlaceHelp.get(lang),
        },
    };
    let choices: Vec<Choice> = search
        .found
        .iter()
        .zip(0u32..)
        .map(|(place, index)| Choice {
            label: label(place, lang),
            selected: finder.origin_place.as_ref() == Some(&place.name)
                && finder.origin == Some(place.point()),
            event: Event::ChooseOrigin { place: index },
        })
        .collect();
    let none_match = choices.is_empty() && !search.text.trim().is_empty();
    (
        Some(field),
        choices,
        none_match.then(|| L::NoPlaceMatch.get(lang)),
    )
}

/// "Bản Nà Hừ · thôn, bản · Xã Mù Cả".
fn label(place: &Place, lang: Lang) -> String {
    let mut parts = vec![place.name.as_str(), place.kind.label(lang)];
    if let Some(c) = place.commune.as_deref().and_then(commune) {
        parts.push(c.name);
    }
    parts.join(" · ")
}
