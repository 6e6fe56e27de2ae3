//! This phone's commune's emergency numbers, kept in the clear beside the
//! vault ([`EMERGENCY_FILE`]) so the emergency screen can dial them before
//! unlocking. The directory they come from stays sealed (shelter locations
//! are sensitive); the file holds only the commune's code and its public
//! numbers (kind, name, number), nothing about any case or person.
//!
//! It is written whenever the directory is loaded and after each sync, from
//! the commune of the device's enrolment, and removed when there is nothing
//! to show, on a panic wipe, on erasure after too many wrong PINs and on a
//! duress unlock (a new install has none).

use super::Vault;
use crate::shelters::{CommuneContacts, EmergencyContact};
use crate::{Error, Result};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// The file beside the vault.
pub const EMERGENCY_FILE: &str = "emergency.json";

/// Version of the file's layout.
const FORMAT: u32 = 1;

/// The file: a version and one commune's contacts.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct EmergencyFile {
    format: u32,
    commune: String,
    contacts: Vec<EmergencyContact>,
}

/// Removes the file, and the temporary file of a cut write, from the vault
/// directory `dir` (nothing if there is none).
pub(super) fn remove_emergency_file(dir: &Path) -> Result<()> {
    let path = dir.join(EMERGENCY_FILE);
    for path in [temporary(&path), path] {
        match std::fs::remove_file(path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e.into()),
            _ => {}
        }
    }
    Ok(())
}

fn temporary(path: &Path) -> std::path::PathBuf {
    path.with_extension("json.tmp")
}

