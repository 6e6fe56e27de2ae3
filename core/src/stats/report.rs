//! The annual report as data: tables of values, as the server computes it
//! (`binhan-server`'s `report` module), serves it as JSON, and writes it as
//! a workbook; the apps decode the JSON into the same types
//! ([`crate::app::Vault::annual_report_data`]) to draw its charts and
//! tables. Survivor counts below the disclosure threshold arrive as
//! [`Value::Suppressed`], never as a number.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The marker shown in place of a suppressed value.
pub const SUPPRESSED: &str = "x";

/// Code of the province row of per-commune tables (the other rows are
/// communes, by code).
pub const PROVINCE_ROW: &str = "province";

/// Name of the workbook's first sheet, the cover (the tables follow, one
/// sheet each).
pub const COVER_SHEET: &str = "Bìa";

/// What the disclosure control did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditSummary {
    /// The threshold applied.
    pub threshold: u32,
    /// Shown cells suppressed.
    pub suppressed_cells: usize,
    /// Shown cells in the tables the audit covered.
    pub shown_cells: usize,
    /// Rounds of complementary suppression.
    pub rounds: usize,
    /// Integer programmes solved.
    pub solves: usize,
    /// Every small cell is protected (the audit found both witnesses).
    pub protected: bool,
}

impl AuditSummary {
    /// The summary of two audits with the same threshold, of separate
    /// tables (the survivor tables and the referral table).
    pub fn and(self, other: AuditSummary) -> AuditSummary {
        AuditSummary {
            threshold: self.threshold,
            suppressed_cells: self.suppressed_cells + other.suppressed_cells,
            shown_cells: self.shown_cells + other.shown_cells,
            rounds: self.rounds.max(other.rounds),
            solves: self.solves + other.solves,
            protected: self.protected && other.protected,
        }
    }
}

/// One value of a table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum Value {
    /// A count.
    Count(u64),
    /// A signed change from the previous year.
    Change(i64),
    /// A percentage (0–100), or a change in percentage points.
    Percent(f64),
    /// Text, e.g. "Có" (yes) or a target.
    Text(String),
    /// Withheld to protect survivors: shown as [`SUPPRESSED`].
    Suppressed,
    /// Nothing to show (e.g. a share of zero).
    Empty,
}

impl Value {
    /// The count, if it is one.
    pub fn count(&self) -> Option<u64> {
        match self {
            Self::Count(n) => Some(*n),
            _ => None,
        }
    }

    /// The value as text, as the CSV export writes it.
    pub fn to_text(&self) -> String {
        match self {
            Self::Count(n) => n.to_string(),
            Self::Change(n) => format!("{n:+}"),
            Self::Percent(p) => format!("{p:.1}"),
            Self::Text(t) => t.clone(),
            Self::Suppressed => SUPPRESSED.to_string(),
            Self::Empty => String::new(),
        }
    }
}

/// A column heading.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Column {
    /// Stable code.
    pub code: String,
    /// Vietnamese heading.
    pub vi: String,
    /// English heading.
    pub en: String,
}

impl Column {
    /// A column heading from its code and its two headings.
    pub fn new(code: &str, vi: &str, en: &str) -> Self {
        Self {
            code: code.into(),
            vi: vi.into(),
            en: en.into(),
        }
    }
}

/// One row: a commune, or the province.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Row {
    /// Commune code, or `province`.
    pub code: String,
    /// Vietnamese name.
    pub label: String,
    /// One value per column.
    pub cells: Vec<Value>,
}

/// How a table's numbers are tied together; with it a reader (and the
/// attacker test) can rebuild every relation between published numbers. One
/// more relation comes from what the counts mean: in every row, survivors
/// with at least one service delivered (`survivors` table) are at least the
/// survivors given any one service and at most their sum
/// (`services_delivered` table).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Structure {
    /// The `categories` columns split survivors: in each row they add up to
    /// column `total`. The province row is the sum of the commune rows.
    /// Column `total` is the same count (survivors detected) in every table
    /// of survivors.
    Partition {
        /// Category columns.
        categories: Vec<usize>,
        /// The total column.
        total: usize,
    },
    /// Each `categories` column counts survivors with one flag (a survivor
    /// may have several), so each is at most column `total`. The province
    /// row is the sum of the commune rows.
    MultiResponse {
        /// Flag columns.
        categories: Vec<usize>,
        /// The total column.
        total: usize,
    },
    /// Registries, indicators or comparisons: no relation to protect.
    Plain,
}

/// One table of the report (one sheet of the workbook).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Table {
    /// Stable id, e.g. `violence_type`.
    pub id: String,
    /// Sheet name (Vietnamese, at most 31 characters).
    pub sheet: String,
    /// Vietnamese title.
    pub title_vi: String,
    /// English title.
    pub title_en: String,
    /// Heading of the row-label column.
    pub row_heading: String,
    /// Column headings (after the row label).
    pub columns: Vec<Column>,
    /// Rows: every commune, then the province.
    pub rows: Vec<Row>,
    /// Relations between the numbers.
    pub structure: Structure,
}

