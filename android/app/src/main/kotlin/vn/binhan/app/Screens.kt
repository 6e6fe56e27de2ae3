// One composable per screen kind of the core's view model. They draw the
// texts, choices and actions they are given and send back the event of what
// was tapped or typed; whether an action is allowed, and why not, comes from
// the core. Material 3 buttons and fields keep 48 dp targets; texts scale
// with the system font size.
package vn.binhan.app

import androidx.compose.foundation.Canvas
import androidx.compose.foundation.horizontalScroll
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.layout.size
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.text.KeyboardOptions
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.Button
import androidx.compose.material3.FilterChip
import androidx.compose.material3.LinearProgressIndicator
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.geometry.Offset
import androidx.compose.ui.geometry.Size
import androidx.compose.ui.graphics.Color
import androidx.compose.ui.semantics.contentDescription
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.text.input.KeyboardType
import androidx.compose.ui.text.input.PasswordVisualTransformation
import androidx.compose.ui.text.input.VisualTransformation
import androidx.compose.ui.unit.dp
import vn.binhan.ui.*

typealias Send = (Event) -> Unit

@Composable
fun AppScreen(view: ViewModel, send: Send, caseRows: List<CaseRow>) {
    Column(Modifier.fillMaxSize().padding(16.dp).verticalScroll(rememberScrollState())) {
        Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
            if (view.canGoBack) TextButton(onClick = { send(Event.Back) }) { Text("←") }
            Text(view.title, style = MaterialTheme.typography.titleLarge, modifier = Modifier.weight(1f))
            view.emergency?.let { ActionButton(it, send) }
            view.quickExit?.let { ActionButton(it, send) }
        }
        view.messages.forEach { notice ->
            Text(
                notice.reason.text,
                color = if (notice.level == NoticeLevel.ERROR) MaterialTheme.colorScheme.error else MaterialTheme.colorScheme.primary,
            )
        }
        when (val screen = view.screen) {
            is Screen.Camouflage -> Calculator(screen.view, send)
            is Screen.Setup -> {
                Text(screen.view.intro)
                screen.view.fields.forEach { SecretField(it, send) }
                ActionButton(screen.view.create, send)
            }
            is Screen.PinPad -> PinPad(screen.view, send)
            is Screen.Emergency -> {
                Text(screen.view.intro)
                screen.view.numbers.forEach { number ->
                    Text(number.label)
                    ActionButton(number.call, send)
                }
            }
            is Screen.Home -> Home(screen.view, send)
            is Screen.CaseList -> CaseList(screen.view, caseRows, send)
            is Screen.CaseSummary -> CaseSummary(screen.view, send)
            is Screen.CaseWork -> CaseWork(screen.view, send)
            is Screen.Devices -> Devices(screen.view, send)
            is Screen.RecordIncident -> Intake(screen.view, send)
            is Screen.FindShelter -> Finder(screen.view, send)
            is Screen.HostDesk -> HostDesk(screen.view, send)
            is Screen.ReferralInbox -> ReferralInbox(screen.view, send)
            is Screen.OverdueReferrals -> OverdueReferrals(screen.view, send)
            is Screen.Conflicts -> {
                Text(screen.view.heading, style = MaterialTheme.typography.headlineSmall)
                Text(screen.view.intro)
                screen.view.none?.let { Text(it) }
                screen.view.conflicts.forEach { conflict ->
                    Text(conflict.label, style = MaterialTheme.typography.titleMedium)
                    // Side by side on a wide screen, stacked on a phone.
                    Row(Modifier.horizontalScroll(rememberScrollState()), horizontalArrangement = Arrangement.spacedBy(16.dp)) {
                        conflict.candidates.forEach { candidate ->
                            Column {
                                Text(candidate.value)
                                Text("${candidate.by} · ${candidate.at}", style = MaterialTheme.typography.bodySmall)
                                ActionButton(candidate.keep, send)
                            }
                        }
                    }
                }
            }
            is Screen.Invite -> {
                Text(screen.view.roleLabel)
                Choices(screen.view.roles, send)
                screen.view.roleError?.let { ErrorText(it) }
                screen.view.communeLabel?.let { Text(it) }
                Choices(screen.view.communes, send)
                screen.view.communeError?.let { ErrorText(it) }
                screen.view.school?.let { PlainField(it, send) }
                Text(screen.view.hoursLabel)
                Choices(screen.view.hours, send)
                ActionButton(screen.view.submit, send)
                screen.view.running?.let { Text(it) }
                screen.view.error?.let { ErrorText(it) }
                screen.view.invitation.forEach { LabelledRow(it) }
                screen.view.qr?.let { Qr(it) }
                screen.view.share?.let { ActionButton(it, send) }
            }
            is Screen.Sync -> Sync(screen.view, send)
            is Screen.Enrol -> {
                Text(screen.view.intro)
                screen.view.fields.forEach { PlainField(it, send) }
                screen.view.running?.let { Text(it) }
                screen.view.error?.let { ErrorText(it) }
                screen.view.scan?.let { ActionButton(it, send) }
                ActionButton(screen.view.submit, send)
            }
            is Screen.Settings -> {
                Text(screen.view.languageLabel)
                Choices(screen.view.languages, send)
                ActionButton(screen.view.changePin, send)
                ActionButton(screen.view.duressPin, send)
                ActionButton(screen.view.wipe, send)
            }
            is Screen.Registry -> RegistryList(screen.view, send)
            is Screen.RegistryShelter -> RegistryShelterForm(screen.view, send)
            is Screen.RegistryOrganisation -> RegistryOrganisationForm(screen.view, send)
            is Screen.RegistryNumbers -> RegistryNumbersForm(screen.view, send)
            is Screen.RegistryPublish -> RegistryPublishForm(screen.view, send)
            is Screen.Registries -> RegistriesList(screen.view, send)
            is Screen.RegistryEntry -> RegistryEntryForm(screen.view, send)
            is Screen.RegistryImport -> RegistryImportForm(screen.view, send)
            is Screen.Report -> ReportDesk(screen.view, send)
            is Screen.ChangePin -> PinForm(screen.view, send)
            is Screen.DuressPin -> PinForm(screen.view, send)
            is Screen.ConfirmWipe -> {
                Text(screen.view.warning)
                ActionButton(screen.view.confirm, send)
                ActionButton(screen.view.cancel, send)
            }
        }
    }
}

