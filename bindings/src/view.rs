//! The case detail as the apps receive it.
//!
//! uniffi has no generics, so the views in core that hold
//! [`binhan_core::events::Attributed<T>`] are mirrored here with one concrete
//! `Attributed…` record per value type (made by a macro) and filled from the
//! core view by `From`. Every other type (survivor, incident, the summary,
//! the filter, the enumerations …) derives its uniffi traits in core, behind
//! the `uniffi` feature, and is not copied.

use binhan_core::cases;
use binhan_core::events::{self, Attributed, ConflictValue};
use binhan_core::model::{
    CaseId, CaseStatus, Consent, ConsentScope, DeviceId, EventId, FollowUp, Incident, Note,
    RiskAssessment, RiskLevel, SafetyPlan, ServiceRecord, StatusChange, Survivor,
};
use binhan_core::shelters::Placement;
use chrono::{DateTime, NaiveDate, Utc};

uniffi::use_remote_type!(binhan_core::NaiveDate);
uniffi::use_remote_type!(binhan_core::Timestamp);

/// An instant (UTC), as core's `Timestamp` custom type carries it.
type Timestamp = DateTime<Utc>;

macro_rules! attributed {
    ($($doc:literal $name:ident($ty:ty)),+ $(,)?) => {$(
        #[doc = $doc]
        #[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
        pub struct $name {
            /// The value.
            pub value: $ty,
            /// The event that wrote it.
            pub event: EventId,
            /// The device that wrote it.
            pub author: DeviceId,
            /// When, by the author's clock.
            pub at: Timestamp,
        }

        impl From<Attributed<$ty>> for $name {
            fn from(a: Attributed<$ty>) -> Self {
                Self { value: a.value, event: a.event, author: a.author, at: a.at }
            }
        }
    )+};
}

attributed! {
    "A day, with who recorded it and when." AttributedDate(NaiveDate),
    "A closure or reopening, with who recorded it and when." AttributedStatusChange(StatusChange),
    "A risk assessment, with who recorded it and when." AttributedRisk(RiskAssessment),
    "A safety plan, with who recorded it and when." AttributedSafetyPlan(SafetyPlan),
    "A consent decision, with who recorded it and when." AttributedConsent(Consent),
    "A service outcome, with who recorded it and when." AttributedService(ServiceRecord),
    "A follow-up, with who recorded it and when." AttributedFollowUp(FollowUp),
    "A note, with who wrote it and when." AttributedNote(Note),
    "A shelter placement, with who recorded it and when." AttributedPlacement(Placement),
    "A conflicting value, with who wrote it and when." AttributedConflictValue(ConflictValue),
}

fn all<A, B: From<A>>(items: Vec<A>) -> Vec<B> {
    items.into_iter().map(B::from).collect()
}

/// The consent for one scope as it stands.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ConsentStatus {
    /// What it is for.
    pub scope: ConsentScope,
    /// Granted by every current value (a conflict never counts as consent).
    pub granted: bool,
    /// The current values: one, or several in conflict.
    pub values: Vec<AttributedConsent>,
}

impl From<cases::ConsentStatus> for ConsentStatus {
    fn from(c: cases::ConsentStatus) -> Self {
        Self {
            scope: c.scope,
            granted: c.granted,
            values: all(c.values),
        }
    }
}

/// Concurrent values of a safety-critical field, for a person to resolve.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Conflict {
    /// The field, e.g. `risk` or `consent.statistics`; pass it back to
    /// `CaseAction.ResolveConflict`.
    pub field: String,
    /// The values side by side, oldest first.
    pub candidates: Vec<AttributedConflictValue>,
}

impl From<events::Conflict> for Conflict {
    fn from(c: events::Conflict) -> Self {
        Self {
            field: c.field,
            candidates: all(c.candidates),
        }
    }
}

/// Everything about one case, for its detail screen.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct CaseDetail {
    /// The case.
    pub id: CaseId,
    /// Open or closed.
    pub status: CaseStatus,
    /// The latest closure or reopening.
    pub status_change: Option<AttributedStatusChange>,
    /// Day recorded, and by which device.
    pub recorded: Option<AttributedDate>,
    /// The survivor.
    pub survivor: Survivor,
    /// The incident.
    pub incident: Incident,
    /// Facts derived from the record.
    pub derived: cases::Derived,
    /// The risk level to act on (the highest while values conflict).
    pub risk_level: Option<RiskLevel>,
    /// Current risk assessments: one, or several in conflict.
    pub risk: Vec<AttributedRisk>,
    /// The safety plan.
    pub safety_plan: Option<AttributedSafetyPlan>,
    /// Consent per scope.
    pub consents: Vec<ConsentStatus>,
    /// Service outcomes in order.
    pub services: Vec<AttributedService>,
    /// Follow-ups in order.
    pub follow_ups: Vec<AttributedFollowUp>,
    /// Day of the next follow-up.
    pub next_follow_up: Option<NaiveDate>,
    /// Notes in order.
    pub notes: Vec<AttributedNote>,
    /// The current shelter placement: one, or several in conflict.
    pub placement: Vec<AttributedPlacement>,
    /// Referrals, each as its steps tell it, in the order sent.
    pub referrals: Vec<binhan_core::referrals::ReferralSummary>,
    /// A student's case: where it stands in the school procedure.
    pub school: Option<binhan_core::cases::SchoolProcedure>,
    /// Concurrent values for a person to resolve.
    pub conflicts: Vec<Conflict>,
    /// Newest change.
    pub last_activity: Timestamp,
    /// Number of events merged.
    pub event_count: u32,
}

impl From<cases::CaseDetail> for CaseDetail {
    fn from(d: cases::CaseDetail) -> Self {
        Self {
            id: d.id,
            status: d.status,
            status_change: d.status_change.map(Into::into),
            recorded: d.recorded.map(Into::into),
            survivor: d.survivor,
            incident: d.incident,
            derived: d.derived,
            risk_level: d.risk_level,
            risk: all(d.risk),
            safety_plan: d.safety_plan.map(Into::into),
            consents: all(d.consents),
            services: all(d.services),
            follow_ups: all(d.follow_ups),
            next_follow_up: d.next_follow_up,
            notes: all(d.notes),
            placement: all(d.placement),
            referrals: d.referrals,
            school: d.school,
            conflicts: all(d.conflicts),
            last_activity: d.last_activity,
            event_count: d.event_count,
        }
    }
}
