//! The provincial officer's shelter registry: the directory as the officer
//! is editing it (core's sealed draft) with each commune's coverage; a
//! form to add or edit a shelter (every field of core's model, the
//! standardisation checklist as toggles, every problem at once); a form for
//! a commune's emergency numbers; and publishing (what changes, the
//! version, the provincial key's fingerprint, confirm), signed in the vault.
//!
//! The forms hold what was typed as text and are kept in memory only; a
//! saved form goes into core's draft, which is sealed in the vault and
//! survives locking. Quick exit and locking forget the forms and the seed
//! typed.

pub(crate) mod check;
pub(crate) mod flow;
pub mod organisation;
pub(crate) mod text;
pub mod view;

pub use organisation::{
    OrganisationField, OrganisationFieldView, OrganisationFormView, RegistryOrganisationRow,
};
pub use view::{
    CommuneRow, NumberRowView, NumbersView, PublishView, RegistryShelterRow, RegistryView,
    ShelterFormView,
};

use binhan_core::model::{Coded, DeviceId};
use binhan_core::shelters::{CommuneContacts, Shelter, ShelterHours, ShelterId, StandardItem};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use zeroize::Zeroizing;

/// What the officer did on the registry's screens (one variant of
/// [`crate::Event`]: `{"type":"registry","registry":"save_shelter"}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "registry", rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum RegistryEvent {
    /// Open the form for a new shelter.
    NewShelter,
    /// Open the form of a shelter of the draft.
    EditShelter {
        /// The shelter's id.
        id: String,
    },
    /// A field of the shelter form: its whole new value (a choice by its
    /// code, "" to clear it).
    SetShelter {
        /// Which field.
        field: ShelterField,
        /// Its whole new value.
        value: String,
    },
    /// Add or remove one choice of a several-choice field (whom it takes
    /// in, accessibility, languages, the checklist).
    ToggleShelter {
        /// Which field.
        field: ShelterField,
        /// The choice's code.
        code: String,
    },
    /// Keep the shelter form in the draft.
    SaveShelter,
    /// Open a commune's emergency numbers.
    EditNumbers {
        /// The commune's code.
        commune: String,
    },
    /// A field of one number.
    SetNumber {
        /// The row, from 0.
        row: u32,
        /// Which field.
        field: NumberField,
        /// Its whole new value.
        value: String,
    },
    /// Add a number.
    AddNumber,
    /// Remove a number.
    RemoveNumber {
        /// The row, from 0.
        row: u32,
    },
    /// Keep the commune's numbers in the draft (none: withdrawn).
    SaveNumbers,
    /// Open the form for a new referral organisation.
    NewOrganisation,
    /// Open the form of an organisation of the draft.
    EditOrganisation {
        /// The organisation's id.
        id: String,
    },
    /// A field of the organisation form: its whole new value (a choice by
    /// its code, "" to clear it).
    SetOrganisation {
        /// Which field.
        field: OrganisationField,
        /// Its whole new value.
        value: String,
    },
    /// Add or remove one choice of a several-choice field (services,
    /// communes, languages).
    ToggleOrganisation {
        /// Which field.
        field: OrganisationField,
        /// The choice's code.
        code: String,
    },
    /// Keep the organisation form in the draft.
    SaveOrganisation,
    /// Show what publishing changes.
    OpenPublish,
    /// The provincial signing key's seed, as typed (64 hex digits).
    SetSeed {
        /// What was typed.
        value: String,
    },
    /// Keep the key of the seed typed in the vault.
    SaveSeed,
    /// Generate the provincial signing key in the vault.
    GenerateKey,
    /// Sign and publish the draft.
    ConfirmPublish,
    /// Forget the draft's changes.
    DiscardDraft,
}

/// A field of the shelter form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum ShelterField {
    /// Name (a code name is allowed).
    Name,
    /// Kind of place.
    Kind,
    /// Commune (code).
    Commune,
    /// Latitude, degrees north.
    Latitude,
    /// Longitude, degrees east.
    Longitude,
    /// Places in all.
    Capacity,
    /// Whom it takes in.
    Accepts,
    /// What it offers people with disabilities.
    Accessibility,
    /// Languages spoken there.
    Languages,
    /// Day and night, or between two times.
    Hours,
    /// Opening time (daily hours).
    OpensAt,
    /// Closing time (daily hours).
    ClosesAt,
    /// Whom to ask for.
    ContactName,
    /// The host's phone.
    ContactPhone,
    /// The host's enrolled device (its id), answering placement requests.
    HostDevice,
    /// Whether it takes people in at present.
    Active,
    /// The standardisation checklist.
    Checklist,
    /// The day the checklist was last reviewed.
    ReviewedOn,
}

