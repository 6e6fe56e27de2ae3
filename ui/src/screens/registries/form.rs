//! The form that adds or corrects one registry entry: what was typed, as
//! text, and [`EntryForm::check`], which finds every field's problem at once
//! (core's coded [`Rule`]s) or builds the entry to record.

use super::RegistryKind;
use binhan_core::error::Rule;
use binhan_core::stats::activity::ActivityId;
use binhan_core::stats::import::commune_code;
use binhan_core::stats::registry::{
    Attendee, Enterprise, ProgrammeRegistries, School, TraineeRole, TrainingSession, PROVINCE,
};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet};

/// Longest text accepted, in characters (as core's registries).
pub(crate) const MAX_TEXT: usize = 200;
/// Most attendee rows one form holds (a larger session is imported).
pub const MAX_ATTENDEE_ROWS: usize = 300;

/// A field of the entry form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum EntryField {
    /// The day of a training session.
    Date,
    /// Where: the commune (code or name; "Tỉnh" for a provincial session).
    Commune,
    /// A session's topic.
    Title,
    /// A school's or an enterprise's name.
    Name,
    /// The day a school took up its procedure, or an enterprise its rules.
    Since,
    /// An activity's village (thôn, bản), if it was held in one.
    Village,
    /// How an activity reached people (a kind's code).
    ActivityKind,
    /// The campaign an activity belongs to (its code).
    Campaign,
    /// Women reached.
    Women,
    /// Men reached.
    Men,
    /// Girls reached.
    Girls,
    /// Boys reached.
    Boys,
    /// Of everyone reached, people of an ethnic minority.
    EthnicMinority,
    /// Materials an activity used.
    Materials,
}

/// A field of an attendee's row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum AttendeeField {
    /// The person's registry id (not a name).
    Person,
    /// The commune the person works in (empty: the session's).
    Commune,
    /// Collaborator or official (by code).
    Role,
}

impl EntryField {
    /// The fields of a form for `kind`, in order.
    pub(crate) fn of(kind: RegistryKind) -> &'static [EntryField] {
        match kind {
            RegistryKind::TrainingSessions => {
                &[EntryField::Date, EntryField::Commune, EntryField::Title]
            }
            RegistryKind::Schools | RegistryKind::Enterprises => {
                &[EntryField::Name, EntryField::Commune, EntryField::Since]
            }
            RegistryKind::CommunicationActivities => &[
                EntryField::Date,
                EntryField::Commune,
                EntryField::Village,
                EntryField::ActivityKind,
                EntryField::Campaign,
                EntryField::Title,
                EntryField::Women,
                EntryField::Men,
                EntryField::Girls,
                EntryField::Boys,
                EntryField::EthnicMinority,
                EntryField::Materials,
            ],
        }
    }

    pub(crate) fn required(self) -> bool {
        matches!(
            self,
            EntryField::Date
                | EntryField::Commune
                | EntryField::Title
                | EntryField::Name
                | EntryField::ActivityKind
                | EntryField::Campaign
        )
    }

    /// A count of people reached.
    pub(crate) fn is_count(self) -> bool {
        matches!(
            self,
            EntryField::Women
                | EntryField::Men
                | EntryField::Girls
                | EntryField::Boys
                | EntryField::EthnicMinority
        )
    }
}

/// Where a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Spot {
    Entry(EntryField),
    Attendee(u32, AttendeeField),
}

/// Every problem of a form, in field order.
pub(crate) type Problems = Vec<(Spot, Rule)>;

/// One attendee's row as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct AttendeeRow {
    pub(crate) person: String,
    pub(crate) commune: String,
    pub(crate) role: String,
}

impl AttendeeRow {
    pub(crate) fn get(&self, field: AttendeeField) -> &str {
        match field {
            AttendeeField::Person => &self.person,
            AttendeeField::Commune => &self.commune,
            AttendeeField::Role => &self.role,
        }
    }
}

/// The form on screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct EntryForm {
    pub(crate) kind: RegistryKind,
    pub(crate) values: BTreeMap<EntryField, String>,
    pub(crate) attendees: Vec<AttendeeRow>,
    /// Correcting an entry of the list (not adding one).
    pub(crate) editing: bool,
    /// The activity corrected (recording it again keeps its id).
    pub(crate) activity_id: Option<ActivityId>,
    /// Save was pressed: from then on every problem is shown.
    pub(crate) submitted: bool,
}

