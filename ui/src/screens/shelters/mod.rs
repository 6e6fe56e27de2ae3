//! Find a shelter: the nearest safe community shelters by road travel time
//! from where the person is (a location fix the shell is asked for) or from
//! a village or commune chosen by name ([`places`]), with
//! filters, their free places and how fresh that figure is, a call to the
//! host, and — opened from a case — a placement request, only once the
//! survivor's consent for that shelter is recorded.

pub(crate) mod flow;
pub mod host;
pub mod places;
pub(crate) mod text;

use crate::event::Event;
use crate::format;
use crate::view::{Action, Choice};
use binhan_core::app::Vault;
use binhan_core::cases::CaseDetail;
use binhan_core::model::{commune, CaseId, Coded, Lang};
use binhan_core::shelters::{
    Freshness, GeoPoint, NearestShelters, Ranking, RoadReach, Shelter, ShelterMatch, ShelterQuery,
};
use serde::{Deserialize, Serialize};
use text::{Refusal, L};

/// Shelters ranked at most.
const RESULTS: u32 = 10;

/// A filter of the finder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum ShelterFilter {
    /// Takes children.
    Children,
    /// Step-free access.
    StepFree,
    /// Support for a person with a disability.
    Disability,
    /// Meets the whole standardisation checklist.
    Standardised,
}

impl ShelterFilter {
    const ALL: [ShelterFilter; 4] = [
        ShelterFilter::Children,
        ShelterFilter::StepFree,
        ShelterFilter::Disability,
        ShelterFilter::Standardised,
    ];
}

/// The finder's state while it is on screen.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Finder {
    /// The case it was opened from, if any.
    pub(crate) case: Option<CaseId>,
    /// Where to search from, once the shell gave a location or a place
    /// was chosen.
    pub(crate) origin: Option<GeoPoint>,
    /// The name of the place chosen as the origin (none: a location fix).
    pub(crate) origin_place: Option<String>,
    /// Filters on.
    pub(crate) filters: Vec<ShelterFilter>,
    /// What was typed to search from a village (cleared on lock with the
    /// rest of the finder).
    pub(crate) place_text: String,
    /// The places matching it.
    places: places::PlaceSearch,
    /// The last search, kept while nothing it depends on changed.
    kept: Option<Kept>,
}

/// What a search found.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Searched {
    /// No shelter directory on the phone yet.
    NoDirectory,
    /// No location yet.
    NoLocation,
    /// The nearest shelters.
    Found(NearestShelters),
    /// The search failed.
    Failed,
}

/// A search and what it depended on. A search loads the road network and
/// indexes the directory (core says to keep it between searches), so
/// redraws, ticks and background refreshes reuse it until the vault's data
/// (directory, free places), the origin, the filters or the minute (open
/// now, freshness; a road network imported meanwhile) change.
#[derive(Debug, Clone, PartialEq)]
struct Kept {
    version: u64,
    origin: Option<GeoPoint>,
    filters: Vec<ShelterFilter>,
    minute: u64,
    searched: Searched,
}

impl Finder {
    /// Opens the finder for `case` (if any), keeping the location the
    /// phone already gave or the place chosen.
    pub(crate) fn reopen(&self, case: Option<CaseId>) -> Self {
        Self {
            case,
            origin: self.origin,
            origin_place: self.origin_place.clone(),
            ..Self::default()
        }
    }

    /// The nearest shelters from the origin, searched again only when
    /// something they depend on changed; and the places matching the text
    /// typed, likewise.
    pub(crate) fn search(&mut self, vault: &Vault, now_ms: u64) -> Searched {
        let Ok(version) = vault.data_version() else {
            return Searched::Failed;
        };
        let minute = now_ms / 60_000;
        self.refresh_places(vault, version, minute);
        if let Some(kept) = self.kept.as_ref().filter(|k| {
            k.version == version
                && k.origin == self.origin
                && k.filters == self.filters
                && k.minute == minute
        }) {
            return kept.searched.clone();
        }
        let searched = match (vault.shelter_directory(), self.origin) {
            (Ok(None), _) => Searched::NoDirectory,
            (Err(_), _) => Searched::Failed,
            (Ok(Some(_)), None) => Searched::NoLocation,
            (Ok(Some(_)), Some(origin)) => match vault.nearest_shelters(&self.query(origin)) {
                Ok(found) => Searched::Found(found),
                Err(_) => Searched::Failed,
            },
        };
        self.kept = Some(Kept {
            version,
            origin: self.origin,
            filters: self.filters.clone(),
            minute,
            searched: searched.clone(),
        });
        searched
    }

