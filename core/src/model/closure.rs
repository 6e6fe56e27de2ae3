//! Closing and reopening a case.

use super::validate::optional_text;
use crate::error::Rule;
use crate::{coded_enum, Error, Result};
use serde::{Deserialize, Serialize};

coded_enum! {
    /// Whether a case is being worked on.
    pub enum CaseStatus: "case_status" {
        "Open." Open = ("open", "đang xử lý", "open"),
        "Closed." Closed = ("closed", "đã đóng hồ sơ", "closed"),
    }
}

coded_enum! {
    /// Why a case was closed.
    pub enum ClosureReason: "closure_reason" {
        "The survivor's needs are met." NeedsMet = ("needs_met", "nhu cầu đã được đáp ứng", "needs met"),
        "The survivor asked to close it." SurvivorRequest = ("survivor_request", "theo yêu cầu của người bị bạo lực", "at the survivor's request"),
        "The survivor moved away; case transferred." Transferred = ("transferred", "người bị bạo lực chuyển đi, đã chuyển hồ sơ", "moved away, transferred"),
        "No contact for a long time despite attempts." NoContact = ("no_contact", "không liên lạc được trong thời gian dài", "no contact despite attempts"),
        "Another reason." Other = ("other", "lý do khác", "other"),
    }
}

/// The checklist a case needs before it can close (GBV case management
/// closure standard). Every item must be confirmed.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ClosureChecklist {
    /// The case plan's needs are met, or the survivor declined them.
    pub needs_met_or_declined: bool,
    /// The survivor's safety was reviewed and the safety plan is current.
    pub safety_reviewed: bool,
    /// The survivor knows she can come back and reopen the case.
    pub survivor_informed_can_return: bool,
    /// Every service's outcome is recorded.
    pub service_outcomes_recorded: bool,
    /// A supervisor or the commune case manager reviewed the closure.
    pub supervisor_reviewed: bool,
}

impl ClosureChecklist {
    /// The items not yet confirmed, by name.
    pub fn missing(&self) -> Vec<&'static str> {
        let items = [
            ("needs_met_or_declined", self.needs_met_or_declined),
            ("safety_reviewed", self.safety_reviewed),
            (
                "survivor_informed_can_return",
                self.survivor_informed_can_return,
            ),
            ("service_outcomes_recorded", self.service_outcomes_recorded),
            ("supervisor_reviewed", self.supervisor_reviewed),
        ];
        items
            .iter()
            .filter(|(_, done)| !done)
            .map(|(name, _)| *name)
            .collect()
    }
}

/// A closure of a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Closure {
    /// Why.
    pub reason: ClosureReason,
    /// The checklist, every item confirmed.
    pub checklist: ClosureChecklist,
    /// A short remark.
    #[serde(default)]
    pub note: Option<String>,
}

impl Closure {
    /// Checks that the checklist is complete.
    pub fn validate(&self) -> Result<()> {
        let missing = self.checklist.missing();
        if !missing.is_empty() {
            return Err(Error::invalid(
                "closure.checklist",
                Rule::ChecklistIncomplete { missing },
            ));
        }
        optional_text("closure.note", self.note.as_deref(), 2_000)
    }
}

/// The case's status as the last status change set it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum StatusChange {
    /// Closed with its checklist.
    Closed(Closure),
    /// Reopened, with the reason.
    Reopened {
        /// Why it was reopened.
        reason: String,
    },
}
