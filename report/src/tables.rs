//! The survivor tables: their breakdowns, the linked cells that disclosure
//! control works on, and the published tables built from them.

use super::disclosure::{CellId, Grid, Status};
use super::input::Tally;
use binhan_core::model::{
    Coded, ContextFlag, EthnicGroup, ServiceType, Sex, ViolenceType, COMMUNES,
};
use binhan_core::stats::report::{AuditSummary, Releases, PROVINCE_ROW};
use binhan_core::stats::report::{Column, Row, Structure, Table, Value};
use binhan_core::stats::{AgeBand, StatRecord};

/// Whether a breakdown's columns split survivors or flag them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DimensionKind {
    /// Every survivor in exactly one column.
    Partition,
    /// Every survivor in any number of columns.
    MultiResponse,
}

/// A breakdown of survivors by commune and one attribute.
#[derive(Debug, Clone)]
pub(crate) struct Dimension {
    pub id: &'static str,
    pub sheet: &'static str,
    pub title_vi: &'static str,
    pub title_en: &'static str,
    pub kind: DimensionKind,
    pub columns: Vec<Column>,
    /// Pushes the Column::new(s) a record falls in.
    pub classify: fn(&StatRecord, &mut Vec<usize>),
}

fn coded<T: Coded>() -> Vec<Column> {
    T::ALL
        .iter()
        .map(|v| Column::new(v.code(), v.label_vi(), v.label_en()))
        .collect()
}

fn yes_no_unknown() -> Vec<Column> {
    vec![
        Column::new("yes", "Có", "yes"),
        Column::new("no", "Không", "no"),
        Column::new("unknown", "Không rõ", "unknown"),
    ]
}

fn yes_no(value: Option<bool>) -> usize {
    match value {
        Some(true) => 0,
        Some(false) => 1,
        None => 2,
    }
}

/// Code of the total column (survivors detected) in every survivor table.
pub(crate) const SURVIVORS_CODE: &str = "total";

/// Every breakdown, in report order. The first is the survivors table.
pub(crate) fn dimensions() -> Vec<Dimension> {
    let mut ethnic = coded::<EthnicGroup>();
    ethnic.push(Column::new("unknown", "Không rõ", "unknown"));
    vec![
        Dimension {
            id: "survivors",
            sheet: "Người bị BLG",
            title_vi: "Người bị bạo lực trên cơ sở giới được phát hiện và tiếp cận dịch vụ hỗ trợ",
            title_en: "Survivors detected and reached by support services",
            kind: DimensionKind::Partition,
            columns: vec![
                Column::new(
                    "with_service",
                    "Được cung cấp ít nhất 1 dịch vụ hỗ trợ",
                    "at least one service delivered",
                ),
                Column::new(
                    "without_service",
                    "Chưa được cung cấp dịch vụ hỗ trợ",
                    "no service delivered yet",
                ),
            ],
            classify: |r, out| out.push(usize::from(!r.any_service_delivered())),
        },
        Dimension {
            id: "violence_type",
            sheet: "Loại bạo lực",
            title_vi: "Người bị bạo lực theo loại bạo lực",
            title_en: "Survivors by violence type",
            kind: DimensionKind::Partition,
            columns: coded::<ViolenceType>(),
            classify: |r, out| out.push(r.violence_type as usize),
        },
        Dimension {
            id: "context",
            sheet: "Hình thức, bối cảnh",
            title_vi: "Người bị bạo lực theo hình thức, bối cảnh (một người có thể thuộc nhiều hình thức)",
            title_en: "Survivors by context (a survivor may have several)",
            kind: DimensionKind::MultiResponse,
            columns: coded::<ContextFlag>(),
            classify: |r, out| out.extend(r.contexts.iter().map(|c| *c as usize)),
        },
        Dimension {
            id: "sex",
            sheet: "Giới tính",
            title_vi: "Người bị bạo lực theo giới tính",
            title_en: "Survivors by sex",
            kind: DimensionKind::Partition,
            columns: coded::<Sex>(),
            classify: |r, out| out.push(r.sex as usize),
        },
        Dimension {
            id: "age_band",
            sheet: "Nhóm tuổi",
            title_vi: "Người bị bạo lực theo nhóm tuổi",
            title_en: "Survivors by age band",
            kind: DimensionKind::Partition,
            columns: coded::<AgeBand>(),
            classify: |r, out| out.push(r.age_band as usize),
        },
        Dimension {
            id: "ethnic_group",
            sheet: "Dân tộc",
            title_vi: "Người bị bạo lực theo dân tộc",
            title_en: "Survivors by ethnic group",
            kind: DimensionKind::Partition,
            columns: ethnic,
            classify: |r, out| {
                out.push(
                    r.ethnic_group
                        .map_or(EthnicGroup::ALL.len(), |e| e as usize),
                )
            },
        },
        Dimension {
            id: "disability",
            sheet: "Khuyết tật",
            title_vi: "Người bị bạo lực là người khuyết tật",
            title_en: "Survivors with a disability",
            kind: DimensionKind::Partition,
            columns: yes_no_unknown(),
            classify: |r, out| out.push(yes_no(r.disability)),
        },
        Dimension {
            id: "migrant_worker",
            sheet: "Lao động di cư",
            title_vi: "Người bị bạo lực là lao động di cư",
            title_en: "Survivors who are migrant workers",
            kind: DimensionKind::Partition,
            columns: yes_no_unknown(),
            classify: |r, out| out.push(yes_no(r.migrant_worker)),
        },
        Dimension {
            id: "services_delivered",
            sheet: "Dịch vụ đã cung cấp",
            title_vi: "Người bị bạo lực được cung cấp dịch vụ, theo loại dịch vụ (một người có thể nhận nhiều dịch vụ)",
            title_en: "Survivors delivered each service (a survivor may receive several)",
            kind: DimensionKind::MultiResponse,
            columns: coded::<ServiceType>(),
            classify: |r, out| out.extend(r.services_delivered.iter().map(|s| *s as usize)),
        },
    ]
}

