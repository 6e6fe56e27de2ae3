//! The service directory in the registry: the organisations that receive
//! referrals (a health station, the police, legal aid…), each with the
//! services it gives, the communes it serves, when it answers, its
//! languages, its number and the devices enrolled for it. The officer adds
//! and edits them in the same draft as the shelters; publishing signs both.
//! A referral is sealed to the devices listed here, so an organisation
//! without one receives none (the form says so).

use super::check::{Kind, Problem};
use super::text::L;
use super::view::{one_of, to_correct};
use super::{chosen_codes, set_typed, toggle_typed, RegistryEvent};
use crate::event::Event;
use crate::screens::intake::FieldKind;
use crate::text::pick;
use crate::view::{Action, Choice, Reason};
use binhan_core::model::validate::{phone, required_text};
use binhan_core::model::{commune, Coded, DeviceId, Lang, ServiceType, COMMUNES};
use binhan_core::referrals::{
    takes_referrals, OrganisationId, Sector, ServiceOrganisation, MAX_ORGANISATION_DEVICES,
};
use binhan_core::shelters::{Language, RegistryDraft};
use binhan_core::{Error, Rule};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A field of the organisation form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum OrganisationField {
    /// Its name.
    Name,
    /// Its agency.
    Sector,
    /// The services it gives.
    Services,
    /// The communes it serves.
    Communes,
    /// When it answers.
    Hours,
    /// Languages spoken there.
    Languages,
    /// The number to call.
    Phone,
    /// The devices enrolled for it (ids).
    Devices,
}

/// The fields, in order.
const FIELDS: [OrganisationField; 8] = [
    OrganisationField::Name,
    OrganisationField::Sector,
    OrganisationField::Services,
    OrganisationField::Communes,
    OrganisationField::Hours,
    OrganisationField::Languages,
    OrganisationField::Phone,
    OrganisationField::Devices,
];

/// Most characters a field takes (twenty device ids with separators).
const MAX_CHARS: usize = 1_000;

impl OrganisationField {
    fn kind(self) -> Kind {
        use OrganisationField as F;
        match self {
            F::Sector => Kind::Choice,
            F::Services | F::Communes | F::Languages => Kind::Multi,
            _ => Kind::Text,
        }
    }

    /// The codes a choice takes, with their labels.
    fn options(self, lang: Lang) -> Vec<(&'static str, String)> {
        fn labelled<T: Coded>(
            keep: impl Fn(&T) -> bool,
            lang: Lang,
        ) -> Vec<(&'static str, String)> {
            T::ALL
                .iter()
                .filter(|v| keep(v))
                .map(|v| (v.code(), v.label(lang).to_string()))
                .collect()
        }
        use OrganisationField as F;
        match self {
            F::Sector => labelled::<Sector>(|_| true, lang),
            // Places in a shelter are asked of its host, not referred.
            F::Services => labelled::<ServiceType>(|s| takes_referrals(*s), lang),
            F::Languages => labelled::<Language>(|_| true, lang),
            F::Communes => COMMUNES
                .iter()
                .map(|c| (c.code, c.name.to_string()))
                .collect(),
            _ => Vec::new(),
        }
    }

    fn codes(self) -> Vec<&'static str> {
        self.options(Lang::En).into_iter().map(|(c, _)| c).collect()
    }

    fn required(self) -> bool {
        !matches!(
            self,
            OrganisationField::Languages | OrganisationField::Devices
        )
    }

    fn label(self, lang: Lang) -> String {
        use OrganisationField as F;
        let (vi, en) = match self {
            F::Name => ("Tên cơ quan, tổ chức", "Name of the organisation"),
            F::Sector => ("Ngành", "Sector"),
            F::Services => ("Dịch vụ nhận chuyển gửi", "Services it takes referrals for"),
            F::Communes => ("Các xã được phục vụ", "Communes it serves"),
            F::Hours => ("Giờ làm việc", "When it answers"),
            F::Languages => ("Ngôn ngữ sử dụng", "Languages spoken"),
            F::Phone => ("Số điện thoại", "Phone number"),
            F::Devices => (
                "Mã các máy nhận chuyển gửi",
                "Ids of the devices that receive referrals",
            ),
        };
        pick(lang, vi, en)
    }

    fn help(self, lang: Lang) -> Option<String> {
        use OrganisationField as F;
        let (vi, en) = match self {
            F::Hours => ("Ví dụ: 7:00–17:00, thứ Hai–thứ Sáu", "For example: 7:00–17:00, Monday–Friday"),
            F::Phone => ("Chỉ chữ số, có thể bắt đầu bằng +", "Digits only, may start with +"),
            F::Devices => (
                "Mã máy (32 chữ số hệ mười sáu) như trong danh sách thiết bị, cách nhau bằng dấu phẩy; hồ sơ chuyển gửi chỉ đến các máy này",
                "Device ids (32 hexadecimal digits) as the devices list shows them, separated by commas; referrals reach only these devices",
            ),
            _ => return None,
        };
        Some(pick(lang, vi, en))
    }
}

