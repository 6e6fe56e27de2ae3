//! The key hierarchy and unlock: PIN, duress PIN, attempt limits, crypto-erase.
//!
//! ```text
//! PIN ──NFC──▶ Argon2id(salt, params) ──▶ KEK ──seal──▶ data key
//!                                                 (│ platform key wrap, optional)
//!                                                 ▼
//!                                           <dir>/keys.bin
//! ```
//!
//! - The data key is 256 random bits that encrypt everything in the store;
//!   the PIN only wraps it, so changing the PIN re-encrypts nothing.
//! - Each attempt runs exactly one Argon2id derivation. The result opens
//!   either the data key, or the duress verifier, or nothing.
//! - The failure is counted on disk *before* the derivation, so killing the
//!   app mid-attempt does not give a free try. After `free_attempts`
//!   failures each attempt waits a growing delay, counted on the time since
//!   boot ([`Clock`]), which setting the phone's date cannot move; after
//!   `max_attempts` the keys are erased, and the store with them.
//! - The duress PIN "works": it silently replaces the vault with a new empty
//!   one, which from then on opens with the duress PIN as the ordinary PIN.
//!   The new key file has its own salt (prepared when the duress PIN was
//!   set, so the unlock runs one derivation like any other, see
//!   [`duress`]) and the old store is removed: the folder holds what a new
//!   vault's holds.
//! - The optional [`PlatformKey`] (Android Keystore, iOS Keychain) wraps the
//!   PIN-sealed keys a second time, so a copied key file cannot be attacked
//!   offline away from the phone.
//!
//! What this cannot do: someone who can write the app's private storage
//! (a rooted phone) can restore an older key file and so reset the attempt
//! counter; the policy and counter are not authenticated because nothing
//! secret is available before the PIN is known. Against that, and against
//! remnants of old key files in flash memory, the platform key is the
//! defence.

mod clock;
mod duress;
mod kdf;
pub(crate) mod keyfile;
mod pin;
mod platform;
mod policy;
#[cfg(test)]
mod tests;
mod wipe;
#[cfg(test)]
pub(crate) mod wipe_tests;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use zeroize::Zeroizing;

pub use clock::{Clock, SystemClock};
pub use kdf::KdfParams;
pub use keyfile::FILE_NAME as KEY_FILE;
pub use pin::{check_pin_strength, MIN_PIN_CHARS};
pub use platform::PlatformKey;
pub use policy::VaultPolicy;

use crate::crypto::{self, random_array, Binding, SecretKey};
use crate::error::{Error, PinWeakness, Result};
use duress::NextVault;
#[cfg(test)]
pub(crate) use keyfile::{read as read_key_file, KeyFile as StoredKeyFile};
use keyfile::{ActiveKeys, KeyFile, PinLayer};
use platform::Platform;
pub(crate) use wipe::remove_store;

/// Where the data key is sealed.
const DATA_KEY: Binding<'static> = Binding {
    table: "vault",
    row: b"keyfile",
    field: "data_key",
};

/// Where the duress verifier is sealed.
const DURESS: Binding<'static> = Binding {
    table: "vault",
    row: b"keyfile",
    field: "duress",
};

/// The result of a successful unlock.
///
/// Both variants must lead to the same screens. On `Duress` the app should
/// quietly discard the encrypted store (it can no longer be read) and start
/// an empty one under the new key.
pub enum Unlocked {
    /// The real PIN: the vault's data key.
    Pin(SecretKey),
    /// The duress PIN: the real key is gone; this is a fresh data key for an empty vault.
    Duress(SecretKey),
}

impl Unlocked {
    /// The data key, whichever PIN was entered.
    pub fn key(&self) -> &SecretKey {
        match self {
            Self::Pin(key) | Self::Duress(key) => key,
        }
    }

    /// The data key, consuming the result.
    pub fn into_key(self) -> SecretKey {
        match self {
            Self::Pin(key) | Self::Duress(key) => key,
        }
    }
}

