// The programme registries desk (commune case managers and the provincial
// officer): the lists, the entry form with its attendees' rows, and the
// import screen. The core checks every field and reads the chosen file;
// these draw its views and hand the file's name and bytes over.
package vn.binhan.app

import android.content.ContentResolver
import android.net.Uri
import android.provider.OpenableColumns
import androidx.activity.compose.rememberLauncherForActivityResult
import androidx.activity.result.contract.ActivityResultContracts
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.padding
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.rememberCoroutineScope
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.LocalContext
import androidx.compose.ui.unit.dp
import java.io.ByteArrayOutputStream
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.launch
import kotlinx.coroutines.withContext
import vn.binhan.ui.*

@Composable
fun RegistriesList(view: RegistriesView, send: Send) {
    Text(view.intro)
    // A manager keeps one registry: no tabs to choose between.
    if (view.tabs.size > 1) Choices(view.tabs, send)
    view.running?.let { Text(it) }
    view.error?.let { ErrorText(it) }
    ActionButton(view.add, send)
    view.`import`?.let { ActionButton(it, send) }
    ActionButton(view.reload, send)
    view.empty?.let { Text(it) }
    view.rows.forEach { row ->
        Column(Modifier.padding(vertical = 8.dp)) {
            Text(row.title, style = MaterialTheme.typography.titleSmall)
            Text(row.subtitle)
            row.attendees?.let { Text(it, style = MaterialTheme.typography.bodySmall) }
            ActionButton(row.edit, send)
        }
    }
}

@Composable
fun RegistryEntryForm(view: RegistryEntryView, send: Send) {
    view.help?.let { Text(it, style = MaterialTheme.typography.bodySmall) }
    view.fields.forEach { field ->
        FieldInput(
            field.label, field.required, field.kind, field.value, field.help, field.error, field.field,
            { send(Event.Registries(RegistriesEvent.SetEntry(field.field, it))) }, send,
        )
    }
    view.attendeesLabel?.let { Text(it, style = MaterialTheme.typography.titleMedium) }
    view.noAttendees?.let { Text(it) }
    // Keyed by the number of rows too: after a row is added or removed, every
    // row's text is taken again from the core, not kept by position.
    val rows = view.attendees.size
    view.attendees.forEach { row ->
        Text(row.title, style = MaterialTheme.typography.titleSmall)
        row.fields.forEach { field ->
            FieldInput(
                field.label, field.required, field.kind, field.value, field.help, field.error,
                Triple(rows, row.row, field.field),
                { send(Event.Registries(RegistriesEvent.SetAttendee(row.row, field.field, it))) }, send,
            )
        }
        ActionButton(row.remove, send)
    }
    view.addAttendee?.let { ActionButton(it, send) }
    ActionButton(view.save, send)
    view.running?.let { Text(it) }
    view.error?.let { ErrorText(it) }
}

/** The import screen: the system's document picker chooses the file; its name and bytes go to the core, which reads it. */
@Composable
fun RegistryImportForm(view: ImportView, send: Send) {
    val resolver = LocalContext.current.contentResolver
    val scope = rememberCoroutineScope()
    val picker = rememberLauncherForActivityResult(ActivityResultContracts.OpenDocument()) { uri ->
        // Cancelled: nothing to send.
        if (uri == null) return@rememberLauncherForActivityResult
        val limit = view.maxBytes
        scope.launch {
            val chosen = withContext(Dispatchers.IO) { readChosen(resolver, uri, limit) }
            chosen?.let { (name, bytes) -> send(Event.Registries(RegistriesEvent.ImportFile(name, bytes))) }
        }
    }
    Text(view.layout)
    Text(view.fileLabel, style = MaterialTheme.typography.labelLarge)
    OutlinedButton(onClick = {
        // The picker covers the app; the core decides that this is no reason to lock.
        send(Event.SystemScreenOpened)
        // No document picker on this phone: nothing opens.
        runCatching { picker.launch(mimeTypes(view.accept)) }
    }) { Text(view.upload) }
    Text(view.fileHelp, style = MaterialTheme.typography.bodySmall)
    Text(view.file, style = MaterialTheme.typography.titleSmall)
    view.summary?.let { Text(it) }
    view.refused?.let { ErrorText(it) }
    view.problems.forEach { Text(it.text, color = MaterialTheme.colorScheme.error) }
    ActionButton(view.confirm, send)
    view.running?.let { Text(it) }
    view.error?.let { ErrorText(it) }
}

/** The media types of the view's `accept` list (its `.csv`-style extensions are for the browser). */
private fun mimeTypes(accept: String): Array<String> =
    accept.split(',').map { it.trim() }.filter { '/' in it }.ifEmpty { listOf("*/*") }.toTypedArray()

/**
 * The chosen document's name and at most `maxBytes + 1` of its bytes: a larger
 * file is never read whole, and the core refuses it for its size. `null` when
 * it cannot be read (nothing is sent then).
 */
private fun readChosen(resolver: ContentResolver, uri: Uri, maxBytes: ULong): Pair<String, ByteArray>? = runCatching {
    val name = resolver.query(uri, arrayOf(OpenableColumns.DISPLAY_NAME), null, null, null)?.use { cursor ->
        if (cursor.moveToFirst()) cursor.getString(0) else null
    } ?: uri.lastPathSegment.orEmpty()
    val limit = maxBytes.coerceAtMost((Int.MAX_VALUE - 1).toULong()).toInt() + 1
    val bytes = resolver.openInputStream(uri)?.use { input ->
        val out = ByteArrayOutputStream()
        val buffer = ByteArray(64 * 1024)
        while (out.size() < limit) {
            val n = input.read(buffer, 0, minOf(buffer.size, limit - out.size()))
            if (n < 0) break
            out.write(buffer, 0, n)
        }
        out.toByteArray()
    }
    bytes?.let { name to it }
}.getOrNull()
