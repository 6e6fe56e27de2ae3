//! The report as a workbook (XLSX) and as CSV. Suppressed cells are written
//! as the marker [`SUPPRESSED`], never as a number.

use binhan_core::stats::report::{
    AnnualReport, Table, Value, COVER_SHEET, PROVINCE_ROW, SUPPRESSED,
};
use rust_xlsxwriter::{DocProperties, Format, FormatAlign, Workbook, Worksheet, XlsxError};

/// Why an export failed. Messages never contain report or record content.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// The workbook could not be written.
    #[error("the workbook could not be written: {0}")]
    Xlsx(String),
}

impl From<XlsxError> for ReportError {
    fn from(e: XlsxError) -> Self {
        Self::Xlsx(e.to_string())
    }
}

/// Row (0-based) of the column headings in every table sheet.
pub const HEADING_ROW: u32 = 3;

fn day(d: chrono::NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// The cover sheet's lines, in Vietnamese.
pub(crate) fn cover_lines(report: &AnnualReport) -> Vec<String> {
    let k = report.threshold;
    let suppression = if k > 1 {
        format!(
            "Bảo vệ bí mật thông tin: mọi ô có từ 1 đến {} người được ẩn và thay bằng ký hiệu \"{SUPPRESSED}\"; \
             một số ô khác cũng được ẩn theo, để không thể suy ra các ô đó từ số tổng của hàng, cột, \
             toàn tỉnh hay từ các bảng khác. Mọi ô bị ẩn đều mang cùng một ký hiệu. Số liệu so sánh với \
             năm trước chỉ được công bố khi số liệu của cả hai năm đều được công bố. \
             Trong các bảng của năm báo cáo, {} trên {} ô số liệu về người bị bạo lực được ẩn.",
            k - 1,
            report.audit.suppressed_cells,
            report.audit.shown_cells
        )
    } else {
        "Không áp dụng ẩn số liệu (ngưỡng bằng 0 hoặc 1).".to_string()
    };
    vec![
        "ỦY BAN NHÂN DÂN TỈNH LAI CHÂU — SỞ NỘI VỤ".into(),
        "BÁO CÁO ĐỊNH KỲ HẰNG NĂM".into(),
        "Kết quả thực hiện Kế hoạch thực hiện Chương trình phòng ngừa và ứng phó với bạo lực trên cơ sở giới \
         giai đoạn 2026–2030 trên địa bàn tỉnh Lai Châu"
            .into(),
        String::new(),
        "Tỉnh: Lai Châu".into(),
        format!("Năm báo cáo: {}", report.year),
        format!(
            "Kỳ báo cáo: từ ngày {} đến ngày {} (so sánh với 12 tháng liền trước)",
            day(report.period().first_day()),
            day(report.period().last_day())
        ),
        format!("Ngày lập báo cáo: {}", day(report.generated_on)),
        "Gửi: Ủy ban nhân dân tỉnh (qua Sở Nội vụ), trước ngày 01/12 hằng năm.".into(),
        String::new(),
        "Nguồn số liệu: phiếu thống kê không định danh do ứng dụng Bình An lập trên thiết bị, chỉ đối với \
         người bị bạo lực đã đồng ý cho thống kê; không có họ tên, mã hồ sơ, ngày cụ thể hay lời kể. \
         Người bị bạo lực được tính theo xã, phường nơi cư trú và theo tháng tiếp nhận."
            .into(),
        suppression,
        "Số liệu nơi tạm lánh, tập huấn, trường học và doanh nghiệp lấy từ sổ đăng ký của chương trình."
            .into(),
        String::new(),
        "Các trang:".into(),
    ]
}

/// The report as an XLSX workbook: a cover sheet in Vietnamese, then one
/// sheet per table.
pub fn to_xlsx(report: &AnnualReport) -> Result<Vec<u8>, ReportError> {
    let mut workbook = Workbook::new();
    workbook.set_properties(
        &DocProperties::new()
            .set_title(format!(
                "Báo cáo phòng ngừa và ứng phó với bạo lực trên cơ sở giới năm {}",
                report.year
            ))
            .set_author("Bình An")
            .set_company("Sở Nội vụ tỉnh Lai Châu"),
    );
    let bold = Format::new().set_bold();
    let title = Format::new().set_bold().set_font_size(14);
    let italic = Format::new().set_italic();
    let heading = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter);
    let marker = Format::new().set_align(FormatAlign::Right);
    let percent = Format::new().set_num_format("0.0");
    let signed = Format::new().set_num_format("+0;-0;0");
    let signed_percent = Format::new().set_num_format("+0.0;-0.0;0.0");

    let cover = workbook.add_worksheet();
    cover.set_name(COVER_SHEET)?;
    cover.set_column_width(0, 120)?;
    let wrap = Format::new().set_text_wrap();
    let mut row = 0;
    for (i, line) in cover_lines(report).iter().enumerate() {
        match i {
            0 => cover.write_string_with_format(row, 0, line, &bold)?,
            1 => cover.write_string_with_format(row, 0, line, &title)?,
            _ => cover.write_string_with_format(row, 0, line, &wrap)?,
        };
        row += 1;
    }
    for table in &report.tables {
        cover.write_string(row, 0, format!("{} — {}", table.sheet, table.title_vi))?;
        row += 1;
    }

    for table in &report.tables {
        let sheet = workbook.add_worksheet();
        sheet.set_name(&table.sheet)?;
        sheet.write_string_with_format(0, 0, &table.title_vi, &title)?;
        sheet.write_string_with_format(1, 0, &table.title_en, &italic)?;
        sheet.set_column_width(0, 28)?;
        sheet.write_string_with_format(HEADING_ROW, 0, &table.row_heading, &heading)?;
        for (c, column) in table.columns.iter().enumerate() {
            let col =
                u16::try_from(c + 1).map_err(|_| ReportError::Xlsx("too many columns".into()))?;
            sheet.set_column_width(col, 14)?;
            sheet.write_string_with_format(HEADING_ROW, col, &column.vi, &heading)?;
        }
        sheet.set_freeze_panes(HEADING_ROW + 1, 1)?;
        let mut r = HEADING_ROW + 1;
        for row in &table.rows {
            let is_province = row.code == PROVINCE_ROW;
            if is_province {
                sheet.write_string_with_format(r, 0, &row.label, &bold)?;
            } else {
                sheet.write_string(r, 0, &row.label)?;
            }
            for (c, value) in row.cells.iter().enumerate() {
                let col = u16::try_from(c + 1)
                    .map_err(|_| ReportError::Xlsx("too many columns".into()))?;
                let change_column = table
                    .columns
                    .get(c)
                    .is_some_and(|h| h.code.starts_with("change"));
                let formats = Formats {
                    marker: &marker,
                    percent: if change_column {
                        &signed_percent
                    } else {
                        &percent
                    },
                    signed: &signed,
                };
                write_value(sheet, r, col, value, &formats)?;
            }
            r += 1;
        }
        if table_has_suppression(table) {
            sheet.write_string_with_format(
                r + 1,
                0,
                format!(
                    "\"{SUPPRESSED}\": số liệu được ẩn để bảo vệ người bị bạo lực (xem trang {COVER_SHEET})."
                ),
                &italic,
            )?;
        }
    }
    Ok(workbook.save_to_buffer()?)
}

