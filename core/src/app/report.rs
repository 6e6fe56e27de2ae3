//! The provincial officer's side of the annual report: recording the
//! programme registries on the server and fetching the report. The server
//! refuses every other role.

use super::Vault;
use crate::stats::registry::{
    ProgrammeRegistries, RegistryCounts, RegistryListing, ReportFormat, ReportRequest,
};
use crate::stats::report::AnnualReport;
use crate::{Error, Result};

impl Vault {
    /// Records registry entries on the server (each added, or replacing the
    /// entry with the same identity); checked here first.
    pub async fn record_registries(&self, entries: &ProgrammeRegistries) -> Result<RegistryCounts> {
        entries.validate()?;
        self.with_sync(None, async |ctx| {
            ctx.call("/v1/registries/record", entries).await
        })
        .await
    }

    /// Every registry entry the server lists to this device, and (for the
    /// provincial officer) the months of school procedure use.
    pub async fn registries(&self) -> Result<RegistryListing> {
        self.with_sync(None, async |ctx| ctx.call("/v1/registries/list", &()).await)
            .await
    }

    /// The annual report of `year` as a file in `format`, with the
    /// disclosure threshold `threshold` (`None`: the default, 5), over the
    /// twelve months from `first_month` (`None`: from December of the year
    /// before, see [`crate::stats::ReportPeriod`]).
    pub async fn annual_report(
        &self,
        year: i32,
        format: ReportFormat,
        threshold: Option<u32>,
        first_month: Option<u32>,
    ) -> Result<Vec<u8>> {
        crate::stats::ReportPeriod::new(year, first_month)?;
        let request = ReportRequest {
            year,
            format,
            threshold,
            first_month,
        };
        self.with_sync(None, async |ctx| {
            ctx.call_for_bytes("/v1/reports", &request).await
        })
        .await
    }

    /// The annual report of `year` as data (its JSON form, decoded): the
    /// plan's indicators and every table, suppressed cells as
    /// [`crate::stats::report::Value::Suppressed`].
    pub async fn annual_report_data(
        &self,
        year: i32,
        threshold: Option<u32>,
        first_month: Option<u32>,
    ) -> Result<AnnualReport> {
        let bytes = self
            .annual_report(year, ReportFormat::Json, threshold, first_month)
            .await?;
        serde_json::from_slice(&bytes)
            .map_err(|e| Error::Encoding(format!("the report could not be read: {e}")))
    }
}
