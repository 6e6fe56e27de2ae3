//! Drafts: a form being filled in (the record-an-incident form), kept
//! sealed in the vault like every other record, so that it survives the
//! app being killed or locked and is resumed at the next unlock. Drafts
//! never sync; a panic wipe or a duress PIN erases them with the rest.

use super::Vault;
use crate::Result;
use serde::de::DeserializeOwned;
use serde::Serialize;

/// Drafts are metadata rows named `draft.<name>`.
fn meta_name(name: &str) -> String {
    format!("draft.{name}")
}

impl Vault {
    /// Keeps `draft` under `name`, replacing the one before.
    pub fn save_draft<T: Serialize>(&self, name: &str, draft: &T) -> Result<()> {
        self.with_store(|store| store.set_meta(&meta_name(name), draft))
    }

    /// The draft kept under `name`, if any; `Tampered` if it cannot be
    /// opened or read as a `T` (discard it then).
    pub fn draft<T: DeserializeOwned>(&self, name: &str) -> Result<Option<T>> {
        self.with_store(|store| store.meta(&meta_name(name)))
    }

    /// Forgets the draft kept under `name` (nothing if there is none).
    pub fn discard_draft(&self, name: &str) -> Result<()> {
        self.with_store(|store| store.remove_meta(&meta_name(name)))
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::test_config;
    use super::*;
    use crate::Error;
    use serde::Deserialize;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Form {
        step: u8,
        code: String,
    }

    #[test]
    fn a_draft_survives_lock_and_reopen_and_is_sealed() {
        let dir = tempfile::tempdir().unwrap();
        let vault = Vault::create(dir.path(), "493817", test_config()).unwrap();
        assert_eq!(vault.draft::<Form>("intake").unwrap(), None);
        let form = Form {
            step: 2,
            code: "SYNTHETIC-DRAFT-7".into(),
        };
        vault.save_draft("intake", &form).unwrap();
        vault.lock();
        assert!(matches!(vault.draft::<Form>("intake"), Err(Error::Locked)));
        drop(vault);

        // Nothing of the draft is readable in the files.
        for entry in std::fs::read_dir(dir.path()).unwrap() {
            let bytes = std::fs::read(entry.unwrap().path()).unwrap();
            assert!(!bytes
                .windows(b"SYNTHETIC-DRAFT-7".len())
                .any(|w| w == b"SYNTHETIC-DRAFT-7"));
        }

        let vault = Vault::open(dir.path(), test_config()).unwrap();
        vault.unlock("493817").unwrap();
        assert_eq!(vault.draft::<Form>("intake").unwrap(), Some(form));
        // Another shape of draft under the name cannot be read as this one.
        vault.save_draft("intake", &"not a form").unwrap();
        assert!(matches!(
            vault.draft::<Form>("intake"),
            Err(Error::Tampered { .. })
        ));
        vault.discard_draft("intake").unwrap();
        vault.discard_draft("intake").unwrap();
        assert_eq!(vault.draft::<Form>("intake").unwrap(), None);
    }

    #[test]
    fn saving_a_drafted_case_twice_records_it_once() {
        let dir = tempfile::tempdir().unwrap();
        let vault = Vault::create(dir.path(), "493817", test_config()).unwrap();
        let id = crate::model::CaseId::random();
        let intake = crate::cases::sample_intake("SYN-TWICE");
        assert_eq!(vault.create_case_with_id(id, intake.clone()).unwrap(), id);
        let events = vault.events_of(id).unwrap().len();
        assert_eq!(vault.create_case_with_id(id, intake).unwrap(), id);
        assert_eq!(vault.events_of(id).unwrap().len(), events);
        let all = vault.list_cases(&Default::default()).unwrap();
        assert_eq!(all.cases.len(), 1);
    }
}
