//! The provincial shelter directory: versioned, and changed by deltas so a
//! phone on 2G downloads only what changed.
//!
//! A delta carries the digest of the directory it produces, so a device that
//! applies it knows it now holds exactly what the province published.
//!
//! Besides the shelters, the directory lists each commune's emergency
//! contacts ([`CommuneContacts`]); deltas carry their changes per commune.

use super::contacts::{self, CommuneContacts};
use super::ids::ShelterId;
use super::model::{Shelter, ShelterKind};
use crate::error::{Refusal, Rule};
use crate::model::COMMUNES;
use crate::referrals::{OrganisationId, ServiceOrganisation};
use crate::{Error, Result};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::Digest;
use std::collections::BTreeMap;

/// Most shelters a directory may hold.
pub const MAX_SHELTERS: usize = 20_000;

/// The shelters of the province at one version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct ShelterDirectory {
    /// Version, increasing with each publication.
    pub version: u64,
    /// When the provincial office published it (UTC).
    pub published_at: DateTime<Utc>,
    /// The shelters, ordered by id.
    pub shelters: Vec<Shelter>,
    /// Each commune's emergency contacts, ordered by commune code.
    #[serde(default)]
    pub contacts: Vec<CommuneContacts>,
    /// The service directory: organisations that receive referrals, ordered
    /// by id ([`crate::referrals`]).
    #[serde(default)]
    pub services: Vec<ServiceOrganisation>,
}

/// What loading a directory publication did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct DirectoryStatus {
    /// The version now held.
    pub version: u64,
    /// The version held before, if any.
    pub previous_version: Option<u64>,
    /// Shelters in the directory.
    pub shelters: u64,
    /// When the province published it (UTC).
    pub published_at: DateTime<Utc>,
}

/// The changes from one directory version to a later one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DirectoryDelta {
    /// The version it applies to.
    pub from_version: u64,
    /// The version it produces.
    pub to_version: u64,
    /// When the later version was published (UTC).
    pub published_at: DateTime<Utc>,
    /// Shelters added or changed, whole.
    pub upserts: Vec<Shelter>,
    /// Shelters removed from the directory.
    pub removals: Vec<ShelterId>,
    /// Communes whose emergency contacts were added or changed (the whole
    /// list of each).
    #[serde(default)]
    pub contact_upserts: Vec<CommuneContacts>,
    /// Communes whose emergency contacts were withdrawn.
    #[serde(default)]
    pub contact_removals: Vec<String>,
    /// Organisations of the service directory added or changed, whole.
    #[serde(default)]
    pub service_upserts: Vec<ServiceOrganisation>,
    /// Organisations removed from the service directory.
    #[serde(default)]
    pub service_removals: Vec<OrganisationId>,
    /// [`ShelterDirectory::digest`] of the version it produces.
    pub digest: [u8; 32],
}

impl ShelterDirectory {
    /// A directory at `version` with `shelters` (put in id order) and no
    /// emergency contacts.
    pub fn new(version: u64, published_at: DateTime<Utc>, mut shelters: Vec<Shelter>) -> Self {
        shelters.sort_by_key(|s| s.id);
        Self {
            version,
            published_at,
            shelters,
            contacts: Vec::new(),
            services: Vec::new(),
        }
    }

    /// The same directory with these organisations in its service
    /// directory (put in id order).
    pub fn with_services(mut self, mut services: Vec<ServiceOrganisation>) -> Self {
        services.sort_by_key(|o| o.id);
        self.services = services;
        self
    }

    /// The organisation with this id.
    pub fn organisation(&self, id: OrganisationId) -> Option<&ServiceOrganisation> {
        self.services
            .binary_search_by_key(&id, |o| o.id)
            .ok()
            .map(|i| &self.services[i])
    }

    /// The same directory with these emergency contacts (put in commune
    /// order).
    pub fn with_contacts(mut self, mut contacts: Vec<CommuneContacts>) -> Self {
        contacts.sort_by(|a, b| a.commune.cmp(&b.commune));
        self.contacts = contacts;
        self
    }

    /// The emergency contacts of `commune` (code), if the province listed
    /// any.
    pub fn contacts_of(&self, commune: &str) -> Option<&CommuneContacts> {
        self.contacts.iter().find(|c| c.commune == commune)
    }

