//! Vault settings for tests, benchmarks and examples: they create many
//! vaults and measure other things than unlocking, so they derive keys at
//! the cheapest cost a vault accepts, which a phone never should. And a
//! vault full of synthetic cases for the list and screen benchmarks.

use crate::intake::Builder;
use binhan_core::app::{Vault, VaultOptions};
use binhan_core::cases::CaseIntake;
use binhan_core::events::{Event, Hlc};
use binhan_core::model::{CaseId, Coded, DeviceId, EthnicGroup, EventId, RiskLevel, ViolenceType};
use binhan_core::vault::{KdfParams, VaultPolicy};

/// The cheapest key derivation a vault accepts: the memory floor, one pass,
/// one lane.
pub fn fast_kdf() -> KdfParams {
    KdfParams::new(KdfParams::MIN_MEMORY_KIB, 1, 1).expect("the floor is accepted")
}

/// Vault options that unlock fast; the rest as on a phone (its failed-unlock
/// policy, the system clock, no platform key).
pub fn fast_vault() -> VaultOptions {
    VaultOptions {
        kdf: fast_kdf(),
        ..VaultOptions::default()
    }
}

/// `attempts` unlock attempts, none of them delayed (tests that enter wrong
/// PINs must not wait).
pub fn no_delays(attempts: u32) -> VaultPolicy {
    VaultPolicy {
        max_attempts: attempts,
        free_attempts: attempts,
        base_delay_secs: 0,
        max_delay_secs: 0,
    }
}

/// A synthetic intake form; `i` varies the list's columns.
fn intake(i: usize, today: chrono::NaiveDate) -> CaseIntake {
    let communes = ["mu_ca", "tan_phong", "sin_ho", "than_uyen", "phong_tho"];
    let days = |n: u64| today - chrono::Days::new(n);
    Builder::new(i, today)
        .code(format!("SYN-BENCH-{i:05}"))
        .name(format!("Synthetic Người Thử {i}"))
        .age(Some(18 + (i % 50) as u8))
        .ethnic_group(Some(EthnicGroup::ALL[i % EthnicGroup::ALL.len()]))
        .commune(communes[i % communes.len()])
        .incident_on(days(20), days(10))
        .account("Lời kể tổng hợp cho phép đo (synthetic).")
        .violence(ViolenceType::ALL[i % ViolenceType::ALL.len()])
        .at_home_in_the_evening()
        .risk(RiskLevel::ALL[i % RiskLevel::ALL.len()], days(10))
        .next_follow_up(Some(today + chrono::Days::new((i % 30) as u64)))
        .build()
}

/// Fills `vault` with `cases` synthetic cases whose list columns vary
/// (commune, age, violence, risk, follow-up), merged in batches of 1,000 as
/// if pulled from another device: what the list and screen benchmarks read.
pub fn fill(vault: &Vault, cases: usize) -> binhan_core::Result<()> {
    let today = vault.today();
    let author = DeviceId::random();
    let start = binhan_core::events::system_wall_ms() - cases as u64;
    let mut batch = Vec::new();
    for i in 0..cases {
        batch.push(Event {
            id: EventId::random(),
            case_id: CaseId::random(),
            hlc: Hlc::from_wall_ms(start + i as u64),
            author,
            changes: intake(i, today).into_changes(today)?,
        });
        if batch.len() == 1000 || i + 1 == cases {
            vault.merge_events(&batch)?;
            batch.clear();
        }
    }
    Ok(())
}