/// The organisation form as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct OrganisationForm {
    /// The organisation's id (new: a random one).
    pub(crate) id: OrganisationId,
    /// Whether it is a new organisation.
    pub(crate) new: bool,
    values: BTreeMap<OrganisationField, String>,
}

fn codes_of<T: Coded>(list: &[T]) -> String {
    list.iter().map(|v| v.code()).collect::<Vec<_>>().join(",")
}

/// Problems by field.
pub(crate) type OrganisationProblems = Vec<(OrganisationField, Problem)>;

impl OrganisationForm {
    /// A new organisation.
    pub(crate) fn blank() -> Self {
        Self {
            id: OrganisationId::random(),
            new: true,
            values: BTreeMap::new(),
        }
    }

    /// The form of `organisation` as the draft holds it.
    pub(crate) fn of(organisation: &ServiceOrganisation) -> Self {
        use OrganisationField as F;
        let devices: Vec<String> = organisation.devices.iter().map(|d| d.to_string()).collect();
        let values = BTreeMap::from([
            (F::Name, organisation.name.clone()),
            (F::Sector, organisation.sector.code().to_string()),
            (F::Services, codes_of(&organisation.services)),
            (F::Communes, organisation.communes.join(",")),
            (F::Hours, organisation.hours.clone()),
            (F::Languages, codes_of(&organisation.languages)),
            (F::Phone, organisation.phone.clone()),
            (F::Devices, devices.join(", ")),
        ]);
        Self {
            id: organisation.id,
            new: false,
            values,
        }
    }

    fn get(&self, field: OrganisationField) -> &str {
        self.values.get(&field).map_or("", String::as_str)
    }

    fn chosen<T: Coded>(&self, field: OrganisationField) -> Vec<T> {
        chosen_codes(self.get(field))
            .into_iter()
            .filter_map(T::from_code)
            .collect()
    }

    /// Sets a field; false if the value is not one of its choices, or is
    /// far too long.
    pub(crate) fn set(&mut self, field: OrganisationField, value: &str) -> bool {
        set_typed(
            &mut self.values,
            field,
            field.kind(),
            &field.codes(),
            value,
            MAX_CHARS,
        )
    }

    /// Adds or removes one code of a several-of field.
    pub(crate) fn toggle(&mut self, field: OrganisationField, code: &str) -> bool {
        toggle_typed(&mut self.values, field, field.kind(), &field.codes(), code)
    }

    /// Reads the form into core's organisation, or gives every problem at
    /// once, each by core's own rule for its field.
    pub(crate) fn read(&self) -> Result<ServiceOrganisation, OrganisationProblems> {
        use OrganisationField as F;
        let mut problems = OrganisationProblems::new();
        let mut note = |field, result: binhan_core::Result<()>| {
            if let Err(e) = result {
                problems.push((field, problem(e)));
            }
        };
        note(F::Name, required_text("name", self.get(F::Name), 120));
        note(F::Hours, required_text("hours", self.get(F::Hours), 120));
        note(F::Phone, phone("phone", self.get(F::Phone).trim(), false));
        let sector = Sector::from_code(self.get(F::Sector));
        for (field, empty) in [
            (F::Sector, sector.is_none()),
            (F::Services, chosen_codes(self.get(F::Services)).is_empty()),
            (F::Communes, chosen_codes(self.get(F::Communes)).is_empty()),
        ] {
            note(
                field,
                if empty {
                    Err(Error::invalid("", Rule::Required))
                } else {
                    Ok(())
                },
            );
        }
        let mut devices = Vec::new();
        for text in self
            .get(F::Devices)
            .split(|c: char| c == ',' || c.is_whitespace())
            .filter(|t| !t.is_empty())
        {
            match text.parse::<DeviceId>() {
                Ok(id) if !devices.contains(&id) => devices.push(id),
                Ok(_) => {}
                Err(_) => problems.push((F::Devices, Problem::BadDeviceId)),
            }
        }
        if devices.len() > MAX_ORGANISATION_DEVICES {
            let max = MAX_ORGANISATION_DEVICES as u64;
            problems.push((F::Devices, Problem::Rule(Rule::TooMany { max })));
        }
        let organisation = ServiceOrganisation {
            id: self.id,
            name: self.get(F::Name).trim().to_string(),
            sector: sector.unwrap_or(Sector::Health),
            services: self.chosen(F::Services),
            communes: chosen_codes(self.get(F::Communes))
                .into_iter()
                .map(String::from)
                .collect(),
            hours: self.get(F::Hours).trim().to_string(),
            languages: self.chosen(F::Languages),
            phone: self.get(F::Phone).trim().to_string(),
            devices,
        };
        if problems.is_empty() {
            // Core's checks whole: what it refuses is shown by its field.
            if let Err(e) = organisation.validate() {
                let field = match &e {
                    Error::Invalid { field, .. } => field_of(field),
                    _ => F::Name,
                };
                problems.push((field, problem(e)));
            }
        }
        if problems.is_empty() {
            Ok(organisation)
        } else {
            Err(problems)
        }
    }
}

