//! The annual report desk (báo cáo định kỳ hằng năm), for the provincial
//! officer only: choose the year, and the report is made in the background
//! on this vault (its data, its workbook and its CSV) from the
//! de-identified statistics the office's key opens (the server holds them
//! sealed) and the registries the server lists; the screen then shows the
//! plan's indicators against their 2030 targets as chart data, the
//! per-commune tables with suppressed cells marked, a preview of the
//! workbook read from the file itself, and the downloads, which go to the
//! shell as [`crate::Effect::SaveFile`].
//!
//! What was fetched is kept in memory while the app is unlocked and
//! forgotten when it locks; nothing of it is written to the phone.

pub mod chart;
pub mod tables;
pub(crate) mod text;
pub mod view;

use binhan_core::Refusal;
use binhan_report::OfficerReport;
pub use chart::{IndicatorBar, IndicatorChart};
pub use tables::{SheetPreview, TableCell, TableRowView, TableView};
pub use view::{ReportBody, ReportView};

use crate::background::Activity;
use crate::core::{Inner, Route};
use crate::effect::Effect;
use binhan_core::app::Vault;
use binhan_core::model::Role;
use binhan_core::stats::registry::ReportFormat;
use binhan_core::stats::report::AnnualReport;
use binhan_core::Error;

use serde::{Deserialize, Serialize};
use std::sync::Arc;
use text::{ReportWhy, L};

/// How many years the desk offers: this year and the ones before it.
pub const YEARS_OFFERED: i32 = 5;

/// What the person did on the report desk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum ReportEvent {
    /// Make the report of this year (one of those offered).
    ChooseYear {
        /// The year.
        year: i32,
    },
    /// Make the report of the chosen year again.
    Reload,
    /// Show this table (by its id).
    ShowTable {
        /// The table's id, e.g. `violence_type`.
        table: String,
    },
    /// Save the report as a file.
    Download {
        /// Which file.
        file: ReportFile,
    },
}

/// A file of the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum ReportFile {
    /// The workbook: a cover sheet, then one sheet per table.
    Xlsx,
    /// Every value, one per line.
    Csv,
}

impl ReportFile {
    fn format(self) -> ReportFormat {
        match self {
            ReportFile::Xlsx => ReportFormat::Xlsx,
            ReportFile::Csv => ReportFormat::Csv,
        }
    }

    /// The file's name, as the server names it: `bao-cao-blg-2026.xlsx`.
    pub(crate) fn name(self, year: i32) -> String {
        format!("bao-cao-blg-{year}.{}", self.format().extension())
    }
}

/// The report of one year as fetched: its data, its two files, and the
/// workbook's sheets read back from the file.
#[derive(Debug)]
pub(crate) struct Fetched {
    pub(crate) year: i32,
    pub(crate) report: AnnualReport,
    pub(crate) xlsx: Vec<u8>,
    pub(crate) csv: Vec<u8>,
    pub(crate) sheets: Vec<tables::Sheet>,
}

/// Makes the report of `year` on this vault, from the statistics only the
/// office's key opens (run in the background).
pub(crate) async fn fetch(vault: &Vault, year: i32) -> Result<Fetched, Error> {
    let report = vault.annual_report_data(year, None, None).await?;
    let xlsx = binhan_report::to_xlsx(&report)
        .map_err(|e| Error::Encoding(format!("the workbook: {e}")))?;
    let csv = binhan_report::to_csv(&report).into_bytes();
    let sheets = tables::read_workbook(&xlsx)?;
    Ok(Fetched {
        year,
        report,
        xlsx,
        csv,
        sheets,
    })
}

/// The report desk's state, kept while the app is unlocked.
#[derive(Debug, Default)]
pub(crate) struct ReportDesk {
    /// The year chosen.
    pub(crate) year: Option<i32>,
    /// The table shown (its id); the first per-commune table otherwise.
    pub(crate) table: Option<String>,
    /// The report fetched for `year`.
    pub(crate) fetched: Option<Arc<Fetched>>,
    /// Why the last fetch failed.
    pub(crate) error: Option<ReportWhy>,
}

/// The years offered on `today`: the year of the report period that holds
/// it (December to November: from 1 December, next year's) and the four
/// before it, newest first. The default is that current one, whose report
/// is due before the 1 December that ends it.
pub(crate) fn years(today: chrono::NaiveDate) -> Vec<i32> {
    let now = current_year(today);
    (0..YEARS_OFFERED).map(|back| now - back).collect()
}

/// The year of the report period that holds `today`.
pub(crate) fn current_year(today: chrono::NaiveDate) -> i32 {
    binhan_core::stats::ReportPeriod::containing(today).year
}

/// Whether a device of `role` may open the report desk; why not.
pub(crate) fn may_open(role: Option<Role>) -> Result<(), ReportWhy> {
    match role {
        None => Err(ReportWhy::NotEnrolled),
        Some(Role::ProvincialOfficer) => Ok(()),
        Some(_) => Err(ReportWhy::NotOfficer),
    }
}

