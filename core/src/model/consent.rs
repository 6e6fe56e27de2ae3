//! Informed consent: to each service and recipient, and to non-identifying
//! statistics. Consent is recorded, never assumed, and can be withdrawn.

use super::validate::required_text;
use super::{DeviceId, Perpetrator, Relationship, ServiceType};
use crate::error::Refusal;
use crate::{coded_enum, Error, Result};
use serde::{Deserialize, Serialize};

coded_enum! {
    /// Who gave (or refused) consent.
    pub enum ConsentGiver: "consent_giver" {
        "The survivor." Survivor = ("survivor", "người bị bạo lực", "the survivor"),
        "A parent or caregiver, for a child." Caregiver = ("caregiver", "cha mẹ hoặc người chăm sóc (đối với trẻ em)", "parent or caregiver (for a child)"),
    }
}

/// What a consent is for.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum ConsentScope {
    /// Counting the case, without identifying anyone, in statistics.
    Statistics,
    /// Sharing what one service needs with one recipient agency.
    Service {
        /// The service.
        service: ServiceType,
        /// The agency or provider that would receive it.
        recipient: String,
    },
    /// Sharing the whole case with one more person, whose phone joins the
    /// case's team. Needed for anyone but the case's creator and the case
    /// managers of the survivor's commune (`crate::sync::lacks_consent`).
    TeamMember {
        /// The phone that joins.
        device: DeviceId,
        /// Who that is, as the survivor was told (shown, not compared: the
        /// device is what counts).
        label: String,
    },
    /// Transferring the case to the case managers of another commune,
    /// where the survivor now lives.
    Transfer {
        /// The commune (code).
        commune: String,
    },
}

impl ConsentScope {
    /// Checks the scope's fields.
    pub fn validate(&self) -> Result<()> {
        match self {
            Self::Statistics => Ok(()),
            Self::Service { recipient, .. } => {
                required_text("consent.scope.recipient", recipient, 120)
            }
            Self::TeamMember { label, .. } => required_text("consent.scope.label", label, 120),
            Self::Transfer { commune } => super::validate_commune("consent.scope.commune", commune),
        }
    }

    /// A stable key for this scope (used to name its merge register). A
    /// recipient is compared as typed on any keyboard
    /// ([`name_key`](super::validate::name_key)). A team member is its
    /// device, whatever the label.
    pub fn key(&self) -> String {
        match self {
            Self::Statistics => "consent.statistics".into(),
            Self::Service { service, recipient } => {
                use super::Coded;
                let recipient = super::validate::name_key(recipient);
                format!("consent.service.{}.{recipient}", service.code())
            }
            Self::TeamMember { device, .. } => format!("consent.team_member.{device}"),
            Self::Transfer { commune } => format!("consent.transfer.{commune}"),
        }
    }

    /// Whether `other` is the same scope (the same service and recipient,
    /// compared as [`key`](Self::key) does), wherever consent is checked.
    pub fn same_as(&self, other: &Self) -> bool {
        self.key() == other.key()
    }
}

/// A consent decision as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Consent {
    /// What it is for.
    pub scope: ConsentScope,
    /// Granted (true) or refused/withdrawn (false).
    pub granted: bool,
    /// Who decided.
    #[serde(default)]
    pub given_by: ConsentGiver,
}

impl Consent {
    /// Checks the consent's fields.
    pub fn validate(&self) -> Result<()> {
        self.scope.validate()
    }

    /// Checks that whoever decided may decide for this survivor: the
    /// survivor always; a parent or caregiver only for a child (or a
    /// survivor whose age is not known), and never while a parent or
    /// caregiver is an alleged perpetrator (the plan's rule).
    pub fn check_giver(
        &self,
        survivor_is_child: Option<bool>,
        perpetrators: &[Perpetrator],
    ) -> Result<()> {
        if self.given_by != ConsentGiver::Caregiver {
            return Ok(());
        }
        if survivor_is_child == Some(false) {
            return Err(Error::NotAllowed(Refusal::AdultDecidesHerself));
        }
        if caregiver_is_perpetrator(perpetrators) {
            return Err(Error::NotAllowed(Refusal::CaregiverIsPerpetrator));
        }
        Ok(())
    }

    /// Whether this decision counts where consent is needed: a parent's or
    /// caregiver's grant does not while one of them is an alleged
    /// perpetrator (recorded before that was known, or by another app).
    pub fn counts(&self, perpetrators: &[Perpetrator]) -> bool {
        self.granted
            && !(self.given_by == ConsentGiver::Caregiver && caregiver_is_perpetrator(perpetrators))
    }
}

/// Whether a parent or caregiver is among the alleged perpetrators.
pub fn caregiver_is_perpetrator(perpetrators: &[Perpetrator]) -> bool {
    perpetrators
        .iter()
        .any(|p| p.relationship == Relationship::ParentCaregiver)
}
