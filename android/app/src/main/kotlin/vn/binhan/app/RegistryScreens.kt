// The provincial officer's shelter registry: the list with each commune's
// coverage, the shelter form, a commune's emergency numbers, and publish.
// The core checks every field and signs in the vault; these draw its views.
package vn.binhan.app

import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.text.input.PasswordVisualTransformation
import vn.binhan.ui.*

@Composable
fun RegistryList(view: RegistryView, send: Send) {
    Text(view.held)
    Text(view.pending)
    Text(view.standardised, style = MaterialTheme.typography.titleMedium)
    Text(view.without)
    view.actions.forEach { ActionButton(it, send) }
    Text(view.sheltersLabel, style = MaterialTheme.typography.titleMedium)
    view.noShelters?.let { Text(it) }
    view.shelters.forEach { row ->
        Text(row.title, style = MaterialTheme.typography.titleSmall)
        Text(row.subtitle)
        row.inactive?.let { Text(it, style = MaterialTheme.typography.bodySmall) }
        ActionButton(row.edit, send)
    }
    Text(view.coverageLabel, style = MaterialTheme.typography.titleMedium)
    view.communes.forEach { commune ->
        Text(
            commune.name,
            color = if (commune.withoutShelter) MaterialTheme.colorScheme.error else MaterialTheme.colorScheme.onSurface,
        )
        val values = listOf(commune.shelters.toString(), commune.standardised.toString(), commune.numbers)
        Text(view.columns.drop(1).zip(values).joinToString(" · ") { (label, value) -> "$label: $value" })
        ActionButton(commune.editNumbers, send)
    }
    Text(view.organisationsLabel, style = MaterialTheme.typography.titleMedium)
    view.noOrganisations?.let { Text(it) }
    view.organisations.forEach { row ->
        Text(row.title, style = MaterialTheme.typography.titleSmall)
        Text(row.subtitle)
        ActionButton(row.edit, send)
    }
}

@Composable
fun RegistryOrganisationForm(view: OrganisationFormView, send: Send) {
    view.fields.forEach { field ->
        FieldInput(
            field.label, field.required, field.kind, field.value, field.help, field.error, field.field,
            { send(Event.Registry(RegistryEvent.SetOrganisation(field.field, it))) }, send,
        )
    }
    view.noDevice?.let { Text(it, style = MaterialTheme.typography.bodySmall) }
    ActionButton(view.save, send)
}

@Composable
fun RegistryShelterForm(view: ShelterFormView, send: Send) {
    view.fields.forEach { field ->
        FieldInput(
            field.label, field.required, field.kind, field.value, field.help, field.error, field.field,
            { send(Event.Registry(RegistryEvent.SetShelter(field.field, it))) }, send,
        )
    }
    ActionButton(view.save, send)
}

@Composable
fun RegistryNumbersForm(view: NumbersView, send: Send) {
    Text(view.help, style = MaterialTheme.typography.bodySmall)
    view.empty?.let { Text(it) }
    view.errors.forEach { ErrorText(it) }
    view.rows.forEach { row ->
        Text(row.title, style = MaterialTheme.typography.titleSmall)
        row.fields.forEach { field ->
            FieldInput(
                field.label, true, field.kind, field.value, null, field.error, row.row to field.field,
                { send(Event.Registry(RegistryEvent.SetNumber(row.row, field.field, it))) }, send,
            )
        }
        ActionButton(row.remove, send)
    }
    ActionButton(view.add, send)
    ActionButton(view.save, send)
}

@Composable
fun RegistryPublishForm(view: PublishView, send: Send) {
    Text(view.version, style = MaterialTheme.typography.titleMedium)
    view.sections.forEach { section ->
        Text(section.title, style = MaterialTheme.typography.titleSmall)
        section.empty?.let { Text(it) }
        section.items.forEach { Text(it) }
    }
    view.key?.let { Text(it, style = MaterialTheme.typography.titleSmall) }
    view.noKey?.let { Text(it) }
    Text(view.keyHelp, style = MaterialTheme.typography.bodySmall)
    view.generate?.let { ActionButton(it, send) }
    view.seedLabel?.let { label ->
        var seed by remember { mutableStateOf("") }
        LaunchedEffect(view.seedFilled) { if (view.seedFilled == 0u) seed = "" }
        OutlinedTextField(
            value = seed,
            onValueChange = { seed = it; send(Event.Registry(RegistryEvent.SetSeed(it))) },
            label = { Text(label) },
            supportingText = { (view.seedError?.text ?: view.seedHelp)?.let { Text(it) } },
            isError = view.seedError != null,
            visualTransformation = PasswordVisualTransformation(),
            singleLine = true,
            modifier = Modifier.fillMaxWidth(),
        )
    }
    view.saveSeed?.let { ActionButton(it, send) }
    view.running?.let { Text(it) }
    view.error?.let { ErrorText(it) }
    ActionButton(view.confirm, send)
}
