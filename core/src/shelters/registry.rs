//! The provincial officer's working copy of the shelter directory: the
//! shelters and each commune's emergency numbers as they will be published
//! next, what changed since the directory held, and the next version built
//! from it. Pure data; the vault keeps it sealed as a draft and publishes it
//! ([`crate::app::Vault::publish_registry`]).

use super::contacts::{self, CommuneContacts, EmergencyContact};
use super::directory::ShelterDirectory;
use super::ids::ShelterId;
use super::model::Shelter;
use crate::referrals::{OrganisationId, ServiceOrganisation};
use crate::Result;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The directory as the officer is editing it.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegistryDraft {
    /// The version of the directory the draft started from (`None`: the
    /// device held none).
    pub base_version: Option<u64>,
    /// The shelters, ordered by id.
    pub shelters: Vec<Shelter>,
    /// Each commune's emergency numbers, ordered by commune code.
    pub contacts: Vec<CommuneContacts>,
    /// The service directory's organisations, ordered by id.
    #[serde(default)]
    pub services: Vec<ServiceOrganisation>,
}

/// What publishing the draft changes, against the directory held.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct RegistryChanges {
    /// Shelters the directory held does not list.
    pub added: Vec<Shelter>,
    /// Shelters listed with other values.
    pub edited: Vec<Shelter>,
    /// Communes whose numbers are new or changed (commune codes).
    pub numbers_changed: Vec<String>,
    /// Communes whose numbers are withdrawn (commune codes).
    pub numbers_withdrawn: Vec<String>,
    /// Service organisations added or listed with other values.
    pub organisations: Vec<ServiceOrganisation>,
}

impl RegistryChanges {
    /// Whether publishing would change nothing.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty()
            && self.edited.is_empty()
            && self.numbers_changed.is_empty()
            && self.numbers_withdrawn.is_empty()
            && self.organisations.is_empty()
    }
}

impl RegistryDraft {
    /// A draft holding what `held` holds (empty without a directory).
    pub fn from_directory(held: Option<&ShelterDirectory>) -> Self {
        match held {
            Some(d) => Self {
                base_version: Some(d.version),
                shelters: d.shelters.clone(),
                contacts: d.contacts.clone(),
                services: d.services.clone(),
            },
            None => Self::default(),
        }
    }

    /// The shelter with this id.
    pub fn shelter(&self, id: &ShelterId) -> Option<&Shelter> {
        self.shelters.iter().find(|s| s.id == *id)
    }

    /// The numbers of `commune` (code), if the draft lists any.
    pub fn contacts_of(&self, commune: &str) -> Option<&CommuneContacts> {
        self.contacts.iter().find(|c| c.commune == commune)
    }

    /// Adds `shelter`, or replaces the one with its id. Refused with the
    /// first field's problem ([`Shelter::problems`] gives them all) and
    /// nothing changed.
    pub fn put_shelter(&mut self, shelter: Shelter) -> Result<()> {
        shelter.validate()?;
        match self.shelters.binary_search_by_key(&shelter.id, |s| s.id) {
            Ok(i) => self.shelters[i] = shelter,
            Err(i) => self.shelters.insert(i, shelter),
        }
        Ok(())
    }

    /// The service organisation with this id.
    pub fn organisation(&self, id: &OrganisationId) -> Option<&ServiceOrganisation> {
        self.services.iter().find(|o| o.id == *id)
    }

    /// Adds `organisation`, or replaces the one with its id. Refused with
    /// its first problem, and nothing changed.
    pub fn put_organisation(&mut self, organisation: ServiceOrganisation) -> Result<()> {
        organisation.validate()?;
        match self
            .services
            .binary_search_by_key(&organisation.id, |o| o.id)
        {
            Ok(i) => self.services[i] = organisation,
            Err(i) => {
                if self.services.len() >= crate::referrals::MAX_ORGANISATIONS {
                    return Err(crate::Error::invalid(
                        "directory.services",
                        crate::error::Rule::TooMany {
                            max: crate::referrals::MAX_ORGANISATIONS as u64,
                        },
                    ));
                }
                self.services.insert(i, organisation)
            }
        }
        Ok(())
    }

    /// Sets the numbers of `commune`; an empty list withdraws them. Refused
    /// with the first problem ([`CommuneContacts::problems_by_row`] gives
    /// them all) and nothing changed.
    pub fn set_contacts(&mut self, commune: &str, list: Vec<EmergencyContact>) -> Result<()> {
        crate::model::validate_commune("directory.contacts.commune", commune)?;
        let mut kept: Vec<CommuneContacts> = self
            .contacts
            .iter()
            .filter(|c| c.commune != commune)
            .cloned()
            .collect();
        if !list.is_empty() {
            let entry = CommuneContacts {
                commune: commune.to_string(),
                contacts: list,
            };
            entry.validate()?;
            kept.push(entry);
        }
        kept.sort_by(|a, b| a.commune.cmp(&b.commune));
        self.contacts = kept;
        Ok(())
    }