    fn query(&self, origin: GeoPoint) -> ShelterQuery {
        let on = |f| self.filters.contains(&f);
        ShelterQuery {
            children: on(ShelterFilter::Children),
            step_free: on(ShelterFilter::StepFree),
            disability_support: on(ShelterFilter::Disability),
            standardised_only: on(ShelterFilter::Standardised),
            limit: RESULTS,
            ..ShelterQuery::from(origin)
        }
    }
}

/// One shelter in the finder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ShelterRow {
    /// The shelter's id.
    pub id: String,
    /// Its name (may be a code name).
    pub name: String,
    /// Kind of place and commune.
    pub subtitle: String,
    /// "25 min by road · 8.4 km", or why no road reaches it.
    pub distance: String,
    /// Whether no road reaches it (drawn as a warning).
    pub unreachable: bool,
    /// "3 free places · confirmed 10:05 15/11/2026", or that it is not known.
    pub places: String,
    /// "Open now" or "Closed now".
    pub open: String,
    /// Call the host, when a number is listed.
    pub call: Option<Action>,
    /// Record the survivor's consent for this shelter (opened from a case
    /// without that consent).
    pub consent: Option<Action>,
    /// Ask the host for a place (opened from a case); disabled with why.
    pub request: Option<Action>,
}

/// The finder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct FinderView {
    /// "For case SYN-001", when opened from a case.
    pub for_case: Option<String>,
    /// Where the search starts ("Từ: Bản Nà Hừ"), or that a location is
    /// needed.
    pub origin: String,
    /// Ask the phone for its location.
    pub use_location: Action,
    /// "Search from a village": type part of its name (none when the
    /// phone's road map names no place).
    pub place_field: Option<places::PlaceField>,
    /// The places whose name matches what was typed (up to 10), each
    /// chosen by its event.
    pub places: Vec<Choice>,
    /// Why no place can be chosen: no road map, no place names in it, or
    /// none matches what was typed.
    pub places_note: Option<String>,
    /// The filters, each toggled by its event.
    pub filters: Vec<Choice>,
    /// How the list is ranked.
    pub ranked_by: Option<String>,
    /// Why there is nothing to show (no directory yet, no match).
    pub empty: Option<String>,
    /// The nearest shelters, nearest first.
    pub shelters: Vec<ShelterRow>,
}

/// Minutes, rounded up, for a travel time.
fn minutes(seconds: u32) -> u32 {
    seconds.div_ceil(60)
}

/// Metres as "850 m" or "8,4 km" (Vietnamese) / "8.4 km".
fn distance(metres: u32, lang: Lang) -> String {
    if metres < 1000 {
        return format!("{metres} m");
    }
    let km = format!("{:.1}", f64::from(metres) / 1000.0);
    match lang {
        Lang::Vi => format!("{} km", km.replace('.', ",")),
        Lang::En => format!("{km} km"),
    }
}

/// Whether the case has the survivor's consent to share with `shelter` for
/// a safe shelter (compared by core's normalised scope key).
pub(crate) fn has_consent(case: &CaseDetail, shelter: &Shelter) -> bool {
    case.consented(&shelter.consent_scope())
}

