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
                Ok(keys) if keys.is_erased() => Self::remove_files(dir)?,
                Err(Error::Erased) => Self::remove_files(dir)?,
                _ => return Err(Error::AlreadyExists),
            }
        }
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
        let store = Store::open(&self.dir.join(DATABASE_FILE), data_key)?;
        let device = match store.meta::<DeviceId>(DEVICE_ID) {
            Ok(Some(device)) => device,
            Ok(None) => self.new_device(&store)?,
            // Left over from a duress unlock cut short after the keys were
            // replaced: nothing in the store opens under the current key.
            Err(Error::Tampered { .. }) if store.list()?.rows.is_empty() => {
                store.erase_all()?;
                self.new_device(&store)?
            }
            Err(e) => return Err(e),
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
    /// an empty vault opens, indistinguishable from a new one (so the
    /// commune's emergency numbers kept in the clear go too, as they do when
    /// too many wrong PINs erased the vault).
    pub fn unlock(&self, pin: &str) -> Result<()> {
        let unlocked = self.keys.unlock(pin);
        if matches!(unlocked, Ok(Unlocked::Duress(_)) | Err(Error::Erased)) {
            emergency::remove_emergency_file(&self.dir)?;
        }
        match unlocked? {
            Unlocked::Pin(key) => self.start_session(key),
            Unlocked::Duress(key) => {
                let store = Store::open(&self.dir.join(DATABASE_FILE), key.clone())?;
                store.erase_all()?;
                drop(store);
                self.start_session(key)
            }
        }
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
        self.keys.change_pin(old_pin, new_pin)
    }

    /// Sets a duress PIN that, when entered, erases the real data and opens
    /// an empty vault.
    pub fn set_duress_pin(&self, pin: &str, duress_pin: &str) -> Result<()> {
        self.keys.set_duress_pin(pin, duress_pin)
    }

    /// Unlock attempts left before the data is erased.
    pub fn attempts_remaining(&self) -> Result<u32> {
        self.keys.attempts_remaining()
    }

    /// Panic wipe: erases the keys first (the data is unreadable from that
    /// moment), then deletes the database files and the commune's emergency
    /// numbers.
    pub fn panic_wipe(&self) -> Result<()> {
        let key_result = self.keys.erase();
        self.lock();
        Self::remove_database(&self.dir)?;
        emergency::remove_emergency_file(&self.dir)?;
        key_result
    }

    fn remove_database(dir: &Path) -> Result<()> {
        for suffix in ["", "-wal", "-shm", "-journal"] {
            match std::fs::remove_file(dir.join(format!("{DATABASE_FILE}{suffix}"))) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(e.into()),
            }
        }
        Ok(())
    }

    /// Removes an erased vault's leftovers so a new one can be made.
    fn remove_files(dir: &Path) -> Result<()> {
        Self::remove_database(dir)?;
        emergency::remove_emergency_file(dir)?;
        std::fs::remove_file(dir.join(crate::vault::KEY_FILE))?;
        Ok(())
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
        let session = self.session()?;
        let state = self.state(&session, id)?;
        let changes = plan(&state, action, self.today())?;
        self.record(&session, id, changes)
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

mod drafts;
mod emergency;
mod placements;
mod registry_shelters;
mod report;
mod roads;
mod shelters;
mod sync;
mod sync_roads;
pub(crate) mod sync_shelters;
mod verify;

pub use emergency::EMERGENCY_FILE;
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