/// Costs of suppressing a cell: interior cells are cheapest, commune and
/// province totals dearer, the province total dearest.
const COST_CELL: u32 = 10;
const COST_MARGIN: u32 = 40;
const COST_GRAND_TOTAL: u32 = 1_000;

/// The cells of one breakdown.
#[derive(Debug, Clone)]
pub(crate) struct DimensionCells {
    /// Per commune, per column (for a multi-response breakdown: the flag).
    pub communes: Vec<Vec<CellId>>,
    /// The province row, per column.
    pub province: Vec<CellId>,
}

/// One year's linked cells.
#[derive(Debug, Clone)]
pub(crate) struct YearGrid {
    pub grid: Grid,
    pub survivors: Vec<CellId>,
    pub total: CellId,
    pub dims: Vec<DimensionCells>,
    pub audit: AuditSummary,
}

/// Which year of the report a grid counts: its cells show in different
/// places of the published tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Year {
    /// The report year.
    Current,
    /// The twelve months before.
    Previous,
}

/// Where the published tables show each cell of a year's grid, as
/// `(table, row, column)`: the values earlier releases published there are
/// the cell's anchors.
struct Places<'a> {
    dims: &'a [Dimension],
    year: Year,
}

impl Places<'_> {
    fn row(commune: Option<usize>) -> String {
        commune.map_or(PROVINCE_ROW.to_string(), |c| COMMUNES[c].code.to_string())
    }

    /// A commune's survivors (`None`: the province's).
    fn survivors(&self, commune: Option<usize>) -> Vec<(String, String, String)> {
        let row = Self::row(commune);
        match self.year {
            Year::Current => {
                let mut places: Vec<_> = self
                    .dims
                    .iter()
                    .map(|d| (d.id.to_string(), row.clone(), SURVIVORS_CODE.to_string()))
                    .collect();
                if commune.is_none() {
                    places.push((
                        "comparison".into(),
                        "survivors.total".into(),
                        "current".into(),
                    ));
                }
                places
            }
            Year::Previous => {
                let mut places: Vec<_> = self
                    .dims
                    .first()
                    .map(|d| (d.id.to_string(), row, "previous_total".to_string()))
                    .into_iter()
                    .collect();
                if commune.is_none() {
                    places.push((
                        "comparison".into(),
                        "survivors.total".into(),
                        "previous".into(),
                    ));
                }
                places
            }
        }
    }

    /// Breakdown `d`'s column `k` for a commune (`None`: the province).
    fn cell(&self, d: usize, commune: Option<usize>, k: usize) -> Vec<(String, String, String)> {
        let (dim, col) = (&self.dims[d], &self.dims[d].columns[k].code);
        let compared = (
            "comparison".to_string(),
            format!("{}.{}", dim.id, col),
            match self.year {
                Year::Current => "current",
                Year::Previous => "previous",
            }
            .to_string(),
        );
        match (self.year, commune) {
            (Year::Current, Some(_)) => vec![(dim.id.into(), Self::row(commune), col.clone())],
            (Year::Current, None) => {
                vec![(dim.id.into(), Self::row(None), col.clone()), compared]
            }
            (Year::Previous, Some(_)) => Vec::new(),
            (Year::Previous, None) => vec![compared],
        }
    }
}

