//! The report desk's view: the year, what runs or went wrong, and once the
//! report is there its chart, its tables, the workbook preview and the
//! downloads.

use super::chart::{chart, IndicatorChart};
use super::tables::{per_commune, preview, table_label, table_view, SheetPreview, TableView};
use super::text::{kilobytes, ReportWhy, L};
use super::{years, Fetched, ReportDesk, ReportEvent, ReportFile};
use crate::background::Activity;
use crate::event::Event;
use crate::view::{Action, Choice, Reason};
use binhan_core::model::Lang;
use chrono::NaiveDate;
use serde::Serialize;

/// The report, once made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ReportBody {
    /// "Báo cáo năm 2026, lập ngày 05/12/2026".
    pub heading: String,
    /// How small counts are protected, and how many cells are suppressed.
    pub suppression: String,
    /// The plan's indicators against their 2030 targets.
    pub chart: IndicatorChart,
    /// "Tables by commune".
    pub tables_label: String,
    /// "Choose a table".
    pub choose_table: String,
    /// Which table to show.
    pub tables: Vec<Choice>,
    /// The table shown.
    pub table: Option<TableView>,
    /// "Workbook preview".
    pub workbook_label: String,
    /// What the preview is.
    pub workbook_note: String,
    /// Every sheet of the workbook with its first rows.
    pub workbook: Vec<SheetPreview>,
    /// Download the XLSX and the CSV.
    pub downloads: Vec<Action>,
}

/// The report desk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ReportView {
    /// What the report is.
    pub intro: String,
    /// "Report year".
    pub year_label: String,
    /// The years offered, the chosen one selected.
    pub years: Vec<Choice>,
    /// "Making the 2026 report…", while it is made.
    pub running: Option<String>,
    /// Why it could not be made, with what to do.
    pub error: Option<Reason>,
    /// Make it again.
    pub reload: Action,
    /// The report, once made.
    pub report: Option<ReportBody>,
}

fn body(desk: &ReportDesk, fetched: &Fetched, lang: Lang) -> ReportBody {
    let report = &fetched.report;
    let shown: Vec<_> = report.tables.iter().filter(|t| per_commune(t)).collect();
    let current = desk
        .table
        .as_deref()
        .and_then(|id| shown.iter().find(|t| t.id == id))
        .or_else(|| shown.first());
    let download = |file: ReportFile, kind: &'static str, bytes: usize| {
        Action::new(
            L::Download {
                kind,
                size: kilobytes(bytes),
            }
            .get(lang),
            Event::Report {
                event: ReportEvent::Download { file },
            },
        )
    };
    ReportBody {
        heading: L::Heading {
            year: report.year,
            from: crate::format::day(report.period().first_day()),
            to: crate::format::day(report.period().last_day()),
            generated_on: crate::format::day(report.generated_on),
        }
        .get(lang),
        suppression: L::Suppression {
            threshold: report.threshold,
            suppressed: report.audit.suppressed_cells,
            shown: report.audit.shown_cells,
        }
        .get(lang),
        chart: chart(&report.indicators, lang),
        tables_label: L::Tables.get(lang),
        choose_table: L::ChooseTable.get(lang),
        tables: shown
            .iter()
            .map(|t| Choice {
                label: table_label(t, lang),
                selected: current.is_some_and(|c| c.id == t.id),
                event: Event::Report {
                    event: ReportEvent::ShowTable {
                        table: t.id.clone(),
                    },
                },
            })
            .collect(),
        table: current.map(|t| table_view(t, lang)),
        workbook_label: L::Workbook.get(lang),
        workbook_note: L::WorkbookNote.get(lang),
        workbook: preview(&fetched.sheets, lang),
        downloads: vec![
            download(ReportFile::Xlsx, "XLSX (Excel)", fetched.xlsx.len()),
            download(ReportFile::Csv, "CSV", fetched.csv.len()),
        ],
    }
}

/// The report desk on `today`, with what runs in the background (a fetch
/// of the report, or another job that a fetch waits for).
pub(crate) fn view(
    desk: &ReportDesk,
    running: Option<Activity>,
    today: NaiveDate,
    lang: Lang,
) -> ReportView {
    let chosen = desk.year;
    let fetching = running == Some(Activity::Report);
    ReportView {
        intro: L::Intro.get(lang),
        year_label: L::Year.get(lang),
        years: years(today)
            .into_iter()
            .map(|year| Choice {
                label: year.to_string(),
                selected: chosen == Some(year),
                event: Event::Report {
                    event: ReportEvent::ChooseYear { year },
                },
            })
            .collect(),
        running: fetching
            .then(|| chosen.map(|year| L::Running(year).get(lang)))
            .flatten(),
        error: desk.error.map(|why| why.reason(lang)),
        reload: Action::new(
            L::Reload.get(lang),
            Event::Report {
                event: ReportEvent::Reload,
            },
        )
        .unless(running.is_some().then(|| ReportWhy::Running.reason(lang))),
        report: desk
            .fetched
            .as_ref()
            .filter(|f| Some(f.year) == chosen)
            .map(|f| body(desk, f, lang)),
    }
}
