//! The de-identified statistical record of a case, derived on the device.
//!
//! A case whose survivor consented to non-identifying statistics yields one
//! [`StatRecord`]: commune, month, violence type and contexts, survivor sex,
//! age band, ethnic group, disability, migrant worker, student, services
//! delivered and declined by type, reporting delay band, referral made,
//! shelter used, each referral's service, outcome and whether it was answered
//! by its due date, and the days from detection to the first service
//! delivered. It holds no name, survivor code, free text, exact date or
//! case id.
//!
//! # The statistics id
//!
//! Every team device must send the same record under the same id, so that an
//! update replaces it and a withdrawal deletes it, yet the server must not be
//! able to link that id to the case it relays. The case's first event
//! therefore carries a random 256-bit [`StatSeed`] (the
//! [`Change::StatisticsSeed`](crate::events::Change::StatisticsSeed) change,
//! sealed with the rest of the event, so the server never sees it). Every
//! device that can read the case derives from the seed:
//!
//! - the [`StatisticsId`]: SHA-256 of a label and the seed, cut to 16 bytes;
//!   without the seed it is a random number, unrelated to the case id;
//! - a secret revision offset, added to the case's newest clock reading to
//!   make [`StatRecord::revision`]: newer states of a case always have a
//!   larger revision, so the server keeps the newest record (and a withdrawal
//!   beats an older record that arrives late), but the revision does not
//!   equal any clock reading the server saw on an event.
//!
//! The seed is a new change appended to [`Change`](crate::events::Change)
//! rather than a field of `Created`, so events encoded before it still decode.
//!
//! # Consent
//!
//! [`stat_update`] gives a record only while consent to statistics is granted
//! by every current value (a conflicting consent never counts). Once consent
//! has been granted and is then withdrawn or refused, it gives a
//! [`StatUpdate::Withdraw`], which deletes the record on the server; a case
//! that never had consent gives nothing at all, so the server does not even
//! learn that it exists.

pub mod activity;
pub mod import;
mod period;
mod record;
pub mod registry;
pub mod report;
pub mod school_use;
pub mod sealed;
#[cfg(test)]
mod sealed_tests;
#[cfg(test)]
mod tests;

pub use period::{ReportPeriod, DEFAULT_FIRST_MONTH};
pub use record::{
    AgeBand, ReferralStat, StatRecord, StatSeed, StatUpdate, StatisticsId, Withdrawal,
    MAX_DAYS_TO_SERVICE, STAT_FORMAT_VERSION,
};

use crate::cases::Derived;
use crate::events::CaseState;
use crate::model::{validate_commune, ConsentScope, ServiceOutcome, ServiceType};
use crate::referrals::ReferralSummary;
use chrono::{Datelike, NaiveDate};

/// What a case contributes to statistics as it stands: a record while its
/// survivor consents, a withdrawal once consent given earlier is withdrawn,
/// and nothing if consent was never given (or the case is incomplete).
pub fn stat_update(state: &CaseState) -> Option<StatUpdate> {
    let seed = state.statistics_seed()?;
    let scope = ConsentScope::Statistics;
    if !state.consent_ever_granted(&scope) {
        return None;
    }
    let statistics_id = seed.statistics_id();
    let revision = seed.revision(state.last_activity());
    if !state.consent_granted(&scope) {
        return Some(StatUpdate::Withdraw(Withdrawal {
            statistics_id,
            revision,
        }));
    }
    stat_record(state).map(StatUpdate::Record)
}

/// The statistical record of `state`, ignoring consent; `None` when the case
/// has no statistics seed or its first event has not arrived. Use
/// [`stat_update`], which checks consent, for anything that leaves the
/// device.
pub fn stat_record(state: &CaseState) -> Option<StatRecord> {
    let seed = state.statistics_seed()?;
    let recorded_on = state.recorded_on()?;
    let survivor = state.survivor();
    let incident = state.incident();
    validate_commune("survivor.commune", &survivor.commune).ok()?;
    let derived = Derived::of(state, &survivor, &incident);

    // Detected: the month the incident was reported to the person recording
    // it; the day the case was recorded if the incident has no report date.
    let detected = if incident.reported_on.year() > 1970 {
        incident.reported_on
    } else {
        recorded_on
    };

    let services = state.services();
    let delivered: Vec<ServiceType> = distinct_services(
        services
            .iter()
            .filter(|s| s.value.outcome == ServiceOutcome::Delivered)
            .map(|s| s.value.service),
    );
    let declined: Vec<ServiceType> = distinct_services(
        services
            .iter()
            .filter(|s| s.value.outcome == ServiceOutcome::Declined)
            .map(|s| s.value.service)
            .filter(|s| !delivered.contains(s)),
    );
    let referral_made = services
        .iter()
        .any(|s| s.value.outcome == ServiceOutcome::Referred);
    let shelter_used = delivered.contains(&ServiceType::SafeShelter);
    let first_service = services
        .iter()
        .filter(|s| s.value.outcome == ServiceOutcome::Delivered)
        .map(|s| s.value.date)
        .min();

    let mut contexts = incident.contexts.clone();
    contexts.sort();
    contexts.dedup();

    Some(StatRecord {
        statistics_id: seed.statistics_id(),
        revision: seed.revision(state.last_activity()),
        commune: survivor.commune,
        year: u16::try_from(detected.year()).unwrap_or(0),
        month: u8::try_from(detected.month()).unwrap_or(0),
        violence_type: incident.violence_type,
        contexts,
        sex: survivor.sex,
        age_band: AgeBand::for_age(derived.age_at_incident),
        ethnic_group: survivor.ethnic_group,
        disability: survivor.disability,
        migrant_worker: survivor.migrant_worker,
        student: survivor.student,
        services_delivered: delivered,
        services_declined: declined,
        reporting_delay: derived.reporting_delay,
        referral_made,
        shelter_used,
        referrals: referral_stats(&ReferralSummary::of(&state.referral_steps())),
        days_to_first_service: first_service.map(|day| days_between(detected, day)),
    })
}

/// Each referral's service, outcome and timeliness, sorted.
fn referral_stats(referrals: &[ReferralSummary]) -> Vec<ReferralStat> {
    let mut out: Vec<ReferralStat> = referrals
        .iter()
        .map(|r| ReferralStat {
            service: r.sent.service,
            outcome: r.latest.status,
            answered_in_time: r.answered_on.map(|day| day <= r.sent.due),
        })
        .collect();
    out.sort();
    out
}

/// Whole days from `from` to `to`: 0 if `to` is earlier, at most
/// [`MAX_DAYS_TO_SERVICE`].
fn days_between(from: NaiveDate, to: NaiveDate) -> u16 {
    let days = (to - from)
        .num_days()
        .clamp(0, i64::from(MAX_DAYS_TO_SERVICE));
    u16::try_from(days).unwrap_or(MAX_DAYS_TO_SERVICE)
}

fn distinct_services(services: impl Iterator<Item = ServiceType>) -> Vec<ServiceType> {
    let mut out: Vec<ServiceType> = services.collect();
    out.sort();
    out.dedup();
    out
}
