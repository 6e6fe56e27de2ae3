//! The provincial officer's shelter registry on [`Vault`]: the provincial
//! signing key kept sealed in the vault (set once from a seed, or
//! generated; never read back out, only its public key and fingerprint
//! shown), the working draft of the directory (sealed like every draft, so
//! it survives locking), and publishing it: the next version built from the
//! draft, signed in the vault (a delta from the directory held, or the whole
//! directory when none is held), uploaded, then recorded as this device's
//! directory. A refused or failed upload changes nothing here.

use super::Vault;
use crate::error::Refusal;
use crate::model::{hex, Role};
use crate::referrals::ServiceOrganisation;
use crate::shelters::{
    next_directory, CommuneContacts, DirectoryUpdate, EmergencyContact, ProvincialKey,
    ProvincialSigner, RegistryChanges, RegistryDraft, Shelter, SignedPublication,
};
use crate::{Error, Result};
use serde::Serialize;
use sha2::Digest;
use zeroize::Zeroizing;

/// The sealed record of the signing key's seed.
const SIGNING_KEY_META: &str = "registry.signing_key";
/// The draft's name ([`Vault::save_draft`]).
const DRAFT: &str = "registry.shelters";

/// The provincial signing key as the officer may see it: never the secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SigningKeyInfo {
    /// The public key every device checks publications against (hex).
    pub public_key: String,
    /// A short fingerprint to compare by eye: the first 8 bytes of the
    /// SHA-256 of the public key, in groups of four hex digits.
    pub fingerprint: String,
}

impl SigningKeyInfo {
    fn of(key: &ProvincialKey) -> Self {
        let digest = sha2::Sha256::digest(key.0);
        let digits = hex(&digest[..8]).to_uppercase();
        let groups: Vec<&str> = (0..digits.len())
            .step_by(4)
            .map(|i| &digits[i..i + 4])
            .collect();
        Self {
            public_key: key.to_string(),
            fingerprint: groups.join(" "),
        }
    }
}

/// What publishing the draft did.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct RegistryPublished {
    /// The version published.
    pub version: u64,
    /// Whether it went out whole (no directory was held) or as a delta.
    pub full: bool,
    /// Size of the signed publication in bytes.
    pub bytes: u64,
    /// What it changed.
    pub changes: RegistryChanges,
    /// False if the server had it already (publishing is idempotent).
    pub stored: bool,
}

impl Vault {
    /// Refused unless this device is enrolled as the provincial officer.
    pub(super) fn officer_only(&self) -> Result<()> {
        match self.enrolment()? {
            Some(e) if e.role == Role::ProvincialOfficer => Ok(()),
            _ => Err(Error::NotAllowed(Refusal::OfficersOnly)),
        }
    }

    fn keep_signing_key(&self, seed: Zeroizing<[u8; 32]>) -> Result<SigningKeyInfo> {
        let signer = ProvincialSigner::from_seed(*seed);
        self.with_store(|store| {
            store.update_meta(SIGNING_KEY_META, |current: Option<[u8; 32]>| match current
                .map(Zeroizing::new)
            {
                Some(held) if *held != *seed => Err(Error::NotAllowed(Refusal::SigningKeyExists)),
                _ => Ok((*seed, ())),
            })
        })?;
        Ok(SigningKeyInfo::of(&signer.public_key()))
    }

    /// (Provincial officer) Generates the provincial signing key and keeps
    /// it sealed in this vault. Refused if the vault holds one already.
    pub fn generate_signing_key(&self) -> Result<SigningKeyInfo> {
        self.officer_only()?;
        if self.signing_key()?.is_some() {
            return Err(Error::NotAllowed(Refusal::SigningKeyExists));
        }
        self.keep_signing_key(Zeroizing::new(crate::crypto::random_array()))
    }

    /// (Provincial officer) Keeps the provincial signing key whose seed is
    /// `hex_seed` (64 hex digits, as `BINHAN_PROVINCE_SIGNING_KEY` holds
    /// it) sealed in this vault. Setting the same key again is harmless;
    /// another key is refused.
    pub fn set_signing_key_seed(&self, hex_seed: &str) -> Result<SigningKeyInfo> {
        self.officer_only()?;
        let seed = crate::model::from_hex::<32>(hex_seed.trim()).ok_or_else(|| {
            Error::invalid("signing_key", crate::error::Rule::NotHex { digits: 64 })
        })?;
        self.keep_signing_key(Zeroizing::new(seed))
    }

