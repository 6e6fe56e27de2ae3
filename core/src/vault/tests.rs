//! Behaviour of the vault as a whole (synthetic PINs only).

use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use super::keyfile::{self, KeyFile, PinLayer};
use super::*;

pub(super) const PIN: &str = "274916";
const NEW_PIN: &str = "583920";
pub(super) const DURESS_PIN: &str = "360482";
pub(super) const WRONG: &str = "918273";

pub(super) fn quick() -> KdfParams {
    KdfParams::new(47_104, 1, 1).unwrap()
}

/// No delays, so counting tests need no clock.
pub(super) fn no_delays(max_attempts: u32) -> VaultPolicy {
    VaultPolicy {
        max_attempts,
        free_attempts: max_attempts,
        ..VaultPolicy::default()
    }
}

pub(super) struct ManualClock(AtomicU64);

impl ManualClock {
    pub(super) fn at(secs: u64) -> Arc<Self> {
        Arc::new(Self(AtomicU64::new(secs)))
    }
    fn set(&self, secs: u64) {
        self.0.store(secs, Ordering::SeqCst);
    }
    pub(super) fn advance(&self, secs: u64) {
        self.0.fetch_add(secs, Ordering::SeqCst);
    }
}

impl Clock for ManualClock {
    fn now_secs(&self) -> u64 {
        self.0.load(Ordering::SeqCst)
    }
}

/// A stand-in for the Keystore: AEAD-wraps with its own key, created on demand.
#[derive(Default)]
pub(super) struct TestPlatform {
    key: Mutex<Option<SecretKey>>,
    erases: AtomicU32,
    fail_erase: AtomicBool,
}

const PLATFORM_WRAP: Binding<'static> = Binding {
    table: "platform",
    row: b"test",
    field: "wrap",
};

impl PlatformKey for TestPlatform {
    fn wrap(&self, plaintext: Vec<u8>) -> Result<Vec<u8>, String> {
        let mut key = self.key.lock().unwrap();
        let key = key.get_or_insert_with(SecretKey::random);
        Ok(crypto::seal(key, PLATFORM_WRAP, &plaintext))
    }
    fn unwrap(&self, wrapped: Vec<u8>) -> Result<Vec<u8>, String> {
        let key = self.key.lock().unwrap();
        let key = key.as_ref().ok_or("no platform key")?;
        crypto::open(key, PLATFORM_WRAP, &wrapped)
            .map(|p| p.to_vec())
            .map_err(|_| "unwrap failed".to_string())
    }
    fn erase(&self) -> Result<(), String> {
        self.erases.fetch_add(1, Ordering::SeqCst);
        if self.fail_erase.load(Ordering::SeqCst) {
            return Err("keystore unavailable".into());
        }
        *self.key.lock().unwrap() = None;
        Ok(())
    }
}

/// A vault at `dir` whose key file `platform` wraps a second time (the
/// platform-key tests all start from one).
fn create_with_platform(dir: &Path, platform: &Arc<TestPlatform>) -> (KeyVault, SecretKey) {
    KeyVault::create(dir, PIN, no_delays(10), quick(), Some(platform.clone())).unwrap()
}

pub(super) fn active(dir: &Path) -> ActiveKeys {
    match keyfile::read(dir).unwrap() {
        KeyFile::Active(keys) => keys,
        KeyFile::Erased => panic!("vault is erased"),
    }
}

/// Whether any file in `dir` contains `needle`.
fn dir_contains(dir: &Path, needle: &[u8]) -> bool {
    std::fs::read_dir(dir).unwrap().any(|entry| {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        bytes.windows(needle.len()).any(|w| w == needle)
    })
}

fn key_of(unlocked: Unlocked) -> [u8; 32] {
    match unlocked {
        Unlocked::Pin(key) => *key.as_bytes(),
        Unlocked::Duress(_) => panic!("expected the real PIN"),
    }
}

