//! Importing the programme registries from a file the province already
//! keeps: a CSV or XLSX sheet of training attendance, of schools or of
//! enterprises (the layout is in `docs/statistics.md`). Every bad row is
//! reported by its line with a coded reason ([`Rule`], Vietnamese and
//! English); a file with any problem yields no entries at all, so nothing
//! is half-imported.
//!
//! The sheet's kind is told by its header row, whose names are compared
//! without accents or case ("Ngày", "ngay", "Date" alike). Columns the
//! layout does not name (a "Ghi chú", a trainee's name) are ignored and
//! never read into an entry.

use super::registry::{
    Attendee, Enterprise, ProgrammeRegistries, School, TraineeRole, TrainingSession, PROVINCE,
};
use crate::error::Rule;
use crate::shelters::roads::{commune_named, search_key};
use crate::Error;
use chrono::NaiveDate;
use std::collections::{HashMap, HashSet};

/// Largest file accepted, in MiB.
pub const MAX_IMPORT_MIB: u32 = 5;
/// Largest file accepted, in bytes.
pub const MAX_IMPORT_BYTES: usize = MAX_IMPORT_MIB as usize * 1024 * 1024;
/// Longest text accepted in a cell, in characters.
const MAX_TEXT: usize = 200;

/// What a sheet holds, told by its header row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportKind {
    /// Training attendance: one row per attendee (or per session without
    /// attendees), grouped into sessions by day, commune and title.
    TrainingSessions,
    /// Schools and the day each took up the GBV procedure.
    Schools,
    /// Enterprises and the day each adopted anti-harassment rules.
    Enterprises,
}

/// One problem of a file: its line (1 is the first line of the file; 0
/// for the file as a whole), the column as the file names it, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportProblem {
    /// Line of the file (the spreadsheet's row number), 0 for the file.
    pub line: u32,
    /// The column's header as written in the file, if one column is at
    /// fault.
    pub column: Option<String>,
    /// Why, with its stable code and texts.
    pub rule: Rule,
}

/// What a file holds: the entries it would record, and every problem. The
/// entries are recorded only if there is no problem at all.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Import {
    /// What the sheet holds, once its header was recognised.
    pub kind: Option<ImportKind>,
    /// Data rows read (blank rows excepted).
    pub rows: u32,
    /// The entries, grouped (sessions with their attendees).
    pub entries: ProgrammeRegistries,
    /// Every problem, in the file's order.
    pub problems: Vec<ImportProblem>,
}

impl Import {
    /// The entries to record, if the file has no problem; nothing otherwise.
    pub fn accepted(&self) -> Option<&ProgrammeRegistries> {
        (self.problems.is_empty() && self.kind.is_some() && self.rows > 0).then_some(&self.entries)
    }

    fn whole(rule: Rule) -> Self {
        Self {
            problems: vec![ImportProblem {
                line: 0,
                column: None,
                rule,
            }],
            ..Self::default()
        }
    }
}

/// A cell as read.
#[derive(Debug, Clone, PartialEq)]
enum Cell {
    Text(String),
    Date(NaiveDate),
}

impl Cell {
    fn text(&self) -> String {
        match self {
            Cell::Text(t) => t.trim().to_string(),
            Cell::Date(d) => d.to_string(),
        }
    }
}

/// A sheet: each non-blank row with its line number.
type Sheet = Vec<(u32, Vec<Cell>)>;

/// Reads `bytes`, a file called `name` (`.xlsx` or `.csv`; a ZIP signature
/// means XLSX whatever its name). `commune`: the commune of a commune case
/// manager, who imports only training sessions held there; `None` for the
/// officer.
pub fn read(name: &str, bytes: &[u8], commune: Option<&str>) -> Import {
    if bytes.len() > MAX_IMPORT_BYTES {
        return Import::whole(Rule::TooLarge {
            max_mib: MAX_IMPORT_MIB,
        });
    }
    let xlsx = bytes.starts_with(b"PK\x03\x04") || name.to_lowercase().ends_with(".xlsx");
    let sheet = if xlsx {
        xlsx_sheet(bytes)
    } else {
        csv_sheet(bytes)
    };
    match sheet {
        Ok(sheet) => entries(&sheet, commune),
        Err(problem) => Import {
            problems: vec![problem],
            ..Import::default()
        },
    }
}