/// Anchors `id` at every value `earlier` published in one of `places`.
pub(crate) fn anchor(
    grid: &mut Grid,
    earlier: &Releases,
    id: CellId,
    places: &[(String, String, String)],
) {
    for (table, row, column) in places {
        for value in earlier.values(table, row, column) {
            grid.anchor(id, value);
        }
    }
}

/// Anchors a hidden cell (survivors without a flag) at every difference of
/// a total and a part earlier releases published, which a reader of them
/// could work out.
fn anchor_difference(
    grid: &mut Grid,
    earlier: &Releases,
    id: CellId,
    totals: &[(String, String, String)],
    parts: &[(String, String, String)],
) {
    let values = |places: &[(String, String, String)]| -> Vec<u64> {
        places
            .iter()
            .flat_map(|(t, r, c)| earlier.values(t, r, c))
            .collect()
    };
    let parts = values(parts);
    for total in values(totals) {
        for &part in &parts {
            if let Some(without) = total.checked_sub(part) {
                grid.anchor(id, without);
            }
        }
    }
}

impl YearGrid {
    /// Lays out `tally`'s cells and protects them with `threshold`, and
    /// against what earlier releases published for these months: each of
    /// `earlier` is a set of releases and the year these months are in
    /// them.
    pub fn protect(
        tally: &Tally,
        dims: &[Dimension],
        threshold: u32,
        earlier: &[(&Releases, Year)],
    ) -> Self {
        let mut grid = Grid::default();
        let survivors: Vec<CellId> = tally
            .survivors
            .iter()
            .map(|&n| grid.cell(n, true, COST_MARGIN))
            .collect();
        let total = grid.cell(tally.total(), true, COST_GRAND_TOTAL);
        grid.line(total, survivors.clone());
        let rows = COMMUNES.len() + 1;
        let mut cells = Vec::new();
        for (d, dim) in dims.iter().enumerate() {
            let counts = &tally.counts[d];
            let width = dim.columns.len();
            let communes: Vec<Vec<CellId>> = counts
                .iter()
                .map(|row| row.iter().map(|&n| grid.cell(n, true, COST_CELL)).collect())
                .collect();
            let province: Vec<CellId> = (0..width)
                .map(|k| grid.cell(counts.iter().map(|row| row[k]).sum(), true, COST_MARGIN))
                .collect();
            for k in 0..width {
                grid.line(province[k], communes.iter().map(|row| row[k]).collect());
            }
            match dim.kind {
                DimensionKind::Partition => {
                    for (c, row) in communes.iter().enumerate() {
                        grid.line(survivors[c], row.clone());
                    }
                    grid.line(total, province.clone());
                    let mut block = Vec::with_capacity(rows * (width + 1));
                    for (c, row) in communes.iter().enumerate() {
                        block.extend(row.iter().copied());
                        block.push(survivors[c]);
                    }
                    block.extend(province.iter().copied());
                    block.push(total);
                    grid.block(rows, width + 1, block);
                }
                DimensionKind::MultiResponse => {
                    // Survivors without each flag: implied by the published
                    // numbers, so protected too, but never shown.
                    for k in 0..width {
                        let without: Vec<CellId> = counts
                            .iter()
                            .enumerate()
                            .map(|(c, row)| grid.cell(tally.survivors[c] - row[k], false, 0))
                            .collect();
                        let with_total: u64 = counts.iter().map(|row| row[k]).sum();
                        let without_province = grid.cell(tally.total() - with_total, false, 0);
                        for &(releases, year) in earlier {
                            let places = Places { dims, year };
                            for (c, &id) in without.iter().enumerate() {
                                let (all, with) =
                                    (places.survivors(Some(c)), places.cell(d, Some(c), k));
                                anchor_difference(&mut grid, releases, id, &all, &with);
                            }
                            let (all, with) = (places.survivors(None), places.cell(d, None, k));
                            anchor_difference(&mut grid, releases, without_province, &all, &with);
                        }
                        grid.line(without_province, without.clone());
                        grid.line(total, vec![province[k], without_province]);
                        let mut block = Vec::with_capacity(rows * 3);
                        for c in 0..COMMUNES.len() {
                            grid.line(survivors[c], vec![communes[c][k], without[c]]);
                            block.extend([communes[c][k], without[c], survivors[c]]);
                        }
                        block.extend([province[k], without_province, total]);
                        grid.block(rows, 3, block);
                    }
                }
            }
            cells.push(DimensionCells { communes, province });
        }
        // What a reader knows from what the counts mean: survivors with at
        // least one service are at least as many as those given any one
        // service, and at most as many as all services given together.
        let find = |id: &str| dims.iter().position(|d| d.id == id);
        if let (Some(s), Some(d)) = (find("survivors"), find("services_delivered")) {
            let rows = (0..COMMUNES.len())
                .map(|c| (cells[s].communes[c][0], cells[d].communes[c].clone()))
                .chain([(cells[s].province[0], cells[d].province.clone())]);
            for (with_service, delivered) in rows {
                for &one in &delivered {
                    grid.at_most(vec![one], vec![with_service]);
                }
                grid.at_most(vec![with_service], delivered);
            }
        }
        for &(releases, year) in earlier {
            let places = Places { dims, year };
            for (c, &id) in survivors.iter().enumerate() {
                anchor(&mut grid, releases, id, &places.survivors(Some(c)));
            }
            anchor(&mut grid, releases, total, &places.survivors(None));
            for (d, dim_cells) in cells.iter().enumerate() {
                for (c, row) in dim_cells.communes.iter().enumerate() {
                    for (k, &id) in row.iter().enumerate() {
                        anchor(&mut grid, releases, id, &places.cell(d, Some(c), k));
                    }
                }
                for (k, &id) in dim_cells.province.iter().enumerate() {
                    anchor(&mut grid, releases, id, &places.cell(d, None, k));
                }
            }
        }
        let audit = grid.protect(threshold);
        Self {
            grid,
            survivors,
            total,
            dims: cells,
            audit,
        }
    }

