//! The referral form: to an organisation of the province's signed service
//! directory that serves the survivor's commune, for one of its services,
//! with the fields the survivor chose to add to what the service always
//! receives (core's table), and the survivor's consent for that
//! organisation and service asked for when the case holds none. What will
//! be sent is previewed by core exactly as sending computes it. And the
//! supplement: when the organisation asks for more, the fields it may still
//! receive that the survivor agrees to add, with a note.

use super::{CaseFacts, Problems, WorkField, WorkForm, WorkKind};
use crate::screens::intake::text::Problem;
use binhan_core::app::ReferralDraft;
use binhan_core::model::{Coded, ConsentScope, ServiceType};
use binhan_core::referrals::{
    consent_scope, optional_fields, takes_referrals, OrganisationId, ReferralField,
    ServiceOrganisation, Urgency,
};

/// The organisations a referral from a case in `commune` can go to: those
/// of the directory that serve the commune, give a service that takes
/// referrals and have a device to receive it.
pub(crate) fn reachable(organisations: Vec<ServiceOrganisation>) -> Vec<ServiceOrganisation> {
    organisations
        .into_iter()
        .filter(|o| !o.devices.is_empty() && o.services.iter().any(|s| takes_referrals(*s)))
        .collect()
}

impl WorkForm {
    /// The organisation chosen, if it is one the case can reach.
    pub(crate) fn organisation<'a>(&self, facts: &'a CaseFacts) -> Option<&'a ServiceOrganisation> {
        let id = self
            .get(WorkField::Organisation)
            .parse::<OrganisationId>()
            .ok()?;
        facts.organisations.iter().find(|o| o.id == id)
    }

    /// The service chosen.
    pub(crate) fn service(&self) -> Option<ServiceType> {
        ServiceType::from_code(self.get(WorkField::Service))
    }

    /// The services the form offers: the organisation's that take
    /// referrals, or every such service until one is chosen.
    pub(crate) fn referral_services(&self, facts: &CaseFacts) -> Vec<ServiceType> {
        let offered = |s: &ServiceType| match self.organisation(facts) {
            Some(o) => o.services.contains(s),
            None => true,
        };
        ServiceType::ALL
            .iter()
            .copied()
            .filter(|s| takes_referrals(*s) && offered(s))
            .collect()
    }

    /// The fields chosen to be added.
    pub(crate) fn shared(&self) -> Vec<ReferralField> {
        self.chosen(WorkField::Shared)
            .into_iter()
            .filter_map(ReferralField::from_code)
            .collect()
    }

    /// The consent the referral needs, once organisation and service are
    /// chosen.
    pub(crate) fn referral_consent_scope(&self, facts: &CaseFacts) -> Option<ConsentScope> {
        let organisation = self.organisation(facts)?;
        Some(consent_scope(self.service()?, &organisation.name))
    }

    /// The draft core previews and sends, once the form has what it needs
    /// (checked or not: [`WorkForm::check`] says what is wrong).
    pub(crate) fn referral_draft(&self, facts: &CaseFacts) -> Option<ReferralDraft> {
        if self.kind != WorkKind::Referral {
            return None;
        }
        Some(ReferralDraft {
            organisation: self.organisation(facts)?.id,
            service: self.service()?,
            urgency: Urgency::from_code(self.get(WorkField::Urgency))?,
            ask: self.get(WorkField::Ask).trim().to_string(),
            due: crate::screens::intake::check::date(self.get(WorkField::Due))
                .ok()
                .flatten(),
            chosen: self.shared(),
        })
    }

    /// What is wrong with the referral's choices beyond each field alone:
    /// an organisation the case cannot reach, a service it does not give,
    /// a field the service may not receive.
    pub(crate) fn referral_problems(&self, facts: &CaseFacts) -> Problems {
        let mut problems = Problems::new();
        let mut note = |field: WorkField, problem: Problem| problems.push((field, problem));
        if self.kind == WorkKind::Supplement {
            if self.shared().iter().any(|f| !facts.may_add.contains(f)) {
                note(WorkField::Shared, Problem::UnknownChoice);
            }
            return problems;
        }
        let chosen = !self.get(WorkField::Organisation).is_empty();
        if chosen && self.organisation(facts).is_none() {
            note(WorkField::Organisation, Problem::UnknownChoice);
        }
        if let Some(service) = self.service() {
            if !self.referral_services(facts).contains(&service) {
                note(WorkField::Service, Problem::NotGivenHere);
            }
            let allowed = optional_fields(service);
            if self.shared().iter().any(|f| !allowed.contains(f)) {
                note(WorkField::Shared, Problem::UnknownChoice);
            }
        }
        problems
    }
}