fn problem(line: u32, column: Option<&str>, rule: Rule) -> ImportProblem {
    ImportProblem {
        line,
        column: column.map(str::to_string),
        rule,
    }
}

/// The first sheet of a workbook.
fn xlsx_sheet(bytes: &[u8]) -> Result<Sheet, ImportProblem> {
    use calamine::{Data, DataType, Reader, Xlsx};
    let corrupted = || problem(0, None, Rule::Corrupted);
    let mut book: Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).map_err(|_| corrupted())?;
    let range = book
        .worksheet_range_at(0)
        .ok_or_else(|| problem(0, None, Rule::Empty))?
        .map_err(|_| corrupted())?;
    let first = range.start().map_or(0, |(row, _)| row);
    let leading = range.start().map_or(0, |(_, col)| col as usize);
    let mut sheet = Vec::new();
    for (i, row) in range.rows().enumerate() {
        let line = first + i as u32 + 1;
        let mut cells = vec![Cell::Text(String::new()); leading];
        cells.extend(row.iter().map(|cell| {
            match cell {
                Data::DateTime(_) | Data::DateTimeIso(_) => cell
                    .as_date()
                    .map(Cell::Date)
                    .unwrap_or_else(|| Cell::Text(cell.to_string())),
                Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => {
                    Cell::Text(format!("{}", *f as i64))
                }
                Data::Empty => Cell::Text(String::new()),
                other => Cell::Text(other.to_string()),
            }
        }));
        if cells.iter().any(|c| !c.text().is_empty()) {
            sheet.push((line, cells));
        }
    }
    Ok(sheet)
}

/// A CSV file in UTF-8 (with or without a byte-order mark), its fields
/// separated by commas, semicolons (as Excel writes them where the comma is
/// the decimal mark) or tabs, told from the first line.
fn csv_sheet(bytes: &[u8]) -> Result<Sheet, ImportProblem> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let first = bytes.split(|b| *b == b'\n').next().unwrap_or_default();
    let count = |d: u8| first.iter().filter(|b| **b == d).count();
    let delimiter = [b',', b';', b'\t']
        .into_iter()
        .max_by_key(|d| count(*d))
        .unwrap_or(b',');
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(bytes);
    // The line of a byte offset, counted here: the reader skips blank
    // lines without counting them.
    let line_at = |byte: u64| {
        let mut upto = bytes.len().min(byte as usize);
        while matches!(bytes.get(upto), Some(b'\r' | b'\n')) {
            upto += 1;
        }
        1 + bytes[..upto].iter().filter(|b| **b == b'\n').count() as u32
    };
    let mut sheet = Vec::new();
    for record in reader.byte_records() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(0, |p| line_at(p.byte()));
            problem(line, None, Rule::BadFormat)
        })?;
        let line = record.position().map_or(0, |p| line_at(p.byte()));
        let cells = record
            .iter()
            .map(|field| std::str::from_utf8(field).map(|t| Cell::Text(t.to_string())))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|_| problem(line, None, Rule::BadFormat))?;
        if cells.iter().any(|c| !c.text().is_empty()) {
            sheet.push((line, cells));
        }
    }
    Ok(sheet)
}

/// The columns of the layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Col {
    Date,
    Commune,
    Title,
    Person,
    PersonCommune,
    Role,
    School,
    Enterprise,
    Since,
}

