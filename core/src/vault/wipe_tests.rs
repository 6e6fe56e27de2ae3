//! What an erase and a duress unlock leave in the vault folder, and the
//! clock the attempt delays count on (synthetic PINs and markers only).

use std::collections::BTreeSet;
use std::path::Path;

use super::keyfile::{self, KeyFile, PinLayer};
use super::tests::{active, no_delays, quick, ManualClock, DURESS_PIN, PIN, WRONG};
use super::*;
use crate::store::{Store, DATABASE_FILE};

/// A setting name, stored in the clear (the key column of the store's
/// `meta` table), as ids and clock readings are.
const MARKER: &str = "syn.marker.Zephyrmoss-Qx7vLw";

/// Whether any file under `dir`, in sub-folders too, holds `needle`.
pub(crate) fn folder_holds(dir: &Path, needle: &[u8]) -> bool {
    std::fs::read_dir(dir).unwrap().any(|entry| {
        let path = entry.unwrap().path();
        if path.is_dir() {
            return folder_holds(&path, needle);
        }
        let bytes = std::fs::read(&path).unwrap();
        bytes.windows(needle.len()).any(|w| w == needle)
    })
}

/// The names in `dir`, a trailing `/` marking a folder.
pub(crate) fn names_in(dir: &Path) -> BTreeSet<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| {
            let entry = entry.unwrap();
            let name = entry.file_name().to_string_lossy().into_owned();
            if entry.path().is_dir() {
                format!("{name}/")
            } else {
                name
            }
        })
        .collect()
}

/// A vault in `dir` whose store holds [`MARKER`] in a clear column; the
/// store is returned open, as an unlocked app holds it.
fn vault_with_store(dir: &Path, policy: VaultPolicy) -> (KeyVault, Store) {
    let (vault, key) = KeyVault::create(dir, PIN, policy, quick(), None).unwrap();
    let store = Store::open(&dir.join(DATABASE_FILE), key).unwrap();
    store.set_meta(MARKER, &7u32).unwrap();
    assert!(folder_holds(dir, MARKER.as_bytes()));
    (vault, store)
}

fn erase_by(way: &str, vault: &KeyVault, dir: &Path) -> Result<()> {
    match way {
        "wrong PINs" => {
            for _ in 0..2 {
                assert!(matches!(vault.unlock(WRONG), Err(Error::WrongPin { .. })));
            }
            match vault.unlock(WRONG) {
                Err(Error::Erased) => Ok(()),
                Err(e) => Err(e),
                Ok(_) => panic!("a wrong PIN unlocked"),
            }
        }
        "erase" => vault.erase(),
        "erase_at" => KeyVault::erase_at(dir, None),
        _ => unreachable!(),
    }
}

const ERASES: [&str; 3] = ["wrong PINs", "erase", "erase_at"];

#[test]
fn every_erase_removes_the_store_with_its_clear_columns() {
    for way in ERASES {
        for keep_store_open in [true, false] {
            let dir = tempfile::tempdir().unwrap();
            let (vault, store) = vault_with_store(dir.path(), no_delays(3));
            if !keep_store_open {
                drop(store);
                erase_by(way, &vault, dir.path()).unwrap();
            } else {
                erase_by(way, &vault, dir.path()).unwrap();
                drop(store);
            }
            assert!(vault.is_erased(), "{way}");
            assert!(
                !folder_holds(dir.path(), MARKER.as_bytes()),
                "{way} (store open: {keep_store_open}): the old store's clear columns remain"
            );
            assert_eq!(
                names_in(dir.path()),
                BTreeSet::from([KEY_FILE.to_string()]),
                "{way} (store open: {keep_store_open})"
            );
        }
    }
}

#[test]
fn an_erase_that_cannot_remove_a_store_file_says_so() {
    for way in ERASES {
        let dir = tempfile::tempdir().unwrap();
        let (vault, _) = KeyVault::create(dir.path(), PIN, no_delays(3), quick(), None).unwrap();
        // A folder where the WAL would be can be neither overwritten nor
        // removed as a file.
        let wal = dir.path().join(format!("{DATABASE_FILE}-wal"));
        std::fs::create_dir(&wal).unwrap();
        std::fs::write(wal.join("syn"), b"synthetic").unwrap();
        let result = erase_by(way, &vault, dir.path());
        assert!(matches!(result, Err(Error::Io(_))), "{way}: {result:?}");
        assert!(vault.is_erased(), "{way}: the keys go whatever else fails");
    }
}