    /// The published value of a cell.
    pub fn value(&self, id: CellId) -> Value {
        let cell = &self.grid.cells[id];
        match cell.status {
            Status::Published => Value::Count(cell.value),
            Status::Primary | Status::Secondary => Value::Suppressed,
        }
    }

    /// The published value of commune `c`'s survivors (`None`: province).
    pub fn survivors(&self, commune: Option<usize>) -> Value {
        self.value(commune.map_or(self.total, |c| self.survivors[c]))
    }

    /// The published value of breakdown `d`, column `k`, for commune `c`
    /// (`None`: province).
    pub fn cell(&self, d: usize, commune: Option<usize>, k: usize) -> Value {
        let cells = &self.dims[d];
        self.value(match commune {
            Some(c) => cells.communes[c][k],
            None => cells.province[k],
        })
    }
}

/// A share in percent, if both counts are published and the base is not 0.
pub(crate) fn share(part: &Value, base: &Value) -> Value {
    match (part, base) {
        (Value::Count(p), Value::Count(b)) if *b > 0 => {
            Value::Percent(100.0 * *p as f64 / *b as f64)
        }
        (Value::Suppressed, _) | (_, Value::Suppressed) => Value::Suppressed,
        _ => Value::Empty,
    }
}

/// The change between two published counts.
pub(crate) fn change(now: &Value, before: &Value) -> Value {
    match (now, before) {
        (Value::Count(a), Value::Count(b)) => Value::Change(
            i64::try_from(*a).unwrap_or(i64::MAX) - i64::try_from(*b).unwrap_or(i64::MAX),
        ),
        (Value::Percent(a), Value::Percent(b)) => Value::Percent(a - b),
        (Value::Suppressed, _) | (_, Value::Suppressed) => Value::Suppressed,
        _ => Value::Empty,
    }
}

