//! Tests of the registry import, on synthetic files made here (CSV text,
//! and XLSX workbooks written with rust_xlsxwriter).

use super::*;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("day")
}

fn codes(import: &Import) -> Vec<(u32, Option<&str>, &'static str)> {
    import
        .problems
        .iter()
        .map(|p| (p.line, p.column.as_deref(), p.rule.code()))
        .collect()
}

const TRAINING: &str = "\
Ngày,Xã,Chủ đề,Mã học viên,Xã học viên,Vai trò,Ghi chú
10/05/2026,Xã Mù Cả,Tập huấn (synthetic),SYN-1,,Cộng tác viên,
10/05/2026,Xã Mù Cả,Tập huấn (synthetic),SYN-2,pa_u,cán bộ,
2026-06-01,Tỉnh,Tập huấn cấp tỉnh (synthetic),,,,
";

#[test]
fn a_training_sheet_groups_attendees_into_sessions() {
    let import = read("tap-huan.csv", TRAINING.as_bytes(), None);
    assert_eq!(codes(&import), vec![]);
    assert_eq!(import.kind, Some(ImportKind::TrainingSessions));
    assert_eq!(import.rows, 3);
    let entries = import.accepted().expect("clean");
    assert_eq!(entries.training_sessions.len(), 2);
    let first = &entries.training_sessions[0];
    assert_eq!(
        (first.date, first.commune.as_str()),
        (day(2026, 5, 10), "mu_ca")
    );
    assert_eq!(
        first.attendees,
        vec![
            Attendee {
                person: "SYN-1".into(),
                commune: "mu_ca".into(),
                role: TraineeRole::Collaborator
            },
            Attendee {
                person: "SYN-2".into(),
                commune: "pa_u".into(),
                role: TraineeRole::Official
            },
        ]
    );
    let province = &entries.training_sessions[1];
    assert_eq!(province.commune, PROVINCE);
    assert!(province.attendees.is_empty());
}

#[test]
fn every_bad_row_is_reported_by_line_and_nothing_is_accepted() {
    let file = "\
ngay;xa;chu de;ma hoc vien;vai tro
10/05/2026;Mù Cả;Tập huấn (synthetic);SYN-1;ctv

31/02/2026;Atlantis;Tập huấn (synthetic);SYN-2;ctv
10/05/2026;Mù Cả;;SYN-3;giám đốc
10/05/2026;Mù Cả;Tập huấn (synthetic);SYN-1;ctv
";
    let import = read("x.csv", file.as_bytes(), None);
    assert_eq!(
        codes(&import),
        vec![
            (4, Some("ngay"), "bad_format"),
            (4, Some("xa"), "not_a_commune"),
            (5, Some("chu de"), "empty"),
            (5, Some("vai tro"), "not_in_list"),
            (6, Some("ma hoc vien"), "duplicate"),
        ]
    );
    assert_eq!(import.rows, 4, "the blank line is no row");
    assert!(import.accepted().is_none());
    assert_eq!(import.entries, ProgrammeRegistries::default());
}

#[test]
fn a_manager_imports_only_the_sessions_of_the_commune() {
    let import = read("x.csv", TRAINING.as_bytes(), Some("mu_ca"));
    assert_eq!(codes(&import), vec![(4, Some("Xã"), "other_commune")]);
    assert!(import.accepted().is_none());
    let schools = "Tên trường,Xã\nTrường (synthetic),mu_ca\n";
    let import = read("x.csv", schools.as_bytes(), Some("mu_ca"));
    assert_eq!(codes(&import), vec![(1, None, "wrong_file_kind")]);
}

