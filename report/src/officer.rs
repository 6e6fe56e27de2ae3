//! The annual report where the provincial office's key is: the officer's
//! vault opens the sealed statistics ([`Vault::statistics_records`]), the
//! server lists the programme registries and the months of school use, and
//! the shelters are those of the directory the vault holds (checked against
//! the provincial key). Nothing here trusts the server with a record. Every
//! report made is a release: audited together with the earlier releases of
//! its period ([`ReportBuilder::finish_after`]) and kept for the next.

use super::{
    to_csv, to_xlsx, AnnualReport, Earlier, Registries, ReportBuilder, ReportConfig, ShelterInput,
    DEFAULT_THRESHOLD,
};
use binhan_core::app::Vault;
use binhan_core::stats::registry::ReportFormat;
use binhan_core::stats::ReportPeriod;
use binhan_core::Rule;
use binhan_core::{Error, Refusal, Result};
use chrono::Datelike;

/// Years a report may be asked for.
pub const YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;
/// Highest disclosure threshold accepted.
pub const MAX_THRESHOLD: u32 = 1_000;
/// Lowest disclosure threshold accepted: counts from 1 to 4 are always
/// suppressed, whatever a request asks.
pub const MIN_THRESHOLD: u32 = DEFAULT_THRESHOLD;

/// The annual report on an officer's vault.
#[allow(async_fn_in_trait)]
pub trait OfficerReport {
    /// The annual report of `year` as a file in `format`, with the
    /// disclosure threshold `threshold` (`None`: 5; below 5 is refused),
    /// over the twelve months from `first_month` (`None`: from December of
    /// the year before, see [`ReportPeriod`]). Refused for another role and
    /// without the provincial signing key (which the office's key derives
    /// from).
    async fn annual_report(
        &self,
        year: i32,
        format: ReportFormat,
        threshold: Option<u32>,
        first_month: Option<u32>,
    ) -> Result<Vec<u8>>;

    /// The same report as data: the plan's indicators and every table,
    /// suppressed cells as [`super::Value::Suppressed`].
    async fn annual_report_data(
        &self,
        year: i32,
        threshold: Option<u32>,
        first_month: Option<u32>,
    ) -> Result<AnnualReport>;
}

impl OfficerReport for Vault {
    async fn annual_report(
        &self,
        year: i32,
        format: ReportFormat,
        threshold: Option<u32>,
        first_month: Option<u32>,
    ) -> Result<Vec<u8>> {
        let report = self
            .annual_report_data(year, threshold, first_month)
            .await?;
        match format {
            ReportFormat::Xlsx => {
                to_xlsx(&report).map_err(|e| Error::Encoding(format!("the workbook: {e}")))
            }
            ReportFormat::Csv => Ok(to_csv(&report).into_bytes()),
            ReportFormat::Json => {
                serde_json::to_vec(&report).map_err(|e| Error::Encoding(format!("the report: {e}")))
            }
        }
    }

    async fn annual_report_data(
        &self,
        year: i32,
        threshold: Option<u32>,
        first_month: Option<u32>,
    ) -> Result<AnnualReport> {
        if !YEARS.contains(&year) {
            return Err(Error::invalid(
                "report.year",
                Rule::OutOfRange {
                    min: *YEARS.start() as u64,
                    max: *YEARS.end() as u64,
                },
            ));
        }
        let threshold = threshold.unwrap_or(DEFAULT_THRESHOLD);
        if !(MIN_THRESHOLD..=MAX_THRESHOLD).contains(&threshold) {
            return Err(Error::invalid(
                "report.threshold",
                Rule::OutOfRange {
                    min: u64::from(MIN_THRESHOLD),
                    max: u64::from(MAX_THRESHOLD),
                },
            ));
        }
        let period = ReportPeriod::new(year, first_month)?;
        self.enrolment()?.ok_or(Error::NotEnrolled)?;
        let released = self.report_releases()?;
        if released.iter().any(|(p, _)| shifted_overlap(*p, period)) {
            return Err(Error::NotAllowed(Refusal::OverlapsReleasedPeriod));
        }
        let read = self.statistics_records().await?;
        let listing = self.registries().await?;
        let shelters = self
            .shelter_directory()?
            .map(|d| {
                d.shelters
                    .iter()
                    .map(|s| ShelterInput {
                        commune: s.commune.clone(),
                        standardised: s.is_standardised(),
                        active: s.active,
                    })
                    .collect()
            })
            .unwrap_or_default();
        let registries = Registries {
            programme: listing.entries,
            shelters,
            school_use: listing.school_use,
        };
        let mut builder = ReportBuilder::new(period);
        builder.extend(&read.records);
        // Every report made here is a release: audited together with the
        // earlier releases of its period, then kept for the next.
        let next = ReportPeriod {
            year: period.year + 1,
            ..period
        };
        let of = |wanted: ReportPeriod| {
            released
                .iter()
                .find(|(p, _)| *p == wanted)
                .map(|(_, r)| r.clone())
                .unwrap_or_default()
        };
        let earlier = Earlier {
            this: of(period),
            before: of(period.previous()),
            next: of(next),
        };
        let report = builder.finish_after(
            &registries,
            &ReportConfig { threshold },
            self.today(),
            &earlier,
        );
        self.keep_report_release(&report)?;
        Ok(report)
    }
}

/// Whether `a` and `b` start in different months and their reports share
/// months (each report also counts the twelve months before its period):
/// compared, two such reports give the counts of the months one has and
/// the other has not.
fn shifted_overlap(a: ReportPeriod, b: ReportPeriod) -> bool {
    let window = |p: ReportPeriod| p.previous().first_day()..=p.last_day();
    let (a, b) = (window(a), window(b));
    a.start().month() != b.start().month() && a.start() <= b.end() && b.start() <= a.end()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_overlap_only_when_shifted_and_sharing_months() {
        let p = |year, first| ReportPeriod::new(year, Some(first)).unwrap();
        // The default period and the calendar year of the same year.
        assert!(shifted_overlap(p(2026, 12), p(2026, 1)));
        // Reports also count the year before: 2026 from January shares
        // months with 2027 from December.
        assert!(shifted_overlap(p(2026, 1), p(2027, 12)));
        // The same first month: whole years, audited together instead.
        assert!(!shifted_overlap(p(2026, 12), p(2027, 12)));
        assert!(!shifted_overlap(p(2026, 12), p(2026, 12)));
        // Far apart.
        assert!(!shifted_overlap(p(2020, 1), p(2026, 12)));
    }
}