/** A button for an action; a disabled one says why under it. */
@Composable
fun ActionButton(action: Action, send: Send) {
    Column {
        Button(onClick = { send(action.event) }, enabled = action.enabled) { Text(action.label) }
        action.disabledReason?.let { Text(it.text, style = MaterialTheme.typography.bodySmall) }
    }
}

/** A QR code as the core computed it: dark modules on white, a quiet zone of four. */
@Composable
fun Qr(code: QrCode) {
    val width = code.width.toInt()
    Canvas(
        Modifier
            .padding(vertical = 8.dp)
            .size(240.dp)
            .semantics { contentDescription = code.description },
    ) {
        val module = size.minDimension / (width + 8)
        drawRect(Color.White)
        code.dark.forEachIndexed { i, dark ->
            if (dark) {
                drawRect(
                    Color.Black,
                    topLeft = Offset((i % width + 4) * module, (i / width + 4) * module),
                    size = Size(module, module),
                )
            }
        }
    }
}

@Composable
fun ErrorText(reason: Reason) = Text(reason.text, color = MaterialTheme.colorScheme.error)

@Composable
fun LabelledRow(row: LabelledValue) {
    Column(Modifier.padding(vertical = 4.dp)) {
        Text(row.label, style = MaterialTheme.typography.labelMedium)
        Text(row.value)
    }
}

@Composable
fun Choices(choices: List<Choice>, send: Send) {
    Row(Modifier.horizontalScroll(rememberScrollState()), horizontalArrangement = Arrangement.spacedBy(8.dp)) {
        choices.forEach { choice ->
            FilterChip(selected = choice.selected, onClick = { send(choice.event) }, label = { Text(choice.label) })
        }
    }
}

/** The camouflage: an ordinary calculator. The core recognises the secret. */
@Composable
fun Calculator(view: CalculatorView, send: Send) {
    Text(view.expression, style = MaterialTheme.typography.bodyLarge)
    Text(view.display, style = MaterialTheme.typography.displayMedium)
    val digit = { d: Int -> CalcKey.Digit(d.toUByte()) }
    val rows = listOf(
        listOf("7" to digit(7), "8" to digit(8), "9" to digit(9), "÷" to CalcKey.Divide),
        listOf("4" to digit(4), "5" to digit(5), "6" to digit(6), "×" to CalcKey.Multiply),
        listOf("1" to digit(1), "2" to digit(2), "3" to digit(3), "−" to CalcKey.Subtract),
        listOf("0" to digit(0), "." to CalcKey.Point, "=" to CalcKey.Equals, "+" to CalcKey.Add),
        listOf("C" to CalcKey.Clear, "⌫" to CalcKey.Backspace),
    )
    rows.forEach { keys ->
        Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
            keys.forEach { (label, key) ->
                OutlinedButton(onClick = { send(Event.Calculator(key)) }, modifier = Modifier.weight(1f)) { Text(label) }
            }
        }
    }
}