#[test]
fn unknown_sheets_missing_columns_and_empty_files_are_refused() {
    let import = read("x.csv", b"Foo,Bar\n1,2\n", None);
    assert_eq!(codes(&import), vec![(1, None, "wrong_file_kind")]);
    let import = read("x.csv", "Chủ đề,Ghi chú\nA,B\n".as_bytes(), None);
    assert_eq!(
        codes(&import),
        vec![(1, Some("Ngày"), "required"), (1, Some("Xã"), "required")]
    );
    assert_eq!(codes(&read("x.csv", b"", None)), vec![(0, None, "empty")]);
    let header_only = read("x.csv", "Tên trường,Xã\n".as_bytes(), None);
    assert_eq!(codes(&header_only), vec![(0, None, "empty")]);
    let big = vec![b'a'; MAX_IMPORT_BYTES + 1];
    assert_eq!(
        codes(&read("x.csv", &big, None)),
        vec![(0, None, "too_large")]
    );
    assert_eq!(
        codes(&read("x.xlsx", b"PK\x03\x04 not a workbook", None)),
        vec![(0, None, "corrupted")]
    );
    let latin1 = b"T\xean tr\xfd\xf4ng,X\xe3\nA,mu_ca\n";
    assert_eq!(
        codes(&read("x.csv", latin1, None)),
        vec![(1, None, "bad_format")]
    );
}

#[test]
fn schools_and_enterprises_from_csv() {
    let file = "\u{feff}Tên trường,Xã,Áp dụng quy trình từ\n\
                Trường A (synthetic),Xã Pa Ủ,01/09/2025\n\
                Trường B (synthetic),pa_u,\n\
                trường a (synthetic),pa_u,\n";
    let import = read("truong.csv", file.as_bytes(), None);
    assert_eq!(codes(&import), vec![(4, Some("Tên trường"), "duplicate")]);
    let file = "Enterprise,Commune,Since\nCông ty (synthetic),pa_u,2026-01-15\n";
    let import = read("dn.csv", file.as_bytes(), None);
    let entries = import.accepted().expect("clean");
    assert_eq!(
        entries.enterprises,
        vec![Enterprise {
            name: "Công ty (synthetic)".into(),
            commune: "pa_u".into(),
            rules_since: Some(day(2026, 1, 15)),
        }]
    );
}

/// A workbook like the province's: a title-less first sheet, dates as
/// spreadsheet dates and as text.
fn workbook(rows: &[(&str, Option<NaiveDate>, &str)]) -> Vec<u8> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let date = Format::new().set_num_format("dd/mm/yyyy");
    for (col, header) in ["Tên trường", "Xã", "Áp dụng quy trình từ"]
        .iter()
        .enumerate()
    {
        sheet.write_string(0, col as u16, *header).expect("header");
    }
    for (i, (name, since, commune)) in rows.iter().enumerate() {
        let r = i as u32 + 1;
        sheet.write_string(r, 0, *name).expect("name");
        sheet.write_string(r, 1, *commune).expect("commune");
        if let Some(d) = since {
            let when = ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)
                .expect("date");
            sheet
                .write_datetime_with_format(r, 2, &when, &date)
                .expect("date");
        }
    }
    book.save_to_buffer().expect("workbook")
}

use chrono::Datelike;

#[test]
fn schools_from_an_xlsx_workbook() {
    let bytes = workbook(&[
        ("Trường A (synthetic)", Some(day(2025, 9, 1)), "Xã Mù Cả"),
        ("Trường B (synthetic)", None, "mu_ca"),
    ]);
    let import = read("truong.xlsx", &bytes, None);
    assert_eq!(codes(&import), vec![]);
    let entries = import.accepted().expect("clean");
    assert_eq!(entries.schools.len(), 2);
    assert_eq!(entries.schools[0].procedure_since, Some(day(2025, 9, 1)));
    assert_eq!(entries.schools[1].procedure_since, None);

    let bad = workbook(&[
        ("Trường A (synthetic)", None, "mu_ca"),
        ("", None, "nowhere"),
    ]);
    let import = read("truong.xlsx", &bad, None);
    assert_eq!(
        codes(&import),
        vec![
            (3, Some("Tên trường"), "empty"),
            (3, Some("Xã"), "not_a_commune"),
        ]
    );
    assert!(import.accepted().is_none());
}