/// Each column's accepted headers, compared by [`search_key`]; the first
/// is the name problems use when the column is missing.
const HEADERS: &[(Col, &[&str])] = &[
    (Col::Date, &["Ngày", "Ngày tổ chức", "Date"]),
    (
        Col::Commune,
        &["Xã", "Xã, phường", "Nơi tổ chức", "Xã tổ chức", "Commune"],
    ),
    (Col::Title, &["Chủ đề", "Nội dung", "Tên lớp", "Title"]),
    (Col::Person, &["Mã học viên", "Mã người học", "Person"]),
    (
        Col::PersonCommune,
        &["Xã học viên", "Xã công tác", "Person commune"],
    ),
    (Col::Role, &["Vai trò", "Role"]),
    (Col::School, &["Tên trường", "Trường", "School"]),
    (
        Col::Enterprise,
        &["Tên doanh nghiệp", "Doanh nghiệp", "Enterprise"],
    ),
    (
        Col::Since,
        &[
            "Áp dụng quy trình từ",
            "Có nội quy từ",
            "Từ ngày",
            "Procedure since",
            "Rules since",
            "Since",
        ],
    ),
];

/// The header row: where each known column is, and its header as written.
struct Header {
    line: u32,
    at: HashMap<Col, (usize, String)>,
}

impl Header {
    fn read(line: u32, cells: &[Cell]) -> Self {
        let mut at = HashMap::new();
        for (i, cell) in cells.iter().enumerate() {
            let written = cell.text();
            let key = search_key(&written);
            if let Some((col, _)) = HEADERS
                .iter()
                .find(|(_, names)| names.iter().any(|n| search_key(n) == key))
            {
                at.entry(*col).or_insert((i, written));
            }
        }
        Self { line, at }
    }

    fn kind(&self) -> Option<ImportKind> {
        if self.at.contains_key(&Col::Title) {
            Some(ImportKind::TrainingSessions)
        } else if self.at.contains_key(&Col::School) {
            Some(ImportKind::Schools)
        } else if self.at.contains_key(&Col::Enterprise) {
            Some(ImportKind::Enterprises)
        } else {
            None
        }
    }

    /// A problem for each required column the header lacks.
    fn missing(&self, required: &[Col]) -> Vec<ImportProblem> {
        required
            .iter()
            .filter(|c| !self.at.contains_key(c))
            .map(|c| {
                let name = HEADERS
                    .iter()
                    .find(|(col, _)| col == c)
                    .map_or("", |(_, names)| names[0]);
                problem(self.line, Some(name), Rule::Required)
            })
            .collect()
    }
}

/// The commune `text` names, by code or name ("mu_ca", "Xã Mù Cả", "mù
/// cả"); with `province`, "Tỉnh" or "province" name a provincial session
/// ([`PROVINCE`]).
pub fn commune_code(text: &str, province: bool) -> Option<String> {
    let text = text.trim();
    let key = search_key(text);
    if province && (text == PROVINCE || ["tinh", "cap tinh"].contains(&key.as_str())) {
        return Some(PROVINCE.to_string());
    }
    crate::model::commune(text)
        .or_else(|| commune_named(text))
        .map(|c| c.code.to_string())
}

/// One data row being read: its cells, and its problems as they are found.
struct Row<'a> {
    line: u32,
    cells: &'a [Cell],
    header: &'a Header,
    problems: Vec<ImportProblem>,
}

