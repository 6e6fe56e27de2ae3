//! The core as an app sees it: one vault on the phone, locked or unlocked,
//! and the case workflow over its encrypted store.
//!
//! [`Vault`] is safe to call from any thread. Locking drops the data key; calls
//! already under way finish with the key they started with.

use crate::cases::{plan, CaseAction, CaseDetail, CaseFilter, CaseIntake, CaseSummary};
use crate::events::{system_wall_ms, Conflict, Event, HlcClock, WallClock};
use crate::model::{CaseId, DeviceId, EventId};
use crate::store::{Store, DATABASE_FILE};
use crate::vault::{KdfParams, KeyVault, PlatformKey, Unlocked, VaultPolicy};
use crate::{Error, Result};
use chrono::NaiveDate;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

/// Offset of Asia/Ho_Chi_Minh from UTC (no daylight saving time).
const VIETNAM_UTC_OFFSET_MS: u64 = 7 * 3600 * 1000;

/// How a vault is set up; the defaults suit a phone.
#[derive(Clone)]
pub struct VaultOptions {
    /// Failed-unlock limits and delays (used when creating a vault).
    pub policy: VaultPolicy,
    /// Argon2id parameters (used when creating a vault).
    pub kdf: KdfParams,
    /// A key held by Android Keystore or the iOS Keychain, as a second wrap.
    pub platform_key: Option<Arc<dyn PlatformKey>>,
    /// Wall clock in milliseconds (replaceable in tests).
    pub wall_clock: WallClock,
}

impl Default for VaultOptions {
    fn default() -> Self {
        Self {
            policy: VaultPolicy::default(),
            kdf: KdfParams::default(),
            platform_key: None,
            wall_clock: system_wall_ms,
        }
    }
}

impl std::fmt::Debug for VaultOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VaultOptions")
            .field("policy", &self.policy)
            .field("kdf", &self.kdf)
            .field("platform_key", &self.platform_key.is_some())
            .finish()
    }
}

/// The list rows written since a mark ([`Vault::case_changes`]).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CaseChanges {
    /// Rows written since, whole (replace the kept row of the same case);
    /// newest activity first when asked from 0, else in no order.
    pub changed: Vec<CaseSummary>,
    /// Cases whose row, written since, failed authentication.
    pub unreadable: Vec<CaseId>,
    /// The mark to ask from next time.
    pub through: u64,
}

/// The case list with the rows that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CaseList {
    /// Matching cases, most recent activity first.
    pub cases: Vec<CaseSummary>,
    /// Cases whose stored data failed authentication (tampered or corrupted).
    pub unreadable: Vec<CaseId>,
}

/// What an unlocked vault holds.
struct Session {
    store: Store,
    device: DeviceId,
    identity: crate::sync::DeviceIdentity,
    clock: HlcClock,
}

/// One vault on the phone and the case workflow over it.
pub struct Vault {
    dir: PathBuf,
    keys: KeyVault,
    wall: WallClock,
    session: RwLock<Option<Arc<Session>>>,
    /// The way to the sync server when not HTTP (see [`Vault::set_transport`]).
    transport: RwLock<Option<Arc<dyn crate::sync::Transport>>>,
}

/// Clock readings `record` tries before giving up on storing an event.
const RECORD_ATTEMPTS: usize = 3;
const DEVICE_ID: &str = "device_id";
const IDENTITY: &str = "identity";

impl Vault {
    /// Creates a vault in `dir` protected by `pin`, and leaves it unlocked.
    /// A vault erased before (wiped, or too many wrong PINs) is replaced.
    pub fn create(dir: &Path, pin: &str, config: VaultOptions) -> Result<Self> {
        std::fs::create_dir_all(dir)?;
        if KeyVault::exists(dir) {
            match KeyVault::open(dir, config.platform_key.clone()) {
                Ok(keys) if keys.is_erased() => {}
                Err(Error::Erased) => {}
                _ => return Err(Error::AlreadyExists),
            }
            std::fs::remove_file(dir.join(crate::vault::KEY_FILE))?;
        }
        // What an erased or broken vault may have left: a new vault has none of it.
        crate::vault::remove_store(dir)?;
        Self::remove_clear_files(dir)?;
        let (keys, data_key) =
            KeyVault::create(dir, pin, config.policy, config.kdf, config.platform_key)?;
        let app = Self::with_keys(dir, keys, config.wall_clock);
        app.start_session(data_key)?;
        Ok(app)
    }

