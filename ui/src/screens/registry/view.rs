//! The registry's screens as the shells draw them: the list with each
//! commune's coverage, the shelter form, a commune's numbers, and what
//! publishing changes.

use super::check::{self, Kind, NumberProblems, Problem};
use super::text::L;
use super::{
    NumberField, NumbersForm, RegistryEvent, ShelterField, ShelterForm, ALWAYS, DAILY, MAX_ROWS,
    SHELTER_FIELDS,
};
use crate::event::Event;
use crate::screens::intake::FieldKind;
use crate::text::Why;
use crate::view::{Action, Choice, Reason};
use binhan_core::app::SigningKeyInfo;
use binhan_core::model::{commune, Coded, Lang, COMMUNES};
use binhan_core::shelters::{
    AcceptedGroup, Accessibility, ContactKind, Language, RegistryChanges, RegistryDraft,
    ShelterDirectory, ShelterKind, StandardItem,
};
use chrono::DateTime;
use serde::Serialize;

fn registry(event: RegistryEvent) -> Event {
    Event::Registry(event)
}

/// The commune's name, or its code if it is not one.
fn commune_name(code: &str) -> String {
    commune(code).map_or_else(|| code.to_string(), |c| c.name.to_string())
}

/// The registry's first screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct RegistryView {
    /// "Directory on this device: version 3".
    pub held: String,
    /// "Draft: 2 changes not yet published", or none waiting.
    pub pending: String,
    /// "Standardised shelters in the province: 1 (target at least 5)".
    pub standardised: String,
    /// "37 communes have no active shelter", or every one has.
    pub without: String,
    /// Add a shelter, review and publish, discard the draft.
    pub actions: Vec<Action>,
    /// "Shelters".
    pub shelters_label: String,
    /// The draft's shelters, by commune then name.
    pub shelters: Vec<RegistryShelterRow>,
    /// "No shelters yet".
    pub no_shelters: Option<String>,
    /// "Coverage by commune".
    pub coverage_label: String,
    /// Column headings: commune, shelters, standardised, emergency numbers.
    pub columns: Vec<String>,
    /// Every commune of the province, in the draft.
    pub communes: Vec<CommuneRow>,
    /// "Referral organisations (service directory)".
    pub organisations_label: String,
    /// The draft's organisations, by name.
    pub organisations: Vec<super::RegistryOrganisationRow>,
    /// "No referral organisations yet".
    pub no_organisations: Option<String>,
}

/// One shelter of the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct RegistryShelterRow {
    /// Its name.
    pub title: String,
    /// Kind, commune, places, checklist items met.
    pub subtitle: String,
    /// Whether it is active and meets the whole checklist.
    pub standardised: bool,
    /// "Not taking people in", when inactive.
    pub inactive: Option<String>,
    /// Edit it.
    pub edit: Action,
}

/// One commune's line of coverage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CommuneRow {
    /// Its code.
    pub code: String,
    /// Its name.
    pub name: String,
    /// Active shelters.
    pub shelters: u32,
    /// Active standardised shelters.
    pub standardised: u32,
    /// "2 numbers".
    pub numbers: String,
    /// Whether it has no active shelter (the plan asks for one each).
    pub without_shelter: bool,
    /// Edit its emergency numbers.
    pub edit_numbers: Action,
}

/// Whether `changes` holds anything, as a reason when not.
fn nothing_to_publish(changes: &RegistryChanges, lang: Lang) -> Option<Reason> {
    changes
        .is_empty()
        .then(|| Reason::new("nothing_to_publish", L::NothingToPublish.get(lang)))
}

fn change_count(c: &RegistryChanges) -> usize {
    c.added.len()
        + c.edited.len()
        + c.numbers_changed.len()
        + c.numbers_withdrawn.len()
        + c.organisations.len()
}