#[test]
fn key_vault_is_send_and_sync() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<KeyVault>();
}

#[test]
fn create_then_unlock_returns_the_data_key() {
    let dir = tempfile::tempdir().unwrap();
    assert!(!KeyVault::exists(dir.path()));
    assert!(matches!(
        KeyVault::open(dir.path(), None),
        Err(Error::NoVault)
    ));

    let (vault, key) =
        KeyVault::create(dir.path(), PIN, VaultPolicy::default(), quick(), None).unwrap();
    assert!(KeyVault::exists(dir.path()));
    assert_eq!(vault.kdf_params(), quick());
    assert_eq!(key_of(vault.unlock(PIN).unwrap()), *key.as_bytes());
    assert_eq!(vault.attempts_remaining().unwrap(), 10);

    let reopened = KeyVault::open(dir.path(), None).unwrap();
    assert_eq!(reopened.kdf_params(), quick());
    assert!(!reopened.is_erased());
    assert_eq!(key_of(reopened.unlock(PIN).unwrap()), *key.as_bytes());

    assert!(matches!(
        KeyVault::create(dir.path(), NEW_PIN, VaultPolicy::default(), quick(), None),
        Err(Error::AlreadyExists)
    ));
    // Nothing about the PIN or the key is on disk in the clear.
    assert!(!dir_contains(dir.path(), key.as_bytes()));
    assert!(!dir_contains(dir.path(), PIN.as_bytes()));
}

#[test]
fn create_refuses_weak_pins_and_weak_kdf() {
    let dir = tempfile::tempdir().unwrap();
    for (pin, reason) in [
        ("12345", PinWeakness::TooShort { min: 6 }),
        ("111111", PinWeakness::AllSame),
        ("890123", PinWeakness::Sequence),
        ("112112", PinWeakness::Repeated),
        ("147258", PinWeakness::Common),
    ] {
        match KeyVault::create(dir.path(), pin, VaultPolicy::default(), quick(), None) {
            Err(Error::WeakPin(r)) => assert_eq!(r, reason, "{pin}"),
            other => panic!("{pin}: expected WeakPin, got {:?}", other.map(|_| ())),
        }
    }
    let weak = KdfParams {
        memory_kib: 47_103,
        iterations: 1,
        parallelism: 1,
    };
    match KeyVault::create(dir.path(), PIN, VaultPolicy::default(), weak, None) {
        Err(Error::Invalid { field, .. }) => assert_eq!(field, "kdf.memory_kib"),
        other => panic!("expected Invalid, got {:?}", other.map(|_| ())),
    }
    assert!(!KeyVault::exists(dir.path()));
}

#[test]
fn wrong_pins_count_down_and_success_resets() {
    let dir = tempfile::tempdir().unwrap();
    let (vault, key) = KeyVault::create(dir.path(), PIN, no_delays(10), quick(), None).unwrap();
    for remaining in [9, 8, 7] {
        match vault.unlock(WRONG) {
            Err(Error::WrongPin { remaining: r }) => assert_eq!(r, remaining),
            other => panic!("expected WrongPin, got {other:?}"),
        }
        assert_eq!(vault.attempts_remaining().unwrap(), remaining);
    }
    // A second handle sees the same count: the file is the state.
    assert_eq!(
        KeyVault::open(dir.path(), None)
            .unwrap()
            .attempts_remaining()
            .unwrap(),
        7
    );
    assert_eq!(key_of(vault.unlock(PIN).unwrap()), *key.as_bytes());
    assert_eq!(vault.attempts_remaining().unwrap(), 10);
}