    /// What publishing this draft changes against `held`.
    pub fn changes(&self, held: Option<&ShelterDirectory>) -> RegistryChanges {
        let empty = ShelterDirectory::new(0, DateTime::UNIX_EPOCH, Vec::new());
        let held = held.unwrap_or(&empty);
        let (added, edited) = self
            .shelters
            .iter()
            .filter(|s| held.shelter(&s.id) != Some(*s))
            .cloned()
            .partition(|s| held.shelter(&s.id).is_none());
        let (numbers_changed, numbers_withdrawn) =
            contacts::changes(&held.contacts, &self.contacts);
        let (organisations, _) =
            crate::referrals::organisation_changes(&held.services, &self.services);
        RegistryChanges {
            added,
            edited,
            numbers_changed: numbers_changed.into_iter().map(|c| c.commune).collect(),
            numbers_withdrawn,
            organisations,
        }
    }

    /// The directory this draft publishes as `version`, checked whole.
    pub fn directory(&self, version: u64, published_at: DateTime<Utc>) -> Result<ShelterDirectory> {
        let directory = ShelterDirectory::new(version, published_at, self.shelters.clone())
            .with_contacts(self.contacts.clone())
            .with_services(self.services.clone());
        directory.validate()?;
        Ok(directory)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Rule;
    use crate::shelters::contacts::tests::contacts;
    use crate::shelters::model::tests::shelter;
    use crate::Error;

    fn t(h: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_794_700_000 + h * 3600, 0).unwrap()
    }

    /// The officer adds and edits service organisations in the draft;
    /// publishing carries them, and what changed says so.
    #[test]
    fn organisations_are_edited_in_the_draft() {
        let station = crate::referrals::health_station_for_tests("pa_u");
        let held =
            ShelterDirectory::new(3, t(0), vec![shelter("A")]).with_services(vec![station.clone()]);
        let mut draft = RegistryDraft::from_directory(Some(&held));
        assert!(draft.changes(Some(&held)).is_empty());
        let mut moved = station.clone();
        moved.communes.push("mu_ca".into());
        let added = crate::referrals::health_station_for_tests("than_uyen");
        draft.put_organisation(moved.clone()).unwrap();
        draft.put_organisation(added.clone()).unwrap();
        assert_eq!(draft.organisation(&station.id), Some(&moved));
        let changed = draft.changes(Some(&held)).organisations;
        assert_eq!(changed.len(), 2);
        assert!(changed.contains(&moved) && changed.contains(&added));
        let next = draft.directory(4, t(1)).unwrap();
        assert_eq!(next.services.len(), 2);
        // A bad one changes nothing.
        let mut nameless = added.clone();
        nameless.name = " ".into();
        assert!(draft.put_organisation(nameless).is_err());
        assert_eq!(draft.organisation(&added.id), Some(&added));
    }

    #[test]
    fn a_draft_lists_what_changed_and_builds_the_next_version() {
        let held = ShelterDirectory::new(3, t(0), vec![shelter("A"), shelter("B")])
            .with_contacts(vec![contacts("pa_u", "0200000001")])
            .with_services(vec![crate::referrals::health_station_for_tests("pa_u")]);
        let mut draft = RegistryDraft::from_directory(Some(&held));
        assert_eq!(draft.base_version, Some(3));
        assert!(draft.changes(Some(&held)).is_empty());

        let mut b = shelter("B");
        b.capacity = 12;
        draft.put_shelter(b).unwrap();
        draft.put_shelter(shelter("C")).unwrap();
        draft
            .set_contacts("mu_ca", contacts("mu_ca", "0200000002").contacts)
            .unwrap();
        draft.set_contacts("pa_u", Vec::new()).unwrap();
        let changes = draft.changes(Some(&held));
        assert_eq!(changes.added.len(), 1);
        assert_eq!(changes.added[0].name, "C");
        assert_eq!(changes.edited[0].capacity, 12);
        assert_eq!(changes.numbers_changed, ["mu_ca"]);
        assert_eq!(changes.numbers_withdrawn, ["pa_u"]);

        let next = draft.directory(4, t(1)).unwrap();
        assert_eq!(next.shelters.len(), 3);
        assert_eq!(next.services, held.services, "organisations are kept");
        let delta = held.delta_to(&next).unwrap();
        assert_eq!(held.apply(&delta).unwrap(), next);
        // Without a directory held, everything is new.
        assert_eq!(draft.changes(None).added.len(), 3);
    }

    #[test]
    fn bad_values_are_refused_and_nothing_changes() {
        let mut draft = RegistryDraft::default();
        let mut bad = shelter("A");
        bad.capacity = 0;
        bad.name = String::new();
        let refused = draft.put_shelter(bad.clone()).unwrap_err();
        assert!(matches!(refused, Error::Invalid { ref field, .. } if field == "shelter.name"));
        let fields: Vec<String> = bad
            .problems()
            .into_iter()
            .filter_map(|e| match e {
                Error::Invalid { field, .. } => Some(field),
                _ => None,
            })
            .collect();
        assert_eq!(fields, ["shelter.name", "shelter.capacity"]);
        assert!(draft.shelters.is_empty());

        let mut numbers = contacts("pa_u", "0200000001").contacts;
        numbers[1].phone = "02 00".into();
        let refused = draft.set_contacts("pa_u", numbers).unwrap_err();
        assert!(matches!(
            refused,
            Error::Invalid {
                rule: Rule::BadDialNumber,
                ..
            }
        ));
        assert!(draft.set_contacts("hanoi", Vec::new()).is_err());
        assert!(draft.contacts.is_empty());
    }
}
