//! What the apps show: a case's detail, the list row, and list filters.

use crate::events::{Attributed, CaseState, Conflict};
use crate::model::{
    CaseId, CaseStatus, Consent, ConsentScope, FollowUp, Incident, Note, ReportingDelayBand,
    RiskAssessment, RiskLevel, SafetyPlan, ServiceRecord, StatusChange, Survivor, ViolenceType,
    ADULT_AGE,
};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// Facts computed from the record, never typed in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Derived {
    /// Days from incident to report, as a GBVIMS band.
    pub reporting_delay: ReportingDelayBand,
    /// The survivor's age on the day of the incident, if known.
    pub age_at_incident: Option<u32>,
    /// Whether the survivor was a child (under 18) at the incident, if known.
    pub survivor_is_child: Option<bool>,
}

impl Derived {
    /// Derives the facts of `state`.
    pub fn of(state: &CaseState, survivor: &Survivor, incident: &Incident) -> Self {
        let recorded_on = state.recorded_on().unwrap_or(incident.reported_on);
        let age = survivor.age_on(incident.date, recorded_on);
        Self {
            reporting_delay: incident.reporting_delay(),
            age_at_incident: age,
            survivor_is_child: age.map(|a| a < ADULT_AGE),
        }
    }
}

/// The consent for one scope as it stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConsentStatus {
    /// What it is for.
    pub scope: ConsentScope,
    /// Granted by every current value (a conflict never counts as consent).
    pub granted: bool,
    /// The current values: one, or several in conflict.
    pub values: Vec<Attributed<Consent>>,
}

/// Everything about one case, for its detail screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CaseDetail {
    /// The case.
    pub id: CaseId,
    /// Open or closed.
    pub status: CaseStatus,
    /// The latest closure or reopening.
    pub status_change: Option<Attributed<StatusChange>>,
    /// Day recorded, and by which device.
    pub recorded: Option<Attributed<NaiveDate>>,
    /// The survivor.
    pub survivor: Survivor,
    /// The incident.
    pub incident: Incident,
    /// Derived facts.
    pub derived: Derived,
    /// The risk level to act on (the highest while values conflict).
    pub risk_level: Option<RiskLevel>,
    /// Current risk assessments: one, or several in conflict.
    pub risk: Vec<Attributed<RiskAssessment>>,
    /// The safety plan.
    pub safety_plan: Option<Attributed<SafetyPlan>>,
    /// Consent per scope.
    pub consents: Vec<ConsentStatus>,
    /// Service outcomes in order.
    pub services: Vec<Attributed<ServiceRecord>>,
    /// The current shelter placement: one, or several in conflict.
    pub placement: Vec<Attributed<crate::shelters::Placement>>,
    /// Referrals, each as its steps tell it, in the order sent.
    pub referrals: Vec<crate::referrals::ReferralSummary>,
    /// A student's case: where it stands in the school procedure.
    pub school: Option<super::SchoolProcedure>,
    /// Follow-ups in order.
    pub follow_ups: Vec<Attributed<FollowUp>>,
    /// Day of the next follow-up.
    pub next_follow_up: Option<NaiveDate>,
    /// Notes in order.
    pub notes: Vec<Attributed<Note>>,
    /// Concurrent values for a person to resolve.
    pub conflicts: Vec<Conflict>,
    /// Newest change (UTC).
    pub last_activity: DateTime<Utc>,
    /// Number of events merged.
    pub event_count: u32,
}

impl CaseDetail {
    /// Whether the survivor's consent for `scope` is recorded and stands
    /// (compared by the scope's normalised key; a conflict is no consent).
    pub fn consented(&self, scope: &crate::model::ConsentScope) -> bool {
        self.consents
            .iter()
            .any(|c| c.granted && c.scope.same_as(scope))
    }

    /// The detail view of `state`.
    pub fn of(state: &CaseState) -> Self {
        let survivor = state.survivor();
        let incident = state.incident();
        let derived = Derived::of(state, &survivor, &incident);
        Self {
            id: state.id,
            status: state.status(),
            status_change: state.status_change(),
            recorded: state.created(),
            derived,
            risk_level: state.effective_risk(),
            risk: state.risk_values(),
            safety_plan: state.safety_plan(),
            consents: state
                .consent_values()
                .into_iter()
                .map(|(scope, values)| ConsentStatus {
                    granted: state.consent_granted(&scope),
                    scope,
                    values,
                })
                .collect(),
            services: state.services(),
            placement: state.placement_values(),
            referrals: crate::referrals::ReferralSummary::of(&state.referral_steps()),
            school: super::SchoolProcedure::of(state),
            follow_ups: state.follow_ups(),
            next_follow_up: state.next_follow_up(),
            notes: state.notes(),
            conflicts: state.conflicts(),
            last_activity: state.last_activity().to_utc(),
            event_count: u32::try_from(state.event_count()).unwrap_or(u32::MAX),
            survivor,
            incident,
        }
    }
}

