//! Journeys, snapshots and properties through [`crate::AppCore`] alone.
//! All data here is synthetic.

mod casework;
mod conflicts;
mod intake;
mod journeys;
mod props;
mod referrals;
mod registry;
mod report;
mod safety;
mod shelters;
mod snapshots;
pub(crate) mod support;
mod sync;
