//! The report desk over a synthetic report and a synthetic workbook.

use super::text::ReportWhy;
use super::view::view;
use super::*;
use crate::background::Activity;
use crate::event::Event;
use binhan_core::model::Lang;
use binhan_core::stats::report::{AuditSummary, Column, Indicator, Row, Structure, Table, Value};
use chrono::NaiveDate;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("day")
}

fn table(id: &str, sheet: &str, columns: &[&str], rows: Vec<(&str, &str, Vec<Value>)>) -> Table {
    Table {
        id: id.into(),
        sheet: sheet.into(),
        title_vi: format!("Bảng {id} (synthetic)"),
        title_en: format!("Table {id} (synthetic)"),
        row_heading: "Xã, phường".into(),
        columns: columns
            .iter()
            .map(|c| Column::new(c, &format!("cột {c}"), &format!("column {c}")))
            .collect(),
        rows: rows
            .into_iter()
            .map(|(code, label, cells)| Row {
                code: code.into(),
                label: label.into(),
                cells,
            })
            .collect(),
        structure: Structure::Plain,
    }
}

/// A small synthetic report of 2026: two communes, one suppressed pair.
pub(crate) fn synthetic_report() -> AnnualReport {
    let indicator = |code: &str, value: Value, target: Option<(&str, f64)>, met| Indicator {
        code: code.into(),
        vi: format!("Chỉ tiêu {code} (synthetic)"),
        en: format!("Indicator {code} (synthetic)"),
        value,
        target: target.map(|(t, _)| t.into()),
        target_value: target.map(|(_, v)| v),
        met,
        previous: Value::Empty,
        change: Value::Empty,
    };
    AnnualReport {
        year: 2026,
        first_month: 12,
        generated_on: day(2026, 11, 15),
        threshold: 5,
        indicators: vec![
            indicator("survivors_detected", Value::Count(12), None, None),
            indicator(
                "share_with_service",
                Value::Suppressed,
                Some(("100%", 100.0)),
                None,
            ),
            indicator(
                "standardised_shelters",
                Value::Count(6),
                Some(("≥ 5", 5.0)),
                Some(true),
            ),
            indicator(
                "share_trained",
                Value::Percent(62.5),
                Some(("80%", 80.0)),
                Some(false),
            ),
        ],
        tables: vec![
            table(
                "indicators",
                "Chỉ tiêu",
                &["value"],
                vec![("survivors_detected", "Chỉ tiêu", vec![Value::Count(12)])],
            ),
            table(
                "survivors",
                "Người bị BLG",
                &["with_service", "without_service", "total"],
                vec![
                    (
                        "mu_ca",
                        "Xã Mù Cả",
                        vec![Value::Suppressed, Value::Suppressed, Value::Count(7)],
                    ),
                    (
                        "pa_u",
                        "Xã Pa Ủ",
                        vec![Value::Suppressed, Value::Suppressed, Value::Count(5)],
                    ),
                    (
                        "province",
                        "Toàn tỉnh",
                        vec![Value::Count(9), Value::Count(3), Value::Count(12)],
                    ),
                ],
            ),
            table(
                "shelters",
                "Nơi tạm lánh",
                &["active", "has_shelter"],
                vec![
                    (
                        "mu_ca",
                        "Xã Mù Cả",
                        vec![Value::Count(0), Value::Text("Chưa có".into())],
                    ),
                    (
                        "pa_u",
                        "Xã Pa Ủ",
                        vec![Value::Count(2), Value::Text("Có".into())],
                    ),
                    (
                        "province",
                        "Toàn tỉnh",
                        vec![Value::Count(2), Value::Count(1)],
                    ),
                ],
            ),
        ],
        audit: AuditSummary {
            threshold: 5,
            suppressed_cells: 4,
            shown_cells: 9,
            ..AuditSummary::default()
        },
        audit_previous: AuditSummary::default(),
        bases: vec![],
    }
}