@Composable
fun PinPad(view: PinPadView, send: Send) {
    Text(view.prompt)
    Text("●".repeat(view.filled.toInt()), style = MaterialTheme.typography.headlineMedium)
    view.problem?.let { ErrorText(it) }
    view.countdown?.let { ErrorText(it.reason) }
    listOf(listOf(1, 2, 3), listOf(4, 5, 6), listOf(7, 8, 9), listOf(0)).forEach { keys ->
        Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
            keys.forEach { d ->
                OutlinedButton(
                    onClick = { send(Event.PinPad(PinKey.Digit(d.toUByte()))) },
                    enabled = view.keysEnabled,
                    modifier = Modifier.weight(1f),
                ) { Text("$d") }
            }
        }
    }
    OutlinedButton(onClick = { send(Event.PinPad(PinKey.Backspace)) }, enabled = view.keysEnabled) { Text("⌫") }
    ActionButton(view.submit, send)
}

/** A PIN field: the value stays in the widget; the core only says how many
 *  characters it holds, and 0 clears the widget. */
@Composable
fun SecretField(field: SecretFieldView, send: Send) {
    var text by remember(field.field) { mutableStateOf("") }
    LaunchedEffect(field.filled) { if (field.filled == 0u) text = "" }
    TextBox(text, field.label, field.help, field.error, secret = true) { text = it; send(Event.SetField(field.field, it)) }
}

@Composable
fun PlainField(field: TextFieldView, send: Send) {
    var text by remember(field.field) { mutableStateOf(field.value) }
    TextBox(text, field.label, field.help, field.error, secret = false) { text = it; send(Event.SetField(field.field, it)) }
}

/** One line of text with its label, help or error; masked for a PIN. */
@Composable
private fun TextBox(text: String, label: String, help: String?, error: Reason?, secret: Boolean, onText: (String) -> Unit) {
    OutlinedTextField(
        value = text,
        onValueChange = onText,
        label = { Text(label) },
        supportingText = { (error?.text ?: help)?.let { Text(it) } },
        isError = error != null,
        visualTransformation = if (secret) PasswordVisualTransformation() else VisualTransformation.None,
        keyboardOptions = KeyboardOptions(keyboardType = if (secret) KeyboardType.NumberPassword else KeyboardType.Text),
        singleLine = true,
        modifier = Modifier.fillMaxWidth(),
    )
}

@Composable
fun PinForm(view: PinFormView, send: Send) {
    view.fields.forEach { SecretField(it, send) }
    ActionButton(view.save, send)
}

@Composable
fun CaseRows(rows: List<CaseRow>, send: Send) {
    rows.forEach { row ->
        TextButton(onClick = { send(row.open) }, modifier = Modifier.fillMaxWidth()) {
            Column(Modifier.fillMaxWidth()) {
                Text(row.title, style = MaterialTheme.typography.titleMedium)
                Text(row.subtitle)
                Text(listOfNotNull(row.risk, row.status, row.followUp, row.conflicts, row.updated).joinToString(" · "),
                    color = if (row.overdue) MaterialTheme.colorScheme.error else MaterialTheme.colorScheme.onSurface)
            }
        }
    }
}

@Composable
fun Home(view: HomeView, send: Send) {
    view.actions.forEach { ActionButton(it, send) }
    view.conflictsLabel?.let { Text(it, style = MaterialTheme.typography.titleMedium, color = MaterialTheme.colorScheme.error) }
    CaseRows(view.conflicts, send)
    Text(view.overdueLabel, style = MaterialTheme.typography.titleMedium)
    CaseRows(view.overdue, send)
    Text(view.dueTodayLabel, style = MaterialTheme.typography.titleMedium)
    CaseRows(view.dueToday, send)
    view.more?.let { ActionButton(it, send) }
    view.nothingDue?.let { Text(it) }
    Text(view.recentLabel, style = MaterialTheme.typography.titleMedium)
    CaseRows(view.recent, send)
    view.noCases?.let { Text(it) }
}

@Composable
fun CaseList(view: CaseListView, rows: List<CaseRow>, send: Send) {
    Text(view.statusLabel)
    Choices(view.statusChoices, send)
    Text(view.riskLabel)
    Choices(view.riskChoices, send)
    Text(view.count)
    view.unreadable?.let { ErrorText(it) }
    view.empty?.let { Text(it) }
    CaseRows(rows, send)
    view.more?.let { ActionButton(it, send) }
}