impl EntryForm {
    /// An empty form; a manager's commune is filled in (it is the only one
    /// it may record).
    pub(crate) fn new(kind: RegistryKind, commune: Option<&str>) -> Self {
        let mut values = BTreeMap::new();
        if let Some(commune) = commune.and_then(binhan_core::model::commune) {
            values.insert(EntryField::Commune, commune.name.to_string());
        }
        Self {
            kind,
            values,
            attendees: Vec::new(),
            editing: false,
            activity_id: None,
            submitted: false,
        }
    }

    /// The form of a session of the list, to correct it.
    pub(crate) fn session(s: &TrainingSession) -> Self {
        let mut form = Self::new(RegistryKind::TrainingSessions, None);
        form.values.insert(EntryField::Date, s.date.to_string());
        form.values
            .insert(EntryField::Commune, commune_text(&s.commune));
        form.values.insert(EntryField::Title, s.title.clone());
        form.attendees = s
            .attendees
            .iter()
            .map(|a| AttendeeRow {
                person: a.person.clone(),
                commune: commune_text(&a.commune),
                role: a.role.code().to_string(),
            })
            .collect();
        form.editing = true;
        form
    }

    /// The form of a school or an enterprise of the list.
    pub(crate) fn institution(
        kind: RegistryKind,
        name: &str,
        commune: &str,
        since: Option<NaiveDate>,
    ) -> Self {
        let mut form = Self::new(kind, None);
        form.values.insert(EntryField::Name, name.to_string());
        form.values
            .insert(EntryField::Commune, commune_text(commune));
        if let Some(day) = since {
            form.values.insert(EntryField::Since, day.to_string());
        }
        form.editing = true;
        form
    }

    pub(crate) fn get(&self, field: EntryField) -> &str {
        self.values.get(&field).map_or("", String::as_str)
    }

    /// Every problem of the form (none when it can be saved), as of
    /// `today`, for a device recording for `scope` (`None`: the officer).
    pub(crate) fn problems(&self, scope: Option<&str>, today: NaiveDate) -> Problems {
        if self.kind == RegistryKind::CommunicationActivities {
            self.activity(scope, today).err()
        } else {
            self.check(scope).err()
        }
        .unwrap_or_default()
    }

    /// The commune typed, as a code, noting its problem: `province` allows
    /// "Tỉnh"; a device with a `scope` records for its own commune only.
    pub(crate) fn commune(
        &self,
        province: bool,
        scope: Option<&str>,
        problems: &mut Problems,
    ) -> Option<String> {
        let spot = Spot::Entry(EntryField::Commune);
        let code = text(spot, self.get(EntryField::Commune), true, problems).and_then(|t| {
            let code = commune_code(&t, province);
            if code.is_none() {
                problems.push((spot, Rule::NotACommune));
            }
            code
        });
        if let (Some(own), Some(c)) = (scope, &code) {
            if own != c {
                problems.push((spot, Rule::OtherCommune));
            }
        }
        code
    }

    /// Every problem, or the entry to record. `scope`: a manager's
    /// commune, the only one its sessions may be held in.
    pub(crate) fn check(&self, scope: Option<&str>) -> Result<ProgrammeRegistries, Problems> {
        let mut problems = Problems::new();
        let entry = |f| Spot::Entry(f);
        let training = self.kind == RegistryKind::TrainingSessions;
        let day = |field: EntryField, problems: &mut Problems| -> Option<NaiveDate> {
            match crate::screens::intake::check::date(self.get(field)) {
                Ok(Some(day)) => Some(day),
                Ok(None) if field.required() => {
                    problems.push((entry(field), Rule::Empty));
                    None
                }
                Ok(None) => None,
                Err(_) => {
                    problems.push((entry(field), Rule::BadFormat));
                    None
                }
            }
        };
        let date = if training {
            day(EntryField::Date, &mut problems)
        } else {
            None
        };
        let since = if training {
            None
        } else {
            day(EntryField::Since, &mut problems)
        };
        let commune = self.commune(training && scope.is_none(), scope, &mut problems);
        let name_field = if training {
            EntryField::Title
        } else {
            EntryField::Name
        };
        let name = text(entry(name_field), self.get(name_field), true, &mut problems);
        let attendees = if training {
            self.attendees(commune.as_deref(), &mut problems)
        } else {
            Vec::new()
        };
        problems.sort_by_key(|(spot, _)| order(self.kind, *spot));
        if !problems.is_empty() {
            return Err(problems);
        }
        let (Some(commune), Some(name)) = (commune, name) else {
            return Err(problems);
        };
        let mut entries = ProgrammeRegistries::default();
        match self.kind {
            RegistryKind::TrainingSessions => match date {
                Some(date) => entries.training_sessions.push(TrainingSession {
                    date,
                    commune,
                    title: name,
                    attendees,
                }),
                None => return Err(problems),
            },
            RegistryKind::Schools => entries.schools.push(School {
                name,
                commune,
                procedure_since: since,
            }),
            RegistryKind::Enterprises => entries.enterprises.push(Enterprise {
                name,
                commune,
                rules_since: since,
            }),
            // Recorded in the vault, never through this check.
            RegistryKind::CommunicationActivities => return Err(problems),
        }
        Ok(entries)
    }

