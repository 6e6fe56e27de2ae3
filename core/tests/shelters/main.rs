//! Shelters end to end, over the public API: the synthetic fixture, road
//! files, signature checks, nearest search by straight line and by road,
//! and placements between devices. All data here is synthetic.

mod directory;
mod fixture;
mod placement;
mod road_files;
mod road_publication;
mod search;

use binhan_core::app::{Vault, VaultOptions, ROAD_FILE};
use binhan_core::cases::CaseAction;
use binhan_core::events::ConflictValue;
use binhan_core::model::*;
use binhan_core::shelters::*;
use binhan_core::{Error, Refusal, Rule};
use binhan_testkit::shelters::{self as synthetic, signed, SyntheticProvince};
use binhan_testkit::vault::{fast_vault, no_delays};
use chrono::{DateTime, Duration, Utc};
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

/// 2026-11-15 03:00 UTC, 10:00 in Vietnam.
const WALL_MS: u64 = 1_794_711_600_000;

fn fixed_wall() -> u64 {
    WALL_MS
}

fn now() -> DateTime<Utc> {
    DateTime::from_timestamp_millis(WALL_MS as i64).unwrap()
}

fn province() -> &'static SyntheticProvince {
    static P: OnceLock<SyntheticProvince> = OnceLock::new();
    P.get_or_init(synthetic::lai_chau)
}

fn roads() -> Arc<RoadNetwork> {
    static R: OnceLock<Arc<RoadNetwork>> = OnceLock::new();
    R.get_or_init(|| Arc::new(province().road_network().unwrap()))
        .clone()
}

fn fixture_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/shelters")
}

fn config() -> VaultOptions {
    VaultOptions {
        policy: no_delays(5),
        wall_clock: fixed_wall,
        ..fast_vault()
    }
}

fn new_app() -> (tempfile::TempDir, Vault) {
    let dir = tempfile::tempdir().unwrap();
    let app = Vault::create(dir.path(), "493817", config()).unwrap();
    (dir, app)
}

fn ids(result: &NearestShelters) -> Vec<ShelterId> {
    result.shelters.iter().map(|m| m.shelter.id).collect()
}
