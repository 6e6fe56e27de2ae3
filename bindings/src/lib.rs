//! Bình An mobile bindings: the thin uniffi layer through which the Android
//! (Kotlin) and iOS (Swift) apps reach `binhan-core`.
//!
//! It wraps the core's objects and maps its errors; it decides nothing. The
//! domain types (survivor, incident, intake form, case actions, list rows,
//! filters, enumerations) derive their uniffi traits in core behind its
//! `uniffi` feature; only the views that hold core's generic `Attributed<T>`
//! are mirrored here ([`view`]).
//!
//! - [`app`]: the whole app, screens decided in core ([`binhan_ui::AppCore`]);
//! - [`vault`]: the vault lifecycle and the case workflow ([`Vault`]);
//! - [`platform`]: the platform key the app implements;
//! - [`sync`]: enrolment, sync, invitations, revocation and case teams;
//! - [`referrals`]: the service directory, referrals with their preview,
//!   the provider's inbox and the overdue list;
//! - [`shelters`]: the shelter directory, road network, nearest search and
//!   placements;
//! - [`task`]: long operations with progress and cancellation;
//! - [`labels`]: every enumeration's labels and the communes;
//! - [`error`]: the errors the apps act on.

pub mod app;
pub mod error;
pub mod labels;
pub mod platform;
pub mod referrals;
pub mod shelters;
pub mod sync;
pub mod task;
pub mod vault;
pub mod view;

pub use error::BinhAnError;
pub use platform::{PlatformKey, PlatformKeyError};
pub use task::{Progress, ProgressPhase, TaskHandle, TaskListener, TaskOutcome};
pub use vault::{Vault, VaultConfig, VaultStatus};

uniffi::setup_scaffolding!();