impl std::fmt::Debug for Unlocked {
    /// Does not say which PIN was used, so a log line cannot reveal a duress unlock.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Unlocked(…)")
    }
}

/// A PIN-protected data key kept in `<dir>/keys.bin`.
///
/// Every method re-reads the key file under an internal lock, so the file is
/// the only state; use one `KeyVault` per directory all the same.
pub struct KeyVault {
    dir: PathBuf,
    platform: Platform,
    clock: Arc<dyn Clock>,
    state: Mutex<Cached>,
}

/// What is remembered between calls when the file cannot be read.
#[derive(Debug, Clone, Copy)]
struct Cached {
    kdf: KdfParams,
    erased: bool,
}

/// A correct PIN or the duress PIN, after the attempt was recorded.
enum Attempt {
    Pin {
        keys: ActiveKeys,
        layer: PinLayer,
        data_key: SecretKey,
    },
    Duress {
        keys: ActiveKeys,
        next: NextVault,
    },
}

impl std::fmt::Debug for KeyVault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeyVault")
            .field("dir", &self.dir)
            .field("platform_key", &self.platform.is_some())
            .finish_non_exhaustive()
    }
}

impl KeyVault {
    /// Creates a vault in `dir` with a new random data key, returned unlocked.
    ///
    /// Refuses a weak PIN ([`Error::WeakPin`]), invalid policy or KDF
    /// parameters ([`Error::Invalid`]) and an existing key file, even an
    /// erased one ([`Error::AlreadyExists`]). Creates `dir` if needed.
    pub fn create(
        dir: &Path,
        pin: &str,
        policy: VaultPolicy,
        kdf: KdfParams,
        platform: Option<Arc<dyn PlatformKey>>,
    ) -> Result<(KeyVault, SecretKey)> {
        check_pin_strength(pin).map_err(Error::WeakPin)?;
        policy.validate()?;
        kdf.validate()?;
        std::fs::create_dir_all(dir)?;
        if keyfile::exists(dir) {
            return Err(Error::AlreadyExists);
        }
        let salt: [u8; kdf::SALT_LEN] = random_array();
        let kek = kdf::derive_kek(&pin::normalize(pin), &salt, &kdf)?;
        let data_key = SecretKey::random();
        let layer = PinLayer {
            sealed_key: crypto::seal(&kek, DATA_KEY, data_key.as_bytes()),
            duress: NextVault::decoy(),
        };
        let keys = ActiveKeys {
            kdf: kdf.into(),
            salt: salt.to_vec(),
            platform_wrapped: platform.is_some(),
            keys: platform::wrap(&platform, layer.encode()?)?,
            policy: policy.into(),
            failed: 0,
            last_failure: 0,
        };
        if keyfile::exists(dir) {
            return Err(Error::AlreadyExists);
        }
        keyfile::write(dir, &KeyFile::Active(keys))?;
        let vault = KeyVault {
            dir: dir.to_path_buf(),
            platform,
            clock: Arc::new(SystemClock),
            state: Mutex::new(Cached { kdf, erased: false }),
        };
        Ok((vault, data_key))
    }

    /// Opens the vault in `dir` without unlocking it.
    ///
    /// [`Error::NoVault`] if there is none; [`Error::Tampered`] if the key
    /// file is malformed; [`Error::PlatformKey`] if the vault was created
    /// with a platform key and none is given, or the other way round. An
    /// erased vault opens, and reports [`KeyVault::is_erased`].
    pub fn open(dir: &Path, platform: Option<Arc<dyn PlatformKey>>) -> Result<KeyVault> {
        let cached = match keyfile::read(dir)? {
            KeyFile::Active(keys) => {
                check_platform_mode(&keys, &platform)?;
                Cached {
                    kdf: keys.kdf_params(),
                    erased: false,
                }
            }
            KeyFile::Erased => Cached {
                kdf: KdfParams::default(),
                erased: true,
            },
        };
        Ok(KeyVault {
            dir: dir.to_path_buf(),
            platform,
            clock: Arc::new(SystemClock),
            state: Mutex::new(cached),
        })
    }

