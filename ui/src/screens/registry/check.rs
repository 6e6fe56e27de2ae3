//! Reading the registry's forms: what was typed becomes core's shelter or
//! a commune's numbers, and every problem is found at once — the typing
//! problems here (a number that is not one, a time, a device id), the
//! rest from core's own rules ([`Shelter::problems`],
//! [`CommuneContacts::problems_by_row`]), each shown beside its field.

use super::{NumberField, NumbersForm, ShelterField, ShelterForm, ALWAYS, DAILY};
use crate::text::{pick, sentence};
use crate::view::Reason;
use binhan_core::model::{Coded, DeviceId, Lang, COMMUNES};
use binhan_core::shelters::{
    AcceptedGroup, Accessibility, Checklist, CommuneContacts, ContactKind, EmergencyContact,
    GeoPoint, HostContact, Language, Shelter, ShelterHours, ShelterKind, StandardItem,
};
use binhan_core::{Error, Rule};
use chrono::{NaiveDate, NaiveTime};

/// How a field is entered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Text,
    Number,
    Date,
    Choice,
    Multi,
    YesNo,
}

/// How `field` is entered.
pub(crate) fn kind(field: ShelterField) -> Kind {
    use ShelterField as F;
    match field {
        F::Kind | F::Commune | F::Hours => Kind::Choice,
        F::Accepts | F::Accessibility | F::Languages | F::Checklist => Kind::Multi,
        F::Active => Kind::YesNo,
        F::Latitude | F::Longitude | F::Capacity => Kind::Number,
        F::ReviewedOn => Kind::Date,
        _ => Kind::Text,
    }
}

fn all<T: Coded>() -> Vec<&'static str> {
    T::ALL.iter().map(|v| v.code()).collect()
}

/// The codes a choice takes.
pub(crate) fn codes(field: ShelterField) -> Vec<&'static str> {
    use ShelterField as F;
    match field {
        F::Kind => all::<ShelterKind>(),
        F::Commune => COMMUNES.iter().map(|c| c.code).collect(),
        F::Hours => vec![ALWAYS, DAILY],
        F::Accepts => all::<AcceptedGroup>(),
        F::Accessibility => all::<Accessibility>(),
        F::Languages => all::<Language>(),
        F::Checklist => all::<StandardItem>(),
        F::Active => vec!["yes", "no"],
        _ => Vec::new(),
    }
}

/// The codes of who answers an emergency number.
pub(crate) fn contact_kinds() -> Vec<&'static str> {
    all::<ContactKind>()
}

/// What is wrong with a field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Problem {
    Required,
    NotANumber,
    BadTime,
    BadDate,
    BadDeviceId,
    /// Core's rule.
    Rule(Rule),
}

impl Problem {
    /// Its code and text in `lang`.
    pub(crate) fn reason(&self, lang: Lang) -> Reason {
        let (code, text) = match self {
            Problem::Required => (
                "required",
                pick(lang, "Cần điền mục này", "This is required"),
            ),
            Problem::NotANumber => (
                "not_a_number",
                pick(
                    lang,
                    "Cần một số (dấu thập phân là . hoặc ,)",
                    "A number is needed (decimal point . or ,)",
                ),
            ),
            Problem::BadTime => (
                "bad_time",
                pick(lang, "Giờ viết dạng 07:30", "Write the time as 07:30"),
            ),
            Problem::BadDate => (
                "bad_date",
                pick(
                    lang,
                    "Ngày viết dạng 20/11/2026",
                    "Write the day as 20/11/2026",
                ),
            ),
            Problem::BadDeviceId => (
                "bad_device_id",
                pick(
                    lang,
                    "Mã máy gồm 32 chữ số hệ mười sáu, như trong danh sách thiết bị",
                    "A device id is 32 hexadecimal digits, as the devices list shows it",
                ),
            ),
            Problem::Rule(rule) => (rule.code(), sentence(rule.text(lang))),
        };
        Reason::new(code, text)
    }
}

/// Problems by field.
pub(crate) type ShelterProblems = Vec<(ShelterField, Problem)>;

fn number(text: &str) -> Result<Option<f64>, Problem> {
    let text = text.trim().replace(',', ".");
    if text.is_empty() {
        return Ok(None);
    }
    text.parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
        .map(Some)
        .ok_or(Problem::NotANumber)
}

fn time(text: &str) -> Result<NaiveTime, Problem> {
    match text.trim() {
        "" => Err(Problem::Required),
        t => NaiveTime::parse_from_str(t, "%H:%M").map_err(|_| Problem::BadTime),
    }
}

fn day(text: &str) -> Result<Option<NaiveDate>, Problem> {
    crate::screens::intake::check::date(text).map_err(|_| Problem::BadDate)
}

fn chosen<T: Coded>(form: &ShelterForm, field: ShelterField) -> Vec<T> {
    form.chosen(field)
        .into_iter()
        .filter_map(T::from_code)
        .collect()
}

fn optional(text: &str) -> Option<String> {
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_string())
}

