//! A placement as the case records it, and the rules of its life: requested,
//! accepted or declined, arrived, departed (or cancelled, or no-show).
//!
//! On the case the placement is a multi-value register, like the risk level:
//! two collaborators who place the same survivor at the same time, offline,
//! both keep their placement and a person resolves the conflict. Each step
//! that matters to the survivor's support also becomes a `safe_shelter`
//! service record of the case.

use super::ids::{RequestId, ShelterId};
use super::model::{AcceptedGroup, Language};
use crate::error::{Refusal, Rule};
use crate::events::{CaseState, Change, MultiWrite};
use crate::model::validate::{distinct, past_date, required_text};
use crate::model::{CaseStatus, ServiceOutcome, ServiceRecord, ServiceType};
use crate::{coded_enum, Error, Result};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

coded_enum! {
    /// Where a placement stands.
    pub enum PlacementStatus: "placement_status" {
        "Asked for; waiting for the host." Requested = ("requested", "đã gửi yêu cầu", "requested"),
        "The host accepted; places are held." Accepted = ("accepted", "nơi tạm lánh đã nhận", "accepted"),
        "The host declined." Declined = ("declined", "nơi tạm lánh từ chối", "declined"),
        "Withdrawn by the collaborator (the survivor chose otherwise)." Cancelled = ("cancelled", "đã hủy yêu cầu", "cancelled"),
        "The people arrived at the shelter." Arrived = ("arrived", "đã đến nơi tạm lánh", "arrived"),
        "The people left the shelter." Departed = ("departed", "đã rời nơi tạm lánh", "departed"),
        "Accepted, but nobody came." NoShow = ("no_show", "không đến", "did not arrive"),
    }
}

impl PlacementStatus {
    /// Whether the placement is under way (places asked for or held).
    pub fn is_active(self) -> bool {
        matches!(self, Self::Requested | Self::Accepted | Self::Arrived)
    }

    /// Whether a placement may go from `previous` to this status.
    pub fn may_follow(self, previous: PlacementStatus) -> bool {
        use PlacementStatus::*;
        matches!(
            (previous, self),
            (Requested, Accepted | Declined | Cancelled)
                | (Accepted, Arrived | Cancelled | NoShow)
                | (Arrived, Departed)
        )
    }
}

coded_enum! {
    /// Why a host declined a placement.
    pub enum DeclineReason: "placement_decline_reason" {
        "No free places for that many people." NoFreePlaces = ("no_free_places", "không còn đủ chỗ trống", "no free places"),
        "The shelter does not take this group." GroupNotAccepted = ("group_not_accepted", "không tiếp nhận đối tượng này", "does not take this group"),
        "Accessibility or language needs cannot be met." CannotMeetNeeds = ("cannot_meet_needs", "không đáp ứng được nhu cầu tiếp cận hoặc ngôn ngữ", "cannot meet the needs"),
        "Not taking people in at present." NotTakingPeople = ("not_taking_people", "tạm ngừng tiếp nhận", "not taking people in"),
        "A concern for the safety of the people or the shelter." SafetyConcern = ("safety_concern", "lo ngại về an toàn", "safety concern"),
        "Another reason (to be discussed by phone)." Other = ("other", "lý do khác", "other reason"),
    }
}

/// Most people one request may place.
pub const MAX_PEOPLE: u8 = 20;

/// What a host needs to know to take people in, and nothing more: no name,
/// no case, no account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct PlacementNeeds {
    /// People to place, children included.
    pub people: u8,
    /// Children among them.
    #[serde(default)]
    pub children: u8,
    /// Who they are (women, a woman with children, children alone, men).
    pub group: AcceptedGroup,
    /// Someone needs step-free access.
    #[serde(default)]
    pub step_free: bool,
    /// Someone needs support for a disability.
    #[serde(default)]
    pub disability_support: bool,
    /// Languages they speak (any one suffices).
    #[serde(default)]
    pub languages: Vec<Language>,
}

impl PlacementNeeds {
    /// Checks the numbers against the group.
    pub fn validate(&self) -> Result<()> {
        if self.people == 0 || self.people > MAX_PEOPLE {
            return Err(Error::invalid(
                "needs.people",
                Rule::OutOfRange {
                    min: 1,
                    max: MAX_PEOPLE.into(),
                },
            ));
        }
        if self.children > self.people {
            return Err(Error::invalid(
                "needs.children",
                Rule::MoreChildrenThanPeople,
            ));
        }
        let consistent = match self.group {
            AcceptedGroup::ChildrenAlone => self.children == self.people,
            AcceptedGroup::WomenWithChildren => self.children >= 1 && self.children < self.people,
            AcceptedGroup::Women | AcceptedGroup::Men => self.children == 0,
        };
        if !consistent {
            return Err(Error::invalid(
                "needs.children",
                Rule::ChildrenDisagreeWithGroup,
            ));
        }
        distinct("needs.languages", &self.languages)
    }
}

