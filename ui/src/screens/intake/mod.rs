//! Record an incident: the multi-step GBVIMS intake form (survivor,
//! incident, perpetrators, risk and safety plan, consent, review).
//!
//! The form holds what the person typed or chose, as text, exactly as it
//! was entered; [`IntakeForm::build`] checks every field at once and turns
//! the form into core's [`CaseIntake`]. Conditional fields follow the
//! answers (a school only for a student, a caregiver's consent only for a
//! child, contact details only for a way of contact that needs them), and a
//! hidden field is neither checked nor saved.
//!
//! The form is kept as a sealed draft in the vault after every change
//! ([`DRAFT`]), with the case id it will be saved under, so it is resumed
//! after the app is killed and saving it twice records one case.

pub(crate) mod check;
pub(crate) mod flow;
mod spec;
pub(crate) mod text;
pub mod view;

pub use spec::{IntakeField, IntakeList, IntakeStep};
pub use view::{FieldKind, FieldView, IntakeView, ReviewSection, RowView, StepProblems};

use binhan_core::model::CaseId;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// The name of the intake draft in the vault.
pub(crate) const DRAFT: &str = "intake";

/// Most perpetrators and consent rows the form takes (core's limit for
/// perpetrators; one row per service and recipient is plenty).
pub(crate) const MAX_ROWS: u32 = 20;

/// The longest value a field keeps, in characters (the account's limit).
pub(crate) const MAX_VALUE_CHARS: usize = 20_000;

/// The form as typed: kept in memory while it is on screen and sealed in
/// the vault as the draft.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct IntakeForm {
    /// The id the case will be saved under.
    pub(crate) case_id: CaseId,
    /// The step on screen.
    pub(crate) step: IntakeStep,
    /// Every value by field and row (0 for fields that are not in a row);
    /// choices by code, several choices as codes joined by commas.
    pub(crate) values: BTreeMap<(IntakeField, u32), String>,
    /// Perpetrator rows.
    pub(crate) perpetrators: u32,
    /// Consent rows (one service and recipient each).
    pub(crate) consents: u32,
    /// Steps whose errors are shown (the person moved on from them, or
    /// tried to save).
    pub(crate) shown: BTreeSet<IntakeStep>,
    /// The day the form was started, in Vietnam.
    pub(crate) started_on: NaiveDate,
}

impl IntakeForm {
    /// A new form: reported today, in the device's commune when it is
    /// enrolled in one, the survivor giving consent.
    pub(crate) fn new(today: NaiveDate, commune: Option<&str>) -> Self {
        let mut form = Self {
            case_id: CaseId::random(),
            step: IntakeStep::Survivor,
            values: BTreeMap::new(),
            perpetrators: 1,
            consents: 0,
            shown: BTreeSet::new(),
            started_on: today,
        };
        form.put(
            IntakeField::ReportedOn,
            0,
            &today.format("%Y-%m-%d").to_string(),
        );
        form.put(IntakeField::ConsentGivenBy, 0, "survivor");
        if let Some(commune) = commune.filter(|c| binhan_core::model::commune(c).is_some()) {
            form.put(IntakeField::Commune, 0, commune);
            form.put(IntakeField::IncidentCommune, 0, commune);
        }
        form
    }

    /// A school counselor's form: the survivor a student of its school
    /// (the case is then shared with the school's counselors), which the
    /// counselor can change.
    pub(crate) fn for_student_of(&mut self, school: &str) {
        self.put(IntakeField::Student, 0, "yes");
        self.put(IntakeField::School, 0, school);
    }

    fn put(&mut self, field: IntakeField, row: u32, value: &str) {
        let value: String = value.chars().take(MAX_VALUE_CHARS).collect();
        if value.is_empty() {
            self.values.remove(&(field, row));
        } else {
            self.values.insert((field, row), value);
        }
    }

    /// The value of `field` in `row` ("" if none).
    pub(crate) fn get(&self, field: IntakeField, row: u32) -> &str {
        self.values
            .get(&(field, row))
            .map(String::as_str)
            .unwrap_or("")
    }

    /// The codes chosen in a several-choice field.
    pub(crate) fn codes(&self, field: IntakeField, row: u32) -> Vec<&str> {
        self.get(field, row)
            .split(',')
            .filter(|c| !c.is_empty())
            .collect()
    }

    /// Rows of `list`.
    pub(crate) fn rows(&self, list: IntakeList) -> u32 {
        match list {
            IntakeList::Perpetrators => self.perpetrators,
            IntakeList::Consents => self.consents,
        }
    }

