//! The provincial officer's side of the programme registries: recording
//! them on the server and listing them. The server refuses every other
//! role. (The annual report itself is made by `binhan-report` from what
//! [`Vault::statistics_records`] opens.)

use super::Vault;
use crate::stats::registry::{ProgrammeRegistries, RegistryCounts, RegistryListing};
use crate::stats::report::{AnnualReport, Releases};
use crate::stats::ReportPeriod;
use crate::Result;
use std::collections::BTreeMap;

/// Meta key: what every report this vault made published, per period.
const RELEASES_META: &str = "report.releases";

fn period_key(period: ReportPeriod) -> String {
    format!("{}-{:02}", period.year, period.first_month)
}

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

    /// (Provincial officer) Every period this vault made reports of, with
    /// what they published (read once: a report needs its own period's,
    /// its neighbours' and every period's start).
    pub fn report_releases(&self) -> Result<Vec<(ReportPeriod, Releases)>> {
        self.officer_only()?;
        let all: BTreeMap<String, Releases> = self
            .with_store(|s| s.meta(RELEASES_META))?
            .unwrap_or_default();
        Ok(all
            .into_iter()
            .filter_map(|(key, releases)| {
                let (year, month) = key.split_once('-')?;
                let period = ReportPeriod {
                    year: year.parse().ok()?,
                    first_month: month.parse().ok()?,
                };
                Some((period, releases))
            })
            .collect())
    }

    /// (Provincial officer) Keeps what `report` publishes, as a release of
    /// its period: later reports of the period are audited with it.
    pub fn keep_report_release(&self, report: &AnnualReport) -> Result<()> {
        self.officer_only()?;
        self.with_store(|store| {
            store.update_meta(RELEASES_META, |all: Option<BTreeMap<String, Releases>>| {
                let mut all = all.unwrap_or_default();
                all.entry(period_key(report.period()))
                    .or_default()
                    .add(report);
                Ok((all, ()))
            })
        })
    }
}
