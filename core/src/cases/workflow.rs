//! Workflow rules: what a person may do to a case, and the changes it makes.
//!
//! Each action is checked against the case's current state and becomes the
//! changes of one event. The rules live here, once, for both apps and the CLI.

use crate::error::{Refusal, Rule};
use crate::events::{CaseState, Change, ConflictValue, MultiWrite};
use crate::model::{
    CaseStatus, Closure, Consent, ConsentScope, EventId, FollowUp, Incident, Note, RiskAssessment,
    SafetyPlan, ServiceOutcome, ServiceRecord, StatusChange, Survivor, SurvivorField,
};
use crate::{Error, Result};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Something a person does to an existing case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum CaseAction {
    /// Replace the survivor's details (only changed fields are recorded).
    UpdateSurvivor(Survivor),
    /// Replace the incident's details (only changed fields are recorded).
    UpdateIncident(Incident),
    /// Record a new risk assessment (resolves a risk conflict).
    AssessRisk(RiskAssessment),
    /// Set or clear the safety plan.
    SetSafetyPlan(Option<SafetyPlan>),
    /// Record a consent decision or its withdrawal (resolves a conflict for
    /// that scope).
    RecordConsent(Consent),
    /// Record a service outcome.
    AddService(ServiceRecord),
    /// Record a follow-up; its next date becomes the case's next follow-up.
    AddFollowUp(FollowUp),
    /// Append a note.
    AddNote(Note),
    /// Close the case with its checklist.
    Close(Closure),
    /// Reopen a closed case.
    Reopen {
        /// Why.
        reason: String,
    },
    /// Record a step of a shelter placement (see [`crate::shelters`]); an
    /// accepted, declined, cancelled or arrived step also records a
    /// `safe_shelter` service.
    RecordPlacement(crate::shelters::Placement),
    /// Record a step of a referral (see [`crate::referrals`]); sending,
    /// a delivery and a decline also record a service outcome.
    RecordReferral(crate::referrals::ReferralStep),
    /// Resolve a conflict by keeping the value written by `keep`.
    ResolveConflict {
        /// The conflicting field, as [`crate::events::Conflict::field`].
        field: String,
        /// The event whose value is kept.
        keep: EventId,
    },
    /// Record a step of the school procedure on a student's case.
    RecordSchoolStep(crate::cases::SchoolProcedureStep),
    /// Transfer the case to another commune, where the survivor now lives
    /// (a commune case manager's, with the survivor's consent for that
    /// commune): its case managers join the team at the next sync, and
    /// this commune's leave it.
    Transfer {
        /// The commune (code).
        commune: String,
    },
}

/// Refuses, with `refusal`, an action that only a commune case manager
/// may take, from a device enrolled as anything else. A vault enrolled
/// nowhere (training) may take it.
fn require_manager(role: Option<crate::model::Role>, refusal: Refusal) -> Result<()> {
    match role {
        Some(role) if role != crate::model::Role::CommuneCaseManager => {
            Err(Error::NotAllowed(refusal))
        }
        _ => Ok(()),
    }
}

/// Refuses a closing by a device enrolled as anything but a commune case
/// manager: the manager's closing, signed by its device key, is the
/// closure's approval (devices that pull a closing check the same of its
/// author's certificate).
pub fn check_closer(role: Option<crate::model::Role>) -> Result<()> {
    require_manager(role, Refusal::ClosureNeedsManager)
}

/// Refuses a transfer to another commune by a device enrolled as anything
/// but a commune case manager (devices that pull one check the same of its
/// author's certificate).
pub fn check_transferrer(role: Option<crate::model::Role>) -> Result<()> {
    require_manager(role, Refusal::TransferNeedsManager)
}

/// Whether `event` closes its case.
pub fn closes(event: &crate::events::Event) -> bool {
    event
        .changes
        .iter()
        .any(|c| matches!(c, Change::Status(StatusChange::Closed(_))))
}

/// Whether `event` moves its case to another commune: it changes the
/// survivor's commune after the case was recorded.
pub fn transfers(event: &crate::events::Event) -> bool {
    let created = event
        .changes
        .iter()
        .any(|c| matches!(c, Change::Created { .. }));
    !created
        && event
            .changes
            .iter()
            .any(|c| matches!(c, Change::Survivor(SurvivorField::Commune(_))))
}

/// Refuses a referral unless the survivor consented to that service and
/// recipient.
pub(crate) fn check_referral_consent(
    service: &ServiceRecord,
    granted: impl Fn(&ConsentScope) -> bool,
) -> Result<()> {
    if service.outcome != ServiceOutcome::Referred {
        return Ok(());
    }
    let scope = ConsentScope::Service {
        service: service.service,
        recipient: service.provider.clone().unwrap_or_default(),
    };
    if granted(&scope) {
        Ok(())
    } else {
        Err(Error::NotAllowed(Refusal::ConsentMissing))
    }
}

