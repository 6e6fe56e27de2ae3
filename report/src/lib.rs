//! The annual report to the Department of Home Affairs, from de-identified
//! statistical records, with disclosure control.
//!
//! Everything here is a pure function of its inputs; nothing is logged about
//! records.
//!
//! # Use
//!
//! ```no_run
//! # use binhan_report::*;
//! # let records: Vec<binhan_core::stats::StatRecord> = vec![];
//! # let registries = Registries::default();
//! # let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
//! // 1 December 2025 to 30 November 2026
//! let mut builder = ReportBuilder::new(binhan_core::stats::ReportPeriod::of(2026));
//! for record in &records {
//!     builder.add(record); // e.g. decoded row by row from storage
//! }
//! let report = builder.finish(&registries, &ReportConfig::default(), today);
//! let workbook: Vec<u8> = to_xlsx(&report)?;
//! let csv: String = to_csv(&report);
//! # Ok::<(), ReportError>(())
//! ```
//!
//! # Tables
//!
//! Each report covers twelve months ending in its year
//! ([`ReportPeriod`]: by default 1 December of the year before to 30
//! November, as the plan's reports are due by 1 December), compared with
//! the twelve months before.
//!
//! Per commune and for the province: survivors detected and reached by a
//! service (with the previous year and the change), then survivors by
//! violence type, context, sex, age band, ethnic group, disability, migrant
//! status and service delivered; a province-wide comparison with the
//! previous year; the plan's targets; and the registries (shelters,
//! training, schools, enterprises). Survivor counts go through disclosure
//! control (below); registry counts describe no survivor and are published
//! as they are.
//!
//! # Disclosure control
//!
//! Every survivor count from 1 to `threshold − 1` (default 5) is suppressed,
//! and enough other cells with it that, from all the published numbers
//! together (and from what the counts mean), each such cell could still be
//! 0 and could still be `threshold − 1` or more. The `disclosure` module
//! documents the rule, the integer audit and why. Changes from the previous year are
//! published only where both years' values are, so they add nothing a
//! reader could not compute. Suppressed cells show as [`SUPPRESSED`] ("x").

mod activities;
mod disclosure;
mod export;
mod input;
mod officer;
#[cfg(test)]
mod period_tests;
mod programme;
mod referrals;
#[cfg(test)]
mod release_tests;
#[cfg(any(test, feature = "synthetic"))]
pub mod synthetic;
mod tables;
#[cfg(test)]
mod tests;

pub use export::{table_csv, to_csv, to_xlsx, ReportError, HEADING_ROW};
pub use input::{
    Attendee, Enterprise, ProgrammeRegistries, Registries, ReportBuilder, School, ShelterInput,
    Tally, TraineeRole, TrainingSession, TrainingTarget,
};
pub use officer::{OfficerReport, MAX_THRESHOLD, MIN_THRESHOLD, YEARS};
// The report's types are the core's, so that the apps decode the JSON
// report into the same types the server computes.
pub use binhan_core::stats::report::{
    AnnualReport, AuditSummary, Column, Indicator, Releases, Row, Structure, Table, Value,
    COVER_SHEET, PROVINCE_ROW, SUPPRESSED,
};

use binhan_core::stats::{ReportPeriod, StatRecord};
use chrono::NaiveDate;
use referrals::ReferralGrid;
use serde::{Deserialize, Serialize};
use tables::{comparison_table, dimensions, survivor_tables, Year, YearGrid};

/// What earlier releases published for a report's months: those of its own
/// period, of the period before (whose current year is this report's
/// previous year) and of the period after (whose previous year is this
/// report's year).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Earlier {
    /// Releases of the report's own period.
    pub this: Releases,
    /// Releases of the period before.
    pub before: Releases,
    /// Releases of the period after.
    pub next: Releases,
}

/// The default disclosure threshold: counts from 1 to 4 are suppressed.
pub const DEFAULT_THRESHOLD: u32 = 5;

/// How the report is made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportConfig {
    /// Survivor counts from 1 to `threshold − 1` are suppressed (0 or 1:
    /// nothing is).
    pub threshold: u32,
}

impl Default for ReportConfig {
    fn default() -> Self {
        Self {
            threshold: DEFAULT_THRESHOLD,
        }
    }
}

impl ReportBuilder {
    /// The report of the builder's year, generated on `generated_on`, the
    /// first of its period.
    pub fn finish(
        self,
        registries: &Registries,
        config: &ReportConfig,
        generated_on: NaiveDate,
    ) -> AnnualReport {
        self.finish_after(registries, config, generated_on, &Earlier::default())
    }

    /// The report of the builder's year, generated on `generated_on`,
    /// audited together with what `earlier` releases published for its
    /// months: a count that moved by less than the threshold since (records
    /// added or withdrawn in between) is protected like a small count, so
    /// the pair isolates no one.
    pub fn finish_after(
        self,
        registries: &Registries,
        config: &ReportConfig,
        generated_on: NaiveDate,
        earlier: &Earlier,
    ) -> AnnualReport {
        let period = self.period;
        let dims = dimensions();
        let t = config.threshold;
        // This period's months are the current year of its own releases and
        // the previous year of the next period's; the year before is the
        // previous year of its own and the current year of the period before.
        let now = [
            (&earlier.this, Year::Current),
            (&earlier.next, Year::Previous),
        ];
        let before = [
            (&earlier.this, Year::Previous),
            (&earlier.before, Year::Current),
        ];
        let current = YearGrid::protect(&self.current, &dims, t, &now);
        let previous = YearGrid::protect(&self.previous, &dims, t, &before);
        let referred = ReferralGrid::protect(&self.current.referrals, t, &now);
        let referred_before = ReferralGrid::protect(&self.previous.referrals, t, &before);
        let mut indicators = programme::indicators(registries, period, &current, &previous);
        indicators.extend(referrals::indicators(&referred, &referred_before));
        indicators.extend(activities::indicators(registries, period));
        let mut tables = vec![programme::indicator_table(&indicators)];
        tables.extend(survivor_tables(&dims, &current, &previous));
        tables.push(comparison_table(&dims, &current, &previous));
        tables.push(referrals::table(&referred, &referred_before));
        tables.extend(programme::registry_tables(registries, period));
        tables.extend(activities::tables(registries, period));
        let bases = referred
            .bases(false)
            .chain(referred_before.bases(true))
            .collect();
        AnnualReport {
            year: period.year,
            first_month: period.first_month,
            generated_on,
            threshold: config.threshold,
            indicators,
            tables,
            audit: current.audit.and(referred.audit),
            audit_previous: previous.audit.and(referred_before.audit),
            bases,
        }
    }
}

/// The report of `period` from `records` (those of `period` and of the
/// period before count; others are ignored).
pub fn annual_report<'a>(
    period: ReportPeriod,
    records: impl IntoIterator<Item = &'a StatRecord>,
    registries: &Registries,
    config: &ReportConfig,
    generated_on: NaiveDate,
) -> AnnualReport {
    let mut builder = ReportBuilder::new(period);
    builder.extend(records);
    builder.finish(registries, config, generated_on)
}