/// Why a fetch failed, as the officer reads it.
pub(crate) fn why(error: &Error) -> ReportWhy {
    match error {
        Error::Network(_) => ReportWhy::Offline,
        Error::NotEnrolled => ReportWhy::NotEnrolled,
        Error::NotAllowed(Refusal::NoSigningKey) => ReportWhy::NoOfficeKey,
        Error::NotAllowed(Refusal::OfficersOnly) | Error::Refused { status: 403, .. } => {
            ReportWhy::NotOfficer
        }
        Error::Refused { status: 429, .. } => ReportWhy::ServerBusy,
        Error::Refused { .. } => ReportWhy::ServerRefused,
        _ => ReportWhy::Unreadable,
    }
}

impl ReportDesk {
    /// The file to save, if the report is there.
    pub(crate) fn file(&self, file: ReportFile) -> Result<Effect, ReportWhy> {
        let fetched = self.fetched.as_ref().ok_or(ReportWhy::NotLoaded)?;
        let (mime, bytes) = match file {
            ReportFile::Xlsx => (ReportFormat::Xlsx.content_type(), fetched.xlsx.clone()),
            ReportFile::Csv => (ReportFormat::Csv.content_type(), fetched.csv.clone()),
        };
        Ok(Effect::SaveFile {
            name: file.name(fetched.year),
            mime: mime.to_string(),
            bytes,
        })
    }

    /// Whether `table` is one the desk shows.
    fn shows_table(&self, table: &str) -> bool {
        self.fetched.as_ref().is_some_and(|f| {
            f.report
                .tables
                .iter()
                .any(|t| t.id == table && tables::per_commune(t))
        })
    }
}

// What the report events do.
impl Inner {
    fn report_role(&self) -> Option<Role> {
        self.enrolment().map(|e| e.role)
    }

    fn report_refuse(&mut self, why: ReportWhy) {
        let reason = why.reason(self.lang);
        self.notice(crate::view::NoticeLevel::Error, reason);
    }

    /// Opens the report desk (officers only) and makes the report of the
    /// year chosen, this year at first. `now` is the time of the event.
    pub(crate) fn report_open(&mut self, now: u64) {
        if let Err(why) = may_open(self.report_role()) {
            return self.report_refuse(why);
        }
        if *self.top() != Route::Report {
            self.stack.push(Route::Report);
        }
        let year = self
            .report
            .year
            .unwrap_or_else(|| current_year(crate::format::today(now)));
        self.report_fetch(year);
    }

    /// Starts fetching the report of `year`.
    fn report_fetch(&mut self, year: i32) {
        if !self.sync.begin(Activity::Report) {
            return self.report_refuse(ReportWhy::Running);
        }
        self.report.year = Some(year);
        self.report.error = None;
        if self.report.fetched.as_ref().is_some_and(|f| f.year != year) {
            self.report.fetched = None;
            self.report.table = None;
        }
        self.jobs.push(crate::background::Job::Report { year });
    }

    /// A report event, on the report desk only.
    pub(crate) fn report_event(&mut self, event: ReportEvent, now: u64) {
        if *self.top() != Route::Report {
            return self.refuse(crate::text::Why::NotAvailableHere);
        }
        match event {
            ReportEvent::ChooseYear { year } => {
                if years(crate::format::today(now)).contains(&year) {
                    self.report_fetch(year);
                } else {
                    self.refuse(crate::text::Why::NotAvailableHere);
                }
            }
            ReportEvent::Reload => {
                let year = self
                    .report
                    .year
                    .unwrap_or_else(|| current_year(crate::format::today(now)));
                self.report_fetch(year);
            }
            ReportEvent::ShowTable { table } => {
                if self.report.shows_table(&table) {
                    self.report.table = Some(table);
                } else {
                    self.refuse(crate::text::Why::NotAvailableHere);
                }
            }
            ReportEvent::Download { file } => match self.report.file(file) {
                Ok(effect) => {
                    if let Effect::SaveFile { name, .. } = &effect {
                        let text = L::FileReady(name.clone()).get(self.lang);
                        self.inform_text("report_file_ready", text);
                    }
                    self.effects.push(effect);
                }
                Err(why) => self.report_refuse(why),
            },
        }
    }

    /// How a fetch ended.
    pub(crate) fn report_fetched(&mut self, outcome: Result<Fetched, ReportWhy>) {
        match outcome {
            Ok(fetched) if Some(fetched.year) == self.report.year => {
                self.report.fetched = Some(Arc::new(fetched));
                self.report.error = None;
            }
            // The officer chose another year meanwhile.
            Ok(_) => {}
            Err(why) => self.report.error = Some(why),
        }
    }
}

#[cfg(test)]
pub(crate) mod tests;