    /// Opens the vault in `dir`, locked.
    pub fn open(dir: &Path, config: VaultOptions) -> Result<Self> {
        let keys = KeyVault::open(dir, config.platform_key)?;
        Ok(Self::with_keys(dir, keys, config.wall_clock))
    }

    /// Whether a vault exists in `dir`.
    pub fn exists(dir: &Path) -> bool {
        KeyVault::exists(dir)
    }

    fn with_keys(dir: &Path, keys: KeyVault, wall: WallClock) -> Self {
        Self {
            dir: dir.to_path_buf(),
            keys,
            wall,
            session: RwLock::new(None),
            transport: RwLock::new(None),
        }
    }

    fn start_session(&self, data_key: crate::crypto::SecretKey) -> Result<()> {
        let store = self.open_store(data_key)?;
        let device = match store.meta::<DeviceId>(DEVICE_ID)? {
            Some(device) => device,
            None => self.new_device(&store)?,
        };
        let identity = match store.meta::<crate::sync::DeviceIdentity>(IDENTITY)? {
            Some(identity) if identity.device_id() == device => identity,
            _ => {
                let identity = crate::sync::DeviceIdentity::generate(device);
                store.set_meta(IDENTITY, &identity)?;
                identity
            }
        };
        let clock = HlcClock::new(store.newest_hlc()?, self.wall);
        *self.session.write().unwrap_or_else(|p| p.into_inner()) = Some(Arc::new(Session {
            store,
            device,
            identity,
            clock,
        }));
        Ok(())
    }

    /// Opens the store under `key`. One left over from a duress unlock cut
    /// short after the keys were replaced (nothing in it opens under the
    /// current key) is replaced by a new store, as a new vault makes it.
    fn open_store(&self, key: crate::crypto::SecretKey) -> Result<Store> {
        let path = self.dir.join(DATABASE_FILE);
        let store = Store::open(&path, key.clone())?;
        match store.meta::<DeviceId>(DEVICE_ID) {
            Err(Error::Tampered { .. }) if store.list()?.rows.is_empty() => {
                drop(store);
                crate::vault::remove_store(&self.dir)?;
                Self::remove_clear_files(&self.dir)?;
                Store::open(&path, key)
            }
            _ => Ok(store),
        }
    }

    fn new_device(&self, store: &Store) -> Result<DeviceId> {
        let device = DeviceId::random();
        store.set_meta(DEVICE_ID, &device)?;
        Ok(device)
    }

    fn session(&self) -> Result<Arc<Session>> {
        self.session
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
            .ok_or(Error::Locked)
    }

    /// Unlocks with the PIN. With the duress PIN, the real data is erased and
    /// an empty vault opens, indistinguishable from a new one: the key file
    /// is a new vault's, the store is made anew, and what was kept in the
    /// clear beside it (the commune's emergency numbers, the road network)
    /// goes too, as when too many wrong PINs erased the vault.
    pub fn unlock(&self, pin: &str) -> Result<()> {
        match self.after_keys(self.keys.unlock(pin))? {
            Unlocked::Pin(key) => self.start_session(key),
            Unlocked::Duress(key) => {
                self.lock();
                Self::remove_clear_files(&self.dir)?;
                self.start_session(key)
            }
        }
    }

    /// Passes on the result of a call that uses an attempt; when the keys
    /// were erased (by it or before), also forgets the session and removes
    /// what was kept in the clear beside the store.
    fn after_keys<T>(&self, result: Result<T>) -> Result<T> {
        if matches!(result, Err(Error::Erased)) {
            self.lock();
            Self::remove_clear_files(&self.dir)?;
        }
        result
    }

    /// Locks: forgets the data key until the next unlock.
    pub fn lock(&self) {
        *self.session.write().unwrap_or_else(|p| p.into_inner()) = None;
    }

    /// Whether the vault is unlocked.
    pub fn is_unlocked(&self) -> bool {
        self.session.read().map(|s| s.is_some()).unwrap_or(false)
    }

