//! The annual report desk: the year, the indicators as inline SVG bars (no
//! script; every figure also in text beside its bar, so the chart reads in
//! print, in a screen reader and without colour), the per-commune table
//! chosen, the workbook's preview and the downloads.

use super::{action, actions, choices, error, rows, Ids};
use binhan_ui::screens::report::{
    IndicatorBar, IndicatorChart, ReportBody, ReportView, SheetPreview, TableView,
};
use maud::{html, Markup};

/// Height of a bar's drawing, in its own units (its width is 1000).
const BAR_HEIGHT: u32 = 40;

fn met_class(met: Option<bool>) -> &'static str {
    match met {
        Some(true) => "met",
        Some(false) => "not-met",
        None => "unknown",
    }
}

/// A sign beside the status word, so that met or not is never told by
/// colour alone.
fn met_sign(met: Option<bool>) -> Option<&'static str> {
    match met {
        Some(true) => Some("✓ "),
        Some(false) => Some("✗ "),
        None => None,
    }
}

fn bar(b: &IndicatorBar) -> Markup {
    let target = b.target_permille.to_string();
    html! {
        li.bar data-code=(b.code) data-met=(met_class(b.met)) data-value=(b.value) {
            p.bar-label { (b.label) }
            svg.bar viewBox=(format!("0 0 1000 {BAR_HEIGHT}")) preserveAspectRatio="none"
                role="img" aria-label=(b.alt) focusable="false" {
                title { (b.alt) }
                rect.track x="0" y="8" width="1000" height="24" {}
                rect class=(format!("value {}", met_class(b.met))) x="0" y="8"
                    width=(b.value_permille) height="24" {}
                line.target x1=(target) x2=(target) y1="0" y2=(BAR_HEIGHT)
                    vector-effect="non-scaling-stroke" {}
            }
            p.bar-text {
                strong.value { (b.value) }
                " · " span.target { (b.target_text) }
                " · " span class=(format!("status {}", met_class(b.met))) {
                    @if let Some(sign) = met_sign(b.met) { span aria-hidden="true" { (sign) } }
                    (b.status)
                }
                @if let Some(previous) = &b.previous { " · " span { (previous) } }
                " · " small { (b.scale) }
            }
        }
    }
}

fn chart(c: &IndicatorChart) -> Markup {
    html! {
        section.chart aria-labelledby="chart-title" {
            h2 id="chart-title" { (c.title) }
            p.summary { (c.summary) }
            ul.bars { @for b in &c.bars { (bar(b)) } }
            @if !c.figures.is_empty() {
                h3 { (c.figures_label) }
                (rows(&c.figures))
            }
        }
    }
}

