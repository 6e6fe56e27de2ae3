//! Each commune's emergency contacts (công an xã, trạm y tế xã, UBND xã,
//! Hội Liên hiệp Phụ nữ xã), published by the province in the signed
//! directory and changed by its deltas. A phone keeps its own commune's
//! beside the vault in the clear, so its emergency screen can dial them
//! before unlocking ([`crate::app::EMERGENCY_FILE`]).

use crate::error::Rule;
use crate::model::validate::{distinct, phone, required_text};
use crate::model::validate_commune;
use crate::{coded_enum, Error, Result};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Most contacts one commune may list.
pub const MAX_CONTACTS_PER_COMMUNE: usize = 8;

coded_enum! {
    /// Who answers an emergency contact.
    pub enum ContactKind: "emergency_contact_kind" {
        "The commune police." CommunePolice = ("commune_police", "công an xã", "commune police"),
        "The commune health station." HealthStation = ("health_station", "trạm y tế xã", "commune health station"),
        "The commune People's Committee." CommunePeopleCommittee = ("commune_people_committee", "UBND xã", "commune People's Committee"),
        "The commune Women's Union." WomensUnion = ("womens_union", "Hội Liên hiệp Phụ nữ xã", "commune Women's Union"),
    }
}

/// One number of a commune.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct EmergencyContact {
    /// Who answers.
    pub kind: ContactKind,
    /// Whom to ask for, or the desk ("Trực ban").
    pub name: String,
    /// The number, dialled as written: digits after an optional `+`.
    pub phone: String,
}

impl EmergencyContact {
    /// Checks the name and the number.
    pub fn validate(&self) -> Result<()> {
        match self.problems().into_iter().next() {
            Some(problem) => Err(problem),
            None => Ok(()),
        }
    }

    /// The name's and the number's problems, both at once.
    pub fn problems(&self) -> Vec<Error> {
        [
            required_text("directory.contacts.name", &self.name, 120),
            phone("directory.contacts.phone", &self.phone, false),
        ]
        .into_iter()
        .filter_map(Result::err)
        .collect()
    }
}

/// A commune's emergency contacts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct CommuneContacts {
    /// Commune or ward (code).
    pub commune: String,
    /// Its contacts, in the order the emergency screen shows them.
    pub contacts: Vec<EmergencyContact>,
}

impl CommuneContacts {
    /// Checks the commune and each contact (one to
    /// [`MAX_CONTACTS_PER_COMMUNE`], none twice). The first of
    /// [`CommuneContacts::problems`].
    pub fn validate(&self) -> Result<()> {
        match self.problems().into_iter().next() {
            Some(problem) => Err(problem),
            None => Ok(()),
        }
    }

    /// Every problem at once, with the row of each contact's:
    /// `(None, error)` for the list, `(Some(row), error)` for one contact
    /// (counted from 0). Errors name the field, never a value.
    pub fn problems_by_row(&self) -> Vec<(Option<usize>, Error)> {
        let mut out: Vec<(Option<usize>, Error)> = Vec::new();
        let list = [
            validate_commune("directory.contacts.commune", &self.commune),
            if self.contacts.is_empty() {
                Err(Error::invalid("directory.contacts", Rule::NoneChosen))
            } else if self.contacts.len() > MAX_CONTACTS_PER_COMMUNE {
                Err(Error::invalid(
                    "directory.contacts",
                    Rule::TooMany {
                        max: MAX_CONTACTS_PER_COMMUNE as u64,
                    },
                ))
            } else {
                distinct("directory.contacts", &self.contacts)
            },
        ];
        out.extend(list.into_iter().filter_map(Result::err).map(|e| (None, e)));
        for (row, contact) in self.contacts.iter().enumerate() {
            out.extend(contact.problems().into_iter().map(|e| (Some(row), e)));
        }
        out
    }

    /// Every problem at once (see [`CommuneContacts::problems_by_row`]).
    pub fn problems(&self) -> Vec<Error> {
        self.problems_by_row().into_iter().map(|(_, e)| e).collect()
    }
}

/// Checks a directory's contacts: each commune once, in code order.
pub(crate) fn validate_all(all: &[CommuneContacts]) -> Result<()> {
    if all
        .windows(2)
        .any(|pair| pair[0].commune >= pair[1].commune)
    {
        return Err(Error::invalid("directory.contacts", Rule::NotOrdered));
    }
    all.iter().try_for_each(CommuneContacts::validate)
}

