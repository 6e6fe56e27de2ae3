//! The GBV case model, adapted from the GBVIMS incident recording form to the
//! Lai Châu provincial plan. Every enumeration has a stable code and
//! Vietnamese and English labels ([`Coded`]).

mod closure;
mod coded;
mod commune;
mod consent;
mod follow_up;
mod ids;
mod incident;
mod record;
mod risk;
mod role;
mod service;
mod survivor;
pub mod validate;

pub use closure::{CaseStatus, Closure, ClosureChecklist, ClosureReason, StatusChange};
pub use coded::{Coded, Enumeration, Label, Lang};
pub use commune::{commune, validate_commune, Commune, COMMUNES};
pub use consent::{caregiver_is_perpetrator, Consent, ConsentGiver, ConsentScope};
pub use follow_up::{FollowUp, GoalProgress, GoalStatus, Note, MAX_NOTE_BYTES};
pub(crate) use ids::{from_hex, hex, random_id, serialize_hex, HexDigits};
pub use ids::{CaseId, DeviceId, EventId};
pub use incident::{
    AgeGroup, ContextFlag, Incident, IncidentField, Perpetrator, PlaceType, Relationship,
    ReportingDelayBand, TimeOfDay, ViolenceType, MAX_PERPETRATORS,
};
pub use risk::{RiskAssessment, RiskFactor, RiskLevel, SafetyPlan};
pub use role::Role;
pub use service::{ServiceOutcome, ServiceRecord, ServiceType};
pub use survivor::{
    years_between, ContactMethod, EthnicGroup, MaritalStatus, Sex, Survivor, SurvivorField,
    ADULT_AGE,
};

#[cfg(test)]
pub(crate) use incident::tests::incident as sample_incident;
#[cfg(test)]
pub(crate) use survivor::tests::{day, survivor as sample_survivor};

/// The labels of every enumeration the apps show.
pub fn all_enumerations() -> Vec<Enumeration> {
    vec![
        Enumeration::of::<Sex>(),
        Enumeration::of::<EthnicGroup>(),
        Enumeration::of::<MaritalStatus>(),
        Enumeration::of::<ContactMethod>(),
        Enumeration::of::<ViolenceType>(),
        Enumeration::of::<ContextFlag>(),
        Enumeration::of::<TimeOfDay>(),
        Enumeration::of::<PlaceType>(),
        Enumeration::of::<AgeGroup>(),
        Enumeration::of::<Relationship>(),
        Enumeration::of::<ReportingDelayBand>(),
        Enumeration::of::<ConsentGiver>(),
        Enumeration::of::<RiskLevel>(),
        Enumeration::of::<RiskFactor>(),
        Enumeration::of::<ServiceType>(),
        Enumeration::of::<ServiceOutcome>(),
        Enumeration::of::<GoalStatus>(),
        Enumeration::of::<CaseStatus>(),
        Enumeration::of::<ClosureReason>(),
        Enumeration::of::<Role>(),
    ]
}
