//! One module per screen kind: its view-model type and the pure functions
//! that compute it. State that outlives a view lives in [`crate::AppCore`].

pub mod camouflage;
pub mod cases;
pub mod casework;
pub mod conflicts;
pub mod devices;
pub mod emergency;
pub(crate) mod form;
pub mod home;
pub mod intake;
pub mod invite;
pub mod online_reports;
pub mod pin;
pub mod referrals;
pub mod registries;
pub mod registry;
pub mod report;
pub mod rows;
pub mod settings;
pub mod setup;
pub mod shelters;
pub mod sync;