/// The field a core error's path names.
fn shelter_fields(path: &str) -> &'static [ShelterField] {
    use ShelterField as F;
    match path {
        "shelter.name" => &[F::Name],
        "shelter.commune" => &[F::Commune],
        "shelter.location" => &[F::Latitude, F::Longitude],
        "shelter.capacity" => &[F::Capacity],
        "shelter.accepts" => &[F::Accepts],
        "shelter.accessibility" => &[F::Accessibility],
        "shelter.languages" => &[F::Languages],
        "shelter.hours" => &[F::ClosesAt],
        "shelter.contact.name" => &[F::ContactName],
        "shelter.contact.phone" => &[F::ContactPhone],
        _ => &[F::Name],
    }
}

/// Reads the form into core's shelter, or gives every problem at once.
pub(crate) fn shelter(form: &ShelterForm) -> Result<Shelter, ShelterProblems> {
    use ShelterField as F;
    let mut problems: ShelterProblems = Vec::new();
    let mut note = |field, result: Result<(), Problem>| {
        if let Err(p) = result {
            problems.push((field, p));
        }
    };
    let required = |field| {
        if form.get(field).trim().is_empty() {
            Err(Problem::Required)
        } else {
            Ok(())
        }
    };
    note(F::Kind, required(F::Kind));
    note(F::Commune, required(F::Commune));
    let mut coordinate = |field| match number(form.get(field)) {
        Ok(Some(v)) => v,
        Ok(None) => {
            note(field, Err(Problem::Required));
            f64::NAN
        }
        Err(p) => {
            note(field, Err(p));
            f64::NAN
        }
    };
    let (lat, lon) = (coordinate(F::Latitude), coordinate(F::Longitude));
    let capacity = match form.get(F::Capacity).trim() {
        "" => Err(Problem::Required),
        t => t
            .parse::<u32>()
            .map(|c| u16::try_from(c).unwrap_or(0))
            .map_err(|_| Problem::NotANumber),
    };
    note(F::Capacity, capacity.clone().map(|_| ()));
    let hours = if form.get(F::Hours) == DAILY {
        let (from, to) = (time(form.get(F::OpensAt)), time(form.get(F::ClosesAt)));
        note(F::OpensAt, from.clone().map(|_| ()));
        note(F::ClosesAt, to.clone().map(|_| ()));
        match (from, to) {
            (Ok(from), Ok(to)) => ShelterHours::Daily { from, to },
            _ => ShelterHours::Always,
        }
    } else {
        ShelterHours::Always
    };
    let host_device = match optional(form.get(F::HostDevice)) {
        None => None,
        Some(text) => match text.parse::<DeviceId>() {
            Ok(id) => Some(id),
            Err(_) => {
                note(F::HostDevice, Err(Problem::BadDeviceId));
                None
            }
        },
    };
    note(F::Active, required(F::Active));
    let reviewed_on = day(form.get(F::ReviewedOn)).unwrap_or_else(|p| {
        note(F::ReviewedOn, Err(p));
        None
    });
    let mut checklist = Checklist {
        items: Default::default(),
        reviewed_on,
    };
    for item in StandardItem::ALL {
        checklist.set(*item, form.chosen(F::Checklist).contains(&item.code()));
    }
    let shelter = Shelter {
        id: form.id,
        name: form.get(F::Name).trim().to_string(),
        kind: ShelterKind::from_code(form.get(F::Kind)).unwrap_or(ShelterKind::CommuneOffice),
        commune: form.get(F::Commune).to_string(),
        location: GeoPoint::new(lat, lon),
        capacity: capacity.unwrap_or(1),
        accepts: chosen(form, F::Accepts),
        accessibility: chosen(form, F::Accessibility),
        languages: chosen(form, F::Languages),
        hours,
        contact: HostContact {
            name: optional(form.get(F::ContactName)),
            phone: optional(form.get(F::ContactPhone)),
        },
        host_device,
        active: form.get(F::Active) != "no",
        checklist,
    };
    for error in shelter.problems() {
        if let Error::Invalid { field, rule } = error {
            for f in shelter_fields(&field) {
                if !problems.iter().any(|(p, _)| p == f) {
                    problems.push((*f, Problem::Rule(rule.clone())));
                }
            }
        }
    }
    if problems.is_empty() {
        Ok(shelter)
    } else {
        Err(problems)
    }
}

/// The problems of a commune's numbers: of the list, and of each row's
/// fields.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct NumberProblems {
    pub(crate) list: Vec<Problem>,
    pub(crate) rows: Vec<(usize, NumberField, Problem)>,
}

impl NumberProblems {
    pub(crate) fn count(&self) -> usize {
        self.list.len() + self.rows.len()
    }
}