    /// Changes the PIN; the data is not re-encrypted.
    pub fn change_pin(&self, old_pin: &str, new_pin: &str) -> Result<()> {
        self.after_keys(self.keys.change_pin(old_pin, new_pin))
    }

    /// Sets a duress PIN that, when entered, erases the real data and opens
    /// an empty vault.
    pub fn set_duress_pin(&self, pin: &str, duress_pin: &str) -> Result<()> {
        self.after_keys(self.keys.set_duress_pin(pin, duress_pin))
    }

    /// Unlock attempts left before the data is erased.
    pub fn attempts_remaining(&self) -> Result<u32> {
        self.keys.attempts_remaining()
    }

    /// Panic wipe: erases the keys first (the data is unreadable from that
    /// moment) and the store's files with them, then the files kept in the
    /// clear beside it: the folder is left with the erased key file only.
    pub fn panic_wipe(&self) -> Result<()> {
        let key_result = self.keys.erase();
        self.lock();
        Self::remove_clear_files(&self.dir)?;
        key_result
    }

    /// Removes what is kept in the clear beside the store, which a new
    /// vault does not have: the commune's emergency numbers and the road
    /// network with its staged download. Both are tried; the first error
    /// is returned.
    fn remove_clear_files(dir: &Path) -> Result<()> {
        let emergency = emergency::remove_emergency_file(dir);
        emergency.and(roads::remove_road_files(dir))
    }

    /// This device's id.
    pub fn device_id(&self) -> Result<DeviceId> {
        Ok(self.session()?.device)
    }

    /// For parts of core that keep sealed records of their own (shelters):
    /// runs `f` on the unlocked store.
    pub(crate) fn with_store<T>(&self, f: impl FnOnce(&Store) -> Result<T>) -> Result<T> {
        f(&self.session()?.store)
    }

    /// The vault directory (for files that hold no secret, such as the
    /// road network).
    pub(crate) fn vault_dir(&self) -> &Path {
        &self.dir
    }

    /// This app's wall clock, milliseconds since 1970.
    pub(crate) fn wall_ms(&self) -> u64 {
        (self.wall)()
    }

    /// Today's date in Vietnam, by this app's clock.
    pub fn today(&self) -> NaiveDate {
        let ms = (self.wall)().saturating_add(VIETNAM_UTC_OFFSET_MS);
        crate::events::Hlc::from_wall_ms(ms).to_utc().date_naive()
    }

    fn record(
        &self,
        session: &Session,
        case_id: CaseId,
        changes: Vec<crate::events::Change>,
    ) -> Result<EventId> {
        // Ids come from author and clock; another session on the same vault
        // may have taken this reading, so a refused id takes the next one.
        for _ in 0..RECORD_ATTEMPTS {
            let hlc = session.clock.tick();
            let event = Event {
                id: Event::id_for(session.device, hlc),
                case_id,
                hlc,
                author: session.device,
                changes: changes.clone(),
            };
            if !session
                .store
                .append(std::slice::from_ref(&event))?
                .is_empty()
            {
                return Ok(event.id);
            }
        }
        Err(Error::Storage(rusqlite::Error::StatementChangedRows(0)))
    }

    fn state(&self, session: &Session, id: CaseId) -> Result<crate::events::CaseState> {
        session
            .store
            .case_state(id)?
            .filter(|s| s.recorded_on().is_some())
            .ok_or_else(|| Error::NotFound(format!("case {id}")))
    }

    /// Records a new case from the intake form; returns its id once it is
    /// durably stored.
    pub fn create_case(&self, intake: CaseIntake) -> Result<CaseId> {
        self.create_case_with_id(CaseId::random(), intake)
    }

    /// Records a new case under an id chosen beforehand. A draft keeps its
    /// case's id, so that saving it again (the app was killed between
    /// saving the case and discarding the draft) records nothing more: if
    /// the case exists, its id comes back and nothing is written.
    pub fn create_case_with_id(&self, id: CaseId, intake: CaseIntake) -> Result<CaseId> {
        let session = self.session()?;
        let changes = intake.into_changes(self.today())?;
        if session.store.case_state(id)?.is_none() {
            self.record(&session, id, changes)?;
        }
        Ok(id)
    }