fn row(m: &ShelterMatch, case: Option<&CaseDetail>, lang: Lang) -> ShelterRow {
    let shelter = &m.shelter;
    let id = shelter.id.to_string();
    let (distance, unreachable) = match m.road {
        RoadReach::Reachable {
            travel_time_s,
            distance_m,
        } => (
            L::ByRoad(minutes(travel_time_s), distance(distance_m, lang)).get(lang),
            false,
        ),
        RoadReach::Unreachable { reason } => (
            L::NoRoad(
                reason.label(lang).to_string(),
                distance(m.straight_line_m, lang),
            )
            .get(lang),
            true,
        ),
        RoadReach::NotSearched => (
            L::StraightLine(distance(m.straight_line_m, lang)).get(lang),
            false,
        ),
    };
    let places = match (m.availability.free_places, m.availability.confirmed_at) {
        (Some(free), Some(at)) => {
            let when = format::instant(at);
            match m.availability.freshness {
                Freshness::Confirmed => L::FreePlaces(free, when).get(lang),
                _ => L::FreePlacesOld(free, when).get(lang),
            }
        }
        _ => L::PlacesUnknown(shelter.capacity).get(lang),
    };
    let request = case.map(|case| {
        let why = if shelter.host_device.is_none() {
            Some(Refusal::PhoneOnly)
        } else if !has_consent(case, shelter) {
            Some(Refusal::ConsentNeeded)
        } else {
            None
        };
        Action::new(
            L::Request.get(lang),
            Event::RequestPlacement {
                shelter: id.clone(),
            },
        )
        .unless(why.map(|w| w.reason(lang)))
    });
    let consent = case
        .filter(|case| shelter.host_device.is_some() && !has_consent(case, shelter))
        .map(|_| {
            Action::new(
                L::ConsentGiven(shelter.name.clone()).get(lang),
                Event::ConfirmShelterConsent {
                    shelter: id.clone(),
                },
            )
        });
    ShelterRow {
        name: shelter.name.clone(),
        subtitle: format!(
            "{} · {}",
            shelter.kind.label(lang),
            commune(&shelter.commune).map_or(shelter.commune.as_str(), |c| c.name)
        ),
        distance,
        unreachable,
        places,
        open: if m.open_now { L::OpenNow } else { L::ClosedNow }.get(lang),
        call: shelter.contact.phone.as_ref().map(|phone| {
            Action::new(
                L::Call(phone.clone()).get(lang),
                Event::CallHost {
                    shelter: id.clone(),
                },
            )
        }),
        consent,
        request,
        id,
    }
}

/// The finder's view: the nearest shelters from the origin, if one is set.
pub(crate) fn view(
    finder: &Finder,
    searched: &Searched,
    case: Option<&CaseDetail>,
    lang: Lang,
) -> FinderView {
    let (ranked_by, empty, shelters) = match searched {
        Searched::NoDirectory => (None, Some(L::NoDirectory.get(lang)), Vec::new()),
        Searched::NoLocation => (None, None, Vec::new()),
        Searched::Failed => (None, Some(Refusal::SearchFailed.text(lang)), Vec::new()),
        Searched::Found(found) => (
            Some(
                match found.ranked_by {
                    Ranking::RoadTravelTime => L::RankedByRoad,
                    _ => L::RankedStraight,
                }
                .get(lang),
            ),
            found.shelters.is_empty().then(|| L::NoMatch.get(lang)),
            found.shelters.iter().map(|m| row(m, case, lang)).collect(),
        ),
    };
    let (place_field, places, places_note) = places::view(finder, lang);
    FinderView {
        for_case: case.map(|c| L::ForCase(c.survivor.code.clone()).get(lang)),
        origin: match (finder.origin, &finder.origin_place) {
            (Some(_), Some(place)) => L::FromPlace(place.clone()).get(lang),
            (Some(_), None) => L::FromHere.get(lang),
            (None, _) => L::NeedLocation.get(lang),
        },
        use_location: Action::new(L::UseLocation.get(lang), Event::UseLocation),
        place_field,
        places,
        places_note,
        filters: ShelterFilter::ALL
            .iter()
            .map(|f| Choice {
                label: L::Filter(*f).get(lang),
                selected: finder.filters.contains(f),
                event: Event::ToggleShelterFilter { filter: *f },
            })
            .collect(),
        ranked_by,
        empty,
        shelters,
    }
}