#[test]
fn a_duress_unlock_leaves_what_a_new_vault_has() {
    let dir = tempfile::tempdir().unwrap();
    let (vault, store) = vault_with_store(dir.path(), no_delays(10));
    vault.set_duress_pin(PIN, DURESS_PIN).unwrap();
    let before = active(dir.path());
    assert!(matches!(vault.unlock(DURESS_PIN), Ok(Unlocked::Duress(_))));
    drop(store);

    let other = tempfile::tempdir().unwrap();
    KeyVault::create(other.path(), DURESS_PIN, no_delays(10), quick(), None).unwrap();
    let (after, fresh) = (active(dir.path()), active(other.path()));
    assert_ne!(after.salt, before.salt, "the salt is drawn afresh");
    assert_eq!(after.salt.len(), fresh.salt.len());
    assert_eq!(
        after.kdf_params(),
        fresh.kdf_params(),
        "unlocking costs the same"
    );
    assert_eq!(after.policy(), fresh.policy());
    assert_eq!(
        (after.platform_wrapped, after.failed, after.last_failure),
        (fresh.platform_wrapped, fresh.failed, fresh.last_failure)
    );
    let (after_layer, fresh_layer) = (
        PinLayer::decode(&after.keys).unwrap(),
        PinLayer::decode(&fresh.keys).unwrap(),
    );
    assert_eq!(after_layer.sealed_key.len(), fresh_layer.sealed_key.len());
    assert_eq!(after_layer.duress.len(), fresh_layer.duress.len());
    let (after_file, fresh_file) = (
        std::fs::read(keyfile::path(dir.path())).unwrap(),
        std::fs::read(keyfile::path(other.path())).unwrap(),
    );
    assert_eq!(after_file[..5], fresh_file[..5], "magic and format version");
    assert_eq!(after_file.len(), fresh_file.len());

    // The old store is gone, clear columns and all: the app makes a new one.
    assert!(!folder_holds(dir.path(), MARKER.as_bytes()));
    assert_eq!(names_in(dir.path()), names_in(other.path()));
    // The duress PIN is now the vault's PIN.
    assert!(matches!(vault.unlock(DURESS_PIN), Ok(Unlocked::Pin(_))));
}

#[test]
fn a_duress_pin_set_with_a_platform_key_still_gives_a_new_salt() {
    let dir = tempfile::tempdir().unwrap();
    let platform: Arc<dyn PlatformKey> = Arc::new(super::tests::TestPlatform::default());
    let (vault, _) =
        KeyVault::create(dir.path(), PIN, no_delays(10), quick(), Some(platform)).unwrap();
    vault.set_duress_pin(PIN, DURESS_PIN).unwrap();
    let before = active(dir.path()).salt;
    assert!(matches!(vault.unlock(DURESS_PIN), Ok(Unlocked::Duress(_))));
    assert_ne!(active(dir.path()).salt, before);
    assert!(matches!(vault.unlock(DURESS_PIN), Ok(Unlocked::Pin(_))));
    assert!(matches!(vault.unlock(PIN), Err(Error::WrongPin { .. })));
}

/// The clock the delays count on is the time since the phone started,
/// which setting the date or time cannot move, forwards or back.
#[cfg(any(target_os = "linux", target_os = "android"))]
#[test]
fn the_delay_clock_is_the_time_since_boot_not_the_date() {
    let uptime: f64 = std::fs::read_to_string("/proc/uptime")
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let clock = SystemClock.now_secs() as f64;
    assert!(
        (clock - uptime).abs() < 5.0,
        "the delay clock reads {clock} s, the time since boot is {uptime} s"
    );
}

#[test]
fn a_restarted_phone_restarts_the_wait_and_never_skips_it() {
    let dir = tempfile::tempdir().unwrap();
    let (vault, _) =
        KeyVault::create(dir.path(), PIN, VaultPolicy::default(), quick(), None).unwrap();
    let vault = vault.with_clock(ManualClock::at(50_000));
    for _ in 0..3 {
        assert!(matches!(vault.unlock(WRONG), Err(Error::WrongPin { .. })));
    }
    let too_soon = |vault: &KeyVault, secs| matches!(vault.unlock(PIN), Err(Error::TooSoon { retry_after_secs }) if retry_after_secs == secs);
    assert!(too_soon(&vault, 30));
    // The phone restarts: its clock starts again near zero, and the app in
    // a new process reads the wait from the key file.
    let clock = ManualClock::at(12);
    let vault = KeyVault::open(dir.path(), None)
        .unwrap()
        .with_clock(clock.clone());
    assert!(too_soon(&vault, 30), "the wait starts again, whole");
    clock.advance(29);
    assert!(too_soon(&vault, 1));
    clock.advance(1);
    assert!(matches!(vault.unlock(PIN), Ok(Unlocked::Pin(_))));
}

#[test]
fn a_duress_pin_set_by_an_earlier_version_still_gives_a_new_vault() {
    let dir = tempfile::tempdir().unwrap();
    let (vault, _) = KeyVault::create(dir.path(), PIN, no_delays(10), quick(), None).unwrap();
    // What earlier versions sealed as the verifier: 32 random bytes.
    let mut keys = active(dir.path());
    let mut layer = PinLayer::decode(&keys.keys).unwrap();
    let duress_kek = kdf::derive_kek(&pin::normalize(DURESS_PIN), &keys.salt, &quick()).unwrap();
    layer.duress = crypto::seal(&duress_kek, DURESS, &random_array::<32>());
    keys.keys = layer.encode().unwrap();
    let old_salt = keys.salt.clone();
    keyfile::write(dir.path(), &KeyFile::Active(keys)).unwrap();

    assert!(matches!(vault.unlock(DURESS_PIN), Ok(Unlocked::Duress(_))));
    assert_ne!(active(dir.path()).salt, old_salt);
    assert!(matches!(vault.unlock(DURESS_PIN), Ok(Unlocked::Pin(_))));
    assert!(matches!(vault.unlock(PIN), Err(Error::WrongPin { .. })));
}