@Composable
fun Sync(view: SyncView, send: Send) {
    view.notEnrolled?.let { Text(it) }
    view.enrolledAs.forEach { LabelledRow(it) }
    LabelledRow(view.lastSync)
    Text(view.waiting)
    view.progress?.let { progress ->
        Text(listOfNotNull(progress.label, progress.count).joinToString(" "))
        progress.permille?.let { LinearProgressIndicator(progress = { it.toFloat() / 1000f }, modifier = Modifier.fillMaxWidth()) }
    }
    view.error?.let { ErrorText(it) }
    view.notices.forEach { ErrorText(it) }
    ActionButton(view.syncNow, send)
    view.enrol?.let { ActionButton(it, send) }
    view.roads?.let { roads ->
        LabelledRow(roads.map)
        roads.update?.let { Text(it) }
        Choices(listOf(roads.wifiOnly), send)
        roads.downloadNow?.let { ActionButton(it, send) }
    }
}

/** One form field of the intake or of a case-work form; `onText` sends its new value. */
@Composable
fun FieldInput(
    label: String, required: Boolean, kind: FieldKind, value: String, help: String?, error: Reason?,
    key: Any, onText: (String) -> Unit, send: Send,
) {
    Text(label + if (required) " *" else "", style = MaterialTheme.typography.labelLarge)
    when (kind) {
        is FieldKind.Choice -> Choices(kind.options, send)
        is FieldKind.MultiChoice -> Choices(kind.options, send)
        is FieldKind.YesNo -> Choices(kind.options, send)
        else -> {
            var text by remember(key) { mutableStateOf(value) }
            OutlinedTextField(
                value = text,
                onValueChange = { text = it; onText(it) },
                singleLine = !(kind is FieldKind.Text && kind.multiline),
                keyboardOptions = KeyboardOptions(
                    keyboardType = if (kind == FieldKind.Number) KeyboardType.Number else KeyboardType.Text,
                ),
                modifier = Modifier.fillMaxWidth(),
            )
        }
    }
    help?.let { Text(it, style = MaterialTheme.typography.bodySmall) }
    error?.let { ErrorText(it) }
}

@Composable
fun FormField(field: FieldView, send: Send) = FieldInput(
    field.label, field.required, field.kind, field.value, field.help, field.error, field.field to field.row,
    { send(Event.SetIntake(field.field, field.row, it)) }, send,
)

@Composable
fun CaseSummary(view: CaseSummaryView, send: Send) {
    Text(view.heading, style = MaterialTheme.typography.headlineSmall)
    view.rows.forEach { LabelledRow(it) }
    view.actions.forEach { ActionButton(it, send) }
    view.sections.forEach { section ->
        Text(section.title, style = MaterialTheme.typography.titleMedium)
        section.items.forEach { item ->
            Text(item.title)
            item.detail?.let { Text(it, style = MaterialTheme.typography.bodyMedium) }
            Text(item.meta, style = MaterialTheme.typography.bodySmall)
        }
        section.empty?.let { Text(it) }
        section.more?.let { Text(it, style = MaterialTheme.typography.bodySmall) }
        section.add?.let { ActionButton(it, send) }
    }
}

@Composable
fun Devices(view: DevicesView, send: Send) {
    Text(view.intro)
    view.running?.let { Text(it) }
    view.error?.let { ErrorText(it) }
    view.confirm?.let { confirm ->
        Text(confirm.text, style = MaterialTheme.typography.titleMedium)
        ActionButton(confirm.confirm, send)
        ActionButton(confirm.cancel, send)
    }
    view.rows.forEach { row ->
        Text("${row.label} · ${row.role} · ${row.code}")
        row.revoke?.let { ActionButton(it, send) }
    }
    ActionButton(view.refresh, send)
}

@Composable
fun CaseWork(view: WorkView, send: Send) {
    Text(view.heading, style = MaterialTheme.typography.titleMedium)
    view.fields.forEach { field ->
        FieldInput(
            field.label, field.required, field.kind, field.value, field.help, field.error, field.field,
            { send(Event.SetWork(field.field, it)) }, send,
        )
    }
    view.preview?.let { preview ->
        Text(preview.heading, style = MaterialTheme.typography.titleSmall)
        Text(preview.contact)
        preview.sent.forEach { LabelledRow(it) }
        Text(preview.notSent)
        Text(preview.due)
        Text(preview.consent)
    }
    ActionButton(view.save, send)
}

