//! The host's side: free places, incoming requests, and the stays that
//! follow. One phone hosts one shelter. Requests are handled in the order
//! they arrive at the host, so when two collaborators ask for the last place
//! at once, the host accepts one and the other is told at that moment that
//! no place is left.

use super::availability::AvailabilityUpdate;
use super::ids::{RequestId, ShelterId};
use super::messages::{
    CancelRequest, Decision, MailMessage, PlacementRequest, PlacementResponse, Received, Recipient,
    StayUpdate,
};
use super::model::{Accessibility, Shelter};
use super::placement::{DeclineReason, PlacementStatus};
use crate::error::{Refusal, Rule};
use crate::model::DeviceId;
use crate::{Error, Result};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A message to send, with whom to.
pub type Outgoing = (Recipient, MailMessage);

/// One request as the host sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Stay {
    /// The request as received.
    pub request: PlacementRequest,
    /// The collaborator's device that sent it (answers go there).
    pub from: DeviceId,
    /// Where it stands.
    pub status: PlacementStatus,
    /// Why it was declined.
    pub decline_reason: Option<DeclineReason>,
    /// When it last changed (UTC).
    pub updated_at: DateTime<Utc>,
}

/// Requests and stays by request (crosses to Kotlin and Swift as a list in
/// request order).
pub type Stays = BTreeMap<RequestId, Stay>;

/// The shelter a phone hosts, and its requests and stays.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct HostedShelter {
    /// The shelter.
    pub shelter: ShelterId,
    /// Its places in all (from the directory).
    pub capacity: u16,
    /// Places free now.
    pub free_places: u16,
    /// When the host last confirmed the figure (UTC).
    pub confirmed_at: DateTime<Utc>,
    /// Requests and stays, by request.
    pub stays: Stays,
}

impl HostedShelter {
    /// Starts hosting `shelter` with `free_places` confirmed at `now`.
    pub fn new(shelter: &Shelter, free_places: u16, now: DateTime<Utc>) -> Result<Self> {
        check_free(free_places, shelter.capacity)?;
        Ok(Self {
            shelter: shelter.id,
            capacity: shelter.capacity,
            free_places,
            confirmed_at: now,
            stays: BTreeMap::new(),
        })
    }

    fn availability(&self) -> Outgoing {
        (
            Recipient::Everyone,
            MailMessage::Availability(AvailabilityUpdate {
                shelter: self.shelter,
                free_places: self.free_places,
                confirmed_at: self.confirmed_at,
            }),
        )
    }

    /// The free-places message to send to every device.
    pub fn announcement(&self) -> Outgoing {
        self.availability()
    }

    /// The host confirms how many places are free (beds can be out of use,
    /// people can stay unannounced: the host knows best).
    pub fn set_free_places(
        &mut self,
        free_places: u16,
        now: DateTime<Utc>,
    ) -> Result<Vec<Outgoing>> {
        check_free(free_places, self.capacity)?;
        self.free_places = free_places;
        self.confirmed_at = now;
        Ok(vec![self.availability()])
    }

    /// Takes the new capacity from the directory.
    pub fn update_capacity(&mut self, capacity: u16) {
        self.capacity = capacity;
        self.free_places = self.free_places.min(capacity);
    }

    /// Requests waiting for the host's decision, oldest first.
    pub fn pending(&self) -> Vec<&Stay> {
        let mut pending: Vec<&Stay> = self
            .stays
            .values()
            .filter(|s| s.status == PlacementStatus::Requested)
            .collect();
        pending.sort_by_key(|s| (s.request.sent_at, s.request.request));
        pending
    }

    /// A request arrives from `from`. Requests the shelter cannot take are
    /// declined at once, with the reason; the others wait for the host.
    pub fn receive_request(
        &mut self,
        from: DeviceId,
        request: PlacementRequest,
        shelter: &Shelter,
        now: DateTime<Utc>,
    ) -> Result<(Received, Vec<Outgoing>)> {
        if request.shelter != self.shelter || shelter.id != self.shelter {
            return Err(Error::NotAllowed(Refusal::NotHost));
        }
        request.needs.validate()?;
        if let Some(known) = self.stays.get(&request.request) {
            if known.from != from || known.request != request {
                return Err(Error::NotAllowed(Refusal::RequestIdReused));
            }
            return Ok((Received::Duplicate, Vec::new()));
        }
        let needs = &request.needs;
        let reason = if !shelter.active {
            Some(DeclineReason::NotTakingPeople)
        } else if !shelter.accepts(needs.group) {
            Some(DeclineReason::GroupNotAccepted)
        } else if (needs.step_free && !shelter.offers(Accessibility::StepFree))
            || (needs.disability_support && !shelter.offers(Accessibility::DisabilitySupport))
        {
            Some(DeclineReason::CannotMeetNeeds)
        } else if u16::from(needs.people) > self.free_places {
            Some(DeclineReason::NoFreePlaces)
        } else {
            None
        };
        let id = request.request;
        self.stays.insert(
            id,
            Stay {
                request,
                from,
                status: PlacementStatus::Requested,
                decline_reason: None,
                updated_at: now,
            },
        );
        let out = match reason {
            Some(reason) => self.decline(id, reason, now)?,
            None => Vec::new(),
        };
        Ok((Received::Applied, out))
    }

    fn stay_mut(&mut self, request: RequestId) -> Result<&mut Stay> {
        self.stays
            .get_mut(&request)
            .ok_or_else(|| Error::NotFound(format!("placement request {request}")))
    }