    /// The provincial signing key this vault holds, as its public key and
    /// fingerprint; `None` if it holds none.
    pub fn signing_key(&self) -> Result<Option<SigningKeyInfo>> {
        Ok(self.signer()?.map(|s| SigningKeyInfo::of(&s.public_key())))
    }

    pub(super) fn signer(&self) -> Result<Option<ProvincialSigner>> {
        let seed = self
            .with_store(|s| s.meta::<[u8; 32]>(SIGNING_KEY_META))?
            .map(Zeroizing::new);
        Ok(seed.map(|seed| ProvincialSigner::from_seed(*seed)))
    }

    /// (Provincial officer) The working draft of the directory: the one
    /// kept, or else what the directory held holds.
    pub fn registry_draft(&self) -> Result<RegistryDraft> {
        self.officer_only()?;
        match self.draft::<RegistryDraft>(DRAFT)? {
            Some(draft) => Ok(draft),
            None => Ok(RegistryDraft::from_directory(
                self.shelter_directory()?.as_ref(),
            )),
        }
    }

    fn update_registry(&self, f: impl FnOnce(&mut RegistryDraft) -> Result<()>) -> Result<()> {
        let mut draft = self.registry_draft()?;
        f(&mut draft)?;
        self.save_draft(DRAFT, &draft)
    }

    /// (Provincial officer) Adds a shelter to the draft or replaces the one
    /// with its id; refused with its first problem, nothing changed.
    pub fn registry_put_shelter(&self, shelter: Shelter) -> Result<()> {
        self.update_registry(|draft| draft.put_shelter(shelter))
    }

    /// (Provincial officer) Adds a service organisation to the draft or
    /// replaces the one with its id; refused with its first problem,
    /// nothing changed.
    pub fn registry_put_organisation(&self, organisation: ServiceOrganisation) -> Result<()> {
        self.update_registry(|draft| draft.put_organisation(organisation))
    }

    /// (Provincial officer) Sets a commune's emergency numbers in the
    /// draft (an empty list withdraws them); refused with the first
    /// problem, nothing changed.
    pub fn registry_set_contacts(&self, commune: &str, list: Vec<EmergencyContact>) -> Result<()> {
        self.update_registry(|draft| draft.set_contacts(commune, list))
    }

    /// (Provincial officer) Forgets the draft: the next one starts from the
    /// directory held.
    pub fn registry_discard(&self) -> Result<()> {
        self.officer_only()?;
        self.discard_draft(DRAFT)
    }

    /// (Provincial officer) What publishing the draft would change, and
    /// the version it would publish.
    pub fn registry_changes(&self) -> Result<(RegistryChanges, u64)> {
        let held = self.shelter_directory()?;
        let draft = self.registry_draft()?;
        let version = held.as_ref().map_or(1, |d| d.version + 1);
        Ok((draft.changes(held.as_ref()), version))
    }