@Composable
fun Intake(view: IntakeView, send: Send) {
    Text(view.stepLabel, style = MaterialTheme.typography.titleMedium)
    Choices(view.steps, send)
    view.hint?.let { Text(it) }
    view.fields.forEach { FormField(it, send) }
    view.rows.forEach { row ->
        Text(row.title, style = MaterialTheme.typography.titleSmall)
        row.fields.forEach { FormField(it, send) }
        ActionButton(row.remove, send)
    }
    view.addRow?.let { ActionButton(it, send) }
    view.review.forEach { section ->
        Text(section.title, style = MaterialTheme.typography.titleSmall)
        section.rows.forEach { LabelledRow(it) }
        ActionButton(section.edit, send)
    }
    view.problemsLabel?.let { Text(it, color = MaterialTheme.colorScheme.error) }
    view.problems.forEach { ActionButton(it.go, send) }
    view.next?.let { ActionButton(it, send) }
    view.save?.let { ActionButton(it, send) }
    ActionButton(view.discard, send)
}

@Composable
fun Finder(view: FinderView, send: Send) {
    view.forCase?.let { Text(it, style = MaterialTheme.typography.titleMedium) }
    Text(view.origin)
    ActionButton(view.useLocation, send)
    view.placeField?.let { PlaceSearch(it, view.places, send) }
    view.placesNote?.let { Text(it, style = MaterialTheme.typography.bodySmall) }
    Choices(view.filters, send)
    view.rankedBy?.let { Text(it, style = MaterialTheme.typography.bodySmall) }
    view.empty?.let { Text(it) }
    view.shelters.forEach { shelter ->
        Column(Modifier.padding(vertical = 8.dp)) {
            Text(shelter.name, style = MaterialTheme.typography.titleMedium)
            Text(shelter.subtitle)
            Text(shelter.distance, color = if (shelter.unreachable) MaterialTheme.colorScheme.error else MaterialTheme.colorScheme.onSurface)
            Text(shelter.places)
            Text(shelter.open)
            shelter.call?.let { ActionButton(it, send) }
            shelter.consent?.let { ActionButton(it, send) }
            shelter.request?.let { ActionButton(it, send) }
        }
    }
}

/** "Search from a village": each change of the text goes to the core, which lists the places that match; choosing one clears the text. */
@Composable
fun PlaceSearch(field: PlaceField, places: List<Choice>, send: Send) {
    var text by remember { mutableStateOf(field.value) }
    LaunchedEffect(field.value) { if (field.value != text) text = field.value }
    TextBox(text, field.label, field.help, null, secret = false) { text = it; send(Event.SearchPlaces(it)) }
    places.forEach { place ->
        TextButton(onClick = { send(place.event) }, modifier = Modifier.fillMaxWidth()) { Text(place.label) }
    }
}

/** Referrals overdue for an answer, each opening its case. */
@Composable
fun OverdueReferrals(view: OverdueReferralsView, send: Send) {
    view.empty?.let { Text(it) }
    view.rows.forEach { row ->
        Column(Modifier.padding(vertical = 8.dp)) {
            Text(row.title, style = MaterialTheme.typography.titleMedium)
            Text(row.detail, style = MaterialTheme.typography.bodySmall)
            ActionButton(row.open, send)
        }
    }
}

/** A service provider's referral inbox, as core computed it. */
@Composable
fun ReferralInbox(view: ReferralInboxView, send: Send) {
    view.emergency.forEach { Text(it, style = MaterialTheme.typography.titleSmall) }
    view.empty?.let { Text(it) }
    view.referrals.forEach { referral ->
        Column(Modifier.padding(vertical = 8.dp)) {
            Text(referral.title, style = MaterialTheme.typography.titleMedium)
            Text("${referral.status} · ${referral.due}")
            Text(referral.received, style = MaterialTheme.typography.bodySmall)
            referral.ask?.let { Text(it) }
            referral.facts.forEach { LabelledRow(it) }
            referral.added.forEach { Text(it) }
            referral.withdrawn?.let { Text(it, style = MaterialTheme.typography.bodyMedium) }
            referral.actions.forEach { ActionButton(it, send) }
        }
    }
}

@Composable
fun HostDesk(view: HostView, send: Send) {
    view.shelter?.let { Text(it, style = MaterialTheme.typography.titleMedium) }
    view.places?.let { Text(it) }
    Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
        view.fewer?.let { ActionButton(it, send) }
        view.more?.let { ActionButton(it, send) }
    }
    view.empty?.let { Text(it) }
    view.start.forEach { ActionButton(it, send) }
    (view.inbox + view.stays).forEach { stay ->
        Column(Modifier.padding(vertical = 8.dp)) {
            Text(stay.needs, style = MaterialTheme.typography.titleSmall)
            stay.details?.let { Text(it) }
            Text("${stay.status} · ${stay.updated}")
            stay.actions.forEach { ActionButton(it, send) }
        }
    }
}