/// A field of one emergency number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum NumberField {
    /// Who answers.
    Kind,
    /// Whom to ask for, or the desk.
    Name,
    /// The number, dialled as written.
    Phone,
}

/// The fields of the shelter form, in order.
pub(crate) const SHELTER_FIELDS: [ShelterField; 18] = [
    ShelterField::Name,
    ShelterField::Kind,
    ShelterField::Commune,
    ShelterField::Latitude,
    ShelterField::Longitude,
    ShelterField::Capacity,
    ShelterField::Accepts,
    ShelterField::Accessibility,
    ShelterField::Languages,
    ShelterField::Hours,
    ShelterField::OpensAt,
    ShelterField::ClosesAt,
    ShelterField::ContactName,
    ShelterField::ContactPhone,
    ShelterField::HostDevice,
    ShelterField::Active,
    ShelterField::Checklist,
    ShelterField::ReviewedOn,
];

/// The `hours` choice's codes.
pub(crate) const ALWAYS: &str = "always";
pub(crate) const DAILY: &str = "daily";

/// The shelter form as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ShelterForm {
    /// The shelter's id (new: a random one).
    pub(crate) id: ShelterId,
    /// Whether it is a new shelter.
    pub(crate) new: bool,
    /// Values by field: text as typed, a choice by its code, several
    /// choices as codes joined by commas.
    pub(crate) values: BTreeMap<ShelterField, String>,
}

fn codes<T: binhan_core::model::Coded>(list: &[T]) -> String {
    list.iter().map(|v| v.code()).collect::<Vec<_>>().join(",")
}

impl ShelterForm {
    /// A new shelter: active, open day and night.
    pub(crate) fn blank() -> Self {
        let mut values = BTreeMap::new();
        values.insert(ShelterField::Hours, ALWAYS.to_string());
        values.insert(ShelterField::Active, "yes".to_string());
        Self {
            id: ShelterId::random(),
            new: true,
            values,
        }
    }

    /// The form of `shelter` as the draft holds it.
    pub(crate) fn of(shelter: &Shelter) -> Self {
        use ShelterField as F;
        let mut values = BTreeMap::new();
        let mut put = |f: F, v: String| {
            values.insert(f, v);
        };
        put(F::Name, shelter.name.clone());
        put(
            F::Kind,
            binhan_core::model::Coded::code(&shelter.kind).into(),
        );
        put(F::Commune, shelter.commune.clone());
        put(F::Latitude, shelter.location.lat.to_string());
        put(F::Longitude, shelter.location.lon.to_string());
        put(F::Capacity, shelter.capacity.to_string());
        put(F::Accepts, codes(&shelter.accepts));
        put(F::Accessibility, codes(&shelter.accessibility));
        put(F::Languages, codes(&shelter.languages));
        match shelter.hours {
            ShelterHours::Always => put(F::Hours, ALWAYS.into()),
            ShelterHours::Daily { from, to } => {
                put(F::Hours, DAILY.into());
                put(F::OpensAt, from.format("%H:%M").to_string());
                put(F::ClosesAt, to.format("%H:%M").to_string());
            }
        }
        put(
            F::ContactName,
            shelter.contact.name.clone().unwrap_or_default(),
        );
        put(
            F::ContactPhone,
            shelter.contact.phone.clone().unwrap_or_default(),
        );
        put(
            F::HostDevice,
            shelter
                .host_device
                .map(|d: DeviceId| d.to_string())
                .unwrap_or_default(),
        );
        put(F::Active, if shelter.active { "yes" } else { "no" }.into());
        let met: Vec<StandardItem> = StandardItem::ALL
            .iter()
            .copied()
            .filter(|i| shelter.checklist.is_met(*i))
            .collect();
        put(F::Checklist, codes(&met));
        if let Some(day) = shelter.checklist.reviewed_on {
            put(F::ReviewedOn, day.format("%Y-%m-%d").to_string());
        }
        Self {
            id: shelter.id,
            new: false,
            values,
        }
    }

    pub(crate) fn get(&self, field: ShelterField) -> &str {
        self.values.get(&field).map_or("", String::as_str)
    }

    /// The codes chosen in a several-of field.
    pub(crate) fn chosen(&self, field: ShelterField) -> Vec<&str> {
        chosen_codes(self.get(field))
    }

    /// Whether `field` is shown (opening and closing times only for daily
    /// hours).
    pub(crate) fn is_shown(&self, field: ShelterField) -> bool {
        match field {
            ShelterField::OpensAt | ShelterField::ClosesAt => {
                self.get(ShelterField::Hours) == DAILY
            }
            _ => true,
        }
    }