/// A synthetic workbook laid out as the server writes it: a cover, then a
/// sheet per table with its title rows, headings and values.
pub(crate) fn synthetic_workbook() -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    // A fixed creation time: two workbooks made a second apart are the
    // same bytes (the tests compare them).
    let made = rust_xlsxwriter::ExcelDateTime::from_ymd(2026, 11, 30).unwrap();
    book.set_properties(&rust_xlsxwriter::DocProperties::new().set_creation_datetime(&made));
    let cover = book.add_worksheet();
    cover.set_name("Bìa").unwrap();
    cover
        .write_string(0, 0, "BÁO CÁO ĐỊNH KỲ HẰNG NĂM (synthetic)")
        .unwrap();
    let sheet = book.add_worksheet();
    sheet.set_name("Người bị BLG").unwrap();
    sheet
        .write_string(0, 0, "Bảng survivors (synthetic)")
        .unwrap();
    sheet.write_string(3, 0, "Xã, phường").unwrap();
    sheet.write_string(3, 1, "cột total").unwrap();
    for (r, (label, value)) in [
        ("Xã A (synthetic)", Some(7.0)),
        ("Xã B (synthetic)", None),
        ("Xã C (synthetic)", Some(2.5)),
        ("Xã D (synthetic)", Some(1.0)),
        ("Xã E (synthetic)", Some(4.0)),
        ("Toàn tỉnh", Some(12.0)),
    ]
    .into_iter()
    .enumerate()
    {
        let row = 4 + r as u32;
        sheet.write_string(row, 0, label).unwrap();
        match value {
            Some(v) => sheet.write_number(row, 1, v).unwrap(),
            None => sheet.write_string(row, 1, "x").unwrap(),
        };
    }
    book.save_to_buffer().unwrap()
}

pub(crate) fn fetched() -> Fetched {
    let xlsx = synthetic_workbook();
    Fetched {
        year: 2026,
        report: synthetic_report(),
        sheets: tables::read_workbook(&xlsx).unwrap(),
        xlsx,
        csv: "\u{feff}table,row_code,row,column_code,column,value\r\n"
            .as_bytes()
            .to_vec(),
    }
}

fn loaded() -> ReportDesk {
    ReportDesk {
        year: Some(2026),
        table: None,
        fetched: Some(Arc::new(fetched())),
        error: None,
    }
}

/// From 1 December the running period is next year's report's: the desk
/// offers it first, and the year before (whose report was due by then)
/// next.
#[test]
fn from_december_the_desk_offers_next_years_report_first() {
    let years = super::years(day(2026, 12, 6));
    assert_eq!(years[..2], [2027, 2026]);
    assert_eq!(super::years(day(2026, 11, 30))[0], 2026);
}