    /// (Provincial officer) Publishes the draft: builds the next version,
    /// signs it with the key in this vault (a delta from the directory held,
    /// or whole if none is held), checks that a device holding that
    /// directory would accept it, uploads it, and then records it as this
    /// device's directory and forgets the draft. Refused, with nothing
    /// changed, for another role, without a signing key, with a key other
    /// than the province's this device trusts, with nothing to publish, and
    /// when the upload fails or the server refuses.
    pub async fn publish_registry(&self) -> Result<RegistryPublished> {
        self.officer_only()?;
        let signer = self
            .signer()?
            .ok_or(Error::NotAllowed(Refusal::NoSigningKey))?;
        let key = signer.public_key();
        if self.provincial_key()?.is_some_and(|trusted| trusted != key) {
            return Err(Error::NotAllowed(Refusal::ProvincialKeyDiffers));
        }
        let held = self.shelter_directory()?;
        let draft = self.registry_draft()?;
        let changes = draft.changes(held.as_ref());
        if changes.is_empty() {
            return Err(Error::NotAllowed(Refusal::NothingChanged));
        }
        let version = held.as_ref().map_or(1, |d| d.version + 1);
        let next = draft.directory(version, self.now())?;
        let update = match &held {
            Some(held) => DirectoryUpdate::Delta(held.delta_to(&next)?),
            None => DirectoryUpdate::Full(next.clone()),
        };
        let full = held.is_none();
        let bytes = signer.sign(&update)?.encode();
        drop(signer);
        // What a device holding the same directory makes of it.
        let checked = next_directory(held.as_ref(), &key, &SignedPublication::decode(&bytes)?)?;
        if checked != next {
            return Err(Error::Tampered {
                record: "shelter directory publication (does not reproduce the draft)".into(),
            });
        }
        let server = self.publish_shelter_directory(&bytes).await?;
        self.set_provincial_key(key)?;
        self.load_shelter_directory(&bytes)?;
        self.discard_draft(DRAFT)?;
        Ok(RegistryPublished {
            version,
            full,
            bytes: bytes.len() as u64,
            changes,
            stored: server.stored,
        })
    }

