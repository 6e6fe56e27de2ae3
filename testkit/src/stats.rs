//! Synthetic statistical records (what devices upload for the annual
//! report), for tests, benchmarks and the demo. Deterministic for a seed.
//! Nothing here describes a real person.

use binhan_core::model::{
    Coded, ContextFlag, EthnicGroup, ReportingDelayBand, ServiceType, Sex, ViolenceType, COMMUNES,
};
use binhan_core::referrals::{takes_referrals, ReferralStatus};
use binhan_core::stats::{AgeBand, ReferralStat, StatRecord, StatisticsId, MAX_DAYS_TO_SERVICE};

use crate::Rng;

fn pick<T: Coded>(rng: &mut Rng, weights: &[u32]) -> T {
    T::ALL[rng.weighted(weights).min(T::ALL.len() - 1)]
}

fn maybe_bool(rng: &mut Rng, yes: f64, unknown: f64) -> Option<bool> {
    if rng.chance(unknown) {
        None
    } else {
        Some(rng.chance(yes))
    }
}

/// Weight of each commune: a few large, many small, some very small, so
/// that tables have the small cells disclosure control is for.
fn commune_weights() -> Vec<u32> {
    (0..COMMUNES.len())
        .map(|i| match i % 7 {
            0 => 40,
            1 => 18,
            2 => 9,
            3 => 6,
            4 => 3,
            5 => 2,
            _ => 1,
        })
        .collect()
}

/// `n` synthetic records of `year`.
pub fn records(seed: u64, year: u16, n: usize) -> Vec<StatRecord> {
    let mut rng = Rng::new(seed ^ u64::from(year).wrapping_mul(0x1000_0001));
    let communes = commune_weights();
    (0..n)
        .map(|_| {
            let mut id = [0u8; 16];
            id[..8].copy_from_slice(&rng.next_u64().to_le_bytes());
            id[8..].copy_from_slice(&rng.next_u64().to_le_bytes());
            let commune = COMMUNES[rng.weighted(&communes)].code.to_string();
            let contexts: Vec<ContextFlag> = [70.0, 8.0, 6.0, 3.0, 5.0, 1.0, 2.0]
                .iter()
                .zip(ContextFlag::ALL)
                .filter(|(p, _)| rng.chance(**p / 100.0))
                .map(|(_, c)| *c)
                .collect();
            let delivered: Vec<ServiceType> = [70.0, 45.0, 20.0, 25.0, 8.0, 15.0, 4.0, 3.0]
                .iter()
                .zip(ServiceType::ALL)
                .filter(|(p, _)| rng.chance(**p / 100.0))
                .map(|(_, s)| *s)
                .collect();
            let declined: Vec<ServiceType> = ServiceType::ALL
                .iter()
                .copied()
                .filter(|s| !delivered.contains(s) && rng.chance(0.05))
                .collect();
            let referral_made = rng.chance(0.5);
            let referrals = if referral_made {
                referrals(&mut rng)
            } else {
                Vec::new()
            };
            let days_to_first_service = (!delivered.is_empty())
                .then(|| (rng.below(40) * rng.below(4)).min(u64::from(MAX_DAYS_TO_SERVICE)) as u16);
            StatRecord {
                statistics_id: StatisticsId(id),
                revision: rng.next_u64() >> 2,
                commune,
                year,
                month: 1 + rng.below(12) as u8,
                violence_type: pick::<ViolenceType>(&mut rng, &[5, 8, 40, 7, 10, 30]),
                contexts,
                sex: pick::<Sex>(&mut rng, &[85, 12, 3]),
                age_band: pick::<AgeBand>(&mut rng, &[4, 3, 7, 5, 18, 35, 20, 8]),
                ethnic_group: if rng.chance(0.05) {
                    None
                } else {
                    Some(pick::<EthnicGroup>(
                        &mut rng,
                        &[35, 30, 12, 8, 5, 3, 2, 2, 1, 1, 1, 1, 1, 1, 1],
                    ))
                },
                disability: maybe_bool(&mut rng, 0.06, 0.15),
                migrant_worker: maybe_bool(&mut rng, 0.08, 0.12),
                student: maybe_bool(&mut rng, 0.15, 0.1),
                shelter_used: delivered.contains(&ServiceType::SafeShelter),
                referral_made,
                services_delivered: delivered,
                services_declined: declined,
                reporting_delay: pick::<ReportingDelayBand>(&mut rng, &[40, 15, 20, 15, 10]),
                referrals,
                days_to_first_service,
            }
        })
        .collect()
}

/// One to three referrals through the pathway, to services that take them,
/// each with an outcome and, once answered, its timeliness.
fn referrals(rng: &mut Rng) -> Vec<ReferralStat> {
    let services: Vec<ServiceType> = ServiceType::ALL
        .iter()
        .copied()
        .filter(|s| takes_referrals(*s))
        .collect();
    let mut out: Vec<ReferralStat> = (0..1 + rng.below(3))
        .map(|_| {
            let service = services[rng
                .weighted(&[40, 20, 15, 10, 10, 5])
                .min(services.len() - 1)];
            let outcome = pick::<ReferralStatus>(rng, &[10, 15, 8, 4, 45, 15, 3]);
            let answered = !matches!(outcome, ReferralStatus::Sent | ReferralStatus::Withdrawn);
            ReferralStat {
                service,
                outcome,
                answered_in_time: answered.then(|| rng.chance(0.8)),
            }
        })
        .collect();
    out.sort();
    out
}