#[test]
fn the_desk_shows_the_chart_the_tables_the_workbook_and_the_downloads() {
    let today = day(2026, 11, 15);
    let v = view(&loaded(), None, today, Lang::Vi);
    assert_eq!(
        v.years.iter().map(|c| c.label.as_str()).collect::<Vec<_>>(),
        ["2026", "2025", "2024", "2023", "2022"]
    );
    assert!(v.years[0].selected && v.running.is_none() && v.error.is_none());
    let body = v.report.expect("the report is shown");
    assert_eq!(
        body.heading,
        "Báo cáo năm 2026 (từ 01/12/2025 đến 30/11/2026), lập ngày 15/11/2026"
    );
    assert!(body.suppression.contains("từ 1 đến 4 người"));
    assert!(body.suppression.contains("4 trên 9 ô"));
    // The chart: three targets, one figure.
    assert_eq!(body.chart.bars.len(), 3);
    assert_eq!(body.chart.figures[0].value, "12");
    // The per-commune tables only (not the indicators' own table).
    assert_eq!(
        body.tables
            .iter()
            .map(|c| c.label.as_str())
            .collect::<Vec<_>>(),
        ["Người bị BLG", "Nơi tạm lánh"]
    );
    let table = body.table.expect("the first table");
    assert_eq!(table.id, "survivors");
    assert_eq!(
        table.columns,
        ["cột with_service", "cột without_service", "cột total"]
    );
    // Suppressed cells say so, never 0.
    let mu_ca = &table.rows[0];
    assert_eq!(mu_ca.cells[0].text, "ẩn");
    assert!(mu_ca.cells[0].suppressed && !mu_ca.cells[2].suppressed);
    assert_eq!(mu_ca.cells[2].text, "7");
    let province = table.rows.last().expect("province");
    assert!(province.total);
    assert_eq!(province.label, "Toàn tỉnh");
    // The workbook as the file holds it: its sheets and first rows.
    assert_eq!(
        body.workbook
            .iter()
            .map(|s| s.name.as_str())
            .collect::<Vec<_>>(),
        ["Bìa", "Người bị BLG"]
    );
    let sheet = &body.workbook[1];
    assert_eq!(sheet.rows.len(), tables::PREVIEW_ROWS);
    assert_eq!(sheet.rows[1], ["Xã, phường", "cột total"]);
    assert_eq!(sheet.rows[2], ["Xã A (synthetic)", "7"]);
    assert_eq!(sheet.rows[3], ["Xã B (synthetic)", "x"]);
    assert_eq!(sheet.rows[4], ["Xã C (synthetic)", "2,5"]);
    assert_eq!(sheet.more.as_deref(), Some("… và 2 dòng nữa"));
    assert!(body.workbook[0].more.is_none());
    // Downloads, with their sizes.
    assert_eq!(body.downloads.len(), 2);
    assert!(body.downloads[0].label.starts_with("Tải về XLSX (Excel) ("));
    assert_eq!(
        body.downloads[1].event,
        Event::Report {
            event: ReportEvent::Download {
                file: ReportFile::Csv
            }
        }
    );
}

#[test]
fn in_english_every_text_is_english_and_the_commune_names_stay() {
    let mut desk = loaded();
    desk.table = Some("shelters".into());
    let v = view(&desk, None, day(2026, 11, 15), Lang::En);
    let body = v.report.expect("shown");
    assert_eq!(
        body.heading,
        "Report for 2026 (01/12/2025 to 30/11/2026), made on 15/11/2026"
    );
    assert_eq!(body.tables[1].label, "Table shelters (synthetic)");
    assert!(body.tables[1].selected);
    let table = body.table.expect("shelters");
    assert_eq!(table.row_heading, "Commune or ward");
    assert_eq!(table.rows[0].label, "Xã Mù Cả");
    assert_eq!(table.rows[0].cells[1].text, "Not yet");
    assert_eq!(table.rows[1].cells[1].text, "Yes");
    assert_eq!(table.rows[2].label, "Province");
    assert!(body.workbook_note.starts_with("The sheets"));
    assert_eq!(body.workbook[1].rows[4][1], "2.5");
    assert!(body.downloads[1].label.starts_with("Download CSV ("));
}

#[test]
fn while_it_runs_or_after_it_failed_the_desk_says_so() {
    let desk = ReportDesk {
        year: Some(2025),
        ..ReportDesk::default()
    };
    // A sync runs: the report waits for it, and says nothing of making it.
    let v = view(&desk, Some(Activity::Sync), day(2026, 11, 15), Lang::Vi);
    assert!(v.running.is_none() && !v.reload.enabled);
    let v = view(&desk, Some(Activity::Report), day(2026, 11, 15), Lang::Vi);
    assert_eq!(v.running.as_deref(), Some("Đang lập báo cáo năm 2025…"));
    assert!(v.years[1].selected);
    assert!(!v.reload.enabled);
    assert_eq!(
        v.reload.disabled_reason.map(|r| r.code),
        Some("report_running".to_string())
    );
    assert!(v.report.is_none());
    let failed = ReportDesk {
        error: Some(why(&Error::Network("synthetic".into()))),
        ..desk
    };
    let v = view(&failed, None, day(2026, 11, 15), Lang::En);
    let error = v.error.expect("said");
    assert_eq!(error.code, "report_offline");
    assert!(error.text.contains("Check the network"));
    assert!(v.reload.enabled);
    // A report of another year than the one chosen is not shown.
    let mut other = loaded();
    other.year = Some(2025);
    assert!(view(&other, None, day(2026, 11, 15), Lang::Vi)
        .report
        .is_none());
}