impl Row<'_> {
    fn column(&self, col: Col) -> Option<&str> {
        self.header.at.get(&col).map(|(_, name)| name.as_str())
    }

    fn cell(&self, col: Col) -> Option<&Cell> {
        let (i, _) = self.header.at.get(&col)?;
        self.cells.get(*i).filter(|c| !c.text().is_empty())
    }

    fn fail(&mut self, col: Col, rule: Rule) {
        let column = self.column(col).map(str::to_string);
        self.problems.push(ImportProblem {
            line: self.line,
            column,
            rule,
        });
    }

    /// A text of at most [`MAX_TEXT`] characters; `None` when blank.
    fn text(&mut self, col: Col) -> Option<String> {
        let text = self.cell(col)?.text();
        if text.chars().count() > MAX_TEXT {
            self.fail(
                col,
                Rule::TooLong {
                    max: MAX_TEXT as u32,
                },
            );
            return None;
        }
        if text.chars().any(char::is_control) {
            self.fail(col, Rule::ControlCharacters);
            return None;
        }
        Some(text)
    }

    /// Whether the cell has something, noting `Empty` if not.
    fn filled(&mut self, col: Col) -> bool {
        let filled = self.cell(col).is_some();
        if !filled {
            self.fail(col, Rule::Empty);
        }
        filled
    }

    fn required(&mut self, col: Col) -> Option<String> {
        if self.filled(col) {
            self.text(col)
        } else {
            None
        }
    }

    /// A day as a spreadsheet date, `2026-05-10`, `10/05/2026`,
    /// `10-05-2026` or `10.05.2026`.
    fn date(&mut self, col: Col) -> Option<NaiveDate> {
        let day = match self.cell(col)? {
            Cell::Date(d) => Some(*d),
            Cell::Text(t) => ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"]
                .iter()
                .find_map(|f| NaiveDate::parse_from_str(t.trim(), f).ok()),
        };
        if day.is_none() {
            self.fail(col, Rule::BadFormat);
        }
        day
    }

    /// A commune by code or name ("mu_ca", "Xã Mù Cả", "Mù Cả"); with
    /// `province`, "Tỉnh" or "province" for a provincial session.
    fn commune(&mut self, col: Col, province: bool) -> Option<String> {
        let text = self.text(col)?;
        let found = commune_code(&text, province);
        if found.is_none() {
            self.fail(col, Rule::NotACommune);
        }
        found
    }

    fn role(&mut self) -> Option<TraineeRole> {
        let key = search_key(&self.text(Col::Role)?);
        let role = match key.as_str() {
            "ctv" | "cong tac vien" | "cong tac vien co so" | "collaborator" => {
                Some(TraineeRole::Collaborator)
            }
            "can bo" | "cong chuc" | "vien chuc" | "can bo, cong chuc, vien chuc" | "official" => {
                Some(TraineeRole::Official)
            }
            _ => None,
        };
        if role.is_none() {
            self.fail(Col::Role, Rule::NotInList);
        }
        role
    }

    /// The commune, which a manager's file may only name as its own.
    fn own_commune(&mut self, col: Col, province: bool, scope: Option<&str>) -> Option<String> {
        let commune = self.commune(col, province)?;
        if scope.is_some_and(|own| own != commune) {
            self.fail(col, Rule::OtherCommune);
        }
        Some(commune)
    }
}

/// Reads the entries of a sheet, noting every problem.
fn entries(sheet: &Sheet, scope: Option<&str>) -> Import {
    let Some(((header_line, header_cells), data)) = sheet.split_first() else {
        return Import::whole(Rule::Empty);
    };
    let header = Header::read(*header_line, header_cells);
    let Some(kind) = header.kind() else {
        return Import {
            problems: vec![problem(*header_line, None, Rule::WrongFileKind)],
            ..Import::default()
        };
    };
    let mut import = Import {
        kind: Some(kind),
        rows: data.len() as u32,
        ..Import::default()
    };
    if scope.is_some() && kind != ImportKind::TrainingSessions {
        import
            .problems
            .push(problem(*header_line, None, Rule::WrongFileKind));
        return import;
    }
    let required: &[Col] = match kind {
        ImportKind::TrainingSessions => &[Col::Date, Col::Commune, Col::Title],
        ImportKind::Schools => &[Col::School, Col::Commune],
        ImportKind::Enterprises => &[Col::Enterprise, Col::Commune],
    };
    import.problems = header.missing(required);
    if !import.problems.is_empty() {
        return import;
    }
    if data.is_empty() {
        import.problems.push(problem(0, None, Rule::Empty));
        return import;
    }
    let mut sessions: HashMap<(NaiveDate, String, String), usize> = HashMap::new();
    let mut seen: HashSet<(usize, String, TraineeRole)> = HashSet::new();
    let mut institutions: HashSet<(String, String)> = HashSet::new();
    for (line, cells) in data {
        let mut row = Row {
            line: *line,
            cells,
            header: &header,
            problems: Vec::new(),
        };
        match kind {
            ImportKind::TrainingSessions => training_row(
                &mut row,
                scope,
                &mut import.entries,
                &mut sessions,
                &mut seen,
            ),
            ImportKind::Schools | ImportKind::Enterprises => {
                institution_row(&mut row, kind, &mut import.entries, &mut institutions)
            }
        }
        import.problems.append(&mut row.problems);
    }
    if let Err(Error::Invalid { rule, .. }) = import.entries.validate() {
        import.problems.push(problem(0, None, rule));
    }
    if !import.problems.is_empty() {
        import.entries = ProgrammeRegistries::default();
    }
    import
}

