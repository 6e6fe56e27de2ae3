//! The vault on the phone and the case workflow over it: a thin wrapper of
//! [`binhan_core::app::Vault`]. Safe to call from any thread; every call
//! blocks the calling thread briefly (run them off the UI thread), and the
//! long ones return a [`TaskHandle`].

use crate::error::{BinhAnError, Result};
use crate::platform::{adapt, PlatformKey};
use crate::task::{self, ProgressPhase, TaskHandle, TaskListener, TaskOutcome};
use crate::view::{CaseDetail, Conflict};
use binhan_core::app::{CaseList, Vault as CoreVault, VaultOptions};
use binhan_core::cases::{CaseAction, CaseFilter, CaseIntake};
use binhan_core::model::{CaseId, DeviceId, EventId};
use binhan_core::vault::{KdfParams, VaultPolicy};
use chrono::NaiveDate;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// Vault objects alive in this process.
static LIVE_VAULTS: AtomicU64 = AtomicU64::new(0);

/// How a new vault is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct VaultConfig {
    /// Argon2id parameters (at least 46 MiB; see `default_vault_config`).
    pub kdf: KdfParams,
    /// Failed-unlock limits and delays.
    pub policy: VaultPolicy,
}

/// The configuration a phone should use: Argon2id with 64 MiB and 3 passes;
/// ten wrong PINs erase the keys, with growing delays after the third.
#[uniffi::export]
pub fn default_vault_config() -> VaultConfig {
    VaultConfig {
        kdf: KdfParams::default(),
        policy: VaultPolicy::default(),
    }
}

/// What is known about a vault directory without its PIN.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum VaultStatus {
    /// No vault has been created there.
    NoVault,
    /// The keys are erased; a new vault may be created there.
    Erased,
    /// A vault that the PIN opens.
    Ready {
        /// Unlock attempts left before the keys are erased.
        attempts_remaining: u32,
    },
}

/// The core's vault options for `config` and the app's platform key.
pub(crate) fn core_config(
    config: VaultConfig,
    platform_key: Option<Arc<dyn PlatformKey>>,
) -> VaultOptions {
    VaultOptions {
        policy: config.policy,
        kdf: config.kdf,
        platform_key: adapt(platform_key),
        ..VaultOptions::default()
    }
}

/// What a vault directory holds, without the PIN. Pass the platform key if
/// the vault was created with one.
#[uniffi::export]
pub fn vault_status(
    dir: String,
    platform_key: Option<Arc<dyn PlatformKey>>,
) -> Result<VaultStatus> {
    let dir = Path::new(&dir);
    if !CoreVault::exists(dir) {
        return Ok(VaultStatus::NoVault);
    }
    let app = match CoreVault::open(dir, core_config(default_vault_config(), platform_key)) {
        Ok(app) => app,
        Err(binhan_core::Error::Erased) => return Ok(VaultStatus::Erased),
        Err(e) => return Err(e.into()),
    };
    match app.attempts_remaining() {
        Ok(attempts_remaining) => Ok(VaultStatus::Ready { attempts_remaining }),
        Err(binhan_core::Error::Erased) => Ok(VaultStatus::Erased),
        Err(e) => Err(e.into()),
    }
}

/// Refuses a PIN too easy to guess (`WeakPin`, with the reason in Vietnamese
/// and English), so the PIN screen can say so before anything is created.
#[uniffi::export]
pub fn check_pin(pin: String) -> Result<()> {
    binhan_core::vault::check_pin_strength(&pin)
        .map_err(|weakness| binhan_core::Error::WeakPin(weakness).into())
}

/// Vault objects alive in this process (diagnostics: an app, or a test, can
/// check that closing its objects releases them).
#[uniffi::export]
pub fn live_vaults() -> u64 {
    LIVE_VAULTS.load(Ordering::SeqCst)
}

/// One vault on the phone, locked or unlocked, and the cases in it.
#[derive(uniffi::Object)]
pub struct Vault {
    app: Arc<CoreVault>,
}

impl Vault {
    fn new(app: CoreVault) -> Arc<Self> {
        LIVE_VAULTS.fetch_add(1, Ordering::SeqCst);
        Arc::new(Self { app: Arc::new(app) })
    }

    /// The core app, for operations that outlive the call (long operations)
    /// and for the other modules' exports on `Vault` ([`crate::sync`]).
    pub(crate) fn app(&self) -> Arc<CoreVault> {
        Arc::clone(&self.app)
    }
}

impl Drop for Vault {
    fn drop(&mut self) {
        LIVE_VAULTS.fetch_sub(1, Ordering::SeqCst);
    }
}