/// The registry from the draft and the directory held.
pub(crate) fn registry_view(
    draft: &RegistryDraft,
    held: Option<&ShelterDirectory>,
    lang: Lang,
) -> RegistryView {
    let changes = draft.changes(held);
    let coverage =
        ShelterDirectory::new(0, DateTime::UNIX_EPOCH, draft.shelters.clone()).coverage();
    let mut shelters: Vec<_> = draft.shelters.iter().collect();
    shelters.sort_by(|a, b| (&a.commune, &a.name).cmp(&(&b.commune, &b.name)));
    let of = StandardItem::ALL.len();
    let blocked = nothing_to_publish(&changes, lang);
    RegistryView {
        held: L::Held(held.map(|d| d.version)).get(lang),
        pending: if changes.is_empty() {
            L::NoPending.get(lang)
        } else {
            L::Pending(change_count(&changes)).get(lang)
        },
        standardised: L::Standardised(coverage.standardised_in_province).get(lang),
        without: match coverage.communes_without_active_shelter.len() {
            0 => L::AllCovered.get(lang),
            n => L::WithoutShelter(n).get(lang),
        },
        actions: vec![
            Action::new(L::AddShelter.get(lang), registry(RegistryEvent::NewShelter)),
            Action::new(L::Publish.get(lang), registry(RegistryEvent::OpenPublish)),
            Action::new(L::Discard.get(lang), registry(RegistryEvent::DiscardDraft))
                .unless(blocked),
            Action::new(
                L::AddOrganisation.get(lang),
                registry(RegistryEvent::NewOrganisation),
            ),
        ],
        shelters_label: L::SheltersHeading.get(lang),
        no_shelters: shelters.is_empty().then(|| L::NoShelters.get(lang)),
        shelters: shelters
            .into_iter()
            .map(|s| RegistryShelterRow {
                title: s.name.clone(),
                subtitle: L::ShelterRow {
                    kind: s.kind.label(lang).to_string(),
                    commune: commune_name(&s.commune),
                    capacity: s.capacity,
                    met: of - s.checklist.missing().len(),
                    of,
                }
                .get(lang),
                standardised: s.active && s.is_standardised(),
                inactive: (!s.active).then(|| L::Inactive.get(lang)),
                edit: Action::new(
                    format!("{} — {}", L::Edit.get(lang), s.name),
                    registry(RegistryEvent::EditShelter {
                        id: s.id.to_string(),
                    }),
                ),
            })
            .collect(),
        coverage_label: L::CoverageHeading.get(lang),
        columns: vec![
            L::Commune.get(lang),
            L::Shelters.get(lang),
            L::StandardisedColumn.get(lang),
            L::Numbers.get(lang),
        ],
        communes: coverage
            .communes
            .iter()
            .map(|c| CommuneRow {
                code: c.commune.clone(),
                name: c.name.clone(),
                shelters: c.active,
                standardised: c.standardised,
                numbers: L::NumbersCount(
                    draft
                        .contacts_of(&c.commune)
                        .map_or(0, |n| n.contacts.len()),
                )
                .get(lang),
                without_shelter: c.active == 0,
                edit_numbers: Action::new(
                    format!("{} — {}", L::EditNumbers.get(lang), c.name),
                    registry(RegistryEvent::EditNumbers {
                        commune: c.commune.clone(),
                    }),
                ),
            })
            .collect(),
        organisations_label: L::OrganisationsHeading.get(lang),
        organisations: super::organisation::rows(draft, lang),
        no_organisations: draft
            .services
            .is_empty()
            .then(|| L::NoOrganisations.get(lang)),
    }
}

/// One field of the shelter form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ShelterFieldView {
    /// Which field (send it back in `RegistryEvent::SetShelter`).
    pub field: ShelterField,
    /// Its label.
    pub label: String,
    /// A help line, if any.
    pub help: Option<String>,
    /// How it is entered.
    pub kind: FieldKind,
    /// The text as entered (a code for choices).
    pub value: String,
    /// Whether it must be filled.
    pub required: bool,
    /// What is wrong with it (every field's problem is shown at once).
    pub error: Option<Reason>,
}

/// The shelter form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ShelterFormView {
    /// Whether it adds a shelter (else edits one).
    pub new: bool,
    /// The fields shown, in order.
    pub fields: Vec<ShelterFieldView>,
    /// Save to the draft; disabled with the count of problems.
    pub save: Action,
}

fn labelled<T: Coded>(lang: Lang) -> Vec<(&'static str, String)> {
    T::ALL
        .iter()
        .map(|v| (v.code(), v.label(lang).to_string()))
        .collect()
}