    /// Whether `dir` holds a key file (active or erased).
    pub fn exists(dir: &Path) -> bool {
        keyfile::exists(dir)
    }

    /// Replaces the clock the attempt delays count on (for tests and simulations).
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// Unlocks with the PIN or the duress PIN.
    ///
    /// Errors: [`Error::WrongPin`] with the attempts left;
    /// [`Error::TooSoon`] while a delay runs (this does not use up an
    /// attempt); [`Error::Erased`] once the keys are gone, including right
    /// after the last allowed failure; [`Error::PlatformKey`] if the platform
    /// key cannot unwrap (not counted as an attempt).
    pub fn unlock(&self, pin: &str) -> Result<Unlocked> {
        let mut cached = self.lock();
        match self.attempt(&mut cached, pin, true)? {
            Attempt::Pin { data_key, .. } => Ok(Unlocked::Pin(data_key)),
            Attempt::Duress { keys, next } => self
                .enter_duress(&mut cached, keys, next)
                .map(Unlocked::Duress),
        }
    }

    /// Wraps the same data key under a new PIN; no data is re-encrypted.
    ///
    /// The new PIN must pass [`check_pin_strength`] (checked first, without
    /// using an attempt) and may not be the duress PIN
    /// ([`PinWeakness::SameAsPin`]). A wrong old PIN counts as a failed
    /// attempt, exactly as in [`KeyVault::unlock`]; the duress PIN entered
    /// here is just a wrong PIN.
    pub fn change_pin(&self, old_pin: &str, new_pin: &str) -> Result<()> {
        check_pin_strength(new_pin).map_err(Error::WeakPin)?;
        let mut cached = self.lock();
        let (mut keys, mut layer, data_key) = self.attempt_real(&mut cached, old_pin)?;
        let kek = kdf::derive_kek(&pin::normalize(new_pin), &keys.salt, &keys.kdf_params())?;
        if crypto::open(&kek, DURESS, &layer.duress).is_ok() {
            return Err(Error::WeakPin(PinWeakness::SameAsPin));
        }
        layer.sealed_key = crypto::seal(&kek, DATA_KEY, data_key.as_bytes());
        keys.keys = platform::wrap(&self.platform, layer.encode()?)?;
        keyfile::write(&self.dir, &KeyFile::Active(keys))
    }

    /// Sets (or replaces) the duress PIN; needs the correct PIN.
    ///
    /// The duress PIN must pass [`check_pin_strength`] and differ from the
    /// PIN ([`PinWeakness::SameAsPin`]); both are checked before an attempt
    /// is used. A wrong PIN counts as a failed attempt.
    pub fn set_duress_pin(&self, pin: &str, duress_pin: &str) -> Result<()> {
        check_pin_strength(duress_pin).map_err(Error::WeakPin)?;
        let duress_pin = pin::normalize(duress_pin);
        if *pin::normalize(pin) == *duress_pin {
            return Err(Error::WeakPin(PinWeakness::SameAsPin));
        }
        let mut cached = self.lock();
        let (mut keys, mut layer, _data_key) = self.attempt_real(&mut cached, pin)?;
        let duress_kek = kdf::derive_kek(&duress_pin, &keys.salt, &keys.kdf_params())?;
        let next = NextVault::prepare(&duress_pin, &keys.kdf_params())?;
        layer.duress = next.seal(&duress_kek);
        keys.keys = platform::wrap(&self.platform, layer.encode()?)?;
        keyfile::write(&self.dir, &KeyFile::Active(keys))
    }

    /// Attempts left before the keys are erased; [`Error::Erased`] if they are.
    pub fn attempts_remaining(&self) -> Result<u32> {
        let mut cached = self.lock();
        let keys = self.load_active(&mut cached)?;
        Ok(keys.policy().max_attempts.saturating_sub(keys.failed))
    }

