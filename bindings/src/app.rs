//! The whole app as the shells drive it: [`binhan_ui::AppCore`], its
//! events, view models and effects, reached from Kotlin and Swift.
//!
//! The shells call `appCore(...)` once, then only `send(event)` (which
//! returns the next view model) and draw what comes back; platform effects
//! (hide the app, dial a number) arrive through the `Shell` they pass in.
//! The view-model types are binhan-ui's own (Kotlin package
//! `vn.binhan.ui`), deriving their uniffi traits behind its feature.

use crate::platform::PlatformKey;
use crate::vault::{core_config, VaultConfig};
use binhan_core::model::Lang;
use binhan_ui::{AppCore, Options, Shell};
use std::sync::Arc;

/// Seconds without an interaction after which the app locks.
pub const IDLE_LOCK_SECS: u64 = 120;

/// The app over the vault directory `dir` (created at first run with
/// `config` and, if given, the platform key), starting on the camouflage,
/// locked, in `lang`. Effects go to `shell`.
#[uniffi::export]
pub fn app_core(
    dir: String,
    config: VaultConfig,
    platform_key: Option<Arc<dyn PlatformKey>>,
    lang: Lang,
    shell: Arc<dyn Shell>,
) -> Arc<AppCore> {
    let options = Options {
        vault: core_config(config, platform_key),
        lang,
        idle_lock_secs: IDLE_LOCK_SECS,
        // Every phone the apps run on has a camera to scan invitations.
        scan_codes: true,
    };
    Arc::new(AppCore::new(dir.into(), options, shell))
}