fn options(field: ShelterField, lang: Lang) -> Vec<(&'static str, String)> {
    use ShelterField as F;
    match field {
        F::Kind => labelled::<ShelterKind>(lang),
        F::Commune => COMMUNES
            .iter()
            .map(|c| (c.code, c.name.to_string()))
            .collect(),
        F::Accepts => labelled::<AcceptedGroup>(lang),
        F::Accessibility => labelled::<Accessibility>(lang),
        F::Languages => labelled::<Language>(lang),
        F::Checklist => labelled::<StandardItem>(lang),
        F::Hours => vec![(ALWAYS, L::Always.get(lang)), (DAILY, L::Daily.get(lang))],
        F::Active => vec![("yes", L::Yes.get(lang)), ("no", L::No.get(lang))],
        _ => Vec::new(),
    }
}

/// A one-of choice: tapping the chosen one again clears it.
pub(super) fn one_of(
    selected: bool,
    code: &str,
    label: String,
    event: impl Fn(String) -> Event,
) -> Choice {
    Choice {
        label,
        selected,
        event: event(if selected {
            String::new()
        } else {
            code.to_string()
        }),
    }
}

fn shelter_field(
    form: &ShelterForm,
    field: ShelterField,
    problems: &check::ShelterProblems,
    lang: Lang,
) -> ShelterFieldView {
    let set = |value| registry(RegistryEvent::SetShelter { field, value });
    let options = || options(field, lang).into_iter();
    let kind = match check::kind(field) {
        Kind::Text => FieldKind::Text {
            multiline: false,
            max_chars: 120,
        },
        Kind::Number => FieldKind::Number,
        Kind::Date => FieldKind::Date,
        Kind::Choice => FieldKind::Choice {
            options: options()
                .map(|(code, label)| one_of(form.get(field) == code, code, label, set))
                .collect(),
        },
        Kind::YesNo => FieldKind::YesNo {
            options: options()
                .map(|(code, label)| one_of(form.get(field) == code, code, label, set))
                .collect(),
        },
        Kind::Multi => {
            let chosen = form.chosen(field);
            FieldKind::MultiChoice {
                options: options()
                    .map(|(code, label)| Choice {
                        label,
                        selected: chosen.contains(&code),
                        event: registry(RegistryEvent::ToggleShelter {
                            field,
                            code: code.to_string(),
                        }),
                    })
                    .collect(),
            }
        }
    };
    use ShelterField as F;
    ShelterFieldView {
        field,
        label: field.label(lang),
        help: field.help(lang),
        kind,
        value: form.get(field).to_string(),
        required: !matches!(
            field,
            F::Accessibility
                | F::ContactName
                | F::ContactPhone
                | F::HostDevice
                | F::Checklist
                | F::ReviewedOn
        ),
        error: problems
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, p)| p.reason(lang)),
    }
}

/// Why saving is not possible yet: the count of fields to correct.
pub(super) fn to_correct(count: usize, lang: Lang) -> Option<Reason> {
    (count > 0).then(|| {
        Reason::new(
            Why::FormHasErrors.code(),
            crate::screens::casework::text::D::ToCorrect(count).get(lang),
        )
    })
}

/// The shelter form on screen.
pub(crate) fn shelter_form_view(form: &ShelterForm, lang: Lang) -> ShelterFormView {
    let problems = check::shelter(form).err().unwrap_or_default();
    ShelterFormView {
        new: form.new,
        fields: SHELTER_FIELDS
            .iter()
            .filter(|f| form.is_shown(**f))
            .map(|f| shelter_field(form, *f, &problems, lang))
            .collect(),
        save: Action::new(L::Save.get(lang), registry(RegistryEvent::SaveShelter))
            .unless(to_correct(problems.len(), lang)),
    }
}

/// One field of a number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct NumberFieldView {
    /// Which field (send it back in `RegistryEvent::SetNumber`).
    pub field: NumberField,
    /// Its label.
    pub label: String,
    /// How it is entered.
    pub kind: FieldKind,
    /// The text as entered.
    pub value: String,
    /// What is wrong with it.
    pub error: Option<Reason>,
}