/// The changes of a referral step: sending needs an open case and the
/// survivor's consent for that organisation and service; a later step
/// needs the referral's sending on the case. Sending, a delivery and a
/// decline also record a service outcome.
fn plan_referral(state: &CaseState, step: crate::referrals::ReferralStep) -> Result<Vec<Change>> {
    use crate::referrals::ReferralStatus;
    step.validate()?;
    let known = state
        .referral_steps()
        .into_iter()
        .filter(|s| s.referral == step.referral)
        .collect::<Vec<_>>();
    if known.contains(&step) {
        return Err(Error::NotAllowed(Refusal::NothingChanged));
    }
    let outcome = match step.status {
        ReferralStatus::Sent => {
            require_open(state)?;
            if !known.is_empty() {
                return Err(Error::NotAllowed(Refusal::NothingChanged));
            }
            if !state.consent_granted(&step.consent_scope()) {
                return Err(Error::NotAllowed(Refusal::ConsentMissing));
            }
            Some(ServiceOutcome::Referred)
        }
        _ if known.is_empty() => {
            return Err(Error::NotFound(format!("referral {}", step.referral)));
        }
        ReferralStatus::Delivered => Some(ServiceOutcome::Delivered),
        ReferralStatus::Declined => Some(ServiceOutcome::Unavailable),
        _ => None,
    };
    let service = outcome.map(|outcome| {
        Change::ServiceAdded(ServiceRecord {
            service: step.service,
            outcome,
            date: step.on,
            provider: Some(step.organisation_name.clone()),
            note: step.note.clone(),
        })
    });
    Ok(std::iter::once(Change::Referral(step))
        .chain(service)
        .collect())
}

fn require_open(state: &CaseState) -> Result<()> {
    match state.status() {
        CaseStatus::Open => Ok(()),
        CaseStatus::Closed => Err(Error::NotAllowed(Refusal::CaseClosed)),
    }
}