    /// Sets a field; false if there is no such field or row, or it is not
    /// shown at present (so nothing can be typed into a hidden field).
    pub(crate) fn set(&mut self, field: IntakeField, row: u32, value: &str) -> bool {
        if !self.accepts(field, row) || field.spec().kind.is_multi() {
            return false;
        }
        self.put(field, row, value.trim_start());
        self.prune_hidden();
        true
    }

    /// Forgets the values of fields an answer has just hidden (a school
    /// once the survivor is not a student): what is not shown is not kept.
    fn prune_hidden(&mut self) {
        let hidden: Vec<(IntakeField, u32)> = self
            .values
            .keys()
            .filter(|(field, row)| !self.is_shown(*field, *row))
            .copied()
            .collect();
        for key in hidden {
            self.values.remove(&key);
        }
    }

    /// Adds or removes `code` in a several-choice field; false if the field
    /// takes no such code.
    pub(crate) fn toggle(&mut self, field: IntakeField, row: u32, code: &str) -> bool {
        if !self.accepts(field, row)
            || !field.spec().kind.is_multi()
            || !spec::codes_of(field).contains(&code)
        {
            return false;
        }
        let mut codes: Vec<&str> = self.codes(field, row);
        if let Some(at) = codes.iter().position(|c| *c == code) {
            codes.remove(at);
        } else {
            codes.push(code);
        }
        // Kept in the enumeration's order, whatever the order of taps.
        let ordered: Vec<&str> = spec::codes_of(field)
            .into_iter()
            .filter(|c| codes.contains(c))
            .collect();
        let joined = ordered.join(",");
        self.put(field, row, &joined);
        true
    }

    fn accepts(&self, field: IntakeField, row: u32) -> bool {
        let rows = match field.spec().list {
            Some(list) => self.rows(list),
            None => 1,
        };
        row < rows && self.is_shown(field, row)
    }

    /// Adds a row to `list`; false at the limit.
    pub(crate) fn add_row(&mut self, list: IntakeList) -> bool {
        let rows = match list {
            IntakeList::Perpetrators => &mut self.perpetrators,
            IntakeList::Consents => &mut self.consents,
        };
        if *rows >= MAX_ROWS {
            return false;
        }
        *rows += 1;
        true
    }

    /// Removes row `row` of `list`, moving the rows after it up.
    pub(crate) fn remove_row(&mut self, list: IntakeList, row: u32) -> bool {
        if row >= self.rows(list) {
            return false;
        }
        let moved: BTreeMap<(IntakeField, u32), String> = std::mem::take(&mut self.values)
            .into_iter()
            .filter_map(|((field, r), value)| {
                if field.spec().list != Some(list) || r < row {
                    Some(((field, r), value))
                } else if r == row {
                    None
                } else {
                    Some(((field, r - 1), value))
                }
            })
            .collect();
        self.values = moved;
        match list {
            IntakeList::Perpetrators => self.perpetrators -= 1,
            IntakeList::Consents => self.consents -= 1,
        }
        true
    }

    /// Whether `field` is shown, given the answers so far.
    pub(crate) fn is_shown(&self, field: IntakeField, row: u32) -> bool {
        use IntakeField::*;
        match field {
            School => self.get(Student, 0) == "yes",
            ContactDetails => matches!(
                self.get(ContactMethod, 0),
                "own_phone" | "trusted_person" | "in_person"
            ),
            ContactTime => !matches!(self.get(ContactMethod, 0), "" | "no_contact"),
            ConsentGivenBy => self.is_child() != Some(false),
            _ => {
                let _ = row;
                true
            }
        }
    }

    /// Whether the survivor is a child, from the date of birth or the age
    /// given (`None` when neither is known yet).
    pub(crate) fn is_child(&self) -> Option<bool> {
        let today = self.started_on;
        if let Ok(Some(dob)) = check::date(self.get(IntakeField::DateOfBirth, 0)) {
            let age = binhan_core::model::years_between(dob, today);
            return Some(age < binhan_core::model::ADULT_AGE);
        }
        let age: u32 = self.get(IntakeField::AgeYears, 0).trim().parse().ok()?;
        Some(age < binhan_core::model::ADULT_AGE)
    }

    /// Whether anything was entered beyond what a new form holds.
    pub(crate) fn is_blank(&self) -> bool {
        let fresh = Self::new(self.started_on, Some(self.get(IntakeField::Commune, 0)));
        self.values == fresh.values && self.perpetrators == 1 && self.consents == 0
    }
}
