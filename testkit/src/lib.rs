//! Bình An test kit: synthetic data for tests, benchmarks and the demos,
//! kept out of the mobile library. Everything here is made up and says so;
//! none of it describes a real person, shelter or road.
//!
//! - [`rng`]: a deterministic random source (same seed, same data);
//! - [`intake`]: synthetic case intake forms and a builder for variations;
//! - [`cases`]: scripted synthetic cases (an intake and its edits);
//! - [`stats`]: synthetic statistical records;
//! - [`shelters`]: a synthetic Lai Châu (communes, shelters, mountain roads);
//! - [`vault`]: vault settings that unlock fast.

pub mod cases;
pub mod intake;
pub mod referrals;
pub mod rng;
pub mod shelters;
pub mod stats;
pub mod vault;

pub use rng::Rng;