    /// Applies an action to a case; returns the id of the event recorded.
    pub fn act(&self, id: CaseId, action: CaseAction) -> Result<EventId> {
        let role = || Ok::<_, Error>(self.enrolment()?.map(|e| e.role));
        match action {
            CaseAction::Close(_) => crate::cases::check_closer(role()?)?,
            CaseAction::Transfer { .. } => crate::cases::check_transferrer(role()?)?,
            _ => {}
        }
        let withdrawn = match &action {
            CaseAction::RecordConsent(c) if !c.granted => Some(c.scope.clone()),
            _ => None,
        };
        let session = self.session()?;
        let state = self.state(&session, id)?;
        let changes = plan(&state, action, self.today())?;
        let event = self.record(&session, id, changes)?;
        if let Some(scope) = withdrawn {
            // Withdrawal of consent stops sharing: referrals it covered are
            // withdrawn, and their content erased where it was sent.
            self.withdraw_referrals(id, &scope)?;
        }
        Ok(event)
    }

    /// The detail of one case.
    pub fn case(&self, id: CaseId) -> Result<CaseDetail> {
        let session = self.session()?;
        Ok(CaseDetail::of(&self.state(&session, id)?))
    }

    /// A number that changes whenever the vault's data changes, by this
    /// object or another one open on the same vault (a background sync): a
    /// listing made under the same number is still current.
    pub fn data_version(&self) -> Result<u64> {
        self.session()?.store.data_version()
    }

    /// Cases matching `filter`, most recent activity first.
    pub fn list_cases(&self, filter: &CaseFilter) -> Result<CaseList> {
        let session = self.session()?;
        let today = self.today();
        let listing = session.store.list()?;
        Ok(CaseList {
            cases: listing
                .rows
                .into_iter()
                .filter(|row| filter.matches(row, today))
                .collect(),
            unreadable: listing.unreadable,
        })
    }

    /// The list rows written after the mark `since` (0: every row) and the
    /// mark they bring the caller to: an app that keeps the list reads only
    /// what changed (a sync that touched one case reads one row).
    pub fn case_changes(&self, since: u64) -> Result<CaseChanges> {
        let listing = self.session()?.store.list_since(since)?;
        Ok(CaseChanges {
            changed: listing.rows,
            unreadable: listing.unreadable,
            through: listing.through,
        })
    }

    /// Cases whose survivor code contains `code` (case-insensitive).
    pub fn find_by_survivor_code(&self, code: &str) -> Result<CaseList> {
        self.list_cases(&CaseFilter {
            survivor_code: Some(code.to_string()),
            ..CaseFilter::default()
        })
    }

    /// Unresolved conflicts of one case.
    pub fn conflicts(&self, id: CaseId) -> Result<Vec<Conflict>> {
        let session = self.session()?;
        Ok(self.state(&session, id)?.conflicts())
    }

    /// Every stored event of a case, oldest first.
    pub fn events_of(&self, id: CaseId) -> Result<Vec<Event>> {
        self.session()?.store.events_of(id)
    }

    /// Merges events made elsewhere (another device, a backup); returns the
    /// ids newly stored.
    pub fn merge_events(&self, events: &[Event]) -> Result<Vec<EventId>> {
        let session = self.session()?;
        for event in events {
            session.clock.observe(event.hlc);
        }
        session.store.append_foreign(events)
    }

    /// Runs SQLite's integrity check on the store.
    pub fn integrity_check(&self) -> Result<()> {
        self.session()?.store.integrity_check()
    }
}

mod activities;
mod drafts;
mod emergency;
mod online_reports;
mod placements;
mod referrals;
mod registry_shelters;
mod report;
mod roads;
mod shelters;
mod statistics;
pub use statistics::StatisticsRead;
mod sync;
mod sync_roads;
pub(crate) mod sync_shelters;
mod verify;

pub use emergency::EMERGENCY_FILE;
pub use referrals::{OverdueReferral, ReferralDraft, ReferralPreview};
pub use registry_shelters::{RegistryPublished, SigningKeyInfo};
pub use roads::{RoadStatus, RoadSyncReport, RoadUpdate, ROAD_STAGING_DIR};
pub use shelters::ROAD_FILE;
pub use sync::LastSync;
pub use sync::SyncOptions;
pub use verify::VerifyReport;

#[cfg(test)]
mod tests;
#[cfg(test)]
mod wipe_tests;