/// The placement of a case as its register holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Placement {
    /// The request, from first ask to departure.
    pub request: RequestId,
    /// The shelter.
    pub shelter: ShelterId,
    /// The shelter's name when placed (the directory may change later).
    pub shelter_name: String,
    /// Where it stands.
    pub status: PlacementStatus,
    /// People placed.
    pub people: u8,
    /// Children among them.
    pub children: u8,
    /// Day of this status.
    pub on: NaiveDate,
    /// The host's reason, when declined.
    #[serde(default)]
    pub decline_reason: Option<DeclineReason>,
}

/// The key of the placement register of a case.
pub const PLACEMENT_REGISTER: &str = "placement";

impl Placement {
    fn validate(&self, today: NaiveDate) -> Result<()> {
        required_text("placement.shelter_name", &self.shelter_name, 120)?;
        past_date("placement.on", self.on, today)?;
        if self.people == 0 || self.people > MAX_PEOPLE || self.children > self.people {
            return Err(Error::invalid(
                "placement.people",
                Rule::OutOfRange {
                    min: 1,
                    max: MAX_PEOPLE.into(),
                },
            ));
        }
        if self.decline_reason.is_some() != (self.status == PlacementStatus::Declined) {
            return Err(Error::invalid(
                "placement.decline_reason",
                Rule::OnlyWhenDeclined,
            ));
        }
        Ok(())
    }

    /// The service record this step adds to the case, if any.
    fn service(&self) -> Option<ServiceRecord> {
        let outcome = match self.status {
            PlacementStatus::Accepted => ServiceOutcome::Offered,
            PlacementStatus::Declined => ServiceOutcome::Unavailable,
            PlacementStatus::Arrived => ServiceOutcome::Delivered,
            PlacementStatus::Cancelled => ServiceOutcome::Declined,
            PlacementStatus::Requested | PlacementStatus::Departed | PlacementStatus::NoShow => {
                return None
            }
        };
        Some(ServiceRecord {
            service: ServiceType::SafeShelter,
            outcome,
            date: self.on,
            provider: Some(self.shelter_name.clone()),
            note: None,
        })
    }
}

/// Checks a placement step against the case and returns the changes of its
/// event: the placement register, and the service record the step makes.
///
/// A new request needs an open case with no placement under way; any other
/// step must follow the current status of the same request.
pub(crate) fn plan_placement(
    state: &CaseState,
    placement: Placement,
    today: NaiveDate,
) -> Result<Vec<Change>> {
    placement.validate(today)?;
    let heads = state.placement_values();
    let same = heads.iter().find(|h| h.value.request == placement.request);
    let supersedes = match (placement.status, same) {
        (PlacementStatus::Requested, Some(_)) => {
            return Err(Error::NotAllowed(Refusal::AlreadyRecorded {
                status: PlacementStatus::Requested,
            }))
        }
        (PlacementStatus::Requested, None) => {
            if state.status() == CaseStatus::Closed {
                return Err(Error::NotAllowed(Refusal::CaseClosed));
            }
            if heads.iter().any(|h| h.value.status.is_active()) {
                return Err(Error::NotAllowed(Refusal::PlacementUnderWay));
            }
            state.head_events(PLACEMENT_REGISTER)
        }
        (_, None) => {
            return Err(Error::NotFound(format!(
                "placement request {} on this case",
                placement.request
            )))
        }
        (status, Some(current)) if status == current.value.status => {
            return Err(Error::NotAllowed(Refusal::AlreadyRecorded { status }))
        }
        (status, Some(current)) if !status.may_follow(current.value.status) => {
            return Err(Error::NotAllowed(Refusal::StepNotAllowed {
                from: current.value.status,
                to: status,
            }))
        }
        // Only this request's value: a concurrent placement of another
        // request stays in conflict until a person resolves it.
        (_, Some(current)) => vec![current.event],
    };
    let mut changes = Vec::with_capacity(2);
    if let Some(service) = placement.service() {
        changes.push(Change::ServiceAdded(service));
    }
    changes.insert(
        0,
        Change::Placement(MultiWrite {
            value: placement,
            supersedes,
        }),
    );
    Ok(changes)
}