    /// Checks every shelter, the order and that each id appears once, and
    /// the emergency contacts.
    pub fn validate(&self) -> Result<()> {
        if self.version == 0 {
            return Err(Error::invalid(
                "directory.version",
                Rule::AtLeast { min: 1 },
            ));
        }
        if self.shelters.len() > MAX_SHELTERS {
            return Err(Error::invalid(
                "directory.shelters",
                Rule::TooMany {
                    max: MAX_SHELTERS as u64,
                },
            ));
        }
        for pair in self.shelters.windows(2) {
            if pair[0].id >= pair[1].id {
                return Err(Error::invalid("directory.shelters", Rule::NotOrdered));
            }
        }
        self.shelters.iter().try_for_each(Shelter::validate)?;
        contacts::validate_all(&self.contacts)?;
        crate::referrals::validate_organisations(&self.services)
    }

    /// SHA-256 of the directory's canonical binary encoding.
    pub fn digest(&self) -> [u8; 32] {
        // Serialising plain data into a Vec cannot fail.
        let bytes = postcard::to_allocvec(self).unwrap_or_default();
        sha2::Sha256::digest(&bytes).into()
    }

    /// The shelter with this id.
    pub fn shelter(&self, id: &ShelterId) -> Option<&Shelter> {
        self.shelters
            .binary_search_by_key(id, |s| s.id)
            .ok()
            .map(|i| &self.shelters[i])
    }

    /// The delta that turns this directory into `newer`.
    pub fn delta_to(&self, newer: &ShelterDirectory) -> Result<DirectoryDelta> {
        if newer.version <= self.version {
            return Err(Error::invalid("directory.version", Rule::VersionNotHigher));
        }
        let upserts = newer
            .shelters
            .iter()
            .filter(|s| self.shelter(&s.id) != Some(*s))
            .cloned()
            .collect();
        let removals = self
            .shelters
            .iter()
            .filter(|s| newer.shelter(&s.id).is_none())
            .map(|s| s.id)
            .collect();
        let (contact_upserts, contact_removals) =
            contacts::changes(&self.contacts, &newer.contacts);
        let (service_upserts, service_removals) =
            crate::referrals::organisation_changes(&self.services, &newer.services);
        Ok(DirectoryDelta {
            from_version: self.version,
            to_version: newer.version,
            published_at: newer.published_at,
            upserts,
            removals,
            contact_upserts,
            contact_removals,
            service_upserts,
            service_removals,
            digest: newer.digest(),
        })
    }

    /// This directory with `delta` applied. Refused unless the delta starts
    /// from this version and reproduces exactly the published directory.
    pub fn apply(&self, delta: &DirectoryDelta) -> Result<ShelterDirectory> {
        if delta.from_version != self.version {
            return Err(Error::NotAllowed(Refusal::DirectoryUpdateMismatch {
                from: delta.from_version,
                held: self.version,
            }));
        }
        if delta.to_version <= delta.from_version {
            return Err(Error::invalid(
                "directory.to_version",
                Rule::VersionNotHigher,
            ));
        }
        let mut by_id: BTreeMap<ShelterId, Shelter> =
            self.shelters.iter().map(|s| (s.id, s.clone())).collect();
        for id in &delta.removals {
            by_id.remove(id);
        }
        for shelter in &delta.upserts {
            by_id.insert(shelter.id, shelter.clone());
        }
        let next = ShelterDirectory {
            version: delta.to_version,
            published_at: delta.published_at,
            shelters: by_id.into_values().collect(),
            contacts: contacts::apply(
                &self.contacts,
                &delta.contact_upserts,
                &delta.contact_removals,
            ),
            services: crate::referrals::apply_organisations(
                &self.services,
                &delta.service_upserts,
                &delta.service_removals,
            ),
        };
        if next.digest() != delta.digest {
            return Err(Error::Tampered {
                record: "shelter directory update (result differs from the published directory)"
                    .into(),
            });
        }
        next.validate()?;
        Ok(next)
    }

    /// Shelters, active shelters and standardised active shelters per
    /// commune, for the province's coverage view.
    pub fn coverage(&self) -> ShelterCoverage {
        let mut communes: Vec<CommuneCoverage> = COMMUNES
            .iter()
            .map(|c| CommuneCoverage {
                commune: c.code.to_string(),
                name: c.name.to_string(),
                shelters: 0,
                active: 0,
                standardised: 0,
                kinds: Vec::new(),
            })
            .collect();
        for s in &self.shelters {
            let Some(row) = communes.iter_mut().find(|c| c.commune == s.commune) else {
                continue;
            };
            row.shelters += 1;
            if s.active {
                row.active += 1;
                if s.is_standardised() {
                    row.standardised += 1;
                }
                if !row.kinds.contains(&s.kind) {
                    row.kinds.push(s.kind);
                }
            }
        }
        ShelterCoverage {
            standardised_in_province: communes.iter().map(|c| c.standardised).sum(),
            communes_without_active_shelter: communes
                .iter()
                .filter(|c| c.active == 0)
                .map(|c| c.commune.clone())
                .collect(),
            communes,
        }
    }
}