/// One number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct NumberRowView {
    /// "Number 1".
    pub title: String,
    /// Its row, from 0.
    pub row: u32,
    /// Who answers, whom to ask for, the number.
    pub fields: Vec<NumberFieldView>,
    /// Remove it.
    pub remove: Action,
}

/// A commune's emergency numbers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct NumbersView {
    /// The commune's code.
    pub commune: String,
    /// How a number is written.
    pub help: String,
    /// "No numbers: saving withdraws them", when there are none.
    pub empty: Option<String>,
    /// The numbers.
    pub rows: Vec<NumberRowView>,
    /// Problems of the list as a whole (the same number twice).
    pub errors: Vec<Reason>,
    /// Add a number (disabled at the most a commune may list).
    pub add: Action,
    /// Save to the draft; disabled with the count of problems.
    pub save: Action,
}

/// The numbers form on screen.
pub(crate) fn numbers_view(form: &NumbersForm, lang: Lang) -> NumbersView {
    let problems: NumberProblems = check::numbers(form).err().unwrap_or_default();
    let error = |row: usize, field| {
        problems
            .rows
            .iter()
            .find(|(r, f, _)| *r == row && *f == field)
            .map(|(_, _, p)| p.reason(lang))
    };
    let kinds = labelled::<ContactKind>(lang);
    NumbersView {
        commune: form.commune.clone(),
        help: L::NumberHelp.get(lang),
        empty: form.rows.is_empty().then(|| L::NoNumbers.get(lang)),
        rows: form
            .rows
            .iter()
            .enumerate()
            .map(|(i, row)| {
                let r = u32::try_from(i).unwrap_or(u32::MAX);
                let set = |field| {
                    move |value| {
                        registry(RegistryEvent::SetNumber {
                            row: r,
                            field,
                            value,
                        })
                    }
                };
                let text = |field: NumberField, value: &str| NumberFieldView {
                    field,
                    label: field.label(lang),
                    kind: FieldKind::Text {
                        multiline: false,
                        max_chars: 120,
                    },
                    value: value.to_string(),
                    error: error(i, field),
                };
                NumberRowView {
                    title: L::NumberRow(i + 1).get(lang),
                    row: r,
                    fields: vec![
                        NumberFieldView {
                            field: NumberField::Kind,
                            label: NumberField::Kind.label(lang),
                            kind: FieldKind::Choice {
                                options: kinds
                                    .iter()
                                    .map(|(code, label)| {
                                        one_of(
                                            row.kind == *code,
                                            code,
                                            label.clone(),
                                            set(NumberField::Kind),
                                        )
                                    })
                                    .collect(),
                            },
                            value: row.kind.clone(),
                            error: error(i, NumberField::Kind),
                        },
                        text(NumberField::Name, &row.name),
                        text(NumberField::Phone, &row.phone),
                    ],
                    remove: Action::new(
                        L::RemoveNumber.get(lang),
                        registry(RegistryEvent::RemoveNumber { row: r }),
                    ),
                }
            })
            .collect(),
        errors: problems
            .list
            .iter()
            .map(|p: &Problem| p.reason(lang))
            .collect(),
        add: Action::new(L::AddNumber.get(lang), registry(RegistryEvent::AddNumber)).unless(
            (form.rows.len() >= MAX_ROWS).then(|| {
                Reason::new(
                    "too_many",
                    crate::text::sentence(
                        binhan_core::Rule::TooMany {
                            max: MAX_ROWS as u64,
                        }
                        .text(lang),
                    ),
                )
            }),
        ),
        save: Action::new(L::Save.get(lang), registry(RegistryEvent::SaveNumbers))
            .unless(to_correct(problems.count(), lang)),
    }
}

/// One kind of change, listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ChangeSection {
    /// Stable code: `added`, `edited`, `numbers_changed`, `numbers_withdrawn`.
    pub code: String,
    /// Its heading.
    pub title: String,
    /// What changed (shelter or commune names).
    pub items: Vec<String>,
    /// "None", when nothing of this kind changed.
    pub empty: Option<String>,
}