#[test]
fn delays_grow_and_a_refused_call_uses_no_attempt() {
    let dir = tempfile::tempdir().unwrap();
    let clock = ManualClock::at(1_000_000);
    let (vault, _) =
        KeyVault::create(dir.path(), PIN, VaultPolicy::default(), quick(), None).unwrap();
    let vault = vault.with_clock(clock.clone());

    for remaining in [9, 8, 7] {
        assert!(
            matches!(vault.unlock(WRONG), Err(Error::WrongPin { remaining: r }) if r == remaining)
        );
    }
    // Three free failures used: the next attempt waits 30 s, even with the right PIN.
    for pin in [WRONG, PIN, WRONG] {
        assert!(matches!(
            vault.unlock(pin),
            Err(Error::TooSoon {
                retry_after_secs: 30
            })
        ));
    }
    assert_eq!(vault.attempts_remaining().unwrap(), 7);
    clock.advance(29);
    assert!(matches!(
        vault.unlock(WRONG),
        Err(Error::TooSoon {
            retry_after_secs: 1
        })
    ));
    assert_eq!(vault.attempts_remaining().unwrap(), 7);
    clock.advance(1);
    assert!(matches!(
        vault.unlock(WRONG),
        Err(Error::WrongPin { remaining: 6 })
    ));
    // The delay doubles.
    assert!(matches!(
        vault.unlock(WRONG),
        Err(Error::TooSoon {
            retry_after_secs: 60
        })
    ));
    // A clock set back does not lock the person out for longer than the delay.
    clock.set(500_000);
    assert!(matches!(
        vault.unlock(WRONG),
        Err(Error::TooSoon {
            retry_after_secs: 60
        })
    ));
    clock.advance(60);
    assert!(matches!(vault.unlock(PIN), Ok(Unlocked::Pin(_))));
    // Success resets the count and the delays.
    for remaining in [9, 8, 7] {
        assert!(
            matches!(vault.unlock(WRONG), Err(Error::WrongPin { remaining: r }) if r == remaining)
        );
    }
}

#[test]
fn max_failures_erase_the_key_for_good() {
    let dir = tempfile::tempdir().unwrap();
    let (vault, key) = KeyVault::create(dir.path(), PIN, no_delays(3), quick(), None).unwrap();
    let stored = active(dir.path()).keys;
    let sealed = PinLayer::decode(&stored).unwrap().sealed_key;
    assert!(dir_contains(dir.path(), &sealed));

    assert!(matches!(
        vault.unlock(WRONG),
        Err(Error::WrongPin { remaining: 2 })
    ));
    assert!(matches!(
        vault.unlock(WRONG),
        Err(Error::WrongPin { remaining: 1 })
    ));
    assert!(matches!(vault.unlock(WRONG), Err(Error::Erased)));

    assert!(vault.is_erased());
    assert!(matches!(vault.unlock(PIN), Err(Error::Erased)));
    assert!(matches!(vault.attempts_remaining(), Err(Error::Erased)));
    assert!(matches!(vault.change_pin(PIN, NEW_PIN), Err(Error::Erased)));
    assert!(!dir_contains(dir.path(), &sealed));
    assert!(!dir_contains(dir.path(), &stored));
    assert!(!dir_contains(dir.path(), key.as_bytes()));

    let reopened = KeyVault::open(dir.path(), None).unwrap();
    assert!(reopened.is_erased());
    assert!(matches!(reopened.unlock(PIN), Err(Error::Erased)));
}

#[test]
fn an_interrupted_last_attempt_still_erases() {
    let dir = tempfile::tempdir().unwrap();
    let (vault, _) = KeyVault::create(dir.path(), PIN, no_delays(3), quick(), None).unwrap();
    // What the file holds if the app is killed during the third attempt's derivation.
    let mut keys = active(dir.path());
    keys.failed = 3;
    keyfile::write(dir.path(), &KeyFile::Active(keys)).unwrap();
    assert!(matches!(vault.unlock(PIN), Err(Error::Erased)));
    assert!(vault.is_erased());
}