/// Reads the numbers typed, or gives every problem at once. No row at all
/// withdraws the commune's numbers.
pub(crate) fn numbers(form: &NumbersForm) -> Result<Vec<EmergencyContact>, NumberProblems> {
    let mut problems = NumberProblems::default();
    let contacts: Vec<EmergencyContact> = form
        .rows
        .iter()
        .enumerate()
        .map(|(i, row)| {
            let kind = ContactKind::from_code(&row.kind);
            if kind.is_none() {
                problems
                    .rows
                    .push((i, NumberField::Kind, Problem::Required));
            }
            EmergencyContact {
                kind: kind.unwrap_or(ContactKind::CommunePolice),
                name: row.name.trim().to_string(),
                phone: row.phone.trim().to_string(),
            }
        })
        .collect();
    if !contacts.is_empty() {
        let entry = CommuneContacts {
            commune: form.commune.clone(),
            contacts: contacts.clone(),
        };
        for (row, error) in entry.problems_by_row() {
            let Error::Invalid { field, rule } = error else {
                continue;
            };
            match (row, field.as_str()) {
                (Some(i), "directory.contacts.phone") => {
                    problems
                        .rows
                        .push((i, NumberField::Phone, Problem::Rule(rule)))
                }
                (Some(i), _) => problems
                    .rows
                    .push((i, NumberField::Name, Problem::Rule(rule))),
                (None, _) => problems.list.push(Problem::Rule(rule)),
            }
        }
    }
    if problems.count() == 0 {
        Ok(contacts)
    } else {
        Err(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::screens::registry::NumberRow;

    fn filled() -> ShelterForm {
        let mut form = ShelterForm::blank();
        for (field, value) in [
            (ShelterField::Name, "Trạm y tế (giả lập)"),
            (ShelterField::Kind, "health_station"),
            (ShelterField::Commune, "pa_u"),
            (ShelterField::Latitude, "22,39"),
            (ShelterField::Longitude, "103.46"),
            (ShelterField::Capacity, "4"),
            (ShelterField::ContactPhone, "0200 000 001"),
        ] {
            assert!(form.set(field, value));
        }
        assert!(form.toggle(ShelterField::Accepts, "women"));
        assert!(form.toggle(ShelterField::Languages, "mong"));
        assert!(form.toggle(ShelterField::Checklist, "private_room"));
        form
    }

    #[test]
    fn a_filled_form_reads_as_core_s_shelter() {
        let shelter = shelter(&filled()).unwrap();
        assert_eq!(shelter.location.lat, 22.39);
        assert_eq!(shelter.capacity, 4);
        assert!(shelter.checklist.is_met(StandardItem::PrivateRoom));
        assert!(!shelter.checklist.is_met(StandardItem::Meals));
        assert!(shelter.active && shelter.hours.is_always());
        // And back: the form of the shelter reads the same.
        let again = ShelterForm::of(&shelter);
        assert_eq!(super::shelter(&again).unwrap(), shelter);
    }

    #[test]
    fn every_problem_is_found_at_once() {
        let mut form = filled();
        form.set(ShelterField::Name, " ");
        form.set(ShelterField::Latitude, "north");
        form.set(ShelterField::Capacity, "900");
        form.set(ShelterField::Hours, DAILY);
        form.set(ShelterField::OpensAt, "7h");
        form.set(ShelterField::HostDevice, "xyz");
        form.set(ShelterField::ContactPhone, "call me");
        form.toggle(ShelterField::Languages, "mong");
        let problems = shelter(&form).unwrap_err();
        let codes: Vec<(ShelterField, String)> = problems
            .iter()
            .map(|(f, p)| (*f, p.reason(Lang::En).code))
            .collect();
        for expected in [
            (ShelterField::Latitude, "not_a_number"),
            (ShelterField::Capacity, "out_of_range"),
            (ShelterField::OpensAt, "bad_time"),
            (ShelterField::ClosesAt, "required"),
            (ShelterField::HostDevice, "bad_device_id"),
            (ShelterField::Name, "required"),
            (ShelterField::Languages, "none_chosen"),
            (ShelterField::ContactPhone, "bad_phone"),
        ] {
            assert!(
                codes.contains(&(expected.0, expected.1.to_string())),
                "{expected:?} in {codes:?}"
            );
        }
        assert!(!form.set(ShelterField::Kind, "castle"));
        assert!(!form.toggle(ShelterField::Name, "women"));
    }

    #[test]
    fn numbers_are_checked_row_by_row() {
        let mut form = NumbersForm::of("pa_u", None);
        assert_eq!(numbers(&form).unwrap(), Vec::new(), "none: withdrawn");
        form.rows.push(NumberRow {
            kind: "commune_police".into(),
            name: "Trực ban (giả lập)".into(),
            phone: "0200000001".into(),
        });
        form.rows.push(NumberRow {
            kind: String::new(),
            name: " ".into(),
            phone: "02 00".into(),
        });
        let problems = numbers(&form).unwrap_err();
        let rows: Vec<_> = problems
            .rows
            .iter()
            .map(|(r, f, p)| (*r, *f, p.reason(Lang::Vi).code))
            .collect();
        assert_eq!(
            rows,
            [
                (1, NumberField::Kind, "required".to_string()),
                (1, NumberField::Name, "required".to_string()),
                (1, NumberField::Phone, "bad_dial_number".to_string()),
            ]
        );
        form.rows.pop();
        form.rows.push(form.rows[0].clone());
        assert_eq!(
            numbers(&form).unwrap_err().list,
            [Problem::Rule(Rule::Duplicate)]
        );
    }
}
