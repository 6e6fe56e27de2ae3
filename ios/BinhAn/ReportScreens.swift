// The provincial officer's annual report desk: the year, the plan's
// indicators against their 2030 targets as bars (every figure also in words
// beside its bar, and the bar's text alternative for VoiceOver), the
// per-commune table chosen with its suppressed cells as the core words them,
// the workbook's preview and the downloads. The core computes every figure
// and every position; these views only draw.
import BinhAnCore
import SwiftUI

/// The bars' positions are in thousandths of their scale.
private let full: CGFloat = 1000

struct ReportScreen: View {
    let view: ReportView
    let send: Send

    var body: some View {
        VStack(alignment: .leading, spacing: 16) {
            Text(view.intro)
            Heading(text: view.yearLabel)
            Choices(choices: view.years, send: send)
            Running(text: view.running)
            if let error = view.error { ErrorText(reason: error) }
            ActionButton(action: view.reload, send: send)
            if let report = view.report { ReportContent(report: report, send: send) }
        }
    }
}

private struct ReportContent: View {
    let report: ReportBody
    let send: Send

    var body: some View {
        VStack(alignment: .leading, spacing: 16) {
            Heading(text: report.heading)
            Text(report.suppression).font(.footnote)
            ActionButtons(actions: report.downloads, send: send)
            IndicatorChartView(chart: report.chart)
            Heading(text: report.tablesLabel)
            Text(report.chooseTable).font(.subheadline)
            Choices(choices: report.tables, send: send)
            if let table = report.table { ReportTable(table: table) }
            Heading(text: report.workbookLabel)
            Text(report.workbookNote).font(.footnote).foregroundStyle(.secondary)
            ForEach(Array(report.workbook.enumerated()), id: \.offset) { _, sheet in
                SheetPreviewGrid(sheet: sheet)
            }
        }
    }
}

private struct IndicatorChartView: View {
    let chart: IndicatorChart

    var body: some View {
        VStack(alignment: .leading, spacing: 16) {
            Heading(text: chart.title)
            Text(chart.summary)
            ForEach(Array(chart.bars.enumerated()), id: \.offset) { _, bar in
                IndicatorBarView(bar: bar)
            }
            if !chart.figures.isEmpty {
                Heading(text: chart.figuresLabel)
                LabelledRows(rows: chart.figures)
            }
        }
    }
}

/// One indicator: its bar on the scale the core chose, the target as a
/// line across it.
private struct IndicatorBarView: View {
    let bar: IndicatorBar

    private var fill: Color {
        switch bar.met {
        case .some(true): .green
        case .some(false): .red
        case .none: .gray
        }
    }

    /// A sign beside the status word: met or not is never told by colour
    /// alone.
    private var sign: String {
        switch bar.met {
        case .some(true): "✓ "
        case .some(false): "✗ "
        case .none: ""
        }
    }

    var body: some View {
        VStack(alignment: .leading, spacing: 4) {
            Text(bar.label).font(.subheadline)
            GeometryReader { geometry in
                let width = geometry.size.width
                ZStack(alignment: .leading) {
                    Rectangle().fill(Color.secondary.opacity(0.2)).frame(height: 16)
                    Rectangle().fill(fill).frame(width: width * CGFloat(bar.valuePermille) / full, height: 16)
                    Rectangle().fill(Color.primary)
                        .frame(width: 2)
                        .offset(x: min(width * CGFloat(bar.targetPermille) / full, max(width - 2, 0)))
                }
            }
            .frame(height: 24)
            .accessibilityElement()
            .accessibilityLabel(bar.alt)
            Text([bar.value, bar.targetText, sign + bar.status, bar.previous].compactMap { $0 }.joined(separator: " · "))
                .fontWeight(.medium)
            Text(bar.scale).font(.footnote).foregroundStyle(.secondary)
        }
    }
}

/// The table chosen: a heading row, then a row per commune and the
/// province's total; VoiceOver reads each cell with its column's heading.
private struct ReportTable: View {
    let table: TableView

    var body: some View {
        VStack(alignment: .leading, spacing: 8) {
            Text(table.title).font(.subheadline).bold()
            ScrollView(.horizontal) {
                Grid(alignment: .leading, horizontalSpacing: 12, verticalSpacing: 6) {
                    GridRow {
                        Text(table.rowHeading).bold().accessibilityAddTraits(.isHeader)
                        ForEach(Array(table.columns.enumerated()), id: \.offset) { _, column in
                            Text(column).bold().accessibilityAddTraits(.isHeader)
                        }
                    }
                    Divider()
                    ForEach(Array(table.rows.enumerated()), id: \.offset) { _, row in
                        GridRow {
                            Text(row.label).bold(row.total)
                            ForEach(Array(row.cells.enumerated()), id: \.offset) { i, cell in
                                Text(cell.text)
                                    .bold(row.total)
                                    .italic(cell.suppressed)
                                    .foregroundStyle(cell.suppressed ? Color.secondary : Color.primary)
                                    .accessibilityLabel(i < table.columns.count ? "\(table.columns[i]): \(cell.text)" : cell.text)
                            }
                        }
                    }
                }
                .padding(.vertical, 4)
            }
        }
    }
}

/// A sheet of the workbook as the file holds it: its name and first rows.
private struct SheetPreviewGrid: View {
    let sheet: SheetPreview

    var body: some View {
        VStack(alignment: .leading, spacing: 8) {
            Text(sheet.name).font(.subheadline).bold()
            ScrollView(.horizontal) {
                Grid(alignment: .leading, horizontalSpacing: 12, verticalSpacing: 6) {
                    ForEach(Array(sheet.rows.enumerated()), id: \.offset) { _, row in
                        GridRow {
                            ForEach(Array(row.enumerated()), id: \.offset) { _, cell in
                                Text(cell)
                            }
                        }
                    }
                }
                .padding(.vertical, 4)
            }
            if let more = sheet.more { Text(more).font(.footnote).foregroundStyle(.secondary) }
        }
    }
}