impl Table {
    /// The row with `code`.
    pub fn row(&self, code: &str) -> Option<&Row> {
        self.rows.iter().find(|r| r.code == code)
    }

    /// The index of the column with `code`.
    pub fn column(&self, code: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.code == code)
    }

    /// The value at row `row` and column `column` (codes).
    pub fn value(&self, row: &str, column: &str) -> Option<&Value> {
        let c = self.column(column)?;
        self.row(row)?.cells.get(c)
    }
}

/// One of the plan's targets and where the province stands.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Indicator {
    /// Stable code.
    pub code: String,
    /// Vietnamese name.
    pub vi: String,
    /// English name.
    pub en: String,
    /// This year.
    pub value: Value,
    /// The plan's target for 2030, if any.
    pub target: Option<String>,
    /// The same target as a number (a percentage for a share), to draw it
    /// against the value.
    #[serde(default)]
    pub target_value: Option<f64>,
    /// Whether the target is met (unknown when the value is withheld).
    pub met: Option<bool>,
    /// The previous year.
    pub previous: Value,
    /// Change from the previous year.
    pub change: Value,
}

/// The annual report to the Department of Home Affairs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnnualReport {
    /// The year reported.
    pub year: i32,
    /// The first month of its period (see [`Self::period`]).
    pub first_month: u32,
    /// Day generated.
    pub generated_on: NaiveDate,
    /// Cells below this were suppressed.
    pub threshold: u32,
    /// The plan's targets, province-wide.
    pub indicators: Vec<Indicator>,
    /// Every table, in workbook order (the indicators are the first).
    pub tables: Vec<Table>,
    /// Disclosure control of this year's tables.
    pub audit: AuditSummary,
    /// Disclosure control of the previous year's tables.
    pub audit_previous: AuditSummary,
    /// The counts published indicators rest on that no table shows, kept
    /// with the release (never shown) so that the next release of these
    /// months is audited against them too.
    #[serde(default)]
    pub bases: Vec<IndicatorBase>,
}

/// A count a published indicator rests on (how many referrals were
/// answered in time, say, behind a share), for the audit of later
/// releases.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndicatorBase {
    /// The indicator's code.
    pub indicator: String,
    /// Which of its counts.
    pub part: String,
    /// Whether it is behind the previous year's value.
    pub previous: bool,
    /// The count.
    pub count: u64,
}

impl IndicatorBase {
    /// Where [`Releases`] keeps it: the `indicators` table, row
    /// `indicator.part`, column `value` or `previous`.
    pub fn place(indicator: &str, part: &str, previous: bool) -> (String, String, String) {
        let column = if previous { "previous" } else { "value" };
        (
            "indicators".into(),
            format!("{indicator}.{part}"),
            column.into(),
        )
    }
}

impl AnnualReport {
    /// The twelve months reported.
    pub fn period(&self) -> super::ReportPeriod {
        super::ReportPeriod {
            year: self.year,
            first_month: self.first_month,
        }
    }

    /// The table with `id`.
    pub fn table(&self, id: &str) -> Option<&Table> {
        self.tables.iter().find(|t| t.id == id)
    }

    /// The indicator with `code`.
    pub fn indicator(&self, code: &str) -> Option<&Indicator> {
        self.indicators.iter().find(|i| i.code == code)
    }
}

/// What the releases of one report period published, kept on the officer's
/// vault so that a new release is audited together with them: per table,
/// row and column, every count a release showed. No record, only published
/// numbers.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Releases {
    /// The day each release was made, oldest first.
    pub made_on: Vec<NaiveDate>,
    /// `table/row/column` → the counts releases published there.
    pub published: std::collections::BTreeMap<String, std::collections::BTreeSet<u64>>,
}

impl Releases {
    fn key(table: &str, row: &str, column: &str) -> String {
        format!("{table}/{row}/{column}")
    }

    /// Adds what `report` publishes, and the counts its indicators rest on.
    pub fn add(&mut self, report: &AnnualReport) {
        self.made_on.push(report.generated_on);
        for base in &report.bases {
            let (table, row, column) =
                IndicatorBase::place(&base.indicator, &base.part, base.previous);
            self.published
                .entry(Self::key(&table, &row, &column))
                .or_default()
                .insert(base.count);
        }
        for table in &report.tables {
            for row in &table.rows {
                for (column, value) in table.columns.iter().zip(&row.cells) {
                    if let Value::Count(n) = value {
                        self.published
                            .entry(Self::key(&table.id, &row.code, &column.code))
                            .or_default()
                            .insert(*n);
                    }
                }
            }
        }
    }

    /// The counts earlier releases published in `table`, `row`, `column`.
    pub fn values(&self, table: &str, row: &str, column: &str) -> impl Iterator<Item = u64> + '_ {
        self.published
            .get(&Self::key(table, row, column))
            .into_iter()
            .flatten()
            .copied()
    }
}