fn training_row(
    row: &mut Row<'_>,
    scope: Option<&str>,
    entries: &mut ProgrammeRegistries,
    sessions: &mut HashMap<(NaiveDate, String, String), usize>,
    seen: &mut HashSet<(usize, String, TraineeRole)>,
) {
    let date = if row.filled(Col::Date) {
        row.date(Col::Date)
    } else {
        None
    };
    let commune = if row.filled(Col::Commune) {
        row.own_commune(Col::Commune, true, scope)
    } else {
        None
    };
    let title = row.required(Col::Title);
    let attends = [Col::Person, Col::Role, Col::PersonCommune]
        .iter()
        .any(|c| row.cell(*c).is_some());
    let mut attendee = None;
    if attends {
        let person = row.required(Col::Person);
        let role = if row.filled(Col::Role) {
            row.role()
        } else {
            None
        };
        let theirs = if row.cell(Col::PersonCommune).is_some() {
            row.commune(Col::PersonCommune, false)
        } else if commune.as_deref() == Some(PROVINCE) {
            // Who came to a provincial session needs their own commune.
            row.fail(Col::PersonCommune, Rule::Empty);
            None
        } else {
            commune.clone()
        };
        attendee = person
            .zip(role)
            .zip(theirs)
            .map(|((person, role), commune)| Attendee {
                person,
                commune,
                role,
            });
    }
    let (Some(date), Some(commune), Some(title)) = (date, commune, title) else {
        return;
    };
    if !row.problems.is_empty() {
        return;
    }
    let at = *sessions
        .entry((date, commune.clone(), title.clone()))
        .or_insert_with(|| {
            entries.training_sessions.push(TrainingSession {
                date,
                commune,
                title,
                attendees: Vec::new(),
            });
            entries.training_sessions.len() - 1
        });
    if let Some(attendee) = attendee {
        if !seen.insert((at, search_key(&attendee.person), attendee.role)) {
            return row.fail(Col::Person, Rule::Duplicate);
        }
        entries.training_sessions[at].attendees.push(attendee);
    }
}

fn institution_row(
    row: &mut Row<'_>,
    kind: ImportKind,
    entries: &mut ProgrammeRegistries,
    seen: &mut HashSet<(String, String)>,
) {
    let name_col = if kind == ImportKind::Schools {
        Col::School
    } else {
        Col::Enterprise
    };
    let name = row.required(name_col);
    let commune = if row.filled(Col::Commune) {
        row.commune(Col::Commune, false)
    } else {
        None
    };
    let since = row.date(Col::Since);
    let (Some(name), Some(commune)) = (name, commune) else {
        return;
    };
    if !row.problems.is_empty() {
        return;
    }
    if !seen.insert((commune.clone(), search_key(&name))) {
        return row.fail(name_col, Rule::Duplicate);
    }
    if kind == ImportKind::Schools {
        entries.schools.push(School {
            name,
            commune,
            procedure_since: since,
        });
    } else {
        entries.enterprises.push(Enterprise {
            name,
            commune,
            rules_since: since,
        });
    }
}

#[cfg(test)]
#[path = "import_tests.rs"]
mod tests;