    /// Sets a field; false if the value is not one of its choices, or is
    /// far too long.
    pub(crate) fn set(&mut self, field: ShelterField, value: &str) -> bool {
        set_typed(
            &mut self.values,
            field,
            check::kind(field),
            &check::codes(field),
            value,
            400,
        )
    }

    /// Adds or removes one code of a several-of field.
    pub(crate) fn toggle(&mut self, field: ShelterField, code: &str) -> bool {
        toggle_typed(
            &mut self.values,
            field,
            check::kind(field),
            &check::codes(field),
            code,
        )
    }
}

/// The codes chosen in a several-of field's value.
pub(crate) fn chosen_codes(value: &str) -> Vec<&str> {
    value.split(',').filter(|c| !c.is_empty()).collect()
}

/// Sets a field of a registry form (entered as `kind`, a choice among
/// `codes`); false if the value is not one of its choices, or is longer
/// than `max_chars`.
pub(crate) fn set_typed<F: Ord>(
    values: &mut BTreeMap<F, String>,
    field: F,
    kind: check::Kind,
    codes: &[&str],
    value: &str,
    max_chars: usize,
) -> bool {
    let value = value.trim_end_matches(['\r', '\n']);
    match kind {
        check::Kind::Multi => return false,
        check::Kind::Choice | check::Kind::YesNo
            if !value.is_empty() && !codes.contains(&value) =>
        {
            return false
        }
        _ if value.chars().count() > max_chars => return false,
        _ => {}
    }
    values.insert(field, value.to_string());
    true
}

/// Adds or removes one code of a several-of field of a registry form.
pub(crate) fn toggle_typed<F: Ord + Copy>(
    values: &mut BTreeMap<F, String>,
    field: F,
    kind: check::Kind,
    codes: &[&str],
    code: &str,
) -> bool {
    if kind != check::Kind::Multi || !codes.contains(&code) {
        return false;
    }
    let held = values.get(&field).map_or("", String::as_str);
    let mut chosen: Vec<String> = chosen_codes(held).into_iter().map(String::from).collect();
    match chosen.iter().position(|c| c == code) {
        Some(i) => {
            chosen.remove(i);
        }
        None => chosen.push(code.to_string()),
    }
    values.insert(field, chosen.join(","));
    true
}

/// One emergency number as typed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct NumberRow {
    pub(crate) kind: String,
    pub(crate) name: String,
    pub(crate) phone: String,
}

/// Most numbers the form takes (core's limit).
pub(crate) const MAX_ROWS: usize = binhan_core::shelters::MAX_CONTACTS_PER_COMMUNE;

/// A commune's numbers as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NumbersForm {
    pub(crate) commune: String,
    pub(crate) rows: Vec<NumberRow>,
}

impl NumbersForm {
    /// The form of `commune` with the numbers the draft lists.
    pub(crate) fn of(commune: &str, held: Option<&CommuneContacts>) -> Self {
        let rows = held
            .map(|c| {
                c.contacts
                    .iter()
                    .map(|n| NumberRow {
                        kind: binhan_core::model::Coded::code(&n.kind).to_string(),
                        name: n.name.clone(),
                        phone: n.phone.clone(),
                    })
                    .collect()
            })
            .unwrap_or_default();
        Self {
            commune: commune.to_string(),
            rows,
        }
    }

    /// Sets a field of a row; false if there is no such row or the kind is
    /// not one.
    pub(crate) fn set(&mut self, row: u32, field: NumberField, value: &str) -> bool {
        let Some(slot) = self.rows.get_mut(row as usize) else {
            return false;
        };
        let value: String = value
            .trim_end_matches(['\r', '\n'])
            .chars()
            .take(200)
            .collect();
        match field {
            NumberField::Kind => {
                if !value.is_empty() && !check::contact_kinds().contains(&value.as_str()) {
                    return false;
                }
                slot.kind = value;
            }
            NumberField::Name => slot.name = value,
            NumberField::Phone => slot.phone = value,
        }
        true
    }
}

/// The registry's state while the app is unlocked.
#[derive(Debug, Default)]
pub(crate) struct RegistryState {
    /// The shelter form on screen.
    pub(crate) shelter: Option<ShelterForm>,
    /// The numbers form on screen.
    pub(crate) numbers: Option<NumbersForm>,
    /// The organisation form on screen.
    pub(crate) organisation: Option<organisation::OrganisationForm>,
    /// The seed typed on the publish screen (wiped when dropped).
    pub(crate) seed: Zeroizing<String>,
    /// Why the seed was refused.
    pub(crate) seed_problem: Option<check::Problem>,
    /// Why the last publication failed (shown until the next attempt).
    pub(crate) publish_error: Option<crate::text::Why>,
}
