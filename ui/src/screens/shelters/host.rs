//! The shelter host's desk: start hosting a shelter the directory names
//! this phone as the host of, confirm free places, answer requests
//! (accept, or decline with a reason), record arrival, departure or no-show.
//! Requests carry only what a host needs: how many people, which group,
//! access and languages; never a name or a case.

use super::text::{HostL, Refusal};
use crate::core::{Inner, Route};
use crate::event::Event;
use crate::text::Why;
use crate::view::{Action, NoticeLevel};
use crate::{format, view::Reason};
use binhan_core::app::Vault;
use binhan_core::model::{Coded, Lang};
use binhan_core::shelters::{
    DeclineReason, HostedShelter, PlacementNeeds, PlacementStatus, RequestId, ShelterId, Stay,
};
use binhan_core::Error;
use serde::Serialize;

/// One request or stay, as the host sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct StayRow {
    /// "2 people (1 child) · women with children".
    pub needs: String,
    /// Access and language needs, if any.
    pub details: Option<String>,
    /// Where it stands.
    pub status: String,
    /// When it last changed.
    pub updated: String,
    /// What the host can do now, by the stay's status.
    pub actions: Vec<Action>,
}

/// The host's desk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct HostView {
    /// The shelter hosted, when hosting.
    pub shelter: Option<String>,
    /// "3 of 6 places free · confirmed 10:05 15/11/2026".
    pub places: Option<String>,
    /// One place fewer or more (confirms the figure).
    pub fewer: Option<Action>,
    /// One place more.
    pub more: Option<Action>,
    /// Shelters the directory names this phone as host of, to start.
    pub start: Vec<Action>,
    /// Why there is nothing to host, when there is nothing.
    pub empty: Option<String>,
    /// Requests waiting for an answer, oldest first.
    pub inbox: Vec<StayRow>,
    /// Accepted requests and stays.
    pub stays: Vec<StayRow>,
}

fn needs_text(needs: &PlacementNeeds, lang: Lang) -> (String, Option<String>) {
    let group = needs.group.label(lang);
    let head = HostL::People(needs.people, needs.children, group.to_string()).get(lang);
    let mut details: Vec<String> = Vec::new();
    if needs.step_free {
        details.push(HostL::StepFree.get(lang));
    }
    if needs.disability_support {
        details.push(HostL::Disability.get(lang));
    }
    if !needs.languages.is_empty() {
        let langs: Vec<&str> = needs.languages.iter().map(|l| l.label(lang)).collect();
        details.push(langs.join(", "));
    }
    (head, (!details.is_empty()).then(|| details.join(" · ")))
}

fn stay_row(stay: &Stay, lang: Lang) -> StayRow {
    let request = stay.request.request.to_string();
    let act = |label: HostL, event: Event| Action::new(label.get(lang), event);
    let actions = match stay.status {
        PlacementStatus::Requested => {
            let mut actions = vec![act(
                HostL::Accept,
                Event::AcceptPlacement {
                    request: request.clone(),
                },
            )];
            actions.extend(DeclineReason::ALL.iter().map(|reason| {
                act(
                    HostL::Decline(reason.label(lang).to_string()),
                    Event::DeclinePlacement {
                        request: request.clone(),
                        reason: *reason,
                    },
                )
            }));
            actions
        }
        PlacementStatus::Accepted => vec![
            act(
                HostL::Arrived,
                Event::RecordArrival {
                    request: request.clone(),
                },
            ),
            act(HostL::NoShow, Event::RecordNoShow { request }),
        ],
        PlacementStatus::Arrived => vec![act(HostL::Departed, Event::RecordDeparture { request })],
        _ => Vec::new(),
    };
    let (needs, details) = needs_text(&stay.request.needs, lang);
    StayRow {
        needs,
        details,
        status: stay.status.label(lang).to_string(),
        updated: format::instant(stay.updated_at),
        actions,
    }
}

