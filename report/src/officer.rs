//! The annual report where the provincial office's key is: the officer's
//! vault opens the sealed statistics ([`Vault::statistics_records`]), the
//! server lists the programme registries and the months of school use, and
//! the shelters are those of the directory the vault holds (checked against
//! the provincial key). Nothing here trusts the server with a record. Every
//! report made is a release: audited together with the earlier releases of
//! its period ([`ReportBuilder::finish_after`]) and kept for the next.

use super::{
    to_csv, to_xlsx, AnnualReport, Registries, ReportBuilder, ReportConfig, ShelterInput,
    DEFAULT_THRESHOLD,
};
use binhan_core::app::Vault;
use binhan_core::stats::registry::ReportFormat;
use binhan_core::stats::ReportPeriod;
use binhan_core::Rule;
use binhan_core::{Error, Result};

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
        let earlier = self.report_releases(period)?;
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
