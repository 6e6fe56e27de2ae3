//! The school procedure in use: the programme registry's "school runs the
//! procedure" shown from what its counselors record, not only declared.
//!
//! A school counselor's phone sends the months in which a step of the
//! school procedure was recorded on a case it holds of a student of its
//! school: no case, no student, no step, no day. The server takes the school
//! and the commune from the counselor's certified record, never from what
//! the phone says, and the annual report and the officer's registry count a
//! registry school as running the procedure in a period when one of its
//! counselors recorded a step in one of the period's months.

use super::ReportPeriod;
use crate::error::Rule;
use crate::events::CaseState;
use crate::model::validate::name_key;
use crate::{Error, Result};
use chrono::Datelike;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// Most months one phone sends (ten years).
pub const MAX_USE_MONTHS: usize = 120;

/// A calendar month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct UseMonth {
    /// Year.
    pub year: i32,
    /// Month, 1–12.
    pub month: u32,
}

/// What a counselor's phone sends: the months in which a step of the
/// procedure was recorded on its school's cases.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SchoolUse {
    /// The months, ascending, each once.
    pub months: Vec<UseMonth>,
}

impl SchoolUse {
    /// Checks the months: at most [`MAX_USE_MONTHS`], each a real month,
    /// ascending and unique.
    pub fn validate(&self) -> Result<()> {
        if self.months.len() > MAX_USE_MONTHS {
            return Err(Error::invalid(
                "school_use.months",
                Rule::TooMany {
                    max: MAX_USE_MONTHS as u64,
                },
            ));
        }
        if self
            .months
            .iter()
            .any(|m| !(1..=12).contains(&m.month) || !(2000..=2200).contains(&m.year))
        {
            return Err(Error::invalid(
                "school_use.months",
                Rule::OutOfRange { min: 1, max: 12 },
            ));
        }
        if self.months.windows(2).any(|w| w[0] >= w[1]) {
            return Err(Error::invalid("school_use.months", Rule::NotOrdered));
        }
        Ok(())
    }
}

/// The months of the procedure steps recorded on those of `states` that are
/// cases of a student of `school` (as typed on any keyboard) in `commune`;
/// the newest [`MAX_USE_MONTHS`].
pub fn procedure_months<'a>(
    states: impl IntoIterator<Item = &'a CaseState>,
    school: &str,
    commune: &str,
) -> SchoolUse {
    let key = name_key(school);
    let mut months = BTreeSet::new();
    for state in states {
        let survivor = state.survivor();
        let of_school = survivor.student == Some(true)
            && survivor.commune == commune
            && survivor
                .school
                .as_deref()
                .is_some_and(|s| name_key(s) == key);
        if of_school {
            months.extend(state.school_steps().iter().map(|s| UseMonth {
                year: s.on.year(),
                month: s.on.month(),
            }));
        }
    }
    let skip = months.len().saturating_sub(MAX_USE_MONTHS);
    SchoolUse {
        months: months.into_iter().skip(skip).collect(),
    }
}

/// One counselor's month of use, as the server keeps it: the school and
/// commune of its certified record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SchoolInUse {
    /// Commune (code).
    pub commune: String,
    /// The school, as the counselor's inviter wrote it.
    pub school: String,
    /// A month in which one of its counselors recorded a step.
    pub month: UseMonth,
}

impl SchoolInUse {
    /// Whether this is a month at the registry's school `name` of
    /// `commune` (of `period`, if given).
    pub fn counts_for(&self, name: &str, commune: &str, period: Option<ReportPeriod>) -> bool {
        self.commune == commune
            && name_key(&self.school) == name_key(name)
            && period.is_none_or(|p| p.contains_month(self.month.year, self.month.month))
    }
}

