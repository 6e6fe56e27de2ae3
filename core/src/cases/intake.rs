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
        let child = self
            .survivor
            .age_on(self.incident.date, today)
            .map(|age| age < crate::model::ADULT_AGE);
        for (i, consent) in self.consents.iter().enumerate() {
            consent.validate()?;
            consent.check_giver(child, &self.incident.perpetrators)?;
            if self.consents[..i]
                .iter()
                .any(|c| c.scope.same_as(&consent.scope))
            {
                return Err(Error::invalid("consents", Rule::Duplicate));
            }
        }
        for service in &self.services {
            service.validate(today)?;
            super::workflow::check_referral_consent(service, |scope| {
                self.consents
                    .iter()
                    .any(|c| c.scope.same_as(scope) && c.granted)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::{CaseState, Event};
    use crate::model::{ConsentGiver, ConsentScope, DeviceId, ServiceOutcome, ServiceType};

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 20).expect("day")
    }

    fn referral(provider: &str) -> ServiceRecord {
        ServiceRecord {
            service: ServiceType::LegalAid,
            outcome: ServiceOutcome::Referred,
            date: day(),
            provider: Some(provider.into()),
            note: None,
        }
    }

    /// The survivor agreed to share with "Trung tâm Trợ giúp pháp lý"; the
    /// referral names it with other spacing and case. Intake and every later
    /// action must agree on whether that is the same recipient.
    #[test]
    fn intake_and_later_referrals_compare_recipients_alike() {
        let consent = Consent {
            scope: ConsentScope::Service {
                service: ServiceType::LegalAid,
                recipient: "Trung tâm Trợ giúp pháp lý (synthetic)".into(),
            },
            granted: true,
            given_by: ConsentGiver::Survivor,
        };
        // Other spacing and case, and "ợ" typed as "o" with two combining marks.
        let written_otherwise = "  trung tâm  tro\u{31b}\u{323} giúp pháp lý (SYNTHETIC) ";
        let mut intake = sample_intake("SYN-CONSENT");
        intake.consents = vec![consent];
        intake.services = vec![referral(written_otherwise)];
        let at_intake = intake.clone().into_changes(day()).map(|_| ());

        intake.services.clear();
        let changes = intake.into_changes(day()).expect("intake without referral");
        let event = Event::on_new_case(DeviceId::random(), changes);
        let state = CaseState::fold(event.case_id, [&event]);
        let later = super::super::workflow::plan(
            &state,
            super::super::CaseAction::AddService(referral(written_otherwise)),
            day(),
        )
        .map(|_| ());
        assert!(later.is_ok(), "{later:?}");
        assert!(
            at_intake.is_ok(),
            "intake refused what later actions accept: {at_intake:?}"
        );
    }

    /// A parent or caregiver who is an alleged perpetrator cannot consent
    /// for the child: not at intake, not later, and a consent recorded
    /// before that was known stops counting; nor does a caregiver decide
    /// for an adult. The child's own decision still counts.
    #[test]
    fn a_caregiver_who_is_an_alleged_perpetrator_cannot_consent_for_the_child() {
        use crate::error::Refusal;
        use crate::events::{Event, Hlc};
        use crate::model::{Perpetrator, Relationship};
        let decision = |given_by| Consent {
            scope: ConsentScope::Statistics,
            granted: true,
            given_by,
        };
        let by = |relationship| Perpetrator {
            sex: crate::model::Sex::Male,
            age_group: Default::default(),
            relationship,
        };
        let refused = |result: Result<Vec<crate::events::Change>>, refusal| {
            assert!(
                matches!(&result, Err(Error::NotAllowed(r)) if *r == refusal),
                "{result:?}"
            );
        };
        let mut intake = sample_intake("SYN-CHILD");
        intake.consents = vec![decision(ConsentGiver::Caregiver)];
        intake.incident.perpetrators = vec![by(Relationship::NeighbourFriend)];

        let mut accused = intake.clone();
        accused
            .incident
            .perpetrators
            .push(by(Relationship::ParentCaregiver));
        refused(accused.into_changes(day()), Refusal::CaregiverIsPerpetrator);
        let mut adult = intake.clone();
        adult.survivor.age_years = Some(30);
        refused(adult.into_changes(day()), Refusal::AdultDecidesHerself);

        // The parent may consent while no parent is accused...
        let author = DeviceId::random();
        let first = Event::on_new_case(author, intake.clone().into_changes(day()).unwrap());
        let state = CaseState::fold(first.case_id, [&first]);
        assert!(state.consent_granted(&ConsentScope::Statistics));
        // ...until one is: that consent stops counting, a new one is refused,
        // and the child's own is taken.
        let mut incident = state.incident();
        incident
            .perpetrators
            .push(by(Relationship::ParentCaregiver));
        let plan = |state: &CaseState, action| super::super::workflow::plan(state, action, day());
        let update = plan(&state, super::super::CaseAction::UpdateIncident(incident)).unwrap();
        let hlc = Hlc::from_wall_ms(first.hlc.wall_ms() + 1_000);
        let second = Event {
            id: Event::id_for(author, hlc),
            case_id: first.case_id,
            hlc,
            author,
            changes: update,
        };
        let state = CaseState::fold(first.case_id, [&first, &second]);
        assert!(!state.consent_granted(&ConsentScope::Statistics));
        assert!(state.consent_ever_granted(&ConsentScope::Statistics));
        let again = super::super::CaseAction::RecordConsent(decision(ConsentGiver::Caregiver));
        refused(plan(&state, again), Refusal::CaregiverIsPerpetrator);
        let own = super::super::CaseAction::RecordConsent(decision(ConsentGiver::Survivor));
        assert!(plan(&state, own).is_ok());
    }
}