    fn response(&self, stay: &Stay, decision: Decision, now: DateTime<Utc>) -> Outgoing {
        (
            Recipient::Device(stay.from),
            MailMessage::Response(PlacementResponse {
                request: stay.request.request,
                shelter: self.shelter,
                decision,
                free_places: self.free_places,
                at: now,
            }),
        )
    }

    fn stay_update(&self, stay: &Stay, now: DateTime<Utc>) -> Outgoing {
        (
            Recipient::Device(stay.from),
            MailMessage::Stay(StayUpdate {
                request: stay.request.request,
                shelter: self.shelter,
                status: stay.status,
                free_places: self.free_places,
                at: now,
            }),
        )
    }

    fn transition(
        &mut self,
        request: RequestId,
        to: PlacementStatus,
        now: DateTime<Utc>,
    ) -> Result<Stay> {
        let stay = self.stay_mut(request)?;
        if !to.may_follow(stay.status) {
            return Err(Error::NotAllowed(Refusal::StepNotAllowed {
                from: stay.status,
                to,
            }));
        }
        stay.status = to;
        stay.updated_at = now;
        Ok(stay.clone())
    }

    /// The host accepts a request: its places are held, the collaborator is
    /// told, every device learns the new free places, and any other waiting
    /// request that no longer fits is declined and its collaborator told.
    pub fn accept(&mut self, request: RequestId, now: DateTime<Utc>) -> Result<Vec<Outgoing>> {
        let people = u16::from(self.stay_mut(request)?.request.needs.people);
        if self.stay_mut(request)?.status == PlacementStatus::Requested && people > self.free_places
        {
            return Err(Error::NotAllowed(Refusal::TooFewPlaces {
                people,
                free: self.free_places,
            }));
        }
        let stay = self.transition(request, PlacementStatus::Accepted, now)?;
        self.free_places -= people;
        self.confirmed_at = now;
        let mut out = vec![self.response(&stay, Decision::Accepted, now)];
        let crowded: Vec<RequestId> = self
            .pending()
            .iter()
            .filter(|s| u16::from(s.request.needs.people) > self.free_places)
            .map(|s| s.request.request)
            .collect();
        for other in crowded {
            out.extend(self.decline(other, DeclineReason::NoFreePlaces, now)?);
        }
        out.push(self.availability());
        Ok(out)
    }

    /// The host declines a request, with the reason.
    pub fn decline(
        &mut self,
        request: RequestId,
        reason: DeclineReason,
        now: DateTime<Utc>,
    ) -> Result<Vec<Outgoing>> {
        let mut stay = self.transition(request, PlacementStatus::Declined, now)?;
        stay.decline_reason = Some(reason);
        self.stay_mut(request)?.decline_reason = Some(reason);
        Ok(vec![self.response(&stay, Decision::Declined(reason), now)])
    }

    /// The people arrived.
    pub fn arrive(&mut self, request: RequestId, now: DateTime<Utc>) -> Result<Vec<Outgoing>> {
        let stay = self.transition(request, PlacementStatus::Arrived, now)?;
        Ok(vec![self.stay_update(&stay, now)])
    }

    fn release(&mut self, people: u8, now: DateTime<Utc>) {
        self.free_places = self
            .free_places
            .saturating_add(u16::from(people))
            .min(self.capacity);
        self.confirmed_at = now;
    }

    /// The people left: their places are free again.
    pub fn depart(&mut self, request: RequestId, now: DateTime<Utc>) -> Result<Vec<Outgoing>> {
        let stay = self.transition(request, PlacementStatus::Departed, now)?;
        self.release(stay.request.needs.people, now);
        Ok(vec![self.stay_update(&stay, now), self.availability()])
    }

    /// Nobody came for an accepted placement: the places are free again.
    pub fn no_show(&mut self, request: RequestId, now: DateTime<Utc>) -> Result<Vec<Outgoing>> {
        let stay = self.transition(request, PlacementStatus::NoShow, now)?;
        self.release(stay.request.needs.people, now);
        Ok(vec![self.stay_update(&stay, now), self.availability()])
    }

    /// The collaborator withdrew a request; places held for it are freed.
    pub fn receive_cancel(
        &mut self,
        from: DeviceId,
        cancel: &CancelRequest,
        now: DateTime<Utc>,
    ) -> Result<(Received, Vec<Outgoing>)> {
        let stay = self.stay_mut(cancel.request)?;
        if stay.from != from {
            return Err(Error::NotAllowed(Refusal::OnlySenderCancels));
        }
        match stay.status {
            PlacementStatus::Cancelled => Ok((Received::Duplicate, Vec::new())),
            PlacementStatus::Requested => {
                self.transition(cancel.request, PlacementStatus::Cancelled, now)?;
                Ok((Received::Applied, Vec::new()))
            }
            PlacementStatus::Accepted => {
                let stay = self.transition(cancel.request, PlacementStatus::Cancelled, now)?;
                self.release(stay.request.needs.people, now);
                Ok((Received::Applied, vec![self.availability()]))
            }
            // Declined, arrived, departed, no-show: the cancellation came too late.
            _ => Ok((Received::Stale, Vec::new())),
        }
    }
}

fn check_free(free_places: u16, capacity: u16) -> Result<()> {
    if free_places > capacity {
        return Err(Error::invalid(
            "free_places",
            Rule::OverCapacity { capacity },
        ));
    }
    Ok(())
}