/// The communes whose contacts differ from `old` to `new` (whole), and the
/// communes `new` no longer lists.
pub(crate) fn changes(
    old: &[CommuneContacts],
    new: &[CommuneContacts],
) -> (Vec<CommuneContacts>, Vec<String>) {
    let find = |list: &[CommuneContacts], commune: &str| {
        list.iter().find(|c| c.commune == commune).cloned()
    };
    let upserts = new
        .iter()
        .filter(|c| find(old, &c.commune).as_ref() != Some(*c))
        .cloned()
        .collect();
    let removals = old
        .iter()
        .filter(|c| find(new, &c.commune).is_none())
        .map(|c| c.commune.clone())
        .collect();
    (upserts, removals)
}

/// `held` with `removals` removed and `upserts` put in, in commune order.
pub(crate) fn apply(
    held: &[CommuneContacts],
    upserts: &[CommuneContacts],
    removals: &[String],
) -> Vec<CommuneContacts> {
    let mut by_commune: BTreeMap<&str, &CommuneContacts> =
        held.iter().map(|c| (c.commune.as_str(), c)).collect();
    for commune in removals {
        by_commune.remove(commune.as_str());
    }
    for contacts in upserts {
        by_commune.insert(&contacts.commune, contacts);
    }
    by_commune.into_values().cloned().collect()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A commune's synthetic police and health station.
    pub(crate) fn contacts(commune: &str, first: &str) -> CommuneContacts {
        CommuneContacts {
            commune: commune.into(),
            contacts: vec![
                EmergencyContact {
                    kind: ContactKind::CommunePolice,
                    name: "Trực ban (giả lập)".into(),
                    phone: first.into(),
                },
                EmergencyContact {
                    kind: ContactKind::HealthStation,
                    name: "Trạm y tế (giả lập)".into(),
                    phone: "0200000099".into(),
                },
            ],
        }
    }

    fn rule(result: Result<()>) -> (String, Rule) {
        match result {
            Err(Error::Invalid { field, rule }) => (field, rule),
            other => panic!("expected invalid, got {other:?}"),
        }
    }

    #[test]
    fn contacts_are_checked_with_coded_rules() {
        let good = contacts("pa_u", "0200000001");
        good.validate().unwrap();
        let mut spaced = good.clone();
        spaced.contacts[0].phone = "0200 000 001".into();
        assert_eq!(
            rule(spaced.validate()),
            ("directory.contacts.phone".into(), Rule::BadDialNumber)
        );
        let mut short = good.clone();
        short.contacts[1].phone = "11".into();
        assert_eq!(rule(short.validate()).1, Rule::BadDialNumber);
        let mut nameless = good.clone();
        nameless.contacts[0].name = " ".into();
        assert_eq!(rule(nameless.validate()).0, "directory.contacts.name");
        let nowhere = CommuneContacts {
            commune: "hanoi".into(),
            ..good.clone()
        };
        assert_eq!(rule(nowhere.validate()).1, Rule::NotACommune);
        let mut twice = good.clone();
        twice.contacts.push(twice.contacts[0].clone());
        assert_eq!(rule(twice.validate()).1, Rule::Duplicate);
        let empty = CommuneContacts {
            contacts: vec![],
            ..good.clone()
        };
        assert_eq!(rule(empty.validate()).1, Rule::NoneChosen);
        let unordered = [good.clone(), contacts("ban_bo", "0200000002")];
        assert_eq!(rule(validate_all(&unordered)).1, Rule::NotOrdered);
        let repeated = [good.clone(), good];
        assert_eq!(rule(validate_all(&repeated)).1, Rule::NotOrdered);
    }

    #[test]
    fn changes_apply_back() {
        let old = vec![
            contacts("ban_bo", "0200000001"),
            contacts("mu_ca", "0200000002"),
            contacts("pa_u", "0200000003"),
        ];
        let new = vec![
            contacts("ban_bo", "0200000001"),
            contacts("pa_u", "0200000033"),
            contacts("tan_phong", "0200000004"),
        ];
        let (upserts, removals) = changes(&old, &new);
        assert_eq!(
            upserts
                .iter()
                .map(|c| c.commune.as_str())
                .collect::<Vec<_>>(),
            ["pa_u", "tan_phong"]
        );
        assert_eq!(removals, ["mu_ca"]);
        assert_eq!(apply(&old, &upserts, &removals), new);
    }
}