/// The row labels: every commune, then the province.
pub(crate) fn row_labels() -> Vec<(String, String, Option<usize>)> {
    COMMUNES
        .iter()
        .enumerate()
        .map(|(i, c)| (c.code.to_string(), c.name.to_string(), Some(i)))
        .chain([(PROVINCE_ROW.to_string(), "Toàn tỉnh".to_string(), None)])
        .collect()
}

/// Heading of the row-label column of per-commune tables.
pub(crate) const ROW_HEADING: &str = "Xã, phường";

/// The published survivor tables of `current`, with the previous year's
/// survivors beside the survivors table.
pub(crate) fn survivor_tables(
    dims: &[Dimension],
    current: &YearGrid,
    previous: &YearGrid,
) -> Vec<Table> {
    dims.iter()
        .enumerate()
        .map(|(d, dim)| {
            let width = dim.columns.len();
            let mut columns = dim.columns.clone();
            columns.push(Column::new(
                SURVIVORS_CODE,
                "Tổng số người bị bạo lực được phát hiện",
                "survivors detected",
            ));
            let first = d == 0;
            if first {
                columns.extend([
                    Column::new(
                        "share_with_service",
                        "Tỷ lệ được cung cấp ít nhất 1 dịch vụ (%)",
                        "share with at least one service (%)",
                    ),
                    Column::new(
                        "previous_total",
                        "Năm trước: tổng số",
                        "previous year: survivors",
                    ),
                    Column::new(
                        "change_total",
                        "Tăng (+), giảm (−) so với năm trước",
                        "change from the previous year",
                    ),
                ]);
            }
            let rows = row_labels()
                .into_iter()
                .map(|(code, label, commune)| {
                    let mut cells: Vec<Value> =
                        (0..width).map(|k| current.cell(d, commune, k)).collect();
                    let total = current.survivors(commune);
                    cells.push(total.clone());
                    if first {
                        let before = previous.survivors(commune);
                        let share = share(&current.cell(d, commune, 0), &total);
                        let change = change(&total, &before);
                        cells.extend([share, before, change]);
                    }
                    Row { code, label, cells }
                })
                .collect();
            let categories = (0..width).collect();
            Table {
                id: dim.id.to_string(),
                sheet: dim.sheet.to_string(),
                title_vi: dim.title_vi.to_string(),
                title_en: dim.title_en.to_string(),
                row_heading: ROW_HEADING.to_string(),
                columns,
                rows,
                structure: match dim.kind {
                    DimensionKind::Partition => Structure::Partition {
                        categories,
                        total: width,
                    },
                    DimensionKind::MultiResponse => Structure::MultiResponse {
                        categories,
                        total: width,
                    },
                },
            }
        })
        .collect()
}

/// Province-level comparison of every survivor count with the previous year.
pub(crate) fn comparison_table(
    dims: &[Dimension],
    current: &YearGrid,
    previous: &YearGrid,
) -> Table {
    let mut rows = vec![{
        let (now, before) = (current.survivors(None), previous.survivors(None));
        Row {
            code: "survivors.total".into(),
            label: "Tổng số người bị bạo lực được phát hiện".into(),
            cells: vec![now.clone(), before.clone(), change(&now, &before)],
        }
    }];
    for (d, dim) in dims.iter().enumerate() {
        for (k, col) in dim.columns.iter().enumerate() {
            let (now, before) = (current.cell(d, None, k), previous.cell(d, None, k));
            rows.push(Row {
                code: format!("{}.{}", dim.id, col.code),
                label: format!("{}: {}", dim.sheet, col.vi),
                cells: vec![now.clone(), before.clone(), change(&now, &before)],
            });
        }
    }
    Table {
        id: "comparison".into(),
        sheet: "So sánh năm trước".into(),
        title_vi: "So sánh với năm trước (toàn tỉnh)".into(),
        title_en: "Change from the previous year (province)".into(),
        row_heading: "Chỉ tiêu".into(),
        columns: vec![
            Column::new("current", "Năm báo cáo", "report year"),
            Column::new("previous", "Năm trước", "previous year"),
            Column::new("change", "Tăng (+), giảm (−)", "change"),
        ],
        rows,
        structure: Structure::Plain,
    }
}