impl Vault {
    /// The commune's emergency contacts kept beside the vault in `dir`;
    /// needs no unlocking. `None` when there are none, or the file is not
    /// one this app wrote (it is then ignored, never trusted in part).
    pub fn emergency_contacts_at(dir: &Path) -> Option<CommuneContacts> {
        let bytes = match std::fs::read(dir.join(EMERGENCY_FILE)) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return None,
            Err(e) => {
                tracing::warn!(error = %e.kind(), "the emergency numbers could not be read");
                return None;
            }
        };
        let contacts = serde_json::from_slice::<EmergencyFile>(&bytes)
            .ok()
            .filter(|file| file.format == FORMAT)
            .map(|file| CommuneContacts {
                commune: file.commune,
                contacts: file.contacts,
            })
            .filter(|c| c.validate().is_ok());
        if contacts.is_none() {
            tracing::warn!("the emergency numbers file is not valid; ignored");
        }
        contacts
    }

    /// Writes this commune's contacts from the directory held beside the
    /// vault, or removes the file when the device is not enrolled or the
    /// directory lists none for its commune. A failure is logged, never
    /// fails the load or the sync that called it (the next one tries again).
    pub(crate) fn refresh_emergency_file(&self) {
        if let Err(e) = self.write_emergency_file() {
            tracing::warn!(error = %e, "the emergency numbers could not be kept");
        }
    }

    fn write_emergency_file(&self) -> Result<()> {
        let commune = self.enrolment()?.map(|e| e.commune);
        let directory = self.shelter_directory()?;
        let contacts = commune
            .as_deref()
            .zip(directory.as_ref())
            .and_then(|(commune, directory)| directory.contacts_of(commune));
        let Some(contacts) = contacts else {
            return remove_emergency_file(self.vault_dir());
        };
        let file = EmergencyFile {
            format: FORMAT,
            commune: contacts.commune.clone(),
            contacts: contacts.contacts.clone(),
        };
        let json = serde_json::to_vec_pretty(&file).map_err(|e| Error::Encoding(e.to_string()))?;
        // Whole or not at all: a temporary file, then a rename.
        let path = self.vault_dir().join(EMERGENCY_FILE);
        let temporary = temporary(&path);
        std::fs::write(&temporary, json)?;
        std::fs::rename(&temporary, &path)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::tests::test_config;
    use crate::model::Role;
    use crate::shelters::{DirectoryUpdate, ProvincialSigner, Shelter, ShelterDirectory};
    use crate::sync::Enrolment;
    use chrono::{DateTime, Utc};

    const PIN: &str = "493817";
    const DURESS: &str = "860274";

    fn at(version: u64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_794_700_000 + version as i64, 0).unwrap()
    }

    fn province() -> ProvincialSigner {
        ProvincialSigner::from_seed([7; 32])
    }

    fn directory(version: u64, police: &str) -> ShelterDirectory {
        use crate::shelters::contacts::tests::contacts;
        use crate::shelters::model::tests::shelter;
        ShelterDirectory::new(version, at(version), vec![shelter("A")]).with_contacts(vec![
            contacts("pa_u", police),
            contacts("mu_ca", "0200000050"),
        ])
    }

    /// An unlocked vault that trusts the test province, enrolled in Pa Ủ
    /// when `enrolled`.
    fn phone(enrolled: bool) -> (tempfile::TempDir, Vault) {
        let dir = tempfile::tempdir().unwrap();
        let app = Vault::create(dir.path(), PIN, test_config()).unwrap();
        app.set_provincial_key(province().public_key()).unwrap();
        if enrolled {
            let enrolment = Enrolment {
                server_url: "https://sync.example.invalid".into(),
                role: Role::Collaborator,
                commune: "pa_u".into(),
            };
            // As `sync::enrol` keeps it.
            app.with_store(|s| s.set_meta("sync.enrolment", &enrolment))
                .unwrap();
        }
        (dir, app)
    }

    fn load(app: &Vault, update: DirectoryUpdate) {
        let signed = province().sign(&update).unwrap().encode();
        app.load_shelter_directory(&signed).unwrap();
    }

    fn police(dir: &Path) -> Option<String> {
        Vault::emergency_contacts_at(dir).map(|c| {
            assert_eq!(c.commune, "pa_u");
            c.contacts[0].phone.clone()
        })
    }

    #[test]
    fn the_phones_commune_numbers_are_kept_beside_the_vault() {
        let (dir, app) = phone(true);
        assert_eq!(police(dir.path()), None);
        load(&app, DirectoryUpdate::Full(directory(1, "0200000001")));
        assert_eq!(police(dir.path()).as_deref(), Some("0200000001"));
        // Only this commune's, only public numbers.
        let text = std::fs::read_to_string(dir.path().join(EMERGENCY_FILE)).unwrap();
        assert!(!text.contains("mu_ca") && !text.contains("0200000050"));
        // Readable while locked: nothing to unlock.
        app.lock();
        assert_eq!(police(dir.path()).as_deref(), Some("0200000001"));
        app.unlock(PIN).unwrap();
        // A delta changes them.
        let delta = directory(1, "0200000001")
            .delta_to(&directory(2, "0200000002"))
            .unwrap();
        load(&app, DirectoryUpdate::Delta(delta));
        assert_eq!(police(dir.path()).as_deref(), Some("0200000002"));
        // Withdrawn by the province: the file goes.
        let none = ShelterDirectory::new(3, at(3), directory(2, "0").shelters);
        load(&app, DirectoryUpdate::Full(none));
        assert!(!dir.path().join(EMERGENCY_FILE).exists());

        // A phone not enrolled keeps none.
        let (other, app) = phone(false);
        load(&app, DirectoryUpdate::Full(directory(1, "0200000001")));
        assert!(!other.path().join(EMERGENCY_FILE).exists());
    }

    #[test]
    fn a_file_not_written_by_the_app_is_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(EMERGENCY_FILE);
        for text in [
            "nonsense",
            r#"{"format": 9, "commune": "pa_u", "contacts": []}"#,
            r#"{"format": 1, "commune": "pa_u", "contacts": [{"kind": "commune_police", "name": "x", "phone": "call 113"}]}"#,
        ] {
            std::fs::write(&path, text).unwrap();
            assert_eq!(Vault::emergency_contacts_at(dir.path()), None, "{text}");
        }
    }

    #[test]
    fn every_erasure_removes_the_numbers() {
        let file = |dir: &tempfile::TempDir| dir.path().join(EMERGENCY_FILE).exists();
        let full = || DirectoryUpdate::Full(directory(1, "0200000001"));

        let (dir, app) = phone(true);
        load(&app, full());
        assert!(file(&dir));
        app.panic_wipe().unwrap();
        assert!(!file(&dir));

        let (dir, app) = phone(true);
        app.set_duress_pin(PIN, DURESS).unwrap();
        load(&app, full());
        app.lock();
        app.unlock(DURESS).unwrap();
        assert!(!file(&dir), "a duress unlock looks like a new install");

        let (dir, app) = phone(true);
        load(&app, full());
        app.lock();
        while !matches!(app.unlock("000999"), Err(Error::Erased)) {}
        assert!(!file(&dir), "too many wrong PINs");
    }

    #[test]
    fn a_directory_kept_before_contacts_loads_then_takes_a_delta() {
        let (dir, app) = phone(true);
        let old = directory(1, "0200000001");
        // What format 1 kept: version, publication time, shelters.
        let v1 = (old.version, old.published_at, old.shelters.clone());
        app.with_store(|s| s.set_meta("shelters.directory", &v1))
            .unwrap();
        let held = app.shelter_directory().unwrap().unwrap();
        assert_eq!((held.version, held.contacts.len()), (1, 0));
        assert_eq!(held.shelters, old.shelters);
        // The province's next version, as a delta from what the old phone
        // held (no contacts), brings them.
        let delta = held.delta_to(&directory(2, "0200000002")).unwrap();
        load(&app, DirectoryUpdate::Delta(delta));
        let held = app.shelter_directory().unwrap().unwrap();
        assert_eq!((held.version, held.contacts.len()), (2, 2));
        assert_eq!(police(dir.path()).as_deref(), Some("0200000002"));
        let old_record = app
            .with_store(|s| s.meta::<(u64, DateTime<Utc>, Vec<Shelter>)>("shelters.directory"))
            .unwrap();
        assert_eq!(old_record, None, "the old record is removed");
    }

    #[test]
    fn a_directory_kept_before_the_service_directory_loads_then_takes_a_delta() {
        let (_dir, app) = phone(true);
        let old = directory(1, "0200000001");
        // What the app kept before organisations: with contacts.
        let v2 = (
            old.version,
            old.published_at,
            old.shelters.clone(),
            old.contacts.clone(),
        );
        app.with_store(|s| s.set_meta("shelters.directory.2", &v2))
            .unwrap();
        let held = app.shelter_directory().unwrap().unwrap();
        assert_eq!(held, old, "read whole, with no organisations");
        let next = directory(2, "0200000002")
            .with_services(vec![crate::referrals::health_station_for_tests("pa_u")]);
        load(&app, DirectoryUpdate::Delta(held.delta_to(&next).unwrap()));
        let held = app.shelter_directory().unwrap().unwrap();
        assert_eq!(held.services.len(), 1);
        let old_record = app
            .with_store(|s| s.meta::<serde_json::Value>("shelters.directory.2"))
            .unwrap();
        assert_eq!(old_record, None, "the old record is removed");
    }
}
