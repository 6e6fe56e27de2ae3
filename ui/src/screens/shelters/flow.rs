//! What the finder's events do: open it (from home, or from a case), take
//! the location the shell sends or the village chosen, toggle filters, call
//! a host, record the survivor's consent for a shelter, and request a place.

use super::text::{Refusal, L};
use super::{has_consent, ShelterFilter};
use crate::core::{Inner, Route};
use crate::effect::Effect;
use crate::text::Why;
use crate::view::NoticeLevel;
use binhan_core::cases::{CaseAction, CaseDetail};
use binhan_core::model::{CaseId, Consent, ConsentGiver, Sex};
use binhan_core::shelters::{AcceptedGroup, GeoPoint, PlacementNeeds, Shelter, ShelterId};
use binhan_core::Error;

impl Inner {
    fn finder_refuse(&mut self, refusal: Refusal) {
        let reason = refusal.reason(self.lang);
        self.notice(NoticeLevel::Error, reason);
    }

    fn finder_inform(&mut self, label: L, code: &str) {
        let text = label.get(self.lang);
        self.inform_text(code, text);
    }

    /// Opens the finder, for `case` when it comes from one.
    pub(crate) fn finder_open(&mut self, case: Option<&str>) {
        if !self.unlocked() || self.top().before_unlock() {
            return self.refuse(Why::NotAvailableHere);
        }
        let case = match case.map(str::parse::<CaseId>) {
            None => None,
            Some(Ok(id)) if self.vault.as_ref().is_some_and(|v| v.case(id).is_ok()) => Some(id),
            Some(_) => return self.refuse(Why::CaseNotFound),
        };
        self.finder = self.finder.reopen(case);
        if *self.top() != Route::FindShelter {
            self.stack.push(Route::FindShelter);
        }
    }

    fn on_finder(&mut self) -> bool {
        if *self.top() == Route::FindShelter {
            return true;
        }
        self.refuse(Why::NotAvailableHere);
        false
    }

    pub(crate) fn finder_use_location(&mut self) {
        if self.on_finder() {
            self.effects.push(Effect::RequestLocation);
        }
    }

    /// The location the shell sends, in millionths of a degree.
    pub(crate) fn finder_located(&mut self, lat_e6: i32, lon_e6: i32) {
        if !self.on_finder() {
            return;
        }
        let point = GeoPoint::new(f64::from(lat_e6) / 1e6, f64::from(lon_e6) / 1e6);
        if point.is_valid() {
            self.finder.origin = Some(point);
            self.finder.origin_place = None;
        } else {
            self.refuse(Why::NotAvailableHere);
        }
    }

    /// The text typed in "search from a village".
    pub(crate) fn finder_search_places(&mut self, value: &str) {
        if self.on_finder() {
            self.finder.type_place(value);
        }
    }

    /// Searches from the place at `index` of the list shown; the list and
    /// the text typed are cleared.
    pub(crate) fn finder_choose_origin(&mut self, index: u32) {
        if !self.on_finder() {
            return;
        }
        let Some(place) = self.finder.listed_place(index).cloned() else {
            return self.refuse(Why::NotAvailableHere);
        };
        self.finder.origin = Some(place.point());
        self.finder.origin_place = Some(place.name);
        self.finder.type_place("");
    }

    pub(crate) fn finder_toggle(&mut self, filter: ShelterFilter) {
        if !self.on_finder() {
            return;
        }
        let filters = &mut self.finder.filters;
        match filters.iter().position(|f| *f == filter) {
            Some(at) => {
                filters.remove(at);
            }
            None => filters.push(filter),
        }
    }

    /// The shelter `id` names, from the directory on the phone.
    fn shelter(&mut self, id: &str) -> Option<Shelter> {
        let found = id.parse::<ShelterId>().ok().and_then(|id| {
            let directory = self.vault.as_ref()?.shelter_directory().ok()??;
            directory.shelters.into_iter().find(|s| s.id == id)
        });
        if found.is_none() {
            self.finder_refuse(Refusal::ShelterUnknown);
        }
        found
    }

    /// Dials the host's number from the directory (never a number the shell
    /// makes up).
    pub(crate) fn call_host(&mut self, shelter: &str) {
        if !self.on_finder() {
            return;
        }
        let Some(shelter) = self.shelter(shelter) else {
            return;
        };
        match shelter.contact.phone {
            Some(number) => self.effects.push(Effect::Dial { number }),
            None => self.finder_refuse(Refusal::ShelterUnknown),
        }
    }

    fn finder_case(&mut self) -> Option<(CaseId, CaseDetail)> {
        let id = self.finder.case?;
        match self.vault.as_ref().map(|v| v.case(id)) {
            Some(Ok(detail)) => Some((id, detail)),
            _ => {
                self.refuse(Why::CaseUnreadable);
                None
            }
        }
    }

    /// Records that the survivor agreed to share what a placement needs
    /// with this shelter (the collaborator asked them).
    pub(crate) fn confirm_shelter_consent(&mut self, shelter: &str) {
        if !self.on_finder() {
            return;
        }
        let Some((id, _)) = self.finder_case() else {
            return self.refuse(Why::NotAvailableHere);
        };
        let Some(shelter) = self.shelter(shelter) else {
            return;
        };
        let consent = Consent {
            scope: shelter.consent_scope(),
            granted: true,
            given_by: ConsentGiver::Survivor,
        };
        let recorded = self
            .vault
            .as_ref()
            .map(|v| v.act(id, CaseAction::RecordConsent(consent)));
        match recorded {
            Some(Ok(_)) => self.finder_inform(L::ConsentRecorded, "consent_recorded"),
            _ => self.refuse(Why::StorageFailed),
        }
    }

    /// Asks the host for a place for the case's survivor: one person, of
    /// the survivor's group; only with the consent for that shelter.
    pub(crate) fn request_placement(&mut self, shelter: &str) {
        if !self.on_finder() {
            return;
        }
        let Some((id, case)) = self.finder_case() else {
            return self.refuse(Why::NotAvailableHere);
        };
        let Some(shelter) = self.shelter(shelter) else {
            return;
        };
        if !has_consent(&case, &shelter) {
            return self.finder_refuse(Refusal::ConsentNeeded);
        }
        // Core derives whether the survivor is a child from the case.
        let child = case.derived.survivor_is_child == Some(true);
        let group = match (child, case.survivor.sex) {
            (true, _) => AcceptedGroup::ChildrenAlone,
            (false, Sex::Male) => AcceptedGroup::Men,
            (false, _) => AcceptedGroup::Women,
        };
        let needs = PlacementNeeds {
            people: 1,
            children: u8::from(child),
            group,
            step_free: self.finder.filters.contains(&ShelterFilter::StepFree),
            disability_support: self.finder.filters.contains(&ShelterFilter::Disability),
            languages: Vec::new(),
        };
        let requested = self
            .vault
            .as_ref()
            .map(|v| v.request_placement(id, shelter.id, needs));
        match requested {
            Some(Ok(_)) => self.finder_inform(L::Requested, "placement_requested"),
            Some(Err(Error::NotAllowed(refusal))) => self.refuse_core(refusal),
            Some(Err(Error::Invalid { .. })) => self.finder_refuse(Refusal::RequestRefused),
            _ => self.refuse(Why::StorageFailed),
        }
    }
}