fn table(t: &TableView) -> Markup {
    let caption = format!("table-{}", t.id);
    html! {
        div.table-wrap role="region" aria-labelledby=(caption) tabindex="0" {
            table.report-table data-table=(t.id) {
                caption id=(caption) { (t.title) }
                thead {
                    tr {
                        th scope="col" { (t.row_heading) }
                        @for (heading, code) in t.columns.iter().zip(&t.column_codes) {
                            th scope="col" data-code=(code) { (heading) }
                        }
                    }
                }
                tbody {
                    @for r in &t.rows {
                        tr data-row=(r.code) class=[r.total.then_some("total")] {
                            th scope="row" { (r.label) }
                            @for (cell, code) in r.cells.iter().zip(&t.column_codes) {
                                td data-code=(code) class=[cell.suppressed.then_some("suppressed")] {
                                    (cell.text)
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Spreadsheet column letters: A, B, …, Z, AA, …
fn column_letter(mut i: usize) -> String {
    let mut letters = Vec::new();
    loop {
        letters.push(char::from(b'A' + (i % 26) as u8));
        if i < 26 {
            break;
        }
        i = i / 26 - 1;
    }
    letters.iter().rev().collect()
}

fn sheet(s: &SheetPreview, n: usize) -> Markup {
    let width = s.rows.iter().map(Vec::len).max().unwrap_or(0);
    let caption = format!("sheet-{n}");
    html! {
        div.table-wrap role="region" aria-labelledby=(caption) tabindex="0" {
            table.sheet data-sheet=(s.name) {
                caption id=(caption) { (s.name) }
                thead { tr { @for c in 0..width { th scope="col" { (column_letter(c)) } } } }
                tbody {
                    @for row in &s.rows {
                        tr { @for c in 0..width { td { (row.get(c).map_or("", String::as_str)) } } }
                    }
                }
            }
        }
        @if let Some(more) = &s.more { p.more { (more) } }
    }
}

fn body(ids: &Ids, b: &ReportBody) -> Markup {
    html! {
        h2.report-heading { (b.heading) }
        p.suppression { (b.suppression) }
        (actions(ids, &b.downloads))
        (chart(&b.chart))
        section.tables aria-labelledby="tables-title" {
            h2 id="tables-title" { (b.tables_label) }
            (choices(&b.choose_table, &b.tables))
            @if let Some(t) = &b.table { (table(t)) }
        }
        section.workbook aria-labelledby="workbook-title" {
            h2 id="workbook-title" { (b.workbook_label) }
            p { (b.workbook_note) }
            @for (n, s) in b.workbook.iter().enumerate() { (sheet(s, n)) }
        }
    }
}

pub(crate) fn report(ids: &Ids, view: &ReportView) -> Markup {
    html! {
        p.intro { (view.intro) }
        (choices(&view.year_label, &view.years))
        @if let Some(running) = &view.running { p role="status" { (running) } }
        @if let Some(e) = &view.error { (error(e)) }
        (action(ids, &view.reload))
        @if let Some(b) = &view.report { (body(ids, b)) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use binhan_ui::screens::report::{ReportEvent, ReportFile, TableCell, TableRowView};
    use binhan_ui::{Action, Event};

    fn synthetic() -> ReportView {
        let download = Action {
            label: "Tải về XLSX (Excel) (9 KB)".into(),
            enabled: true,
            disabled_reason: None,
            event: Event::Report {
                event: ReportEvent::Download {
                    file: ReportFile::Xlsx,
                },
            },
        };
        let cell = |text: &str, suppressed| TableCell {
            text: text.into(),
            suppressed,
        };
        ReportView {
            intro: "Báo cáo (synthetic)".into(),
            year_label: "Năm báo cáo".into(),
            years: vec![],
            running: None,
            error: None,
            reload: download.clone(),
            report: Some(ReportBody {
                heading: "Báo cáo năm 2026".into(),
                suppression: "ẩn (synthetic)".into(),
                chart: IndicatorChart {
                    title: "Chỉ tiêu".into(),
                    summary: "Đạt 0 trên 1".into(),
                    bars: vec![IndicatorBar {
                        code: "share_trained".into(),
                        label: "Tỷ lệ được tập huấn (synthetic)".into(),
                        value: "62,5%".into(),
                        target: "80%".into(),
                        target_text: "mục tiêu 2030: 80%".into(),
                        value_permille: 625,
                        target_permille: 800,
                        scale: "thang 0–100%".into(),
                        met: Some(false),
                        status: "chưa đạt".into(),
                        previous: None,
                        alt: "Tỷ lệ được tập huấn: 62,5%; mục tiêu 2030: 80%; chưa đạt.".into(),
                    }],
                    figures_label: "Số liệu khác".into(),
                    figures: vec![],
                },
                tables_label: "Bảng".into(),
                choose_table: "Chọn bảng".into(),
                tables: vec![],
                table: Some(TableView {
                    id: "survivors".into(),
                    title: "Người bị bạo lực (synthetic)".into(),
                    row_heading: "Xã, phường".into(),
                    columns: vec!["Tổng".into()],
                    column_codes: vec!["total".into()],
                    rows: vec![
                        TableRowView {
                            code: "mu_ca".into(),
                            label: "Xã Mù Cả".into(),
                            total: false,
                            cells: vec![cell("ẩn", true)],
                        },
                        TableRowView {
                            code: "province".into(),
                            label: "Toàn tỉnh".into(),
                            total: true,
                            cells: vec![cell("12", false)],
                        },
                    ],
                }),
                workbook_label: "Xem trước".into(),
                workbook_note: "(synthetic)".into(),
                workbook: vec![SheetPreview {
                    name: "Bìa".into(),
                    rows: vec![vec!["BÁO CÁO".into()], vec!["a".into(), "x".into()]],
                    more: None,
                }],
                downloads: vec![download],
            }),
        }
    }

    #[test]
    fn the_chart_is_svg_with_its_figures_in_words_and_tables_have_headers() {
        let html = report(&Ids::new(), &synthetic()).into_string();
        // A bar: an image with its text alternative, the figures beside it.
        assert!(html.contains(
            r#"role="img" aria-label="Tỷ lệ được tập huấn: 62,5%; mục tiêu 2030: 80%; chưa đạt.""#
        ));
        assert!(html.contains(r#"width="625""#) && html.contains(r#"x1="800""#));
        assert!(html.contains(r#"<strong class="value">62,5%</strong>"#));
        assert!(html.contains("✗"));
        // Tables: headed columns and rows; a suppressed cell says so.
        assert!(html.contains(r#"<th scope="col">Xã, phường</th>"#));
        assert!(html.contains(r#"<th scope="row">Xã Mù Cả</th>"#));
        assert!(html.contains(r#"<td data-code="total" class="suppressed">ẩn</td>"#));
        assert!(html.contains(r#"<tr data-row="province" class="total">"#));
        // The workbook's sheet, lettered, padded to its widest row.
        assert!(html.contains(r#"<th scope="col">B</th>"#));
        assert!(html.contains("<td>BÁO CÁO</td><td></td>"));
        assert!(!html.contains("<script"));
    }

    #[test]
    fn columns_are_lettered_as_in_a_spreadsheet() {
        let letters: Vec<String> = [0, 1, 25, 26, 27, 51, 52, 701, 702]
            .into_iter()
            .map(column_letter)
            .collect();
        assert_eq!(
            letters,
            ["A", "B", "Z", "AA", "AB", "AZ", "BA", "ZZ", "AAA"]
        );
    }
}