/// Checks `action` against `state` and returns the changes it makes.
pub fn plan(state: &CaseState, action: CaseAction, today: NaiveDate) -> Result<Vec<Change>> {
    let Some(recorded_on) = state.recorded_on() else {
        return Err(Error::NotFound(format!("case {}", state.id)));
    };
    let changes = match action {
        CaseAction::UpdateSurvivor(survivor) => {
            survivor.validate(recorded_on)?;
            if survivor.commune != state.survivor().commune {
                return Err(Error::NotAllowed(Refusal::CommuneChangeIsTransfer));
            }
            state
                .survivor()
                .changed_fields(&survivor)
                .into_iter()
                .map(Change::Survivor)
                .collect()
        }
        CaseAction::UpdateIncident(incident) => {
            incident.validate(today)?;
            state
                .incident()
                .changed_fields(&incident)
                .into_iter()
                .map(Change::Incident)
                .collect()
        }
        CaseAction::AssessRisk(risk) => {
            risk.validate(today)?;
            vec![Change::Risk(MultiWrite {
                value: risk,
                supersedes: state.head_events("risk"),
            })]
        }
        CaseAction::SetSafetyPlan(plan) => {
            if let Some(plan) = &plan {
                plan.validate(today)?;
            }
            vec![Change::SafetyPlan(plan)]
        }
        CaseAction::RecordConsent(consent) => {
            consent.validate()?;
            let (survivor, incident) = (state.survivor(), state.incident());
            let child = super::Derived::of(state, &survivor, &incident).survivor_is_child;
            consent.check_giver(child, &incident.perpetrators)?;
            let supersedes = state.head_events(&consent.scope.key());
            vec![Change::Consent(MultiWrite {
                value: consent,
                supersedes,
            })]
        }
        CaseAction::AddService(service) => {
            require_open(state)?;
            service.validate(today)?;
            check_referral_consent(&service, |scope| state.consent_granted(scope))?;
            vec![Change::ServiceAdded(service)]
        }
        CaseAction::AddFollowUp(follow_up) => {
            require_open(state)?;
            follow_up.validate(today)?;
            let next = follow_up.next_date;
            vec![Change::FollowUpAdded(follow_up), Change::NextFollowUp(next)]
        }
        CaseAction::AddNote(note) => {
            note.validate()?;
            vec![Change::NoteAdded(note)]
        }
        CaseAction::Close(closure) => {
            require_open(state)?;
            closure.validate()?;
            if !state.conflicts().is_empty() {
                return Err(Error::NotAllowed(Refusal::ConflictsUnresolved));
            }
            vec![
                Change::Status(StatusChange::Closed(closure)),
                Change::NextFollowUp(None),
            ]
        }
        CaseAction::Reopen { reason } => {
            crate::model::validate::required_text("reopen.reason", &reason, 2_000)?;
            if state.status() != CaseStatus::Closed {
                return Err(Error::NotAllowed(Refusal::CaseNotClosed));
            }
            vec![Change::Status(StatusChange::Reopened { reason })]
        }
        CaseAction::RecordPlacement(placement) => {
            crate::shelters::plan_placement(state, placement, today)?
        }
        CaseAction::RecordReferral(step) => plan_referral(state, step)?,
        CaseAction::RecordSchoolStep(step) => {
            require_open(state)?;
            super::school::plan_school_step(state, step, today)?
        }
        CaseAction::Transfer { commune } => {
            require_open(state)?;
            crate::model::validate_commune("transfer.commune", &commune)?;
            if commune == state.survivor().commune {
                return Err(Error::NotAllowed(Refusal::AlreadyInCommune));
            }
            let scope = ConsentScope::Transfer {
                commune: commune.clone(),
            };
            if !state.consent_granted(&scope) {
                return Err(Error::NotAllowed(Refusal::ConsentMissing));
            }
            vec![Change::Survivor(SurvivorField::Commune(commune))]
        }
        CaseAction::ResolveConflict { field, keep } => {
            let conflict = state
                .conflicts()
                .into_iter()
                .find(|c| c.field == field)
                .ok_or_else(|| Error::NotFound(format!("conflict on {field}")))?;
            let chosen = conflict
                .candidates
                .into_iter()
                .find(|c| c.event == keep)
                .ok_or_else(|| Error::invalid("resolve.keep", Rule::NotInList))?;
            let supersedes = state.head_events(&field);
            match chosen.value {
                ConflictValue::Risk(value) => vec![Change::Risk(MultiWrite { value, supersedes })],
                ConflictValue::Consent(value) => {
                    vec![Change::Consent(MultiWrite { value, supersedes })]
                }
                ConflictValue::Placement(value) => {
                    vec![Change::Placement(MultiWrite { value, supersedes })]
                }
            }
        }
    };
    if changes.is_empty() {
        return Err(Error::NotAllowed(Refusal::NothingChanged));
    }
    Ok(changes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cases::CaseIntake;
    use crate::events::{Event, Hlc};
    use crate::model::{sample_incident, sample_survivor, CaseId, ConsentGiver, DeviceId, Role};

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 20).expect("a day")
    }

    /// A synthetic case of Pa Ủ, and its first event.
    fn case() -> (CaseState, Event) {
        let mut survivor = sample_survivor();
        survivor.commune = "pa_u".into();
        let intake = CaseIntake {
            survivor,
            incident: sample_incident(),
            risk: None,
            safety_plan: None,
            consents: vec![],
            services: vec![],
            next_follow_up: None,
        };
        let author = DeviceId([1; 16]);
        let hlc = Hlc::from_wall_ms(1_800_000_000_000);
        let created = Event {
            id: Event::id_for(author, hlc),
            case_id: CaseId([2; 16]),
            hlc,
            author,
            changes: intake.into_changes(day()).expect("intake"),
        };
        (CaseState::fold(created.case_id, [&created]), created)
    }

    fn refusal(result: Result<Vec<Change>>) -> Refusal {
        match result {
            Err(Error::NotAllowed(refusal)) => refusal,
            other => panic!("expected a refusal, got {other:?}"),
        }
    }

    #[test]
    fn a_transfer_needs_consent_for_that_commune_and_a_manager() {
        let (state, created) = case();
        let to = |commune: &str| CaseAction::Transfer {
            commune: commune.into(),
        };
        assert_eq!(
            refusal(plan(&state, to("mu_ca"), day())),
            Refusal::ConsentMissing
        );
        let consent = |commune: &str| {
            CaseAction::RecordConsent(Consent {
                scope: ConsentScope::Transfer {
                    commune: commune.into(),
                },
                granted: true,
                given_by: ConsentGiver::Survivor,
            })
        };
        let agreed = plan(&state, consent("mu_ca"), day()).expect("consent");
        let hlc = Hlc::from_wall_ms(1_800_000_000_001);
        let second = Event {
            id: Event::id_for(created.author, hlc),
            case_id: created.case_id,
            hlc,
            author: created.author,
            changes: agreed,
        };
        let state = CaseState::fold(created.case_id, [&created, &second]);
        // Consent for one commune is not consent for another.
        assert_eq!(
            refusal(plan(&state, to("tam_duong"), day())),
            Refusal::ConsentMissing
        );
        assert_eq!(
            refusal(plan(&state, to("pa_u"), day())),
            Refusal::AlreadyInCommune
        );
        assert!(plan(&state, to("not_a_commune"), day()).is_err());
        let changes = plan(&state, to("mu_ca"), day()).expect("transfer");
        assert_eq!(
            changes,
            vec![Change::Survivor(SurvivorField::Commune("mu_ca".into()))]
        );
        // Only a manager's device transfers; the first event is no transfer.
        let moving = Event {
            changes,
            ..second.clone()
        };
        assert!(transfers(&moving) && !transfers(&created));
        assert!(check_transferrer(Some(Role::CommuneCaseManager)).is_ok());
        assert!(check_transferrer(Some(Role::Collaborator)).is_err());
        // Editing the survivor never moves the case.
        let mut survivor = state.survivor();
        survivor.commune = "mu_ca".into();
        assert_eq!(
            refusal(plan(&state, CaseAction::UpdateSurvivor(survivor), day())),
            Refusal::CommuneChangeIsTransfer
        );
    }
}
