//! The twelve months an annual report covers. The plan's reports are due
//! by 1 December, so by default the report of year Y runs from 1 December
//! of Y − 1 to 30 November of Y; any other first month may be chosen (1:
//! the calendar year).

use crate::error::Rule;
use crate::{Error, Result};
use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};

/// The default first month of a report period: December of the year
/// before.
pub const DEFAULT_FIRST_MONTH: u32 = 12;

/// The months of the report of `year`, from the first day of
/// `first_month` (of the year before, unless it is January) to the day
/// before the same day a year later.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ReportPeriod {
    /// The report's year: the period ends in it.
    pub year: i32,
    /// The period's first month (1–12).
    pub first_month: u32,
}

impl ReportPeriod {
    /// The period of the report of `year` that starts with `first_month`
    /// (`None`: [`DEFAULT_FIRST_MONTH`]); a month outside 1–12 is refused.
    pub fn new(year: i32, first_month: Option<u32>) -> Result<Self> {
        let first_month = first_month.unwrap_or(DEFAULT_FIRST_MONTH);
        if !(1..=12).contains(&first_month) {
            return Err(Error::invalid(
                "report.first_month",
                Rule::OutOfRange { min: 1, max: 12 },
            ));
        }
        Ok(Self { year, first_month })
    }

    /// The default period of the report of `year` (December to November).
    pub fn of(year: i32) -> Self {
        Self {
            year,
            first_month: DEFAULT_FIRST_MONTH,
        }
    }

    /// The default period that holds `date` (on 6 December 2026, the
    /// report of 2027's: December 2026 to November 2027).
    pub fn containing(date: NaiveDate) -> Self {
        let next = Self::of(date.year() + 1);
        if next.contains(date) {
            next
        } else {
            Self::of(date.year())
        }
    }

    /// The period of the year before.
    pub fn previous(self) -> Self {
        Self {
            year: self.year - 1,
            ..self
        }
    }

    /// The period's first day.
    pub fn first_day(self) -> NaiveDate {
        let start_year = if self.first_month == 1 {
            self.year
        } else {
            self.year - 1
        };
        NaiveDate::from_ymd_opt(start_year, self.first_month, 1).unwrap_or(NaiveDate::MIN)
    }

    /// The period's last day.
    pub fn last_day(self) -> NaiveDate {
        self.first_day()
            .checked_add_months(Months::new(12))
            .and_then(|next| next.pred_opt())
            .unwrap_or(NaiveDate::MAX)
    }

    /// Whether `date` falls in the period.
    pub fn contains(self, date: NaiveDate) -> bool {
        (self.first_day()..=self.last_day()).contains(&date)
    }

    /// Whether month `month` of `year` falls in the period.
    pub fn contains_month(self, year: i32, month: u32) -> bool {
        NaiveDate::from_ymd_opt(year, month, 1).is_some_and(|d| self.contains(d))
    }

    /// The calendar years the period's days fall in.
    pub fn years(self) -> std::ops::RangeInclusive<i32> {
        self.first_day().year()..=self.year
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn the_default_period_runs_from_december_to_november() {
        let period = ReportPeriod::new(2026, None).unwrap();
        assert_eq!(period, ReportPeriod::of(2026));
        assert_eq!(
            (period.first_day(), period.last_day()),
            (day(2025, 12, 1), day(2026, 11, 30))
        );
        assert!(period.contains_month(2025, 12));
        assert!(period.contains_month(2026, 11));
        assert!(!period.contains_month(2026, 12));
        assert!(!period.contains_month(2025, 11));
        assert_eq!(period.years(), 2025..=2026);
        assert_eq!(period.previous().last_day(), day(2025, 11, 30));
        for date in [day(2025, 12, 1), day(2026, 6, 15), day(2026, 11, 30)] {
            assert_eq!(ReportPeriod::containing(date), period);
        }
        assert_eq!(ReportPeriod::containing(day(2026, 12, 6)).year, 2027);
    }

    #[test]
    fn any_first_month_makes_twelve_months() {
        let calendar = ReportPeriod::new(2026, Some(1)).unwrap();
        assert_eq!(
            (calendar.first_day(), calendar.last_day()),
            (day(2026, 1, 1), day(2026, 12, 31))
        );
        assert_eq!(calendar.years(), 2026..=2026);
        let july = ReportPeriod::new(2028, Some(7)).unwrap();
        assert_eq!(
            (july.first_day(), july.last_day()),
            (day(2027, 7, 1), day(2028, 6, 30))
        );
        // February of a leap year is inside; the days add up to a year.
        let march = ReportPeriod::new(2028, Some(3)).unwrap();
        assert!(march.contains(day(2028, 2, 29)));
        assert_eq!((march.last_day() - march.first_day()).num_days(), 365);
        for month in [0, 13] {
            assert!(ReportPeriod::new(2026, Some(month)).is_err());
        }
    }
}
