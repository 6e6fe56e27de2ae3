//! What the vault folder holds after an erase or a duress unlock, compared
//! with a new vault's (synthetic data only).

use super::tests::{intake, new_app, test_config, PIN};
use super::*;
use crate::vault::wipe_tests::{folder_holds, names_in};
use crate::vault::{read_key_file, StoredKeyFile, KEY_FILE};
use std::collections::BTreeSet;

const DURESS_PIN: &str = "860274";

/// The synthetic road network the shelter tests use.
fn road_file() -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../tests/fixtures/shelters/lai_chau_roads.geojson"),
    )
    .unwrap()
}

/// A vault with a case, a road network and a cut road download; the ids
/// its store keeps in the clear (the case's and the device's).
fn vault_in_use(duress: bool) -> (tempfile::TempDir, Vault, Vec<Vec<u8>>) {
    let (dir, app) = new_app();
    if duress {
        app.set_duress_pin(PIN, DURESS_PIN).unwrap();
    }
    let case = app.create_case(intake("LC-E1")).unwrap();
    let device = app.device_id().unwrap();
    app.import_road_network(&road_file()).unwrap();
    let staging = dir.path().join(ROAD_STAGING_DIR);
    std::fs::create_dir_all(&staging).unwrap();
    std::fs::write(staging.join("syn-chunk"), b"synthetic chunk").unwrap();
    let clear = vec![case.as_bytes().to_vec(), device.as_bytes().to_vec()];
    (dir, app, clear)
}

fn salt(dir: &Path) -> Vec<u8> {
    match read_key_file(dir).unwrap() {
        StoredKeyFile::Active(keys) => keys.salt,
        StoredKeyFile::Erased => panic!("erased"),
    }
}

/// A schema entry: type, name and SQL.
type SchemaEntry = (String, String, Option<String>);

/// The SQLite header fields that say how the file was made (not its size
/// or change counters), and its schema.
fn database_kind(dir: &Path) -> (Vec<u8>, Vec<SchemaEntry>) {
    let bytes = std::fs::read(dir.join(DATABASE_FILE)).unwrap();
    let header = [&bytes[..24], &bytes[32..40], &bytes[44..72]].concat();
    let conn = rusqlite::Connection::open(dir.join(DATABASE_FILE)).unwrap();
    let schema = conn
        .prepare("SELECT type, name, sql FROM sqlite_master ORDER BY name")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    (header, schema)
}

#[test]
fn an_erased_vault_leaves_only_its_erased_key_file() {
    for way in ["wrong PINs", "panic wipe"] {
        let (dir, app, clear) = vault_in_use(false);
        if way == "panic wipe" {
            app.panic_wipe().unwrap();
        } else {
            app.lock();
            for _ in 0..4 {
                assert!(matches!(app.unlock("000999"), Err(Error::WrongPin { .. })));
            }
            assert!(matches!(app.unlock("000999"), Err(Error::Erased)));
        }
        drop(app);
        for id in &clear {
            assert!(
                !folder_holds(dir.path(), id),
                "{way}: an id kept in the clear remains"
            );
        }
        assert_eq!(
            names_in(dir.path()),
            BTreeSet::from([KEY_FILE.to_string()]),
            "{way}"
        );
    }
}

#[test]
fn a_duress_vault_has_the_files_of_a_new_vault() {
    let (dir, app, clear) = vault_in_use(true);
    let old_salt = salt(dir.path());
    app.lock();
    app.unlock(DURESS_PIN).unwrap();
    let other = tempfile::tempdir().unwrap();
    let fresh = Vault::create(other.path(), DURESS_PIN, test_config()).unwrap();

    // Open, as the person uses them, and closed, as a copy of the phone finds them.
    assert_eq!(names_in(dir.path()), names_in(other.path()), "open");
    assert_eq!(app.keys.kdf_params(), fresh.keys.kdf_params());
    drop((app, fresh));
    assert_eq!(names_in(dir.path()), names_in(other.path()), "closed");

    assert_ne!(salt(dir.path()), old_salt, "the key file's salt is new");
    let (key_file, fresh_key_file) = (
        std::fs::read(dir.path().join(KEY_FILE)).unwrap(),
        std::fs::read(other.path().join(KEY_FILE)).unwrap(),
    );
    assert_eq!(
        key_file[..5],
        fresh_key_file[..5],
        "magic and format version"
    );
    assert_eq!(key_file.len(), fresh_key_file.len());
    assert_eq!(database_kind(dir.path()), database_kind(other.path()));
    for id in &clear {
        assert!(
            !folder_holds(dir.path(), id),
            "an id kept in the clear remains"
        );
    }
}