#[test]
fn only_an_enrolled_officer_opens_the_desk_and_errors_say_what_to_do() {
    assert_eq!(may_open(None), Err(ReportWhy::NotEnrolled));
    assert_eq!(may_open(Some(Role::ProvincialOfficer)), Ok(()));
    for role in [
        Role::CommuneCaseManager,
        Role::Collaborator,
        Role::ShelterHost,
    ] {
        assert_eq!(may_open(Some(role)), Err(ReportWhy::NotOfficer));
    }
    let refused = |status| Error::Refused {
        status,
        code: "synthetic".into(),
        reason: "synthetic".into(),
    };
    assert_eq!(why(&refused(403)), ReportWhy::NotOfficer);
    assert_eq!(why(&refused(429)), ReportWhy::ServerBusy);
    assert_eq!(why(&refused(500)), ReportWhy::ServerRefused);
    assert_eq!(why(&Error::NotEnrolled), ReportWhy::NotEnrolled);
    assert_eq!(
        why(&Error::Encoding("synthetic".into())),
        ReportWhy::Unreadable
    );
    assert!(ReportWhy::NotOfficer
        .text(Lang::Vi)
        .contains("cán bộ Sở Nội vụ"));
}

#[test]
fn a_download_is_the_file_the_server_made_under_its_name() {
    assert_eq!(
        ReportDesk::default().file(ReportFile::Xlsx),
        Err(ReportWhy::NotLoaded)
    );
    let desk = loaded();
    let Ok(Effect::SaveFile { name, mime, bytes }) = desk.file(ReportFile::Xlsx) else {
        panic!("a file");
    };
    assert_eq!(name, "bao-cao-blg-2026.xlsx");
    assert!(mime.contains("spreadsheetml"));
    assert_eq!(bytes, desk.fetched.as_ref().expect("loaded").xlsx);
    let Ok(Effect::SaveFile { name, mime, .. }) = desk.file(ReportFile::Csv) else {
        panic!("a file");
    };
    assert_eq!(
        (name.as_str(), mime.as_str()),
        ("bao-cao-blg-2026.csv", "text/csv; charset=utf-8")
    );
    assert!(
        !desk.shows_table("indicators"),
        "province-wide, in the chart"
    );
    assert!(desk.shows_table("shelters"));
}

#[test]
fn a_workbook_that_is_not_one_is_refused() {
    assert!(matches!(
        tables::read_workbook(b"not a workbook (synthetic)"),
        Err(Error::Encoding(_))
    ));
}

#[test]
fn events_have_a_stable_json_form() {
    let event = Event::Report {
        event: ReportEvent::Download {
            file: ReportFile::Xlsx,
        },
    };
    let json = r#"{"type":"report","event":{"type":"download","file":"xlsx"}}"#;
    assert_eq!(serde_json::to_string(&event).unwrap(), json);
    assert_eq!(serde_json::from_str::<Event>(json).unwrap(), event);
}

#[test]
fn a_phone_without_the_office_key_is_told_how_to_get_it() {
    let why = why(&Error::NotAllowed(Refusal::NoSigningKey));
    assert_eq!(why.code(), "no_signing_key");
    assert!(why.text(Lang::Vi).contains("khóa ký của tỉnh"));
    assert!(why.text(Lang::En).contains("provincial signing key"));
    assert_eq!(
        super::why(&Error::NotAllowed(Refusal::OfficersOnly)).code(),
        "not_provincial_officer"
    );
}