/// A core error as a form problem.
fn problem(error: Error) -> Problem {
    match error {
        Error::Invalid {
            rule: Rule::Required,
            ..
        }
        | Error::Invalid {
            rule: Rule::Empty, ..
        } => Problem::Required,
        Error::Invalid { rule, .. } => Problem::Rule(rule),
        _ => Problem::Rule(Rule::NotInList),
    }
}

/// The field a core error's path names.
fn field_of(path: &str) -> OrganisationField {
    use OrganisationField as F;
    match path.rsplit('.').next().unwrap_or("") {
        "sector" => F::Sector,
        "services" => F::Services,
        "communes" => F::Communes,
        "hours" => F::Hours,
        "languages" => F::Languages,
        "phone" => F::Phone,
        "devices" => F::Devices,
        _ => F::Name,
    }
}

/// One field of the organisation form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct OrganisationFieldView {
    /// Which field (send it back in `RegistryEvent::SetOrganisation`).
    pub field: OrganisationField,
    /// Its label.
    pub label: String,
    /// A help line, if any.
    pub help: Option<String>,
    /// How it is entered.
    pub kind: FieldKind,
    /// The text as entered (codes for choices).
    pub value: String,
    /// Whether it must be filled.
    pub required: bool,
    /// What is wrong with it (every field's problem is shown at once).
    pub error: Option<Reason>,
}

/// The organisation form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct OrganisationFormView {
    /// Whether it adds an organisation (else edits one).
    pub new: bool,
    /// The fields, in order.
    pub fields: Vec<OrganisationFieldView>,
    /// "No device listed: referrals reach this organisation only once one
    /// is", while none is.
    pub no_device: Option<String>,
    /// Save to the draft; disabled with the count of problems.
    pub save: Action,
}

/// One organisation of the registry's list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct RegistryOrganisationRow {
    /// Its name.
    pub title: String,
    /// Sector, services, communes served, devices.
    pub subtitle: String,
    /// Edit it.
    pub edit: Action,
}

fn registry(event: RegistryEvent) -> Event {
    Event::Registry(event)
}

fn field_view(
    form: &OrganisationForm,
    field: OrganisationField,
    problems: &OrganisationProblems,
    lang: Lang,
) -> OrganisationFieldView {
    let set = |value| registry(RegistryEvent::SetOrganisation { field, value });
    let options = || field.options(lang).into_iter();
    let kind = match field.kind() {
        Kind::Choice => FieldKind::Choice {
            options: options()
                .map(|(code, label)| one_of(form.get(field) == code, code, label, set))
                .collect(),
        },
        Kind::Multi => {
            let chosen = chosen_codes(form.get(field));
            FieldKind::MultiChoice {
                options: options()
                    .map(|(code, label)| Choice {
                        label,
                        selected: chosen.contains(&code),
                        event: registry(RegistryEvent::ToggleOrganisation {
                            field,
                            code: code.to_string(),
                        }),
                    })
                    .collect(),
            }
        }
        _ => FieldKind::Text {
            multiline: field == OrganisationField::Devices,
            max_chars: if field == OrganisationField::Devices {
                MAX_CHARS as u32
            } else {
                120
            },
        },
    };
    OrganisationFieldView {
        field,
        label: field.label(lang),
        help: field.help(lang),
        kind,
        value: form.get(field).to_string(),
        required: field.required(),
        error: problems
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, p)| p.reason(lang)),
    }
}

/// The organisation form on screen.
pub(crate) fn form_view(form: &OrganisationForm, lang: Lang) -> OrganisationFormView {
    let problems = form.read().err().unwrap_or_default();
    let no_device = form.get(OrganisationField::Devices).trim().is_empty();
    OrganisationFormView {
        new: form.new,
        fields: FIELDS
            .iter()
            .map(|f| field_view(form, *f, &problems, lang))
            .collect(),
        no_device: no_device.then(|| L::NoOrganisationDevice.get(lang)),
        save: Action::new(L::Save.get(lang), registry(RegistryEvent::SaveOrganisation))
            .unless(to_correct(problems.len(), lang)),
    }
}

/// The draft's organisations, by name.
pub(crate) fn rows(draft: &RegistryDraft, lang: Lang) -> Vec<RegistryOrganisationRow> {
    let mut list: Vec<&ServiceOrganisation> = draft.services.iter().collect();
    list.sort_by(|a, b| a.name.cmp(&b.name));
    list.into_iter()
        .map(|o| {
            let services: Vec<&str> = o.services.iter().map(|s| s.label(lang)).collect();
            let communes: Vec<String> = o
                .communes
                .iter()
                .map(|c| commune(c).map_or_else(|| c.clone(), |c| c.name.to_string()))
                .collect();
            RegistryOrganisationRow {
                title: o.name.clone(),
                subtitle: format!(
                    "{} · {} · {} · {}",
                    o.sector.label(lang),
                    services.join(", "),
                    communes.join(", "),
                    L::Devices(o.devices.len()).get(lang)
                ),
                edit: Action::new(
                    format!("{} — {}", L::Edit.get(lang), o.name),
                    registry(RegistryEvent::EditOrganisation {
                        id: o.id.to_string(),
                    }),
                ),
            }
        })
        .collect()
}

#[cfg(test)]
#[path = "organisation_tests.rs"]
mod tests;
