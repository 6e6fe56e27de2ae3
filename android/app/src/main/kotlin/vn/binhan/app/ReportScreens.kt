// The provincial officer's annual report desk: the year, the plan's
// indicators against their 2030 targets as bars (every figure also in
// words beside its bar, and the bar's text alternative for TalkBack), the
// per-commune table chosen with its suppressed cells as the core words them,
// the workbook's preview and the downloads. The core computes every figure
// and every position; these only draw.
package vn.binhan.app

import androidx.compose.foundation.Canvas
import androidx.compose.foundation.horizontalScroll
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.height
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.layout.width
import androidx.compose.foundation.rememberScrollState
import androidx.compose.material3.LinearProgressIndicator
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.ui.Modifier
import androidx.compose.ui.geometry.Offset
import androidx.compose.ui.geometry.Size
import androidx.compose.ui.graphics.Color
import androidx.compose.ui.semantics.contentDescription
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.text.font.FontStyle
import androidx.compose.ui.text.font.FontWeight
import androidx.compose.ui.unit.Dp
import androidx.compose.ui.unit.dp
import vn.binhan.ui.*

/** The bars' positions are in thousandths of their scale. */
private const val FULL = 1000f

@Composable
fun ReportDesk(view: ReportView, send: Send) {
    Text(view.intro)
    Text(view.yearLabel, style = MaterialTheme.typography.labelLarge)
    Choices(view.years, send)
    view.running?.let {
        Text(it)
        LinearProgressIndicator(modifier = Modifier.fillMaxWidth())
    }
    view.error?.let { ErrorText(it) }
    ActionButton(view.reload, send)
    view.report?.let { ReportContent(it, send) }
}

@Composable
private fun ReportContent(report: ReportBody, send: Send) {
    Text(report.heading, style = MaterialTheme.typography.titleMedium)
    Text(report.suppression, style = MaterialTheme.typography.bodySmall)
    report.downloads.forEach { ActionButton(it, send) }
    IndicatorChartView(report.chart)
    Text(report.tablesLabel, style = MaterialTheme.typography.titleMedium, modifier = Modifier.padding(top = 16.dp))
    Text(report.chooseTable, style = MaterialTheme.typography.labelLarge)
    Choices(report.tables, send)
    report.table?.let { ReportTable(it) }
    Text(report.workbookLabel, style = MaterialTheme.typography.titleMedium, modifier = Modifier.padding(top = 16.dp))
    Text(report.workbookNote, style = MaterialTheme.typography.bodySmall)
    report.workbook.forEach { SheetPreviewGrid(it) }
}

@Composable
private fun IndicatorChartView(chart: IndicatorChart) {
    Text(chart.title, style = MaterialTheme.typography.titleMedium, modifier = Modifier.padding(top = 16.dp))
    Text(chart.summary)
    chart.bars.forEach { IndicatorBarView(it) }
    if (chart.figures.isNotEmpty()) {
        Text(chart.figuresLabel, style = MaterialTheme.typography.titleSmall)
        chart.figures.forEach { LabelledRow(it) }
    }
}

/** One indicator: its bar on the scale the core chose, the target as a line across it. */
@Composable
private fun IndicatorBarView(bar: IndicatorBar) {
    val fill = when (bar.met) {
        true -> MaterialTheme.colorScheme.primary
        false -> MaterialTheme.colorScheme.error
        null -> MaterialTheme.colorScheme.outline
    }
    val track = MaterialTheme.colorScheme.surfaceVariant
    val line = MaterialTheme.colorScheme.onSurface
    // A sign beside the status word: met or not is never told by colour alone.
    val sign = when (bar.met) {
        true -> "✓ "
        false -> "✗ "
        null -> ""
    }
    Column(Modifier.padding(vertical = 8.dp)) {
        Text(bar.label, style = MaterialTheme.typography.titleSmall)
        Canvas(
            Modifier
                .fillMaxWidth()
                .height(28.dp)
                .semantics { contentDescription = bar.alt },
        ) {
            val top = size.height * 0.2f
            val thickness = size.height * 0.6f
            drawRect(track, topLeft = Offset(0f, top), size = Size(size.width, thickness))
            drawRect(fill, topLeft = Offset(0f, top), size = Size(size.width * bar.valuePermille.toFloat() / FULL, thickness))
            val x = size.width * bar.targetPermille.toFloat() / FULL
            drawLine(line, Offset(x, 0f), Offset(x, size.height), strokeWidth = 2.dp.toPx())
        }
        Text(
            listOfNotNull(bar.value, bar.targetText, sign + bar.status, bar.previous).joinToString(" · "),
            fontWeight = FontWeight.Medium,
        )
        Text(bar.scale, style = MaterialTheme.typography.bodySmall)
    }
}

/** One text cell of a grid; TalkBack reads it with its column's heading. */
@Composable
private fun Cell(
    text: String,
    width: Dp,
    heading: String? = null,
    bold: Boolean = false,
    suppressed: Boolean = false,
) {
    Text(
        text,
        modifier = Modifier
            .width(width)
            .padding(4.dp)
            .semantics { heading?.let { contentDescription = "$it: $text" } },
        fontWeight = if (bold) FontWeight.Bold else FontWeight.Normal,
        fontStyle = if (suppressed) FontStyle.Italic else FontStyle.Normal,
        color = if (suppressed) MaterialTheme.colorScheme.onSurfaceVariant else Color.Unspecified,
    )
}

/** The table chosen: a heading row, then a row per commune and the province's total. */
@Composable
private fun ReportTable(table: TableView) {
    Text(table.title, style = MaterialTheme.typography.titleSmall, modifier = Modifier.padding(top = 8.dp))
    Column(Modifier.horizontalScroll(rememberScrollState())) {
        Row {
            Cell(table.rowHeading, 160.dp, bold = true)
            table.columns.forEach { Cell(it, 112.dp, bold = true) }
        }
        table.rows.forEach { row ->
            Row(Modifier.semantics(mergeDescendants = true) {}) {
                Cell(row.label, 160.dp, bold = row.total)
                row.cells.forEachIndexed { i, cell ->
                    Cell(cell.text, 112.dp, heading = table.columns.getOrNull(i), bold = row.total, suppressed = cell.suppressed)
                }
            }
        }
    }
}

/** A sheet of the workbook as the file holds it: its name and first rows. */
@Composable
private fun SheetPreviewGrid(sheet: SheetPreview) {
    Text(sheet.name, style = MaterialTheme.typography.titleSmall, modifier = Modifier.padding(top = 8.dp))
    Column(Modifier.horizontalScroll(rememberScrollState())) {
        sheet.rows.forEach { row ->
            Row(Modifier.semantics(mergeDescendants = true) {}) {
                row.forEach { Cell(it, 112.dp) }
            }
        }
    }
    sheet.more?.let { Text(it, style = MaterialTheme.typography.bodySmall) }
}