struct Formats<'a> {
    marker: &'a Format,
    percent: &'a Format,
    signed: &'a Format,
}

fn write_value(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    value: &Value,
    formats: &Formats<'_>,
) -> Result<(), XlsxError> {
    match value {
        Value::Count(n) => {
            sheet.write_number(row, col, *n as f64)?;
        }
        Value::Change(n) => {
            sheet.write_number_with_format(row, col, *n as f64, formats.signed)?;
        }
        Value::Percent(p) => {
            sheet.write_number_with_format(row, col, (p * 10.0).round() / 10.0, formats.percent)?;
        }
        Value::Text(t) => {
            sheet.write_string(row, col, t)?;
        }
        Value::Suppressed => {
            sheet.write_string_with_format(row, col, SUPPRESSED, formats.marker)?;
        }
        Value::Empty => {}
    }
    Ok(())
}

fn table_has_suppression(table: &Table) -> bool {
    table
        .rows
        .iter()
        .any(|r| r.cells.contains(&Value::Suppressed))
}

fn csv_field(out: &mut String, field: &str) {
    if field.contains([',', '"', '\n', '\r']) {
        out.push('"');
        out.push_str(&field.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(field);
    }
}

fn csv_line<'a>(out: &mut String, fields: impl IntoIterator<Item = &'a str>) {
    for (i, f) in fields.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        csv_field(out, f);
    }
    out.push_str("\r\n");
}

/// Byte order mark, so that spreadsheet programs read the CSV as UTF-8.
const BOM: &str = "\u{feff}";

/// Every table of the report in one CSV, one value per line:
/// `table,row_code,row,column_code,column,value` (UTF-8 with a byte order
/// mark; suppressed values are [`SUPPRESSED`]).
pub fn to_csv(report: &AnnualReport) -> String {
    let mut out = String::from(BOM);
    csv_line(
        &mut out,
        ["table", "row_code", "row", "column_code", "column", "value"],
    );
    for table in &report.tables {
        for row in &table.rows {
            for (column, value) in table.columns.iter().zip(&row.cells) {
                let text = value.to_text();
                csv_line(
                    &mut out,
                    [
                        table.id.as_str(),
                        row.code.as_str(),
                        row.label.as_str(),
                        column.code.as_str(),
                        column.vi.as_str(),
                        text.as_str(),
                    ],
                );
            }
        }
    }
    out
}

/// One table as a CSV laid out like its sheet (UTF-8 with a byte order mark).
pub fn table_csv(table: &Table) -> String {
    let mut out = String::from(BOM);
    csv_line(
        &mut out,
        std::iter::once(table.row_heading.as_str())
            .chain(table.columns.iter().map(|c| c.vi.as_str())),
    );
    for row in &table.rows {
        let texts: Vec<String> = row.cells.iter().map(Value::to_text).collect();
        csv_line(
            &mut out,
            std::iter::once(row.label.as_str()).chain(texts.iter().map(String::as_str)),
        );
    }
    out
}
