//! Referral pathways: the organisations of the provincial plan as real
//! recipients, and referrals tracked to their outcome.
//!
//! - [`ServiceOrganisation`]: the service directory's entries (published in
//!   the province's signed directory, with the devices that speak for each
//!   organisation), and the national [`EMERGENCY_NUMBERS`];
//! - [`fields_for`]: per service, the case fields a referral may carry —
//!   always, or only if the survivor chose — and [`facts_for`], which takes
//!   them from a case;
//! - [`Referral`], [`ReferralMessage`]: what is sealed to each of the
//!   organisation's devices through the end-to-end mailbox, and the
//!   answers back; each step is recorded on the case as a [`ReferralStep`]
//!   (with a service record), from which [`ReferralSummary`] tells what is
//!   answered, delivered or overdue;
//! - [`DeviceReferrals`]: what a device keeps — referrals sent, and an
//!   organisation's inbox, whose content is erased when the survivor
//!   withdraws consent;
//! - the [`Vault`](crate::app::Vault) methods in `app/referrals.rs`.

mod desk;
mod fields;
mod organisation;
mod referral;

pub use desk::{
    DeviceReferrals, ReceivedReferral, ReferralContent, SenderStep, SentReferral, Supplement,
};
pub use fields::{
    check_facts, facts_for, fields_for, inclusion, optional_fields, takes_referrals, Inclusion,
    ReferralField, SafeContact, SharedFact,
};
pub(crate) use organisation::validate_all as validate_organisations;
pub(crate) use organisation::{apply as apply_organisations, changes as organisation_changes};
pub use organisation::{
    consent_scope, OrganisationId, Sector, ServiceOrganisation, EMERGENCY_NUMBERS,
    MAX_ORGANISATIONS, MAX_ORGANISATION_DEVICES,
};
pub use referral::{
    ProviderStep, Referral, ReferralDeclineReason, ReferralId, ReferralMessage, ReferralStatus,
    ReferralStep, ReferralSummary, Urgency,
};

/// A synthetic health station of `commune` with one device, for core's
/// unit tests.
#[cfg(test)]
pub(crate) fn health_station_for_tests(commune: &str) -> ServiceOrganisation {
    organisation::tests::health_station(commune, vec![crate::model::DeviceId::random()])
}