/// The desk of this phone.
pub(crate) fn view(vault: &Vault, lang: Lang) -> HostView {
    let hosted = vault.hosted_shelter().ok().flatten();
    let directory = vault.shelter_directory().ok().flatten();
    let me = vault.device_id().ok();
    let name_of = |id: ShelterId| {
        directory
            .as_ref()
            .and_then(|d| d.shelters.iter().find(|s| s.id == id))
            .map_or_else(|| id.to_string(), |s| s.name.clone())
    };
    match hosted {
        Some(HostedShelter {
            shelter,
            capacity,
            free_places,
            confirmed_at,
            stays,
        }) => {
            let (inbox, others): (Vec<&Stay>, Vec<&Stay>) = stays
                .values()
                .partition(|s| s.status == PlacementStatus::Requested);
            HostView {
                shelter: Some(name_of(shelter)),
                places: Some(
                    HostL::Places(free_places, capacity, format::instant(confirmed_at)).get(lang),
                ),
                fewer: (free_places > 0).then(|| {
                    Action::new(
                        HostL::Fewer.get(lang),
                        Event::SetFreePlaces {
                            free: free_places - 1,
                        },
                    )
                }),
                more: (free_places < capacity).then(|| {
                    Action::new(
                        HostL::More.get(lang),
                        Event::SetFreePlaces {
                            free: free_places + 1,
                        },
                    )
                }),
                start: Vec::new(),
                empty: None,
                inbox: inbox.into_iter().map(|s| stay_row(s, lang)).collect(),
                stays: others
                    .into_iter()
                    .filter(|s| {
                        matches!(
                            s.status,
                            PlacementStatus::Accepted | PlacementStatus::Arrived
                        )
                    })
                    .map(|s| stay_row(s, lang))
                    .collect(),
            }
        }
        None => {
            let start: Vec<Action> = directory
                .iter()
                .flat_map(|d| d.shelters.iter())
                .filter(|s| s.active && s.host_device.is_some() && s.host_device == me)
                .map(|s| {
                    Action::new(
                        HostL::Start(s.name.clone()).get(lang),
                        Event::HostShelter {
                            shelter: s.id.to_string(),
                        },
                    )
                })
                .collect();
            HostView {
                shelter: None,
                places: None,
                fewer: None,
                more: None,
                empty: start.is_empty().then(|| HostL::NotAHost.get(lang)),
                start,
                inbox: Vec::new(),
                stays: Vec::new(),
            }
        }
    }
}

/// A host's step on a request.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Step {
    Accept,
    Decline(DeclineReason),
    Arrival,
    Departure,
    NoShow,
}

impl Inner {
    fn on_desk(&mut self) -> Option<std::sync::Arc<Vault>> {
        if *self.top() != Route::HostDesk {
            self.refuse(Why::NotAvailableHere);
            return None;
        }
        self.vault.clone()
    }

    fn host_refuse(&mut self, refusal: Refusal) {
        let reason: Reason = refusal.reason(self.lang);
        self.notice(NoticeLevel::Error, reason);
    }

    /// Starts hosting `shelter` with every place free.
    pub(crate) fn host_start(&mut self, shelter: &str) {
        let Some(vault) = self.on_desk() else { return };
        let Ok(id) = shelter.parse::<ShelterId>() else {
            return self.host_refuse(Refusal::ShelterUnknown);
        };
        let capacity = vault
            .shelter_directory()
            .ok()
            .flatten()
            .and_then(|d| d.shelters.into_iter().find(|s| s.id == id))
            .map(|s| s.capacity);
        let Some(capacity) = capacity else {
            return self.host_refuse(Refusal::ShelterUnknown);
        };
        if vault.host_shelter(id, capacity).is_err() {
            self.host_refuse(Refusal::NotTheHost);
        }
    }

    /// Confirms the number of free places.
    pub(crate) fn host_set_free(&mut self, free: u16) {
        let Some(vault) = self.on_desk() else { return };
        if vault.set_free_places(free).is_err() {
            self.host_refuse(Refusal::PlacesOutOfRange);
        }
    }

    /// Answers a request, or records what happened to a stay.
    pub(crate) fn host_step(&mut self, request: &str, step: Step) {
        let Some(vault) = self.on_desk() else { return };
        let Ok(id) = request.parse::<RequestId>() else {
            return self.host_refuse(Refusal::RequestUnknown);
        };
        let done = match step {
            Step::Accept => vault.accept_placement(id),
            Step::Decline(reason) => vault.decline_placement(id, reason),
            Step::Arrival => vault.record_arrival(id),
            Step::Departure => vault.record_departure(id),
            Step::NoShow => vault.record_no_show(id),
        };
        match done {
            Ok(_) => {}
            Err(Error::NotFound(_)) => self.host_refuse(Refusal::RequestUnknown),
            Err(Error::NotAllowed(refusal)) => self.refuse_core(refusal),
            Err(Error::Invalid { .. }) => self.host_refuse(Refusal::StepNotAllowed),
            Err(_) => self.refuse(Why::StorageFailed),
        }
    }
}
