//! The intake form: everything recorded when a case is opened.

use crate::error::Rule;
use crate::events::{Change, MultiWrite};
use crate::model::{Consent, Incident, RiskAssessment, SafetyPlan, ServiceRecord, Survivor};
use crate::{Error, Result};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// What a collaborator records when opening a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CaseIntake {
    /// The survivor.
    pub survivor: Survivor,
    /// The incident.
    pub incident: Incident,
    /// A first risk assessment.
    #[serde(default)]
    pub risk: Option<RiskAssessment>,
    /// A first safety plan.
    #[serde(default)]
    pub safety_plan: Option<SafetyPlan>,
    /// Consent decisions taken at intake.
    #[serde(default)]
    pub consents: Vec<Consent>,
    /// Services already offered or given at intake.
    #[serde(default)]
    pub services: Vec<ServiceRecord>,
    /// Day of the first follow-up.
    #[serde(default)]
    pub next_follow_up: Option<NaiveDate>,
}

impl CaseIntake {
    /// Validates the form and turns it into the changes of the case's first
    /// event.
    pub fn into_changes(self, today: NaiveDate) -> Result<Vec<Change>> {
        self.survivor.validate(today)?;
        self.incident.validate(today)?;
        if let Some(risk) = &self.risk {
            risk.validate(today)?;
        }
        if let Some(plan) = &self.safety_plan {
            plan.validate(today)?;
        }
        for (i, consent) in self.consents.iter().enumerate() {
            consent.validate()?;
            if self.consents[..i]
                .iter()
                .any(|c| c.scope.key() == consent.scope.key())
            {
                return Err(Error::invalid("consents", Rule::Duplicate));
            }
        }
        for service in &self.services {
            service.validate(today)?;
            super::workflow::check_referral_consent(service, |scope| {
                self.consents.iter().any(|c| &c.scope == scope && c.granted)
            })?;
        }
        if let Some(next) = self.next_follow_up {
            if next < today {
                return Err(Error::invalid("next_follow_up", Rule::InPast));
            }
        }

        let mut changes = vec![
            Change::Created { recorded_on: today },
            Change::StatisticsSeed(crate::stats::StatSeed::random()),
        ];
        changes.extend(self.survivor.fields().into_iter().map(Change::Survivor));
        changes.extend(self.incident.fields().into_iter().map(Change::Incident));
        if let Some(risk) = self.risk {
            changes.push(Change::Risk(MultiWrite {
                value: risk,
                supersedes: vec![],
            }));
        }
        if self.safety_plan.is_some() {
            changes.push(Change::SafetyPlan(self.safety_plan));
        }
        changes.extend(self.consents.into_iter().map(|value| {
            Change::Consent(MultiWrite {
                value,
                supersedes: vec![],
            })
        }));
        changes.extend(self.services.into_iter().map(Change::ServiceAdded));
        if self.next_follow_up.is_some() {
            changes.push(Change::NextFollowUp(self.next_follow_up));
        }
        Ok(changes)
    }
}

/// A minimal synthetic intake with survivor code `code`, for tests.
#[cfg(test)]
pub(crate) fn sample_intake(code: &str) -> CaseIntake {
    let mut survivor = crate::model::sample_survivor();
    survivor.code = code.into();
    CaseIntake {
        survivor,
        incident: crate::model::sample_incident(),
        risk: None,
        safety_plan: None,
        consents: vec![],
        services: vec![],
        next_follow_up: None,
    }
}