#[uniffi::export]
impl Vault {
    /// Creates a vault in `dir` protected by `pin`, and leaves it unlocked.
    /// A vault erased before (wiped, too many wrong PINs) is replaced.
    #[uniffi::constructor]
    pub fn create(
        dir: String,
        pin: String,
        config: VaultConfig,
        platform_key: Option<Arc<dyn PlatformKey>>,
    ) -> Result<Arc<Self>> {
        let app = CoreVault::create(Path::new(&dir), &pin, core_config(config, platform_key))?;
        Ok(Self::new(app))
    }

    /// Opens the vault in `dir`, locked. The platform key must be given if,
    /// and only if, the vault was created with one.
    #[uniffi::constructor]
    pub fn open(dir: String, platform_key: Option<Arc<dyn PlatformKey>>) -> Result<Arc<Self>> {
        let app = CoreVault::open(
            Path::new(&dir),
            core_config(default_vault_config(), platform_key),
        )?;
        Ok(Self::new(app))
    }

    /// Unlocks with the PIN. The duress PIN erases the real data and opens an
    /// empty vault, and the app must show it exactly as a normal unlock.
    pub fn unlock(&self, pin: String) -> Result<()> {
        Ok(self.app.unlock(&pin)?)
    }

    /// Locks: forgets the data key until the next unlock.
    pub fn lock(&self) {
        self.app.lock()
    }

    /// Whether the vault is unlocked.
    pub fn is_unlocked(&self) -> bool {
        self.app.is_unlocked()
    }

    /// Changes the PIN (a wrong old PIN counts as a failed attempt).
    pub fn change_pin(&self, old_pin: String, new_pin: String) -> Result<()> {
        Ok(self.app.change_pin(&old_pin, &new_pin)?)
    }

    /// Sets the duress PIN, which when entered erases the real data and
    /// opens an empty vault.
    pub fn set_duress_pin(&self, pin: String, duress_pin: String) -> Result<()> {
        Ok(self.app.set_duress_pin(&pin, &duress_pin)?)
    }

    /// Unlock attempts left before the keys are erased.
    pub fn attempts_remaining(&self) -> Result<u32> {
        Ok(self.app.attempts_remaining()?)
    }

    /// Panic wipe: erases the keys (the data is unreadable from that moment),
    /// then deletes the data. Needs no PIN.
    pub fn panic_wipe(&self) -> Result<()> {
        Ok(self.app.panic_wipe()?)
    }

    /// This device's id.
    pub fn device_id(&self) -> Result<DeviceId> {
        Ok(self.app.device_id()?)
    }

    /// Today in Vietnam, by the phone's clock (the day forms default to).
    pub fn today(&self) -> NaiveDate {
        self.app.today()
    }

    /// Records a new case from the intake form; returns its id once it is
    /// stored. An invalid field is refused with `InvalidField`.
    pub fn create_case(&self, intake: CaseIntake) -> Result<CaseId> {
        Ok(self.app.create_case(intake)?)
    }

    /// Applies what a person did to a case (update, risk, consent, service,
    /// follow-up, note, close, reopen, resolve a conflict); returns the id of
    /// the event recorded.
    pub fn act(&self, case_id: CaseId, action: CaseAction) -> Result<EventId> {
        Ok(self.app.act(case_id, action)?)
    }

    /// Everything about one case.
    pub fn case_detail(&self, case_id: CaseId) -> Result<CaseDetail> {
        Ok(self.app.case(case_id)?.into())
    }

    /// Cases matching `filter`, most recent activity first, and the ids of
    /// those whose stored data could not be read.
    pub fn list_cases(&self, filter: CaseFilter) -> Result<CaseList> {
        Ok(self.app.list_cases(&filter)?)
    }

    /// Cases whose survivor code contains `code` (case-insensitive).
    pub fn find_by_survivor_code(&self, code: String) -> Result<CaseList> {
        Ok(self.app.find_by_survivor_code(&code)?)
    }

    /// Unresolved conflicts of one case.
    pub fn conflicts(&self, case_id: CaseId) -> Result<Vec<Conflict>> {
        Ok(self
            .app
            .conflicts(case_id)?
            .into_iter()
            .map(Conflict::from)
            .collect())
    }

    /// Verifies the whole store in the background: the database's structure,
    /// then every case's records open and authenticate. Progress counts
    /// cases; the outcome is `TaskOutcome.Verified` with the report.
    pub fn verify_store(&self, listener: Arc<dyn TaskListener>) -> Arc<TaskHandle> {
        let app = Arc::clone(&self.app);
        task::spawn(listener, move |reporter, cancel| async move {
            let report = task::blocking(move || {
                app.verify_store(
                    &|done, total| reporter.progress(ProgressPhase::Verifying, done, total),
                    &cancel,
                )
                .map_err(BinhAnError::from)
            })
            .await?;
            Ok(TaskOutcome::Verified { report })
        })
    }
}
