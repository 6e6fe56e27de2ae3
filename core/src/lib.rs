//! Bình An core: everything the apps do, in Rust, with no FFI code.
//!
//! - [`model`]: the GBV case (survivor, incident, consent, risk, services,
//!   follow-ups, closure) with coded, bilingual enumerations;
//! - [`events`]: immutable, clock-stamped changes and the fold that turns them
//!   into a case, identical for any arrival order;
//! - [`vault`]: PIN-protected keys, duress PIN, crypto-erase;
//! - [`store`]: the encrypted on-device database;
//! - [`shelters`]: the signed shelter directory, offline nearest-shelter
//!   search by road, hosts and placements;
//! - [`crypto`]: sealing values to their place in the store.

pub mod app;
pub mod cases;
pub mod crypto;
pub mod error;
pub mod events;
#[cfg(any(test, feature = "fuzzing"))]
pub mod fuzzing;
pub mod model;
pub mod online_report;
pub mod referrals;
pub mod shelters;
pub mod stats;
pub mod store;
pub mod sync;
#[cfg(feature = "uniffi")]
mod uniffi_support;
pub mod vault;

#[cfg(feature = "uniffi")]
uniffi::setup_scaffolding!();

pub use error::{Error, PinWeakness, Refusal, Result, Rule};