    /// The attendees' rows, noting their problems.
    fn attendees(&self, session: Option<&str>, problems: &mut Problems) -> Vec<Attendee> {
        let mut list = Vec::new();
        let mut seen = HashSet::new();
        for (i, row) in self.attendees.iter().enumerate() {
            let spot = |f| Spot::Attendee(i as u32, f);
            let before = problems.len();
            let person =
                text(spot(AttendeeField::Person), &row.person, true, problems).unwrap_or_default();
            let person = person.as_str();
            let commune = if row.commune.trim().is_empty() {
                match session {
                    Some(PROVINCE) => {
                        problems.push((spot(AttendeeField::Commune), Rule::Empty));
                        None
                    }
                    other => other.map(str::to_string),
                }
            } else {
                let code = commune_code(&row.commune, false);
                if code.is_none() {
                    problems.push((spot(AttendeeField::Commune), Rule::NotACommune));
                }
                code
            };
            let role = TraineeRole::from_code(row.role.trim());
            if role.is_none() {
                let rule = if row.role.trim().is_empty() {
                    Rule::Empty
                } else {
                    Rule::NotInList
                };
                problems.push((spot(AttendeeField::Role), rule));
            }
            if let (Some(role), false) = (role, person.is_empty()) {
                if !seen.insert((person.to_lowercase(), role)) {
                    problems.push((spot(AttendeeField::Person), Rule::Duplicate));
                }
            }
            if problems.len() == before {
                if let (Some(commune), Some(role)) = (commune, role) {
                    list.push(Attendee {
                        person: person.to_string(),
                        commune,
                        role,
                    });
                }
            }
        }
        list
    }
}

/// A typed text: trimmed, `None` when blank; a problem noted if it is
/// blank but `required`, too long, or holds control characters.
pub(crate) fn text(
    spot: Spot,
    value: &str,
    required: bool,
    problems: &mut Problems,
) -> Option<String> {
    let value = value.trim();
    let rule = if value.is_empty() {
        required.then_some(Rule::Empty)
    } else if value.chars().count() > MAX_TEXT {
        Some(Rule::TooLong {
            max: MAX_TEXT as u32,
        })
    } else if value.chars().any(char::is_control) {
        Some(Rule::ControlCharacters)
    } else {
        None
    };
    if let Some(rule) = rule {
        problems.push((spot, rule));
        return None;
    }
    (!value.is_empty()).then(|| value.to_string())
}

/// A problem's place in the form's order (fields, then rows).
pub(crate) fn order(kind: RegistryKind, spot: Spot) -> (u32, u32) {
    match spot {
        Spot::Entry(f) => (
            0,
            EntryField::of(kind)
                .iter()
                .position(|x| *x == f)
                .unwrap_or(0) as u32,
        ),
        Spot::Attendee(row, f) => (1 + row, f as u32),
    }
}

/// A commune as the form shows it: its name ("Xã Mù Cả"), or "Tỉnh".
pub(crate) fn commune_text(code: &str) -> String {
    if code == PROVINCE {
        return "Tỉnh".to_string();
    }
    binhan_core::model::commune(code).map_or_else(|| code.to_string(), |c| c.name.to_string())
}