    /// Crypto-erases the vault: the key file is overwritten with random
    /// bytes, synced and replaced by an "erased" tombstone, the store's files
    /// (`vault.db` and its WAL, shared-memory and journal files) are
    /// overwritten and removed, then the platform key is deleted. Works on
    /// any key file, even a malformed one.
    ///
    /// Every step is tried even if an earlier one fails; the first local
    /// error is returned, else the platform key's error.
    pub fn erase(&self) -> Result<()> {
        let mut cached = self.lock();
        self.erase_locked(&mut cached)
    }

    /// Crypto-erases the vault in `dir` without opening it, as
    /// [`KeyVault::erase`] does; for a panic wipe when [`KeyVault::open`]
    /// fails (malformed file, missing platform key).
    pub fn erase_at(dir: &Path, platform: Option<Arc<dyn PlatformKey>>) -> Result<()> {
        let local = erase_local(dir);
        let remote = platform::erase(&platform);
        local.and(remote)
    }

    /// Whether the vault has been erased.
    pub fn is_erased(&self) -> bool {
        let cached = self.lock();
        match keyfile::read(&self.dir) {
            Ok(KeyFile::Erased) => true,
            Ok(KeyFile::Active(_)) => false,
            Err(_) => cached.erased,
        }
    }

    /// The Argon2id parameters recorded in the key file (the defaults once erased).
    pub fn kdf_params(&self) -> KdfParams {
        self.lock().kdf
    }

    fn lock(&self) -> MutexGuard<'_, Cached> {
        // A panic elsewhere cannot leave `Cached` inconsistent: the file is the state.
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn load_active(&self, cached: &mut Cached) -> Result<ActiveKeys> {
        match keyfile::read(&self.dir)? {
            KeyFile::Erased => {
                cached.erased = true;
                Err(Error::Erased)
            }
            KeyFile::Active(keys) => {
                check_platform_mode(&keys, &self.platform)?;
                cached.kdf = keys.kdf_params();
                cached.erased = false;
                Ok(keys)
            }
        }
    }

    /// One unlock attempt: delay check, count, derive, open.
    fn attempt(&self, cached: &mut Cached, pin: &str, allow_duress: bool) -> Result<Attempt> {
        let mut keys = self.load_active(cached)?;
        let policy = keys.policy();
        if keys.failed >= policy.max_attempts {
            // The last allowed attempt was interrupted before it could fail.
            return Err(self.erase_after_failures(cached));
        }
        let now = self.clock.now_secs();
        if keys.failed > 0 && now < keys.last_failure {
            // The phone restarted (its clock starts again near zero): the
            // delay starts again from now, whole; it is never skipped, and
            // does not lock the person out until the old reading comes round.
            keys.last_failure = now;
            keyfile::write(&self.dir, &KeyFile::Active(keys.clone()))?;
        }
        if let Some(wait) = policy.wait_at(keys.failed, keys.last_failure, now) {
            return Err(Error::TooSoon {
                retry_after_secs: wait,
            });
        }
        let layer = PinLayer::decode(&platform::unwrap(&self.platform, keys.keys.clone())?)?;
        let pin = pin::normalize(pin);

        // Record the failure before deriving, so an interrupted attempt still counts.
        keys.failed += 1;
        keys.last_failure = now;
        keyfile::write(&self.dir, &KeyFile::Active(keys.clone()))?;

        let kek = kdf::derive_kek(&pin, &keys.salt, &keys.kdf_params())?;
        if let Ok(opened) = crypto::open(&kek, DATA_KEY, &layer.sealed_key) {
            let data_key = secret_key_from(&opened)?;
            keys.failed = 0;
            keys.last_failure = 0;
            keyfile::write(&self.dir, &KeyFile::Active(keys.clone()))?;
            return Ok(Attempt::Pin {
                keys,
                layer,
                data_key,
            });
        }
        // AEAD tag verification is constant-time.
        if allow_duress {
            if let Ok(seed) = crypto::open(&kek, DURESS, &layer.duress) {
                let next = NextVault::from_seed(&seed, &pin, &keys.kdf_params())?;
                return Ok(Attempt::Duress { keys, next });
            }
        }
        if keys.failed >= policy.max_attempts {
            return Err(self.erase_after_failures(cached));
        }
        Err(Error::WrongPin {
            remaining: policy.max_attempts - keys.failed,
        })
    }

