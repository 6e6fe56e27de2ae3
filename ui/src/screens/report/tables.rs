//! The report's per-commune tables as the screen shows them (a suppressed
//! cell says so, never a zero), and the preview of the workbook, read from
//! the XLSX file itself: its sheet names and the first rows of each.

use super::chart::value_text;
use super::text::{decimal, L};
use binhan_core::model::Lang;
use binhan_core::stats::report::{Table, Value, PROVINCE_ROW};
use binhan_core::Error;
use calamine::{Data, Reader, Xlsx};
use serde::Serialize;

/// Rows of each sheet the preview shows.
pub const PREVIEW_ROWS: usize = 6;

/// One cell of a table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct TableCell {
    /// As read: "12", "62,5", "ẩn"/"suppressed", or empty.
    pub text: String,
    /// Withheld to protect survivors (the file says "x").
    pub suppressed: bool,
}

/// One row: a commune, or the province.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct TableRowView {
    /// Commune code, or `province`.
    pub code: String,
    /// The commune's name, or "Toàn tỉnh".
    pub label: String,
    /// The province's total row.
    pub total: bool,
    /// One per column.
    pub cells: Vec<TableCell>,
}

/// One table of the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct TableView {
    /// Stable id, e.g. `violence_type`.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Heading of the row-label column.
    pub row_heading: String,
    /// Column headings (after the row label).
    pub columns: Vec<String>,
    /// Column codes, in the same order.
    pub column_codes: Vec<String>,
    /// Every commune, then the province.
    pub rows: Vec<TableRowView>,
}

/// Whether a table has a row per commune (the indicators and the
/// comparison with the previous year are province-wide).
pub(crate) fn per_commune(table: &Table) -> bool {
    table.rows.iter().any(|r| r.code == PROVINCE_ROW) && table.rows.len() > 1
}

/// The label of a table in the list of tables.
pub(crate) fn table_label(table: &Table, lang: Lang) -> String {
    match lang {
        Lang::Vi => table.sheet.clone(),
        Lang::En => table.title_en.clone(),
    }
}

/// A text of the report in `lang` (the report's texts are Vietnamese).
fn text_value(text: &str, lang: Lang) -> String {
    match (lang, text) {
        (Lang::En, "Có") => L::Yes.get(lang),
        (Lang::En, "Chưa có") => L::NotYet.get(lang),
        _ => text.to_string(),
    }
}

fn cell(value: &Value, lang: Lang) -> TableCell {
    TableCell {
        text: match value {
            Value::Empty => String::new(),
            Value::Text(t) => text_value(t, lang),
            other => value_text(other, false, lang),
        },
        suppressed: *value == Value::Suppressed,
    }
}

/// `table` as the screen shows it.
pub(crate) fn table_view(table: &Table, lang: Lang) -> TableView {
    TableView {
        id: table.id.clone(),
        title: match lang {
            Lang::Vi => table.title_vi.clone(),
            Lang::En => table.title_en.clone(),
        },
        row_heading: L::RowHeading.get(lang),
        columns: table
            .columns
            .iter()
            .map(|c| match lang {
                Lang::Vi => c.vi.clone(),
                Lang::En => c.en.clone(),
            })
            .collect(),
        column_codes: table.columns.iter().map(|c| c.code.clone()).collect(),
        rows: table
            .rows
            .iter()
            .map(|r| {
                let total = r.code == PROVINCE_ROW;
                TableRowView {
                    code: r.code.clone(),
                    label: if total {
                        L::Province.get(lang)
                    } else {
                        r.label.clone()
                    },
                    total,
                    cells: r.cells.iter().map(|v| cell(v, lang)).collect(),
                }
            })
            .collect(),
    }
}

/// One sheet of the workbook, as the file holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SheetPreview {
    /// The sheet's name.
    pub name: String,
    /// Its first rows (empty rows left out), each cell as the file holds
    /// it ("x" for a suppressed one).
    pub rows: Vec<Vec<String>>,
    /// "… and 35 more rows", when there are more.
    pub more: Option<String>,
}

/// A sheet read from the file: its name and its non-empty rows, numbers
/// kept as numbers so that they are written in the reader's language.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Sheet {
    pub(crate) name: String,
    pub(crate) rows: Vec<Vec<Data>>,
    /// Non-empty rows in all.
    pub(crate) total_rows: usize,
}

/// Reads the sheets of an XLSX workbook: each one's name and first rows.
pub(crate) fn read_workbook(bytes: &[u8]) -> Result<Vec<Sheet>, Error> {
    let unreadable = |e: calamine::XlsxError| Error::Encoding(format!("workbook: {e}"));
    let mut book = Xlsx::new(std::io::Cursor::new(bytes)).map_err(unreadable)?;
    let mut sheets = Vec::new();
    for name in book.sheet_names() {
        let range = book.worksheet_range(&name).map_err(unreadable)?;
        let filled: Vec<Vec<Data>> = range
            .rows()
            .filter(|row| row.iter().any(|c| *c != Data::Empty))
            .map(<[Data]>::to_vec)
            .collect();
        sheets.push(Sheet {
            name,
            total_rows: filled.len(),
            rows: filled.into_iter().take(PREVIEW_ROWS).collect(),
        });
    }
    Ok(sheets)
}

fn data_text(data: &Data, lang: Lang) -> String {
    match data {
        Data::Int(n) => n.to_string(),
        Data::Float(x) => decimal(*x, lang),
        Data::Empty => String::new(),
        other => other.to_string(),
    }
}

/// The preview of `sheets` in `lang`.
pub(crate) fn preview(sheets: &[Sheet], lang: Lang) -> Vec<SheetPreview> {
    sheets
        .iter()
        .map(|s| SheetPreview {
            name: s.name.clone(),
            rows: s
                .rows
                .iter()
                .map(|row| {
                    let mut cells: Vec<String> = row.iter().map(|d| data_text(d, lang)).collect();
                    while cells.last().is_some_and(String::is_empty) {
                        cells.pop();
                    }
                    cells
                })
                .collect(),
            more: (s.total_rows > s.rows.len())
                .then(|| L::MoreRows(s.total_rows - s.rows.len()).get(lang)),
        })
        .collect()
}