/// What publishing changes, and the key that signs it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct PublishView {
    /// "Version 4, an update from version 3".
    pub version: String,
    /// Added and edited shelters, changed and withdrawn numbers.
    pub sections: Vec<ChangeSection>,
    /// "Provincial signing key, fingerprint: 3F2A …", when the vault holds it.
    pub key: Option<String>,
    /// That the key stays sealed in the vault.
    pub key_help: String,
    /// "This vault holds no provincial signing key yet".
    pub no_key: Option<String>,
    /// Generate the key (without one).
    pub generate: Option<Action>,
    /// The seed field's label (without a key).
    pub seed_label: Option<String>,
    /// Its help line.
    pub seed_help: Option<String>,
    /// Characters typed in it (the seed never comes back).
    pub seed_filled: u32,
    /// What is wrong with the seed typed.
    pub seed_error: Option<Reason>,
    /// Keep the key of the seed typed.
    pub save_seed: Option<Action>,
    /// "Publishing…", while the upload runs.
    pub running: Option<String>,
    /// Why the last attempt failed.
    pub error: Option<Reason>,
    /// Sign and publish; disabled with the reason.
    pub confirm: Action,
}

/// What the publish screen needs to know.
pub(crate) struct PublishFacts<'a> {
    pub(crate) changes: &'a RegistryChanges,
    pub(crate) version: u64,
    pub(crate) held: Option<u64>,
    pub(crate) key: Option<&'a SigningKeyInfo>,
    pub(crate) seed_filled: u32,
    pub(crate) seed_problem: Option<&'a Problem>,
    pub(crate) running: bool,
    pub(crate) error: Option<Why>,
}

/// The publish screen.
pub(crate) fn publish_view(f: PublishFacts<'_>, lang: Lang) -> PublishView {
    let names =
        |list: &[binhan_core::shelters::Shelter]| list.iter().map(|s| s.name.clone()).collect();
    let communes = |list: &[String]| list.iter().map(|c| commune_name(c)).collect();
    let section = |code: &str, title: L, items: Vec<String>| ChangeSection {
        code: code.to_string(),
        title: title.get(lang),
        empty: items.is_empty().then(|| L::Nothing.get(lang)),
        items,
    };
    let no_key = f.key.is_none();
    let blocked = if no_key {
        Some(Reason::new("no_signing_key", L::NoSigningKey.get(lang)))
    } else if f.running {
        Some(Why::SyncRunning.reason(lang))
    } else {
        nothing_to_publish(f.changes, lang)
    };
    PublishView {
        version: L::Version {
            version: f.version,
            from: f.held,
        }
        .get(lang),
        sections: vec![
            section("added", L::Added, names(&f.changes.added)),
            section("edited", L::Edited, names(&f.changes.edited)),
            section(
                "numbers_changed",
                L::NumbersChanged,
                communes(&f.changes.numbers_changed),
            ),
            section(
                "numbers_withdrawn",
                L::NumbersWithdrawn,
                communes(&f.changes.numbers_withdrawn),
            ),
            section(
                "organisations",
                L::OrganisationsChanged,
                f.changes
                    .organisations
                    .iter()
                    .map(|o| o.name.clone())
                    .collect(),
            ),
        ],
        key: f.key.map(|k| L::Key(k.fingerprint.clone()).get(lang)),
        key_help: L::KeyHelp.get(lang),
        no_key: no_key.then(|| L::NoKey.get(lang)),
        generate: no_key
            .then(|| Action::new(L::Generate.get(lang), registry(RegistryEvent::GenerateKey))),
        seed_label: no_key.then(|| L::Seed.get(lang)),
        seed_help: no_key.then(|| L::SeedHelp.get(lang)),
        seed_filled: f.seed_filled,
        seed_error: f.seed_problem.map(|p| p.reason(lang)),
        save_seed: no_key
            .then(|| Action::new(L::SaveSeed.get(lang), registry(RegistryEvent::SaveSeed))),
        running: f.running.then(|| L::Publishing.get(lang)),
        error: f.error.map(|w| w.reason(lang)),
        confirm: Action::new(
            L::Confirm.get(lang),
            registry(RegistryEvent::ConfirmPublish),
        )
        .unless(blocked),
    }
}