    /// The numbers of `commune` in the draft, if it lists any.
    pub fn registry_contacts(&self, commune: &str) -> Result<Option<CommuneContacts>> {
        Ok(self.registry_draft()?.contacts_of(commune).cloned())
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::test_config;
    use super::*;
    use crate::shelters::{
        AcceptedGroup, Checklist, ContactKind, GeoPoint, HostContact, Language, ShelterHours,
        ShelterId, ShelterKind, StandardItem,
    };

    const PIN: &str = "493817";

    /// A vault enrolled as `role` with a server nobody answers at.
    fn enrolled(role: Role) -> (tempfile::TempDir, Vault) {
        let dir = tempfile::tempdir().unwrap();
        let vault = Vault::create(dir.path(), PIN, test_config()).unwrap();
        vault.enrol_offline(role, "pa_u").unwrap();
        (dir, vault)
    }

    /// A synthetic shelter.
    fn shelter(name: &str) -> Shelter {
        Shelter {
            id: ShelterId::derived(name),
            name: name.into(),
            kind: ShelterKind::CommuneOffice,
            commune: "pa_u".into(),
            location: GeoPoint::new(22.39, 103.46),
            capacity: 3,
            accepts: vec![AcceptedGroup::Women],
            accessibility: vec![],
            languages: vec![Language::Vietnamese],
            hours: ShelterHours::Always,
            contact: HostContact::default(),
            host_device: None,
            active: true,
            checklist: Checklist::default(),
        }
    }

    fn police(number: &str) -> Vec<EmergencyContact> {
        vec![EmergencyContact {
            kind: ContactKind::CommunePolice,
            name: "Trực ban (giả lập)".into(),
            phone: number.into(),
        }]
    }

    #[test]
    fn the_signing_key_is_kept_sealed_and_only_its_public_half_is_shown() {
        let (dir, vault) = enrolled(Role::ProvincialOfficer);
        assert_eq!(vault.signing_key().unwrap(), None);
        let seed = "07".repeat(32);
        let info = vault.set_signing_key_seed(&seed).unwrap();
        let expected = ProvincialSigner::from_seed([7; 32]).public_key();
        assert_eq!(info.public_key, expected.to_string());
        assert_eq!(info.fingerprint.len(), 19);
        // The same key again is harmless; another is refused.
        assert_eq!(vault.set_signing_key_seed(&seed).unwrap(), info);
        assert!(matches!(
            vault.set_signing_key_seed(&"08".repeat(32)),
            Err(Error::NotAllowed(Refusal::SigningKeyExists))
        ));
        assert!(matches!(
            vault.generate_signing_key(),
            Err(Error::NotAllowed(Refusal::SigningKeyExists))
        ));
        assert!(matches!(
            vault.set_signing_key_seed("not hex"),
            Err(Error::Invalid { .. })
        ));
        vault.lock();
        assert!(matches!(vault.signing_key(), Err(Error::Locked)));
        drop(vault);
        // The seed is nowhere in the clear.
        let seed_bytes = [7u8; 32];
        for entry in std::fs::read_dir(dir.path()).unwrap() {
            let bytes = std::fs::read(entry.unwrap().path()).unwrap();
            assert!(!bytes.windows(32).any(|w| w == seed_bytes));
        }
        let vault = Vault::open(dir.path(), test_config()).unwrap();
        vault.unlock(PIN).unwrap();
        assert_eq!(vault.signing_key().unwrap(), Some(info));

        let (_d, fresh) = enrolled(Role::ProvincialOfficer);
        let generated = fresh.generate_signing_key().unwrap();
        assert_ne!(generated.public_key, expected.to_string());
    }

    #[test]
    fn the_draft_survives_locking_and_refuses_bad_values_whole() {
        let (dir, vault) = enrolled(Role::ProvincialOfficer);
        vault
            .registry_put_shelter(shelter("Synthetic office"))
            .unwrap();
        vault
            .registry_set_contacts("pa_u", police("0200000001"))
            .unwrap();
        let mut bad = shelter("Synthetic bad");
        bad.capacity = 0;
        assert!(matches!(
            vault.registry_put_shelter(bad),
            Err(Error::Invalid { ref field, .. }) if field == "shelter.capacity"
        ));
        assert!(vault
            .registry_set_contacts("pa_u", police("call the desk"))
            .is_err());
        vault.lock();
        drop(vault);
        let vault = Vault::open(dir.path(), test_config()).unwrap();
        vault.unlock(PIN).unwrap();
        let draft = vault.registry_draft().unwrap();
        assert_eq!(draft.shelters.len(), 1);
        assert_eq!(
            draft.contacts_of("pa_u").unwrap().contacts[0].phone,
            "0200000001"
        );
        let (changes, version) = vault.registry_changes().unwrap();
        assert_eq!((changes.added.len(), version), (1, 1));
        assert_eq!(changes.numbers_changed, ["pa_u"]);
        vault.registry_discard().unwrap();
        assert!(vault.registry_draft().unwrap().shelters.is_empty());
    }

    #[test]
    fn only_the_officer_edits_and_publishes() {
        let (_d, manager) = enrolled(Role::CommuneCaseManager);
        let refused = |r: Result<()>| matches!(r, Err(Error::NotAllowed(Refusal::OfficersOnly)));
        assert!(refused(manager.registry_put_shelter(shelter("S"))));
        assert!(refused(manager.generate_signing_key().map(|_| ())));
        assert!(refused(manager.registry_draft().map(|_| ())));
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        assert!(refused(rt.block_on(manager.publish_registry()).map(|_| ())));
        let dir = tempfile::tempdir().unwrap();
        let unenrolled = Vault::create(dir.path(), PIN, test_config()).unwrap();
        assert!(refused(unenrolled.registry_put_shelter(shelter("S"))));
    }

    #[test]
    fn a_failed_upload_changes_nothing() {
        let (_d, vault) = enrolled(Role::ProvincialOfficer);
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        // No key yet; then nothing to publish.
        assert!(matches!(
            rt.block_on(vault.publish_registry()),
            Err(Error::NotAllowed(Refusal::NoSigningKey))
        ));
        vault.generate_signing_key().unwrap();
        assert!(matches!(
            rt.block_on(vault.publish_registry()),
            Err(Error::NotAllowed(Refusal::NothingChanged))
        ));
        let mut office = shelter("Synthetic office");
        office.checklist.set(StandardItem::PrivateRoom, true);
        vault.registry_put_shelter(office).unwrap();
        // Nobody answers at the server's address.
        assert!(matches!(
            rt.block_on(vault.publish_registry()),
            Err(Error::Network(_))
        ));
        assert_eq!(vault.shelter_directory().unwrap(), None);
        assert_eq!(vault.provincial_key().unwrap(), None);
        assert_eq!(vault.registry_draft().unwrap().shelters.len(), 1);

        // A device that trusts another provincial key refuses before signing.
        vault
            .set_provincial_key(ProvincialSigner::from_seed([9; 32]).public_key())
            .unwrap();
        assert!(matches!(
            rt.block_on(vault.publish_registry()),
            Err(Error::NotAllowed(Refusal::ProvincialKeyDiffers))
        ));
        assert_eq!(vault.registry_draft().unwrap().shelters.len(), 1);
    }
}