#[test]
fn the_attempt_is_on_disk_before_the_derivation_ends() {
    let dir = tempfile::tempdir().unwrap();
    // Slow enough that the derivation outlasts several polls.
    let slow = KdfParams::new(47_104, 6, 1).unwrap();
    let (vault, _) = KeyVault::create(dir.path(), PIN, no_delays(10), slow, None).unwrap();
    let vault = Arc::new(vault);
    let worker = {
        let vault = vault.clone();
        std::thread::spawn(move || vault.unlock(PIN).map(|_| ()))
    };
    let mut seen_counted = false;
    while !worker.is_finished() {
        if let Ok(KeyFile::Active(keys)) = keyfile::read(dir.path()) {
            seen_counted |= keys.failed == 1;
        }
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
    worker.join().unwrap().unwrap();
    assert!(
        seen_counted,
        "the attempt was not recorded during the derivation"
    );
    assert_eq!(active(dir.path()).failed, 0);
}

#[test]
fn change_pin_rewraps_the_same_key() {
    let dir = tempfile::tempdir().unwrap();
    let (vault, key) = KeyVault::create(dir.path(), PIN, no_delays(10), quick(), None).unwrap();

    // A weak new PIN is refused before any attempt is used.
    assert!(matches!(
        vault.change_pin(WRONG, "123456"),
        Err(Error::WeakPin(PinWeakness::Sequence))
    ));
    assert_eq!(vault.attempts_remaining().unwrap(), 10);
    // A wrong old PIN is a failed attempt.
    assert!(matches!(
        vault.change_pin(WRONG, NEW_PIN),
        Err(Error::WrongPin { remaining: 9 })
    ));

    let before = active(dir.path()).keys;
    vault.change_pin(PIN, NEW_PIN).unwrap();
    assert!(!dir_contains(dir.path(), &before));
    assert!(matches!(
        vault.unlock(PIN),
        Err(Error::WrongPin { remaining: 9 })
    ));
    assert_eq!(key_of(vault.unlock(NEW_PIN).unwrap()), *key.as_bytes());
}

#[test]
fn duress_pin_rules() {
    let dir = tempfile::tempdir().unwrap();
    let (vault, _) = KeyVault::create(dir.path(), PIN, no_delays(10), quick(), None).unwrap();
    assert!(matches!(
        vault.set_duress_pin(PIN, PIN),
        Err(Error::WeakPin(PinWeakness::SameAsPin))
    ));
    assert!(matches!(
        vault.set_duress_pin(PIN, "000000"),
        Err(Error::WeakPin(PinWeakness::AllSame))
    ));
    assert_eq!(vault.attempts_remaining().unwrap(), 10);
    assert!(matches!(
        vault.set_duress_pin(WRONG, DURESS_PIN),
        Err(Error::WrongPin { remaining: 9 })
    ));

    assert!(matches!(vault.unlock(PIN), Ok(Unlocked::Pin(_))));
    let size_without = std::fs::metadata(keyfile::path(dir.path())).unwrap().len();
    vault.set_duress_pin(PIN, DURESS_PIN).unwrap();
    let size_with = std::fs::metadata(keyfile::path(dir.path())).unwrap().len();
    assert_eq!(
        size_without, size_with,
        "the file must not show a duress PIN exists"
    );

    // The new PIN may not be the duress PIN, or duress could never trigger.
    assert!(matches!(
        vault.change_pin(PIN, DURESS_PIN),
        Err(Error::WeakPin(PinWeakness::SameAsPin))
    ));
    // Entered where the real PIN is asked for, the duress PIN is just wrong.
    assert!(matches!(
        vault.change_pin(DURESS_PIN, NEW_PIN),
        Err(Error::WrongPin { .. })
    ));
    assert!(matches!(vault.unlock(PIN), Ok(Unlocked::Pin(_))));
}

#[test]
fn duress_pin_opens_an_empty_vault_and_destroys_the_real_key() {
    let dir = tempfile::tempdir().unwrap();
    let (vault, real) = KeyVault::create(dir.path(), PIN, no_delays(10), quick(), None).unwrap();
    vault.set_duress_pin(PIN, DURESS_PIN).unwrap();
    let stored = active(dir.path()).keys;
    let layer = PinLayer::decode(&stored).unwrap();

    let fresh = match vault.unlock(DURESS_PIN).unwrap() {
        Unlocked::Duress(key) => key,
        Unlocked::Pin(_) => panic!("duress PIN opened the real vault"),
    };
    assert_ne!(fresh.as_bytes(), real.as_bytes());

    // No trace of the old wrap or verifier, nor of the real key, anywhere in the directory.
    for needle in [
        &stored,
        &layer.sealed_key,
        &layer.duress,
        &real.as_bytes().to_vec(),
    ] {
        assert!(!dir_contains(dir.path(), needle));
    }
    // The real PIN is now just a wrong PIN; the duress PIN is the vault's PIN.
    assert!(matches!(
        vault.unlock(PIN),
        Err(Error::WrongPin { remaining: 9 })
    ));
    assert_eq!(key_of(vault.unlock(DURESS_PIN).unwrap()), *fresh.as_bytes());
    assert_eq!(vault.attempts_remaining().unwrap(), 10);

    // It looks like a freshly created vault: same shape and size, no duress.
    let after = active(dir.path());
    let other = tempfile::tempdir().unwrap();
    KeyVault::create(other.path(), DURESS_PIN, no_delays(10), quick(), None).unwrap();
    let created = active(other.path());
    assert_eq!(after.failed, created.failed);
    assert_eq!(after.last_failure, created.last_failure);
    assert_eq!(after.keys.len(), created.keys.len());
    assert_eq!(
        std::fs::metadata(keyfile::path(dir.path())).unwrap().len(),
        std::fs::metadata(keyfile::path(other.path()))
            .unwrap()
            .len()
    );
    assert_eq!(format!("{:?}", Unlocked::Duress(fresh)), "Unlocked(…)");
}

#[test]
fn nfc_and_nfd_spellings_unlock_the_same_vault() {
    let nfc = "Bình An núi cao";
    let nfd = "Bi\u{0300}nh An nu\u{0301}i cao";
    assert_ne!(nfc.as_bytes(), nfd.as_bytes());
    for (create_with, unlock_with) in [(nfc, nfd), (nfd, nfc)] {
        let dir = tempfile::tempdir().unwrap();
        let (vault, key) =
            KeyVault::create(dir.path(), create_with, no_delays(10), quick(), None).unwrap();
        assert_eq!(key_of(vault.unlock(unlock_with).unwrap()), *key.as_bytes());
    }
}

#[test]
fn platform_key_is_a_second_layer() {
    let dir = tempfile::tempdir().unwrap();
    let platform = Arc::new(TestPlatform::default());
    let (vault, key) = create_with_platform(dir.path(), &platform);
    assert_eq!(key_of(vault.unlock(PIN).unwrap()), *key.as_bytes());
    // The stored blob is not the PIN layer itself.
    assert!(PinLayer::decode(&active(dir.path()).keys).is_err());

    // The key file without the platform key (e.g. copied off the phone) does not open.
    assert!(matches!(
        KeyVault::open(dir.path(), None),
        Err(Error::PlatformKey(_))
    ));
    let elsewhere: Arc<dyn PlatformKey> = Arc::new(TestPlatform::default());
    let foreign = KeyVault::open(dir.path(), Some(elsewhere)).unwrap();
    assert!(matches!(foreign.unlock(PIN), Err(Error::PlatformKey(_))));
    assert_eq!(foreign.attempts_remaining().unwrap(), 10, "not an attempt");

    // A vault made without a platform key refuses one (no silent downgrade or upgrade).
    let plain = tempfile::tempdir().unwrap();
    KeyVault::create(plain.path(), PIN, no_delays(10), quick(), None).unwrap();
    assert!(matches!(
        KeyVault::open(plain.path(), Some(platform.clone())),
        Err(Error::PlatformKey(_))
    ));

    vault.erase().unwrap();
    assert_eq!(platform.erases.load(Ordering::SeqCst), 1);
    assert!(platform.key.lock().unwrap().is_none());
    assert!(vault.is_erased());
    assert!(matches!(vault.unlock(PIN), Err(Error::Erased)));
}

#[test]
fn duress_rotates_the_platform_key() {
    let dir = tempfile::tempdir().unwrap();
    let platform = Arc::new(TestPlatform::default());
    let (vault, _) = create_with_platform(dir.path(), &platform);
    vault.set_duress_pin(PIN, DURESS_PIN).unwrap();
    let old_stored = active(dir.path()).keys;
    assert!(matches!(vault.unlock(DURESS_PIN), Ok(Unlocked::Duress(_))));
    assert_eq!(platform.erases.load(Ordering::SeqCst), 1);
    // The old blob can no longer be unwrapped, wherever a copy survives.
    assert!(platform.unwrap(old_stored).is_err());
    assert!(matches!(vault.unlock(DURESS_PIN), Ok(Unlocked::Pin(_))));
    assert!(matches!(vault.unlock(PIN), Err(Error::WrongPin { .. })));
}

#[test]
fn platform_erase_errors_come_after_the_local_erase() {
    let dir = tempfile::tempdir().unwrap();
    let platform = Arc::new(TestPlatform::default());
    platform.fail_erase.store(true, Ordering::SeqCst);
    let (vault, _) = create_with_platform(dir.path(), &platform);
    let stored = active(dir.path()).keys;
    assert!(matches!(vault.erase(), Err(Error::PlatformKey(_))));
    assert_eq!(platform.erases.load(Ordering::SeqCst), 1);
    assert!(vault.is_erased());
    assert!(!dir_contains(dir.path(), &stored));
    assert!(matches!(vault.unlock(PIN), Err(Error::Erased)));
}

#[test]
fn malformed_key_files_are_refused_without_panicking() {
    let dir = tempfile::tempdir().unwrap();
    let (vault, _) = KeyVault::create(dir.path(), PIN, no_delays(10), quick(), None).unwrap();
    let path = keyfile::path(dir.path());
    let good = std::fs::read(&path).unwrap();

    let is_key_file_tampered =
        |r: &Result<KeyVault>| matches!(r, Err(Error::Tampered { record }) if record == "key file");
    for len in [0, 1, 4, 5, 6, good.len() / 2, good.len() - 1] {
        std::fs::write(&path, &good[..len]).unwrap();
        assert!(
            is_key_file_tampered(&KeyVault::open(dir.path(), None)),
            "{len} bytes"
        );
        assert!(matches!(vault.unlock(PIN), Err(Error::Tampered { .. })));
        assert!(matches!(
            vault.attempts_remaining(),
            Err(Error::Tampered { .. })
        ));
    }
    std::fs::write(&path, b"not a key file at all, just some text").unwrap();
    assert!(is_key_file_tampered(&KeyVault::open(dir.path(), None)));

    // A flipped byte in the sealed data key fails the AEAD: unlock fails, nothing opens.
    std::fs::write(&path, &good).unwrap();
    let sealed = PinLayer::decode(&active(dir.path()).keys)
        .unwrap()
        .sealed_key;
    let at = good
        .windows(sealed.len())
        .position(|w| w == sealed)
        .unwrap()
        + sealed.len() / 2;
    let mut flipped = good.clone();
    flipped[at] ^= 0x40;
    std::fs::write(&path, &flipped).unwrap();
    let reopened = KeyVault::open(dir.path(), None).unwrap();
    assert!(matches!(reopened.unlock(PIN), Err(Error::WrongPin { .. })));

    // A panic wipe still works on a file that cannot be opened.
    std::fs::write(&path, &good[..good.len() / 2]).unwrap();
    KeyVault::erase_at(dir.path(), None).unwrap();
    assert!(KeyVault::open(dir.path(), None).unwrap().is_erased());
}