/// One row of the case list: only what the list shows, so listing decrypts
/// little.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CaseSummary {
    /// The case.
    pub id: CaseId,
    /// Survivor code.
    pub survivor_code: String,
    /// Open or closed.
    pub status: CaseStatus,
    /// Risk level to act on.
    pub risk_level: Option<RiskLevel>,
    /// Commune of residence (code).
    pub commune: String,
    /// Violence type.
    pub violence_type: ViolenceType,
    /// Whether the survivor was a child at the incident.
    pub survivor_is_child: Option<bool>,
    /// Day of the next follow-up.
    pub next_follow_up: Option<NaiveDate>,
    /// Number of unresolved conflicts.
    pub open_conflicts: u32,
    /// Newest change (UTC).
    pub last_activity: DateTime<Utc>,
}

impl CaseSummary {
    /// The list row of `state`.
    pub fn of(state: &CaseState) -> Self {
        let survivor = state.survivor();
        let incident = state.incident();
        let derived = Derived::of(state, &survivor, &incident);
        Self {
            id: state.id,
            survivor_code: survivor.code,
            status: state.status(),
            risk_level: state.effective_risk(),
            commune: survivor.commune,
            violence_type: incident.violence_type,
            survivor_is_child: derived.survivor_is_child,
            next_follow_up: state.next_follow_up(),
            open_conflicts: u32::try_from(state.conflicts().len()).unwrap_or(u32::MAX),
            last_activity: state.last_activity().to_utc(),
        }
    }

    /// Where the next follow-up stands on `today`.
    pub fn follow_up_state(&self, today: NaiveDate) -> FollowUpState {
        match self.next_follow_up {
            None => FollowUpState::NonePlanned,
            Some(d) if d < today => FollowUpState::Overdue,
            Some(d) if d == today => FollowUpState::DueToday,
            Some(_) => FollowUpState::Planned,
        }
    }
}

/// Where a case's next follow-up stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum FollowUpState {
    /// None planned.
    NonePlanned,
    /// Planned for a later day.
    Planned,
    /// Due today.
    DueToday,
    /// The planned day has passed.
    Overdue,
}

/// Which follow-ups a list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum FollowUpFilter {
    /// Due today.
    DueToday,
    /// Past their day.
    Overdue,
    /// Due today or overdue.
    DueOrOverdue,
}

/// Filters for the case list; every set field must match.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CaseFilter {
    /// Only cases with this status.
    #[serde(default)]
    pub status: Option<CaseStatus>,
    /// Only cases at this risk level.
    #[serde(default)]
    pub risk: Option<RiskLevel>,
    /// Only cases of this commune (code).
    #[serde(default)]
    pub commune: Option<String>,
    /// Only cases whose follow-up is due or overdue.
    #[serde(default)]
    pub follow_up: Option<FollowUpFilter>,
    /// Only cases whose survivor code contains this text (case-insensitive).
    #[serde(default)]
    pub survivor_code: Option<String>,
}

impl CaseFilter {
    /// Whether `row` passes the filter on `today`.
    pub fn matches(&self, row: &CaseSummary, today: NaiveDate) -> bool {
        let follow_up_ok = match self.follow_up {
            None => true,
            Some(filter) => {
                let state = row.follow_up_state(today);
                match filter {
                    FollowUpFilter::DueToday => state == FollowUpState::DueToday,
                    FollowUpFilter::Overdue => state == FollowUpState::Overdue,
                    FollowUpFilter::DueOrOverdue => {
                        matches!(state, FollowUpState::DueToday | FollowUpState::Overdue)
                    }
                }
            }
        };
        let code_ok = self.survivor_code.as_ref().is_none_or(|needle| {
            row.survivor_code
                .to_lowercase()
                .contains(&needle.trim().to_lowercase())
        });
        self.status.is_none_or(|s| s == row.status)
            && self.risk.is_none_or(|r| Some(r) == row.risk_level)
            && self.commune.as_ref().is_none_or(|c| c == &row.commune)
            && follow_up_ok
            && code_ok
    }
}