    /// An attempt in which only the real PIN succeeds.
    fn attempt_real(
        &self,
        cached: &mut Cached,
        pin: &str,
    ) -> Result<(ActiveKeys, PinLayer, SecretKey)> {
        match self.attempt(cached, pin, false)? {
            Attempt::Pin {
                keys,
                layer,
                data_key,
            } => Ok((keys, layer, data_key)),
            // Not produced when duress is not allowed; refuse rather than panic.
            Attempt::Duress { .. } => Err(Error::Locked),
        }
    }

    /// Replaces the vault by a new one: a new data key, sealed under the
    /// duress PIN's key for the prepared salt, in a key file of the same
    /// kind as a freshly created one; then removes the old store.
    fn enter_duress(
        &self,
        cached: &mut Cached,
        mut keys: ActiveKeys,
        next: NextVault,
    ) -> Result<SecretKey> {
        let new_key = SecretKey::random();
        let layer = PinLayer {
            sealed_key: crypto::seal(&next.kek, DATA_KEY, new_key.as_bytes()),
            duress: NextVault::decoy(),
        };
        let inner = layer.encode()?;
        keys.keys = match &self.platform {
            Some(platform) => {
                // Rotate the platform key, so anything wrapped under the old
                // one (including old key files left in flash) is unreadable.
                // Best effort: an error here must not give the duress away.
                let _ = platform.erase();
                match platform.wrap(inner) {
                    Ok(wrapped) => wrapped,
                    Err(e) => {
                        // The real key must go whatever happens.
                        let _ = self.erase_locked(cached);
                        return Err(Error::PlatformKey(e));
                    }
                }
            }
            None => inner,
        };
        keys.salt = next.salt.to_vec();
        keys.failed = 0;
        keys.last_failure = 0;
        if let Err(e) = keyfile::write(&self.dir, &KeyFile::Active(keys)) {
            let _ = self.erase_locked(cached);
            return Err(e);
        }
        // The real key is gone; what is left of its store is unreadable, but
        // its clear columns (ids, clock readings, sizes) must go too.
        wipe::remove_store(&self.dir)?;
        Ok(new_key)
    }

    /// Erases after the last allowed failure; the error to return to the caller.
    fn erase_after_failures(&self, cached: &mut Cached) -> Error {
        match self.erase_locked(cached) {
            Ok(()) | Err(Error::PlatformKey(_)) => Error::Erased,
            Err(local) => local,
        }
    }

    fn erase_locked(&self, cached: &mut Cached) -> Result<()> {
        let local = erase_local(&self.dir);
        if local.is_ok() {
            cached.erased = true;
        }
        let remote = platform::erase(&self.platform);
        local.and(remote)
    }
}

/// Overwrites the key file in place and replaces it by a tombstone, then
/// overwrites and removes the store; every step is tried, the first error
/// returned.
fn erase_local(dir: &Path) -> Result<()> {
    let shredded = keyfile::shred(dir);
    let tombstone = keyfile::write(dir, &KeyFile::Erased);
    let store = wipe::remove_store(dir);
    shredded.and(tombstone).and(store)
}

fn secret_key_from(bytes: &[u8]) -> Result<SecretKey> {
    let mut raw = Zeroizing::new([0u8; 32]);
    if bytes.len() != raw.len() {
        return Err(Error::Tampered {
            record: "key file".into(),
        });
    }
    raw.copy_from_slice(bytes);
    Ok(SecretKey::from_bytes(*raw))
}

fn check_platform_mode(keys: &ActiveKeys, platform: &Platform) -> Result<()> {
    match (keys.platform_wrapped, platform.is_some()) {
        (true, false) => Err(Error::PlatformKey(
            "this vault needs its platform key, which was not supplied".into(),
        )),
        (false, true) => Err(Error::PlatformKey(
            "this vault was created without a platform key".into(),
        )),
        _ => Ok(()),
    }
}