/// One commune's line of the coverage view.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CommuneCoverage {
    /// Commune code.
    pub commune: String,
    /// Its Vietnamese name.
    pub name: String,
    /// Shelters listed.
    pub shelters: u32,
    /// Shelters taking people in.
    pub active: u32,
    /// Active shelters meeting the whole checklist.
    pub standardised: u32,
    /// Kinds of active shelter present.
    pub kinds: Vec<ShelterKind>,
}

/// The province's shelter coverage: the plan asks for at least five
/// standardised shelters and one shelter in every commune.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ShelterCoverage {
    /// Active standardised shelters in the province.
    pub standardised_in_province: u32,
    /// Communes with no active shelter.
    pub communes_without_active_shelter: Vec<String>,
    /// Each commune.
    pub communes: Vec<CommuneCoverage>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shelters::contacts::tests::contacts;
    use crate::shelters::model::tests::shelter;

    fn t(h: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_794_700_000 + h * 3600, 0).unwrap()
    }

    #[test]
    fn a_delta_reproduces_the_newer_directory() {
        let v1 = ShelterDirectory::new(1, t(0), vec![shelter("A"), shelter("B"), shelter("C")]);
        v1.validate().unwrap();
        let mut b = shelter("B");
        b.capacity = 9;
        let v2 = ShelterDirectory::new(2, t(5), vec![shelter("A"), b, shelter("D")]);
        let delta = v1.delta_to(&v2).unwrap();
        assert_eq!(delta.upserts.len(), 2);
        assert_eq!(delta.removals, vec![ShelterId::derived("C")]);
        assert_eq!(v1.apply(&delta).unwrap(), v2);

        // From the wrong version: refused, with a clear way out.
        let err = v2.apply(&delta).unwrap_err();
        assert!(matches!(
            err,
            Error::NotAllowed(Refusal::DirectoryUpdateMismatch { .. })
        ));
        // A delta whose result is not what was published: refused.
        let mut forged = delta.clone();
        forged.upserts[0].capacity = 1;
        assert!(matches!(v1.apply(&forged), Err(Error::Tampered { .. })));
    }

    #[test]
    fn deltas_carry_contact_changes_and_the_digest_covers_them() {
        let v1 = ShelterDirectory::new(1, t(0), vec![shelter("A")]).with_contacts(vec![
            contacts("pa_u", "0200000001"),
            contacts("mu_ca", "0200000002"),
        ]);
        v1.validate().unwrap();
        assert_eq!(v1.contacts[0].commune, "mu_ca");
        let v2 = ShelterDirectory::new(2, t(5), vec![shelter("A")]).with_contacts(vec![
            contacts("pa_u", "0200000011"),
            contacts("tan_phong", "0200000003"),
        ]);
        let delta = v1.delta_to(&v2).unwrap();
        assert!(delta.upserts.is_empty() && delta.removals.is_empty());
        assert_eq!(delta.contact_upserts.len(), 2);
        assert_eq!(delta.contact_removals, ["mu_ca"]);
        let applied = v1.apply(&delta).unwrap();
        assert_eq!(applied, v2);
        assert_eq!(
            applied.contacts_of("pa_u").unwrap().contacts[0].phone,
            "0200000011"
        );
        assert!(applied.contacts_of("mu_ca").is_none());

        // A changed number is a different directory: the digest says so.
        let mut forged = delta.clone();
        forged.contact_upserts[0].contacts[0].phone = "0200000666".into();
        assert!(matches!(v1.apply(&forged), Err(Error::Tampered { .. })));
        let mut dropped = delta;
        dropped.contact_removals.clear();
        assert!(matches!(v1.apply(&dropped), Err(Error::Tampered { .. })));
    }

    #[test]
    fn validation_and_coverage() {
        let mut dup = ShelterDirectory::new(1, t(0), vec![shelter("A"), shelter("A")]);
        assert!(dup.validate().is_err());
        dup.shelters.pop();
        dup.validate().unwrap();
        let mut inactive = shelter("Z");
        inactive.active = false;
        let cov =
            ShelterDirectory::new(1, t(0), vec![shelter("A"), shelter("B"), inactive]).coverage();
        let tan_phong = cov
            .communes
            .iter()
            .find(|c| c.commune == "tan_phong")
            .unwrap();
        assert_eq!(
            (tan_phong.shelters, tan_phong.active, tan_phong.standardised),
            (3, 2, 2)
        );
        assert_eq!(cov.standardised_in_province, 2);
        assert_eq!(
            cov.communes_without_active_shelter.len(),
            COMMUNES.len() - 1
        );
    }
}