/// The last month (of `period`, if given) in which the registry's school
/// `name` of `commune` recorded a step, by `use_rows`.
pub fn last_use(
    use_rows: &[SchoolInUse],
    name: &str,
    commune: &str,
    period: Option<ReportPeriod>,
) -> Option<UseMonth> {
    use_rows
        .iter()
        .filter(|u| u.counts_for(name, commune, period))
        .map(|u| u.month)
        .max()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cases::{SchoolProcedureStep, SchoolStep};
    use crate::events::{Change, Event, Hlc};
    use crate::model::{CaseId, DeviceId, EventId, Survivor};
    use chrono::NaiveDate;

    fn case(survivor: Survivor, steps: &[(SchoolStep, NaiveDate)]) -> CaseState {
        let case_id = CaseId::random();
        let mut state = CaseState::new(case_id);
        let mut changes: Vec<Change> = Survivor::default()
            .changed_fields(&survivor)
            .into_iter()
            .map(Change::Survivor)
            .collect();
        changes.extend(steps.iter().map(|(step, on)| {
            Change::SchoolStep(SchoolProcedureStep {
                step: *step,
                on: *on,
                note: None,
            })
        }));
        state.apply(&Event {
            id: EventId::random(),
            case_id,
            hlc: Hlc::from_wall_ms(1_000),
            author: DeviceId([1; 16]),
            changes,
        });
        state
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn the_months_come_from_the_school_s_student_cases_only() {
        let student = |school: &str, commune: &str| Survivor {
            commune: commune.into(),
            student: Some(true),
            school: Some(school.into()),
            ..Survivor::default()
        };
        let states = [
            case(
                student("Trường THCS synthetic", "pa_u"),
                &[
                    (SchoolStep::Detected, day(2026, 10, 3)),
                    (SchoolStep::ReportedToPrincipal, day(2026, 11, 2)),
                ],
            ),
            case(
                student("trường thcs  SYNTHETIC", "pa_u"),
                &[(SchoolStep::Detected, day(2026, 10, 20))],
            ),
            // Another school, another commune: not counted.
            case(
                student("Trường tiểu học synthetic", "pa_u"),
                &[(SchoolStep::Detected, day(2026, 1, 5))],
            ),
            case(
                student("Trường THCS synthetic", "mu_ca"),
                &[(SchoolStep::Detected, day(2026, 2, 5))],
            ),
        ];
        let used = procedure_months(&states, "Trường THCS synthetic", "pa_u");
        let months: Vec<(i32, u32)> = used.months.iter().map(|m| (m.year, m.month)).collect();
        assert_eq!(months, [(2026, 10), (2026, 11)]);
        used.validate().unwrap();

        let rows: Vec<SchoolInUse> = used
            .months
            .iter()
            .map(|&month| SchoolInUse {
                commune: "pa_u".into(),
                school: "Trường THCS synthetic".into(),
                month,
            })
            .collect();
        let name = "TRƯỜNG THCS Synthetic";
        assert_eq!(
            last_use(&rows, name, "pa_u", Some(ReportPeriod::of(2026))),
            Some(UseMonth {
                year: 2026,
                month: 11
            })
        );
        // December 2026 starts the next period: nothing recorded yet.
        let next = Some(ReportPeriod::of(2027));
        assert_eq!(last_use(&rows, name, "pa_u", next), None);
        assert!(last_use(&rows, name, "pa_u", None).is_some());
        assert_eq!(last_use(&rows, name, "mu_ca", None), None);
    }

    #[test]
    fn months_out_of_order_or_range_are_refused() {
        let m = |year, month| UseMonth { year, month };
        for bad in [
            vec![m(2026, 13)],
            vec![m(2026, 0)],
            vec![m(1900, 1)],
            vec![m(2026, 2), m(2026, 1)],
            vec![m(2026, 2), m(2026, 2)],
            (0..=MAX_USE_MONTHS as i32)
                .map(|i| m(2026 + i / 12, 1 + (i % 12) as u32))
                .collect(),
        ] {
            assert!(SchoolUse { months: bad }.validate().is_err());
        }
    }
}
